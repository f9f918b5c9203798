/**
 * The error family (SPEC-NOTES.md §9) and the trust configuration's own validation (§5): stable
 * codes, toJSON matching schemas/error.schema.json, the OAuth mapping, every code documented, and
 * invalid configurations refused with invalid_argument when compiled.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import {
  compileTrust,
  createVerifier,
  ERROR_CODES,
  isTransitiveProofError,
  LinkError,
  TransitiveProofError,
  verifyChain,
  type ErrorCode,
  type TrustConfig,
} from '../../lib/index.js';
import {
  buildChain,
  contextFor,
  issuerTrust,
  makeParties,
  rejectsWith,
  repoRoot,
  schemaValidator,
  verifyStandard,
} from '../helpers/fixtures.js';
import { ALL_PARTS } from '../helpers/parts.js';

const p = await makeParties();

describe('TransitiveProofError', () => {
  test('toJSON carries code, message, linkIndex and the OAuth error, and matches the error schema', () => {
    const validate = schemaValidator('error.schema.json');
    const withIndex = new LinkError('scope_escalation', 2, 'link 2 widens scope').toJSON();
    assert.deepEqual(withIndex, { code: 'scope_escalation', message: 'link 2 widens scope', linkIndex: 2, oauthError: 'invalid_grant' });
    assert.ok(validate(withIndex), JSON.stringify(validate.errors));
    const withoutIndex = new TransitiveProofError('chain_malformed', 'chain is empty').toJSON();
    assert.deepEqual(withoutIndex, { code: 'chain_malformed', message: 'chain is empty', oauthError: 'invalid_request' });
    assert.equal('linkIndex' in withoutIndex, false);
    assert.ok(validate(withoutIndex), JSON.stringify(validate.errors));
    assert.deepEqual(JSON.parse(JSON.stringify(new LinkError('expired', 0, 'x'))), new LinkError('expired', 0, 'x').toJSON());
  });

  test('a verification failure serializes with its link index, its SPEC-NOTES step and OAuth error', async () => {
    const chain = await buildChain(p, { length: 2 });
    const error = await verifyStandard(p, chain, { context: { scope: 'delete' } }).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(isTransitiveProofError(error));
    assert.ok(error instanceof Error);
    assert.deepEqual({ ...error.toJSON(), message: '' }, { code: 'scope_exceeded', message: '', linkIndex: 1, step: '17', oauthError: 'invalid_scope' });
    assert.ok(schemaValidator('error.schema.json')(error.toJSON()));
  });

  test('OAuth mapping follows RFC 6749 §5.2 for representative codes', () => {
    const expected: [ErrorCode, string][] = [
      ['chain_malformed', 'invalid_request'], // the request parameter is malformed
      ['chain_too_large', 'invalid_request'],
      ['request_invalid', 'invalid_request'],
      ['requester_unauthenticated', 'invalid_client'], // no authenticated client
      ['requester_mismatch', 'invalid_grant'], // authenticated, but the grant is someone else's
      ['link_signature_invalid', 'invalid_grant'],
      ['expired', 'invalid_grant'],
      ['scope_exceeded', 'invalid_scope'], // requested scope exceeds the grant
      ['invalid_argument', 'server_error'], // the calling program's fault, not the client's
    ];
    for (const [code, oauth] of expected) {
      assert.equal(new TransitiveProofError(code, code).oauthError, oauth, code);
      assert.equal(ERROR_CODES[code], oauth, code);
    }
  });

  test('LinkError is a TransitiveProofError with a link index', () => {
    const error = new LinkError('chain_broken', 3, 'm');
    assert.ok(error instanceof TransitiveProofError);
    assert.equal(error.linkIndex, 3);
    assert.equal(error.name, 'LinkError');
    assert.equal(isTransitiveProofError(new Error('m')), false);
  });

  test('every code in ERROR_CODES is documented in SPEC-NOTES.md §9 with the same OAuth error', (t) => {
    const path = join(repoRoot(), 'SPEC-NOTES.md');
    if (!existsSync(path)) {
      t.skip('SPEC-NOTES.md is not written yet');
      return;
    }
    const table = new Map<string, string>();
    for (const match of readFileSync(path, 'utf8').matchAll(/^\|\s*`([a-z0-9_]+)`\s*\|\s*([a-z_]+)\s*\|/gm)) {
      table.set(match[1] as string, match[2] as string);
    }
    const missing = Object.keys(ERROR_CODES).filter((code) => !table.has(code));
    assert.deepEqual(missing, [], 'codes missing from the SPEC-NOTES.md error table');
    for (const [code, oauth] of Object.entries(ERROR_CODES)) {
      assert.equal(table.get(code), oauth, `OAuth error of ${code}`);
    }
  });
});

describe('trust configuration (invalid_argument)', () => {
  const good = issuerTrust(p);
  const issuerRoot = { type: 'issuer', iss: p.A.id };
  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
  const cases: [string, unknown][] = [
    ['a private key (d) in an issuer jwks', { roots: [{ ...issuerRoot, jwks: { keys: [{ ...p.A.publicJwk, d: p.A.privateJwk.d }] } }] }],
    ['a private member (priv) in an issuer jwks', { roots: [{ ...issuerRoot, jwks: { keys: [{ ...p.A.publicJwk, priv: 'x' }] } }] }],
    ['a private key in delegateKeys', { ...good, delegateKeys: { keys: [{ ...p.B.publicJwk, d: p.B.privateJwk.d }] } }],
    ['a symmetric key in delegateKeys', { ...good, delegateKeys: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }],
    ['a 1024-bit RSA issuer key', { roots: [{ ...issuerRoot, jwks: { keys: [{ kty: 'RSA', n: rsa1024.n, e: rsa1024.e }] } }] }],
    ['an unknown root type', { roots: [{ type: 'anyone', iss: p.A.id }] }],
    ['no roots', { roots: [] }],
    ['an unknown member', { ...good, trustEverything: true }],
    ['an algorithm outside the allow-list (none)', { ...good, algorithms: ['none'] }],
    ['an HMAC algorithm', { ...good, algorithms: ['HS256'] }],
    ['maxLinks above its ceiling', { ...good, limits: { maxLinks: 65 } }],
    ['maxChainBytes above its ceiling', { ...good, limits: { maxChainBytes: 1_048_577 } }],
    ['maxNesting above its ceiling', { ...good, limits: { maxNesting: 33 } }],
    ['a zero limit', { ...good, limits: { maxLinkBytes: 0 } }],
    ['an unknown limit', { ...good, limits: { maxEverything: 1 } }],
    ['a clock tolerance above 300 s', { ...good, clockToleranceSeconds: 301 }],
    ['a negative clock tolerance', { ...good, clockToleranceSeconds: -1 }],
    ['a zero maximum lifetime', { ...good, maxLifetimeSeconds: 0 }],
  ];
  for (const [name, config] of cases) {
    test(name, async () => {
      await rejectsWith(compileTrust(config as TrustConfig, ALL_PARTS), 'invalid_argument', undefined);
    });
  }

  test('verifyChain and createVerifier refuse it too; the valid configuration compiles', async () => {
    const chain = await buildChain(p, { length: 2 });
    const bad = { ...good, limits: { maxLinks: 65 } };
    await rejectsWith(verifyChain(chain, bad, contextFor(p, 2), ALL_PARTS), 'invalid_argument', undefined);
    await rejectsWith(createVerifier(bad, ALL_PARTS), 'invalid_argument', undefined);
    const compiled = await compileTrust(good, ALL_PARTS);
    assert.equal(compiled.compiled, true);
    await verifyChain(chain, compiled, contextFor(p, 2), ALL_PARTS);
  });
});
