/**
 * Step 11 (SPEC-NOTES.md §6.2): the subject and the target key are fixed by the root and cannot
 * change along the chain.
 */
import { LinkError, linkError, quoted } from '../errors.js';
import { sameJwkThumbprintInput } from '../keys/keys.js';
import { confirmationEquals } from '../keys/confirmation.js';
import type { LinkClaims } from '../model/types.js';

/** Without a promise when the root's key is spelled the same (nearly always): see confirmationEquals. */
export function checkInvariants(claims: LinkClaims, index: number, root: LinkClaims): void | Promise<void> {
  if (claims.sub !== root.sub) {
    throw linkError('subject_mismatch', index, `sub ${quoted(claims.sub)} differs from the root's ${quoted(root.sub)}`);
  }
  const mismatch = (): LinkError => linkError('tmb_mismatch', index, "tmb differs from the root's");
  if ('jwk' in claims.tmb && 'jwk' in root.tmb && sameJwkThumbprintInput(claims.tmb.jwk, root.tmb.jwk)) return;
  return confirmationEquals(claims.tmb, root.tmb).then((equal) => {
    if (!equal) throw mismatch();
  });
}
