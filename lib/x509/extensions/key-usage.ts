/** keyUsage (RFC 5280 §4.2.1.3): the KeyUsageFlags bits. */
import { AsnConvert } from '@peculiar/asn1-schema';
import type { Extension } from '@peculiar/asn1-x509';
import { KeyUsagesExtension } from '../peculiar.js';

export function readKeyUsage(extension: Extension): number {
  return new KeyUsagesExtension(AsnConvert.serialize(extension)).usages;
}
