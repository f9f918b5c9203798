/**
 * Step 11 (SPEC-NOTES.md §6.2): the subject and the target key are fixed by the root and cannot
 * change along the chain.
 */
import { LinkError } from '../errors.js';
import { confirmationEquals } from '../model/confirmation.js';
import type { LinkClaims } from '../model/types.js';

export async function checkInvariants(claims: LinkClaims, index: number, root: LinkClaims): Promise<void> {
  if (claims.sub !== root.sub) {
    throw new LinkError('subject_mismatch', index, `link ${index} sub "${claims.sub}" differs from the root's "${root.sub}"`);
  }
  if (!(await confirmationEquals(claims.tmb, root.tmb))) {
    throw new LinkError('tmb_mismatch', index, `link ${index} tmb differs from the root's`);
  }
}
