/**
 * The link codec's shortcuts (issue #27): a link keeps its Sig_structure as the pieces it is joined
 * from where the signature is checked, and protected headers already read are kept by their bytes.
 * Each test fails if its shortcut gives a link anything its own bytes, read in full, would not.
 */
import { test } from 'node:test';
import type { webcrypto } from 'node:crypto';
import { fromWebCryptoKey } from '#runtime';
import type { PublicJwk } from '../../lib/model/types.js';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS } from '../../lib/model/limits.js';
import { coseCodec } from '../../lib/codecs/cose/codec.js';
import { encodeDeterministic, type CborValue } from '../../lib/codecs/cose/cbor.js';
import { encodeClaims } from '../../lib/codecs/cose/claims.js';
import { decodeSign1, sigStructure } from '../../lib/codecs/cose/sign1.js';
import { chainOf, expectCode, keysFor, sampleClaims, signRaw, toHex } from './support.js';



/** What a link's signature covers, read afresh from its bytes by the public reader. */
function ownSigStructure(link: Uint8Array): string {
  return toHex(sigStructure(decodeSign1(link, 'link', DEFAULT_LIMITS)));
}

/** The pieces a decoded link keeps of what its signature covers, joined. */
function toBeSigned(link: ReturnType<typeof coseCodec.decodeLink>): Uint8Array {
  return Buffer.concat((link.signed as { toBeSigned: readonly Uint8Array[] }).toBeSigned);
}

test("a parsed chain's links each get their own Sig_structure, also when the chain is decoded again", async () => {
  const { verificationKey } = await keysFor('EdDSA');
  const chain = coseCodec.parseChain(coseCodec.serializeChain(await chainOf(5, 'root')), DEFAULT_LIMITS);
  const received = chain.links.map(toHex);
  const expected = chain.links.map(ownSigStructure);
  const first = chain.links.map((bytes, index) => coseCodec.decodeLink(bytes, index, DEFAULT_LIMITS));
  // A second and third decoding of the same links.
  const again = chain.links.map((bytes, index) => coseCodec.decodeLink(bytes, index, DEFAULT_LIMITS));
  chain.links.map((bytes, index) => coseCodec.decodeLink(bytes, index, DEFAULT_LIMITS));
  for (const [index, link] of [...first, ...again].entries()) {
    assert.equal(toHex(toBeSigned(link)), expected[index % chain.links.length], `decoding ${index}`);
    assert.equal(await coseCodec.verifySignature(link, verificationKey), true, `decoding ${index}`);
  }
  // Checked out of order, each against its own and its neighbour's key (one buffer joins them all on Node).
  const otherPair = (await globalThis.crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const otherKey = { jwk: (await globalThis.crypto.subtle.exportKey('jwk', otherPair.publicKey)) as PublicJwk, key: fromWebCryptoKey(otherPair.publicKey) };
  for (const index of [4, 0, 3, 1, 2, 4, 0]) {
    const link = first[index] as (typeof first)[number];
    assert.equal(await coseCodec.verifySignature(link, verificationKey), true, `check ${index}`);
    assert.equal(await coseCodec.verifySignature(link, otherKey), false, `check ${index}, another key`);
  }
  // The links' own bytes are untouched by what was written beside them.
  assert.deepEqual(chain.links.map(toHex), received);
});

const TYP = [16, 'tmb-link+cwt'] as const;

function protectedOf(entries: [number, CborValue][]): Uint8Array {
  return encodeDeterministic(new Map<number, CborValue>(entries));
}

test('a kept protected header is given only to a link with the same bytes: another kid is read as itself', async () => {
  const payload = encodeClaims(sampleClaims());
  const kidA = await signRaw({ alg: 'EdDSA', protectedBytes: protectedOf([[1, -8], [4, new TextEncoder().encode('key-a')], [...TYP]]), payload });
  const kidB = await signRaw({ alg: 'EdDSA', protectedBytes: protectedOf([[1, -8], [4, new TextEncoder().encode('key-b')], [...TYP]]), payload });
  for (let round = 0; round < 2; round++) {
    assert.equal(coseCodec.decodeLink(kidA, 0, DEFAULT_LIMITS).header.kid, 'key-a');
    assert.equal(coseCodec.decodeLink(kidB, 0, DEFAULT_LIMITS).header.kid, 'key-b');
  }
});

test('a kept protected header is not given to a link with unprotected parameters (they are read with it)', async () => {
  const payload = encodeClaims(sampleClaims());
  const protectedBytes = protectedOf([[1, -8], [...TYP]]);
  const plain = await signRaw({ alg: 'EdDSA', protectedBytes, payload });
  assert.equal(coseCodec.decodeLink(plain, 0, DEFAULT_LIMITS).header.typ, 'tmb-link+cwt');
  // The same protected bytes, then kid unprotected (allowed), then typ unprotected too (refused).
  const unprotectedKid = await signRaw({ alg: 'EdDSA', protectedBytes, payload, unprotected: new Map([[4, new TextEncoder().encode('loose')]]) });
  assert.equal(coseCodec.decodeLink(unprotectedKid, 0, DEFAULT_LIMITS).header.kid, 'loose');
  const algOnly = protectedOf([[1, -8]]);
  assert.ok(coseCodec.decodeLink(await signRaw({ alg: 'EdDSA', protectedBytes: algOnly, payload }), 0, DEFAULT_LIMITS));
  const unprotectedTyp = await signRaw({ alg: 'EdDSA', protectedBytes: algOnly, payload, unprotected: new Map<number, CborValue>([[...TYP]]) });
  expectCode(() => coseCodec.decodeLink(unprotectedTyp, 0, DEFAULT_LIMITS), 'cose_header_invalid');
});

test("each link's header is its own: changing one link's keyParameters changes no other link's", async () => {
  const chain = await chainOf(3, 'root');
  const first = coseCodec.decodeLink(chain.links[1] as Uint8Array, 1, DEFAULT_LIMITS);
  first.header.keyParameters.push('changed');
  const second = coseCodec.decodeLink(chain.links[2] as Uint8Array, 2, DEFAULT_LIMITS);
  assert.deepEqual(second.header.keyParameters, []);
  assert.notEqual(first.header, second.header);
});

test('a protected header that nests is read under every link\'s own limits (never kept)', async () => {
  // An unknown label whose value nests two deep: readable with maxNesting 8, refused with 1.
  const protectedBytes = protectedOf([[1, -8], [...TYP], [99, [1, [2]]]]);
  const link = await signRaw({ alg: 'EdDSA', protectedBytes, payload: encodeClaims({ iss: 'https://flat.example' }) });
  assert.ok(coseCodec.decodeLink(link, 0, DEFAULT_LIMITS));
  expectCode(() => coseCodec.decodeLink(link, 0, { ...DEFAULT_LIMITS, maxNesting: 1 }), 'cbor_too_deep');
});

test('a protected x5chain is read for every link: its certificates, counted against its own limits (never kept)', async () => {
  const payload = encodeClaims(sampleClaims());
  const one = await signRaw({ alg: 'EdDSA', protectedBytes: protectedOf([[1, -8], [...TYP], [33, new Uint8Array([1, 2, 3])]]), payload });
  for (let round = 0; round < 2; round++) assert.deepEqual(coseCodec.decodeLink(one, 0, DEFAULT_LIMITS).header.x5c, [new Uint8Array([1, 2, 3])]);
  const certificates = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5, 6])];
  const two = await signRaw({ alg: 'EdDSA', protectedBytes: protectedOf([[1, -8], [...TYP], [33, certificates]]), payload });
  assert.equal(coseCodec.decodeLink(two, 0, DEFAULT_LIMITS).header.x5c?.length, 2);
  expectCode(() => coseCodec.decodeLink(two, 0, { ...DEFAULT_LIMITS, maxCertificates: 1 }), 'x5c_too_many');
});
