/**
 * Parsing one DER certificate into the facts path validation needs. Every parser exception becomes a
 * typed X509Error (`x5c_malformed`): no TypeError or library error escapes on hostile bytes.
 */
import { sha256Base64url as runtimeSha256Base64url } from '#runtime';
import * as asn1js from 'asn1js';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  KeyUsage,
  NameConstraints,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  type Extension as AsnExtension,
  type GeneralName as AsnGeneralName,
} from '@peculiar/asn1-x509';
import { X509Error } from '../errors.js';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
} from './peculiar.js';

/** Extension OIDs this module reads. */
export const OID = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;

/**
 * Extensions whose semantics the validator enforces, so they may be critical. Anything else that is
 * critical is rejected (RFC 5280 §4.2), certificatePolicies included: policies are not processed.
 */
export const UNDERSTOOD_CRITICAL_EXTENSIONS: ReadonlySet<string> = new Set([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.nameConstraints,
  OID.authorityKeyIdentifier,
  OID.subjectKeyIdentifier,
]);

/** RFC 5280 §4.2.1.1 and §4.2.1.2: conforming CAs MUST mark the key identifiers non-critical. */
export const NON_CRITICAL_EXTENSIONS: ReadonlySet<string> = new Set([OID.authorityKeyIdentifier, OID.subjectKeyIdentifier]);

/** policyConstraints and inhibitAnyPolicy: never accepted, critical or not (policies are not processed). */
export const POLICY_CONSTRAINT_EXTENSIONS: ReadonlySet<string> = new Set(['2.5.29.36', '2.5.29.54']);

/** The schemas of the extensions this module reads, whose values are held to DER like the certificate. */
const READ_EXTENSIONS: ReadonlyMap<string, new () => object> = new Map<string, new () => object>([
  [OID.subjectKeyIdentifier, SubjectKeyIdentifier],
  [OID.keyUsage, KeyUsage],
  [OID.subjectAltName, SubjectAlternativeName],
  [OID.basicConstraints, BasicConstraints],
  [OID.nameConstraints, NameConstraints],
  [OID.authorityKeyIdentifier, AuthorityKeyIdentifier],
  [OID.extKeyUsage, ExtendedKeyUsage],
]);

/** RFC 5280 §4.1.2.2: certificate users MUST handle serial numbers up to 20 octets; longer is not conforming. */
const MAX_SERIAL_OCTETS = 20;

export interface CertificateExtension {
  oid: string;
  critical: boolean;
}

/** One certificate, parsed once, with everything the rules look at. */
export interface ParsedCertificate {
  /** The exact bytes received. */
  readonly der: Uint8Array;
  readonly certificate: X509Certificate;
  /** DER of the subject / issuer Name, for binary name comparison (RFC 5280 §7.1). */
  readonly subjectDer: Uint8Array;
  readonly issuerDer: Uint8Array;
  /** Subject DN for messages and display. */
  readonly subject: string;
  /** Why the serial number is not RFC 5280 §4.1.2.2 conforming (zero, negative, over 20 octets). */
  readonly serialProblem: string | undefined;
  /** issuer DN == subject DN (RFC 5280 §6.1: "self-issued"). */
  readonly selfIssued: boolean;
  /** Validity bounds, seconds since the epoch. */
  readonly notBefore: number;
  readonly notAfter: number;
  readonly extensions: readonly CertificateExtension[];
  readonly basicConstraints: { ca: boolean; pathLength: number | undefined } | undefined;
  /** KeyUsage bit flags (KeyUsageFlags) or undefined when the extension is absent. */
  readonly keyUsage: number | undefined;
  readonly extKeyUsage: readonly string[] | undefined;
  /** subjectAltName entries, undefined when the extension is absent. */
  readonly subjectAltNames: readonly AsnGeneralName[] | undefined;
  readonly nameConstraints: NameConstraints | undefined;
  /** Lower-case hex key identifiers. */
  readonly subjectKeyId: string | undefined;
  readonly authorityKeyId: string | undefined;
}

/** base64url(SHA-256(data)): a certificate's fingerprint. Asynchronous where the runtime's digest is. */
export async function sha256Base64url(data: Uint8Array): Promise<string> {
  return runtimeSha256Base64url(data);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
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

  // The certificate parser silently ignores bytes after the outer SEQUENCE. Trailing bytes would let
  // one certificate have many encodings (and x5t#S256 values), so the outer TLV must span the input.
  let berOffset: number;
  try {
    const ber = asn1js.fromBER(bytes);
    berOffset = ber.result.error ? -1 : ber.offset;
  } catch (cause) {
    throw fail('not DER', cause);
  }
  if (berOffset !== bytes.byteLength) throw fail('not a single DER value (trailing or truncated bytes)');

  try {
    // Parsed once with the asn1-x509 schema (we need tbsCertificate fields) and wrapped; the wrapper
    // signs over asn.tbsCertificateRaw, the exact bytes received.
    const asn = AsnConvert.parse(bytes, Certificate);
    // DER (X.690 §10, RFC 5280 §4.1): the certificate and its TBSCertificate re-encoded from what was
    // parsed must be the bytes received. A BER length (long form for a short value, indefinite, extra
    // length octets), a BOOLEAN other than 0x00/0xFF, a DEFAULT value written out, a non-minimal
    // INTEGER, ... re-encode differently, and each such spelling of one certificate would be another
    // x5t#S256. Fields the schema keeps as raw bytes are checked below (serialNumber) or by their
    // own readers (the extension values read here, the key and the signature value).
    if (!bytesEqual(der2u8(AsnConvert.serialize(asn)), bytes)) throw fail('not DER (a re-encoding differs from the bytes received)');
    const certificate = new X509Certificate(asn);
    const tbs = asn.tbsCertificate;
    // RFC 5280 §4.1.1.2: the unsigned outer algorithm must repeat the signed one.
    if (!bytesEqual(der2u8(AsnConvert.serialize(tbs.signature)), der2u8(AsnConvert.serialize(asn.signatureAlgorithm)))) {
      throw fail('signatureAlgorithm differs from tbsCertificate.signature');
    }
    // RFC 5280 §4.1.2.2: a positive INTEGER of at most 20 octets (a leading 0x00 that only keeps the
    // sign positive is not counted).
    // Recorded, not thrown: a configured anchor is exempt (path.ts rule 1).
    const serial = new Uint8Array(tbs.serialNumber);
    // The schema keeps the INTEGER's content octets as received: DER's minimal two's complement.
    if (serial.byteLength > 1 && ((serial[0] === 0x00 && ((serial[1] ?? 0) & 0x80) === 0) || (serial[0] === 0xff && ((serial[1] ?? 0) & 0x80) !== 0))) {
      throw fail('not DER (serialNumber is not a minimal INTEGER)');
    }
    const magnitude = serial[0] === 0 ? serial.byteLength - 1 : serial.byteLength;
    const serialProblem =
      serial.byteLength === 0 || ((serial[0] ?? 0) & 0x80) !== 0
        ? 'serialNumber is not a positive integer'
        : serial.every((b) => b === 0)
          ? 'serialNumber is zero'
          : magnitude > MAX_SERIAL_OCTETS
            ? `serialNumber is ${magnitude} octets long; at most ${MAX_SERIAL_OCTETS} are allowed`
            : undefined;
    // §4.1.2.4: the issuer is a non-empty distinguished name.
    if (tbs.issuer.length === 0) throw fail('empty issuer name');
    const subjectDer = der2u8(AsnConvert.serialize(tbs.subject));
    const issuerDer = der2u8(AsnConvert.serialize(tbs.issuer));
    const notBefore = certificate.notBefore.getTime() / 1000;
    const notAfter = certificate.notAfter.getTime() / 1000;
    if (!Number.isFinite(notBefore) || !Number.isFinite(notAfter)) throw fail('unreadable validity');

    const extensions: CertificateExtension[] = [];
    const byOid = new Map<string, AsnExtension>();
    for (const ext of tbs.extensions ?? []) {
      // RFC 5280 §4.2: a certificate MUST NOT include more than one instance of an extension.
      if (byOid.has(ext.extnID)) throw fail(`duplicate extension ${ext.extnID}`);
      byOid.set(ext.extnID, ext);
      extensions.push({ oid: ext.extnID, critical: ext.critical === true });
      // The value of an extension this module reads is DER too (the OCTET STRING holds it as bytes).
      const schema = READ_EXTENSIONS.get(ext.extnID);
      if (schema !== undefined) {
        const value = new Uint8Array(ext.extnValue.buffer);
        if (!bytesEqual(der2u8(AsnConvert.serialize(AsnConvert.parse(value, schema))), value)) {
          throw fail(`not DER (extension ${ext.extnID}: a re-encoding of its value differs from the bytes received)`);
        }
      }
    }
    const raw = (oid: string): ArrayBuffer | undefined => {
      const ext = byOid.get(oid);
      return ext === undefined ? undefined : AsnConvert.serialize(ext);
    };
    const value = (oid: string): ArrayBuffer | undefined => {
      const ext = byOid.get(oid);
      return ext === undefined ? undefined : ext.extnValue.buffer;
    };

    const bcRaw = raw(OID.basicConstraints);
    const bc = bcRaw === undefined ? undefined : new BasicConstraintsExtension(bcRaw);
    const kuRaw = raw(OID.keyUsage);
    const ekuRaw = raw(OID.extKeyUsage);
    const skiRaw = raw(OID.subjectKeyIdentifier);
    const akiRaw = raw(OID.authorityKeyIdentifier);
    const sanValue = value(OID.subjectAltName);
    const ncValue = value(OID.nameConstraints);
    const eku = ekuRaw === undefined ? undefined : new ExtendedKeyUsageExtension(ekuRaw).usages.map((u) => String(u));
    // ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (RFC 5280 §4.2.1.12).
    if (eku !== undefined && eku.length === 0) throw fail('empty extendedKeyUsage');
    // §4.2.1.6: with an empty subject, the identity is in subjectAltName, which MUST then be critical.
    if (tbs.subject.length === 0 && byOid.get(OID.subjectAltName)?.critical !== true) {
      throw fail('empty subject without a critical subjectAltName');
    }
    const ski = skiRaw === undefined ? undefined : new SubjectKeyIdentifierExtension(skiRaw).keyId;
    const aki = akiRaw === undefined ? undefined : new AuthorityKeyIdentifierExtension(akiRaw).keyId;

    // Touch the lazily parsed fields now, so a broken key or signature surfaces as malformed here.
    void certificate.publicKey.algorithm;
    void certificate.signatureAlgorithm;

    return {
      der: bytes,
      certificate,
      subjectDer,
      issuerDer,
      subject: certificate.subject,
      serialProblem,
      selfIssued: bytesEqual(subjectDer, issuerDer),
      notBefore,
      notAfter,
      extensions,
      basicConstraints: bc === undefined ? undefined : { ca: bc.ca === true, pathLength: bc.pathLength },
      keyUsage: kuRaw === undefined ? undefined : new KeyUsagesExtension(kuRaw).usages,
      extKeyUsage: eku,
      // Decoded with the asn1-x509 schema rather than SubjectAlternativeNameExtension: the latter
      // throws on name forms it cannot print (x400Address, ediPartyName, unknown otherName).
      subjectAltNames: sanValue === undefined ? undefined : [...AsnConvert.parse(sanValue, SubjectAlternativeName)],
      nameConstraints: ncValue === undefined ? undefined : AsnConvert.parse(ncValue, NameConstraints),
      subjectKeyId: ski?.toLowerCase(),
      authorityKeyId: aki?.toLowerCase(),
    };
  } catch (cause) {
    if (cause instanceof X509Error) throw cause;
    throw fail(`cannot parse certificate (${describe(cause)})`, cause);
  }
}

function der2u8(buffer: ArrayBuffer): Uint8Array {
  return new Uint8Array(buffer);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** RFC 5280 §4.1.2.5: valid from notBefore through notAfter inclusive, widened by the tolerance. */
export function isWithinValidity(now: number, clockToleranceSeconds: number, notBefore: number, notAfter: number): boolean {
  return now >= notBefore - clockToleranceSeconds && now <= notAfter + clockToleranceSeconds;
}
