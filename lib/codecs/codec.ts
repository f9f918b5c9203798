/**
 * The seam between the encoding-neutral rules and an encoding. The JOSE codec (lib/codecs/jose) and
 * the COSE codec (lib/codecs/cose) implement it; lib/rules/ only ever sees DecodedLink.
 */
import type { Chain, CryptoKey, LinkFormat, PrivateJwk, PublicJwk, SignatureAlgorithm } from '../model/types.js';
import type { Limits } from '../model/limits.js';
import type { MaybePromise, RuntimeKey } from '../runtime/types.js';

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

/** A verification key as the rules hand it to a codec. */
export interface VerificationKey {
  /** The public JWK (for algorithm/key-type checks and thumbprints). */
  jwk: PublicJwk;
  /** Imported once and cached by lib/keys: the runtime's key (a KeyObject on Node, a CryptoKey elsewhere). */
  key: RuntimeKey;
}

export interface SignInput {
  claims: Record<string, unknown>;
  alg: SignatureAlgorithm;
  privateKey: CryptoKey | PrivateJwk;
  kid?: string;
  /** DER certificates, leaf first, placed in `x5c` / `x5chain`. */
  x5c?: Uint8Array[];
}

export interface LinkCodec {
  readonly format: LinkFormat;
  /** The algorithms this encoding can carry; a link naming another is rejected (`alg_not_allowed`). */
  readonly supportedAlgorithms: readonly SignatureAlgorithm[];
  /** The explicit type every link of this encoding must declare (RFC 8725 §3.11). */
  readonly expectedTyp: string;
  /** Split a chain's text form into link byte strings, within limits. */
  parseChain(text: string, limits: Limits): Chain;
  /** The chain's compact text form. */
  serializeChain(chain: Chain): string;
  /** The JSON form: an array of each link's text form. */
  chainToJson(chain: Chain): string[];
  chainFromJson(json: unknown, limits: Limits): Chain;
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
  /** A link's text form (for JSON chains and display). */
  linkToText(bytes: Uint8Array): string;
}
