/**
 * The one reader of a JWS Compact Serialization, for every signed JSON object the verifier reads:
 * links (codec.ts), Status List Tokens (lib/status/token.ts) and DPoP proofs (lib/dpop/proof.ts).
 * SPEC-NOTES §4.1 and §6.2 step 3: three non-empty segments, each the canonical base64url spelling of
 * its bytes; header and payload JSON objects read by the strict JSON rules (no duplicate member, only
 * integers, no lone surrogate), nested at most `maxNesting` deep; the header parameters read into the
 * shape every codec reports (LinkHeader). What an object then requires of its header (`typ`, `crit`,
 * key parameters) is each reader's rule, written in SPEC-NOTES beside it.
 *
 * Failures are link errors (`link_malformed` with the index, `x5c_malformed` / `x5c_too_many`); a
 * reader of another object turns them into its own code, keeping the message.
 */
import { byteText, decodeBase64urlUtf8 } from '#runtime';
import { LinkError } from '../../errors.js';
import type { Limits } from '../../model/limits.js';
import { readStrictJson } from '../../model/strict-json.js';
import { isCanonicalBase64url } from '../../runtime/base64.js';
import type { LinkHeader } from '../../ports.js';
import { assertX5cCount, readX5c, x5cCopy } from './x5c.js';

/** Header parameters that supply a key or a key location (RFC 7515 §4.1.3–4.1.5; `x5c` is read apart). */
export const JOSE_KEY_PARAMETERS = ['jwk', 'jku', 'x5u'] as const;

const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** JWS_COMPACT past a header segment already read: the payload and signature segments. */
const AFTER_HEADER = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** A JWS compact serialization as read: its header (raw and in the codec shape), payload and signed bytes. */
export interface ReadJws {
  header: LinkHeader;
  /**
   * The protected header's members as read (for a parameter LinkHeader does not carry, such as DPoP's
   * `jwk`). May be frozen: a header of scalar members is shared between reads of the same segment.
   */
  rawHeader: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The JWS Signing Input, ASCII(BASE64URL(header) || '.' || BASE64URL(payload)): a view of the input bytes. */
  signingInput: Uint8Array;
  /**
   * The signature segment, checked to be canonical base64url: decoded where it is checked (the
   * runtime's verifyBase64url), so reading a JWS copies no signature bytes.
   */
  signature: string;
}

/**
 * Read `bytes` as a JWS compact serialization (SPEC-NOTES §4.1, §6.2 step 3), in this order: the
 * form, the header's encoding and JSON, its parameters (`kid`, `crit`, `x5c`), the payload's encoding
 * and JSON, the signature's encoding. `label` names the object in messages (default `link <index>`).
 */
export function readJws(bytes: Uint8Array, index: number, limits: Limits, label?: string): ReadJws {
  const text = byteText(bytes);
  const firstDot = text.indexOf('.');
  const headerSegment = text.slice(0, firstDot === -1 ? 0 : firstDot);
  const kept = limits.maxNesting >= 1 && firstDot > 0 && firstDot <= MAX_X5C_HEADER_LENGTH ? keptHeader(headerSegment) : undefined;
  // The form. A kept header's segment was read without fault (its characters are base64url), so
  // behind one only the rest is tested: the same verdict, without reading a 2,000-character x5c
  // header's text again (about 1.4 µs).
  if (!(kept === undefined ? JWS_COMPACT.test(text) : AFTER_HEADER.test(text.slice(firstDot + 1)))) {
    throw new LinkError('link_malformed', index, `${labelOf(index, label)} is not a JWS compact serialization`);
  }
  // The pattern guarantees exactly two dots and ASCII, so byte offsets equal string offsets.
  const secondDot = text.indexOf('.', firstDot + 1);
  const known = kept !== undefined && (kept.rawHeader.x5c === undefined || limits.maxNesting >= 2) ? kept : undefined;
  let rawHeader: Record<string, unknown>;
  let header: LinkHeader;
  if (known === undefined) {
    rawHeader = readJsonObject(headerSegment, 'protected header', limits, index, label);
    header = readHeader(rawHeader, index, limits, label);
    rememberHeader(headerSegment, rawHeader, header);
  } else {
    rawHeader = known.rawHeader;
    // x5c is counted against this read's limits and its kept bytes copied (each read its own);
    // every other member is the kept reading.
    const x5c = known.header.x5c;
    if (x5c !== undefined) assertX5cCount(x5c.length, index, limits, labelOf(index, label));
    header = { ...known.header, x5c: x5c && x5cCopy(x5c), keyParameters: known.header.keyParameters.slice() };
  }
  const payload = readJsonObject(text.slice(firstDot + 1, secondDot), 'payload', limits, index, label);
  const signaturePart = text.slice(secondDot + 1);
  if (!isCanonicalSegment(signaturePart)) malformed(index, label, 'signature is not canonical base64url');
  return { header, rawHeader, payload, signingInput: bytes.subarray(0, secondDot), signature: signaturePart };
}

/**
 * Headers already read, by their exact segment text: links of one signer, and of most signers, carry
 * the same few protected headers (`{"alg":…,"typ":…}`, with a `kid` for an issuer, or an `x5c` for a
 * certificate's holder), and reading one (base64url, UTF-8, strict JSON, the parameters) cost about
 * a tenth of a link's decoding, a third for a header with an `x5c`. Only a header that was read
 * without fault is kept, and only if its members are strings, numbers, booleans or null, but for an
 * `x5c` (an array of strings, kept frozen, with the bytes of its entries kept apart: on every use
 * counted again and copied, never decoded again); a header with `crit` or a key (`jwk`) is read every time. What it gives is what the reading
 * gave: the same segment text is the same bytes, the same JSON and so the same parameters; its only
 * dependences on `limits` are the nesting bound, met by any kept header (maxNesting ≥ 1 for a flat
 * one, ≥ 2 for one with x5c), and x5c's count, checked on every use. The raw header is frozen and
 * shared; the LinkHeader is a fresh copy per read. Bounded in entries and in the characters of the
 * segments kept (the oldest go first), so attacker-chosen headers cannot grow memory.
 */
const keptHeaders = new Map<string | number, KeptHeader>();
interface KeptHeader {
  readonly segment: string;
  readonly rawHeader: Readonly<Record<string, unknown>>;
  /** The reading; its `x5c` the entries' bytes in a copy of the memo's own, never handed out (each read gets x5cCopy of it). */
  readonly header: Readonly<LinkHeader>;
}
const MAX_KEPT_HEADERS = 256;
const MAX_FLAT_HEADER_LENGTH = 512;
/** A header with x5c carries certificates: a 2-certificate path is about 2,000 characters. */
const MAX_X5C_HEADER_LENGTH = 8_192;
const MAX_KEPT_HEADER_CHARACTERS = 524_288;
let keptHeaderCharacters = 0;

/**
 * The header kept for exactly this segment text, if any: a short segment is its own key; a long
 * one is found by its key, then compared in full.
 */
function keptHeader(segment: string): KeptHeader | undefined {
  if (segment.length <= MAX_FLAT_HEADER_LENGTH) return keptHeaders.get(segment);
  const kept = keptHeaders.get(keptKey(segment));
  return kept !== undefined && kept.segment === segment ? kept : undefined;
}

/**
 * A segment's key in keptHeaders: the segment itself up to MAX_FLAT_HEADER_LENGTH characters; a
 * longer one (a header with x5c) a number, a 32-bit FNV-1a of its length, first 32 and last 64
 * characters (hashing a 2,000-character key cost about 2.9 µs; a string of those parts, built and
 * hashed on every read, 0.2 µs more than this; comparing two segments in full 0.06 µs). A string
 * and a number never meet as Map keys; long segments sharing a key share one place (the first kept
 * holds it), which costs a reading, never a wrong header: keptHeader compares a long segment in full.
 */
function keptKey(segment: string): string | number {
  const n = segment.length;
  if (n <= MAX_FLAT_HEADER_LENGTH) return segment;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  for (let i = 0; i < 32; i++) h = Math.imul(h ^ segment.charCodeAt(i), 0x01000193);
  for (let i = n - 64; i < n; i++) h = Math.imul(h ^ segment.charCodeAt(i), 0x01000193);
  return h;
}

function rememberHeader(segment: string, rawHeader: Record<string, unknown>, header: LinkHeader): void {
  const key = keptKey(segment);
  if (keptHeaders.has(key) || header.crit !== undefined || segment.length > (header.x5c === undefined ? MAX_FLAT_HEADER_LENGTH : MAX_X5C_HEADER_LENGTH)) return;
  for (const name in rawHeader) {
    const value = rawHeader[name];
    if (value !== null && typeof value === 'object' && !(name === 'x5c' && header.x5c !== undefined)) return;
  }
  // readHeader read x5c, when present, as an array of strings: frozen, as the raw header is shared.
  if (header.x5c !== undefined) Object.freeze(rawHeader.x5c);
  while (keptHeaders.size >= MAX_KEPT_HEADERS || (keptHeaders.size > 0 && keptHeaderCharacters + segment.length > MAX_KEPT_HEADER_CHARACTERS)) {
    const [oldest, { segment: oldestSegment }] = keptHeaders.entries().next().value as [string | number, KeptHeader];
    keptHeaders.delete(oldest);
    keptHeaderCharacters -= oldestSegment.length;
  }
  keptHeaders.set(key, { segment, rawHeader: Object.freeze(rawHeader), header: Object.freeze({ ...header, x5c: header.x5c && x5cCopy(header.x5c), keyParameters: header.keyParameters.slice() }) });
  keptHeaderCharacters += segment.length;
}

/**
 * The object named in messages: the caller's label, else `link <index>`. Spelt only when a message
 * is written (or an x5c read), not on every read: a string per link and a closure over it cost
 * more than the rest of the header's reading when the header is a kept one.
 */
function labelOf(index: number, label: string | undefined): string {
  return label ?? `link ${index}`;
}

function malformed(index: number, label: string | undefined, message: string, cause?: unknown): never {
  throw new LinkError('link_malformed', index, `${labelOf(index, label)}: ${message}`, cause === undefined ? {} : { cause });
}

/** Canonical base64url (the one rule, lib/runtime/base64.ts): JWS_COMPACT has held the segment to the alphabet. */
function isCanonicalSegment(segment: string): boolean {
  return isCanonicalBase64url(segment, true);
}

/**
 * A header or payload segment: canonical base64url of UTF-8 JSON read strictly (SPEC-NOTES §4.1), an
 * object, nested at most `maxNesting` deep (a flat object is depth 1).
 */
function readJsonObject(segment: string, what: string, limits: Limits, index: number, label: string | undefined): Record<string, unknown> {
  if (!isCanonicalSegment(segment)) malformed(index, label, `${what} is not canonical base64url`);
  let value: unknown;
  let depth = 0;
  try {
    // The reader's own depth bound only protects the stack; the object's bound is checked below.
    ({ value, depth } = readStrictJson(decodeBase64urlUtf8(segment), { maxDepth: limits.maxNesting + 1 }));
  } catch (cause) {
    const detail = cause instanceof Error && cause.name === 'StrictJsonError' ? `: ${cause.message}` : '';
    malformed(index, label, `${what} is not base64url-encoded UTF-8 JSON of this profile${detail}`, cause);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) malformed(index, label, `${what} is not a JSON object`);
  if (depth > limits.maxNesting) malformed(index, label, `${what} nests deeper than ${limits.maxNesting}`);
  return value as Record<string, unknown>;
}

function readHeader(header: Record<string, unknown>, index: number, limits: Limits, label: string | undefined): LinkHeader {
  const crit = header.crit;
  if (crit !== undefined && (!Array.isArray(crit) || crit.length === 0 || !crit.every((name) => typeof name === 'string'))) {
    malformed(index, label, 'header "crit" is not a non-empty array of strings');
  }
  const kid = header.kid;
  if (kid !== undefined && typeof kid !== 'string') malformed(index, label, 'header "kid" is not a string');
  // alg and typ are judged by step 4 (4.4 and 4.1), in its order: a missing or non-string value is
  // reported as absent here, not refused while decoding (SPEC-NOTES.md §6.2 step 3).
  return {
    alg: typeof header.alg === 'string' ? header.alg : undefined,
    typ: typeof header.typ === 'string' ? header.typ : undefined,
    kid: kid as string | undefined,
    x5c: header.x5c === undefined ? undefined : readX5c(header.x5c, index, limits, labelOf(index, label)),
    keyParameters: JOSE_KEY_PARAMETERS.filter((name) => name in header),
    crit: crit as string[] | undefined,
  };
}
