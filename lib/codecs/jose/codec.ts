/**
 * The JOSE codec: a link is a JWS compact serialization (RFC 7515) of a JSON claims set with
 * `typ: tmb-link+jwt`; a chain is the links joined by `~`, which cannot occur in JWS compact.
 */
import { decodeBase64urlUtf8, decodeCanonicalBase64, verify } from '#runtime';
import { CompactSign } from 'jose/jws/compact/sign';
import { LinkError, TransitiveProofError, X509Error } from '../../errors.js';
import { importSigningKey } from '../../keys/keys.js';
import type { Limits } from '../../model/limits.js';
import { readStrictJson } from '../../model/strict-json.js';
import type { Chain, SignatureAlgorithm } from '../../model/types.js';
import type { DecodedLink, LinkCodec, LinkHeader, SignInput, VerificationKey } from '../codec.js';
import { fromBase64, toBase64 } from '../../runtime/base64.js';
import type { KeyInfo, MaybePromise, SignatureParams } from '../../runtime/types.js';

export const JWT_LINK_TYP = 'tmb-link+jwt';
export const CHAIN_SEPARATOR = '~';

/** Header parameters that supply a key or a key location: never trusted, so never accepted. */
const KEY_PARAMETERS = ['jwk', 'jku', 'x5u'] as const;
const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const JOSE_ALGORITHMS: readonly SignatureAlgorithm[] = ['EdDSA', 'Ed25519', 'ES256', 'ES384', 'PS256'];

const ascii = new TextDecoder('latin1');
const encoder = new TextEncoder();

/**
 * The bytes of a base64url segment, refusing every spelling but the canonical one (no length ≡ 1
 * mod 4, zero unused bits): otherwise one link would have several byte strings that all verify, and
 * `prev` and replay keys that hash a link's bytes would not identify it uniquely.
 */
function canonicalBase64url(segment: string, what: string, index: number): Uint8Array {
  if (!isCanonicalBase64url(segment)) {
    throw new LinkError('link_malformed', index, `link ${index}: ${what} is not canonical base64url`);
  }
  return decodeCanonicalBase64(segment, true);
}

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL_VALUE = new Int8Array(128).fill(-1);
for (let value = 0; value < 64; value++) BASE64URL_VALUE[BASE64URL_ALPHABET.charCodeAt(value)] = value;

/**
 * Whether decoding and re-encoding `segment` gives it back, decided without doing either (that
 * re-encoding cost about 1 µs per link). Only for non-empty segments of the base64url alphabet,
 * which JWS_COMPACT guarantees: then the spelling is canonical exactly when the length is not
 * 1 mod 4 and the last character's unused low bits (4 of them after 2 characters of a final
 * group, 2 after 3) are zero.
 */
function isCanonicalBase64url(segment: string): boolean {
  const tail = segment.length % 4;
  if (tail === 0) return true;
  if (tail === 1) return false;
  const last = BASE64URL_VALUE[segment.charCodeAt(segment.length - 1)] ?? -1;
  return last >= 0 && (last & (tail === 2 ? 0x0f : 0x03)) === 0;
}

function parseJsonObject(segment: string, what: string, index: number, limits: Limits): Record<string, unknown> {
  if (!isCanonicalBase64url(segment)) {
    throw new LinkError('link_malformed', index, `link ${index}: ${what} is not canonical base64url`);
  }
  let value: unknown;
  let depth: number;
  try {
    // Strict: a duplicate member or a number not written as an integer is refused, so every
    // reader of these bytes reads the same link (SPEC-NOTES.md §4.1). The reader's own depth
    // bound only protects the stack; the link's bound is checked below.
    ({ value, depth } = readStrictJson(decodeBase64urlUtf8(segment), { maxDepth: limits.maxNesting + 1 }));
  } catch (cause) {
    const detail = cause instanceof Error && cause.name === 'StrictJsonError' ? `: ${cause.message}` : '';
    throw new LinkError('link_malformed', index, `link ${index}: ${what} is not base64url-encoded UTF-8 JSON of this profile${detail}`, { cause });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LinkError('link_malformed', index, `link ${index}: ${what} is not a JSON object`);
  }
  if (depth > limits.maxNesting) {
    throw new LinkError('link_malformed', index, `link ${index}: ${what} nests deeper than ${limits.maxNesting}`);
  }
  return value as Record<string, unknown>;
}

/**
 * What verifySignature needs, computed once by decodeLink: the link is split and decoded once, and
 * the signature is checked over the exact received bytes (RFC 7515 §5.2), not a re-parse of them.
 */
interface JwsSignedState {
  /** The JWS Signing Input, ASCII(BASE64URL(header) || '.' || BASE64URL(payload)): a view of the link's bytes. */
  signingInput: Uint8Array;
  signature: Uint8Array;
}

function isJwsSignedState(value: unknown): value is JwsSignedState {
  const state = value as Partial<JwsSignedState> | null;
  return state !== null && typeof state === 'object' && state.signingInput instanceof Uint8Array && state.signature instanceof Uint8Array;
}

/**
 * The WebCrypto operation for `alg` with `key`, or undefined when the key does not fit (RFC 7518
 * §3.3–3.5, RFC 8037 §3.1). The same checks jose applies before verifying: a public key usable for
 * verification, of the algorithm's type and curve or hash, RSA of at least 2048 bits.
 */
function verifyParams(alg: string, key: KeyInfo): SignatureParams | undefined {
  if (!key.canVerify) return undefined;
  switch (alg) {
    case 'EdDSA':
    case 'Ed25519':
      return key.name === 'Ed25519' ? { name: 'Ed25519' } : undefined;
    case 'ES256':
      return key.name === 'ECDSA' && key.namedCurve === 'P-256' ? { name: 'ECDSA', hash: 'SHA-256' } : undefined;
    case 'ES384':
      return key.name === 'ECDSA' && key.namedCurve === 'P-384' ? { name: 'ECDSA', hash: 'SHA-384' } : undefined;
    case 'PS256':
      return key.name === 'RSA-PSS' && key.hash === 'SHA-256' && typeof key.modulusLength === 'number' && key.modulusLength >= 2048
        ? { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 }
        : undefined;
    default:
      return undefined;
  }
}

function optionalString(header: Record<string, unknown>, name: string, index: number): string | undefined {
  const value = header[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new LinkError('link_malformed', index, `link ${index}: header "${name}" is not a string`);
  return value;
}

function decodeX5c(value: unknown, index: number, limits: Limits): Uint8Array[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    throw new X509Error('x5c_malformed', `link ${index}: x5c is not a non-empty array`, { linkIndex: index });
  }
  if (value.length > limits.maxCertificates) {
    throw new X509Error('x5c_too_many', `link ${index}: x5c has ${value.length} certificates, more than ${limits.maxCertificates}`, { linkIndex: index });
  }
  return value.map((entry) => {
    // RFC 7515 §4.1.6: standard base64 DER, not base64url; in its one canonical spelling (padded,
    // zero unused bits), like every other encoded value of a link.
    const der = typeof entry === 'string' ? fromBase64(entry) : undefined;
    if (der === undefined || der.length === 0) {
      throw new X509Error('x5c_malformed', `link ${index}: x5c entry is not standard base64`, { linkIndex: index });
    }
    return der;
  });
}


function decodeHeader(header: Record<string, unknown>, index: number, limits: Limits): LinkHeader {
  const crit = header.crit;
  if (crit !== undefined && (!Array.isArray(crit) || crit.length === 0 || !crit.every((name) => typeof name === 'string'))) {
    throw new LinkError('link_malformed', index, `link ${index}: header "crit" is not a non-empty array of strings`);
  }
  // alg and typ are judged by step 4 (4.4 and 4.1), in its order: a missing or non-string value is
  // reported as absent here, not refused while decoding (SPEC-NOTES.md §6.2 step 3).
  return {
    alg: typeof header.alg === 'string' ? header.alg : undefined,
    typ: typeof header.typ === 'string' ? header.typ : undefined,
    kid: optionalString(header, 'kid', index),
    x5c: decodeX5c(header.x5c, index, limits),
    keyParameters: KEY_PARAMETERS.filter((name) => name in header),
    crit: crit as string[] | undefined,
  };
}

/**
 * Each `~`-separated part of `text` as UTF-8. An ASCII text (every well-formed chain) is encoded in
 * one call and cut into views of that one buffer, a call and a string per link fewer; otherwise
 * part by part, so a separator byte can never be mistaken inside a multi-byte character.
 */
function encodeLinks(text: string): Uint8Array[] {
  const all = encoder.encode(text);
  // Every non-ASCII code unit takes at least 2 bytes (a lone surrogate 3), so equal lengths mean ASCII.
  if (all.length !== text.length) return text.split(CHAIN_SEPARATOR).map((part) => encoder.encode(part));
  const links: Uint8Array[] = [];
  let start = 0;
  for (let at = text.indexOf(CHAIN_SEPARATOR); at !== -1; at = text.indexOf(CHAIN_SEPARATOR, at + 1)) {
    links.push(all.subarray(start, at));
    start = at + 1;
  }
  links.push(all.subarray(start));
  return links;
}

export const joseCodec: LinkCodec = {
  format: 'jwt',
  supportedAlgorithms: JOSE_ALGORITHMS,
  expectedTyp: JWT_LINK_TYP,

  parseChain(text: string, limits: Limits): Chain {
    // One scan finds the count (step 2), an empty link (step 2) and link 0's end (step 3's first check).
    let separators = 0;
    let firstSeparator = -1;
    let previous = -1;
    let emptyLink = false;
    for (let at = text.indexOf(CHAIN_SEPARATOR); at !== -1; at = text.indexOf(CHAIN_SEPARATOR, at + 1)) {
      if (++separators >= limits.maxLinks) {
        throw new TransitiveProofError('chain_too_long', `chain has more than ${limits.maxLinks} links`);
      }
      if (at === previous + 1) emptyLink = true;
      if (firstSeparator === -1) firstSeparator = at;
      previous = at;
    }
    if (emptyLink || previous === text.length - 1) throw new TransitiveProofError('chain_malformed', 'chain has an empty link');
    // Link 0's size check is the first check of step 3, so an oversized link 0 is chain_too_large
    // whatever follows: refused here, from its length, before splitting and encoding up to a MiB of
    // text. (A UTF-8 encoding has at least as many bytes as the text has UTF-16 units.)
    const firstLength = firstSeparator === -1 ? text.length : firstSeparator;
    if (firstLength > limits.maxLinkBytes) {
      throw new LinkError('chain_too_large', 0, `link 0 is at least ${firstLength} bytes, more than ${limits.maxLinkBytes}`);
    }
    return { format: 'jwt', links: encodeLinks(text) };
  },

  serializeChain(chain: Chain): string {
    return chain.links.map((link) => ascii.decode(link)).join(CHAIN_SEPARATOR);
  },

  chainToJson(chain: Chain): string[] {
    return chain.links.map((link) => ascii.decode(link));
  },

  chainFromJson(json: unknown, limits: Limits): Chain {
    if (!Array.isArray(json) || json.length === 0) throw new TransitiveProofError('chain_malformed', 'JSON chain is not a non-empty array');
    if (json.length > limits.maxLinks) throw new TransitiveProofError('chain_too_long', `chain has more than ${limits.maxLinks} links`);
    return {
      format: 'jwt',
      links: json.map((entry) => {
        if (typeof entry !== 'string' || entry.length === 0) throw new TransitiveProofError('chain_malformed', 'JSON chain entry is not a non-empty string');
        return encoder.encode(entry);
      }),
    };
  },

  decodeLink(bytes: Uint8Array, index: number, limits: Limits): DecodedLink {
    if (bytes.length > limits.maxLinkBytes) {
      throw new LinkError('chain_too_large', index, `link ${index} is ${bytes.length} bytes, more than ${limits.maxLinkBytes}`);
    }
    const text = ascii.decode(bytes);
    if (!JWS_COMPACT.test(text)) throw new LinkError('link_malformed', index, `link ${index} is not a JWS compact serialization`);
    // The pattern guarantees exactly two dots and ASCII, so byte offsets equal string offsets.
    const firstDot = text.indexOf('.');
    const secondDot = text.indexOf('.', firstDot + 1);
    const headerPart = text.slice(0, firstDot);
    const payloadPart = text.slice(firstDot + 1, secondDot);
    const signaturePart = text.slice(secondDot + 1);
    const rawHeader = parseJsonObject(headerPart, 'protected header', index, limits);
    const header = decodeHeader(rawHeader, index, limits);
    const claims = parseJsonObject(payloadPart, 'payload', index, limits);
    const signed: JwsSignedState = {
      signingInput: bytes.subarray(0, secondDot),
      signature: canonicalBase64url(signaturePart, 'signature', index),
    };
    return { index, format: 'jwt', bytes, header, claims, signed };
  },

  verifySignature(link: DecodedLink, key: VerificationKey): MaybePromise<boolean> {
    // Step 4 already held alg to the allow-list and this encoding, and step 7 to the key's type;
    // verifyParams checks the key against alg once more, here, where the key is used.
    if (link.format !== 'jwt' || !isJwsSignedState(link.signed)) return false;
    const params = verifyParams(link.header.alg ?? '', key.key.info);
    if (params === undefined) return false;
    return verify(params, key.key, link.signed.signature, link.signed.signingInput);
  },

  async signLink(input: SignInput): Promise<Uint8Array> {
    if (!JOSE_ALGORITHMS.includes(input.alg)) {
      throw new TransitiveProofError('invalid_argument', `${input.alg} is not available in the JWT encoding`);
    }
    const key = await importSigningKey(input.privateKey, input.alg);
    const header: Record<string, unknown> = { alg: input.alg, typ: JWT_LINK_TYP };
    if (input.kid !== undefined) header.kid = input.kid;
    if (input.x5c !== undefined) header.x5c = input.x5c.map(toBase64);
    const jws = await new CompactSign(encoder.encode(JSON.stringify(input.claims))).setProtectedHeader(header as { alg: string }).sign(key);
    return encoder.encode(jws);
  },

  signedContent(bytes: Uint8Array): Uint8Array {
    // RFC 7515 §5.2: ASCII(BASE64URL(header) || '.' || BASE64URL(payload)), everything before the last '.'.
    return bytes.subarray(0, bytes.lastIndexOf(0x2e));
  },

  linkToText(bytes: Uint8Array): string {
    return ascii.decode(bytes);
  },
};
