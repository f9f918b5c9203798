/**
 * A strict JSON reader for what is signed or bound (a JWT link's header and payload, the `tmb`
 * request parameter). Unlike JSON.parse it refuses duplicate member names (RFC 8259 §4 leaves them
 * undefined; JSON.parse keeps the last, another parser the first, so two readers would read two
 * different links), refuses numbers that are not integers written as integers within
 * ±(2^53 − 1) (JSON.parse rounds `1900002899.99999999999999999999` to an integer), refuses strings
 * holding an unpaired surrogate (no UTF-8 text, so no CBOR reading agrees), and bounds nesting.
 * Objects are ordinary objects; "__proto__" is an ordinary own member, as with JSON.parse.
 */
import { quoted } from '../errors.js';

export class StrictJsonError extends Error {
  override readonly name = 'StrictJsonError';
}

export interface StrictJsonOptions {
  /** Containers allowed inside one another: a flat object is depth 1. */
  maxDepth: number;
}

const INTEGER = /-?(?:0|[1-9][0-9]*)/y;
const NUMBER_CONTINUATION = /[.eE0-9]/;
/** An unpaired surrogate: a high one not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The reference reader: one character at a time, the first fault reported with its offset. Every
 * refusal and every error message of parseStrictJson comes from here; readStrictJson only takes a
 * native shortcut for texts where both would accept and read the same value.
 */
export function parseStrictJsonReference(text: string, options: StrictJsonOptions): unknown {
  let pos = 0;

  const fail = (what: string): never => {
    throw new StrictJsonError(`${what} at offset ${pos}`);
  };
  const skip = (): void => {
    for (;;) {
      const ch = text.charCodeAt(pos);
      if (ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d) pos++;
      else return;
    }
  };
  const expect = (ch: number, literal: string): void => {
    if (text.charCodeAt(pos) === ch) pos++;
    else fail(`expected ${literal}`);
  };

  const readString = (): string => {
    const start = pos;
    expect(0x22, '"');
    let escaped = false;
    for (;;) {
      if (pos >= text.length) fail('unterminated string');
      const ch = text.charCodeAt(pos);
      if (ch === 0x22) break;
      if (ch < 0x20) fail('control character in string');
      if (ch === 0x5c) {
        escaped = true;
        const next = text[pos + 1];
        if (next === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(pos + 2, pos + 6))) fail('bad \\u escape');
          pos += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) {
          pos += 2;
        } else {
          fail('bad escape');
        }
      } else {
        pos++;
      }
    }
    pos++;
    if (!escaped) return text.slice(start + 1, pos - 1);
    // The slice is a well-formed JSON string literal; only escapes can spell a lone surrogate
    // (the text itself came from a fatal UTF-8 decoder or is a JS string the caller vouches for).
    const value = JSON.parse(text.slice(start, pos)) as string;
    if (LONE_SURROGATE.test(value)) fail('string with an unpaired surrogate');
    return value;
  };

  const readNumber = (): number => {
    INTEGER.lastIndex = pos;
    const match = INTEGER.exec(text);
    if (match === null) return fail('unexpected character');
    pos += match[0].length;
    // A fraction or exponent (1.0, 1e3) is not an integer's text, even when its value is one.
    if (NUMBER_CONTINUATION.test(text[pos] ?? '')) fail('number that is not written as an integer');
    const value = Number(match[0]);
    if (!Number.isSafeInteger(value)) fail('integer outside ±(2^53 − 1)');
    return value;
  };

  const readValue = (depth: number): unknown => {
    skip();
    const ch = text.charCodeAt(pos);
    if (ch === 0x7b || ch === 0x5b) {
      if (depth >= options.maxDepth) fail(`nesting deeper than ${options.maxDepth}`);
      return ch === 0x7b ? readObject(depth + 1) : readArray(depth + 1);
    }
    if (ch === 0x22) return readString();
    if (text.startsWith('true', pos)) return (pos += 4), true;
    if (text.startsWith('false', pos)) return (pos += 5), false;
    if (text.startsWith('null', pos)) return (pos += 4), null;
    return readNumber();
  };

  const readObject = (depth: number): Record<string, unknown> => {
    const object: Record<string, unknown> = {};
    const seen = new Set<string>();
    expect(0x7b, '{');
    skip();
    if (text.charCodeAt(pos) === 0x7d) return pos++, object;
    for (;;) {
      skip();
      const name = readString();
      if (seen.has(name)) fail(`duplicate member ${quoted(name)}`);
      seen.add(name);
      skip();
      expect(0x3a, ':');
      const value = readValue(depth);
      // An own data member, even for "__proto__" (which plain assignment would treat as the prototype).
      if (name === '__proto__') Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
      else object[name] = value;
      skip();
      const next = text.charCodeAt(pos);
      if (next === 0x2c) pos++;
      else if (next === 0x7d) return pos++, object;
      else fail('expected , or }');
    }
  };

  const readArray = (depth: number): unknown[] => {
    const array: unknown[] = [];
    expect(0x5b, '[');
    skip();
    if (text.charCodeAt(pos) === 0x5d) return pos++, array;
    for (;;) {
      array.push(readValue(depth));
      skip();
      const next = text.charCodeAt(pos);
      if (next === 0x2c) pos++;
      else if (next === 0x5d) return pos++, array;
      else fail('expected , or ]');
    }
  };

  const value = readValue(0);
  skip();
  if (pos !== text.length) fail('trailing characters');
  return value;
}

/** A strictly read value and the nesting depth of its containers (a flat object is 1, a scalar 0). */
export interface StrictJsonValue {
  value: unknown;
  depth: number;
}

/**
 * Read `text` strictly: the value of parseStrictJsonReference, or its error.
 *
 * Why two readers: the reference reader is JavaScript walking every character, several times
 * JSON.parse's cost, and a link's header and payload are read on every verification. So an
 * ordinary text takes a native path: one scan of what lies outside string literals (strings are
 * skipped with indexOf) that counts member names (each `:` outside a string is one member), tracks
 * nesting and looks for anything that needs the reference reader's judgement — a fraction or
 * exponent, a run of 16 or more digits (the safe-integer bound), a backslash anywhere (the
 * reference reader checks every string holding an escape for a lone surrogate, spelt or raw) or
 * nesting beyond the bound; then JSON.parse builds the
 * value, and the members of the objects it built are counted: fewer than the scan counted means a
 * name occurred twice in one object (JSON.parse keeps the last). Any doubt, any JSON.parse error
 * or a missing member hands the text to the reference reader, which refuses it with its offset.
 */
export function readStrictJson(text: string, options: StrictJsonOptions): StrictJsonValue {
  const scan = scanOutsideStrings(text, options.maxDepth);
  if (scan !== undefined) {
    let value: unknown;
    let parsed = true;
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      parsed = false;
    }
    if (parsed && countMembers(value) === scan.members) return { value, depth: scan.depth };
  }
  const value = parseStrictJsonReference(text, options);
  // Only texts the fast path doubted get here; an accepted one is valid JSON, so the scan's depth
  // (when it ran to the end) or a walk of the value gives its nesting.
  return { value, depth: scan?.depth ?? nestingDepth(value) };
}

/** Strict JSON.parse: see readStrictJson. */
export function parseStrictJson(text: string, options: StrictJsonOptions): unknown {
  return readStrictJson(text, options).value;
}

interface Scan {
  /** Member names in the text: the `:` outside string literals. */
  members: number;
  /** Deepest container nesting. */
  depth: number;
}

const QUOTE = 0x22;

/**
 * The structure outside string literals, or undefined when the text needs the reference reader.
 * Exact for valid JSON (JSON.parse decides validity afterwards): outside strings there are only
 * structural characters, literals, numbers and white space.
 */
function scanOutsideStrings(text: string, maxDepth: number): Scan | undefined {
  // Any escape: the reference reader checks such strings for lone surrogates, spelt or raw.
  if (text.includes('\\')) return undefined;
  let members = 0;
  let depth = 0;
  let deepest = 0;
  let digits = 0;
  const length = text.length;
  for (let pos = 0; pos < length; pos++) {
    const ch = text.charCodeAt(pos);
    if (ch >= 0x30 && ch <= 0x39) {
      if (++digits >= 16) return undefined; // maybe beyond 2^53 − 1: the reference reader decides
      continue;
    }
    switch (ch) {
      case QUOTE: {
        // No backslash in the text (above), so no quote is escaped: the next one ends the string.
        const end = text.indexOf('"', pos + 1);
        if (end === -1) return undefined;
        pos = end;
        break;
      }
      case 0x3a: // :
        members++;
        break;
      case 0x7b: // {
      case 0x5b: // [
        if (++depth > maxDepth) return undefined;
        if (depth > deepest) deepest = depth;
        break;
      case 0x7d: // }
      case 0x5d: // ]
        depth--;
        break;
      case 0x2e: // . a fraction
      case 0x45: // E an exponent
      case 0x2b: // + only in an exponent
        return undefined;
      case 0x65: // e: an exponent after a digit (otherwise in true or false)
        if (digits > 0) return undefined;
        break;
      default:
        break;
    }
    digits = 0;
  }
  return { members, depth: deepest };
}

/** Own members of every object in a JSON.parse result (its depth is bounded by the scan). */
function countMembers(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += countMembers(item);
    return count;
  }
  // for…in, not Object.keys: no array per object (this runs on every link). JSON.parse builds plain
  // objects, so the own-member check only matters if someone made Object.prototype enumerable.
  const object = value as Record<string, unknown>;
  for (const name in object) {
    if (!Object.prototype.hasOwnProperty.call(object, name)) continue;
    const member = object[name];
    // A scalar has no members: no call for it (most members are scalars).
    count += member !== null && typeof member === 'object' ? 1 + countMembers(member) : 1;
  }
  return count;
}

function nestingDepth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let deepest = 0;
  for (const item of Object.values(value as object)) deepest = Math.max(deepest, nestingDepth(item));
  return deepest + 1;
}

