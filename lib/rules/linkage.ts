/**
 * Steps 8 and 9 (SPEC-NOTES.md §6.2): the hash link to the previous link and the delegation link
 * from the previous link's delegate to this link's issuer.
 */
import { sha256Base64url } from '#runtime';
import { LinkError, linkError, quoted } from '../errors.js';
import type { LinkClaims } from '../model/types.js';
import type { MaybePromise } from '../runtime/types.js';

/** base64url(SHA-256(bytes)): the value of `prev`. */
export async function linkHash(bytes: Uint8Array): Promise<string> {
  return sha256Base64url(bytes);
}

/** linkHash without a promise where the runtime digests synchronously (Node): for per-link paths. */
export function linkHashMaybeSync(bytes: Uint8Array): MaybePromise<string> {
  return sha256Base64url(bytes);
}

/**
 * 8. The root has no `prev`; every other link's `prev` hashes the exact bytes of the link before
 * it. Returns a promise only where the runtime digests asynchronously.
 */
export function checkPrev(claims: LinkClaims, index: number, previousBytes: Uint8Array | undefined): void | Promise<void> {
  if (previousBytes === undefined) {
    if (claims.prev !== undefined) throw new LinkError('chain_broken', index, 'the root link must not have "prev"');
    return;
  }
  const prev = claims.prev;
  if (prev === undefined) throw linkError('chain_broken', index, 'has no "prev"');
  // Both sides are public (a hash of received bytes, a signed claim): no secret to time, so a plain
  // string comparison, without encoding both to bytes per link.
  const compare = (expected: string): void => {
    if (expected !== prev) {
      throw linkError('chain_broken', index, `"prev" does not hash link ${index - 1}`);
    }
  };
  const expected = linkHashMaybeSync(previousBytes);
  return typeof expected === 'string' ? compare(expected) : expected.then(compare);
}

/** 9. A link is issued by the delegate its parent named. */
export function checkDelegation(claims: LinkClaims, index: number, parent: LinkClaims): void {
  if (claims.iss !== parent.may_act.sub) {
    throw linkError('delegate_mismatch', index, `iss ${quoted(claims.iss)} is not link ${index - 1}'s delegate ${quoted(parent.may_act.sub)}`);
  }
}
