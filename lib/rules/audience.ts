/**
 * Step 10 (SPEC-NOTES.md §6.2): every link is addressed to this verifier, by a single audience.
 */
import { LinkError } from '../errors.js';
import type { LinkClaims } from '../model/types.js';

export function checkAudience(claims: LinkClaims, index: number, audience: string): void {
  if (claims.aud !== audience) {
    throw new LinkError('audience_mismatch', index, `link ${index} is for audience "${claims.aud}", not "${audience}"`);
  }
}
