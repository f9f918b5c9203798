/**
 * The ports: every role an optional or replaceable part plays, declared once, below every part that
 * plays it (README "Architecture"). Implementations depend on this module, never on each other:
 * - a link codec (lib/codecs/jose, lib/codecs/cose): the chain container and the signed envelope;
 * - X.509 support (lib/x509/support.ts), status support and remote key sets (lib/status/support.ts),
 *   given to compileTrust / createVerifier / createToolkit so that the root entry loads none of them;
 * - the stores (replay, SPEC-NOTES.md §8.5; revocation, §6.2 step 17a) and the fetch a verifier uses.
 * Types only: nothing here runs.
 */
import type { Limits } from './model/limits.js';
import type { SchemaValidator } from './model/schemas.js';
import type { Chain, CryptoKey, LinkClaims, LinkFormat, PrivateJwk, PublicJwk, SignatureAlgorithm } from './model/types.js';
import type { TransitiveProofError } from './errors.js';
import type { VerificationKey } from './keys/keys.js';
import type { MaybePromise } from './runtime/types.js';

// ---- Codecs (SPEC-NOTES.md §4): the chain container and the signed envelope --------------------

export type { VerificationKey };

/** Header parameters every codec reports in the same, JOSE-named shape. */
export interface LinkHeader {
  /**
   * JOSE algorithm name (COSE labels are mapped: -8 → EdDSA, -7 → ES256, ...). Unknown → the raw
   * label as text. Undefined when absent (or, in JOSE, not a string): step 4.4 refuses it.
   */
  alg: string | undefined;
  /** Explicit type; undefined when absent (or, in JOSE, not a string): step 4.1 refuses it. */
  typ: string | undefined;
  kid: string | undefined;
  /** X.509 chain, leaf first, DER bytes (JOSE `x5c` / COSE `x5chain`). */
  x5c: Uint8Array[] | undefined;
  /** Names of header parameters that would supply a key or key location (`jwk`, `jku`, `x5u`, ...). */
  keyParameters: string[];
  /** Critical header parameters named by the link (`crit` / COSE label 2). */
  crit: string[] | undefined;
}

/** A link after structural decoding, before any trust decision. */
export interface DecodedLink {
  index: number;
  format: LinkFormat;
  /** The exact bytes of the link (what `prev` of the next link hashes). */
  bytes: Uint8Array;
  header: LinkHeader;
  /** The claims as decoded; not yet validated against the link schema. */
  claims: Record<string, unknown>;
  /** Codec-private state needed to verify the signature without re-parsing. */
  readonly signed: unknown;
  /**
   * Step-3 checks still running because the runtime digests asynchronously (WebCrypto); the
   * verifier awaits it right after decoding. Undefined when every check already ran (always on Node).
   */
  readonly ready?: Promise<void>;
}

export interface SignInput {
  claims: Record<string, unknown>;
  alg: SignatureAlgorithm;
  privateKey: CryptoKey | PrivateJwk;
  kid?: string;
  /** DER certificates, leaf first, placed in `x5c` / `x5chain`. */
  x5c?: Uint8Array[];
}

/**
 * The chain container of an encoding (SPEC-NOTES.md §4.2, §4.3.3): a chain's compact text and JSON
 * forms to and from the byte strings of its links. Knows nothing of what a link says or who signed it.
 */
export interface ChainCodec {
  readonly format: LinkFormat;
  /** Split a chain's text form into link byte strings, within limits. */
  parseChain(text: string, limits: Limits): Chain;
  /** The chain's compact text form. */
  serializeChain(chain: Chain): string;
  /** The JSON form: an array of each link's text form. */
  chainToJson(chain: Chain): string[];
  chainFromJson(json: unknown, limits: Limits): Chain;
  /** A link's text form (for JSON chains and display). */
  linkToText(bytes: Uint8Array): string;
}

/**
 * The signed envelope of one link (SPEC-NOTES.md §4.1, §4.3.1): decode its header and claims, verify
 * and produce its signature, and name the bytes the signature covers. The rules (lib/rules/) see
 * links only through this.
 */
export interface EnvelopeCodec {
  readonly format: LinkFormat;
  /** The algorithms this encoding can carry; a link naming another is rejected (`alg_not_allowed`). */
  readonly supportedAlgorithms: readonly SignatureAlgorithm[];
  /** The explicit type every link of this encoding must declare (RFC 8725 §3.11). */
  readonly expectedTyp: string;
  /** Decode one link's header and claims without verifying anything. */
  decodeLink(bytes: Uint8Array, index: number, limits: Limits): DecodedLink;
  /** Verify the link's signature with `key` under `alg` (already checked against the allow-list). */
  verifySignature(link: DecodedLink, key: VerificationKey): MaybePromise<boolean>;
  /**
   * The bytes a link's signature covers (SPEC-NOTES.md §8.5): the JWS Signing Input, or the COSE
   * Sig_structure. What a third party can change without the signer (an ECDSA signature's S, a COSE
   * unprotected header) is not in it, so a replay identity built on it is the same for every copy.
   * For a link that decodes under `limits` (one that verified).
   */
  signedContent(bytes: Uint8Array, limits: Limits): Uint8Array;
  /** Produce a signed link. */
  signLink(input: SignInput): Promise<Uint8Array>;
}

/** An encoding: its chain container and its link envelope (`joseCodec`, `coseCodec`). */
export interface LinkCodec extends ChainCodec, EnvelopeCodec {
  readonly format: LinkFormat;
}

// ---- X.509 (SPEC-NOTES.md §7) ------------------------------------------------------------------

/** A configured trust anchor (an X.509 certificate). Build with `loadTrustAnchors`. */
export interface TrustAnchor {
  /** The anchor's DER bytes. */
  readonly der: Uint8Array;
  /** base64url(SHA-256(der)). */
  readonly fingerprintS256: string;
  /** Subject DN, for display. */
  readonly subject: string;
}

/** The verified-path cache path validation consults (lib/x509/cache.ts `PathCache` is one). */
export interface VerifiedPathCache {
  /** The cached result when `now` lies inside the path's validity window (with tolerance). */
  get(key: string, now: number, clockToleranceSeconds: number): ValidatedChain | undefined;
  /** Store a successful, deeply frozen result. */
  set(key: string, result: ValidatedChain): void;
  /** Forget every entry. */
  clear(): void;
}

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
  cache?: VerifiedPathCache;
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

// ---- Status lists (SPEC-NOTES.md §5.1) ------------------------------------------------------------

/** A fetch as the Fetch standard defines it; the global `fetch` by default, injectable for tests. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** One status list issuer: the URIs it publishes at and the keys it signs with. */
export interface StatusListIssuerConfig {
  /** Exact URIs. */
  uris?: string[];
  /** URI prefixes, each ending in "/": every URI below one is accepted. */
  uriPrefixes?: string[];
  jwks?: { keys: PublicJwk[] };
  jwksUri?: string;
  algorithms?: SignatureAlgorithm[];
}

/** What a status that cannot be had (network, timeout, HTTP error) means: refuse (default) or accept. */
export type StatusUnavailablePolicy = 'reject' | 'accept';

export interface StatusConfig {
  issuers: StatusListIssuerConfig[];
  unavailable?: StatusUnavailablePolicy;
  /** Per fetch. Default 5000. */
  timeoutMs?: number;
  /** Largest token accepted over the wire. Default 1 MiB. */
  maxTokenBytes?: number;
  /** Largest list after inflating. Default 1 MiB. */
  maxListBytes?: number;
  /** Most lists cached at once. Default 64. */
  cacheEntries?: number;
  /** Longest a list is cached, whatever its `ttl` says; also the lifetime of a list without `ttl`. Default 300. */
  maxCacheSeconds?: number;
  /** How long a failed fetch is remembered (each lookup meanwhile fails without fetching). Default 5; 0 disables. */
  failureCacheSeconds?: number;
}

/** Bits per status in a Status List. */
export type StatusBits = 1 | 2 | 4 | 8;

export type StatusListFormat = 'jwt' | 'cwt';

/** A verified Status List Token, its list inflated. */
export interface VerifiedStatusList {
  format: StatusListFormat;
  sub: string;
  iat: number;
  exp?: number;
  ttl?: number;
  bits: StatusBits;
  list: Uint8Array;
}

// ---- Stores ------------------------------------------------------------------------------------

/**
 * Replay protection (SPEC-NOTES.md §8.5): a store that remembers a key until it expires and answers,
 * atomically, whether this is its first use. Stores fail closed (`replay_store_unavailable`).
 */
export interface ReplayStore {
  /**
   * Record one use of `key`, remembered until `expiresAt` (NumericDate seconds).
   * Resolves true when this is the first use within that lifetime, false when it is a replay.
   * Rejects with a `replay_store_unavailable` TransitiveProofError when the use cannot be recorded.
   */
  consume(key: string, expiresAt: number): Promise<boolean>;
}

/** Links withdrawn by hash (SPEC-NOTES.md §3.5, step 17a). */
export interface RevocationStore {
  /** Withdraw the link with this hash until `expiresAt` (NumericDate). */
  revoke(linkHash: string, expiresAt: number): Promise<void>;
  /** The index in `linkHashes` of the first revoked one, or -1 when none is. */
  firstRevoked(linkHashes: readonly string[]): Promise<number>;
}

// ---- The optional parts, as compileTrust / createVerifier take them ---------------------------------

/** X.509 path validation for x509 roots and `delegateCertificates` (SPEC-NOTES.md §7). */
export interface X509Support {
  /**
   * The trust configuration schema's X.509 definitions, precompiled: `x509Root` (`#/$defs/x509Root`,
   * each root of type "x509") and `certificateProfile` (`#/$defs/certificateProfile`, the
   * `delegateCertificates` section). The core validator every verifier carries checks only that an
   * x509 root is an object of that type and the section an object; compileTrust runs these on them,
   * so a verifier without certificates carries no code for them.
   */
  readonly configValidators: { readonly x509Root: SchemaValidator; readonly certificateProfile: SchemaValidator };
  /**
   * compileTrust's check of the configuration's X.509 sections: each root of type "x509" against
   * `configValidators.x509Root` (at `/roots/<i>`, in order), then `delegateCertificates` against
   * `configValidators.certificateProfile`; `invalid_argument` naming the first violation.
   */
  readonly assertTrustConfig: (config: X509TrustSections) => void;
  /**
   * compileTrust's compilation of an x509 root's or `delegateCertificates`' profile: its anchors
   * loaded (`loadTrustAnchors`), its algorithms those of `narrow` (the configuration's own rule).
   */
  readonly compileCertificateProfile: (profile: CertificateProfileConfig, narrow: (own: readonly SignatureAlgorithm[] | undefined) => ReadonlySet<SignatureAlgorithm>) => Promise<CompiledCertificateProfile>;
  createPathCache(): VerifiedPathCache;
  validateCertificatePath(x5c: readonly Uint8Array[], options: X509PathOptions): Promise<ValidatedPath>;
  /** Throws `x5c_identity_mismatch` unless the path's identity is `iss`. */
  assertIdentity(path: ValidatedPath, iss: string): void;
  /**
   * Step 6 for link 0 when it carries a certificate path (lib/rules/x509-signer.ts), handed to the
   * verifier with this part so that a verifier without certificates carries none of its code.
   * A custom implementation takes it from `x509Support`.
   */
  readonly resolveRootSigner: (link: DecodedLink, claims: LinkClaims, roots: readonly CertificateProfile[], context: CertificateSignerContext) => Promise<CertificateSigner>;
  /**
   * Step 6 for link i > 0 whose parent names its delegate by certificate thumbprint, the link
   * carrying a certificate and `delegateCertificates` configured (lib/rules/x509-signer.ts); from
   * `x509Support` like `resolveRootSigner`.
   */
  readonly resolveDelegateSigner: (link: DecodedLink, claims: LinkClaims, pinnedLeafThumbprint: string, profile: CertificateProfile, context: CertificateSignerContext) => Promise<CertificateSigner>;
}

/** The sections of a trust configuration (lib/trust/trust.ts `TrustConfig`) the X.509 part checks. */
export interface X509TrustSections {
  readonly roots: readonly { readonly type: string }[];
  readonly delegateCertificates?: unknown;
}

export type X509IdentityType = 'uri' | 'spiffe' | 'dns';

/** How certificates are validated (§7): anchors, the identity rule, an optional EKU. */
export interface CertificateProfileConfig {
  /** DER certificates, standard base64. */
  anchors: string[];
  identity: { type: X509IdentityType; trustDomain?: string };
  requiredEku?: string | undefined;
  algorithms?: SignatureAlgorithm[] | undefined;
}

/** A certificate profile (an x509 root's, `delegateCertificates`) as compileTrust compiles it. */
export interface CompiledCertificateProfile extends Omit<CertificateProfileConfig, 'algorithms'> {
  trustAnchors: TrustAnchor[];
  algorithms: ReadonlySet<SignatureAlgorithm>;
}

/** What step 6 validates a link's certificate path against: an x509 root or `delegateCertificates`, compiled. */
export interface CertificateProfile {
  readonly trustAnchors: readonly TrustAnchor[];
  readonly identity: { readonly type: IdentityType; readonly trustDomain?: string };
  readonly requiredEku?: string | undefined;
  readonly algorithms: ReadonlySet<SignatureAlgorithm>;
}

/** What step 6 with a certificate uses besides the profile: the time, the bound on `x5c`, the verifier's X.509 services. */
export interface CertificateSignerContext {
  readonly now: number;
  readonly toleranceSeconds: number;
  readonly maxCertificates: number;
  readonly x509: X509Support;
  readonly pathCache: VerifiedPathCache | undefined;
}

/** A link's signer found by its certificate: the validated leaf's key, and its identity and subjects for display. */
export interface CertificateSigner {
  kind: 'x509';
  key: PublicJwk;
  algorithms: ReadonlySet<SignatureAlgorithm>;
  certificate: { identity: string; subjects: string[] };
}

/** The keys published at one `jwks_uri` (SPEC-NOTES.md §5), for an issuer root's `jwksUri`; RemoteKeySet is one. */
export interface KeySetSource {
  readonly uri: string;
  /**
   * The acceptable public keys of the set, fetched or refreshed for this header as the source's
   * cache decides; rejects with `jwks_unavailable` when the set cannot be had (never "no keys").
   */
  keys(header: { alg: string; kid?: string | undefined }): Promise<PublicJwk[]>;
}

/** Key sets fetched from a `jwksUri` (issuer roots, SPEC-NOTES.md §5): `remoteKeySupport` from transitive-proof/status. */
export interface RemoteKeySupport {
  /** A key set for `uri`; `invalid_argument` when the URI breaks the §5.1 URI rules. */
  createKeySet(uri: string, options: { fetch?: FetchLike }): KeySetSource;
}

/** Where step 17a gets a verified Status List (SPEC-NOTES.md §5.1); StatusListFetcher is one. */
export interface StatusListSource {
  readonly policy: StatusUnavailablePolicy;
  covers(uri: string): boolean;
  list(uri: string, now: number, toleranceSeconds: number): Promise<VerifiedStatusList>;
}

/** Token Status Lists for a trust configuration's `status` section (SPEC-NOTES.md §5.1). */
export interface StatusSupport {
  /**
   * The trust configuration schema's `status` section (`#/$defs/status`), precompiled: the core
   * validator every verifier carries checks only that the section is an object, and compileTrust
   * runs this one on it, so a verifier without status lists carries no code for them.
   */
  readonly configValidator: SchemaValidator;
  createStatusSource(config: StatusConfig, algorithms: ReadonlySet<SignatureAlgorithm>, limits: Limits, options: { fetch?: FetchLike }): StatusListSource;
  /**
   * Step 17a's Status List lookup (lib/rules/status.ts): root first, every link with `status` looked
   * up in `source` and its entry required VALID. Handed to the verifier with this part, so that a
   * verifier without status lists carries none of its code; a custom implementation takes it from
   * `statusSupport`.
   */
  readonly checkStatusLists: (claims: readonly LinkClaims[], source: StatusListSource, now: number, toleranceSeconds: number, onStatusUnavailable: ((event: StatusUnavailableEvent) => void) | undefined) => Promise<void>;
}

/** Reported when the configuration's `unavailable: "accept"` let a link through unchecked. */
export interface StatusUnavailableEvent {
  linkIndex: number;
  uri: string;
  idx: number;
  error: TransitiveProofError;
}
