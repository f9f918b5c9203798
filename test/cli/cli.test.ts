/**
 * The CLI as a user runs it: a separate process, files on disk, exit codes and printed errors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { validator } from '../../lib/model/schemas.js';
import { documentValidator } from '../../lib/model/document-schemas.js';
import { tproofIn } from '../helpers/tproof.js';

const work = mkdtempSync(join(tmpdir(), 'tproof-cli-'));
const { tproof, ok } = tproofIn(work);

test('keygen, trust, mint (root and append), inspect and verify work together', () => {
  for (const [name, alg] of [['a', 'EdDSA'], ['b', 'ES256'], ['b2', 'ES384'], ['c', 'PS256']] as const) {
    writeFileSync(join(work, `${name}.jwk`), ok(['keygen', '--alg', alg]));
  }
  const publicOnly = JSON.parse(ok(['keygen', '--alg', 'ES256', '--public'])) as Record<string, unknown>;
  assert.equal(publicOnly.d, undefined);

  writeFileSync(join(work, 'trust.json'), ok(['trust', '--issuer', 'https://a.example=a.jwk']));
  const trust = JSON.parse(readFileSync(join(work, 'trust.json'), 'utf8')) as { roots: { jwks: { keys: Record<string, unknown>[] } }[] };
  assert.equal(trust.roots[0]?.jwks.keys[0]?.d, undefined, 'the trust file must not hold the private key');
  assert.ok(validator('trustConfig')(trust));

  const root = ok(['mint', '--key', 'a.jwk', '--iss', 'https://a.example', '--sub', 'urn:c', '--aud', 'https://as.example',
    '--scope', 'read write', '--tmb-key', 'c.jwk', '--delegate', 'client-b', '--delegate-key', 'b.jwk', '--depth', '1']);
  writeFileSync(join(work, 'root.txt'), root);
  const chain = ok(['mint', '--chain', 'root.txt', '--key', 'b.jwk', '--delegate', 'client-b2', '--delegate-key', 'b2.jwk', '--scope', 'read']);
  writeFileSync(join(work, 'chain.txt'), chain);
  assert.equal(chain.trim().split('~').length, 2);

  const tree = ok(['inspect', 'chain.txt']);
  assert.match(tree, /UNVERIFIED/);
  assert.match(tree, /https:\/\/a\.example → client-b\n/);
  assert.match(tree, /client-b → client-b2/);
  const decoded = JSON.parse(ok(['inspect', '--json', '-'], chain)) as { verified: boolean; links: { claims: { scope: string } }[] };
  assert.equal(decoded.verified, false);
  assert.equal(decoded.links[1]?.claims.scope, 'read');

  const result = JSON.parse(ok(['verify', '--trust', 'trust.json', '--aud', 'https://as.example', '--requester', 'client-b2', '--requester-key', 'b2.jwk', '--tmb-key', 'c.jwk', '--scope', 'read', '--json', 'chain.txt']));
  assert.equal(result.valid, true);
  assert.deepEqual(result.act, { sub: 'client-b2', act: { sub: 'client-b' } });
  const { valid: _valid, ...body } = result as Record<string, unknown>;
  assert.ok(documentValidator('verifyResult')(body), 'verify --json output matches schemas/verify-result.schema.json');
});

test('verify exits 1 with the error code and link index, and --json prints a schema-valid error', () => {
  const rejected = tproof(['verify', '--trust', 'trust.json', '--aud', 'https://as.example', '--requester', 'client-b', '--requester-key', 'b.jwk', 'chain.txt']);
  assert.equal(rejected.status, 1);
  assert.match(rejected.stderr, /^error: requester_mismatch \(link 1\): /m);

  const widened = tproof(['verify', '--trust', 'trust.json', '--aud', 'https://as.example', '--requester', 'client-b2', '--requester-key', 'b2.jwk', '--scope', 'write', '--json', 'chain.txt']);
  assert.equal(widened.status, 1);
  const body = JSON.parse(widened.stdout) as { valid: boolean; error: Record<string, unknown> };
  assert.equal(body.valid, false);
  assert.equal(body.error.code, 'scope_exceeded');
  assert.equal(body.error.oauthError, 'invalid_scope');
  assert.ok(documentValidator('error')(body.error), 'the error object matches schemas/error.schema.json');
});

test('CBOR chains: mint --format cbor, inspect --diag, verify detects the encoding', () => {
  const chain = ok(['mint', '--format', 'cbor', '--key', 'a.jwk', '--iss', 'https://a.example', '--sub', 'urn:c', '--aud', 'https://as.example',
    '--scope', 'read', '--tmb-key', 'c.jwk', '--delegate', 'client-b', '--delegate-key', 'b.jwk']);
  assert.doesNotMatch(chain.trim(), /[.~]/);
  const diag = ok(['inspect', '--diag', chain.trim()]);
  assert.match(diag, /^\[0\] 18\(\[/);
  assert.match(diag, /16: "tmb-link\+cwt"/);
  const verified = ok(['verify', '--trust', 'trust.json', '--aud', 'https://as.example', '--requester', 'client-b', '--requester-key', 'b.jwk', chain.trim()]);
  // A client authenticated by secret alone is refused unless the verifier opts out explicitly.
  assert.match(tproof(['verify', '--trust', 'trust.json', '--aud', 'https://as.example', '--requester', 'client-b', chain.trim()]).stderr, /^error: requester_mismatch \(link 0\)/m);
  assert.match(ok(['verify', '--trust', 'trust.json', '--aud', 'https://as.example', '--requester', 'client-b', '--unbound-requester', chain.trim()]), /^VALID chain/);
  assert.match(verified, /^VALID chain \(cwt, 1 link, root issuer https:\/\/a\.example\)/);
});

test('X.509: cert demo, trust --anchor, mint --x5c, inspect shows the SAN, verify validates the path', () => {
  ok(['cert', 'demo', '--dir', 'pki', '--trust-domain', 'example.org', '--workload', 'agent']);
  writeFileSync(join(work, 'x509-trust.json'), ok(['trust', '--anchor', 'pki/ca.pem', '--identity', 'spiffe', '--trust-domain', 'example.org', '--subjects', 'urn:c']));
  const chain = ok(['mint', '--key', 'pki/leaf.jwk', '--x5c', 'pki/leaf.pem', '--iss', 'spiffe://example.org/agent', '--sub', 'urn:c',
    '--aud', 'https://as.example', '--scope', 'read', '--tmb-key', 'c.jwk', '--delegate', 'client-b', '--delegate-key', 'b.jwk']);
  writeFileSync(join(work, 'x5c.txt'), chain);
  assert.match(ok(['inspect', 'x5c.txt']), /SAN url:spiffe:\/\/example\.org\/agent/);
  assert.match(ok(['verify', '--trust', 'x509-trust.json', '--aud', 'https://as.example', '--requester', 'client-b', '--requester-key', 'b.jwk', 'x5c.txt']), /root x509 spiffe:\/\/example\.org\/agent/);
  const wrongDomain = tproof(['verify', '--trust', 'trust.json', '--aud', 'https://as.example', '--requester', 'client-b', '--requester-key', 'b.jwk', 'x5c.txt']);
  assert.equal(wrongDomain.status, 1);
  assert.match(wrongDomain.stderr, /^error: untrusted_root \(link 0\)/m);
  // By default the certificate vouches only for itself: sub urn:c is outside its authority.
  writeFileSync(join(work, 'x509-self.json'), ok(['trust', '--anchor', 'pki/ca.pem', '--identity', 'spiffe', '--trust-domain', 'example.org']));
  assert.match(tproof(['verify', '--trust', 'x509-self.json', '--aud', 'https://as.example', '--requester', 'client-b', '--requester-key', 'b.jwk', 'x5c.txt']).stderr, /^error: subject_mismatch \(link 0\)/m);
});

test('usage errors exit 2 and every command has --help', () => {
  for (const command of ['keygen', 'mint', 'inspect', 'verify', 'trust', 'cert', 'demo']) {
    const help = tproof([command, '--help']);
    assert.equal(help.status, 0, command);
    assert.match(help.stdout, new RegExp(`tproof ${command}`));
  }
  assert.equal(tproof(['mint', '--key', 'a.jwk']).status, 2);
  assert.equal(tproof(['nonsense']).status, 2);
  assert.equal(tproof(['verify', '--bogus-flag']).status, 2);
});

test('demo runs the whole story and exits 0', () => {
  const out = ok(['demo']);
  assert.match(out, /chain_broken \(link 1\)/);
  assert.match(out, /scope_escalation \(link 1\)/);
  assert.match(out, /requester_mismatch \(link 1\)/);
  assert.match(out, /x5c_untrusted \(link 0\)/);
  assert.match(out, /Demo complete/);
});

test('demo --as runs the story against the real oidc-provider AS and the DPoP resource server', () => {
  const out = ok(['demo', '--as']);
  assert.match(out, /Demo complete: all \d+ steps behaved as described\./);
  assert.equal(out.match(/steps behaved as/g)?.length, 1, 'the summary is printed once');
  assert.doesNotMatch(out, /✘/);
});
