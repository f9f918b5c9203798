/**
 * The baselines a verification is compared with: the same signatures checked with nothing else
 * around them. Inputs are prepared outside the timed loop.
 */
import { constants, KeyObject, verify, webcrypto, type VerifyKeyObjectInput } from 'node:crypto';
import { compactVerify, type CryptoKey as JoseCryptoKey } from 'jose';
import type { SignatureAlgorithm } from '../lib/model/types.js';

type SubtleKey = webcrypto.CryptoKey;

/** N × jose.compactVerify over the chain's JWS strings, keys pre-imported. */
export function bareCompactVerify(jws: readonly string[], keys: readonly JoseCryptoKey[], alg: SignatureAlgorithm): () => Promise<void> {
  const algorithms = [alg];
  return async () => {
    for (let i = 0; i < jws.length; i++) await compactVerify(jws[i] as string, keys[i] as JoseCryptoKey, { algorithms });
  };
}

/** WebCrypto parameters for a JOSE algorithm (RFC 7518 §3.4, §3.5; RFC 8037). */
export function subtleParams(alg: SignatureAlgorithm): webcrypto.AlgorithmIdentifier | webcrypto.EcdsaParams | webcrypto.RsaPssParams {
  switch (alg) {
    case 'EdDSA':
    case 'Ed25519':
      return { name: 'Ed25519' };
    case 'ES256':
    case 'ESP256':
      return { name: 'ECDSA', hash: 'SHA-256' };
    case 'ES384':
      return { name: 'ECDSA', hash: 'SHA-384' };
    case 'PS256':
      return { name: 'RSA-PSS', saltLength: 32 };
  }
}

export interface RawSignature {
  data: Uint8Array;
  signature: Uint8Array;
}

/** The JWS signing input and signature bytes of each link, split once. */
export function splitJws(jws: readonly string[]): RawSignature[] {
  return jws.map((text) => {
    const dot = text.lastIndexOf('.');
    return { data: new Uint8Array(Buffer.from(text.slice(0, dot), 'latin1')), signature: new Uint8Array(Buffer.from(text.slice(dot + 1), 'base64url')) };
  });
}

/** N × crypto.subtle.verify over pre-split inputs: the floor (no parsing at all). */
export function bareSubtleVerify(inputs: readonly RawSignature[], keys: readonly SubtleKey[], alg: SignatureAlgorithm): () => Promise<void> {
  const params = subtleParams(alg);
  return async () => {
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i] as RawSignature;
      if (!(await webcrypto.subtle.verify(params, keys[i] as SubtleKey, input.signature, input.data))) throw new Error('baseline signature failed');
    }
  };
}

/** The node:crypto form of a key and of a JOSE/COSE algorithm's parameters (r || s for ECDSA). */
export function rawVerifyKey(key: webcrypto.CryptoKey | JoseCryptoKey, alg: SignatureAlgorithm): { digest: string | null; key: VerifyKeyObjectInput } {
  const keyObject = KeyObject.from(key as webcrypto.CryptoKey);
  switch (alg) {
    case 'EdDSA':
    case 'Ed25519':
      return { digest: null, key: { key: keyObject } };
    case 'ES256':
    case 'ESP256':
      return { digest: 'sha256', key: { key: keyObject, dsaEncoding: 'ieee-p1363' } };
    case 'ES384':
      return { digest: 'sha384', key: { key: keyObject, dsaEncoding: 'ieee-p1363' } };
    case 'PS256':
      return { digest: 'sha256', key: { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } };
  }
}

/**
 * N × synchronous node:crypto.verify with KeyObjects over pre-split inputs: the limit. No parsing,
 * no promise, no thread-pool hop; what any verifier of these N signatures must at least spend.
 */
export function rawVerify(inputs: readonly RawSignature[], keys: readonly (webcrypto.CryptoKey | JoseCryptoKey)[], alg: SignatureAlgorithm): () => Promise<void> {
  const prepared = keys.map((key) => rawVerifyKey(key, alg));
  return async () => {
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i] as RawSignature;
      const { digest, key } = prepared[i] as { digest: string | null; key: VerifyKeyObjectInput };
      if (!verify(digest, input.data, key, input.signature)) throw new Error('raw signature failed');
    }
  };
}
