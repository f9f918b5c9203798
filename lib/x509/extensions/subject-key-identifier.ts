/** subjectKeyIdentifier (RFC 5280 §4.2.1.2): the key identifier, lower-case hex. */
import { AsnConvert } from '@peculiar/asn1-schema';
import type { Extension } from '@peculiar/asn1-x509';
import { SubjectKeyIdentifierExtension } from '../peculiar.js';

export function readSubjectKeyIdentifier(extension: Extension): string {
  return new SubjectKeyIdentifierExtension(AsnConvert.serialize(extension)).keyId.toLowerCase();
}
