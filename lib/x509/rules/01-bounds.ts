/**
 * SPEC-NOTES.md §7.2 rule 1, bounds: how many certificates, how large, each exactly one DER
 * certificate that parses (lib/x509/certificate.ts), and RFC 5280 serial numbers.
 */
import { X509Error } from '../../errors.js';
import { parseCertificate, type ParsedCertificate } from '../certificate.js';
import type { ReceivedPath } from '../candidate-path.js';

/**
 * Before any parsing: a non-empty array of at most `maxCertificates` non-empty byte strings of at
 * most `maxCertificateBytes` each.
 */
export function checkBounds(x5c: readonly Uint8Array[], bounds: { maxCertificates: number; maxCertificateBytes: number }): void {
  if (!Array.isArray(x5c) || x5c.length === 0) throw new X509Error('x5c_malformed', 'x5c must be a non-empty array of DER certificates');
  if (x5c.length > bounds.maxCertificates) {
    throw new X509Error('x5c_too_many', `x5c has ${x5c.length} certificates; at most ${bounds.maxCertificates} are accepted`);
  }
  x5c.forEach((der, i) => {
    if (!(der instanceof Uint8Array) || der.byteLength === 0) throw new X509Error('x5c_malformed', `x5c[${i}] is not a non-empty byte string`);
    if (der.byteLength > bounds.maxCertificateBytes) {
      throw new X509Error('x5c_malformed', `x5c[${i}] is ${der.byteLength} bytes; at most ${bounds.maxCertificateBytes} are accepted`);
    }
  });
}

/**
 * Private copies of certificates `checkBounds` accepted, taken before anything is awaited: the
 * caller's arrays may change while a validation awaits, the copies do not.
 */
export function privateCopies(x5c: readonly Uint8Array[]): Uint8Array[] {
  return x5c.map((der) => new Uint8Array(der));
}

/** Each certificate is exactly one DER value that parses as a certificate (`x5c_malformed`). */
export function parseEach(ders: readonly Uint8Array[]): ParsedCertificate[] {
  return ders.map((der, i) => parseCertificate(der, `x5c[${i}]`));
}

/**
 * RFC 5280 §4.1.2.2 serial numbers, for every certificate but a trailing copy of an anchor (an anchor
 * is configured input, RFC 5280 §6.1.1 (d); real roots with serial 0 exist).
 */
export function checkSerialNumbers(path: ReceivedPath): void {
  path.certs.forEach((cert, i) => {
    if (cert.serialProblem !== undefined && !(path.anchorCopy !== undefined && i === path.certs.length - 1)) {
      throw new X509Error('x5c_malformed', `${path.label(i)}: ${cert.serialProblem}`);
    }
  });
}
