/**
 * Private keys at the seam, the same on both backends (WebCrypto's `subtle`, which Node also has):
 * importing a private JWK for signing and generating a key pair. Node's backend passes
 * `node:crypto`'s webcrypto, the Web API backend the global one; nothing here knows which.
 */
import type { KeyImportParams, WebCryptoKey } from './types.js';

/** The slice of SubtleCrypto used here, typed structurally (no DOM lib, no @types/node). */
export interface SubtleKeys {
  importKey(format: 'jwk', key: object, algorithm: object, extractable: boolean, usages: string[]): Promise<WebCryptoKey>;
  generateKey(algorithm: object, extractable: boolean, usages: string[]): Promise<unknown>;
  exportKey(format: 'jwk', key: WebCryptoKey): Promise<Record<string, unknown>>;
}

/** A key pair as JWKs, as a generator returns it. */
export interface JwkPair {
  privateJwk: Record<string, unknown>;
  publicJwk: Record<string, unknown>;
}

/** A private JWK as a non-extractable key that may sign with `params`; WebCrypto's refusals stand. */
export function importPrivateJwkWith(subtle: SubtleKeys, jwk: Readonly<Record<string, unknown>>, params: KeyImportParams): Promise<WebCryptoKey> {
  if (typeof jwk.d !== 'string') return Promise.reject(new Error('not a private key'));
  return subtle.importKey('jwk', jwk, params, false, ['sign']);
}

/**
 * A new key pair for `params` (RSA-PSS: 2048 bits, e = 65537), both halves exported as JWKs without
 * WebCrypto's `ext` and `key_ops` members (and `alg`, which names WebCrypto's view of the key, not
 * the caller's algorithm).
 */
export async function generateKeyPairWith(subtle: SubtleKeys, params: KeyImportParams): Promise<JwkPair> {
  const algorithm = params.name === 'RSA-PSS' ? { ...params, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) } : params;
  const { privateKey, publicKey } = (await subtle.generateKey(algorithm, true, ['sign', 'verify'])) as { privateKey: WebCryptoKey; publicKey: WebCryptoKey };
  return { privateJwk: withoutUsageMembers(await subtle.exportKey('jwk', privateKey)), publicJwk: withoutUsageMembers(await subtle.exportKey('jwk', publicKey)) };
}

/**
 * A JWK without the members that say how a holder may use the key (`alg`, `use`, `key_ops`, `ext`):
 * its key material and `kid` only. For an exported key (they are WebCrypto's view) and for a key
 * about to be imported for a given algorithm (the caller's algorithm decides, so they cannot conflict).
 */
export function withoutUsageMembers<T extends Readonly<Record<string, unknown>>>(jwk: T): Omit<T, 'alg' | 'use' | 'key_ops' | 'ext'> {
  const { ext: _ext, key_ops: _ops, alg: _alg, use: _use, ...members } = jwk;
  return members;
}
