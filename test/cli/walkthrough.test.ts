/**
 * What a person following the README's CLI walk-through meets, `tproof` run as a process each time:
 * a link signed with another key than the chain names, a chain that expired while they read, the
 * commands that write files, and the times each command prints.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readmeBlocks } from '../helpers/readme.js';
import { tproofIn } from '../helpers/tproof.js';

const dir = mkdtempSync(join(tmpdir(), 'tproof-walkthrough-'));
const { tproof, ok } = tproofIn(dir);
after(() => rmSync(dir, { recursive: true, force: true }));
/** `tproof ARGS > FILE`. */
const toFile = (file: string, args: string[]): void => writeFileSync(join(dir, file), ok(args));

const ROOT = ['--iss', 'https://a.example', '--sub', 'urn:c', '--aud', 'https://as.example', '--scope', 'read write', '--tmb-key', 'c.jwk'];
const ISO_SECOND = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/;

before(() => {
  for (const [name, alg] of [['a', 'EdDSA'], ['b', 'ES256'], ['c', 'EdDSA'], ['b2', 'EdDSA']] as const) toFile(`${name}.jwk`, ['keygen', '--alg', alg]);
  toFile('chain.txt', ['mint', '--key', 'a.jwk', ...ROOT, '--delegate', 'client-b', '--delegate-key', 'b.jwk', '--depth', '1']);
});

test('mint --chain refuses a --key that is not the key the chain names for its last delegate, naming both thumbprints', () => {
  const refused = tproof(['mint', '--chain', 'chain.txt', '--key', 'a.jwk', '--delegate', 'client-b2', '--delegate-key', 'b2.jwk']);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /--key is not the delegate's key: link 0 names client-b with the key of thumbprint [\w-]{43}, --key has [\w-]{43} \(--any-key signs anyway\)/);
  assert.equal(refused.stdout, '');
  assert.match(ok(['mint', '--chain', 'chain.txt', '--key', 'b.jwk', '--delegate', 'client-b2', '--delegate-key', 'b2.jwk']), /^ey/);
});

test('a link signed with the wrong key (mint --any-key) is reported as a signature/key mismatch naming the link and the key expected', () => {
  const forced = ok(['mint', '--chain', 'chain.txt', '--key', 'a.jwk', '--any-key', '--delegate', 'client-b2', '--delegate-key', 'b2.jwk']);
  toFile('trust.json', ['trust', '--issuer', 'https://a.example=a.jwk']);
  const result = tproof(['verify', '--trust', 'trust.json', '--aud', 'https://as.example', '--requester', 'client-b2', '--requester-key', 'b2.jwk', '-'], forced);
  assert.equal(result.status, 1, result.stdout);
  assert.match(result.stderr, /^error: alg_not_allowed \(link 1\): link 1 is signed with EdDSA, but the key expected for its signer is the delegate key link 0 names \(may_act\.cnf\): EC P-256 \(ES256[^)]*\): signature\/key mismatch, the link was signed with another key$/m);
});

test('mint --chain refuses to extend an expired chain instead of writing a link issued after its own expiry', () => {
  const twoHoursAgo = new Date(Date.now() - 7_200_000).toISOString();
  toFile('old.txt', ['mint', '--key', 'a.jwk', ...ROOT, '--delegate', 'client-b', '--delegate-key', 'b.jwk', '--depth', '1', '--now', twoHoursAgo]);
  const refused = tproof(['mint', '--chain', 'old.txt', '--key', 'b.jwk', '--delegate', 'client-b2', '--delegate-key', 'b2.jwk']);
  assert.equal(refused.status, 2, refused.stdout);
  assert.match(refused.stderr, new RegExp(`^error: invalid_argument: the chain expired at ${ISO_SECOND.source}: it cannot be extended$`, 'm'));
  assert.equal(refused.stdout, '');
});

test('the README walk-through\'s chain outlasts a reading pace: still valid 30 minutes after it was minted', () => {
  const walkThrough = readmeBlocks('CLI', 'sh')[0] as string;
  const root = walkThrough.match(/npx tproof mint --key a\.jwk[^\n]*\\\n[^\n]*> chain\.txt/)?.[0];
  assert.ok(root !== undefined, 'the walk-through mints chain.txt with a.jwk');
  const args = root.replace(/^npx tproof /, '').replace(/\\\n/, ' ').replace(/ > chain\.txt$/, '').match(/"[^"]*"|\S+/g)?.map((arg) => arg.replace(/^"|"$/g, '')) ?? [];
  toFile('readme-chain.txt', [...args]);
  toFile('trust.json', ['trust', '--issuer', 'https://a.example=a.jwk']);
  const later = new Date(Date.now() + 30 * 60_000).toISOString();
  const out = ok(['verify', '--trust', 'trust.json', '--aud', 'https://as.example', '--requester', 'client-b', '--requester-key', 'b.jwk', '--now', later, 'readme-chain.txt']);
  assert.match(out, /^VALID chain/m);
});

test('status create and status set say what they wrote', () => {
  toFile('s.jwk', ['keygen', '--alg', 'ES256']);
  const created = ok(['status', 'create', '--key', 's.jwk', '--uri', 'https://status.example/lists/1', '--size', '1000', '--bits', '2', '--out', 'list.jwt']);
  assert.match(created, new RegExp(`^wrote list\\.jwt: Token Status List https://status\\.example/lists/1 \\(JWT\\), 1000 entries of 2 bits, every entry VALID; expires ${ISO_SECOND.source} \\(in 24 h\\)\\n$`));
  const set = ok(['status', 'set', 'list.jwt', '--key', 's.jwk', '--idx', '7', '--status', 'invalid']);
  assert.match(set, new RegExp(`^list\\.jwt: entry 7 of https://status\\.example/lists/1 set to 1 \\(invalid\\), signed again; expires ${ISO_SECOND.source} \\(in 24 h\\)\\n$`));
  assert.equal(ok(['status', 'get', 'list.jwt', '--key', 's.jwk', '--idx', '7']), '1 invalid\n');
  assert.ok(readFileSync(join(dir, 'list.jwt'), 'utf8').startsWith('ey'));
});

test('verify and inspect print times in one format: ISO 8601 to the second, with the relative time', () => {
  toFile('trust.json', ['trust', '--issuer', 'https://a.example=a.jwk']);
  const verified = ok(['verify', '--trust', 'trust.json', '--aud', 'https://as.example', '--requester', 'client-b', '--requester-key', 'b.jwk', 'chain.txt']);
  assert.match(verified, new RegExp(`^ {2}until {2}${ISO_SECOND.source} \\(in \\d+ min\\)$`, 'm'));
  const inspected = ok(['inspect', 'chain.txt']);
  assert.match(inspected, new RegExp(`valid {6}${ISO_SECOND.source} → ${ISO_SECOND.source} {2}\\(iat ${ISO_SECOND.source}; valid now, expires in \\d+ min\\)`));
  for (const out of [verified, inspected]) assert.doesNotMatch(out, /\d\.\d{3}Z/, 'no milliseconds anywhere');
});
