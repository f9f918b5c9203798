/**
 * The runtime seam: the few operations whose best implementation differs between runtimes. Two
 * backends implement it, `node.ts` (node:crypto, synchronous KeyObject verification) and
 * `webcrypto.ts` (Web APIs only); package.json `imports` picks one for `#runtime` by condition
 * (`browser` / `node` / `default`), never by sniffing at run time. Nothing above the seam knows
 * which one it runs on. The backends import nothing from the library, so they never disagree
 * about error classes: they return booleans and undefined, or throw plain errors the caller wraps.
 */

/** A value now (Node's synchronous backend) or later (WebCrypto's asynchronous one). */
export type MaybePromise<T> = T | Promise<T>;

export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';
export type NamedCurve = 'P-256' | 'P-384' | 'P-521';

/** The signature operation, in WebCrypto's terms (both backends speak them). */
export type SignatureParams =
  | { name: 'Ed25519' }
  | { name: 'Ed448' }
  | { name: 'ECDSA'; hash: HashName }
  | { name: 'RSA-PSS'; hash: HashName; saltLength: number }
  /** Certificate signatures only (SPEC-NOTES.md §7.2 rule 4); never a link algorithm. */
  | { name: 'RSASSA-PKCS1-v1_5'; hash: HashName };

/** How a public JWK is imported: the WebCrypto import parameters. */
export type KeyImportParams =
  | { name: 'Ed25519' }
  | { name: 'ECDSA'; namedCurve: NamedCurve }
  | { name: 'RSA-PSS'; hash: HashName };

/**
 * How a certificate's SubjectPublicKeyInfo is imported (SPEC-NOTES.md §7.2 rule 4, §7.3): WebCrypto's
 * `importKey('spki', …)` parameters, as the certificate describes its key and signature algorithm.
 * Loosely typed on purpose: what a certificate names is checked by the backend, which refuses what
 * WebCrypto would refuse (another algorithm, another curve, a missing hash).
 */
export interface SpkiImportParams {
  readonly name: string;
  readonly namedCurve?: string;
  readonly hash?: string;
}

/** What a key is, the same on every backend (WebCrypto's names). */
export interface KeyInfo {
  /** May verify signatures: a public key imported (or usable) for verification. */
  readonly canVerify: boolean;
  /** 'Ed25519', 'Ed448', 'ECDSA', 'RSA-PSS', 'RSASSA-PKCS1-v1_5', or another WebCrypto algorithm name. */
  readonly name: string;
  readonly namedCurve?: string;
  readonly hash?: string;
  readonly modulusLength?: number;
}

/** A verification key of the running backend: a KeyObject on Node, a CryptoKey elsewhere. */
export interface RuntimeKey {
  readonly info: KeyInfo;
  /** The backend's own key object; only the backend that made it reads it. */
  readonly native: unknown;
}

/** The structural WebCrypto key every backend accepts as input (no DOM lib, no @types/node). */
export interface WebCryptoKey {
  readonly type: string;
  readonly extractable: boolean;
  readonly algorithm: { readonly name: string };
  readonly usages: readonly string[];
}

/** What each backend module exports (checked in test/runtime). */
export interface RuntimeBackend {
  readonly name: 'node' | 'webcrypto';
  /** SHA-256 of bytes, or of a string's UTF-8 encoding. */
  sha256(data: Uint8Array | string): MaybePromise<Uint8Array>;
  /** base64url(SHA-256(data)) without padding. */
  sha256Base64url(data: Uint8Array | string): MaybePromise<string>;
  /** A random (version 4) UUID. */
  randomUUID(): string;
  /** Import a public JWK for verification; throws (a plain Error) when it is not such a key. */
  importPublicJwk(jwk: Readonly<Record<string, unknown>>, params: KeyImportParams): Promise<RuntimeKey>;
  /**
   * Import a DER SubjectPublicKeyInfo for verification, as WebCrypto's importKey('spki', spki,
   * params, true, ['verify']) does (a certificate's key); throws (a plain Error) when it is not such a key.
   */
  importPublicSpki(spki: Uint8Array, params: SpkiImportParams): Promise<RuntimeKey>;
  /** Wrap a WebCrypto key (the interop COSE runner hands those over). */
  fromWebCryptoKey(key: WebCryptoKey): RuntimeKey;
  /** The public members of a key as a JWK (a certificate's key, for the path result); throws a plain Error when it cannot. */
  exportPublicJwk(key: RuntimeKey): Promise<Record<string, unknown>>;
  /** Sign with a private WebCrypto key (COSE links and status tokens); rejects (a plain Error) when the key cannot do `params`. */
  sign(params: SignatureParams, key: WebCryptoKey, data: Uint8Array): Promise<Uint8Array>;
  /** A private JWK as a key that may sign with `params` (WebCrypto's import and its refusals). */
  importPrivateJwk(jwk: Readonly<Record<string, unknown>>, params: KeyImportParams): Promise<WebCryptoKey>;
  /** A new key pair for `params`, both halves as JWKs (RSA-PSS: 2048 bits, e = 65537). */
  generateKeyPair(params: KeyImportParams): Promise<{ privateJwk: Record<string, unknown>; publicJwk: Record<string, unknown> }>;
  /** Verify; false for a bad signature or a key that cannot do `params` (never throws). */
  verify(params: SignatureParams, key: RuntimeKey, signature: Uint8Array, data: Uint8Array): MaybePromise<boolean>;
  /**
   * verify() over the concatenation of `parts` (a COSE Sig_structure kept as the pieces of its link),
   * the same verdict. Node joins them into memory it reuses, so a checked link leaves no buffer of
   * what its signature covers; the Web backend joins them into a fresh buffer.
   */
  verifyParts(params: SignatureParams, key: RuntimeKey, signature: Uint8Array, parts: readonly Uint8Array[]): MaybePromise<boolean>;
  /**
   * verify() over a signature given as its canonical base64url text (the caller has checked it), the
   * same verdict. Node decodes it into memory it reuses: no backing store per checked signature.
   */
  verifyBase64url(params: SignatureParams, key: RuntimeKey, signature: string, data: Uint8Array): MaybePromise<boolean>;
  /** Raw base64 (RFC 4648 §4, padded) or base64url (§5, unpadded) encoding. */
  encodeBase64(bytes: Uint8Array, url: boolean): string;
  /**
   * Raw decoding: of canonical text, exactly its bytes. Of any other text, some bytes or a throw:
   * lib/runtime/base64.ts holds text to the canonical form, by its pattern or by encoding the bytes
   * back and comparing.
   */
  decodeCanonicalBase64(text: string, url: boolean): Uint8Array;
  /**
   * The UTF-8 text of canonical base64url, for bytes only read once (a JWS header or payload): no
   * retained copy. Throws a TypeError on invalid UTF-8; a byte order mark is kept, not stripped.
   */
  decodeBase64urlUtf8(text: string): string;
  /**
   * Bytes as text, one character per byte: an ASCII byte is its own character, any other byte a
   * character outside ASCII (which one may differ: Node reads ISO-8859-1, the Web's 'latin1'
   * decoder windows-1252). For text that is then held to ASCII, a JWS compact serialization: on
   * Node, Buffer's reading (about 90 ns for an 870-byte link where TextDecoder's took 170).
   */
  byteText(bytes: Uint8Array): string;
}

/**
 * Whether an RSA signature check may go ahead, on every backend alike: the key was made for this
 * algorithm and hash (WebCrypto's RSA verification takes the hash from the key, not from `params`),
 * and the signature is exactly k octets, k the modulus length in octets (RFC 8017 §8.1.2 and
 * §8.2.2, step 1). OpenSSL's RSA-PSS check, under Node's crypto and its WebCrypto, takes a
 * signature one leading zero octet shorter as the same integer; BoringSSL (browsers) refuses it:
 * without this check one link would verify on Node and not in a browser.
 */
export function rsaVerificationFits(params: Extract<SignatureParams, { name: 'RSA-PSS' | 'RSASSA-PKCS1-v1_5' }>, info: KeyInfo, signature: Uint8Array): boolean {
  return info.name === params.name && info.hash === params.hash && info.modulusLength !== undefined && signature.byteLength === Math.ceil(info.modulusLength / 8);
}

/**
 * `parts` written one after another into `scratch` when they fit (a view of its start is returned),
 * else into a new array of their length: the data a backend's verifyParts checks.
 */
export function joinParts(parts: readonly Uint8Array[], scratch?: Uint8Array): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const out = scratch !== undefined && length <= scratch.length ? scratch : new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out.subarray(0, length);
}

/** WebCrypto's description of a key, as both backends report it. */
export function keyInfoFromAlgorithm(type: string, usages: readonly string[], algorithm: Record<string, unknown>): KeyInfo {
  const hash = algorithm.hash as { name?: unknown } | string | undefined;
  const hashName = typeof hash === 'string' ? hash : typeof hash?.name === 'string' ? hash.name : undefined;
  return {
    canVerify: type === 'public' && usages.includes('verify'),
    name: String(algorithm.name),
    ...(typeof algorithm.namedCurve === 'string' ? { namedCurve: algorithm.namedCurve } : {}),
    ...(hashName === undefined ? {} : { hash: hashName }),
    ...(typeof algorithm.modulusLength === 'number' ? { modulusLength: algorithm.modulusLength } : {}),
  };
}
