/** extKeyUsage (RFC 5280 §4.2.1.12): the key purpose OIDs, dotted. */
import type { ExtendedKeyUsage } from '@peculiar/asn1-x509';

/** Throws `fail(...)` for an empty list: ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId. */
export function readExtKeyUsage(value: ExtendedKeyUsage, fail: (reason: string) => Error): string[] {
  const usages = value.map((u) => String(u));
  if (usages.length === 0) throw fail('empty extendedKeyUsage');
  return usages;
}
