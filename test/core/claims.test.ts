/**
 * Step 5 (SPEC-NOTES.md §6.2): the decoded claims match schemas/link-claims.schema.json, and
 * confirmation keys are public keys of a supported type. Faulty links are re-signed by their
 * legitimate signer, so the claims rule is what refuses them. The inverted-window case is checked
 * with the time rules (step 12) and is also here because its code is claims_invalid.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  AUDIENCE,
  buildChain,
  LINK_IATS,
  makeParties,
  rejectsWith,
  resign,
  verifyStandard,
  withLinks,
} from '../helpers/fixtures.js';

const p = await makeParties();
const valid = await buildChain(p, { length: 2 });
const [link0, link1] = valid.links as [Uint8Array, Uint8Array];

type Claims = Record<string, unknown>;
type Edit = (claims: Claims) => unknown;

/** The valid chain with link 1's claims edited and re-signed by B. */
function link1Claims(edit: Edit) {
  return withLinks(valid, [link0, resign(link1, p.B, { claims: edit })]);
}

const mayAct = (claims: Claims) => claims.may_act as { sub?: string; cnf: Record<string, unknown> };
const jwkOf = (cnf: unknown) => (cnf as { jwk: Record<string, unknown> }).jwk;

describe('required claims (claims_invalid)', () => {
  for (const name of ['iss', 'sub', 'aud', 'iat', 'exp', 'jti', 'scope', 'tmb', 'may_act', 'depth']) {
    test(`missing ${name}`, async () => {
      await rejectsWith(verifyStandard(p, link1Claims((c) => { delete c[name]; return c; })), 'claims_invalid', 1);
    });
  }
  test('missing may_act.sub', async () => {
    await rejectsWith(verifyStandard(p, link1Claims((c) => { delete mayAct(c).sub; return c; })), 'claims_invalid', 1);
  });
  test('missing may_act.cnf', async () => {
    await rejectsWith(verifyStandard(p, link1Claims((c) => ({ ...c, may_act: { sub: p.B2.id } }))), 'claims_invalid', 1);
  });
  test('missing on the root link (index 0)', async () => {
    const chain = withLinks(valid, [resign(link0, p.A, { claims: (c) => { delete c.jti; return c; } }), link1]);
    await rejectsWith(verifyStandard(p, chain), 'claims_invalid', 0);
  });
});

describe('claim shapes (claims_invalid)', () => {
  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
  const cases: [string, Edit][] = [
    ['an unknown claim', (c) => ({ ...c, ext: 'restriction the verifier does not understand' })],
    ['an unknown member in may_act', (c) => ({ ...c, may_act: { ...mayAct(c), scope: 'read' } })],
    ['aud as an array of one', (c) => ({ ...c, aud: [AUDIENCE] })],
    ['aud as an array of several audiences', (c) => ({ ...c, aud: [AUDIENCE, 'https://other.example'] })],
    ['an empty iss', (c) => ({ ...c, iss: '' })],
    ['a numeric sub', (c) => ({ ...c, sub: 42 })],
    ['an empty jti', (c) => ({ ...c, jti: '' })],
    ['tmb with two members (jwk and jkt)', (c) => ({ ...c, tmb: { jwk: p.C.publicJwk, jkt: p.C.jkt } })],
    ['an empty tmb', (c) => ({ ...c, tmb: {} })],
    ['a tmb jkt that is not a SHA-256 thumbprint', (c) => ({ ...c, tmb: { jkt: 'abc' } })],
    ['may_act.cnf with two members', (c) => ({ ...c, may_act: { sub: p.B2.id, cnf: { jwk: p.B2.publicJwk, jkt: p.B2.jkt } } })],
    // The private member does not change the thumbprint, so the invariance rule (step 11) would not notice.
    ['a private key (d) in tmb.jwk', (c) => ({ ...c, tmb: { jwk: { ...jwkOf(c.tmb), d: p.C.privateJwk.d } } })],
    // Link 1 is the last link: its delegate key is never imported, only the claims rule sees it.
    ['a private key (d) in may_act.cnf.jwk', (c) => ({ ...c, may_act: { sub: p.B2.id, cnf: { jwk: { ...p.B2.publicJwk, d: p.B2.privateJwk.d } } } })],
    ['a private member (priv) in may_act.cnf.jwk', (c) => ({ ...c, may_act: { sub: p.B2.id, cnf: { jwk: { ...p.B2.publicJwk, priv: 'x' } } } })],
    ['a symmetric key in may_act.cnf.jwk', (c) => ({ ...c, may_act: { sub: p.B2.id, cnf: { jwk: { kty: 'oct', k: 'c2VjcmV0' } } } })],
    ['an unsupported curve in may_act.cnf.jwk', (c) => ({ ...c, may_act: { sub: p.B2.id, cnf: { jwk: { ...p.B2.publicJwk, crv: 'X25519' } } } })],
    ['a 1024-bit RSA key in may_act.cnf.jwk', (c) => ({ ...c, may_act: { sub: p.B2.id, cnf: { jwk: { kty: 'RSA', n: rsa1024.n, e: rsa1024.e } } } })],
    ['a scope with a double space', (c) => ({ ...c, scope: 'read  write' })],
    ['a scope with a leading space', (c) => ({ ...c, scope: ' read' })],
    ['a scope with a trailing space', (c) => ({ ...c, scope: 'read ' })],
    ['an empty scope', (c) => ({ ...c, scope: '' })],
    ['a scope with a double quote', (c) => ({ ...c, scope: 'read"' })],
    ['a scope with a backslash', (c) => ({ ...c, scope: 'read\\' })],
    ['a scope with a non-ASCII character', (c) => ({ ...c, scope: 'lecture\u00e9' })],
    ['a scope as an array', (c) => ({ ...c, scope: ['read'] })],
    ['a negative depth', (c) => ({ ...c, depth: -1 })],
    ['a depth as a string', (c) => ({ ...c, depth: '0' })],
    ['an iat as a string', (c) => ({ ...c, iat: String(c.iat) })],
    ['a negative exp', (c) => ({ ...c, exp: -1 })],
    ['a prev that is not a SHA-256 hash', (c) => ({ ...c, prev: 'abc' })],
  ];
  for (const [name, edit] of cases) {
    test(name, async () => {
      await rejectsWith(verifyStandard(p, link1Claims(edit)), 'claims_invalid', 1);
    });
  }

  test('control: an optional nbf equal to iat and extra public JWK members are fine', async () => {
    const chain = link1Claims((c) => ({ ...c, nbf: c.iat, may_act: { sub: p.B2.id, cnf: { jwk: { ...p.B2.publicJwk, use: 'sig', kid: 'b2' } } } }));
    const result = await verifyStandard(p, chain);
    assert.equal(result.links[1]?.claims.nbf, LINK_IATS[1]);
  });
});

describe('inverted validity window (claims_invalid, checked with the time rules)', () => {
  const iat = LINK_IATS[1];
  const cases: [string, Edit][] = [
    ['exp before iat', (c) => ({ ...c, exp: iat - 1 })],
    ['exp equal to iat (empty window)', (c) => ({ ...c, exp: iat })],
    ['exp equal to nbf (empty window)', (c) => ({ ...c, nbf: iat + 10, exp: iat + 10 })],
    ['nbf before iat', (c) => ({ ...c, nbf: iat - 1 })],
  ];
  for (const [name, edit] of cases) {
    test(name, async () => {
      await rejectsWith(verifyStandard(p, link1Claims(edit)), 'claims_invalid', 1);
    });
  }

  test('minted with the library (the minter does not check the window) and refused on the root', async () => {
    const chain = await buildChain(p, { length: 1, input: (_, input) => ({ ...input, exp: input.iat ?? 0 }) });
    await rejectsWith(verifyStandard(p, chain), 'claims_invalid', 0);
  });
});
