/**
 * X.509 `x5c` path validation (RFC 5280 §6 subset) for links signed with a certificate key, plus a
 * demo PKI. SPEC-NOTES.md §7 states the rules and error codes.
 */
export { validateCertificatePath, validateCertificateChain, DEFAULT_MAX_CERTIFICATE_BYTES } from './path.js';
export {
  orderCertificates,
  validateCertificateBag,
  MAX_BAG_CERTIFICATES,
  DEFAULT_MAX_CANDIDATES,
  type OrderOptions,
  type ValidatedBag,
} from './order.js';
export { loadTrustAnchors, type TrustAnchor } from './anchors.js';
export { assertIdentity, parseSpiffeId, matchDnsName, matchUri, matchSpiffeId, type SpiffeId } from './identity.js';
export { PathCache, DEFAULT_PATH_CACHE_ENTRIES, type PathCacheOptions } from './cache.js';
export { UNDERSTOOD_CRITICAL_EXTENSIONS } from './certificate.js';
export {
  createCertificateAuthority,
  createIntermediate,
  createLeaf,
  CERTIFICATE_KEY_ALGORITHMS,
  type CertificateKeyAlgorithm,
  type CertificateAuthorityOptions,
  type IntermediateOptions,
  type LeafOptions,
  type LeafIdentitySpec,
  type IssuedCertificate,
  type NameConstraintsSpec,
  type SubtreeSpec,
} from './issue.js';
export type { IdentityRule, IdentityType, LeafNames, ValidatedChain, ValidatedPath, X509ChainOptions, X509PathOptions } from './types.js';
