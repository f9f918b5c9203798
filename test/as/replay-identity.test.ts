/**
 * Replay identity over what the signatures cover (SPEC-NOTES.md §4.4, §8.5): copies of a chain that
 * a third party can make without any signer (an ECDSA signature (r, n − s), an edited COSE
 * unprotected header) verify, and are the same redemption for both replay entries. And only `true`
 * from a store is a first use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { delegate, startChain, type Chain } from '../../lib/index.js';
import { processDeferredBindingRequest } from '../../lib/as/index.js';
import { MemoryReplayStore } from '../../lib/as/index.js';
import { chainReplayKey, redemptionKeys } from '../../lib/replay/keys.js';
import { readHead } from '../../lib/codecs/cose/cbor.js';
import { normalizeHtu } from '../../lib/dpop/proof.js';
import type { ReplayStore } from '../../lib/ports.js';
import { AUTHORITY, grantParams, ISSUER, world } from './fixtures.js';
import { ALL_PARTS } from '../helpers/parts.js';

const W = await world();
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const client = { id: 'client-b2', jkt: W.B2.jkt };
const context = { audience: ISSUER, requester: client };

/** The last JWT link with its ES256 signature's s replaced by n − s: another valid signature. */
function highLowS(chain: Chain): Chain {
  const last = Buffer.from(chain.links[chain.links.length - 1] as Uint8Array).toString('latin1');
  const at = last.lastIndexOf('.');
  const signature = Buffer.from(last.slice(at + 1), 'base64url');
  assert.equal(signature.length, 64);
  const s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
  const flipped = Buffer.concat([signature.subarray(0, 32), Buffer.from((P256_ORDER - s).toString(16).padStart(64, '0'), 'hex')]);
  const link = new TextEncoder().encode(`${last.slice(0, at)}.${flipped.toString('base64url')}`);
  return { format: chain.format, links: [...chain.links.slice(0, -1), link] };
}

/** The last CWT link with an unprotected header {99: 1} instead of the empty map (not signed). */
function withUnprotectedLabel(chain: Chain): Chain {
  const last = chain.links[chain.links.length - 1] as Uint8Array;
  assert.equal(last[0], 0xd2); // tag 18
  assert.equal(last[1], 0x84); // array of 4
  const protectedHead = readHead(last, 2);
  const unprotectedAt = protectedHead.next + protectedHead.value;
  assert.equal(last[unprotectedAt], 0xa0);
  const link = Uint8Array.from([...last.subarray(0, unprotectedAt), 0xa1, 0x18, 0x63, 0x01, ...last.subarray(unprotectedAt + 1)]);
  return { format: chain.format, links: [...chain.links.slice(0, -1), link] };
}

async function cwtChainToB2(): Promise<Chain> {
  const root = await startChain(
    { iss: AUTHORITY, sub: 'user-42', aud: ISSUER, scope: 'read write', tmb: { jwk: W.C.publicJwk }, delegate: { sub: 'client-b', cnf: { jwk: W.B.publicJwk } }, depth: 1 },
    { privateKey: W.A.privateJwk, alg: 'EdDSA' },
    { ...ALL_PARTS, format: 'cwt' },
  );
  return delegate(root, { delegate: { sub: 'client-b2', cnf: { jwk: W.B2.publicJwk } }, scope: 'read' }, { privateKey: W.B.privateJwk, alg: 'ES256' }, ALL_PARTS);
}

for (const [name, make, malleate] of [
  ['an ECDSA signature (r, n − s)', () => W.chainToB2('read'), highLowS],
  ['a COSE unprotected header', cwtChainToB2, withUnprotectedLabel],
] as const) {
  test(`a copy with ${name} verifies, has the same replay entries, and is refused once the original is redeemed`, async () => {
    const original = await make();
    const copy = malleate(original);
    assert.notDeepEqual(copy.links.at(-1), original.links.at(-1));
    const verifiedOriginal = await W.verifier.verify(original, context);
    const verifiedCopy = await W.verifier.verify(copy, context);
    assert.equal(await chainReplayKey(copy, undefined, ALL_PARTS.codecs), await chainReplayKey(original, undefined, ALL_PARTS.codecs));
    assert.deepEqual(await redemptionKeys(copy, verifiedCopy, 'every-link', 30, ALL_PARTS.codecs), await redemptionKeys(original, verifiedOriginal, 'every-link', 30, ALL_PARTS.codecs));

    // Each entry alone refuses the copy: a store that knows only the chain entry, or only the link entry.
    for (const prefix of ['chain:', 'jti:']) {
      const seen = new Set<string>();
      const store: ReplayStore = {
        async consume(key: string) {
          if (!key.startsWith(prefix)) return true;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        },
      } as ReplayStore;
      const request = { client, issuer: ISSUER, verifier: W.verifier, replayStore: store };
      assert.equal((await processDeferredBindingRequest(grantParams(original, { jwk: W.C.publicJwk }), request)).ok, true, prefix);
      const replay = await processDeferredBindingRequest(grantParams(copy, { jwk: W.C.publicJwk }), request);
      assert.equal(replay.ok, false, prefix);
      assert.equal(replay.ok ? undefined : replay.code, 'replayed', prefix);
    }
  });
}

test('only `true` from a replay store is a first use: a store answering "no" lets nothing through', async () => {
  const store = { consume: async () => 'no' as unknown as boolean } as unknown as ReplayStore;
  const outcome = await processDeferredBindingRequest(grantParams(await W.chainToB2('read'), { jwk: W.C.publicJwk }), { client, issuer: ISSUER, verifier: W.verifier, replayStore: store });
  assert.equal(outcome.ok ? undefined : outcome.code, 'replayed');
  const ok = await processDeferredBindingRequest(grantParams(await W.chainToB2('read'), { jwk: W.C.publicJwk }), { client, issuer: ISSUER, verifier: W.verifier, replayStore: new MemoryReplayStore() });
  assert.equal(ok.ok, true);
});

test('a DPoP htu with userinfo never matches the request URI', () => {
  assert.equal(normalizeHtu('https://rs.example/r'), 'https://rs.example/r');
  for (const uri of ['https://x@rs.example/r', 'https://x:y@rs.example/r', 'https://@rs.example/r']) assert.equal(normalizeHtu(uri), undefined, uri);
});

test('a verifier that returns a chain without links consumes nothing and issues nothing: a redemption needs the last link\'s entry', async () => {
  const consumed: string[] = [];
  const store = { consume: async (key: string) => { consumed.push(key); return true; } } as unknown as ReplayStore;
  const verifier = { ...W.verifier, verify: async (...args: Parameters<typeof W.verifier.verify>) => ({ ...(await W.verifier.verify(...args)), links: [] }) };
  const outcome = await processDeferredBindingRequest(grantParams(await W.chainToB2('read'), { jwk: W.C.publicJwk }), { client, issuer: ISSUER, verifier, replayStore: store });
  assert.equal(outcome.ok ? undefined : outcome.code, 'invalid_argument');
  // Refused where the entries are derived (step 11), not later by whatever else needs a link.
  assert.equal(outcome.ok ? undefined : outcome.step, '11');
  assert.deepEqual(consumed, []);
});
