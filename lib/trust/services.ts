/**
 * What a verifier uses, as opposed to what its trust configuration says (README "Architecture"): the
 * key import cache, X.509 path validation and its cache, the status list source and the key sets
 * fetched from a `jwksUri`. A CompiledTrust is policy only; each verifier holds one TrustServices
 * made from it and from the parts it was given, so one configuration can be shared, compared or
 * serialised without carrying caches or connections.
 */
import { KeyImportCache } from '../keys/keys.js';
import type { FetchLike, KeySetSource, RemoteKeySupport, StatusListSource, StatusSupport, VerifiedPathCache, X509Support } from '../ports.js';
import { assertX509Part, partIncomplete, partMissing, type CompiledTrust } from './trust.js';

export interface TrustServices {
  /** Verification keys imported once per key and algorithm. */
  readonly keyCache: KeyImportCache;
  /** Set when the configuration has certificate profiles. */
  readonly x509: X509Support | undefined;
  /** Verified X.509 paths, so a repeated x5c is not validated again (never widens acceptance); with `x509` only. */
  readonly pathCache: VerifiedPathCache | undefined;
  /**
   * Status List Tokens, and step 17a's lookup in them that the status part carries: undefined when
   * the configuration accepts none (a link with `status` then fails closed).
   */
  readonly statusLists: { readonly source: StatusListSource; readonly check: StatusSupport['checkStatusLists'] } | undefined;
  /** The key set of each issuer root's `jwksUri` (made by the `remoteKeys` part). */
  readonly remoteKeySets: ReadonlyMap<string, KeySetSource>;
}

/** The parts services are made from. */
export interface TrustServiceParts {
  fetch?: FetchLike | undefined;
  x509?: X509Support | undefined;
  status?: StatusSupport | undefined;
  remoteKeys?: RemoteKeySupport | undefined;
}

/** How the call that makes them begins, as a missing part's refusal words it (partMissing). */
const CALL = 'createVerifier(trust';

/** Make the services a compiled configuration needs; `invalid_argument` when a needed part is missing. */
export function createTrustServices(trust: CompiledTrust, parts: TrustServiceParts = {}): TrustServices {
  const needsX509 = trust.delegateCertificates !== undefined || trust.roots.some((root) => root.type === 'x509');
  if (needsX509 && parts.x509 === undefined) {
    throw partMissing('x509', CALL);
  }
  if (trust.status !== undefined && parts.status === undefined) {
    throw partMissing('status', CALL);
  }
  const jwksUris = new Set(trust.roots.flatMap((root) => (root.type === 'issuer' && root.jwksUri !== undefined ? [root.jwksUri] : [])));
  if (jwksUris.size > 0 && parts.remoteKeys === undefined) {
    throw partMissing('remoteKeys', CALL);
  }
  const fetchOption = parts.fetch === undefined ? {} : { fetch: parts.fetch };
  const remoteKeySets = new Map<string, KeySetSource>();
  for (const uri of jwksUris) remoteKeySets.set(uri, (parts.remoteKeys as RemoteKeySupport).createKeySet(uri, fetchOption));
  const x509 = needsX509 ? assertX509Part(parts.x509 as X509Support) : undefined;
  return {
    keyCache: new KeyImportCache(),
    x509,
    pathCache: x509?.createPathCache(),
    statusLists: trust.status === undefined || parts.status === undefined
      ? undefined
      : { source: parts.status.createStatusSource(trust.status, trust.algorithms, trust.limits, fetchOption), check: statusCheck(parts.status) },
    remoteKeySets,
  };
}

/** The part's step 17a lookup. */
function statusCheck(status: StatusSupport): StatusSupport['checkStatusLists'] {
  if (typeof status.checkStatusLists !== 'function') throw partIncomplete('status', 'checkStatusLists');
  return status.checkStatusLists;
}

