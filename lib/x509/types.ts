/**
 * Public types of the X.509 path validator (SPEC-NOTES.md §7).
 */
import type { PublicJwk } from '../model/types.js';
import type { PathCache } from './cache.js';
import type { TrustAnchor } from './anchors.js';

/**
 * How the leaf certificate names the party it belongs to. Never the subject CN.
 * - `uri`: exactly one URI subjectAltName; the identity is that URI.
 * - `spiffe`: exactly one URI subjectAltName, a valid SPIFFE ID (X509-SVID); if `trustDomain` is set
 *   the ID's trust domain must equal it.
 * - `dns`: exactly one dNSName subjectAltName; the identity is that name in lower case.
 */
export type IdentityRule = { type: 'uri' } | { type: 'spiffe'; trustDomain?: string } | { type: 'dns' };

export type IdentityType = IdentityRule['type'];

/** Options of path validation without an identity rule (`validateCertificateChain`). */
export interface X509ChainOptions {
  /** Trust anchors from the trust configuration only (see `loadTrustAnchors`); never from the message. */
  anchors: readonly TrustAnchor[];
  /** Validation time, seconds since the epoch (injected clock). */
  now: number;
  /** Allowed clock skew in seconds, applied to both ends of every validity window. */
  clockToleranceSeconds: number;
  /** Maximum certificates in x5c, leaf included. Default: DEFAULT_LIMITS.maxCertificates (4). */
  maxCertificates?: number;
  /** Maximum DER size of one certificate. Default: 8192. */
  maxCertificateBytes?: number;
  /** Extended key usage OID the leaf must list explicitly (anyExtendedKeyUsage does not satisfy it). */
  requiredEku?: string;
  /**
   * RFC 5280 §6.1.1 (k) max_path_length: the most non-self-issued intermediate certificates allowed
   * between the anchor and the leaf (0: the anchor issues the leaf). Independent of `maxCertificates`,
   * which bounds the number of certificates received. Default: no bound beyond `maxCertificates`.
   */
  maxPathLength?: number;
  /** Verified-path cache; a hit is returned only when the uncached validation would accept too. */
  cache?: PathCache;
}

/** Options of `validateCertificatePath`: the chain options and the identity rule. */
export interface X509PathOptions extends X509ChainOptions {
  /** Where the leaf's identity comes from. */
  identity: IdentityRule;
}

/** The leaf's subjectAltName entries of the forms the identity matchers read, as encoded. */
export interface LeafNames {
  /** dNSName entries. */
  readonly dns: readonly string[];
  /** uniformResourceIdentifier entries. */
  readonly uri: readonly string[];
}

/** The outcome of a successful validation without identity rule. Deeply frozen: shared between cache hits. */
export interface ValidatedChain {
  /** The leaf's public key, public members only (kty, crv, x, y, n, e). */
  leafPublicJwk: PublicJwk;
  /**
   * JOSE algorithms the leaf key may verify: Ed25519 → EdDSA, Ed25519; P-256 → ES256, ESP256;
   * P-384 → ES384; RSA ≥ 2048 bits → PS256. Empty for any other key: the caller must then reject.
   */
  leafKeyAlgorithms: readonly string[];
  /** base64url(SHA-256(leaf DER)): the RFC 8705 `x5t#S256` of the leaf. */
  leafThumbprintS256: string;
  /** Subject DNs for display, leaf first, ending with the trust anchor's. */
  subjects: readonly string[];
  /** Earliest notAfter over the path including the anchor, seconds since the epoch. */
  notAfter: number;
  /** Latest notBefore over the path including the anchor, seconds since the epoch. */
  notBefore: number;
  /** The leaf's dNSName and URI subjectAltName entries, for the identity matchers (`matchDnsName`, ...). */
  leafNames: LeafNames;
}

/** The outcome of `validateCertificatePath`: the chain and the identity its rule selected. */
export interface ValidatedPath extends ValidatedChain {
  /** The leaf identity per the identity rule (URI, SPIFFE ID, or lower-case DNS name). */
  identity: string;
  identityType: IdentityType;
}
