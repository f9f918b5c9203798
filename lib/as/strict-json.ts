/**
 * A strict JSON reader for small wire values (the `tmb` parameter). Unlike JSON.parse it rejects
 * duplicate member names (RFC 8259 §4 leaves them undefined; JSON.parse silently keeps the last),
 * bounds nesting, and builds objects without a prototype so "__proto__" is an ordinary name.
 */

export class StrictJsonError extends Error {
  override readonly name = 'StrictJsonError';
}

export interface StrictJsonOptions {
  maxDepth: number;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

export function parseStrictJson(text: string, options: StrictJsonOptions): unknown {
  let pos = 0;

  const fail = (what: string): never => {
    throw new StrictJsonError(`${what} at offset ${pos}`);
  };
  const skip = (): void => {
    while (pos < text.length && WHITESPACE.has(text[pos] as string)) pos++;
  };
  const expect = (literal: string): void => {
    if (text.startsWith(literal, pos)) pos += literal.length;
    else fail(`expected ${literal}`);
  };

  const readString = (): string => {
    const start = pos;
    expect('"');
    for (;;) {
      if (pos >= text.length) fail('unterminated string');
      const ch = text.charCodeAt(pos);
      if (ch === 0x22) break;
      if (ch < 0x20) fail('control character in string');
      if (ch === 0x5c) {
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
    // The slice is now known to be a well-formed JSON string literal.
    return JSON.parse(text.slice(start, pos)) as string;
  };

  const readValue = (depth: number): unknown => {
    skip();
    const ch = text[pos];
    if (ch === '{' || ch === '[') {
      if (depth >= options.maxDepth) fail(`nesting deeper than ${options.maxDepth}`);
      return ch === '{' ? readObject(depth + 1) : readArray(depth + 1);
    }
    if (ch === '"') return readString();
    if (text.startsWith('true', pos)) return (pos += 4), true;
    if (text.startsWith('false', pos)) return (pos += 5), false;
    if (text.startsWith('null', pos)) return (pos += 4), null;
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (match === null) return fail('unexpected character');
    pos += match[0].length;
    return Number(match[0]);
  };

  const readObject = (depth: number): Record<string, unknown> => {
    const object: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const seen = new Set<string>();
    expect('{');
    skip();
    if (text[pos] === '}') return pos++, object;
    for (;;) {
      skip();
      const name = readString();
      if (seen.has(name)) fail(`duplicate member "${name.slice(0, 32)}"`);
      seen.add(name);
      skip();
      expect(':');
      object[name] = readValue(depth);
      skip();
      if (text[pos] === ',') pos++;
      else if (text[pos] === '}') return pos++, object;
      else fail('expected , or }');
    }
  };

  const readArray = (depth: number): unknown[] => {
    const array: unknown[] = [];
    expect('[');
    skip();
    if (text[pos] === ']') return pos++, array;
    for (;;) {
      array.push(readValue(depth));
      skip();
      if (text[pos] === ',') pos++;
      else if (text[pos] === ']') return pos++, array;
      else fail('expected , or ]');
    }
  };

  const value = readValue(0);
  skip();
  if (pos !== text.length) fail('trailing characters');
  return value;
}
