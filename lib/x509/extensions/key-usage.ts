/** keyUsage (RFC 5280 §4.2.1.3): the KeyUsageFlags bits. */
import type { KeyUsage } from '@peculiar/asn1-x509';

export function readKeyUsage(value: KeyUsage): number {
  return value.toNumber();
}
