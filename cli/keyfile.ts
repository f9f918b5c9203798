/**
 * Key files: JWK JSON as written by `tproof keygen`.
 */
import { algorithmForKey, toPublicJwk, type PrivateJwk, type PublicJwk, type SignatureAlgorithm } from '../lib/index.js';
import { readJsonFile, UsageError } from './io.js';

export function readPrivateKey(path: string): PrivateJwk {
  const jwk = readJsonFile(path, 'key') as Partial<PrivateJwk>;
  if (typeof jwk !== 'object' || jwk === null || typeof jwk.kty !== 'string' || typeof jwk.d !== 'string') {
    throw new UsageError(`key file "${path}" is not a private JWK`);
  }
  return jwk as PrivateJwk;
}

/** A public key from a file holding either a public or a private JWK (only the public part is used). */
export function readPublicKey(path: string): PublicJwk {
  const jwk = readJsonFile(path, 'key') as Partial<PublicJwk>;
  if (typeof jwk !== 'object' || jwk === null || typeof jwk.kty !== 'string') throw new UsageError(`key file "${path}" is not a JWK`);
  return toPublicJwk(jwk as PublicJwk);
}

export function signingAlgorithm(jwk: PublicJwk, requested: string | undefined): SignatureAlgorithm {
  const alg = requested ?? algorithmForKey(jwk);
  if (alg === undefined) throw new UsageError('the key type has no supported signature algorithm');
  return alg as SignatureAlgorithm;
}
