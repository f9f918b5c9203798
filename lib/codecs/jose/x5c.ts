/**
 * The JWS `x5c` header parameter (RFC 7515 §4.1.6) as the JOSE codec reads it: counted before any
 * entry is examined (SPEC-NOTES §7.2 rule 1), then each entry the one canonical spelling of standard
 * base64 (padded, zero unused bits) of a non-empty byte string. Which bytes are a certificate is
 * lib/x509's rule, not the codec's.
 *
 * The same certificates arrive in every link their holder signs, in the same protected header: the
 * JWS reader (jws.ts) keeps a header it has read with the bytes of its entries, and a read of the same
 * segment again counts them (`assertX5cCount`) and takes a copy of its own (`x5cCopy`), without
 * decoding the texts again. A verifier without the X.509 part carries no memo of its own for them.
 */
import { X509Error } from '../../errors.js';
import type { Limits } from '../../model/limits.js';
import { fromBase64 } from '../../runtime/base64.js';

/** `x5c` of a JWS header: undefined when absent, else the DER of each entry, freshly decoded (`x5c_malformed`, `x5c_too_many`). */
export function readX5c(value: unknown, index: number, limits: Limits, label: string): Uint8Array[] | undefined {
  if (value === undefined) return undefined;
  const malformed = (what: string): X509Error => new X509Error('x5c_malformed', `${label}: x5c ${what}`, { linkIndex: index });
  if (!Array.isArray(value) || value.length === 0) throw malformed('is not a non-empty array');
  assertX5cCount(value.length, index, limits, label);
  const ders: Uint8Array[] = [];
  for (const text of value) {
    const der = typeof text === 'string' ? fromBase64(text) : undefined;
    if (der === undefined || der.length === 0) throw malformed('entry is not standard base64');
    ders.push(der);
  }
  return ders;
}

/** `x5c_too_many` when an `x5c` of `count` entries has more than the limits allow (checked on every read, kept header or not). */
export function assertX5cCount(count: number, index: number, limits: Limits, label: string): void {
  if (count > limits.maxCertificates) {
    throw new X509Error('x5c_too_many', `${label}: x5c has ${count} certificates, more than ${limits.maxCertificates}`, { linkIndex: index });
  }
}

/**
 * A copy of `ders` the caller owns, in one fresh buffer (one allocation for the whole set), each entry
 * a view of its own range starting at a multiple of four: lib/x509 compares aligned bytes four at a
 * time (bytes.ts).
 */
export function x5cCopy(ders: readonly Uint8Array[]): Uint8Array[] {
  let total = 0;
  for (const der of ders) total += (der.length + 3) & ~3;
  const out = new Uint8Array(total);
  let at = 0;
  return ders.map((der) => {
    out.set(der, at);
    const view = out.subarray(at, at + der.length);
    at += (der.length + 3) & ~3;
    return view;
  });
}
