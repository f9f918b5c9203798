/**
 * Both encodings sign through one signer (lib/keys signForAlgorithm): the algorithm table's
 * operation, with a key checked to fit it. WebCrypto itself would sign ES256's SHA-256 ECDSA with a
 * P-384 key, or PS256 with a key made for SHA-384 ... and the link would carry a signature no
 * verifier accepts under the algorithm it names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { jwkThumbprint, signForAlgorithm } from '../../lib/keys/keys.js';
import { startChain } from '../../lib/mint.js';
import { coseCodec } from '../../lib/codecs/cose/codec.js';
import type { CryptoKey, PublicJwk } from '../../lib/model/types.js';

const claims = { iss: 'https://a.example', sub: 'urn:c', aud: 'https://as.example', scope: 'read', tmb: { jkt: 'A'.repeat(43) }, delegate: { sub: 'b', cnf: { jkt: 'Q'.repeat(43) } } };

async function ecKey(namedCurve: string): Promise<CryptoKey> {
  const pair = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve }, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  return pair.privateKey as unknown as CryptoKey;
}

test('a key of another curve than the algorithm names is refused, in both encodings', async () => {
  const p384 = await ecKey('P-384');
  await assert.rejects(signForAlgorithm('ES256', p384, new Uint8Array([1])), (error: { code?: string }) => error.code === 'invalid_argument');
  for (const format of ['jwt', 'cwt'] as const) {
    await assert.rejects(startChain(claims, { privateKey: p384, alg: 'ES256' }, { format, codecs: [coseCodec] }), (error: { code?: string; message?: string }) => error.code === 'invalid_argument' && /cannot sign ES256/.test(error.message ?? ''), format);
  }
});

test('an RSA-PSS key made for another hash is refused', async () => {
  const pair = (await webcrypto.subtle.generateKey({ name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-384' }, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  await assert.rejects(signForAlgorithm('PS256', pair.privateKey as unknown as CryptoKey, new Uint8Array([1])), (error: { code?: string }) => error.code === 'invalid_argument');
});

test('a fitting key signs: the JWT link is three canonical base64url segments, the signature r || s', async () => {
  const chain = await startChain(claims, { privateKey: await ecKey('P-256'), alg: 'ES256' });
  const text = new TextDecoder().decode(chain.links[0]);
  const [header, payload, signature] = text.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(header as string, 'base64url').toString()), { alg: 'ES256', typ: 'tmb-link+jwt' });
  assert.deepEqual(JSON.parse(Buffer.from(payload as string, 'base64url').toString()).scope, 'read');
  assert.equal(Buffer.from(signature as string, 'base64url').length, 64, 'RFC 7518 §3.4: 32-byte r and s');
  assert.doesNotMatch(text, /[=+/]/);
});

test('a thumbprint of a key that is not EC, OKP or RSA is refused, not computed', async () => {
  await assert.rejects(jwkThumbprint({ kty: 'oct', k: 'AAAA' } as unknown as PublicJwk), (error: { code?: string }) => error.code === 'invalid_argument');
});
