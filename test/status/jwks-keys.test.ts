/**
 * Keys published at a `jwksUri` get the one key check (SPEC-NOTES.md §3.3, §5): a key that fails it
 * (private members, e = 1, an `alg` that does not fit) is ignored, so a chain naming its `kid` is
 * untrusted (untrusted_root, 400, the code an unknown key gets), never jwks_unavailable (500): the
 * set was fetched; it just holds no usable key for the link. The fetch is injected (no network).
 */
import { test } from 'node:test';
import { createVerifier, type PublicJwk, type TrustConfig } from '../../lib/index.js';
import { buildChain, contextFor, makeParties, rejectsWith } from '../helpers/fixtures.js';
import { ALL_PARTS } from '../helpers/parts.js';

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
