/**
 * Byte-string equality, the one comparison lib/x509 makes of DER bytes (names, anchors, re-encodings,
 * the certificates a path-cache hit compares in full). No dependencies: every module of lib/x509 may
 * import it without loading the ASN.1 schemas.
 */

/** Whether `a` and `b` hold the same bytes; eight a step (a path-cache hit compares each certificate in full). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  const n = a.byteLength;
  if (n !== b.byteLength) return false;
  let i = 0;
  for (const end = n - 7; i < end; i += 8) {
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2] || a[i + 3] !== b[i + 3] ||
      a[i + 4] !== b[i + 4] || a[i + 5] !== b[i + 5] || a[i + 6] !== b[i + 6] || a[i + 7] !== b[i + 7]) return false;
  }
  for (; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}
