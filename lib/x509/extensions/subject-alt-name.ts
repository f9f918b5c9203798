/** subjectAltName (RFC 5280 §4.2.1.6): the subject's names, as encoded. */
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectAlternativeName, type Extension, type GeneralName } from '@peculiar/asn1-x509';

/**
 * Decoded with the asn1-x509 schema rather than SubjectAlternativeNameExtension: the latter throws on
 * name forms it cannot print (x400Address, ediPartyName, unknown otherName).
 */
export function readSubjectAltNames(extension: Extension): GeneralName[] {
  return [...AsnConvert.parse(extension.extnValue.buffer, SubjectAlternativeName)];
}

/** §4.2.1.6: with an empty subject, the identity is in subjectAltName, which MUST then be critical. */
export function checkEmptySubjectNamed(subjectEmpty: boolean, extension: Extension | undefined, fail: (reason: string) => Error): void {
  if (subjectEmpty && extension?.critical !== true) throw fail('empty subject without a critical subjectAltName');
}
