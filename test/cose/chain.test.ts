/**
 * CWT chains through the library's public API (mint, parse, verify): the codec registered for
 * 'cwt', the same claims as the JWT encoding for the same input, and the rules applied unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../lib/codecs/cose/index.js';
import { chainToJson, decodeChain, mintLink, serializeChain, verifyChain, type Chain, type LinkFormat } from '../../lib/index.js';
import { contextFor, makeParties, NOW, rejectsWith, signerOf, standardInput, trustFor, type Parties, type RootKind } from '../helpers/fixtures.js';
import { coseCodec } from '../../lib/codecs/cose/codec.js';
import { decodeSign1, signSign1 } from '../../lib/codecs/cose/sign1.js';
import { encodeClaims } from '../../lib/codecs/cose/claims.js';
import { DEFAULT_LIMITS } from '../../lib/model/limits.js';
import type { PrivateJwk } from '../../lib/model/types.js';
import { importSigningKey } from '../../lib/keys/keys.js';
import { ALL_PARTS } from '../helpers/parts.js';

const p: Parties = await makeParties();

async function build(format: LinkFormat, root: RootKind, length: number): Promise<Chain> {
  const links: Uint8Array[] = [];
  for (let index = 0; index < length; index++) {
    const previous = links[index - 1];
    links.push(await mintLink(standardInput(p, root, index, length), signerOf(p, root, index).signer, { ...ALL_PARTS, now: NOW, format, ...(previous === undefined ? {} : { previous }) }));
  }
  return { format, links };
}

for (const root of ['issuer', 'holder'] as const) {
  for (const length of [1, 2, 3]) {
    test(`a ${length}-link CWT chain (${root} root) verifies in compact and JSON form`, async () => {
      const chain = await build('cwt', root, length);
      const compact = await verifyChain(serializeChain(chain, ALL_PARTS), trustFor(p, root), contextFor(p, length), ALL_PARTS);
      const json = await verifyChain(JSON.stringify(chainToJson(chain, ALL_PARTS)), trustFor(p, root), contextFor(p, length), ALL_PARTS);
      assert.equal(compact.format, 'cwt');
      assert.deepEqual(json.act, compact.act);
      assert.equal(compact.links.length, length);
    });
  }
}

test('the decoded claims are identical to the JWT encoding of the same input', async () => {
  const cwt = decodeChain(await build('cwt', 'issuer', 3), ALL_PARTS);
  const jwt = decodeChain(await build('jwt', 'issuer', 3), ALL_PARTS);
  for (let i = 0; i < 3; i++) {
    const { prev: cwtPrev, ...cwtRest } = (cwt[i] as (typeof cwt)[number]).claims;
    const { prev: jwtPrev, ...jwtRest } = (jwt[i] as (typeof jwt)[number]).claims;
    assert.deepStrictEqual(cwtRest, jwtRest);
    // prev hashes different bytes, but has the same form.
    assert.equal(typeof cwtPrev, typeof jwtPrev);
    if (cwtPrev !== undefined) assert.match(cwtPrev as string, /^[A-Za-z0-9_-]{43}$/);
  }
});

/** Re-sign link `index` of a CWT chain with a changed protected header, keeping the same signer. */
async function resignWithHeader(chain: Chain, index: number, extra: Map<number, string>): Promise<Chain> {
  const message = decodeSign1(chain.links[index] as Uint8Array, 'link', DEFAULT_LIMITS);
  const signer = signerOf(p, 'issuer', index).signer;
  const protectedHeader = new Map(message.protectedHeader);
  protectedHeader.delete(1);
  for (const [label, value] of extra) protectedHeader.set(label, value);
  const key = await importSigningKey(signer.privateKey as PrivateJwk, signer.alg);
  const link = await signSign1({ alg: signer.alg, protectedHeader, payload: message.payload, key });
  return { format: 'cwt', links: chain.links.map((bytes, i) => (i === index ? link : bytes)) };
}

test('the rules apply unchanged: wrong typ, key-bearing header, broken hash, bad signature', async () => {
  const chain = await build('cwt', 'issuer', 2);
  const verify = (c: Chain): Promise<unknown> => verifyChain(serializeChain(c, ALL_PARTS), trustFor(p, 'issuer'), contextFor(p, 2), ALL_PARTS);

  await rejectsWith(verify(await resignWithHeader(chain, 0, new Map([[16, 'tmb-link+jwt']]))), 'typ_invalid', 0);
  await rejectsWith(verify(await resignWithHeader(chain, 1, new Map([[35, 'https://keys.example/x']]))), 'header_forbidden', 1);
  // Link 0 re-signed validly but differently: link 1's prev no longer matches it.
  await rejectsWith(verify(await resignWithHeader(chain, 0, new Map([[3, 'application/cwt']]))), 'chain_broken', 1);

  const last = (chain.links[1] as Uint8Array).slice();
  last[last.length - 1] = (last[last.length - 1] as number) ^ 0x55;
  await rejectsWith(verify({ format: 'cwt', links: [chain.links[0] as Uint8Array, last] }), 'link_signature_invalid', 1);
});

test('CBOR profile errors surface through verifyChain with the link index', async () => {
  const chain = await build('cwt', 'issuer', 2);
  const payload = encodeClaims({ ...decodeChain(chain, ALL_PARTS)[1]?.claims });
  // Duplicate a claim key inside the payload of link 1: map count + 1, then iss (1) again.
  const doubled = new Uint8Array([payload[0] as number + 1, ...payload.subarray(1), 0x01, 0x61, 0x78]);
  const signer = signerOf(p, 'issuer', 1).signer;
  const forged = await signSign1({ alg: signer.alg, protectedHeader: new Map([[16, 'tmb-link+cwt']]), payload: doubled, key: await importSigningKey(signer.privateKey as PrivateJwk, signer.alg) });
  await rejectsWith(
    verifyChain(coseCodec.serializeChain({ format: 'cwt', links: [chain.links[0] as Uint8Array, forged] }), trustFor(p, 'issuer'), contextFor(p, 2), ALL_PARTS),
    'cbor_duplicate_key',
    1,
  );
});
