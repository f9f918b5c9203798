/**
 * transitive-proof: signed delegation chains that justify OAuth deferred key binding (`tmb`).
 * The normative description is SPEC-NOTES.md.
 */
export { TransitiveProofError, LinkError, X509Error, CoseError, ERROR_CODES, isTransitiveProofError } from './errors.js';
export type { ErrorCode, OAuthErrorCode, TransitiveProofErrorJSON, VerificationStep } from './errors.js';

export type { Actor, Chain, Confirmation, Delegate, LinkClaims, LinkStatus, LinkFormat, PrivateJwk, PublicJwk, SignatureAlgorithm } from './model/types.js';
export { SIGNATURE_ALGORITHMS } from './model/types.js';
export { DEFAULT_LIMITS, type Limits } from './model/limits.js';
export { confirmationEquals, confirmationJkt } from './model/confirmation.js';

export { algorithmForKey, algorithmsForKey, generateKeyPair, jwkThumbprint, toPublicJwk, type KeyAlgorithmName } from './keys/keys.js';

export { parseChain, serializeChain, chainToJson, decodeChain, type ChainInput } from './chain.js';
export type { DecodedLink, LinkHeader } from './codecs/codec.js';
export { JWT_LINK_TYP } from './codecs/jose/codec.js';

export { mintLink, startChain, appendLink, delegate, buildLinkClaims, DEFAULT_LINK_LIFETIME_SECONDS } from './mint.js';
export type { LinkInput, LinkSigner, MintOptions, DelegationInput } from './mint.js';

export { createVerifier, verifyChain, type ChainVerifier } from './verify.js';
export type { VerificationContext, VerifierOptions, RequesterIdentity } from './rules/context.js';
export type { VerifiedChain, VerifiedLink } from './rules/result.js';
export type { SignerKind } from './rules/signer.js';
export { linkHash } from './rules/linkage.js';

export { compileTrust, DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_MAX_LIFETIME_SECONDS, JWK_THUMBPRINT_URI_PREFIX } from './trust/trust.js';
export type { TrustConfig, CompiledTrust, RootConfig, IssuerRootConfig, HolderRootConfig, KnownHolder, X509RootConfig, CertificateProfileConfig, SubjectLimit, IdentifierPatterns, JwkSet } from './trust/trust.js';

// Withdrawing links: Token Status Lists, revoked link hashes, remote JWKS (SPEC-NOTES.md §3.5, §5.1).
export * from './status/index.js';
export type { StatusUnavailableEvent } from './rules/status.js';
export type { TrustCompileOptions } from './trust/trust.js';

// The authorization-server and client side of a deferred binding (lib/as/SPEC-SECTION.md).
export * from './client/index.js';
export * from './as/index.js';
export * from './replay/index.js';
export * from './dpop/index.js';

export {
  validateCertificatePath, loadTrustAnchors, PathCache, createCertificateAuthority, createIntermediate, createLeaf,
  CERTIFICATE_KEY_ALGORITHMS,
  validateCertificateChain, validateCertificateBag, orderCertificates, matchDnsName, matchUri, matchSpiffeId,
} from './x509/index.js';
export type {
  TrustAnchor, CertificateKeyAlgorithm, IssuedCertificate, IdentityRule, ValidatedPath, X509PathOptions, NameConstraintsSpec,
  ValidatedChain, X509ChainOptions, LeafNames, OrderOptions, ValidatedBag,
} from './x509/index.js';

// Inspecting chains: the view model of `tproof inspect` and the web inspector.
export * from './inspect/index.js';
