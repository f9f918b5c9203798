/** nameConstraints (RFC 5280 §4.2.1.10): read here, judged by rule 9 (lib/x509/rules/09-name-constraints.ts). */
import { AsnConvert } from '@peculiar/asn1-schema';
import { NameConstraints, type Extension } from '@peculiar/asn1-x509';

export function readNameConstraints(extension: Extension): NameConstraints {
  return AsnConvert.parse(extension.extnValue.buffer, NameConstraints);
}
