/** The COSE codec's strict base64url decoder, held to the former decode-re-encode-compare check. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromBase64url, toBase64url } from '../../lib/codecs/cose/base64url.js';

/** Former check: alphabet and length, decode, re-encode, compare. */
function reference(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const bytes = new Uint8Array(Buffer.from(text, 'base64url'));
  return toBase64url(bytes) === text ? bytes : undefined;
}

const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

test('fromBase64url: same result as decoding, re-encoding and comparing', () => {
  const textArb = fc.oneof(
    fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 12 }),
    fc.string({ unit: fc.constantFrom(...CHARS, '=', '+', '/', ' ', '.'), maxLength: 12 }),
    fc.uint8Array({ maxLength: 12 }).map((bytes) => toBase64url(bytes)),
  );
  let canonical = 0;
  fc.assert(
    fc.property(textArb, (text) => {
      const expected = reference(text);
      if (expected !== undefined) canonical++;
      assert.deepEqual(fromBase64url(text), expected, text);
    }),
    { numRuns: 5000 },
  );
  assert.ok(canonical > 0);
});

test('fromBase64url: every last character of a 2- and 3-character tail', () => {
  for (const last of CHARS) {
    for (const prefix of ['A', 'AA', 'AAAAA', 'AAAAAA']) {
      assert.deepEqual(fromBase64url(prefix + last), reference(prefix + last), prefix + last);
    }
  }
  assert.deepEqual(fromBase64url(''), new Uint8Array());
  assert.equal(fromBase64url('AB'), undefined);
  assert.deepEqual(fromBase64url('AA'), Uint8Array.of(0));
});
