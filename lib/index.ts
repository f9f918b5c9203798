/**
 * transitive-proof: signed delegation chains that justify OAuth deferred key binding (`tmb`).
 * The normative description is SPEC-NOTES.md.
 *
 * The root entry: the model, errors, keys, JWT chains, minting, verification, trust compilation
 * and the client's request builder, on Web APIs alone. It loads no CBOR, X.509 or ajv compiler;
 * those parts are entries of their own, passed in explicitly where used (README "Entry points"):
 * `transitive-proof/cose` (coseCodec), `/x509` (x509Support), `/x509/issue`, `/status`
 * (statusSupport), `/as`, `/oidc-provider`, `/vectors`.
 */
export { TransitiveProofError, LinkError, X509Error, CoseError, ERROR_CODES, isTransitiveProofError } from './errors.js';
export type { ErrorCode, OAuthErrorCode, TransitiveProofErrorJSON, VerificationStep, X509Rule } from './errors.js';

export type { Actor, Chain, Confirmation, CryptoKey, Delegate, LinkClaims, LinkStatus, LinkFormat, PrivateJwk, PublicJwk, SignatureAlgorithm } from './model/types.js';
export { SIGNATURE_ALGORITHMS } from './runtime/algorithms.js';
export { DEFAULT_LIMITS, type Limits } from './model/limits.js';
export { confirmationEquals, confirmationJkt } from './keys/confirmation.js';

export { algorithmForKey, algorithmsForKey, generateKeyPair, jwkThumbprint, toPublicJwk, type KeyAlgorithmName, type KeyImportCache } from './keys/keys.js';

export { parseChain, serializeChain, chainToJson, decodeChain, type ChainInput, type ChainOptions } from './chain.js';
export type { DecodedLink, LinkHeader, LinkCodec, ChainCodec, EnvelopeCodec, SignInput, VerificationKey, X509Support, X509TrustSections, CertificateProfile, CertificateSigner, CertificateSignerContext, StatusSupport, StatusListSource, RemoteKeySupport, KeySetSource, StatusConfig, StatusListIssuerConfig, StatusUnavailablePolicy, RevocationStore, FetchLike, VerifiedStatusList } from './ports.js';
export type { SchemaValidator, SchemaError } from './model/schemas.js';
export type { KeyInfo, MaybePromise, RuntimeKey } from './runtime/types.js';
export type { CompiledPatterns, CompiledSubjectLimit } from './trust/authority.js';
export type { CodecOptions } from './codecs/registry.js';
export { JWT_LINK_TYP } from './codecs/jose/codec.js';

export { mintLink, startChain, appendLink, delegate, buildLinkClaims, DEFAULT_LINK_LIFETIME_SECONDS } from './mint.js';
export type { LinkInput, LinkSigner, MintOptions, DelegationInput } from './mint.js';

export { createVerifier, verifyChain, type ChainVerifier } from './verify.js';
export type { VerificationContext, VerifierOptions, RequesterIdentity } from './rules/context.js';
export type { VerifiedChain, VerifiedLink } from './rules/result.js';
export type { SignerKind } from './rules/result.js';
export { linkHash } from './rules/linkage.js';

export { compileTrust, DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_MAX_LIFETIME_SECONDS, JWK_THUMBPRINT_URI_PREFIX } from './trust/trust.js';
export type { TrustConfig, CompiledTrust, RootConfig, IssuerRootConfig, HolderRootConfig, KnownHolder, X509RootConfig, CertificateProfileConfig, SubjectLimit, IdentifierPatterns, JwkSet,
  CompiledRoot, CompiledIssuerRoot, CompiledHolderRoot, CompiledX509Root, CompiledCertificateProfile, X509IdentityType } from './trust/trust.js';

// What compileTrust takes from the optional entries (x509Support, statusSupport), and status configuration types.
export type { StatusUnavailableEvent } from './ports.js';
export type { TrustCompileOptions } from './trust/trust.js';

// The client side of a deferred binding (the AS side is transitive-proof/as).
export * from './client/index.js';

// The parts named once: every chain function bound to them (README "Architecture").
export { createToolkit, type Toolkit, type ToolkitParts, type ToolkitVerifierOptions, type ToolkitMintOptions } from './toolkit.js';
export type { TrustServices } from './trust/services.js';
