/**
 * The extensions of one certificate, read once at parse time: one reader per extension, each in its
 * own file named after it. Reading is not judging: the §7.2 rules (lib/x509/rules/) decide what an
 * extension's presence, absence or criticality means; the readers only refuse what cannot be read
 * (`fail` makes the parse error, `x5c_malformed`, rule 1).
 */
import type { Extension, GeneralName, NameConstraints, TBSCertificate } from '@peculiar/asn1-x509';
import {
  AsnConvert,
  AuthorityKeyIdentifier,
  BasicConstraints as BasicConstraintsSchema,
  ExtendedKeyUsage,
  KeyUsage,
  NameConstraints as NameConstraintsSchema,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
} from '#asn1';
import { bytesEqual } from '../bytes.js';
import { readAuthorityKeyIdentifier } from './authority-key-identifier.js';
import { readBasicConstraints, type BasicConstraints } from './basic-constraints.js';
import { readExtKeyUsage } from './ext-key-usage.js';
import { readKeyUsage } from './key-usage.js';
import { readNameConstraints } from './name-constraints.js';
import { OID } from './oid.js';
import { checkEmptySubjectNamed, readSubjectAltNames } from './subject-alt-name.js';
import { readSubjectKeyIdentifier } from './subject-key-identifier.js';

interface CertificateExtension {
  oid: string;
  critical: boolean;
}

/** What the rules look at in a certificate's extensions; undefined where the extension is absent. */
export interface CertificateExtensions {
  /** Every extension, in certificate order, with its criticality (rule 5). */
  readonly extensions: readonly CertificateExtension[];
  readonly basicConstraints: BasicConstraints | undefined;
  /** KeyUsage bit flags (KeyUsageFlags). */
  readonly keyUsage: number | undefined;
  readonly extKeyUsage: readonly string[] | undefined;
  /** subjectAltName entries. */
  readonly subjectAltNames: readonly GeneralName[] | undefined;
  readonly nameConstraints: NameConstraints | undefined;
  /** Lower-case hex key identifiers. */
  readonly subjectKeyId: string | undefined;
  readonly authorityKeyId: string | undefined;
}

/** The schemas of the extensions read here, whose values are held to DER like the certificate (rule 1). */
const READ_EXTENSIONS: ReadonlyMap<string, new () => object> = new Map<string, new () => object>([
  [OID.subjectKeyIdentifier, SubjectKeyIdentifier],
  [OID.keyUsage, KeyUsage],
  [OID.subjectAltName, SubjectAlternativeName],
  [OID.basicConstraints, BasicConstraintsSchema],
  [OID.nameConstraints, NameConstraintsSchema],
  [OID.authorityKeyIdentifier, AuthorityKeyIdentifier],
  [OID.extKeyUsage, ExtendedKeyUsage],
]);

export function readExtensions(tbs: TBSCertificate, fail: (reason: string) => Error): CertificateExtensions {
  const extensions: CertificateExtension[] = [];
  const byOid = new Map<string, Extension>();
  /** The value of each extension read here, parsed once (the DER check's parse), by OID. */
  const values = new Map<string, object>();
  for (const ext of tbs.extensions ?? []) {
    // RFC 5280 §4.2: a certificate MUST NOT include more than one instance of an extension.
    if (byOid.has(ext.extnID)) throw fail(`duplicate extension ${ext.extnID}`);
    byOid.set(ext.extnID, ext);
    extensions.push({ oid: ext.extnID, critical: ext.critical === true });
    // The value of an extension read here is DER too (the OCTET STRING holds it as bytes).
    const schema = READ_EXTENSIONS.get(ext.extnID);
    if (schema !== undefined) {
      const bytes = new Uint8Array(ext.extnValue.buffer);
      const value = AsnConvert.parse(bytes, schema);
      if (!bytesEqual(new Uint8Array(AsnConvert.serialize(value)), bytes)) {
        throw fail(`not DER (extension ${ext.extnID}: a re-encoding of its value differs from the bytes received)`);
      }
      values.set(ext.extnID, value);
    }
  }
  // Each reader gets the value its OID's schema parsed (READ_EXTENSIONS pairs them).
  const read = <V, T>(oid: string, reader: (value: V) => T): T | undefined => {
    const value = values.get(oid);
    return value === undefined ? undefined : reader(value as V);
  };
  const basicConstraints = read(OID.basicConstraints, (value: BasicConstraintsSchema) => readBasicConstraints(value, fail));
  const extKeyUsage = read(OID.extKeyUsage, (value: ExtendedKeyUsage) => readExtKeyUsage(value, fail));
  checkEmptySubjectNamed(tbs.subject.length === 0, byOid.get(OID.subjectAltName), fail);
  const subjectKeyId = read(OID.subjectKeyIdentifier, readSubjectKeyIdentifier);
  const authorityKeyId = read(OID.authorityKeyIdentifier, readAuthorityKeyIdentifier);
  return {
    extensions,
    basicConstraints,
    keyUsage: read(OID.keyUsage, (value: KeyUsage) => readKeyUsage(value, fail)),
    extKeyUsage,
    subjectAltNames: read(OID.subjectAltName, (value: SubjectAlternativeName) => readSubjectAltNames(value, fail)),
    nameConstraints: read(OID.nameConstraints, readNameConstraints),
    subjectKeyId,
    authorityKeyId,
  };
}
