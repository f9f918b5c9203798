/**
 * COSE signature algorithms (RFC 9053, RFC 9864) and their WebCrypto operations. COSE ECDSA
 * signatures are r || s, which is what WebCrypto produces and expects, so no conversion happens.
 */
import { verify } from '#runtime';
import { TransitiveProofError } from '../../errors.js';
import { keyInfoFromAlgorithm, type HashName, type KeyInfo, type MaybePromise, type RuntimeKey, type SignatureParams } from '../../runtime/types.js';
import { SIGNATURE_ALGORITHMS, type CryptoKey, type PrivateJwk, type SignatureAlgorithm } from '../../model/types.js';

/**
 * `link`: the algorithm names have their JOSE meaning, so ES256 means P-256 and EdDSA means
 * Ed25519, and only the model's algorithms exist. `interop`: plain COSE, where the ECDSA hash comes
 * from the algorithm and the curve from the key (RFC 9053 §2.1), and ES512 and Ed448 are known; used
 * by the COSE WG conformance runner only.
 */
export type Sign1Profile = 'link' | 'interop';

interface AlgorithmEntry {
  label: number;
  name: string;
  family: 'ECDSA' | 'EdDSA' | 'RSA-PSS';
  hash?: 'SHA-256' | 'SHA-384' | 'SHA-512';
  /** The only curve the algorithm allows in the link profile (and, for fully-specified ones, always). */
  curve?: string;
  fullySpecified?: boolean;
}

const ALGORITHMS: readonly AlgorithmEntry[] = [
  { label: -7, name: 'ES256', family: 'ECDSA', hash: 'SHA-256', curve: 'P-256' },
  { label: -9, name: 'ESP256', family: 'ECDSA', hash: 'SHA-256', curve: 'P-256', fullySpecified: true },
  { label: -35, name: 'ES384', family: 'ECDSA', hash: 'SHA-384', curve: 'P-384' },
  { label: -36, name: 'ES512', family: 'ECDSA', hash: 'SHA-512', curve: 'P-521' },
  { label: -8, name: 'EdDSA', family: 'EdDSA', curve: 'Ed25519' },
  { label: -19, name: 'Ed25519', family: 'EdDSA', curve: 'Ed25519', fullySpecified: true },
  { label: -37, name: 'PS256', family: 'RSA-PSS', hash: 'SHA-256' },
];

const MIN_RSA_MODULUS_BITS = 2048;

const byLabel = new Map(ALGORITHMS.map((entry) => [entry.label, entry]));
const byName = new Map(ALGORITHMS.map((entry) => [entry.name, entry]));
const MODEL_NAMES: ReadonlySet<string> = new Set(SIGNATURE_ALGORITHMS);

/** JOSE name of a COSE algorithm label; an unknown label is reported as its decimal text. */
export function algorithmName(label: number): string {
  return byLabel.get(label)?.name ?? String(label);
}

export function algorithmLabel(alg: SignatureAlgorithm): number {
  const entry = byName.get(alg);
  if (entry === undefined) throw new TransitiveProofError('invalid_argument', `no COSE label for ${alg}`);
  return entry.label;
}

/** WebCrypto parameters for `label` with a key described by `keyAlgorithm`, or undefined when the key does not fit the algorithm. */
function operationParams(label: number, keyAlgorithm: Omit<KeyInfo, 'canVerify'>, profile: Sign1Profile): SignatureParams | undefined {
  const entry = byLabel.get(label);
  if (entry === undefined || (profile === 'link' && !MODEL_NAMES.has(entry.name))) return undefined;
  switch (entry.family) {
    case 'ECDSA': {
      if (keyAlgorithm.name !== 'ECDSA') return undefined;
      const curve = keyAlgorithm.namedCurve;
      if ((profile === 'link' || entry.fullySpecified) && curve !== entry.curve) return undefined;
      return { name: 'ECDSA', hash: entry.hash as HashName };
    }
    case 'EdDSA': {
      const allowed = profile === 'link' || entry.fullySpecified ? [entry.curve] : ['Ed25519', 'Ed448'];
      return allowed.includes(keyAlgorithm.name) ? { name: keyAlgorithm.name as 'Ed25519' | 'Ed448' } : undefined;
    }
    case 'RSA-PSS': {
      // RFC 8230 §2: PS256 uses SHA-256 for the digest and MGF1, salt length = hash length, and a
      // key of 2048 bits or more MUST be used (the JOSE codec holds keys to the same bound).
      const longEnough = (keyAlgorithm.modulusLength ?? 0) >= MIN_RSA_MODULUS_BITS;
      return keyAlgorithm.name === 'RSA-PSS' && keyAlgorithm.hash === entry.hash && longEnough ? { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 } : undefined;
    }
  }
}

/** Verify; false for a bad signature, a key that does not fit the algorithm, or an unknown algorithm. */
export function verifyBytes(label: number, key: RuntimeKey, data: Uint8Array, signature: Uint8Array, profile: Sign1Profile): MaybePromise<boolean> {
  const params = operationParams(label, key.info, profile);
  if (params === undefined) return false;
  return verify(params, key, signature, data);
}

/** The WebCrypto key's algorithm in the seam's terms. */
function describeAlgorithm(key: CryptoKey): Omit<KeyInfo, 'canVerify'> {
  // The same description the runtime gives a verification key, modulus length included (RFC 8230 §2 bound).
  return keyInfoFromAlgorithm(key.type, key.usages, key.algorithm as unknown as Record<string, unknown>);
}

/** The Web Crypto API of the running runtime (Node >= 20 and browsers have it as a global). */
interface Subtle {
  sign(params: SignatureParams, key: CryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
  importKey(format: 'jwk', key: object, params: object, extractable: boolean, usages: string[]): Promise<CryptoKey>;
}
const subtle = (): Subtle => (globalThis as unknown as { crypto: { subtle: Subtle } }).crypto.subtle;

export async function signBytes(alg: SignatureAlgorithm, key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  const params = operationParams(algorithmLabel(alg), describeAlgorithm(key), 'link');
  if (params === undefined) throw new TransitiveProofError('invalid_argument', `the key (${key.algorithm.name}) cannot sign ${alg}`);
  try {
    return new Uint8Array(await subtle().sign(params, key, data));
  } catch (cause) {
    throw new TransitiveProofError('invalid_argument', `signing with ${alg} failed`, { cause });
  }
}

function importParams(alg: SignatureAlgorithm): object {
  const entry = byName.get(alg) as AlgorithmEntry;
  if (entry.family === 'ECDSA') return { name: 'ECDSA', namedCurve: entry.curve as string };
  if (entry.family === 'EdDSA') return { name: 'Ed25519' };
  return { name: 'RSA-PSS', hash: entry.hash as string };
}

/** The signing key as a CryptoKey; a JWK is imported for exactly `alg`. */
export async function signingKey(key: CryptoKey | PrivateJwk, alg: SignatureAlgorithm): Promise<CryptoKey> {
  if (!isJwk(key)) return key;
  // The caller's alg decides; the JWK's own alg/use/key_ops/ext are dropped so they cannot conflict.
  const { alg: _alg, use: _use, key_ops: _ops, ext: _ext, ...material } = key;
  try {
    return await subtle().importKey('jwk', material, importParams(alg), false, ['sign']);
  } catch (cause) {
    throw new TransitiveProofError('invalid_argument', `private key cannot be imported for ${alg}`, { cause });
  }
}

function isJwk(key: CryptoKey | PrivateJwk): key is PrivateJwk {
  return typeof (key as { kty?: unknown }).kty === 'string';
}
