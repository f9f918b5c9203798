/**
 * What compileTrust needs from the optional parts of the package, passed in explicitly rather than
 * imported here, so that the root entry loads neither the X.509 stack (@peculiar/x509, asn1js,
 * reflect-metadata) nor CBOR unless the caller asks for them:
 * `compileTrust(config, { x509: x509Support, status: statusSupport })` with the objects of
 * `transitive-proof/x509` and `transitive-proof/status`. Types only: nothing loads at run time.
 */
import type { Limits } from '../model/limits.js';
import type { SignatureAlgorithm } from '../model/types.js';
import type { TrustAnchor } from '../x509/anchors.js';
import type { PathCache } from '../x509/cache.js';
import type { ValidatedPath, X509PathOptions } from '../x509/types.js';
import type { StatusConfig, StatusUnavailablePolicy } from '../status/config.js';
import type { VerifiedStatusList } from '../status/token.js';
import type { FetchLike } from '../status/uri.js';

/** X.509 path validation for x509 roots and `delegateCertificates` (SPEC-NOTES.md §7). */
export interface X509Support {
  loadTrustAnchors(derOrBase64: readonly (Uint8Array | string)[]): Promise<TrustAnchor[]>;
  createPathCache(): PathCache;
  validateCertificatePath(x5c: readonly Uint8Array[], options: X509PathOptions): Promise<ValidatedPath>;
  /** Throws `x5c_identity_mismatch` unless the path's identity is `iss`. */
  assertIdentity(path: ValidatedPath, iss: string): void;
}

/** Where step 17a gets a verified Status List (SPEC-NOTES.md §5.1); StatusListFetcher is one. */
export interface StatusListSource {
  readonly policy: StatusUnavailablePolicy;
  covers(uri: string): boolean;
  list(uri: string, now: number, toleranceSeconds: number): Promise<VerifiedStatusList>;
}

/** Token Status Lists for a trust configuration's `status` section (SPEC-NOTES.md §5.1). */
export interface StatusSupport {
  createStatusSource(config: StatusConfig, algorithms: ReadonlySet<SignatureAlgorithm>, limits: Limits, options: { fetch?: FetchLike }): StatusListSource;
}
