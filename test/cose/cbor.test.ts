import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoseError, TransitiveProofError } from '../../lib/errors.js';
import { assertScannedDeterministic, decodeStrict, encodeDeterministic, scanOne, type CborValue } from '../../lib/codecs/cose/cbor.js';
import { hex, toHex } from './support.js';

const PROFILE = { maxDepth: 8 };

function rejects(input: string, code: string, profile: { maxDepth: number; allowRootTag?: boolean } = PROFILE): void {
  assert.throws(
    () => decodeStrict(hex(input), profile),
    (error: unknown) => error instanceof CoseError && error.code === code,
    `${input} should fail with ${code}`,
  );
}

test('emission: map keys sorted by the bytewise order of their encodings', () => {
  const map = new Map<string | number, CborValue>([['b', 1], [-1, 2], [10, 3], [1, 4], ['a', 5], [100, 6], ['aa', 7]]);
  // 1 (01) < 10 (0a) < 100 (1864) < -1 (20) < "a" (6161) < "b" (6162) < "aa" (626161)
  assert.equal(toHex(encodeDeterministic(map)), 'a7' + '0104' + '0a03' + '186406' + '2002' + '616105' + '616201' + '62616107');
});

test('emission: nested maps sorted too, insertion order irrelevant', () => {
  const a = encodeDeterministic(new Map<string, CborValue>([['z', new Map([['y', 1], ['x', 2]])], ['a', [new Map([[2, 0], [1, 0]])]]]));
  const b = encodeDeterministic(new Map<string, CborValue>([['a', [new Map([[1, 0], [2, 0]])]], ['z', new Map([['x', 2], ['y', 1]])]]));
  assert.equal(toHex(a), toHex(b));
  assert.equal(toHex(a), 'a2' + '6161' + '81a2' + '0100' + '0200' + '617a' + 'a2' + '617802' + '617901');
});

test('emission: shortest integer and length forms', () => {
  const cases: [CborValue, string][] = [
    [0, '00'], [23, '17'], [24, '1818'], [255, '18ff'], [256, '190100'], [65535, '19ffff'], [65536, '1a00010000'],
    [2 ** 32 - 1, '1affffffff'], [2 ** 32, '1b0000000100000000'], [Number.MAX_SAFE_INTEGER, '1b001fffffffffffff'],
    [-1, '20'], [-24, '37'], [-25, '3818'], [-(2 ** 32), '3affffffff'], [-(2 ** 32) - 1, '3b0000000100000000'],
    [1n, '01'], [2n ** 64n - 1n, '1bffffffffffffffff'],
    ['x'.repeat(23), '77' + '78'.repeat(23)], ['x'.repeat(24), '7818' + '78'.repeat(24)],
    [new Uint8Array(24), '5818' + '00'.repeat(24)], [new Array<CborValue>(24).fill(0), '9818' + '00'.repeat(24)],
  ];
  for (const [value, expected] of cases) assert.equal(toHex(encodeDeterministic(value)), expected, String(value));
});

test('emission: no floats, no undefined, no equal keys', () => {
  assert.throws(() => encodeDeterministic(1.5), (e: unknown) => e instanceof TransitiveProofError && e.code === 'invalid_argument');
  assert.throws(() => encodeDeterministic(new Map<number | bigint, CborValue>([[1, 0], [1n, 0]])), /equal keys/);
});

test('duplicate map keys are rejected, whatever width the key is written with', () => {
  rejects('a2 01 00 01 00', 'cbor_duplicate_key');
  rejects('a2 01 00 1801 00', 'cbor_duplicate_key');
  rejects('a2 20 00 3800 00', 'cbor_duplicate_key');
  rejects('a2 6161 00 6161 01', 'cbor_duplicate_key');
  rejects('a1 00 a2 6178 00 6178 00', 'cbor_duplicate_key');
  // Found after a nested map, once the keys stop increasing: {"a": {"b": 0}, "c": 0, "a": 0}.
  rejects('a3 6161 a1 6162 00 6163 00 6161 00', 'cbor_duplicate_key');
  rejects('a3 6161 a2 6162 00 6163 00 6164 00 6161 00', 'cbor_duplicate_key');
  // Same spelling in different major types is not a duplicate.
  assert.ok(decodeStrict(hex('a2 01 00 20 00'), PROFILE).value instanceof Map);
});

test('indefinite lengths are rejected: array, map, byte string, text string', () => {
  rejects('9f 01 ff', 'cbor_indefinite_length');
  rejects('bf 01 02 ff', 'cbor_indefinite_length');
  rejects('5f 41 00 ff', 'cbor_indefinite_length');
  rejects('7f 61 61 ff', 'cbor_indefinite_length');
  rejects('81 9f ff', 'cbor_indefinite_length');
});

test('trailing bytes after the item are rejected', () => {
  rejects('01 02', 'cbor_trailing_bytes');
  rejects('a0 00', 'cbor_trailing_bytes');
});

test('nesting beyond maxDepth is rejected; exactly maxDepth passes', () => {
  assert.doesNotThrow(() => decodeStrict(hex('81'.repeat(8) + '00'), PROFILE));
  rejects('81'.repeat(9) + '00', 'cbor_too_deep');
  rejects('a1 00 '.repeat(9) + '00', 'cbor_too_deep');
  // Hostile depth fails fast on the pre-scan, not in cbor-x's recursion.
  rejects('81'.repeat(100_000) + '00', 'cbor_too_deep');
});

test('truncation, reserved values, stray breaks and out-of-profile items are cbor_malformed', () => {
  for (const input of ['', '83 01 02', '58 10 00', '19 01', 'a1 01', '1c', 'ff', '9b ffffffffffffffff 00', 'fb 3ff8000000000000', 'f7', 'f8 20', 'c1 00', '81 d8 18 40', 'a1 80 00', 'a1 40 00', '62 c3 28', '1f']) {
    rejects(input, 'cbor_malformed');
  }
});

test('a root tag is only accepted where the caller allows it', () => {
  rejects('d2 80', 'cbor_malformed');
  assert.equal(decodeStrict(hex('d2 80'), { maxDepth: 2, allowRootTag: true }).tag, 18);
  rejects('d2 d2 80', 'cbor_malformed', { maxDepth: 2, allowRootTag: true });
});

test('determinism check: non-shortest heads and unsorted keys are rejected', () => {
  for (const input of ['1801', '1900ff', '5800', 'b800', '980100', 'a2 02 00 01 00', 'a2 6162 00 6161 00', '1b0000000000000001']) {
    const { span } = decodeStrict(hex(input), PROFILE);
    assert.throws(
      () => assertScannedDeterministic(span, 'test'),
      (error: unknown) => error instanceof CoseError && error.code === 'cbor_not_deterministic',
      input,
    );
  }
  const good = hex('a3 01 26 20 01 6161 f6');
  assert.doesNotThrow(() => assertScannedDeterministic(decodeStrict(good, PROFILE).span, 'test'));
});

test('64-bit-headed small integers decode to numbers, so labels compare equal', () => {
  const { value } = decodeStrict(hex('a1 1b0000000000000001 3b0000000000000006'), PROFILE);
  assert.deepEqual(value, new Map([[1, -7]]));
});

test('the strict decoder\'s byte strings are plain Uint8Arrays, also from a Buffer', () => {
  const { value } = decodeStrict(Buffer.from(hex('a2 01 43 010203 02 82 41 04 f5')), PROFILE);
  const map = value as Map<number, CborValue>;
  assert.equal(Object.getPrototypeOf(map.get(1)), Uint8Array.prototype);
  assert.equal(Object.getPrototypeOf((map.get(2) as CborValue[])[0]), Uint8Array.prototype);
});

test('the strict decoder\'s byte strings are copies: the input changed afterwards leaves them as decoded', () => {
  const input = hex('a1 01 43 010203');
  const { value } = decodeStrict(input, PROFILE);
  input.fill(0);
  assert.equal(toHex((value as Map<number, Uint8Array>).get(1) as Uint8Array), '010203');
});

test('nothing but CoseError escapes the strict decoder (random and mutated input)', () => {
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const base = hex('a4 01 63 616263 02 82 01 a1 61 78 f5 03 43 010203 6178 f6');
  for (let i = 0; i < 5000; i++) {
    const input = i % 2 === 0 ? base.slice() : new Uint8Array(Array.from({ length: 1 + Math.floor(random() * 24) }, () => Math.floor(random() * 256)));
    if (i % 2 === 0) input[Math.floor(random() * input.length)] = Math.floor(random() * 256);
    try {
      scanOne(input, PROFILE);
      decodeStrict(input, PROFILE);
    } catch (error) {
      assert.ok(error instanceof CoseError, `unexpected ${String(error)} for ${toHex(input)}`);
    }
  }
});
