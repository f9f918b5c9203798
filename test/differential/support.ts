/**
 * Shared pieces of the differential signature tests (no tests here): keys generated with node:crypto,
 * signatures produced with node:crypto under every parameter a test wants (hash, DER or IEEE P1363
 * ECDSA encoding, RSA-PSS salt length, PKCS #1 v1.5), and the mutations applied to signature bytes.
 *
 * Nothing here calls the code under test: the links are built and signed independently of the
 * codecs, so a codec cannot agree with itself by construction.
 */
import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import type { PublicJwk, SignatureAlgorithm } from '../../lib/model/types.js';
import { algorithmsForKey, KeyImportCache } from '../../lib/keys/keys.js';
import type { VerificationKey } from '../../lib/ports.js';

/** Runs per property: bounded so that both differential files together stay near 20 s on 2 shared cores. */
export const DIFFERENTIAL_RUNS = (() => {
  const value = Number(process.env.DIFFERENTIAL_RUNS ?? '400');
  return Number.isSafeInteger(value) && value > 0 ? value : 400;
})();

export type KeyName = 'ed25519-a' | 'ed25519-b' | 'p256-a' | 'p256-b' | 'p384' | 'p521' | 'rsa2048-a' | 'rsa2048-b' | 'rsa1024';

export interface TestKey {
  name: KeyName;
  kind: 'ed25519' | 'ec' | 'rsa';
  /** Curve order, for ECDSA and EdDSA scalar mutations. */
  order?: bigint;
  /** Byte length of one scalar (r, s or S). */
  scalarBytes?: number;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: PublicJwk;
}

const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const P384_N = BigInt('0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973');
const P521_N = BigInt('0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409');
/** RFC 8032 §5.1: the order of the Ed25519 base point. */
const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n;

function testKey(name: KeyName): TestKey {
  const pair = name.startsWith('ed25519')
    ? generateKeyPairSync('ed25519')
    : name.startsWith('rsa')
      ? generateKeyPairSync('rsa', { modulusLength: name === 'rsa1024' ? 1024 : 2048 })
      : generateKeyPairSync('ec', { namedCurve: name === 'p384' ? 'P-384' : name === 'p521' ? 'P-521' : 'P-256' });
  const jwk = pair.publicKey.export({ format: 'jwk' }) as PublicJwk;
  const kind = name.startsWith('ed25519') ? 'ed25519' : name.startsWith('rsa') ? 'rsa' : 'ec';
  const scalar: Partial<TestKey> = kind === 'ed25519'
    ? { order: ED25519_L, scalarBytes: 32 }
    : name === 'p384'
      ? { order: P384_N, scalarBytes: 48 }
      : name === 'p521'
        ? { order: P521_N, scalarBytes: 66 }
        : kind === 'ec'
          ? { order: P256_N, scalarBytes: 32 }
          : {};
  return { name, kind, ...scalar, privateKey: pair.privateKey, publicKey: pair.publicKey, jwk };
}

export const KEYS: ReadonlyMap<KeyName, TestKey> = new Map(
  (['ed25519-a', 'ed25519-b', 'p256-a', 'p256-b', 'p384', 'p521', 'rsa2048-a', 'rsa2048-b', 'rsa1024'] as const).map((name) => [name, testKey(name)]),
);

export function key(name: KeyName): TestKey {
  return KEYS.get(name) as TestKey;
}

/** The key that normally signs `alg`, and another key of the same type (a wrong key that fits). */
export const NATURAL_KEYS: Readonly<Record<string, readonly [KeyName, KeyName]>> = {
  EdDSA: ['ed25519-a', 'ed25519-b'],
  Ed25519: ['ed25519-a', 'ed25519-b'],
  ES256: ['p256-a', 'p256-b'],
  ESP256: ['p256-a', 'p256-b'],
  ES384: ['p384', 'p384'],
  PS256: ['rsa2048-a', 'rsa2048-b'],
};

/** Keys a verifier can import (P-521 only ever signs: no SignatureAlgorithm can import it for verification). */
export const VERIFYING_KEYS: readonly KeyName[] = ['ed25519-a', 'ed25519-b', 'p256-a', 'p256-b', 'p384', 'rsa2048-a', 'rsa2048-b', 'rsa1024'];
export const SIGNING_KEYS: readonly KeyName[] = [...VERIFYING_KEYS, 'p521'];

/** Who signs and who verifies: mostly the algorithm's natural key, sometimes another key of its type, or any key. */
export const keyChoices = fc.record({
  signerChoice: fc.oneof({ weight: 6, arbitrary: fc.constant('natural' as const) }, { weight: 1, arbitrary: fc.constant('wrong-same-type' as const) }, { weight: 1, arbitrary: fc.constantFrom(...SIGNING_KEYS) }),
  verifierChoice: fc.oneof({ weight: 6, arbitrary: fc.constant('natural' as const) }, { weight: 1, arbitrary: fc.constantFrom(...VERIFYING_KEYS) }),
});

export function resolveKeys(base: string, choices: { signerChoice: 'natural' | 'wrong-same-type' | KeyName; verifierChoice: 'natural' | KeyName }): { signer: KeyName; verifier: KeyName } {
  const [natural, sameType] = NATURAL_KEYS[base] as readonly [KeyName, KeyName];
  const signer = choices.signerChoice === 'natural' ? natural : choices.signerChoice === 'wrong-same-type' ? sameType : choices.signerChoice;
  return { signer, verifier: choices.verifierChoice === 'natural' ? natural : choices.verifierChoice };
}

/** How a signature is produced: node:crypto parameters, independent of any JOSE or COSE library. */
export interface Signing {
  /** Digest for ECDSA and RSA; ignored for Ed25519. */
  hash: 'sha256' | 'sha384' | 'sha512';
  /** ECDSA: the JOSE/COSE form (r || s) or ASN.1 DER. */
  dsaEncoding: 'ieee-p1363' | 'der';
  /** RSA: PSS (with this salt length) or PKCS #1 v1.5. */
  rsaPadding: 'pss' | 'pkcs1';
  saltLength: number;
}

/** The parameters RFC 7518 / RFC 9053 / RFC 8230 prescribe for `alg`, for a key of the right type. */
export function normalSigning(alg: string): Signing {
  const hash = alg === 'ES384' || alg === 'PS384' ? 'sha384' : alg === 'ES512' ? 'sha512' : 'sha256';
  return { hash, dsaEncoding: 'ieee-p1363', rsaPadding: 'pss', saltLength: hash === 'sha384' ? 48 : hash === 'sha512' ? 64 : 32 };
}

export function signWith(testKey: TestKey, data: Uint8Array, signing: Signing): Uint8Array {
  switch (testKey.kind) {
    case 'ed25519':
      return new Uint8Array(sign(null, data, testKey.privateKey));
    case 'ec':
      return new Uint8Array(sign(signing.hash, data, { key: testKey.privateKey, dsaEncoding: signing.dsaEncoding }));
    case 'rsa': {
      // A salt longer than the key allows (emLen - hLen - 2) is the largest one instead.
      const emLength = Math.ceil((testKey.privateKey.asymmetricKeyDetails?.modulusLength as number) / 8);
      const saltLength = Math.min(signing.saltLength, emLength - HASH_BYTES[signing.hash] - 2);
      return new Uint8Array(
        sign(signing.hash, data, signing.rsaPadding === 'pss'
          ? { key: testKey.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }
          : { key: testKey.privateKey, padding: constants.RSA_PKCS1_PADDING }),
      );
    }
  }
}

const HASH_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const;

/** Alternatives to the normal parameters, each a way a signature can be made for the wrong profile. */
export function signingVariant(alg: string, signer: TestKey): fc.Arbitrary<Signing> {
  const normal = normalSigning(alg);
  const variants: fc.Arbitrary<Signing>[] = [fc.constant(normal)];
  if (signer.kind === 'ec') {
    variants.push(
      fc.constant({ ...normal, dsaEncoding: 'der' as const }),
      fc.constantFrom('sha256' as const, 'sha384' as const, 'sha512' as const).map((hash) => ({ ...normal, hash })),
    );
  }
  if (signer.kind === 'rsa') {
    // 222 is the largest salt a 2048-bit key allows with SHA-256 (emLen - hLen - 2).
    variants.push(
      fc.constantFrom(0, 20, 31, 33, 48, 64, 222).map((saltLength) => ({ ...normal, saltLength })),
      fc.constant({ ...normal, rsaPadding: 'pkcs1' as const }),
      fc.constantFrom('sha384' as const, 'sha512' as const).map((hash) => ({ ...normal, hash })),
      fc.constantFrom('sha384' as const, 'sha512' as const).map((hash) => ({ ...normal, hash, saltLength: 32 })),
    );
  }
  return fc.oneof(...variants);
}

/** A change to the signature bytes (applied after signing). */
export type SignatureMutation =
  | { kind: 'none' }
  | { kind: 'flip-bit'; at: number; bit: number }
  | { kind: 'truncate'; keep: number }
  | { kind: 'extend'; bytes: number[] }
  | { kind: 'prepend-zero' }
  | { kind: 'empty' }
  /** ECDSA: s -> n - s, the other valid signature of the same message (ECDSA is malleable). */
  | { kind: 'high-s' }
  /** ECDSA: r or s replaced by 0, or by itself plus n where that still fits. */
  | { kind: 'scalar'; which: 'r' | 's'; to: 'zero' | 'plus-order' }
  | { kind: 'swap-r-s' }
  /** Ed25519: S -> S + L (non-canonical S, RFC 8032 §5.1.7 requires S < L). */
  | { kind: 'ed25519-s-plus-l' };

export const signatureMutation: fc.Arbitrary<SignatureMutation> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip-bit' as const), at: fc.nat(600), bit: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat(600) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('extend' as const), bytes: fc.array(fc.nat(255), { minLength: 1, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'prepend-zero' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'empty' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'high-s' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('scalar' as const), which: fc.constantFrom('r' as const, 's' as const), to: fc.constantFrom('zero' as const, 'plus-order' as const) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'swap-r-s' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'ed25519-s-plus-l' as const }) },
);

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

/** Big-endian, exactly `length` bytes; undefined when the value does not fit. */
function fromBigInt(value: bigint, length: number): Uint8Array | undefined {
  const hex = value.toString(16).padStart(length * 2, '0');
  return hex.length > length * 2 ? undefined : new Uint8Array(Buffer.from(hex, 'hex'));
}

/**
 * The mutated signature, or undefined when the mutation does not apply (e.g. high-S on an RSA
 * signature, or a DER signature whose scalars cannot be split): the case is then the unmutated one.
 */
export function mutateSignature(signature: Uint8Array, signer: TestKey, mutation: SignatureMutation): Uint8Array | undefined {
  const ecdsaP1363 = signer.kind === 'ec' && signature.length === 2 * (signer.scalarBytes as number);
  const half = signature.length / 2;
  switch (mutation.kind) {
    case 'none':
      return signature;
    case 'flip-bit': {
      const copy = signature.slice();
      const at = mutation.at % copy.length;
      copy[at] = (copy[at] as number) ^ (1 << mutation.bit);
      return copy;
    }
    case 'truncate':
      return signature.slice(0, mutation.keep % signature.length);
    case 'extend':
      return Uint8Array.from([...signature, ...mutation.bytes]);
    case 'prepend-zero':
      return Uint8Array.of(0, ...signature);
    case 'empty':
      return new Uint8Array();
    case 'high-s': {
      if (!ecdsaP1363) return undefined;
      const s = toBigInt(signature.subarray(half));
      const flipped = fromBigInt((signer.order as bigint) - s, half);
      return flipped === undefined ? undefined : Uint8Array.from([...signature.subarray(0, half), ...flipped]);
    }
    case 'scalar': {
      if (!ecdsaP1363) return undefined;
      const part = mutation.which === 'r' ? signature.subarray(0, half) : signature.subarray(half);
      const value = mutation.to === 'zero' ? 0n : toBigInt(part) + (signer.order as bigint);
      const replaced = fromBigInt(value, half);
      if (replaced === undefined) return undefined;
      return mutation.which === 'r'
        ? Uint8Array.from([...replaced, ...signature.subarray(half)])
        : Uint8Array.from([...signature.subarray(0, half), ...replaced]);
    }
    case 'swap-r-s':
      return ecdsaP1363 ? Uint8Array.from([...signature.subarray(half), ...signature.subarray(0, half)]) : undefined;
    case 'ed25519-s-plus-l': {
      if (signer.kind !== 'ed25519' || signature.length !== 64) return undefined;
      // S is little-endian in the second half.
      const s = toBigInt(Uint8Array.from(signature.subarray(32)).reverse()) + ED25519_L;
      const bytes = fromBigInt(s, 32);
      return bytes === undefined ? undefined : Uint8Array.from([...signature.subarray(0, 32), ...bytes.reverse()]);
    }
  }
}

/**
 * The algorithm the verifier imports its key for, as the rules do: the link's algorithm when the key
 * can carry it (step 7 holds the two together before the codec is reached), else the key's own first
 * algorithm, so that the codec also sees keys that do not fit the link.
 */
export function importAlgorithm(linkAlg: string, jwk: PublicJwk): SignatureAlgorithm | undefined {
  const algorithms = algorithmsForKey(jwk);
  return algorithms.find((alg) => alg === linkAlg) ?? algorithms[0];
}

const keyCache = new KeyImportCache();

/** The verification key exactly as step 7 hands it to a codec (lib/keys KeyImportCache). */
export function verificationKey(jwk: PublicJwk, alg: SignatureAlgorithm): Promise<VerificationKey> {
  return keyCache.import(jwk, alg);
}

/** Per-category counts, so a test can show that each kind of input actually occurred. */
export class Tally {
  readonly #counts = new Map<string, number>();

  add(label: string): void {
    this.#counts.set(label, (this.#counts.get(label) ?? 0) + 1);
  }

  get(label: string): number {
    return this.#counts.get(label) ?? 0;
  }

  toString(): string {
    return [...this.#counts].sort(([a], [b]) => a.localeCompare(b)).map(([label, count]) => `${label}: ${count}`).join(', ');
  }
}
