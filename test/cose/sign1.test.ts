import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { exportJWK } from 'jose';
import { KeyImportCache } from '../../lib/keys/keys.js';
import { CoseError, TransitiveProofError } from '../../lib/errors.js';
import { DEFAULT_LIMITS } from '../../lib/model/limits.js';
import { SIGNATURE_ALGORITHMS } from '../../lib/runtime/algorithms.js';
import { coseCodec, COSE_LINK_TYP } from '../../lib/codecs/cose/codec.js';
import { decodeSign1, verifySign1 } from '../../lib/codecs/cose/sign1.js';
import { encodeDeterministic, type CborMap, type CborValue } from '../../lib/codecs/cose/cbor.js';
import { encodeClaims } from '../../lib/codecs/cose/claims.js';
import { hex, keysFor, sampleClaims, signRaw, toHex } from './support.js';

const TYP = toHex(new TextEncoder().encode(COSE_LINK_TYP)); // 12 bytes
const PROTECTED = `a2 01 26 10 6c ${TYP}`; // {1: -7 (ES256), 16: "tmb-link+cwt"}
const payload = (): Uint8Array => encodeClaims(sampleClaims());

async function expectCode(promiseOrFn: (() => unknown) | Promise<unknown>, code: string): Promise<void> {
  const check = (error: unknown): boolean => {
    assert.ok(error instanceof TransitiveProofError, `not a TransitiveProofError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  };
  if (typeof promiseOrFn === 'function') assert.throws(promiseOrFn as () => unknown, check);
  else await assert.rejects(promiseOrFn, check);
}

const decode = (bytes: Uint8Array) => (): unknown => coseCodec.decodeLink(bytes, 3, DEFAULT_LIMITS);

for (const alg of SIGNATURE_ALGORITHMS) {
  test(`sign/verify round trip: ${alg}`, async () => {
    const { privateKey, verificationKey } = await keysFor(alg);
    const bytes = await coseCodec.signLink({ claims: sampleClaims(), alg, privateKey, kid: 'key-1' });
    const link = coseCodec.decodeLink(bytes, 0, DEFAULT_LIMITS);
    assert.equal(link.header.alg, alg);
    assert.equal(link.header.typ, COSE_LINK_TYP);
    assert.equal(link.header.kid, 'key-1');
    assert.deepEqual(link.claims, sampleClaims());
    assert.equal(await coseCodec.verifySignature(link, verificationKey), true);

    const tampered = bytes.slice();
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    assert.equal(await coseCodec.verifySignature(coseCodec.decodeLink(tampered, 0, DEFAULT_LIMITS), verificationKey), false);

    const other = alg === 'PS256' ? await keysFor('ES256') : await keysFor('PS256');
    assert.equal(await coseCodec.verifySignature(link, other.verificationKey), false);

    // Keys imported the way the verifier imports them (lib/keys, through the runtime seam).
    assert.equal(await coseCodec.verifySignature(link, await new KeyImportCache().import(verificationKey.jwk, alg)), true);

    // Signing with a private JWK instead of a CryptoKey: its own alg, where it has one, must be the
    // link's (SPEC-NOTES §3.3, the one rule lib/keys applies to both encodings).
    const exported = { ...(await exportJWK(privateKey)), key_ops: ['sign'] };
    for (const privateJwk of [exported, { ...exported, alg }] as Parameters<typeof coseCodec.signLink>[0]['privateKey'][]) {
      const fromJwk = coseCodec.decodeLink(await coseCodec.signLink({ claims: sampleClaims(), alg, privateKey: privateJwk }), 0, DEFAULT_LIMITS);
      assert.equal(await coseCodec.verifySignature(fromJwk, verificationKey), true);
    }
    const otherAlg = alg === 'PS256' ? 'PS384' : alg === 'ES256' || alg === 'ESP256' ? 'ES384' : 'ES256'; // another operation, not another name of this one
    for (const named of ['ignored', otherAlg]) {
      await assert.rejects(
        coseCodec.signLink({ claims: sampleClaims(), alg, privateKey: { ...exported, alg: named } as Parameters<typeof coseCodec.signLink>[0]['privateKey'] }),
        (error: { code?: string }) => error.code === 'invalid_argument',
        `a private JWK that says ${named} does not sign ${alg}`,
      );
    }
  });
}

test('signLink refuses a key that does not fit the algorithm', async () => {
  const { privateKey } = await keysFor('ES384');
  await expectCode(coseCodec.signLink({ claims: sampleClaims(), alg: 'ES256', privateKey }), 'invalid_argument');
  await expectCode(coseCodec.signLink({ claims: sampleClaims(), alg: 'HS256' as 'ES256', privateKey }), 'invalid_argument');
});

test('link profile binds curves: an ES256 link does not verify with a P-384 key', async () => {
  const raw = await signRaw({ alg: 'ES384', protectedBytes: hex(PROTECTED), payload: payload() });
  const link = coseCodec.decodeLink(raw, 0, DEFAULT_LIMITS);
  assert.equal(link.header.alg, 'ES256');
  assert.equal(await coseCodec.verifySignature(link, (await keysFor('ES384')).verificationKey), false);
});

test('the tag is required for links: missing, COSE_Sign (98) and COSE_Mac0 (17) are rejected', async () => {
  await expectCode(decode(await signRaw({ protectedBytes: hex(PROTECTED), payload: payload(), tag: null })), 'cose_tag_invalid');
  await expectCode(decode(await signRaw({ protectedBytes: hex(PROTECTED), payload: payload(), tag: 98 })), 'cose_tag_invalid');
  await expectCode(decode(await signRaw({ protectedBytes: hex(PROTECTED), payload: payload(), tag: 17 })), 'cose_tag_invalid');
  // The interop profile accepts the untagged form, never another tag.
  const untagged = await signRaw({ protectedBytes: hex(PROTECTED), payload: payload(), tag: null });
  assert.equal(decodeSign1(untagged, 'interop', DEFAULT_LIMITS).tag, undefined);
  const sign = await signRaw({ protectedBytes: hex(PROTECTED), payload: payload(), tag: 98 });
  await expectCode(() => decodeSign1(sign, 'interop', DEFAULT_LIMITS), 'cose_tag_invalid');
});

test('errors carry the link index and keep their class', async () => {
  const bytes = await signRaw({ protectedBytes: hex(PROTECTED), payload: payload(), tag: null });
  assert.throws(decode(bytes), (error: unknown) => error instanceof CoseError && error.linkIndex === 3 && /^link 3: /.test(error.message));
});

test('alg must be protected in a link (accepted unprotected in the interop profile)', async () => {
  const raw = await signRaw({ protectedBytes: hex(`a1 10 6c ${TYP}`), payload: payload(), unprotected: new Map([[1, -7]]) });
  await expectCode(decode(raw), 'cose_header_invalid');
  const message = decodeSign1(raw, 'interop', DEFAULT_LIMITS);
  assert.equal(message.headers.alg, -7);
  assert.equal(await verifySign1(message, (await keysFor('ES256')).publicKey, { profile: 'interop' }), true);
});

test('alg: missing → reported absent (step 4.4 refuses it), text → cose_header_invalid, unknown label reported as text', async () => {
  const missing = coseCodec.decodeLink(await signRaw({ protectedBytes: hex(`a1 10 6c ${TYP}`), payload: payload() }), 0, DEFAULT_LIMITS);
  assert.equal(missing.header.alg, undefined);
  assert.equal(await coseCodec.verifySignature(missing, (await keysFor('ES256')).verificationKey), false);
  await expectCode(decode(await signRaw({ protectedBytes: hex(`a2 01 65 4553323536 10 6c ${TYP}`), payload: payload() })), 'cose_header_invalid');
  const unknown = coseCodec.decodeLink(await signRaw({ protectedBytes: hex(`a2 01 3903e6 10 6c ${TYP}`), payload: payload() }), 0, DEFAULT_LIMITS);
  assert.equal(unknown.header.alg, '-999');
  assert.equal(await coseCodec.verifySignature(unknown, (await keysFor('ES256')).verificationKey), false);
});

test('typ must be protected in a link', async () => {
  const raw = await signRaw({ protectedBytes: hex('a1 01 26'), payload: payload(), unprotected: new Map([[16, COSE_LINK_TYP]]) });
  await expectCode(decode(raw), 'cose_header_invalid');
});

test('kid is UTF-8 text in a link; plain COSE bytes are tolerated only in the interop profile', async () => {
  const raw = await signRaw({ protectedBytes: hex(PROTECTED), payload: payload(), unprotected: new Map([[4, hex('ff fe')]]) });
  await expectCode(decode(raw), 'cose_header_invalid');
  assert.equal(decodeSign1(raw, 'interop', DEFAULT_LIMITS).headers.kid, undefined);
  await expectCode(decode(await signRaw({ protectedBytes: hex(PROTECTED), payload: payload(), unprotected: new Map([[4, 'text-kid']]) })), 'cose_header_invalid');
});

test('a label in both buckets is rejected', async () => {
  const raw = await signRaw({ protectedBytes: hex(`a3 01 26 04 41 61 10 6c ${TYP}`), payload: payload(), unprotected: new Map([[4, hex('62')]]) });
  await expectCode(decode(raw), 'cose_header_invalid');
});

test('a text label in both buckets is named escaped in the message (a bidi override, a C1 control: never raw)', async () => {
  const raw = await signRaw({ protectedBytes: hex(`a3 01 26 10 6c ${TYP} 65 e280ae c285 00`), payload: payload(), unprotected: new Map([['\u202e\u0085', 0]]) });
  assert.throws(decode(raw), (error: unknown) => {
    assert.ok(error instanceof TransitiveProofError && error.code === 'cose_header_invalid', String(error));
    assert.match(error.message, /"\\u202e\\u0085" is in both/);
    assert.doesNotMatch(error.message, /[\u0000-\u001f\u0085\u202e]/);
    return true;
  });
});

test('crit: unknown label → crit_unsupported; unprotected, empty or naming an absent label → cose_header_invalid', async () => {
  await expectCode(decode(await signRaw({ protectedBytes: hex(`a4 01 26 02 81 1903e7 1903e7 00 10 6c ${TYP}`), payload: payload() })), 'crit_unsupported');
  await expectCode(decode(await signRaw({ protectedBytes: hex(`a4 01 26 02 81 63 657874 10 6c ${TYP} 63 657874 00`), payload: payload() })), 'crit_unsupported');
  await expectCode(decode(await signRaw({ protectedBytes: hex(`a2 01 26 10 6c ${TYP}`), payload: payload(), unprotected: new Map([[2, [4]]]) })), 'cose_header_invalid');
  await expectCode(decode(await signRaw({ protectedBytes: hex(`a3 01 26 02 80 10 6c ${TYP}`), payload: payload() })), 'cose_header_invalid');
  await expectCode(decode(await signRaw({ protectedBytes: hex(`a3 01 26 02 81 04 10 6c ${TYP}`), payload: payload() })), 'cose_header_invalid');
  const known = coseCodec.decodeLink(await signRaw({ protectedBytes: hex(`a3 01 26 02 82 01 10 10 6c ${TYP}`), payload: payload() }), 0, DEFAULT_LIMITS);
  assert.deepEqual(known.header.crit, ['alg', 'typ']);
});

test('x5chain: the leaf must be protected, directly or through a protected SHA-256 x5t', async () => {
  const leaf = new Uint8Array(Buffer.from('fake DER leaf certificate'));
  const issuer = new Uint8Array(Buffer.from('fake DER issuer certificate'));
  const digest = new Uint8Array(createHash('sha256').update(leaf).digest());
  const protectedWith = (extra: [number, CborValue][]): Uint8Array =>
    encodeDeterministic(new Map<number, CborValue>([[1, -7], [16, COSE_LINK_TYP], ...extra]));

  await expectCode(decode(await signRaw({ protectedBytes: hex(PROTECTED), payload: payload(), unprotected: new Map([[33, leaf]]) })), 'cose_header_invalid');
  // x5t in the unprotected bucket protects nothing.
  await expectCode(decode(await signRaw({ protectedBytes: hex(PROTECTED), payload: payload(), unprotected: new Map<number, CborValue>([[33, leaf], [34, [-16, digest]]]) })), 'cose_header_invalid');
  // A protected x5t that does not match the leaf, or uses another hash.
  await expectCode(decode(await signRaw({ protectedBytes: protectedWith([[34, [-16, new Uint8Array(32)]]]), payload: payload(), unprotected: new Map([[33, leaf]]) })), 'cose_header_invalid');
  await expectCode(decode(await signRaw({ protectedBytes: protectedWith([[34, [-14, digest]]]), payload: payload(), unprotected: new Map([[33, leaf]]) })), 'cose_header_invalid');

  const bound = coseCodec.decodeLink(await signRaw({ protectedBytes: protectedWith([[34, [-16, digest]]]), payload: payload(), unprotected: new Map<number, CborValue>([[33, [leaf, issuer]]]) }), 0, DEFAULT_LIMITS);
  assert.deepEqual(bound.header.x5c, [leaf, issuer]);
  const direct = coseCodec.decodeLink(await signRaw({ protectedBytes: protectedWith([[33, leaf]]), payload: payload() }), 0, DEFAULT_LIMITS);
  assert.deepEqual(direct.header.x5c, [leaf]);
  // COSE_X509 is bstr / [2* bstr]; more than maxCertificates is refused.
  await expectCode(decode(await signRaw({ protectedBytes: protectedWith([[33, [leaf]]]), payload: payload() })), 'x5c_malformed');
  await expectCode(decode(await signRaw({ protectedBytes: protectedWith([[33, new Array<CborValue>(5).fill(leaf)]]), payload: payload() })), 'x5c_too_many');
  // Both over maxCertificates and holding a non-bstr item: counted first, as for a JWT x5c (§7.2 rule 1).
  await expectCode(decode(await signRaw({ protectedBytes: protectedWith([[33, [...new Array<CborValue>(4).fill(leaf), 'not a certificate']]]), payload: payload() })), 'x5c_too_many');
});

test('signLink puts x5chain in the protected header (bstr for one certificate, array for several)', async () => {
  const { privateKey } = await keysFor('ES256');
  const one = [new Uint8Array([1, 2, 3])];
  const two = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])];
  const a = decodeSign1(await coseCodec.signLink({ claims: sampleClaims(), alg: 'ES256', privateKey, x5c: one }), 'link', DEFAULT_LIMITS);
  assert.deepEqual(a.protectedHeader.get(33), one[0]);
  const b = coseCodec.decodeLink(await coseCodec.signLink({ claims: sampleClaims(), alg: 'ES256', privateKey, x5c: two }), 0, DEFAULT_LIMITS);
  assert.deepEqual(b.header.x5c, two);
});

test('key-bearing headers are reported in keyParameters', async () => {
  const unprotected: CborMap = new Map<number, CborValue>([[35, 'https://attacker.example/cert'], [32, new Uint8Array([1])], [13, new Uint8Array([2])]]);
  const link = coseCodec.decodeLink(await signRaw({ protectedBytes: hex(PROTECTED), payload: payload(), unprotected }), 0, DEFAULT_LIMITS);
  assert.deepEqual(link.header.keyParameters.sort(), ['kcwt', 'x5bag', 'x5u']);
});

test('duplicate keys in the protected header and in the payload are rejected', async () => {
  await expectCode(decode(await signRaw({ protectedBytes: hex(`a3 01 26 10 6c ${TYP} 01 27`), payload: payload() })), 'cbor_duplicate_key');
  const doubled = hex(`a2 01 63 616263 01 63 78797a`); // {1: "abc", 1: "xyz"}
  await expectCode(decode(await signRaw({ protectedBytes: hex(PROTECTED), payload: doubled })), 'cbor_duplicate_key');
});

test('indefinite lengths inside a link are rejected', async () => {
  await expectCode(decode(await signRaw({ protectedBytes: hex(`bf 01 26 10 6c ${TYP} ff`), payload: payload() })), 'cbor_indefinite_length');
  await expectCode(decode(await signRaw({ protectedBytes: hex(PROTECTED), payload: hex('bf 01 61 61 ff') })), 'cbor_indefinite_length');
  const good = await signRaw({ protectedBytes: hex(PROTECTED), payload: payload() });
  const indefiniteArray = new Uint8Array([0xd2, 0x9f, ...good.subarray(2), 0xff]); // d2 84 ... → d2 9f ... ff
  await expectCode(decode(indefiniteArray), 'cbor_indefinite_length');
});

test('trailing bytes after the COSE_Sign1 are rejected', async () => {
  const good = await signRaw({ protectedBytes: hex(PROTECTED), payload: payload() });
  await expectCode(decode(new Uint8Array([...good, 0x00])), 'cbor_trailing_bytes');
  await expectCode(decode(await signRaw({ protectedBytes: hex(`${PROTECTED} 00`), payload: payload() })), 'cbor_trailing_bytes');
});

test('a payload that is not deterministic CBOR is rejected', async () => {
  const claims = encodeClaims(sampleClaims());
  // Same claims with the first key (iss, 1) written non-shortest as 0x18 0x01.
  const longKey = new Uint8Array([claims[0] as number, 0x18, ...claims.subarray(1)]);
  await expectCode(decode(await signRaw({ protectedBytes: hex(PROTECTED), payload: longKey })), 'cbor_not_deterministic');
  const unsorted = hex('a2 02 61 62 01 61 61'); // {2: "b", 1: "a"}
  await expectCode(decode(await signRaw({ protectedBytes: hex(PROTECTED), payload: unsorted })), 'cbor_not_deterministic');
});

test('a link envelope that is not deterministic CBOR is rejected', async () => {
  const good = await signRaw({ protectedBytes: hex(PROTECTED), payload: payload() });
  // d2 84 51 <17 bytes protected> → d2 84 58 11 <...>: same content, non-shortest length.
  assert.equal(toHex(good.subarray(0, 3)), 'd28451');
  const wide = new Uint8Array([0xd2, 0x84, 0x58, 0x11, ...good.subarray(3)]);
  await expectCode(decode(wide), 'cbor_not_deterministic');
});

test('a re-encoded protected header fails the signature: Sig_structure uses the received bytes', async () => {
  const { privateKey, verificationKey } = await keysFor('ES256');
  const original = await coseCodec.signLink({ claims: sampleClaims(), alg: 'ES256', privateKey });
  const message = decodeSign1(original, 'link', DEFAULT_LIMITS);
  // Re-encode alg -7 as 0x38 0x06 (non-shortest): same header value, different bytes.
  const protectedHex = toHex(message.protectedBytes);
  assert.ok(protectedHex.includes('0126'));
  const reencoded = hex(protectedHex.replace('0126', '013806'));
  const forged = new Uint8Array([0xd2, ...encodeDeterministic([reencoded, new Map(), message.payload, message.signature])]);
  const link = coseCodec.decodeLink(forged, 0, DEFAULT_LIMITS);
  assert.equal(link.header.alg, 'ES256');
  assert.deepEqual(link.claims, sampleClaims());
  assert.equal(await coseCodec.verifySignature(link, verificationKey), false);
  assert.equal(await coseCodec.verifySignature(coseCodec.decodeLink(original, 0, DEFAULT_LIMITS), verificationKey), true);
});

test('an empty protected header is the zero-length bstr in Sig_structure however it was sent', async () => {
  const { publicKey } = await keysFor('ES256');
  const raw = await signRaw({ protectedBytes: new Uint8Array(), payload: payload(), unprotected: new Map([[1, -7]]) });
  const asA0 = new Uint8Array([0xd2, 0x84, 0x41, 0xa0, ...raw.subarray(3)]); // 40 → 41 a0
  for (const bytes of [raw, asA0]) {
    const message = decodeSign1(bytes, 'interop', DEFAULT_LIMITS);
    assert.equal(await verifySign1(message, publicKey, { profile: 'interop' }), true);
  }
});

test('nesting beyond limits.maxNesting in the payload or header is rejected', async () => {
  const deep = hex('a1 63 787878' + '81'.repeat(DEFAULT_LIMITS.maxNesting) + '00');
  await expectCode(decode(await signRaw({ protectedBytes: hex(PROTECTED), payload: deep })), 'cbor_too_deep');
  const deepHeader = hex(`a3 01 26 10 6c ${TYP} 18 64 ` + '81'.repeat(DEFAULT_LIMITS.maxNesting) + '00');
  await expectCode(decode(await signRaw({ protectedBytes: deepHeader, payload: payload() })), 'cbor_too_deep');
});

test('oversized links are rejected before parsing', async () => {
  const bytes = await signRaw({ protectedBytes: hex(PROTECTED), payload: payload() });
  await expectCode(() => coseCodec.decodeLink(bytes, 0, { ...DEFAULT_LIMITS, maxLinkBytes: bytes.length - 1 }), 'chain_too_large');
});

test('COSE structure errors: wrong arity, types, detached payload', async () => {
  await expectCode(decode(hex('d2 83 40 a0 40')), 'link_malformed');
  await expectCode(decode(hex('d2 84 a0 a0 40 40')), 'link_malformed');
  await expectCode(decode(hex('d2 84 40 80 40 40')), 'link_malformed');
  await expectCode(decode(hex('d2 84 40 a0 f6 40')), 'link_malformed');
  await expectCode(decode(hex('d2 84 41 80 a0 40 40')), 'cose_header_invalid');
});
