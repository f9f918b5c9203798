/**
 * The RSA public exponent (SPEC-NOTES.md §3.3): odd and 2^16 < e < 2^32 (FIPS 186-5 §A.1.1 allows up
 * to 2^256; Chromium's WebCrypto refuses to import a key whose e has more than 33 bits).
 * With e = 1 an RSA "signature" is the encoded message itself, so anyone can sign for such a key:
 * a link 0 that names a delegate key with e = "AQ" lets anybody forge link 1. Shown here on both
 * backends of the runtime seam (node:crypto and WebCrypto), which both verify such a forgery, so
 * the key check is what refuses it, where the key appears (link 0, step 5).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, sign, constants } from 'node:crypto';
import * as nodeBackend from '../../lib/runtime/node.js';
import * as webBackend from '../../lib/runtime/webcrypto.js';
import type { RuntimeBackend } from '../../lib/runtime/types.js';
import { keyMaterialProblem } from '../../lib/keys/validate.js';
import { TransitiveProofError, type Chain, type PublicJwk } from '../../lib/index.js';
import { AUDIENCE, buildChain, issuerTrust, makeParties, NOW, type Parties } from '../helpers/fixtures.js';
import { webCryptoLibrary } from '../helpers/webcrypto-library.js';

const toB64u = (value: bigint): string => {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex').toString('base64url');
};
const fromB64u = (text: string): bigint => BigInt(`0x${Buffer.from(text, 'base64url').toString('hex')}`);
const inverse = (a: bigint, m: bigint): bigint => {
  let [r0, r1, s0, s1] = [a, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
};

/**
 * A 2048-bit modulus with e = 1: then d = 1 too (e·d ≡ 1), so the "private" operation is the
 * identity and node:crypto's PSS signing returns the PSS encoding of the message, which is what
 * anyone can compute from the message alone. The CRT members only let node:crypto load it.
 */
function exponentOneKey(): { publicJwk: PublicJwk; privateJwk: Record<string, string> } {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as Record<string, string>;
  const one = toB64u(1n);
  const privateJwk = { kty: 'RSA', n: rsa.n as string, e: one, d: one, p: rsa.p as string, q: rsa.q as string, dp: one, dq: one, qi: toB64u(inverse(fromB64u(rsa.q as string), fromB64u(rsa.p as string))) };
  return { publicJwk: { kty: 'RSA', n: rsa.n as string, e: 'AQ' }, privateJwk };
}

function forgePs256(privateJwk: Record<string, string>, data: Uint8Array): Uint8Array {
  return sign('sha256', data, { key: createPrivateKey({ key: privateJwk, format: 'jwk' }), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
}

describe('RSA public exponent e = 1', () => {
  const key = exponentOneKey();
  let p: Parties;
  let chain: Chain;
  before(async () => {
    p = await makeParties();
    // Link 0 (signed by the trusted issuer) names as delegate B a PS256 key with e = 1; link 1 is
    // "signed" for that key with no secret at all.
    const B = { ...p.B, alg: 'PS256' as const, publicJwk: key.publicJwk, cnf: { jwk: key.publicJwk } };
    p = { ...p, B };
    chain = await buildChain(p, {
      length: 2,
      signer: (index, signer) => (index === 1 ? { privateKey: key.privateJwk as never, alg: 'PS256' } : signer),
    });
  });

  test('both backends verify the forgery (so the backends cannot be what refuses it)', async () => {
    const data = new TextEncoder().encode('anything at all');
    const signature = forgePs256(key.privateJwk, data);
    for (const backend of [nodeBackend, webBackend] as RuntimeBackend[]) {
      const imported = await backend.importPublicJwk(key.publicJwk, { name: 'RSA-PSS', hash: 'SHA-256' });
      assert.equal(await backend.verify({ name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 }, imported, signature, data), true, backend.name);
    }
  });

  test('the key check refuses e = 1 (and the other exponents outside 2^16 < e < 2^32, or even)', () => {
    // 2^32 + 1 and up: a key Node verifies with and Chromium's WebCrypto refuses to import from 2^33 on
    // (test/audit/rsa-keys-browser.test.ts), so one chain would verify on Node and not in a browser.
    for (const e of [1n, 3n, 17n, 65535n, 65536n, 65538n, 2n ** 32n - 2n, 2n ** 32n + 1n, 2n ** 33n + 1n, 2n ** 255n + 1n, 2n ** 256n - 1n, 2n ** 256n + 1n]) {
      assert.match(String(keyMaterialProblem({ ...key.publicJwk, e: toB64u(e) })), /exponent/, `e = ${e}`);
    }
    for (const e of [65537n, 65539n, 2n ** 31n + 1n, 2n ** 32n - 1n]) assert.equal(keyMaterialProblem({ ...key.publicJwk, e: toB64u(e) }), undefined, `e = ${e}`);
  });

  test('the key check refuses a modulus of more than 16 384 bits (node:crypto imports it and verifies nothing, browsers refuse it)', () => {
    const ofBits = (bits: number): string => Buffer.from(Uint8Array.from({ length: bits / 8 }, (_, i) => (i === 0 ? 0x80 : 0xff))).toString('base64url');
    assert.match(String(keyMaterialProblem({ kty: 'RSA', n: ofBits(16_392), e: 'AQAB' })), /16392 bits, more than 16384/);
    assert.equal(keyMaterialProblem({ kty: 'RSA', n: ofBits(16_384), e: 'AQAB' }), undefined);
  });

  test('the key check refuses an even modulus (node:crypto imports it, browsers refuse it)', () => {
    const n = fromB64u(key.publicJwk.n as string);
    assert.match(String(keyMaterialProblem({ ...key.publicJwk, n: toB64u(n ^ 1n), e: 'AQAB' })), /modulus is even/);
    assert.equal(keyMaterialProblem({ ...key.publicJwk, n: toB64u(n), e: 'AQAB' }), undefined);
  });

  for (const backend of ['node', 'webcrypto'] as const) {
    test(`a chain whose link 0 names an e = 1 delegate key is refused at link 0 (claims_invalid), ${backend} backend`, async () => {
      const library = backend === 'node' ? await import('../../lib/index.js') : await webCryptoLibrary();
      const context = { audience: AUDIENCE, requester: { id: p.B2.id, jkt: p.B2.jkt }, now: NOW };
      await assert.rejects(library.verifyChain(chain, issuerTrust(p), context), (error: unknown) => {
        // The bundle has its own copy of the error class: compare by code (README: never instanceof).
        const { code, linkIndex } = error as TransitiveProofError;
        assert.equal(code, 'claims_invalid', String(error));
        assert.equal(linkIndex, 0);
        return true;
      });
    });
  }
});
