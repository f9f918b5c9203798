/**
 * The `transitive-proof/x509` entry: X.509 `x5c` path validation (RFC 5280 §6 subset) for links
 * signed with a certificate key, identity matchers, and `x509Support`, the object that enables x509
 * roots and certificate-named delegates in a verifier. Certificates are read with the ASN.1 schemas
 * (@peculiar/asn1-x509, asn1js); @peculiar/x509 and reflect-metadata are the demo PKI's
 * (`transitive-proof/x509/issue`), not loaded here. SPEC-NOTES.md §7 states the rules and error codes.
 */
export { x509Support } from '../rules/x509-support.js';
export type { X509Support, X509TrustSections, CertificateProfile, CertificateSigner, CertificateSignerContext, TrustAnchor, IdentityRule, IdentityType, LeafNames, ValidatedChain, ValidatedPath, X509ChainOptions, X509PathOptions, VerifiedPathCache } from '../ports.js';
export { validateCertificatePath, validateCertificateChain, DEFAULT_MAX_CERTIFICATE_BYTES } from './path.js';
export {
  orderCertificates,
  validateCertificateBag,
  MAX_BAG_CERTIFICATES,
  DEFAULT_MAX_CANDIDATES,
  type OrderOptions,
  type ValidatedBag,
} from './order.js';
export { loadTrustAnchors } from './anchors.js';
export { assertIdentity, parseSpiffeId, matchDnsName, matchUri, matchSpiffeId, type SpiffeId } from './identity.js';
export { PathCache, DEFAULT_PATH_CACHE_ENTRIES, type PathCacheOptions } from './cache.js';
export { UNDERSTOOD_CRITICAL_EXTENSIONS } from './rules/05-critical-extensions.js';
