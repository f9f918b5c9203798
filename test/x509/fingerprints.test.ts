/**
 * The fingerprints path validation remembers (lib/x509/fingerprints.ts): found by the bytes alone,
 * given only for bytes equal in full to the copy kept, never for a caller's say-so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { certificateThumbprint, FINGERPRINT_ENTRIES, knownFingerprint, rememberFingerprint } from '../../lib/x509/fingerprints.js';
import { bytesEqual } from '../../lib/x509/bytes.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('base64url');
/** Bytes that differ for every seed: the seed is written in the last four. */
function bytesOf(seed: number, length = 300): Uint8Array {
  const bytes = Uint8Array.from({ length }, (_, i) => (i * 17 + ((i * i) >> 3)) & 0xff);
  new DataView(bytes.buffer).setUint32(length - 4, seed);
  return bytes;
}

test('a remembered fingerprint is given for the same bytes in another array', () => {
  const der = bytesOf(1);
  rememberFingerprint(der, sha256(der));
  assert.equal(knownFingerprint(new Uint8Array(der)), sha256(der));
  assert.equal(knownFingerprint(bytesOf(2)), undefined, 'bytes never remembered have none');
});

test('bytes that differ from the remembered ones at any single position get no fingerprint', () => {
  const der = bytesOf(3);
  rememberFingerprint(der, sha256(der));
  for (let i = 0; i < der.length; i++) {
    const changed = new Uint8Array(der);
    changed[i] = (changed[i] as number) ^ 0x20;
    assert.equal(knownFingerprint(changed), undefined, `byte ${i} changed`);
  }
  assert.equal(knownFingerprint(der.subarray(0, der.length - 1)), undefined, 'one byte shorter');
});

test('the bytes are copied when remembered: changing the array afterwards leaves the fingerprint to the old bytes', () => {
  const der = bytesOf(4);
  const original = new Uint8Array(der);
  rememberFingerprint(der, sha256(der));
  der[0] = (der[0] as number) ^ 1;
  assert.equal(knownFingerprint(der), undefined, 'the changed array is not the remembered bytes');
  assert.equal(knownFingerprint(original), sha256(original));
});

test('at most FINGERPRINT_ENTRIES certificates are remembered, the oldest forgotten first', () => {
  const first = bytesOf(10_000, 64);
  rememberFingerprint(first, sha256(first));
  const last = bytesOf(10_000 + FINGERPRINT_ENTRIES, 64);
  for (let k = 1; k <= FINGERPRINT_ENTRIES; k++) {
    const der = bytesOf(10_000 + k, 64);
    rememberFingerprint(der, sha256(der));
  }
  assert.equal(knownFingerprint(first), undefined);
  assert.equal(knownFingerprint(last), sha256(last));
});

test('bytesEqual: equal bytes at any alignment are equal; one byte changed anywhere, or one byte more, is not', () => {
  // Aligned views are compared four bytes at a time, sixteen per step, then the rest byte by byte:
  // every position of every length around those steps, at every offset mix.
  const source = bytesOf(99, 200);
  for (const length of [0, 1, 63, 64, 65, 66, 67, 68, 79, 80, 81, 127, 128, 131]) {
    for (const [offsetA, offsetB] of [[0, 0], [4, 8], [0, 1], [3, 0], [2, 6]] as const) {
      const a = new Uint8Array(length + offsetA).subarray(offsetA);
      a.set(source.subarray(0, length));
      const b = new Uint8Array(length + offsetB).subarray(offsetB);
      b.set(source.subarray(0, length));
      const where = `length ${length}, offsets ${offsetA}/${offsetB}`;
      assert.equal(bytesEqual(a, b), true, where);
      for (let i = 0; i < length; i++) {
        b[i] = (b[i] as number) ^ 0x80;
        assert.equal(bytesEqual(a, b), false, `${where}, byte ${i}`);
        b[i] = (b[i] as number) ^ 0x80;
      }
      if (length > 0) assert.equal(bytesEqual(a, b.subarray(0, length - 1)), false, `${where}, one byte shorter`);
    }
  }
});

test('certificateThumbprint: the SHA-256 of the bytes as they are, remembered or not, changed in place or not', async () => {
  const der = bytesOf(77);
  const original = sha256(der);
  assert.equal(await certificateThumbprint(der), original, 'never remembered: hashed');
  rememberFingerprint(der, original);
  assert.equal(certificateThumbprint(new Uint8Array(der)), original, 'remembered: given without a digest, for a copy of the bytes too');
  // A certificate changed in place after its thumbprint was remembered is hashed again.
  der[10] = (der[10] as number) ^ 1;
  assert.equal(await certificateThumbprint(der), sha256(der));
  assert.notEqual(sha256(der), original);
});
