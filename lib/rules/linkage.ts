/**
 * Steps 8 and 9 (SPEC-NOTES.md §6.2): the hash link to the previous link and the delegation link
 * from the previous link's delegate to this link's issuer.
 */
import nodeCrypto, { createHash, timingSafeEqual } from 'node:crypto';
import { LinkError } from '../errors.js';
import type { LinkClaims } from '../model/types.js';

// One-shot crypto.hash (Node >= 20.12) costs about half of createHash().update().digest() on a
// link-sized input; older Node 20 releases lack it, so it is looked up, not imported by name.
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'base64url') => string }).hash;

/** base64url(SHA-256(bytes)): the value of `prev`. */
export function linkHash(bytes: Uint8Array): string {
  return oneShotHash === undefined ? createHash('sha256').update(bytes).digest('base64url') : oneShotHash('sha256', bytes, 'base64url');
}

/** 8. The root has no `prev`; every other link's `prev` hashes the exact bytes of the link before it. */
export function checkPrev(claims: LinkClaims, index: number, previousBytes: Uint8Array | undefined): void {
  if (previousBytes === undefined) {
    if (claims.prev !== undefined) throw new LinkError('chain_broken', index, 'the root link must not have "prev"');
    return;
  }
  if (claims.prev === undefined) throw new LinkError('chain_broken', index, `link ${index} has no "prev"`);
  const expected = Buffer.from(linkHash(previousBytes));
  const actual = Buffer.from(claims.prev);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new LinkError('chain_broken', index, `link ${index} "prev" does not hash link ${index - 1}`);
  }
}

/** 9. A link is issued by the delegate its parent named. */
export function checkDelegation(claims: LinkClaims, index: number, parent: LinkClaims): void {
  if (claims.iss !== parent.may_act.sub) {
    throw new LinkError('delegate_mismatch', index, `link ${index} iss "${claims.iss}" is not link ${index - 1}'s delegate "${parent.may_act.sub}"`);
  }
}
