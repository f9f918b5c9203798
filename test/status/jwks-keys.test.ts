/**
 * Keys published at a `jwksUri` get the one key check (SPEC-NOTES.md §3.3, §5): a key that fails it
 * (private members, e = 1, an `alg` that does not fit) is ignored, so a chain naming its `kid` is
 * untrusted (untrusted_root, 400, the code an unknown key gets), never jwks_unavailable (500): the
 * set was fetched; it just holds no usable key for the link. The fetch is injected (no network).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier, type PublicJwk, type TrustConfig } from '../../lib/index.js';
import { buildChain, contextFor, makeParties, rejectsWith } from '../helpers/fixtures.js';
import { ALL_PARTS } from '../helpers/parts.js';
import { RemoteKeySet } from '../../lib/status/index.js';

const p = await makeParties();
const URI = 'https://issuer.example/jwks.json';

function verifierServing(keys: unknown[]) {
  const trust: TrustConfig = { roots: [{ type: 'issuer', iss: p.A.id, jwksUri: URI }] };
  const fetch = async (url: string) => (url === URI ? new Response(JSON.stringify({ keys }), { status: 200, headers: { 'content-type': 'application/json' } }) : new Response('', { status: 404 }));
  return createVerifier(trust, { ...ALL_PARTS, fetch });
}

test('a published key with private members is ignored: the chain naming its kid is untrusted_root, not jwks_unavailable', async () => {
  const verifier = await verifierServing([{ ...p.A.privateJwk, kid: 'a1' }, p.A2.publicJwk]);
  await rejectsWith(verifier.verify(await buildChain(p), contextFor(p, 2)), 'untrusted_root', 0);
});

test('a published key whose alg does not fit it, or with e = 1, is ignored; the acceptable keys of the set still verify', async () => {
  const verifier = await verifierServing([{ ...p.A.publicJwk, alg: 'ES256' }, { kty: 'RSA', kid: 'r', n: 'sXch'.repeat(86), e: 'AQ' } satisfies PublicJwk, p.A2.publicJwk]);
  await rejectsWith(verifier.verify(await buildChain(p), contextFor(p, 2)), 'untrusted_root', 0);
  await verifier.verify(await buildChain(p, { signer: (i, s) => (i === 0 ? p.A2.signer : s) }), contextFor(p, 2));
});

test('a RemoteKeySet bound that is no positive integer is refused (invalid_argument); an undefined one keeps its default, which still bounds the body', async () => {
  for (const name of ['maxBytes', 'timeoutMs', 'cooldownMs', 'cacheMaxAgeMs'] as const) {
    for (const value of [Number.NaN, 0, -1, 1.5, Infinity, '10']) {
      assert.throws(() => new RemoteKeySet(URI, { [name]: value } as object), (error: { code?: string }) => error.code === 'invalid_argument', `${name} ${String(value)}`);
    }
  }
  // 70 000 bytes of JSON: over the 65 536-byte default, which an undefined maxBytes keeps.
  const big = JSON.stringify({ keys: [], pad: 'x'.repeat(70_000) });
  const set = new RemoteKeySet(URI, { maxBytes: undefined, fetch: async () => new Response(big, { status: 200, headers: { 'content-type': 'application/json' } }) } as object);
  await assert.rejects(set.keys({ alg: 'ES256', kid: 'k' }), (error: { code?: string }) => error.code === 'jwks_unavailable');
});
