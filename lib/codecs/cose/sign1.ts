/**
 * COSE_Sign1 (RFC 9052 §4.2): `18([protected: bstr, unprotected: map, payload: bstr, signature: bstr])`.
 * The protected header is decoded from, and signed over, the exact bytes received: it is never
 * re-encoded, so a different encoding of the same header is a different signed message.
 */
import { fromWebCryptoKey } from '#runtime';
import { CoseError, TransitiveProofError } from '../../errors.js';
import type { Limits } from '../../model/limits.js';
import type { CryptoKey, SignatureAlgorithm } from '../../model/types.js';
import { algorithmLabel, verifyBytes, type Sign1Profile } from './algorithms.js';
import { signForAlgorithm } from '../../keys/keys.js';
import { concatBytes, decodeChecked, decodeStrict, encodeDeterministic, encodeHead, headLength, readHead, scanOne, writeHead, type CborMap, type Head } from './cbor.js';
import { HeaderLabel, readHeaders, type CoseHeaders } from './headers.js';

export const COSE_SIGN1_TAG = 18;

export interface Sign1 {
  /** The tag the message carried, if any. */
  tag: number | undefined;
  /** The content of the protected bstr exactly as received. */
  protectedBytes: Uint8Array;
  protectedHeader: CborMap;
  unprotectedHeader: CborMap;
  payload: Uint8Array;
  signature: Uint8Array;
  headers: CoseHeaders;
}

function malformed(message: string): never {
  throw new TransitiveProofError('link_malformed', message);
}

/**
 * Decode and check a COSE_Sign1. Both profiles apply the CBOR profile and the header rules; `link`
 * also requires tag 18 and a deterministic envelope, `interop` accepts the untagged form.
 */
export function decodeSign1(bytes: Uint8Array, profile: Sign1Profile, limits: Limits): Sign1 {
  return decodeSign1Into(bytes, profile, limits, true);
}

/**
 * decodeSign1 for the link codec, whose message lives no longer than the link's own bytes: its
 * byte strings (usual shape) are views of `bytes`, not copies, as a JWS link's signing input is.
 */
export function decodeSign1Views(bytes: Uint8Array, profile: Sign1Profile, limits: Limits): Sign1 {
  return decodeSign1Into(bytes, profile, limits, false);
}

function decodeSign1Into(bytes: Uint8Array, profile: Sign1Profile, limits: Limits, copy: boolean): Sign1 {
  // The envelope array is one level above the header and claims limit.
  const span = scanOne(bytes, { maxDepth: limits.maxNesting + 1, allowRootTag: true });
  if (span.tag === undefined ? profile === 'link' : span.tag !== COSE_SIGN1_TAG) {
    throw new CoseError('cose_tag_invalid', span.tag === undefined ? 'COSE_Sign1 tag 18 is missing' : `tag ${span.tag} is not COSE_Sign1 (18)`);
  }
  const { protectedBytes, unprotectedHeader, payload, signature } = envelopeElements(bytes, span.contentStart, span.end, copy);

  // Only the link codec's reading (views, which it keeps to itself) uses and feeds the kept headers.
  const keepable = !copy && profile === 'link' && unprotectedHeader.size === 0;
  const kept = keepable && limits.maxNesting >= 1 ? keptHeader(protectedBytes) : undefined;
  let protectedHeader: CborMap;
  let headers: CoseHeaders;
  if (kept !== undefined) {
    protectedHeader = kept.protectedHeader;
    // A fresh object, with its own (empty) keyParameters, for every link.
    headers = { alg: kept.alg, typ: kept.typ, kid: kept.kid, x5chain: undefined, keyParameters: [], crit: undefined };
  } else {
    protectedHeader = protectedBytes.length === 0 ? new Map() : decodeProtectedHeader(protectedBytes, limits);
    headers = readHeaders(protectedHeader, unprotectedHeader, profile, limits);
    if (keepable) keepHeader(protectedBytes, protectedHeader, headers);
  }
  const message: Sign1 = { tag: span.tag, protectedBytes, protectedHeader, unprotectedHeader, payload, signature, headers };
  // A link's bytes are hashed by the next link's `prev`: only one encoding of a given link is accepted.
  // The scan's verdict is what re-encoding the envelope and comparing bytes used to decide.
  if (profile === 'link') {
    if (span.notDeterministic !== undefined) {
      throw new CoseError('cbor_not_deterministic', `COSE_Sign1 envelope is not in core deterministic CBOR encoding: ${span.notDeterministic}`);
    }
  }
  return message;
}

function decodeProtectedHeader(protectedBytes: Uint8Array, limits: Limits): CborMap {
  const decoded = decodeStrict(protectedBytes, { maxDepth: limits.maxNesting }).value;
  if (!(decoded instanceof Map)) throw new CoseError('cose_header_invalid', 'COSE protected header is not a map');
  return decoded;
}

/**
 * Protected headers the link codec has already read, by their exact bytes: the links of one signer
 * (and of most signers) carry the same few headers ({alg, typ}, with a kid for an issuer), and
 * reading one (profile scan, cbor-x, the header rules) cost about 1 µs, a tenth of a link's decoding.
 * What a kept header gives is what reading its bytes gave, and reading the same bytes gives the
 * same: a header is kept only when its link had no unprotected parameters (the rules read both
 * buckets), only when every value is a plain item (a flat map, depth 1: any limits with
 * maxNesting ≥ 1, checked on every use, read it alike), and only without x5chain, crit or key
 * parameters (whose readings depend on maxCertificates, or hand out arrays a caller could change).
 * Errors are never kept: a header that fails is read, and fails, every time. The kept map is only
 * ever read (by sigStructure, for its size); the CoseHeaders are a fresh object per link. Bounded
 * in entries and in bytes per entry, the oldest going first, so attacker-chosen headers cannot
 * grow memory; looked up by comparing bytes, which costs less than a key string would.
 */
interface KeptHeader {
  bytes: Uint8Array;
  protectedHeader: CborMap;
  alg: number | undefined;
  typ: string | undefined;
  kid: string | undefined;
}
const keptHeaders: KeptHeader[] = [];
const MAX_KEPT_HEADERS = 16;
const MAX_KEPT_HEADER_BYTES = 96;

function keptHeader(protectedBytes: Uint8Array): KeptHeader | undefined {
  for (const kept of keptHeaders) {
    if (sameBytes(kept.bytes, protectedBytes)) return kept;
  }
  return undefined;
}

function keepHeader(protectedBytes: Uint8Array, protectedHeader: CborMap, headers: CoseHeaders): void {
  if (protectedBytes.length > MAX_KEPT_HEADER_BYTES || headers.x5chain !== undefined || headers.ready !== undefined || headers.crit !== undefined || headers.keyParameters.length > 0) return;
  for (const value of protectedHeader.values()) {
    if (value instanceof Map || Array.isArray(value)) return;
  }
  if (keptHeaders.length >= MAX_KEPT_HEADERS) keptHeaders.shift();
  // A copy: the link's bytes are the caller's.
  keptHeaders.push({ bytes: protectedBytes.slice(), protectedHeader, alg: headers.alg, typ: headers.typ, kid: headers.kid });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false;
  }
  return true;
}

/**
 * The four elements of a scanned envelope body. The usual shape, [bstr, {}, bstr, bstr], is read
 * from the item heads: it holds no text string, so cbor-x would decode it without fail, to exactly
 * these values. Anything else goes through cbor-x as a whole, so that its verdict on unusual input
 * (cbor-x refuses some well-formed items) stays what it is.
 */
function envelopeElements(bytes: Uint8Array, start: number, end: number, copy: boolean): Pick<Sign1, 'protectedBytes' | 'unprotectedHeader' | 'payload' | 'signature'> {
  const body = readHead(bytes, start);
  if (body.major === 4 && body.value === 4) {
    const protectedHead = readHead(bytes, body.next);
    if (protectedHead.major === 2) {
      const unprotectedHead = readHead(bytes, protectedHead.next + protectedHead.value);
      if (unprotectedHead.major === 5 && unprotectedHead.value === 0) {
        const payloadHead = readHead(bytes, unprotectedHead.next);
        if (payloadHead.major === 2) {
          const signatureHead = readHead(bytes, payloadHead.next + payloadHead.value);
          if (signatureHead.major === 2) {
            // Copies, as cbor-x's copyBuffers makes, unless the caller asked for views (decodeSign1Views).
            return {
              protectedBytes: byteStringContent(bytes, protectedHead, copy),
              unprotectedHeader: new Map(),
              payload: byteStringContent(bytes, payloadHead, copy),
              signature: byteStringContent(bytes, signatureHead, copy),
            };
          }
        }
      }
    }
  }
  const decoded = decodeChecked(bytes.subarray(start, end));
  if (!Array.isArray(decoded) || decoded.length !== 4) malformed('COSE_Sign1 is not an array of four items');
  const [protectedBytes, unprotectedHeader, payload, signature] = decoded;
  if (!(protectedBytes instanceof Uint8Array)) malformed('COSE_Sign1 protected header is not a byte string');
  if (!(unprotectedHeader instanceof Map)) malformed('COSE_Sign1 unprotected header is not a map');
  if (payload === null) malformed('COSE_Sign1 with a detached payload is not supported');
  if (!(payload instanceof Uint8Array)) malformed('COSE_Sign1 payload is not a byte string');
  if (!(signature instanceof Uint8Array)) malformed('COSE_Sign1 signature is not a byte string');
  return { protectedBytes, unprotectedHeader, payload, signature };
}

/** A byte string's content, copied or a view, from its (already scanned) head. */
function byteStringContent(bytes: Uint8Array, head: Head, copy: boolean): Uint8Array {
  return copy ? bytes.slice(head.next, head.next + head.value) : bytes.subarray(head.next, head.next + head.value);
}

function encodeEnvelope(message: Pick<Sign1, 'protectedBytes' | 'unprotectedHeader' | 'payload' | 'signature'>): Uint8Array {
  const body = encodeDeterministic([message.protectedBytes, message.unprotectedHeader, message.payload, message.signature]);
  return concatBytes(encodeHead(6, COSE_SIGN1_TAG), body);
}

/**
 * Sig_structure = ["Signature1", body_protected, external_aad, payload] (RFC 9052 §4.4).
 * body_protected is the received protected bstr, except that a header with no parameters is the
 * zero-length bstr whichever way the empty map was sent (RFC 9052 §3, §4.4; COSE WG sign-pass-01).
 */
export function sigStructure(message: Pick<Sign1, 'protectedBytes' | 'protectedHeader' | 'payload'>, externalAad: Uint8Array = NO_BYTES): Uint8Array {
  return concatBytes(...sigStructureParts(message, externalAad));
}

/**
 * `sigStructure` as the byte strings it is the concatenation of, in order: the array head, "Signature1"
 * and body_protected's head; body_protected (the received bytes, a view); external_aad's head and
 * bytes and the payload's head; the payload (a view). The deterministic encoding of this fixed
 * shape: array(4), text, three bstrs. The link codec keeps these instead of the joined bytes, and
 * the runtime joins them where the signature is checked (verifyParts: on Node into memory it
 * reuses), so a decoded link allocates no buffer for what its signature covers.
 */
export function sigStructureParts(message: Pick<Sign1, 'protectedBytes' | 'protectedHeader' | 'payload'>, externalAad: Uint8Array = NO_BYTES): Uint8Array[] {
  const bodyProtected = message.protectedHeader.size === 0 ? NO_BYTES : message.protectedBytes;
  const { payload } = message;
  const head = new Uint8Array(SIG_STRUCTURE_PREFIX.length + headLength(bodyProtected.length));
  head.set(SIG_STRUCTURE_PREFIX, 0);
  writeHead(head, SIG_STRUCTURE_PREFIX.length, 2, bodyProtected.length);
  const middle = new Uint8Array(headLength(externalAad.length) + externalAad.length + headLength(payload.length));
  const at = writeHead(middle, 0, 2, externalAad.length);
  middle.set(externalAad, at);
  writeHead(middle, at + externalAad.length, 2, payload.length);
  return [head, bodyProtected, middle, payload];
}

const NO_BYTES = new Uint8Array(0);

/** 0x84 (array of 4), then "Signature1" as a text string (0x6a + 10 bytes). */
const SIG_STRUCTURE_PREFIX = Uint8Array.of(0x84, 0x6a, ...new TextEncoder().encode('Signature1'));

export async function verifySign1(
  message: Sign1,
  key: CryptoKey,
  options: { profile: Sign1Profile; externalAad?: Uint8Array },
): Promise<boolean> {
  if (message.headers.alg === undefined) return false;
  return verifyBytes(message.headers.alg, fromWebCryptoKey(key), sigStructure(message, options.externalAad), message.signature, options.profile);
}

export interface Sign1Input {
  alg: SignatureAlgorithm;
  /** Further protected parameters; alg is added. */
  protectedHeader: CborMap;
  payload: Uint8Array;
  key: CryptoKey;
}

/** Sign and emit a tagged COSE_Sign1 in deterministic CBOR, every parameter protected. */
export async function signSign1(input: Sign1Input): Promise<Uint8Array> {
  const protectedHeader: CborMap = new Map(input.protectedHeader);
  protectedHeader.set(HeaderLabel.alg, algorithmLabel(input.alg));
  const protectedBytes = encodeDeterministic(protectedHeader);
  const signature = await signForAlgorithm(input.alg, input.key, sigStructure({ protectedBytes, protectedHeader, payload: input.payload }));
  return encodeEnvelope({ protectedBytes, unprotectedHeader: new Map(), payload: input.payload, signature });
}
