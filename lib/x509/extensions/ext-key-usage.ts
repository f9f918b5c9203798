/** extKeyUsage (RFC 5280 §4.2.1.12): the key purpose OIDs, dotted. */
import { AsnConvert } from '@peculiar/asn1-schema';
import type { Extension } from '@peculiar/asn1-x509';
import { ExtendedKeyUsageExtension } from '../peculiar.js';

/** Throws `fail(...)` for an empty list: ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId. */
export function readExtKeyUsage(extension: Extension, fail: (reason: string) => Error): string[] {
  const usages = new ExtendedKeyUsageExtension(AsnConvert.serialize(extension)).usages.map((u) => String(u));
  if (usages.length === 0) throw fail('empty extendedKeyUsage');
  return usages;
}
