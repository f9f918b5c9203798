/**
 * Helpers for the key vectors (SPEC-NOTES.md §3.3): links whose claims name a key the key check
 * refuses (so the library will not mint them) are re-written here, in either encoding, and signed
 * with node:crypto; and the RSA key with public exponent 1, for which anyone can "sign".
 */
import { constants, createPrivateKey, sign } from 'node:crypto';
import type { PrivateJwk, PublicJwk } from '../../lib/index.js';
import { DEFAULT_LIMITS } from '../../lib/model/limits.js';
import { decodeClaims, encodeClaims } from '../../lib/codecs/cose/claims.js';
import { ed25519Sign, sigStructure, sign1, splitSign1 } from './cbor.js';
import { splitJws, type VectorBuilder } from './builder.js';
import { RSA_TEST_KEYS } from './rsa-keys.js';

const fromB64u = (text: string): bigint => BigInt(`0x${Buffer.from(text, 'base64url').toString('hex')}`);
const toB64u = (value: bigint): string => {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex').toString('base64url');
};
function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [a, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

export const EXPONENT_ONE_KEY = 'd1-rsa-e1';

/**
 * d1-ps256's 2048-bit modulus with e = 1, hence d = 1: its PSS "signature" of a message is the
 * message's EMSA-PSS encoding, which anyone can compute. The CRT members only let node:crypto load it.
 */
export function exponentOneKey(): { publicJwk: PublicJwk; privateJwk: PrivateJwk } {
  const base = RSA_TEST_KEYS['d1-ps256'] as unknown as Record<'n' | 'p' | 'q', string>;
  const one = toB64u(1n);
  const privateJwk = { kty: 'RSA', n: base.n, e: one, d: one, p: base.p, q: base.q, dp: one, dq: one, qi: toB64u(inverse(fromB64u(base.q), fromB64u(base.p))) } as PrivateJwk;
  return { publicJwk: { kty: 'RSA', n: base.n, e: one }, privateJwk };
}

/** A PS256 signature (SHA-256, MGF1-SHA-256, 32-byte salt) with a private JWK, by node:crypto. */
export function ps256(privateJwk: PrivateJwk, data: Uint8Array): Uint8Array {
  const key = createPrivateKey({ key: privateJwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
  return sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
}

/**
 * A PS256 signature of `data` whose first octet is zero (PSS is randomized: signed again until one
 * is, about one in 256), returned without that octet: k − 1 octets, the same integer.
 */
export function leadingZeroDropped(privateJwk: PrivateJwk, data: Uint8Array): Uint8Array {
  for (let attempt = 0; attempt < 20_000; attempt++) {
    const signature = ps256(privateJwk, data);
    if (signature[0] === 0) return signature.subarray(1);
  }
  throw new Error('no PS256 signature starting with a zero octet in 20,000 attempts');
}

/** The link with its claims edited and re-signed by an Ed25519 test key, in the builder's encoding. */
export async function withClaims(b: VectorBuilder, bytes: Uint8Array, keyName: string, edit: (claims: Record<string, unknown>) => Record<string, unknown>): Promise<Uint8Array> {
  if (b.format === 'jwt') return b.resign(bytes, keyName, { claims: (claims) => edit(claims) });
  const parts = splitSign1(bytes);
  const payload = encodeClaims(edit(decodeClaims(parts.payload, DEFAULT_LIMITS)));
  const key = await b.key(keyName);
  const link = sign1(parts.protectedContent, Uint8Array.of(0xa0), payload, ed25519Sign(sigStructure(parts.protectedContent, payload), key.privateJwk));
  return b.note(link, { signer: keyName, note: 'claims re-encoded by hand (the library refuses to mint them)' });
}

/** The link with its signature replaced by `signature(signed bytes)`, in the builder's encoding. */
export function withSignature(b: VectorBuilder, bytes: Uint8Array, signature: (data: Uint8Array) => Uint8Array, note: string): Uint8Array {
  b.deterministic = false;
  if (b.format === 'jwt') {
    const text = Buffer.from(bytes).toString('latin1');
    const signingInput = text.slice(0, text.lastIndexOf('.'));
    splitJws(bytes); // a JWS: fails loudly otherwise
    return b.note(new TextEncoder().encode(`${signingInput}.${Buffer.from(signature(new TextEncoder().encode(signingInput))).toString('base64url')}`), { note });
  }
  const parts = splitSign1(bytes);
  const link = sign1(parts.protectedContent, Uint8Array.of(0xa0), parts.payload, signature(sigStructure(parts.protectedContent, parts.payload)));
  return b.note(link, { note });
}
