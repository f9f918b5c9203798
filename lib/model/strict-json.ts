/**
 * A strict JSON reader for what is signed or bound (a JWT link's header and payload, the `tmb`
 * request parameter). Unlike JSON.parse it refuses duplicate member names (RFC 8259 §4 leaves them
 * undefined; JSON.parse keeps the last, another parser the first, so two readers would read two
 * different links), refuses numbers that are not integers written as integers within
 * ±(2^53 − 1) (JSON.parse rounds `1900002899.99999999999999999999` to an integer), refuses strings
 * holding an unpaired surrogate (no UTF-8 text, so no CBOR reading agrees), and bounds nesting.
 * Objects are ordinary objects; "__proto__" is an ordinary own member, as with JSON.parse.
 */

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

export function parseStrictJson(text: string, options: StrictJsonOptions): unknown {
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
      if (seen.has(name)) fail(`duplicate member "${name.slice(0, 32)}"`);
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
