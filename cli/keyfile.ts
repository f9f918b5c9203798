/**
 * Key files: JWK JSON as written by `tproof keygen`. Every key read is checked here, before the
 * library sees it, so that a bad file is reported in terms of the file (which member is missing,
 * why the key is unusable) rather than by the schema of the link it would have ended up in.
 */
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { algorithmForKey, toPublicJwk, type PrivateJwk, type PublicJwk, type SignatureAlgorithm } from '../lib/index.js';
import { readJsonFile, UsageError } from './io.js';

const MIN_RSA_BITS = 2048;
const CURVES: Record<string, readonly string[]> = { OKP: ['Ed25519'], EC: ['P-256', 'P-384'], RSA: [] };
const PUBLIC_MEMBERS: Record<string, readonly string[]> = { OKP: ['crv', 'x'], EC: ['crv', 'x', 'y'], RSA: ['n', 'e'] };
const PRIVATE_MEMBERS: Record<string, readonly string[]> = { OKP: ['d'], EC: ['d'], RSA: ['d', 'p', 'q', 'dp', 'dq', 'qi'] };
const KIND: Record<string, string> = { OKP: 'an Ed25519 (OKP)', EC: 'an EC', RSA: 'an RSA' };

/** The problem with `value` as a key of the given kind, in words; undefined when it is usable. */
function keyProblem(value: unknown, needPrivate: boolean): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'is not a JWK (a JSON object as written by tproof keygen)';
  const jwk = value as Record<string, unknown>;
  const kty = jwk.kty;
  if (typeof kty !== 'string' || !(kty in CURVES)) {
    return `has key type ${JSON.stringify(kty ?? null)}; tproof uses Ed25519 ("OKP"), P-256 or P-384 ("EC") and RSA keys`;
  }
  const members = [...(PUBLIC_MEMBERS[kty] ?? []), ...(needPrivate ? PRIVATE_MEMBERS[kty] ?? [] : [])];
  const missing = members.filter((member) => typeof jwk[member] !== 'string' || jwk[member] === '');
  if (missing.length > 0) {
    const what = needPrivate ? `${KIND[kty]} private key` : `${KIND[kty]} key`;
    return `is ${what} without ${missing.map((member) => `"${member}"`).join(', ')} (${what} has ${members.map((member) => `"${member}"`).join(', ')})`;
  }
  const curves = CURVES[kty] ?? [];
  if (curves.length > 0 && !curves.includes(jwk.crv as string)) return `has curve ${JSON.stringify(jwk.crv)}; tproof uses ${curves.join(' or ')} for "${kty}" keys`;
  const notBase64url = members.filter((member) => member !== 'crv' && !/^[A-Za-z0-9_-]+$/.test(jwk[member] as string));
  if (notBase64url.length > 0) return `has ${notBase64url.map((member) => `"${member}"`).join(', ')} not in base64url`;
  let key: KeyObject;
  try {
    key = needPrivate ? createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' }) : createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch {
    return `is not a valid ${kty === 'RSA' ? 'RSA' : String(jwk.crv)} key (its members do not form a key)`;
  }
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (kty === 'RSA' && (bits === undefined || bits < MIN_RSA_BITS)) return `is an RSA key of ${bits ?? 'unknown'} bits; at least ${MIN_RSA_BITS} are required`;
  return undefined;
}

export function readPrivateKey(path: string): PrivateJwk {
  const jwk = readJsonFile(path, 'key');
  const problem = keyProblem(jwk, true);
  if (problem !== undefined) throw new UsageError(`key file "${path}" ${problem}`);
  return jwk as PrivateJwk;
}

/** A public key from a file holding either a public or a private JWK (only the public part is used). */
export function readPublicKey(path: string): PublicJwk {
  const jwk = readJsonFile(path, 'key');
  const problem = keyProblem(jwk, false);
  if (problem !== undefined) throw new UsageError(`key file "${path}" ${problem}`);
  return toPublicJwk(jwk as PublicJwk);
}

export function signingAlgorithm(jwk: PublicJwk, requested: string | undefined): SignatureAlgorithm {
  const alg = requested ?? algorithmForKey(jwk);
  if (alg === undefined) throw new UsageError('the key type has no supported signature algorithm');
  return alg as SignatureAlgorithm;
}
