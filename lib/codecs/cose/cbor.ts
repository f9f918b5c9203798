/**
 * CBOR for signed structures: cbor-x, configured for plain interoperable CBOR, behind a
 * well-formedness profile check and a core-deterministic encoder (RFC 8949 §4.2.1).
 *
 * cbor-x has no strict mode, so every input first passes `scanItem`: a walk over item heads only
 * (major type, additional information, lengths) that enforces the profile of SPEC-NOTES.md §4.3.4
 * (definite lengths, bounded nesting, no trailing bytes, no duplicate map keys, valid UTF-8, no
 * tags, floats or undefined except where a caller allows a root tag). It builds no values; cbor-x
 * decodes only input that passed it. The same walk notes whether the item is in core deterministic
 * encoding (shortest heads, map keys in bytewise order); callers that require it raise that only
 * after every other rule has passed (SPEC-NOTES.md §4.3.4), with `assertScannedDeterministic`.
 */
// package.json `imports`: every runtime gets cbor-x's pure no-eval build. It never loads cbor-x's
// optional native addon (cbor-extract: compiled from source where no prebuilt fits, it crashes Deno
// and Bun), and its load does not probe `new Function` (a probe a Content-Security-Policy without
// 'unsafe-eval' reports as a violation, and workerd refuses). One CBOR decoder everywhere; the cost
// on Node is in BENCHMARKS.md (issue #25).
import { Decoder, Encoder } from '#cbor';
import { CoseError, invalidArgument } from '../../errors.js';
import { joinParts } from '../../runtime/types.js';

export type CborKey = number | bigint | string;
export type CborMap = Map<CborKey, CborValue>;
export type CborValue = number | bigint | string | boolean | null | Uint8Array | CborValue[] | CborMap;

/**
 * Options spelled out, none left to defaults:
 * - useRecords / structuredClone / pack / bundleStrings / sequential: off. They are cbor-x
 *   extensions (record tags, object references, packed CBOR, bundled strings) that no other COSE
 *   implementation emits or expects, and each is decoder machinery an attacker could steer.
 * - mapsAsObjects: off, so maps decode to Map and integer keys (COSE labels, CWT claim keys) stay
 *   integers instead of colliding with their text spelling.
 * - useTag259ForMaps / tagUint8Array: off, so a Map is a plain major-type-5 map and a Uint8Array
 *   a plain byte string, with no tag in front.
 * - variableMapSize: on, so map heads are shortest (only matters for objects; we encode Maps).
 * - copyBuffers: on, so decoded byte strings never alias the caller's input buffer.
 * Key order is not an option of cbor-x: `encodeDeterministic` builds every Map sorted.
 */
const CBOR_X_OPTIONS = {
  useRecords: false,
  structuredClone: false,
  pack: false,
  bundleStrings: false,
  sequential: false,
  mapsAsObjects: false,
  useTag259ForMaps: false,
  tagUint8Array: false,
  variableMapSize: true,
  copyBuffers: true,
  useFloat32: 0,
  alwaysUseFloat: false,
  largeBigIntToFloat: false,
};

const decoder = new Decoder(CBOR_X_OPTIONS);
/**
 * The same decoder without copyBuffers: its byte strings are views of the input. Only for readers
 * that consume the decoded value before they return and keep none of its byte strings (a link's
 * claims: `cti` becomes text, `prev` base64url, any other byte string is refused), so that a link
 * does not allocate a buffer per byte string it carries.
 */
const viewDecoder = new Decoder({ ...CBOR_X_OPTIONS, copyBuffers: false });
const encoder = new Encoder(CBOR_X_OPTIONS);
// ignoreBOM: a leading U+FEFF is part of the text, not a byte-order mark to drop ("foo" ≠ "\ufefffoo").
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// ---------------------------------------------------------------------------------------------
// Profile check (not a decoder)

export interface ScanProfile {
  /** Containers allowed inside one another: a flat map or array is depth 1. */
  maxDepth: number;
  /** Whether one tag may wrap the scanned item itself (COSE_Sign1's tag 18); tags are refused elsewhere. */
  allowRootTag?: boolean;
}

export interface ItemSpan {
  start: number;
  end: number;
  /** Tag number wrapping the item, when one does. */
  tag: number | undefined;
  /** Offset of the item after its tag head (= start when untagged). */
  contentStart: number;
  /**
   * Why the item (tag head included) is not in core deterministic encoding (RFC 8949 §4.2.1): the
   * first non-shortest head or out-of-order map key, in encoding order; undefined when it is.
   */
  notDeterministic: string | undefined;
  /**
   * Whether an integer has an 8-byte head (additional information 27): the only item of the
   * profile cbor-x decodes to a bigint, so the only one `decodeStrict` has to convert.
   */
  wideIntegers: boolean;
}

/** What the walk notes besides its verdict (deterministic encoding, wide integers); it never stops the walk. */
interface ScanState {
  notDeterministic: string | undefined;
  wideIntegers: boolean;
}

export interface Head {
  major: number;
  info: number;
  /** The argument; exact below 2^53, which covers every length that can fit the input. */
  value: number;
  next: number;
}

function fail(code: 'cbor_malformed' | 'cbor_indefinite_length' | 'cbor_too_deep' | 'cbor_duplicate_key' | 'cbor_trailing_bytes', message: string): never {
  throw new CoseError(code, message);
}

/** Read one item head at `offset`. Additional information 31 is returned as is for the caller to judge. */
export function readHead(bytes: Uint8Array, offset: number): Head {
  return readHeadInto(bytes, offset, { major: 0, info: 0, value: 0, next: 0 });
}

/**
 * readHead, written into `out` and returned. The walk reads every head into its one scratch Head
 * (each head is used before the walk reads the next), so a scan allocates nothing per item.
 */
function readHeadInto(bytes: Uint8Array, offset: number, out: Head): Head {
  const initial = bytes[offset];
  if (initial === undefined) fail('cbor_malformed', `CBOR truncated: an item is missing at offset ${offset}`);
  const major = initial >> 5;
  const info = initial & 0x1f;
  out.major = major;
  out.info = info;
  if (info < 24 || info === 31) {
    out.value = info;
    out.next = offset + 1;
    return out;
  }
  if (info > 27) fail('cbor_malformed', `CBOR reserved additional information ${info} at offset ${offset}`);
  const size = 1 << (info - 24);
  if (offset + 1 + size > bytes.length) fail('cbor_malformed', `CBOR truncated inside the head at offset ${offset}`);
  let value = 0;
  for (let i = 1; i <= size; i++) value = value * 256 + (bytes[offset + i] as number);
  out.value = value;
  out.next = offset + 1 + size;
  return out;
}

/** The walk's scratch head (readHeadInto). */
const SCRATCH: Head = { major: 0, info: 0, value: 0, next: 0 };

/**
 * The walk's stack of map key offsets, keyStarts[0 … keyTop): kept while a map's keys are shortest
 * and increasing (until then no two can be equal), for the duplicate check should a later key break
 * the order. One array for every walk instead of one per map; a map leaves keyTop as it found it,
 * and scanItem starts from 0 (a walk may have stopped at a refusal), with a fresh array after a
 * walk that needed a large one.
 */
let keyStarts: number[] = [];
let keyTop = 0;
const MAX_KEPT_KEY_STARTS = 4096;

/** Whether a head's argument is in its shortest form (RFC 8949 §4.2.1, first rule). */
export function isShortestHead(head: Head): boolean {
  switch (head.info) {
    case 24:
      return head.value >= 24;
    case 25:
      return head.value >= 0x100;
    case 26:
      return head.value >= 0x10000;
    case 27:
      // value is rounded above 2^53, but it is below 2^32 exactly when the four high bytes are zero.
      return head.value >= 0x100000000;
    default:
      return true;
  }
}

function noteHead(bytes: Uint8Array, head: Head, offset: number, state: ScanState): void {
  if (head.info < 24) return;
  if (state.notDeterministic === undefined && !isShortestHead(head)) {
    state.notDeterministic = `head at offset ${offset} is not in shortest form`;
  }
}

/**
 * The profile's integers are −(2^64 − 1) … 2^64 − 1 (SPEC-NOTES.md §4.3.4): −2^64 (major type 1,
 * argument 2^64 − 1) fits neither a signed nor an unsigned 64-bit integer and has no place in a
 * link, so the walk refuses it where it meets it, like any other value outside the profile.
 */
function checkIntegerRange(bytes: Uint8Array, head: Head, offset: number): void {
  if (head.major !== 1 || head.info !== 27) return;
  for (let i = 1; i <= 8; i++) if (bytes[offset + i] !== 0xff) return;
  fail('cbor_malformed', `CBOR integer -2^64 at offset ${offset} is outside the profile`);
}

/** Bytewise comparison of two spans of `bytes` (shorter first on a common prefix). */
function compareSpans(bytes: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  const length = Math.min(aEnd - aStart, bEnd - bStart);
  for (let i = 0; i < length; i++) {
    const a = bytes[aStart + i] as number;
    const b = bytes[bStart + i] as number;
    if (a !== b) return a - b;
  }
  return aEnd - aStart - (bEnd - bStart);
}


/** Exact identity of an integer or text map key, whatever width its head was encoded with. */
function keyIdentity(bytes: Uint8Array, head: Head, offset: number): string {
  if (head.major === 0 || head.major === 1) {
    if (head.info === 31) fail('cbor_malformed', `CBOR integer with additional information 31 at offset ${offset}`);
    const exact = head.info === 27 ? new DataView(bytes.buffer, bytes.byteOffset + offset + 1, 8).getBigUint64(0).toString() : String(head.value);
    return `${head.major}:${exact}`;
  }
  return `3:${textContent(bytes, head, offset)}`;
}

/** Check a text string's bounds and UTF-8; ASCII (the usual claim and key) needs no decoder. */
function checkText(bytes: Uint8Array, head: Head, offset: number): void {
  if (head.info === 31) fail('cbor_indefinite_length', `CBOR indefinite-length string at offset ${offset}`);
  if (head.value > bytes.length - head.next) fail('cbor_malformed', `CBOR truncated: string at offset ${offset} overruns the input`);
  const end = head.next + head.value;
  for (let i = head.next; i < end; i++) {
    if ((bytes[i] as number) >= 0x80) {
      textContent(bytes, head, offset);
      return;
    }
  }
}

function textContent(bytes: Uint8Array, head: Head, offset: number): string {
  if (head.info === 31) fail('cbor_indefinite_length', `CBOR indefinite-length string at offset ${offset}`);
  if (head.value > bytes.length - head.next) fail('cbor_malformed', `CBOR truncated: string at offset ${offset} overruns the input`);
  try {
    return utf8.decode(bytes.subarray(head.next, head.next + head.value));
  } catch {
    return fail('cbor_malformed', `CBOR text string at offset ${offset} is not valid UTF-8`);
  }
}

/**
 * Check that one well-formed item of the profile starts at `offset`; returns where it ends.
 * Recursion is bounded by `maxDepth` (checked before descending), so hostile nesting cannot
 * exhaust the stack.
 */
export function scanItem(bytes: Uint8Array, offset: number, profile: ScanProfile): ItemSpan {
  let tag: number | undefined;
  let contentStart = offset;
  if (keyStarts.length > MAX_KEPT_KEY_STARTS) keyStarts = [];
  keyTop = 0;
  const state: ScanState = { notDeterministic: undefined, wideIntegers: false };
  const first = readHead(bytes, offset);
  if (first.major === 6) {
    if (!profile.allowRootTag) fail('cbor_malformed', `CBOR tag at offset ${offset} is outside the profile`);
    if (first.info === 31) fail('cbor_malformed', `CBOR tag with additional information 31 at offset ${offset}`);
    noteHead(bytes, first, offset, state);
    tag = first.value;
    contentStart = first.next;
  }
  const end = scanUntagged(bytes, contentStart, 0, profile.maxDepth, state);
  return { start: offset, end, tag, contentStart, notDeterministic: state.notDeterministic, wideIntegers: state.wideIntegers };
}

function scanUntagged(bytes: Uint8Array, offset: number, depth: number, maxDepth: number, state: ScanState): number {
  const head = readHeadInto(bytes, offset, SCRATCH);
  const remaining = bytes.length - head.next;
  switch (head.major) {
    case 0:
    case 1:
      if (head.info === 31) fail('cbor_malformed', `CBOR integer with additional information 31 at offset ${offset}`);
      checkIntegerRange(bytes, head, offset);
      noteHead(bytes, head, offset, state);
      if (head.info === 27) state.wideIntegers = true;
      return head.next;
    case 2:
      if (head.info === 31) fail('cbor_indefinite_length', `CBOR indefinite-length byte string at offset ${offset}`);
      if (head.value > remaining) fail('cbor_malformed', `CBOR truncated: byte string at offset ${offset} overruns the input`);
      noteHead(bytes, head, offset, state);
      return head.next + head.value;
    case 3:
      checkText(bytes, head, offset);
      noteHead(bytes, head, offset, state);
      return head.next + head.value;
    case 4:
    case 5: {
      const kind = head.major === 4 ? 'array' : 'map';
      if (head.info === 31) fail('cbor_indefinite_length', `CBOR indefinite-length ${kind} at offset ${offset}`);
      if (depth + 1 > maxDepth) fail('cbor_too_deep', `CBOR nesting deeper than ${maxDepth} at offset ${offset}`);
      const itemCount = head.major === 4 ? head.value : head.value * 2;
      if (itemCount > remaining) fail('cbor_malformed', `CBOR truncated: ${kind} at offset ${offset} declares more items than the input holds`);
      noteHead(bytes, head, offset, state);
      // The items' heads overwrite the scratch head from here on.
      const count = head.value;
      let at = head.next;
      if (head.major === 4) {
        for (let i = 0; i < count; i++) at = scanUntagged(bytes, at, depth + 1, maxDepth, state);
        return at;
      }
      // Duplicate keys (equal as values, whatever their encodings) are found with a set of key
      // identities, built only once the keys stop being shortest and strictly increasing in bytewise
      // order: until then no two can be equal (a shortest encoding is unique; distinct UTF-8 is a
      // distinct string, a leading BOM included).
      let seen: Set<string> | undefined;
      // This map's key offsets are keyStarts[keysBase …], above those of the maps it is nested in.
      const keysBase = keyTop;
      let previousKey = -1;
      let previousKeyEnd = -1;
      for (let i = 0; i < count; i++) {
        // A key is an integer or a text string, whose scan reads no head but its own: keyHead stays
        // the key's head until the value's scan below.
        const keyHead = readHeadInto(bytes, at, SCRATCH);
        if (keyHead.major !== 0 && keyHead.major !== 1 && keyHead.major !== 3) {
          fail('cbor_malformed', `CBOR map key at offset ${at} is not an integer or text string (outside the profile)`);
        }
        const keyStart = at;
        at = scanUntagged(bytes, at, depth + 1, maxDepth, state);
        // Deterministic maps have keys strictly increasing in the bytewise order of their encodings.
        const increasing = previousKey < 0 || compareSpans(bytes, previousKey, previousKeyEnd, keyStart, at) < 0;
        if (state.notDeterministic === undefined && !increasing) {
          state.notDeterministic = `map at offset ${offset}: key at offset ${keyStart} is not after the previous key in bytewise order`;
        }
        if (seen === undefined && !(increasing && isShortestHead(keyHead))) {
          seen = new Set<string>();
          for (let k = keysBase; k < keyTop; k++) {
            const start = keyStarts[k] as number;
            seen.add(keyIdentity(bytes, readHead(bytes, start), start));
          }
          keyTop = keysBase;
        }
        if (seen === undefined) {
          keyStarts[keyTop++] = keyStart;
        } else {
          const identity = keyIdentity(bytes, keyHead, keyStart);
          if (seen.has(identity)) fail('cbor_duplicate_key', `CBOR map at offset ${offset} has a duplicate key at offset ${keyStart}`);
          seen.add(identity);
        }
        previousKey = keyStart;
        previousKeyEnd = at;
        at = scanUntagged(bytes, at, depth + 1, maxDepth, state);
      }
      keyTop = keysBase;
      return at;
    }
    case 6:
      return fail('cbor_malformed', `CBOR tag at offset ${offset} is outside the profile`);
    default:
      // Major type 7: false, true and null only. Floats, undefined and other simple values have no
      // place in headers or claims, and a stray break (0xff) is malformed.
      if (head.info >= 20 && head.info <= 22) return head.next;
      if (head.info === 31) fail('cbor_malformed', `CBOR break outside an indefinite-length item at offset ${offset}`);
      return fail('cbor_malformed', `CBOR simple value or float at offset ${offset} is outside the profile`);
  }
}

/** `scanItem` over the whole input: one item, nothing after it. */
export function scanOne(bytes: Uint8Array, profile: ScanProfile): ItemSpan {
  if (bytes.length === 0) fail('cbor_malformed', 'CBOR input is empty');
  const span = scanItem(bytes, 0, profile);
  if (span.end !== bytes.length) fail('cbor_trailing_bytes', `${bytes.length - span.end} bytes after the CBOR item`);
  return span;
}

// ---------------------------------------------------------------------------------------------
// Decoding

/**
 * Decode an item that already passed the profile check. 64-bit-headed integers that fit a safe
 * integer come out of cbor-x as bigint; they are turned back into numbers so that `1` written
 * with an 8-byte head is the same label as `1` (the determinism check still sees the difference).
 */
export function decodeChecked(bytes: Uint8Array): CborValue {
  return normalize(decodeWith(decoder, bytes));
}

function decodeWith(cbor: Decoder, bytes: Uint8Array): unknown {
  try {
    return cbor.decode(bytes);
  } catch (cause) {
    throw new CoseError('cbor_malformed', 'CBOR item cannot be decoded', { cause });
  }
}

/** In place where nothing changes shape: cbor-x's fresh arrays and Maps are reused, not copied. */
function normalize(value: unknown): CborValue {
  if (typeof value === 'bigint') {
    return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
  }
  if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = normalize(value[i]);
    return value as CborValue[];
  }
  if (value instanceof Map) {
    let keysChange = false;
    for (const key of value.keys()) {
      if (typeof key === 'bigint' && key >= MIN_SAFE && key <= MAX_SAFE) keysChange = true;
    }
    if (keysChange) {
      const out: CborMap = new Map();
      for (const [key, entry] of value) out.set(normalize(key) as CborKey, normalize(entry));
      return out;
    }
    // Replacing the value of an existing key keeps the map's order.
    for (const [key, entry] of value) value.set(key, normalize(entry));
    return value as CborMap;
  }
  if (value instanceof Uint8Array) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new CoseError('cbor_malformed', 'CBOR item decodes to a value outside the profile');
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Profile check, then decode. Returns the decoded item, its tag (only when `allowRootTag`) and the
 * scan's span, whose determinism verdict the caller raises where it applies.
 */
export function decodeStrict(bytes: Uint8Array, profile: ScanProfile): { value: CborValue; tag: number | undefined; span: ItemSpan } {
  return decodeScanned(bytes, profile, decoder);
}

/**
 * decodeStrict whose byte strings are views of `bytes`, not copies: for a reader that consumes the
 * value before it returns and keeps none of its byte strings (see viewDecoder).
 */
export function decodeStrictViews(bytes: Uint8Array, profile: ScanProfile): { value: CborValue; tag: number | undefined; span: ItemSpan } {
  return decodeScanned(bytes, profile, viewDecoder);
}

function decodeScanned(bytes: Uint8Array, profile: ScanProfile, cbor: Decoder): { value: CborValue; tag: number | undefined; span: ItemSpan } {
  const span = scanOne(bytes, profile);
  // A plain Uint8Array view of the item whatever `bytes` is (a Buffer's subarray is a Buffer), so
  // that every byte string cbor-x makes of it, copy or view, is a plain Uint8Array too.
  const item = new Uint8Array(bytes.buffer, bytes.byteOffset + span.contentStart, span.end - span.contentStart);
  const value = decodeWith(cbor, item);
  // Of a scanned item, cbor-x makes numbers, strings, booleans, null, plain Uint8Arrays, arrays and
  // Maps, which are CborValues as they are, and bigints from 8-byte integer heads only: the walk
  // of `normalize` is needed only where the scan met one.
  return { value: span.wideIntegers ? normalize(value) : (value as CborValue), tag: span.tag, span };
}

// ---------------------------------------------------------------------------------------------
// Deterministic encoding (RFC 8949 §4.2.1)

const TWO_POW_32 = 2 ** 32;
const UINT64_MAX = (1n << 64n) - 1n;

/** Shortest-form integers via cbor-x: it writes 8-byte integers only for bigints, floats for large numbers. */
function canonicalInteger(value: number | bigint): number | bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw invalidArgument(`${value} is not an integer CBOR can carry exactly`);
    return value >= -TWO_POW_32 && value < TWO_POW_32 ? value : BigInt(value);
  }
  // -2^64 is a valid CBOR integer but cbor-x would write it as a bignum tag.
  if (value > UINT64_MAX || value < -UINT64_MAX) throw invalidArgument(`${value} is outside the CBOR integer range of this profile`);
  return value >= BigInt(-TWO_POW_32) && value < BigInt(TWO_POW_32) ? Number(value) : value;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  }
  return a.length - b.length;
}

function canonical(value: CborValue): unknown {
  if (typeof value === 'number' || typeof value === 'bigint') return canonicalInteger(value);
  if (typeof value === 'string' || typeof value === 'boolean' || value === null || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(canonical);
  if (value instanceof Map) {
    const entries = [...value].map(([key, entry]) => {
      const canonicalKey = typeof key === 'string' ? key : canonicalInteger(key);
      return { key: canonicalKey, encoded: encoder.encode(canonicalKey) as Uint8Array, entry };
    });
    // encoder.encode returns views of one reusable buffer: copy each key before the next call.
    for (const item of entries) item.encoded = Uint8Array.from(item.encoded);
    entries.sort((a, b) => compareBytes(a.encoded, b.encoded));
    const sorted = new Map<unknown, unknown>();
    for (let i = 0; i < entries.length; i++) {
      const item = entries[i] as (typeof entries)[number];
      if (i > 0 && compareBytes((entries[i - 1] as (typeof entries)[number]).encoded, item.encoded) === 0) {
        throw invalidArgument('CBOR map has two equal keys');
      }
      sorted.set(item.key, canonical(item.entry));
    }
    return sorted;
  }
  throw invalidArgument(`a ${typeof value} cannot be encoded in this CBOR profile`);
}

/**
 * Core deterministic encoding: shortest integers and lengths (cbor-x's own behaviour, given the
 * integer fix-ups above), definite lengths (cbor-x never streams here), and map keys sorted by the
 * bytewise order of their encodings (done here, as cbor-x keeps insertion order).
 */
export function encodeDeterministic(value: CborValue): Uint8Array {
  const prepared = canonical(value);
  try {
    return Uint8Array.from(encoder.encode(prepared));
  } catch (cause) {
    throw invalidArgument('value cannot be encoded as CBOR', cause);
  }
}

/**
 * Throws `cbor_not_deterministic` unless a scanned item is in core deterministic encoding. Call it
 * after every other check of the item.
 */
export function assertScannedDeterministic(span: ItemSpan, what: string): void {
  if (span.notDeterministic !== undefined) {
    throw new CoseError('cbor_not_deterministic', `${what} is not in core deterministic CBOR encoding (RFC 8949 §4.2.1): ${span.notDeterministic}`);
  }
}

/** A shortest-form item head (for the chain's array head and the COSE tag, written around raw items). */
export function encodeHead(major: number, value: number): Uint8Array {
  const type = major << 5;
  if (!Number.isSafeInteger(value) || value < 0 || value >= TWO_POW_32) {
    throw invalidArgument(`CBOR head argument ${value} out of range`);
  }
  if (value < 24) return Uint8Array.of(type | value);
  if (value < 0x100) return Uint8Array.of(type | 24, value);
  if (value < 0x10000) return Uint8Array.of(type | 25, value >>> 8, value & 0xff);
  return Uint8Array.of(type | 26, value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

/** How many bytes encodeHead(major, value) writes, for a value it accepts. */
export function headLength(value: number): number {
  return value < 24 ? 1 : value < 0x100 ? 2 : value < 0x10000 ? 3 : 5;
}

/** What encodeHead(major, value) returns, written into `out` at `at` without allocating; returns the next offset. */
export function writeHead(out: Uint8Array, at: number, major: number, value: number): number {
  const type = major << 5;
  if (!Number.isSafeInteger(value) || value < 0 || value >= TWO_POW_32) {
    throw invalidArgument(`CBOR head argument ${value} out of range`);
  }
  if (value < 24) {
    out[at] = type | value;
    return at + 1;
  }
  if (value < 0x100) {
    out[at] = type | 24;
    out[at + 1] = value;
    return at + 2;
  }
  if (value < 0x10000) {
    out[at] = type | 25;
    out[at + 1] = value >>> 8;
    out[at + 2] = value & 0xff;
    return at + 3;
  }
  out[at] = type | 26;
  out[at + 1] = value >>> 24;
  out[at + 2] = (value >>> 16) & 0xff;
  out[at + 3] = (value >>> 8) & 0xff;
  out[at + 4] = value & 0xff;
  return at + 5;
}

/** The parts one after another, in a new array (the runtime's join, lib/runtime/types.ts). */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return joinParts(parts);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return compareBytes(a, b) === 0;
}
