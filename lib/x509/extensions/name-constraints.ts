/** nameConstraints (RFC 5280 §4.2.1.10): read here, judged by rule 9 (lib/x509/rules/09-name-constraints.ts). */
import type { NameConstraints } from '@peculiar/asn1-x509';

export function readNameConstraints(value: NameConstraints): NameConstraints {
  return value;
}
