/**
 * The strict JSON reader's native shortcut (readStrictJson: a scan outside strings, JSON.parse, a
 * member count) against the character-by-character reference reader: for every text, both accept
 * with the same value and depth, or both refuse with the same message. The texts are JSON values
 * edited the ways a strict reader must notice: a member repeated (also as an escaped spelling of
 * the same name), integers written with a fraction or exponent, integers near 2^53, escapes
 * (lone and paired surrogates, escaped quotes and backslashes), nesting at and past the bound,
 * white space, truncation and stray characters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseStrictJsonReference, readStrictJson } from '../../lib/model/strict-json.js';
import { DIFFERENTIAL_RUNS } from './support.js';

type Outcome = { ok: true; value: unknown; depth: number } | { ok: false; message: string };

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(value as object).map(depthOf));
}

function fast(text: string, maxDepth: number): Outcome {
  try {
    const { value, depth } = readStrictJson(text, { maxDepth });
    return { ok: true, value, depth };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

function reference(text: string, maxDepth: number): Outcome {
  try {
    const value = parseStrictJsonReference(text, { maxDepth });
    return { ok: true, value, depth: depthOf(value) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

function agree(text: string, maxDepth: number): void {
  const a = fast(text, maxDepth);
  const b = reference(text, maxDepth);
  assert.deepEqual(a, b, JSON.stringify(text));
  if (a.ok && b.ok) assert.deepEqual(Object.keys(a.value ?? {}), Object.keys(b.value ?? {}), 'member order');
}

const name = fc.constantFrom('a', 'b', 'iss', 'scope', '__proto__', 'x"y', 'k\\', 'é', '0', '1');
const number = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -0, 9007199254740991, -9007199254740991, 1893456000, 1e21),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const scalar = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), number, fc.boolean(), fc.constant(null));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(name, tie('value'), { maxKeys: 5 }),
}));

/** Edits applied to the JSON text at a chosen position. */
const edit = fc.oneof(
  fc.constant((t: string) => t),
  fc.constant((t: string) => t.replace(/\{"([^"]*)":/, '{"$1":1,"$1":')), // a member twice
  fc.constant((t: string) => t.replace(/\{"a":/, '{"\\u0061":0,"a":')), // the same name, escaped
  fc.constant((t: string) => t.replace(/\{"/, '{"b":0,"')),
  fc.constantFrom('1.0', '1e3', '1E3', '-0', '0e0', '1e+2', '9007199254740991', '9007199254740992', '-9007199254740992', '19000000000000000001', '0123456789012345', '1234567890123456', '01', '.5', '-', '1.5e-7')
    .map((n) => (t: string) => t.replace(/(?<=[[:,]|^)(-?\d+)(?=[\]},]|$)/, n)),
  fc.constantFrom('\\ud800', '\ud800\\"', '\\udc00', '\\ud83d\\ude00', '\\u0041', '\\"', '\\\\', '\\\\u0041', '\\/', '\\x', '\\u12', '\u0001', '\ud800')
    .map((e) => (t: string) => t.replace(/"(?=[^"]*")/, `"${e}`)),
  fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\ufeff').map((w) => (t: string) => `${w}${t.replace(/,/, `${w},${w}`)}${w}`),
  fc.nat(40).map((cut) => (t: string) => t.slice(0, Math.max(0, t.length - cut))),
  fc.constantFrom('}', ']', ',', ':', 'x', 'tru', '"').map((junk) => (t: string) => `${t}${junk}`),
);

test('readStrictJson and the reference reader accept the same texts with the same values, and refuse the rest with the same message', () => {
  fc.assert(
    fc.property(value, fc.array(edit, { maxLength: 3 }), fc.integer({ min: 1, max: 6 }), (v, edits, maxDepth) => {
      const text = edits.reduce((t, f) => f(t), JSON.stringify(v) ?? 'null');
      agree(text, maxDepth);
    }),
    { numRuns: DIFFERENTIAL_RUNS * 5 },
  );
});

test('named edge cases agree', () => {
  const cases = [
    '{"a":1,"a":1}', '{"a":{"b":1,"b":2}}', '[{"a":1},{"a":1}]', '{"a":1,"\\u0061":1}', '{"__proto__":1,"__proto__":2}',
    '{"a":"\\\\","a":1}', '{"a":"x\\"y","b":"x\\"y"}', '{"a\\"":1,"a\\"":2}', '{"a":":","b":"::"}', '{":":1}',
    '[1.0]', '[1e3]', '[true,false,null]', '[-0]', '[9007199254740991]', '[9007199254740992]', '[-9007199254740991]',
    '[123456789012345]', '[1234567890123456]', '["\\ud800"]', '["\ud800\\""]', '["\ud800"]', '["\\ud83d\\ude00"]', '{"\\udc00":1}', '["\ud800"]',
    '[[[[]]]]', '[[[[[]]]]]', '{"a":{"b":{"c":{}}}}', '\ufeff{}', ' {} ', '{}x', '{', '', '"', '"\\"', 'nul', '[1,]', '{"a" :1 , "a" : 2}',
  ];
  for (const text of cases) for (const maxDepth of [1, 4, 8]) agree(text, maxDepth);
  assert.equal(readStrictJson('[[[[]]]]', { maxDepth: 4 }).depth, 4);
  assert.throws(() => readStrictJson('{"a":1,"a":1}', { maxDepth: 4 }), /duplicate member "a" at offset/);
});
