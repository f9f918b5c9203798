/**
 * The fingerprints path validation remembers (lib/x509/fingerprints.ts): found by the bytes alone,
 * given only for bytes equal in full to the copy kept, never for a caller's say-so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { FINGERPRINT_ENTRIES, knownFingerprint, rememberFingerprint } from '../../lib/x509/fingerprints.js';

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
