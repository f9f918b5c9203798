/**
 * Step 10 (SPEC-NOTES.md §6.2): every link is addressed to this verifier, by a single audience.
 */
import { linkError, quoted } from '../errors.js';
import type { LinkClaims } from '../model/types.js';

export function checkAudience(claims: LinkClaims, index: number, audience: string): void {
  if (claims.aud !== audience) {
    throw linkError('audience_mismatch', index, `is for audience ${quoted(claims.aud)}, not ${quoted(audience)}`);
  }
}
