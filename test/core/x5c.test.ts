/**
 * The JOSE codec's reading of `x5c` (lib/codecs/jose/x5c.ts) and its keeping by the JWS reader's
 * header memo (jws.ts): decoding answers exactly the canonical texts, a kept header's bytes are
 * never decoded again yet every read gets bytes of its own, in one buffer, each entry aligned.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertX5cCount, readX5c, x5cCopy } from '../../lib/codecs/jose/x5c.js';
import { readJws } from '../../lib/codecs/jose/jws.js';
import { DEFAULT_LIMITS } from '../../lib/model/limits.js';

const bytesOf = (seed: number, length = 48): Uint8Array => Uint8Array.from({ length }, (_, i) => (seed * 31 + i * 7) & 0xff);
const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const b64u = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
/** A JWS compact serialization whose protected header carries these x5c texts (the reader checks no signature). */
const jwsWith = (texts: readonly unknown[]): Uint8Array => new TextEncoder().encode(`${b64u(JSON.stringify({ alg: 'ES256', typ: 'tmb-link+jwt', x5c: texts }))}.${b64u('{"a":1}')}.AAAA`);
const codeOf = (error: unknown): unknown => (error as { code?: unknown }).code;

test('each x5c entry decodes to its bytes; only the canonical spelling of at least one byte is read', () => {
  const [a, b] = [bytesOf(1), bytesOf(2, 5)];
  assert.deepEqual(readX5c([base64(a), base64(b)], 0, DEFAULT_LIMITS, 'link 0'), [a, b]);
  assert.deepEqual(readX5c(['AAE='], 0, DEFAULT_LIMITS, 'link 0'), [Uint8Array.of(0, 1)]);
  // The same two bytes with non-zero unused bits, without padding, in base64url; no bytes; not a text.
  for (const entry of ['AAF=', 'AAE', 'AA-_', '', 7, null]) {
    assert.throws(() => readX5c([base64(a), entry], 2, DEFAULT_LIMITS, 'link 2'), (error: unknown) => {
      assert.equal(codeOf(error), 'x5c_malformed', String(entry));
      assert.equal((error as Error).message, 'link 2: x5c entry is not standard base64');
      assert.equal((error as { linkIndex?: number }).linkIndex, 2);
      return true;
    });
  }
  for (const value of [[], 'AAE=', { 0: 'AAE=' }]) {
    assert.throws(() => readX5c(value, 0, DEFAULT_LIMITS, 'link 0'), (error: unknown) => codeOf(error) === 'x5c_malformed' && (error as Error).message === 'link 0: x5c is not a non-empty array');
  }
  assert.equal(readX5c(undefined, 0, DEFAULT_LIMITS, 'link 0'), undefined);
});

test('x5c is counted before any entry is read', () => {
  const limits = { ...DEFAULT_LIMITS, maxCertificates: 2 };
  assert.throws(() => readX5c(['AAF=', 'AAF=', 'AAF='], 1, limits, 'link 1'), (error: unknown) => codeOf(error) === 'x5c_too_many' && (error as Error).message === 'link 1: x5c has 3 certificates, more than 2');
  assert.throws(() => assertX5cCount(3, 1, limits, 'link 1'), (error: unknown) => codeOf(error) === 'x5c_too_many');
  assert.doesNotThrow(() => assertX5cCount(2, 1, limits, 'link 1'));
});

test('x5cCopy: each entry its bytes, in one buffer of the caller\'s own, every entry at a multiple of four', () => {
  const entries = [bytesOf(9, 37), bytesOf(10, 5), bytesOf(11, 66), bytesOf(12, 1), bytesOf(9, 37)];
  const copy = x5cCopy(entries);
  assert.deepEqual(copy, entries);
  for (const [i, der] of copy.entries()) {
    assert.equal(der.byteOffset % 4, 0, `entry ${i} starts at ${der.byteOffset}`);
    assert.equal(der.buffer, (copy[0] as Uint8Array).buffer, 'one buffer');
  }
  new Uint8Array((copy[0] as Uint8Array).buffer).fill(0);
  assert.deepEqual(entries[0], bytesOf(9, 37), 'the copy is not a view of what it copied');
  (copy[1] as Uint8Array).fill(0xff);
  assert.deepEqual([copy[0], copy[2]].map((der) => der?.every((byte) => byte === 0)), [true, true], 'one entry\'s range is its own');
});

test('a header read again hands every read bytes of its own: nothing a reader does reaches the next', () => {
  const [a, b] = [bytesOf(5, 40), bytesOf(6, 23)];
  const link = jwsWith([base64(a), base64(b), base64(a)]);
  const first = readJws(link, 0, DEFAULT_LIMITS).header.x5c as Uint8Array[];
  assert.deepEqual(first, [a, b, a]);
  assert.notEqual(first[0], first[2]);
  for (const der of first) der.fill(0);
  for (let read = 0; read < 3; read++) {
    const again = readJws(link, 0, DEFAULT_LIMITS).header.x5c as Uint8Array[];
    assert.deepEqual(again, [a, b, a], `read ${read + 2}`);
    for (const der of again) {
      assert.equal(der.byteOffset % 4, 0);
      assert.equal(der.buffer, (again[0] as Uint8Array).buffer, 'one buffer');
    }
    new Uint8Array((again[0] as Uint8Array).buffer).fill(0xff);
    again.pop();
  }
});

test('a text that is not the canonical spelling is refused, even after the canonical one was read', () => {
  assert.deepEqual(readJws(jwsWith(['AAE=']), 0, DEFAULT_LIMITS).header.x5c, [Uint8Array.of(0, 1)]);
  for (const entry of ['AAF=', 'AAE', 'AA-_', '']) {
    assert.throws(() => readJws(jwsWith([entry]), 4, DEFAULT_LIMITS), (error: unknown) => codeOf(error) === 'x5c_malformed' && (error as Error).message === 'link 4: x5c entry is not standard base64', entry);
  }
});
