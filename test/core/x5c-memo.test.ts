/**
 * The JOSE codec's memo of decoded `x5c` entries (lib/codecs/jose/x5c.ts): it answers exactly what
 * decoding answers, hands every caller bytes of its own, and stays within its bounds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X5cMemo } from '../../lib/codecs/jose/x5c.js';

const bytesOf = (seed: number, length = 48): Uint8Array => Uint8Array.from({ length }, (_, i) => (seed * 31 + i * 7) & 0xff);
const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

test('an x5c entry decodes to its bytes the first time and every time after', () => {
  const memo = new X5cMemo();
  const bytes = bytesOf(1);
  assert.deepEqual(memo.decode(base64(bytes)), bytes);
  assert.equal(memo.holds(base64(bytes)), true);
  assert.deepEqual(memo.decode(base64(bytes)), bytes);
});

test('bytes handed to one caller are its own: changing them changes no later decoding', () => {
  const memo = new X5cMemo();
  const bytes = bytesOf(2);
  const text = base64(bytes);
  const first = memo.decode(text) as Uint8Array;
  first.fill(0);
  const second = memo.decode(text) as Uint8Array;
  assert.deepEqual(second, bytes);
  second.fill(1);
  assert.deepEqual(memo.decode(text), bytes);
});

test('a text that is not the canonical spelling is refused, even after the canonical one was remembered', () => {
  const memo = new X5cMemo();
  assert.deepEqual(memo.decode('AAE='), Uint8Array.of(0, 1));
  // The same two bytes with non-zero unused bits, without padding, in base64url: three other texts.
  for (const text of ['AAF=', 'AAE', 'AA-_']) assert.equal(memo.decode(text), undefined, text);
  assert.equal(memo.decode(''), undefined, 'no bytes is no certificate');
  assert.equal(memo.size, 1, 'nothing refused is kept');
});

test('the memo keeps at most maxEntries texts, dropping the oldest, and none longer than maxText characters', () => {
  const memo = new X5cMemo(4, 64);
  const texts = Array.from({ length: 6 }, (_, i) => base64(bytesOf(1000 + i, 30 + i)));
  for (const text of texts) memo.decode(text);
  assert.equal(memo.size, 4);
  assert.deepEqual(texts.map((text) => memo.holds(text)), [false, false, true, true, true, true], 'the two oldest were dropped');

  const long = base64(bytesOf(7, 51)); // 68 characters
  const atBound = base64(bytesOf(8, 48)); // 64 characters
  assert.deepEqual(memo.decode(long), bytesOf(7, 51), 'a long text is still decoded');
  assert.equal(memo.holds(long), false, 'but not kept');
  memo.decode(atBound);
  assert.equal(memo.holds(atBound), true, 'a text of exactly the bound is kept');
});

test('decodeAll: each entry its bytes, in one buffer of the caller\'s own; a repeated entry is two ranges; the first bad entry is named', () => {
  const memo = new X5cMemo();
  const [a, b] = [bytesOf(5, 40), bytesOf(6, 24)];
  const texts = [base64(a), base64(b), base64(a)];
  memo.decode(texts[0] as string); // `a` already kept, `b` new
  const first = memo.decodeAll(texts) as Uint8Array[];
  assert.deepEqual(first, [a, b, a]);
  assert.notEqual(first[0], first[2]);
  // The whole buffer behind the entries is the caller's: zeroing it reaches neither the memo nor the next read.
  new Uint8Array((first[0] as Uint8Array).buffer).fill(0);
  assert.deepEqual(memo.decodeAll(texts), [a, b, a]);
  // One entry's range is its own: changing it leaves its neighbours as they were.
  const second = memo.decodeAll(texts) as Uint8Array[];
  (second[1] as Uint8Array).fill(0xff);
  assert.deepEqual([second[0], second[2]], [a, a]);
  assert.equal(memo.decodeAll([base64(a), 'AAF=', 7]), 1);
  assert.equal(memo.decodeAll([base64(a), 7]), 1);
  assert.equal(memo.decodeAll([base64(a), '']), 1);
});

test('decodeAll: every entry starts at a multiple of four in the buffer, whatever the lengths before it', () => {
  // lib/x509 compares aligned bytes four at a time (bytes.ts); the ranges stay exactly the entries.
  const memo = new X5cMemo();
  const entries = [bytesOf(9, 37), bytesOf(10, 5), bytesOf(11, 66), bytesOf(12, 1), bytesOf(13, 8)];
  const read = memo.decodeAll(entries.map(base64)) as Uint8Array[];
  assert.deepEqual(read, entries);
  for (const [i, der] of read.entries()) {
    assert.equal(der.byteOffset % 4, 0, `entry ${i} starts at ${der.byteOffset}`);
    assert.equal(der.buffer, (read[0] as Uint8Array).buffer, 'one buffer');
  }
});
