/**
 * Step 12 (SPEC-NOTES.md §6.2): every link is valid now, has a bounded lifetime, and a child's
 * validity window lies inside its parent's. All times are NumericDate seconds.
 */
import { linkError } from '../errors.js';
import type { LinkClaims } from '../model/types.js';

export interface TimePolicy {
  now: number;
  toleranceSeconds: number;
  maxLifetimeSeconds: number;
}

/** A NumericDate as ISO 8601 for messages (the number itself when outside the Date range). */
export function isoDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isFinite(date.getTime()) ? date.toISOString().replace('.000Z', 'Z') : String(seconds);
}

function notBefore(claims: LinkClaims): number {
  return claims.nbf ?? claims.iat;
}

export function checkTime(claims: LinkClaims, index: number, parent: LinkClaims | undefined, policy: TimePolicy): void {
  const { now, toleranceSeconds: tol } = policy;
  if (claims.exp <= notBefore(claims) || (claims.nbf !== undefined && claims.nbf < claims.iat)) {
    throw linkError('claims_invalid', index, 'has an empty or inverted validity window');
  }
  if (claims.exp - claims.iat > policy.maxLifetimeSeconds) {
    throw linkError('lifetime_exceeded', index, `lifetime ${claims.exp - claims.iat}s exceeds ${policy.maxLifetimeSeconds}s`);
  }
  if (claims.iat > now + tol) throw linkError('not_yet_valid', index, 'is issued in the future');
  if (notBefore(claims) > now + tol) throw linkError('not_yet_valid', index, `is not valid before ${isoDate(notBefore(claims))}`);
  if (claims.exp <= now - tol) throw linkError('expired', index, `expired at ${isoDate(claims.exp)}`);
  if (parent !== undefined) {
    if (notBefore(claims) < notBefore(parent) || claims.exp > parent.exp) {
      throw linkError('validity_escalation', index, `is valid outside link ${index - 1}'s window`);
    }
  }
}
