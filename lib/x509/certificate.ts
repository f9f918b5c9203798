/**
 * Parsing one DER certificate into the facts path validation needs. Every parser exception becomes a
 * typed X509Error (`x5c_malformed`): no TypeError or library error escapes on hostile bytes.
 */
import { sha256Base64url as runtimeSha256Base64url } from '#runtime';
import type { Time } from '@peculiar/asn1-x509';
import { AsnConvert, Certificate, fromBER } from '#asn1';
import { X509Error } from '../errors.js';
import { bytesEqual } from './bytes.js';
import { readExtensions, type CertificateExtensions } from './extensions/index.js';
import { isMinimalInteger, keyAlgorithm, webAlgorithm, type WebAlgorithm } from './algorithm-identifier.js';
import { formatName } from './name.js';
import { certificatePublicKey, type CertificatePublicKey } from './public-key.js';

/** RFC 5280 §4.1.2.2: certificate users MUST handle serial numbers up to 20 octets; longer is not conforming. */
const MAX_SERIAL_OCTETS = 20;

/** One certificate, parsed once, with everything the rules look at. */
export interface ParsedCertificate extends CertificateExtensions {
  /** The exact bytes received. */
  readonly der: Uint8Array;
  /** The subject public key, as rule 4 and the path result import it. */
  readonly publicKey: CertificatePublicKey;
  /** The TBSCertificate's DER, the bytes the signature covers (the received ones: the re-encoding is checked equal). */
  readonly tbs: Uint8Array;
  /** The signatureValue BIT STRING's bytes. */
  readonly signatureValue: Uint8Array;
  /** DER of the subject / issuer Name, for binary name comparison (RFC 5280 §7.1). */
  readonly subjectDer: Uint8Array;
  readonly issuerDer: Uint8Array;
  /** The signatureAlgorithm in WebCrypto's terms (rule 4). */
  readonly signatureAlgorithm: WebAlgorithm;
  /** Subject and issuer DNs for messages and display (lib/x509/name.ts). */
  readonly subject: string;
  readonly issuer: string;
  /** Why the serial number is not RFC 5280 §4.1.2.2 conforming (zero, negative, over 20 octets). */
  readonly serialProblem: string | undefined;
  /** issuer DN == subject DN (RFC 5280 §6.1: "self-issued"). */
  readonly selfIssued: boolean;
  /** Validity bounds, seconds since the epoch. */
  readonly notBefore: number;
  readonly notAfter: number;
}

/** base64url(SHA-256(data)): a certificate's fingerprint. Asynchronous where the runtime's digest is. */
export async function sha256Base64url(data: Uint8Array): Promise<string> {
  return runtimeSha256Base64url(data);
}

/**
 * Parse one DER certificate. `label` names it in error messages ("x5c[1]", "trust anchor 0").
 * Throws X509Error `x5c_malformed` for anything that is not exactly one well-formed certificate.
 */
export function parseCertificate(der: Uint8Array, label: string): ParsedCertificate {
  const fail = (reason: string, cause?: unknown): X509Error =>
    new X509Error('x5c_malformed', `${label}: ${reason}`, cause === undefined ? {} : { cause });
  if (!(der instanceof Uint8Array) || der.byteLength === 0) throw fail('not a non-empty byte string');
  // Copy, so later mutation of the caller's buffer cannot change what was validated.
  const bytes = new Uint8Array(der);

  try {
    // Parsed once with the asn1-x509 schema; every field below is read from this one parse.
    let asn: Certificate;
    try {
      asn = AsnConvert.parse(bytes, Certificate);
    } catch (cause) {
      throw notOneDerValue(bytes, fail) ?? cause;
    }
    // DER (X.690 §10, RFC 5280 §4.1): the certificate and its TBSCertificate re-encoded from what was
    // parsed must be the bytes received. A BER length (long form for a short value, indefinite, extra
    // length octets), a BOOLEAN other than 0x00/0xFF, a DEFAULT value written out, a non-minimal
    // INTEGER, ... re-encode differently, and each such spelling of one certificate would be another
    // x5t#S256; so do bytes after the outer SEQUENCE, which the parser ignores. Fields the schema keeps
    // as raw bytes are checked below (serialNumber) or by their own readers (the extension values read
    // here, the key and the signature value).
    if (!bytesEqual(der2u8(AsnConvert.serialize(asn)), bytes)) {
      throw notOneDerValue(bytes, fail) ?? fail('not DER (a re-encoding differs from the bytes received)');
    }
    const tbs = asn.tbsCertificate;
    // RFC 5280 §4.1.1.2: the unsigned outer algorithm must repeat the signed one.
    if (!bytesEqual(der2u8(AsnConvert.serialize(tbs.signature)), der2u8(AsnConvert.serialize(asn.signatureAlgorithm)))) {
      throw fail('signatureAlgorithm differs from tbsCertificate.signature');
    }
    // The schema keeps the INTEGER's content octets as received: DER's minimal two's complement.
    const serial = new Uint8Array(tbs.serialNumber);
    if (serial.byteLength > 1 && !isMinimalInteger(serial)) throw fail('not DER (serialNumber is not a minimal INTEGER)');
    // §4.1.2.4: the issuer is a non-empty distinguished name.
    if (tbs.issuer.length === 0) throw fail('empty issuer name');
    // X.501 (RFC 5280 §4.1.2.4): RelativeDistinguishedName ::= SET SIZE (1..MAX); the schema parses an
    // empty SET, which is no Name: 30 02 31 00 is neither the empty subject nor a name to chain by.
    if (tbs.issuer.some((rdn) => rdn.length === 0) || tbs.subject.some((rdn) => rdn.length === 0)) {
      throw fail('a Name with an empty RelativeDistinguishedName (SET SIZE (1..MAX))');
    }
    // X.690 §11.6: a multi-valued RDN (a SET OF) lists its attributes in ascending order of their
    // encodings; the re-encoding above keeps the order received, so it cannot see this.
    for (const rdn of [...tbs.issuer, ...tbs.subject]) {
      if (rdn.length > 1 && !inSetOfOrder(rdn.map((attribute) => der2u8(AsnConvert.serialize(attribute))))) {
        throw fail('not DER (a multi-valued RelativeDistinguishedName out of SET OF order)');
      }
    }
    const subjectDer = der2u8(AsnConvert.serialize(tbs.subject));
    const issuerDer = der2u8(AsnConvert.serialize(tbs.issuer));
    const notBefore = seconds(tbs.validity.notBefore);
    const notAfter = seconds(tbs.validity.notAfter);
    if (!Number.isFinite(notBefore) || !Number.isFinite(notAfter)) throw fail('unreadable validity');
    const extensions = readExtensions(tbs, fail);
    // A key or signature algorithm whose parameters cannot be read is malformed here, not at rule 4.
    const spki = tbs.subjectPublicKeyInfo;
    const publicKey = certificatePublicKey(spki, AsnConvert.serialize(spki), keyAlgorithm(spki));
    const signatureAlgorithm = webAlgorithm(asn.signatureAlgorithm);

    return {
      der: bytes,
      publicKey,
      signatureAlgorithm,
      tbs: der2u8(asn.tbsCertificateRaw ?? AsnConvert.serialize(tbs)),
      signatureValue: der2u8(asn.signatureValue),
      subjectDer,
      issuerDer,
      subject: formatName(tbs.subject),
      issuer: formatName(tbs.issuer),
      serialProblem: serialNumberProblem(new Uint8Array(tbs.serialNumber)),
      selfIssued: bytesEqual(subjectDer, issuerDer),
      notBefore,
      notAfter,
      ...extensions,
    };
  } catch (cause) {
    if (cause instanceof X509Error) throw cause;
    throw fail(`cannot parse certificate (${describe(cause)})`, cause);
  }
}

/**
 * Why bytes that did not parse, or did not re-encode to themselves, are not one DER value, if that
 * is the reason: BER that does not decode, or bytes after (or missing from) the outer TLV.
 */
function notOneDerValue(bytes: Uint8Array, fail: (reason: string, cause?: unknown) => X509Error): X509Error | undefined {
  let offset: number;
  try {
    const ber = fromBER(bytes);
    offset = ber.result.error ? -1 : ber.offset;
  } catch (cause) {
    return fail('not DER', cause);
  }
  return offset === bytes.byteLength ? undefined : fail('not a single DER value (trailing or truncated bytes)');
}

/** A validity bound (UTCTime or GeneralizedTime) in seconds since the epoch; NaN when neither is there. */
function seconds(time: Time): number {
  const date = time.utcTime ?? time.generalTime;
  return date === undefined ? Number.NaN : date.getTime() / 1000;
}

/**
 * RFC 5280 §4.1.2.2: a positive INTEGER of at most 20 octets (a leading 0x00 that only keeps the sign
 * positive is not counted). Recorded, not thrown: a configured anchor is exempt (rule 1).
 */
function serialNumberProblem(serial: Uint8Array): string | undefined {
  const magnitude = serial[0] === 0 ? serial.byteLength - 1 : serial.byteLength;
  if (serial.byteLength === 0 || ((serial[0] ?? 0) & 0x80) !== 0) return 'serialNumber is not a positive integer';
  if (serial.every((b) => b === 0)) return 'serialNumber is zero';
  if (magnitude > MAX_SERIAL_OCTETS) return `serialNumber is ${magnitude} octets long; at most ${MAX_SERIAL_OCTETS} are allowed`;
  return undefined;
}

function der2u8(buffer: ArrayBuffer): Uint8Array {
  return new Uint8Array(buffer);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** X.690 §11.6: each encoding ≤ the next as octet strings, the shorter padded with trailing 0-octets. */
function inSetOfOrder(encodings: readonly Uint8Array[]): boolean {
  for (let i = 1; i < encodings.length; i++) {
    const a = encodings[i - 1] as Uint8Array;
    const b = encodings[i] as Uint8Array;
    for (let k = 0; k < Math.max(a.length, b.length); k++) {
      const x = a[k] ?? 0;
      const y = b[k] ?? 0;
      if (x !== y) {
        if (x > y) return false;
        break;
      }
    }
  }
  return true;
}
