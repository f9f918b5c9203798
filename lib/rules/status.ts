/**
 * Step 17a (SPEC-NOTES.md §6.2): no link of the chain has been withdrawn. Runs after every offline
 * check, so a chain that fails for any local reason costs no lookup and no fetch, and after each
 * link's signature is verified, so the `status` reference read is the signer's own; runs before
 * step 18, so a withdrawn chain, or one whose status cannot be had, consumes nothing.
 *
 * Root first, for each link: its hash is not in the revocation store (`link_revoked`); then, if it
 * carries `status`, its Status List entry is VALID (`link_revoked`, `link_suspended`).
 */
import { LinkError, linkError, TransitiveProofError, quoted } from '../errors.js';
import type { DecodedLink, RevocationStore, StatusListSource, StatusUnavailableEvent } from '../ports.js';
import type { LinkClaims } from '../model/types.js';
import type { CompiledTrust } from '../trust/trust.js';
import type { TrustServices } from '../trust/services.js';
import { readStatus, STATUS_SUSPENDED, STATUS_VALID } from '../status/list.js';
import { linkHash } from './linkage.js';

export type { StatusUnavailableEvent };

export interface StatusCheckOptions {
  revocationStore?: RevocationStore;
  onStatusUnavailable?: (event: StatusUnavailableEvent) => void;
}

/** Without a promise when there is nothing to look up: no revocation store, no link with `status`. */
export function checkLinkStatus(
  links: readonly DecodedLink[],
  claims: readonly LinkClaims[],
  trust: CompiledTrust,
  services: TrustServices,
  now: number,
  options: StatusCheckOptions,
): void | Promise<void> {
  if (options.revocationStore === undefined && !claims.some(hasStatus)) return;
  return checkEachLinkStatus(links, claims, trust, services, now, options);
}

function hasStatus(link: LinkClaims): boolean {
  return link.status !== undefined;
}

async function checkEachLinkStatus(
  links: readonly DecodedLink[],
  claims: readonly LinkClaims[],
  trust: CompiledTrust,
  services: TrustServices,
  now: number,
  options: StatusCheckOptions,
): Promise<void> {
  if (options.revocationStore !== undefined) {
    const revoked = await options.revocationStore.firstRevoked(await Promise.all(links.map((link) => linkHash(link.bytes))));
    if (revoked >= 0) throw linkError('link_revoked', revoked, 'has been revoked (by its hash)');
  }
  const statusLists = services.statusLists;
  if (statusLists === undefined) {
    const index = claims.findIndex(hasStatus);
    if (index >= 0) throw linkError('status_unavailable', index, 'has a status list entry and the trust configuration accepts no status lists');
    return;
  }
  // The lookup is the status part's (`statusSupport`, which hands over checkStatusLists below).
  await statusLists.check(claims, statusLists.source, now, trust.clockToleranceSeconds, options.onStatusUnavailable);
}

/**
 * The Status List lookup of step 17a, root first: every link with `status` names a list some
 * configured issuer covers, the list can be had (or the configuration accepts that it cannot), and
 * the link's entry in it is VALID. `statusSupport` (transitive-proof/status) carries it to the
 * verifier, so that a verifier without status lists carries none of this code.
 */
export async function checkStatusLists(
  claims: readonly LinkClaims[],
  fetcher: StatusListSource,
  now: number,
  toleranceSeconds: number,
  onStatusUnavailable: ((event: StatusUnavailableEvent) => void) | undefined,
): Promise<void> {
  for (const [index, link] of claims.entries()) {
    if (link.status === undefined) continue;
    const { idx, uri } = link.status.status_list;
    if (!fetcher.covers(uri)) {
      // Never fetched, whatever the policy: fetching URIs a link names would be an SSRF hole.
      throw new LinkError('status_unavailable', index, `link ${index}: no configured status list issuer covers ${quoted(uri)}`);
    }
    let list;
    try {
      list = await fetcher.list(uri, now, toleranceSeconds);
    } catch (error) {
      const failure = error instanceof TransitiveProofError ? error : new TransitiveProofError('status_unavailable', 'status list lookup failed', { cause: error });
      // Fail open only where the configuration says so, and only for a list that could not be
      // fetched; never for a list that arrived and is invalid.
      if (failure.code === 'status_unavailable' && fetcher.policy === 'accept') {
        onStatusUnavailable?.({ linkIndex: index, uri, idx, error: failure });
        continue;
      }
      throw new LinkError(failure.code, index, `link ${index}: ${failure.message}`, { cause: failure });
    }
    const value = readStatus(list.list, list.bits, idx);
    if (value === undefined) throw new LinkError('status_list_invalid', index, `link ${index}: status index ${idx} is outside the list at ${quoted(uri)}`);
    if (value === STATUS_VALID) continue;
    if (value === STATUS_SUSPENDED) throw linkError('link_suspended', index, `is suspended (status list ${quoted(uri)} index ${idx})`);
    throw linkError('link_revoked', index, `is not valid: status ${value} (status list ${quoted(uri)} index ${idx})`);
  }
}
