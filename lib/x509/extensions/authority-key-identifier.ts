/** authorityKeyIdentifier (RFC 5280 §4.2.1.1): its keyIdentifier, lower-case hex; undefined when only issuer/serial are given. */
import { AsnConvert } from '@peculiar/asn1-schema';
import type { Extension } from '@peculiar/asn1-x509';
import { AuthorityKeyIdentifierExtension } from '../peculiar.js';

export function readAuthorityKeyIdentifier(extension: Extension): string | undefined {
  return new AuthorityKeyIdentifierExtension(AsnConvert.serialize(extension)).keyId?.toLowerCase();
}
