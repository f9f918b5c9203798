/** subjectKeyIdentifier (RFC 5280 §4.2.1.2): the key identifier, lower-case hex. */
import type { SubjectKeyIdentifier } from '@peculiar/asn1-x509';
import { lowerHex } from './hex.js';

export function readSubjectKeyIdentifier(value: SubjectKeyIdentifier): string {
  return lowerHex(value.buffer);
}
