/**
 * The algorithm tables of X.509 path validation, together in one place: the signature algorithms a
 * certificate may be signed with (rule 4), the RSA key-size floor (rule 4, and the leaf key's
 * algorithms in the result, SPEC-NOTES.md §7.3), and the JOSE algorithms a leaf key may verify.
 */
import type { PublicJwk } from '../model/types.js';

export const MIN_RSA_BITS = 2048;

/** Signature algorithms accepted on certificates, with their hashes (null: none named); SHA-1 and MD5 signatures are refused. */
export const ACCEPTED_SIGNATURES: ReadonlyMap<string, ReadonlySet<string> | null> = new Map<string, ReadonlySet<string> | null>([
  ['ECDSA', new Set(['SHA-256', 'SHA-384', 'SHA-512'])],
  ['RSA-PSS', new Set(['SHA-256', 'SHA-384', 'SHA-512'])],
  ['RSASSA-PKCS1-v1_5', new Set(['SHA-256', 'SHA-384', 'SHA-512'])],
  ['Ed25519', null],
]);

/** The JOSE algorithms a validated leaf key may verify (SPEC-NOTES.md §7.3); none for any other key. */
export function keyAlgorithms(jwk: PublicJwk): string[] {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return ['EdDSA', 'Ed25519'];
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return ['ES256', 'ESP256'];
  if (jwk.kty === 'EC' && jwk.crv === 'P-384') return ['ES384'];
  if (jwk.kty === 'RSA' && typeof jwk.n === 'string' && Math.floor((jwk.n.length * 3) / 4) * 8 >= MIN_RSA_BITS) return ['PS256'];
  return [];
}
