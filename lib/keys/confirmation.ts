/**
 * RFC 7800 confirmation methods as used by `tmb` and `may_act.cnf`, and the equality that the
 * invariance and request-binding rules rely on.
 */
import { jwkThumbprint, jwkThumbprintMaybeSync, sameJwkThumbprintInput } from './keys.js';
import type { Confirmation } from '../model/types.js';

export type ConfirmationKind = 'jkt' | 'jwk' | 'x5t#S256';

export function confirmationKind(cnf: Confirmation): ConfirmationKind {
  if ('jkt' in cnf) return 'jkt';
  if ('jwk' in cnf) return 'jwk';
  return 'x5t#S256';
}

/**
 * A comparable identity for a confirmation: `jkt:<thumbprint>` for both `jkt` and `jwk` (a `jwk`
 * is identified by its RFC 7638 thumbprint), `x5t#S256:<hash>` for certificates.
 */
export async function confirmationId(cnf: Confirmation): Promise<string> {
  if ('jkt' in cnf) return `jkt:${cnf.jkt}`;
  if ('jwk' in cnf) return `jkt:${await jwkThumbprint(cnf.jwk)}`;
  return `x5t#S256:${cnf['x5t#S256']}`;
}

/**
 * Equality used by the `tmb` invariance rule: same member name, and for `jwk` the same key
 * (compared by thumbprint, so member order and optional members do not matter).
 */
export async function confirmationEquals(a: Confirmation, b: Confirmation): Promise<boolean> {
  if (confirmationKind(a) !== confirmationKind(b)) return false;
  // Step 11 compares every link's tmb with the root's: nearly always the same key, spelled the
  // same. Identical thumbprint input gives an identical thumbprint, so skip the two hashes.
  // Anything else is hashed and compared exactly as before.
  if ('jwk' in a && 'jwk' in b && sameJwkThumbprintInput(a.jwk, b.jwk)) return true;
  return (await confirmationId(a)) === (await confirmationId(b));
}

/** The jkt of a key-based confirmation (for DPoP-bound tokens), undefined for certificates. */
export async function confirmationJkt(cnf: Confirmation): Promise<string | undefined> {
  return confirmationJktMaybeSync(cnf);
}

/** confirmationJkt without a promise where the runtime digests synchronously (Node): for step 16. */
export function confirmationJktMaybeSync(cnf: Confirmation): string | undefined | Promise<string | undefined> {
  return 'jkt' in cnf ? cnf.jkt : 'jwk' in cnf ? jwkThumbprintMaybeSync(cnf.jwk) : undefined;
}
