/**
 * The fixed test keys of the shared vectors. TEST KEYS — NEVER USE: every private key here is public.
 *
 * - Ed25519: the private key is a 32-byte seed, SHA-256("transitive-proof test key " + name), put in
 *   a PKCS#8 envelope; so the same name always gives the same key.
 * - EC P-256 / P-384: the private scalar is SHA-256 / SHA-384 of the same string (each valid scalar
 *   for these names: checked when the key is made), the public point computed from it.
 * - RSA: committed in rsa-keys.ts (RSA keys cannot be derived from a seed with node:crypto).
 */
import { createECDH, createHash, createPrivateKey } from 'node:crypto';
import { jwkThumbprint, type PrivateJwk, type PublicJwk, type SignatureAlgorithm } from '../../lib/index.js';
import { RSA_TEST_KEYS } from './rsa-keys.js';

export type KeyType = 'ed25519' | 'es256' | 'es384' | 'ps256';

export interface TestKey {
  /** The name under which it appears in a vector's `testKeys.keys`. */
  name: string;
  type: KeyType;
  /** The default JOSE algorithm of the key. */
  alg: SignatureAlgorithm;
  privateJwk: PrivateJwk;
  /** Public members only (with `kid` when the key has one). */
  publicJwk: PublicJwk;
  jkt: string;
}

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const ALG: Record<KeyType, SignatureAlgorithm> = { ed25519: 'EdDSA', es256: 'ES256', es384: 'ES384', ps256: 'PS256' };

function seed(name: string, hash: 'sha256' | 'sha384'): Buffer {
  return createHash(hash).update(`transitive-proof test key ${name}`).digest();
}

function ed25519(name: string): PrivateJwk {
  const key = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed(name, 'sha256')]), format: 'der', type: 'pkcs8' });
  return key.export({ format: 'jwk' }) as PrivateJwk;
}

function ec(name: string, curve: 'P-256' | 'P-384'): PrivateJwk {
  const d = seed(name, curve === 'P-256' ? 'sha256' : 'sha384');
  const ecdh = createECDH(curve === 'P-256' ? 'prime256v1' : 'secp384r1');
  ecdh.setPrivateKey(d); // throws when d is not a valid scalar
  const point = ecdh.getPublicKey();
  const size = d.length;
  return {
    kty: 'EC',
    crv: curve,
    x: point.subarray(1, 1 + size).toString('base64url'),
    y: point.subarray(1 + size).toString('base64url'),
    d: d.toString('base64url'),
  };
}

function privateJwkFor(name: string, type: KeyType): PrivateJwk {
  switch (type) {
    case 'ed25519':
      return ed25519(name);
    case 'es256':
      return ec(name, 'P-256');
    case 'es384':
      return ec(name, 'P-384');
    case 'ps256': {
      const key = RSA_TEST_KEYS[name];
      if (key === undefined) throw new Error(`no committed RSA test key "${name}"`);
      return { ...key };
    }
  }
}

function publicPart(jwk: PrivateJwk): PublicJwk {
  const out: PublicJwk = { kty: jwk.kty };
  for (const member of ['crv', 'x', 'y', 'n', 'e', 'kid'] as const) {
    const value = jwk[member];
    if (typeof value === 'string') out[member] = value;
  }
  return out;
}

const cache = new Map<string, Promise<TestKey>>();

/**
 * The test key `name` (its type is the suffix: "issuer-ed25519", "d1-es256"...). With `kid`, the
 * JWKs carry `"kid": name`.
 */
export function testKey(name: string, options: { kid?: boolean } = {}): Promise<TestKey> {
  const id = `${name}|${options.kid === true}`;
  let pending = cache.get(id);
  if (pending === undefined) {
    pending = makeKey(name, options.kid === true);
    cache.set(id, pending);
  }
  return pending;
}

async function makeKey(name: string, kid: boolean): Promise<TestKey> {
  const type = name.slice(name.lastIndexOf('-') + 1) as KeyType;
  if (!(type in ALG)) throw new Error(`test key name "${name}" does not end in a key type`);
  const base = privateJwkFor(name, type);
  const privateJwk: PrivateJwk = kid ? { ...base, kid: name } : base;
  const publicJwk = publicPart(privateJwk);
  return { name, type, alg: ALG[type], privateJwk, publicJwk, jkt: await jwkThumbprint(publicJwk) };
}
