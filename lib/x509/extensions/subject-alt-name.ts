/** subjectAltName (RFC 5280 §4.2.1.6): the subject's names, as encoded. */
import type { Extension, GeneralName, SubjectAlternativeName } from '@peculiar/asn1-x509';

/**
 * Decoded with the asn1-x509 schema (never a printing wrapper, which throws on name forms it cannot
 * print: x400Address, ediPartyName, unknown otherName).
 */
export function readSubjectAltNames(value: SubjectAlternativeName, fail: (reason: string) => Error): GeneralName[] {
  // GeneralNames is SIZE (1..MAX): an empty one is not a leaf without names (as extKeyUsage, §7.2 rule 1).
  if (value.length === 0) throw fail('empty subjectAltName (GeneralNames is SIZE (1..MAX))');
  return [...value];
}

/** §4.2.1.6: with an empty subject, the identity is in subjectAltName, which MUST then be critical. */
export function checkEmptySubjectNamed(subjectEmpty: boolean, extension: Extension | undefined, fail: (reason: string) => Error): void {
  if (subjectEmpty && extension?.critical !== true) throw fail('empty subject without a critical subjectAltName');
}
