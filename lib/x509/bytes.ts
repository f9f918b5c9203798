/**
 * Byte-string equality, the one comparison lib/x509 makes of DER bytes (names, anchors, re-encodings,
 * the certificates a path-cache hit compares in full). No dependencies: every module of lib/x509 may
 * import it without loading the ASN.1 schemas.
 */

/**
 * Whether `a` and `b` hold the same bytes. Where both start at a multiple of four in their buffers
 * (the JOSE codec's `x5c` copies and the fingerprint table's do), four bytes a step through 32-bit
 * views, sixteen per iteration: a path-cache hit compares each certificate in full, and a byte a step
 * cost about 0.5 µs for a 750-byte certificate against 0.2. Otherwise eight bytes a step.
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  const n = a.byteLength;
  if (n !== b.byteLength) return false;
  let i = 0;
  if (n >= WORDS_FROM && ((a.byteOffset | b.byteOffset) & 3) === 0) {
    const words = n >>> 2;
    const x = new Int32Array(a.buffer, a.byteOffset, words);
    const y = new Int32Array(b.buffer, b.byteOffset, words);
    let k = 0;
    for (const end = words - 3; k < end; k += 4) {
      if (x[k] !== y[k] || x[k + 1] !== y[k + 1] || x[k + 2] !== y[k + 2] || x[k + 3] !== y[k + 3]) return false;
    }
    for (; k < words; k++) if (x[k] !== y[k]) return false;
    i = words << 2;
  }
  for (const end = n - 7; i < end; i += 8) {
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2] || a[i + 3] !== b[i + 3] ||
      a[i + 4] !== b[i + 4] || a[i + 5] !== b[i + 5] || a[i + 6] !== b[i + 6] || a[i + 7] !== b[i + 7]) return false;
  }
  for (; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Below this length two views cost more than they save (names, short re-encodings). */
const WORDS_FROM = 64;
