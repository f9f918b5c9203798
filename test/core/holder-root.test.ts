/**
 * Step 6 for key-holder roots: the identifier link 0 claims must be bound to the key that signs it.
 * Without that binding anyone could sign link 0 with a key of their own, name it as `tmb`, and
 * claim a listed identifier: the AS would issue tokens about that identifier to the impostor's key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTrust, JWK_THUMBPRINT_URI_PREFIX, startChain, TransitiveProofError, verifyChain, type LinkInput, type TrustConfig } from '../../lib/index.js';
import { AUDIENCE, makeParties, makeParty, NOW, NOW_S, rejectsWith, type Party } from '../helpers/fixtures.js';

const p = await makeParties();

function holderLink(holder: Party, iss: string): LinkInput {
  return {
    iss, sub: iss, aud: AUDIENCE, scope: 'read', tmb: holder.cnf, iat: NOW_S - 10, exp: NOW_S + 300,
    delegate: { sub: p.B.id, cnf: p.B.cnf },
  };
}

function verify(chainOf: Awaited<ReturnType<typeof startChain>>, trust: TrustConfig) {
  return verifyChain(chainOf, trust, { audience: AUDIENCE, requester: { id: p.B.id, jkt: p.B.jkt }, now: NOW });
}

const listedC: TrustConfig = { roots: [{ type: 'holder', holders: [{ iss: p.C.id, jkt: p.C.jkt }] }] };

test('a listed holder signing with its registered key verifies', async () => {
  const result = await verify(await startChain(holderLink(p.C, p.C.id), p.C.signer), listedC);
  assert.equal(result.root.kind, 'holder');
  assert.equal(result.sub, p.C.id);
});

test('an impostor claiming a listed holder identifier with its own key is untrusted_root', async () => {
  // M signs with M's key and names M's key as tmb: a valid proof of possession, but not of C's key.
  await rejectsWith(verify(await startChain(holderLink(p.M, p.C.id), p.M.signer), listedC), 'untrusted_root', 0);
});

test('thumbprintIssuers: a key holder named by its own RFC 9278 thumbprint URI verifies', async () => {
  const trust: TrustConfig = { roots: [{ type: 'holder', thumbprintIssuers: true }] };
  const iss = `${JWK_THUMBPRINT_URI_PREFIX}${p.M.jkt}`;
  const result = await verify(await startChain(holderLink(p.M, iss), p.M.signer), trust);
  assert.equal(result.sub, iss);
});

test('thumbprintIssuers: a thumbprint URI of another key is untrusted_root', async () => {
  const trust: TrustConfig = { roots: [{ type: 'holder', thumbprintIssuers: true }] };
  await rejectsWith(verify(await startChain(holderLink(p.M, `${JWK_THUMBPRINT_URI_PREFIX}${p.C.jkt}`), p.M.signer), trust), 'untrusted_root', 0);
});

test('without thumbprintIssuers a thumbprint URI is not accepted', async () => {
  const iss = `${JWK_THUMBPRINT_URI_PREFIX}${p.C.jkt}`;
  await rejectsWith(verify(await startChain(holderLink(p.C, iss), p.C.signer), listedC), 'untrusted_root', 0);
});

test('a holder root must say how identifiers are bound to keys', async () => {
  const other = await makeParty('https://other.example');
  for (const root of [{ type: 'holder' }, { type: 'holder', thumbprintIssuers: false }, { type: 'holder', issuers: [other.id] }, { type: 'holder', holders: [{ iss: other.id }] }]) {
    await assert.rejects(compileTrust({ roots: [root] } as unknown as TrustConfig), (error: unknown) => error instanceof TransitiveProofError && error.code === 'invalid_argument');
  }
});
