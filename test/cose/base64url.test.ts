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

test('fromBase64url: long text (checked by its round trip) gets the same verdict as short text, a fault anywhere in it', () => {
  // 1,024 characters and more are held to the canonical form by decoding, encoding and comparing.
  const faults = ['=', '+', '/', ' ', '.', '\n', 'é', '€', '\u0000', '=='];
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 768, maxLength: 3600 }), fc.nat(), fc.constantFrom(...faults), (bytes, where, fault) => {
      const text = toBase64url(bytes);
      assert.ok(text.length >= 1024);
      assert.deepEqual(fromBase64url(text), bytes);
      const at = where % (text.length + 1);
      for (const faulty of [text.slice(0, at) + fault + text.slice(at), text.slice(0, at) + fault + text.slice(at + 1)]) {
        assert.equal(fromBase64url(faulty), reference(faulty), `${fault} at ${at}`);
        assert.equal(fromBase64url(faulty), undefined, `${fault} at ${at}`);
      }
    }),
    { numRuns: 300 },
  );
  // Length 1 mod 4, padding, and non-zero unused bits in the last character.
  const text = toBase64url(new Uint8Array(799).fill(0xa5));
  assert.equal(text.length % 4, 2);
  const whole = toBase64url(new Uint8Array(801).fill(0xa5));
  assert.equal(whole.length % 4, 0);
  for (const faulty of [`${whole}A`, `${text}==`, `${text.slice(0, -1)}B`, `${text.slice(0, -1)}/`]) {
    assert.equal(fromBase64url(faulty), undefined, faulty.slice(-4));
    assert.equal(reference(faulty), undefined, faulty.slice(-4));
  }
  for (const last of CHARS) {
    const candidate = text.slice(0, -1) + last;
    assert.deepEqual(fromBase64url(candidate), reference(candidate), last);
  }
});
