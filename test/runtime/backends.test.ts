/**
 * The runtime seam: both backends meet one contract and agree with each other, so a chain verifies
 * the same in Node and in a browser. Both run here (Node has the Web APIs the WebCrypto one uses).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign as nodeSign, constants } from 'node:crypto';
import * as nodeBackend from '../../lib/runtime/node.js';
import * as webBackend from '../../lib/runtime/webcrypto.js';
import * as seam from '#runtime';
import { fromBase64, fromBase64url, toBase64, toBase64url } from '../../lib/runtime/base64.js';
import type { KeyImportParams, RuntimeBackend, SignatureParams, SpkiImportParams } from '../../lib/runtime/types.js';

const backends: readonly RuntimeBackend[] = [nodeBackend, webBackend];

test('Node resolves #runtime to the node backend (package.json imports, node condition)', () => {
  assert.equal(seam.name, 'node');
});

test('both backends hash alike, and as node:crypto does', async () => {
  for (const input of ['', 'abc', 'ü€', new Uint8Array([0, 1, 2, 255]), new Uint8Array(5000).fill(7)]) {
    const expected = createHash('sha256').update(input).digest();
    for (const backend of backends) {
      assert.deepEqual(Buffer.from(await backend.sha256(input)), expected, `${backend.name} sha256`);
      assert.equal(await backend.sha256Base64url(input), expected.toString('base64url'), `${backend.name} sha256Base64url`);
    }
  }
});

test('both backends encode and decode base64 and base64url alike', () => {
  for (let length = 0; length < 70; length++) {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
    for (const url of [true, false]) {
      const expected = Buffer.from(bytes).toString(url ? 'base64url' : 'base64');
      for (const backend of backends) {
        assert.equal(backend.encodeBase64(bytes, url), expected);
        assert.deepEqual(backend.decodeCanonicalBase64(expected, url), bytes);
      }
    }
  }
});

test('both backends: canonical text comes back from its decoding; any other text throws or does not (the long-text check of lib/runtime/base64.ts)', () => {
  const bytes = Uint8Array.from({ length: 3000 }, (_, i) => (i * 131 + 7) & 0xff);
  for (const url of [true, false]) {
    const canonical = Buffer.from(bytes).toString(url ? 'base64url' : 'base64');
    const faulty = [canonical.slice(0, -1), `${canonical}=`, ` ${canonical}`, `${canonical.slice(0, 100)}\n${canonical.slice(100)}`, `${canonical.slice(0, 9)}${url ? '+' : '-'}${canonical.slice(10)}`, `${canonical.slice(0, 9)}é${canonical.slice(10)}`];
    for (const backend of backends) {
      assert.equal(backend.encodeBase64(backend.decodeCanonicalBase64(canonical, url), url), canonical, `${backend.name} canonical`);
      for (const text of faulty) {
        let back: string | undefined;
        try {
          back = backend.encodeBase64(backend.decodeCanonicalBase64(text, url), url);
        } catch {
          back = undefined;
        }
        assert.notEqual(back, text, `${backend.name} ${url}: ${text.length} characters`);
      }
    }
  }
});

test('Node decodes base64 into memory of its own: no view of Buffer\'s shared pool, copied only when it would be one', () => {
  for (const length of [1, 100, 3000, 4095, 4096, 5000, 9000]) {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 0xff);
    for (const url of [true, false]) {
      const decoded = nodeBackend.decodeCanonicalBase64(Buffer.from(bytes).toString(url ? 'base64url' : 'base64'), url);
      assert.equal(Object.getPrototypeOf(decoded), Uint8Array.prototype, `${length}: a plain Uint8Array`);
      // The whole ArrayBuffer is the decoded bytes: nothing else (a pool's other slices) behind .buffer.
      assert.equal(decoded.byteOffset, 0, `${length}`);
      assert.equal(decoded.buffer.byteLength, length, `${length}`);
      assert.deepEqual(decoded, bytes);
    }
  }
  // Decoded twice, the same text gives two buffers: neither aliases the other.
  const text = Buffer.alloc(6000, 1).toString('base64url');
  const first = nodeBackend.decodeCanonicalBase64(text, true);
  const second = nodeBackend.decodeCanonicalBase64(text, true);
  assert.notEqual(first.buffer, second.buffer);
});

test('both backends decode base64url to UTF-8 text alike: fatal on bad UTF-8, a BOM kept', () => {
  for (const text of ['', '{"a":1}', 'ü€😀', '\uFEFF{}', 'x'.repeat(5000)]) {
    const encoded = Buffer.from(text, 'utf8').toString('base64url');
    for (const backend of backends) assert.equal(backend.decodeBase64urlUtf8(encoded), text, `${backend.name} ${text.slice(0, 8)}`);
  }
  for (const bytes of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0x7b, 0x80, 0x7d]]) {
    const encoded = Buffer.from(bytes).toString('base64url');
    for (const backend of backends) assert.throws(() => backend.decodeBase64urlUtf8(encoded), TypeError, `${backend.name} ${encoded}`);
  }
});

test('the node backend decodes base64url UTF-8 through one reused buffer: every length around its size, bad UTF-8 on either side of it, each text its own', () => {
  // The buffer holds 4096 bytes: texts of 4090-4100 bytes (ASCII, then ending in a 2-, 3- and 4-byte
  // character across the boundary), each decoded after a longer and a shorter one.
  const texts = [4090, 4094, 4095, 4096, 4097, 4100].flatMap((length) => ['a'.repeat(length), `${'a'.repeat(length - 2)}ü`, `${'a'.repeat(length - 3)}€`, `${'a'.repeat(length - 4)}😀`]);
  const decoded = texts.map((text) => nodeBackend.decodeBase64urlUtf8(Buffer.from(text, 'utf8').toString('base64url')));
  decoded.forEach((text, index) => assert.equal(text, texts[index], `${texts[index]?.length}`));
  for (const length of [4095, 4096, 4097]) {
    const bad = Buffer.concat([Buffer.alloc(length - 1, 0x61), Buffer.from([0xc3])]).toString('base64url');
    assert.throws(() => nodeBackend.decodeBase64urlUtf8(bad), TypeError, `${length}`);
    // A refusal leaves nothing behind for the next text.
    assert.equal(nodeBackend.decodeBase64urlUtf8(Buffer.from('{"a":1}').toString('base64url')), '{"a":1}');
  }
});

test('strict decoding accepts only the canonical spelling', () => {
  const bytes = new Uint8Array([0xfb, 0xff, 0x01]);
  assert.deepEqual(fromBase64url(toBase64url(bytes)), bytes);
  assert.deepEqual(fromBase64(toBase64(bytes)), bytes);
  // base64url: no padding, no standard alphabet, length not 1 mod 4, zero unused bits.
  for (const text of ['QQ==', '-_+/', 'QUJDR', 'QR', 'QUJ', 'a b']) assert.equal(fromBase64url(text), undefined, text);
  assert.deepEqual(fromBase64url('QQ'), new Uint8Array([0x41]));
  // base64: padded, no url alphabet, zero unused bits.
  for (const text of ['QQ', 'QR==', 'QUJ=', 'Q-==', 'QQ=', 'QUJD=']) assert.equal(fromBase64(text), undefined, text);
  assert.deepEqual(fromBase64('QQ=='), new Uint8Array([0x41]));
});

test('randomUUID gives a version 4 UUID on both backends', () => {
  for (const backend of backends) {
    assert.match(backend.randomUUID(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  }
});

interface Case {
  name: string;
  keyType: 'ed25519' | 'ec' | 'rsa';
  options: object;
  importParams: KeyImportParams;
  params: SignatureParams;
  signOptions: (key: import('node:crypto').KeyObject) => object;
  hash: string | null;
}

const CASES: Case[] = [
  { name: 'Ed25519', keyType: 'ed25519', options: {}, importParams: { name: 'Ed25519' }, params: { name: 'Ed25519' }, signOptions: (key) => key, hash: null },
  { name: 'ES256', keyType: 'ec', options: { namedCurve: 'P-256' }, importParams: { name: 'ECDSA', namedCurve: 'P-256' }, params: { name: 'ECDSA', hash: 'SHA-256' }, signOptions: (key) => ({ key, dsaEncoding: 'ieee-p1363' }), hash: 'sha256' },
  { name: 'ES384', keyType: 'ec', options: { namedCurve: 'P-384' }, importParams: { name: 'ECDSA', namedCurve: 'P-384' }, params: { name: 'ECDSA', hash: 'SHA-384' }, signOptions: (key) => ({ key, dsaEncoding: 'ieee-p1363' }), hash: 'sha384' },
  {
    name: 'PS256', keyType: 'rsa', options: { modulusLength: 2048 }, importParams: { name: 'RSA-PSS', hash: 'SHA-256' }, params: { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 },
    signOptions: (key) => ({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }), hash: 'sha256',
  },
];

test('both backends verify the same signatures and refuse the same forgeries', async () => {
  const data = new TextEncoder().encode('signing input');
  for (const c of CASES) {
    const { publicKey, privateKey } = generateKeyPairSync(c.keyType as 'ec', c.options as { namedCurve: string });
    const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
    const signature = new Uint8Array(nodeSign(c.hash, data, c.signOptions(privateKey) as never));
    const flipped = signature.slice();
    flipped[5] = (flipped[5] as number) ^ 1;
    for (const backend of backends) {
      const key = await backend.importPublicJwk(jwk, c.importParams);
      assert.equal(await backend.verify(c.params, key, signature, data), true, `${backend.name} ${c.name}`);
      assert.equal(await backend.verify(c.params, key, flipped, data), false, `${backend.name} ${c.name} flipped`);
      assert.equal(await backend.verify(c.params, key, signature.subarray(1), data), false, `${backend.name} ${c.name} short`);
      assert.equal(await backend.verify(c.params, key, new Uint8Array(), data), false, `${backend.name} ${c.name} empty`);
      assert.equal(await backend.verify(c.params, key, signature, data.subarray(1)), false, `${backend.name} ${c.name} other data`);
    }
  }
});

test('verifyParts gives verify\'s verdict over the joined parts on both backends, check after check (Node joins them into one reused buffer)', async () => {
  for (const c of CASES) {
    const { publicKey, privateKey } = generateKeyPairSync(c.keyType as 'ec', c.options as { namedCurve: string });
    const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
    const long = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7 + 3) & 0xff); // longer than Node's buffer
    const short = long.subarray(0, 300);
    const sign = (data: Uint8Array): Uint8Array => new Uint8Array(nodeSign(c.hash, data, c.signOptions(privateKey) as never));
    const longSignature = sign(long);
    const shortSignature = sign(short);
    const other = short.slice(100, 200);
    other[50] = (other[50] as number) ^ 1;
    const checks: { parts: Uint8Array[]; signature: Uint8Array; expected: boolean; label: string }[] = [
      { parts: [short.subarray(0, 12), short.subarray(12, 100), short.subarray(100, 200), short.subarray(200)], signature: shortSignature, expected: true, label: 'short, four parts' },
      // The same lengths, one part different: a part left unwritten would leave the bytes above.
      { parts: [short.subarray(0, 12), short.subarray(12, 100), other, short.subarray(200)], signature: shortSignature, expected: false, label: 'short, third part changed' },
      { parts: [long.subarray(0, 5000), long.subarray(5000)], signature: longSignature, expected: true, label: 'long, joined apart' },
      { parts: [short.subarray(0, 299)], signature: shortSignature, expected: false, label: 'short, one byte less' },
      { parts: [short, new Uint8Array(0)], signature: shortSignature, expected: true, label: 'short, an empty part' },
      { parts: [short, Uint8Array.of(0)], signature: shortSignature, expected: false, label: 'short, one byte more' },
      { parts: [long.subarray(0, 16_000)], signature: longSignature, expected: false, label: 'long, cut within the buffer' },
      { parts: [long], signature: longSignature, expected: true, label: 'long, whole' },
    ];
    for (const backend of backends) {
      const key = await backend.importPublicJwk(jwk, c.importParams);
      for (const check of [...checks, ...checks.slice().reverse()]) {
        assert.equal(await backend.verifyParts(c.params, key, check.signature, check.parts), check.expected, `${backend.name} ${c.name}: ${check.label}`);
        assert.equal(await backend.verify(c.params, key, check.signature, Buffer.concat(check.parts)), check.expected, `${backend.name} ${c.name}: ${check.label}, joined`);
      }
    }
  }
});

test('verifyBase64url gives verify\'s verdict on both backends, check after check (Node reuses one decoding buffer)', async () => {
  const data = new TextEncoder().encode('signing input');
  const checks: { c: Case; key: Record<string, unknown>; text: string; expected: boolean; label: string }[] = [];
  for (const c of CASES) {
    const { publicKey, privateKey } = generateKeyPairSync(c.keyType as 'ec', c.options as { namedCurve: string });
    const key = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
    const signature = Buffer.from(nodeSign(c.hash, data, c.signOptions(privateKey) as never));
    const flipped = Buffer.from(signature);
    flipped[7] = (flipped[7] as number) ^ 1;
    const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
    checks.push(
      { c, key, text: text(signature), expected: true, label: `${c.name} valid` },
      { c, key, text: text(flipped), expected: false, label: `${c.name} flipped` },
      { c, key, text: text(signature.subarray(0, signature.length - 1)), expected: false, label: `${c.name} one byte short` },
      { c, key, text: text(Buffer.concat([signature, Buffer.from([0])])), expected: false, label: `${c.name} one byte more` },
      // Longer than the reused buffer (1,024 bytes): the copying way, the same verdict.
      { c, key, text: text(Buffer.concat([signature, Buffer.alloc(1100)])), expected: false, label: `${c.name} valid, then 1,100 bytes` },
      { c, key, text: '', expected: false, label: `${c.name} empty` },
    );
  }
  // Interleaved so that every check follows one of another length: a stale or mis-sized view of
  // the reused buffer would change a verdict.
  const order = checks.map((_, i) => (i * 7) % checks.length);
  assert.equal(new Set(order).size, checks.length);
  for (const backend of backends) {
    const keys = new Map<Case, Awaited<ReturnType<RuntimeBackend['importPublicJwk']>>>();
    for (const check of checks) if (!keys.has(check.c)) keys.set(check.c, await backend.importPublicJwk(check.key, check.c.importParams));
    for (const round of [0, 1]) {
      for (const at of order) {
        const check = checks[at] as (typeof checks)[number];
        const key = keys.get(check.c) as Awaited<ReturnType<RuntimeBackend['importPublicJwk']>>;
        const verdict = await backend.verifyBase64url(check.c.params, key, check.text, data);
        assert.equal(verdict, check.expected, `${backend.name} ${check.label} (round ${round})`);
        assert.equal(verdict, await backend.verify(check.c.params, key, new Uint8Array(Buffer.from(check.text, 'base64url')), data), `${backend.name} ${check.label}: as verify`);
      }
    }
  }
});

test('both backends refuse a key that does not fit the import parameters', async () => {
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const ed = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const priv = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  for (const backend of backends) {
    await assert.rejects(backend.importPublicJwk(p384, { name: 'ECDSA', namedCurve: 'P-256' }), `${backend.name}: wrong curve`);
    await assert.rejects(backend.importPublicJwk(ed, { name: 'ECDSA', namedCurve: 'P-256' }), `${backend.name}: wrong type`);
    await assert.rejects(backend.importPublicJwk(priv, { name: 'Ed25519' }), `${backend.name}: private key`);
    await assert.rejects(backend.importPublicJwk({ ...p384, x: 'AAAA' }, { name: 'ECDSA', namedCurve: 'P-384' }), `${backend.name}: bad point`);
  }
});

test('a key is only used for the operation it fits (ECDSA params with an Ed25519 key fail closed)', async () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const data = new Uint8Array([1, 2, 3]);
  const signature = new Uint8Array(nodeSign(null, data, privateKey));
  for (const backend of backends) {
    const key = await backend.importPublicJwk(publicKey.export({ format: 'jwk' }) as Record<string, unknown>, { name: 'Ed25519' });
    assert.equal(await backend.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, data), false);
    assert.equal(await backend.verify({ name: 'Ed448' }, key, signature, data), false);
  }
});

test('both backends export a certificate key (a WebCrypto key handed over) as the same public JWK', async () => {
  const subtle = globalThis.crypto.subtle;
  const pairs = [
    generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    generateKeyPairSync('ed25519'),
    generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ];
  const importParams = [{ name: 'ECDSA', namedCurve: 'P-256' }, { name: 'Ed25519' }, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }];
  for (const [i, { publicKey }] of pairs.entries()) {
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const expected = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
    const cryptoKey = await subtle.importKey('spki', spki, importParams[i] as Parameters<typeof subtle.importKey>[2], true, ['verify']);
    for (const backend of backends) {
      const jwk = await backend.exportPublicJwk(backend.fromWebCryptoKey(cryptoKey));
      for (const member of ['kty', 'crv', 'x', 'y', 'n', 'e']) assert.equal(jwk[member], expected[member], `${backend.name} ${String(expected.kty)} ${member}`);
    }
  }
});

test('both backends import a certificate key (SPKI) as WebCrypto does, and refuse what it refuses', async () => {
  const data = new Uint8Array([1, 2, 3]);
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = (key: typeof ec.publicKey) => new Uint8Array(key.export({ format: 'der', type: 'spki' }));
  const accepted: [Uint8Array, SpkiImportParams, SignatureParams, Uint8Array][] = [
    [spki(ec.publicKey), { name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', hash: 'SHA-256' }, new Uint8Array(nodeSign('sha256', data, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }))],
    [spki(ed.publicKey), { name: 'Ed25519' }, { name: 'Ed25519' }, new Uint8Array(nodeSign(null, data, ed.privateKey))],
    [spki(rsa.publicKey), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, new Uint8Array(nodeSign('sha256', data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PADDING }))],
    [spki(rsa.publicKey), { name: 'RSA-PSS', hash: 'SHA-384' }, { name: 'RSA-PSS', hash: 'SHA-384', saltLength: 48 }, new Uint8Array(nodeSign('sha384', data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 }))],
  ];
  const refused: [Uint8Array, SpkiImportParams, string][] = [
    [spki(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey), { name: 'ECDSA', namedCurve: 'P-256' }, 'another curve'],
    [spki(ec.publicKey), { name: 'ECDSA' }, 'no curve'],
    [spki(ed.publicKey), { name: 'ECDSA', namedCurve: 'P-256' }, 'another key type'],
    [spki(ec.publicKey), { name: 'Ed25519' }, 'an EC key as Ed25519'],
    [spki(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey), { name: 'RSA-PSS', hash: 'SHA-256' }, 'an id-RSASSA-PSS SPKI'],
    [spki(generateKeyPairSync('x25519').publicKey), { name: 'X25519' }, 'a key that cannot verify'],
    [spki(ec.publicKey).slice(0, -1), { name: 'ECDSA', namedCurve: 'P-256' }, 'truncated DER'],
  ];
  for (const backend of backends) {
    for (const [der, params, operation, signature] of accepted) {
      const key = await backend.importPublicSpki(der, params);
      assert.equal(key.info.canVerify, true, `${backend.name} ${params.name}`);
      assert.equal(await backend.verify(operation, key, signature, data), true, `${backend.name} ${params.name} verifies`);
    }
    for (const [der, params, what] of refused) await assert.rejects(backend.importPublicSpki(der, params), `${backend.name}: ${what}`);
  }
});

test('both backends verify RSASSA-PKCS1-v1_5 (certificate signatures) only with a key made for it and its hash', async () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const data = new Uint8Array([1, 2, 3]);
  const signature = new Uint8Array(nodeSign('sha256', data, { key: privateKey, padding: constants.RSA_PKCS1_PADDING }));
  const jwk = publicKey.export({ format: 'jwk' });
  const subtle = globalThis.crypto.subtle;
  const pkcs1 = await subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']);
  const pss = await subtle.importKey('jwk', jwk, { name: 'RSA-PSS', hash: 'SHA-256' }, true, ['verify']);
  for (const backend of backends) {
    assert.equal(await backend.verify({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, backend.fromWebCryptoKey(pkcs1), signature, data), true, `${backend.name}: valid`);
    assert.equal(await backend.verify({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, backend.fromWebCryptoKey(pkcs1), signature, new Uint8Array([1, 2, 4])), false, `${backend.name}: other data`);
    assert.equal(await backend.verify({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }, backend.fromWebCryptoKey(pkcs1), signature, data), false, `${backend.name}: other hash`);
    assert.equal(await backend.verify({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, backend.fromWebCryptoKey(pss), signature, data), false, `${backend.name}: a PSS key`);
  }
});

test('both backends generate key pairs as plain JWKs that sign what node:crypto verifies, and import private JWKs only', async () => {
  const cases: [KeyImportParams, SignatureParams][] = [
    [{ name: 'Ed25519' }, { name: 'Ed25519' }],
    [{ name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', hash: 'SHA-256' }],
    [{ name: 'RSA-PSS', hash: 'SHA-256' }, { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 }],
  ];
  const data = new TextEncoder().encode('a link');
  for (const backend of backends) {
    for (const [importParams, signParams] of cases) {
      const { privateJwk, publicJwk } = await backend.generateKeyPair(importParams);
      for (const member of ['ext', 'key_ops', 'alg', 'use']) {
        assert.equal(member in privateJwk || member in publicJwk, false, `${backend.name} ${importParams.name}: no WebCrypto "${member}" member`);
      }
      assert.equal('d' in publicJwk, false);
      if (importParams.name === 'RSA-PSS') assert.equal(Buffer.from(publicJwk.n as string, 'base64url').length * 8, 2048);
      const key = await backend.importPrivateJwk(privateJwk, importParams);
      assert.equal(key.extractable, false, 'an imported private key is not extractable');
      const signature = await backend.sign(signParams, key, data);
      const verifyKey = await nodeBackend.importPublicJwk(publicJwk, importParams);
      assert.equal(nodeBackend.verify(signParams, verifyKey, signature, data), true, `${backend.name} ${importParams.name}: the signature verifies`);
      await assert.rejects(backend.importPrivateJwk(publicJwk, importParams), /not a private key/, 'a public JWK is no signing key');
    }
  }
});

test('byteText reads one character per byte on both backends: an ASCII byte as itself, any other byte outside ASCII', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  // A view into a larger buffer, as a link's bytes are: only the view's bytes are read.
  const framed = new Uint8Array(260);
  framed.set(all, 2);
  for (const backend of backends) {
    for (const bytes of [all, framed.subarray(2, 258)]) {
      const text = backend.byteText(bytes);
      assert.equal(text.length, 256, backend.name);
      for (let i = 0; i < 128; i++) assert.equal(text.charCodeAt(i), i, `${backend.name} byte ${i}`);
      for (let i = 128; i < 256; i++) assert.ok(text.charCodeAt(i) > 0x7f, `${backend.name} byte ${i} read as ${text.charCodeAt(i)}`);
    }
  }
});

test('an RSA signature one leading zero octet short is refused on both backends (RFC 8017 §8.1.2, §8.2.2 step 1: exactly k octets)', async () => {
  // OpenSSL's PSS check reads the signature as an integer and takes it without its leading zero
  // octet; a browser's WebCrypto does not. Signatures are made until one starts with 0x00 (about one
  // in 256: PSS is randomized; PKCS#1 v1.5 is not, so its data varies), then checked with and
  // without that octet.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  // PKCS#1 v1.5 verifies certificate signatures only: its key comes from a SubjectPublicKeyInfo.
  const schemes: { params: SignatureParams; padding: number; importKey: (backend: RuntimeBackend) => ReturnType<RuntimeBackend['importPublicJwk']> }[] = [
    { params: { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 }, padding: constants.RSA_PKCS1_PSS_PADDING, importKey: (backend) => backend.importPublicJwk(jwk, { name: 'RSA-PSS', hash: 'SHA-256' }) },
    { params: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, padding: constants.RSA_PKCS1_PADDING, importKey: (backend) => backend.importPublicSpki(spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as SpkiImportParams) },
  ];
  for (const scheme of schemes) {
    let data = new Uint8Array();
    let signature = new Uint8Array();
    for (let attempt = 0; attempt < 20_000 && signature[0] !== 0; attempt++) {
      data = new TextEncoder().encode(`signing input ${attempt}`);
      signature = new Uint8Array(nodeSign('sha256', data, { key: privateKey, padding: scheme.padding, saltLength: 32 }));
    }
    assert.equal(signature[0], 0, `${scheme.params.name}: a signature starting with a zero octet was found`);
    for (const backend of backends) {
      const key = await scheme.importKey(backend);
      assert.equal(await backend.verify(scheme.params, key, signature, data), true, `${backend.name} ${scheme.params.name}: the k-octet signature`);
      assert.equal(await backend.verify(scheme.params, key, signature.subarray(1), data), false, `${backend.name} ${scheme.params.name}: without its leading zero`);
      const text = Buffer.from(signature.subarray(1)).toString('base64url');
      assert.equal(await backend.verifyBase64url(scheme.params, key, text, data), false, `${backend.name} ${scheme.params.name}: without its leading zero, as base64url`);
    }
  }
});
