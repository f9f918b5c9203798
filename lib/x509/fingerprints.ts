/**
 * The fingerprints (base64url SHA-256) of certificates path validation has already hashed, kept with
 * a private copy of their bytes, so that a path-cache hit hashes nothing (SPEC-NOTES.md §7.4). A
 * fingerprint is found by the bytes alone: a probe of a few of them picks the one candidate, whose
 * bytes are then compared in full with the bytes asked about. So the answer is the fingerprint of
 * exactly those bytes or none: nothing a caller passes is taken for a fingerprint, and bytes changed
 * after a hit are not matched to what they were. The copies are taken here and never handed out.
 *
 * Bounded in entries and in bytes (the oldest go first); only the certificates of a path that is in
 * the path cache (just validated, or a hit) are remembered, so a flood of unvalidated certificates
 * does not push them out.
 */
import { sha256Base64url as runtimeSha256Base64url } from '#runtime';
import { bytesEqual } from './bytes.js';

/** Certificates remembered at most; the oldest is forgotten beyond it. */
export const FINGERPRINT_ENTRIES = 1024;
/** Bytes of certificates remembered at most. */
export const FINGERPRINT_BYTES = 4 * 1024 * 1024;

interface Known {
  readonly der: Uint8Array;
  readonly fingerprint: string;
}

/** probe(der) → the last certificate remembered with that probe. */
const known = new Map<number, Known>();
let knownBytes = 0;

/** The fingerprint of `der` if it was remembered: its bytes equal, in full, to the copy kept. */
export function knownFingerprint(der: Uint8Array): string | undefined {
  const entry = known.get(probe(der));
  return entry !== undefined && bytesEqual(entry.der, der) ? entry.fingerprint : undefined;
}

/**
 * The `x5t#S256` of `der` (base64url SHA-256 of its bytes, SPEC-NOTES.md §3.4): the fingerprint
 * remembered for exactly these bytes, else hashed. For the check of a delegate's certificate against
 * the thumbprint its parent names, before its path is validated: the delegate's leaf is remembered
 * once its path is in the path cache, so a later link carrying it hashes nothing (step 6,
 * lib/rules/x509-signer.ts, reached only through `x509Support`).
 */
export function certificateThumbprint(der: Uint8Array): string | Promise<string> {
  return knownFingerprint(der) ?? runtimeSha256Base64url(der);
}

/**
 * Remember `fingerprint` for the bytes of `der`, which the caller has just hashed to it (this turn,
 * or a private copy of its own it hashed). A copy is kept: later changes to `der` change nothing here.
 */
export function rememberFingerprint(der: Uint8Array, fingerprint: string): void {
  const key = probe(der);
  const old = known.get(key);
  if (old !== undefined) {
    known.delete(key);
    knownBytes -= old.der.byteLength;
  }
  while (known.size > 0 && (known.size >= FINGERPRINT_ENTRIES || knownBytes + der.byteLength > FINGERPRINT_BYTES)) {
    const oldest = known.entries().next().value as [number, Known];
    known.delete(oldest[0]);
    knownBytes -= oldest[1].der.byteLength;
  }
  known.set(key, { der: new Uint8Array(der), fingerprint });
  knownBytes += der.byteLength;
}

/**
 * A 32-bit FNV-1a of the length, the last 16 bytes (inside a certificate's signature, which differs
 * between certificates of one issuer) and 16 bytes spread over the rest. Only picks a candidate.
 */
function probe(der: Uint8Array): number {
  const n = der.length;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  const tail = Math.max(0, n - 16);
  for (let i = tail; i < n; i++) h = Math.imul(h ^ (der[i] as number), 0x01000193);
  for (let k = 0; k < 16 && tail > 0; k++) h = Math.imul(h ^ (der[Math.floor((k * tail) / 16)] as number), 0x01000193);
  return h;
}
