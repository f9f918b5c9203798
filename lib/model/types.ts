/**
 * The encoding-neutral model (SPEC-NOTES.md §3). Nothing here knows about JOSE or COSE: codecs turn
 * their bytes into these shapes and the rules in lib/rules/ check them.
 */

/** A public JSON Web Key (RFC 7517), public members only. */
export interface PublicJwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
  kid?: string;
  alg?: string;
  use?: string;
  key_ops?: string[];
  x5c?: string[];
  [member: string]: unknown;
}

/** A private JSON Web Key as produced by `generateKeyPair` / `tproof keygen`. */
export interface PrivateJwk extends PublicJwk {
  d: string;
}

/**
 * A confirmation method in RFC 7800 `cnf` form: exactly one of `jkt` (RFC 9449 JWK SHA-256
 * thumbprint), `jwk` (public key) or `x5t#S256` (RFC 8705 certificate SHA-256 thumbprint).
 */
export type Confirmation = { jkt: string } | { jwk: PublicJwk } | { 'x5t#S256': string };

/** The party a link authorises (RFC 8693 `may_act`), with the key it will sign or authenticate with. */
export interface Delegate {
  sub: string;
  cnf: Confirmation;
}

/** The claims of one link (SPEC-NOTES.md §3.1). */
export interface LinkClaims {
  iss: string;
  sub: string;
  aud: string;
  iat: number;
  nbf?: number;
  exp: number;
  jti: string;
  scope: string;
  tmb: Confirmation;
  may_act: Delegate;
  /** How many further links may follow this one. */
  depth: number;
  /** base64url(SHA-256(previous link's exact bytes)); present exactly on non-root links. */
  prev?: string;
  /** Where the link's status can be looked up (draft-ietf-oauth-status-list): SPEC-NOTES.md §3.5. */
  status?: LinkStatus;
}

/** The `status` claim: a reference to entry `idx` of the Status List Token published at `uri`. */
export interface LinkStatus {
  status_list: { idx: number; uri: string };
}

export type LinkFormat = 'jwt' | 'cwt';

/** Algorithms a link may be signed with (JOSE names; the COSE codec maps its integer labels). */
export type SignatureAlgorithm = 'EdDSA' | 'Ed25519' | 'ES256' | 'ESP256' | 'ES384' | 'PS256';

/** A chain: links root first, each kept as the exact bytes it was received or minted as. */
export interface Chain {
  format: LinkFormat;
  links: Uint8Array[];
}

/** The nested RFC 8693 actor claim: the current actor outermost. */
export interface Actor {
  sub: string;
  act?: Actor;
}

/**
 * A Web Crypto key handle (`crypto.subtle` keys, in browsers and in Node). Described by shape, so
 * that neither the DOM lib nor @types/node is needed to use the types; any real CryptoKey fits.
 */
export interface CryptoKey {
  readonly type: string;
  readonly extractable: boolean;
  readonly algorithm: { readonly name: string };
  readonly usages: readonly string[];
}
