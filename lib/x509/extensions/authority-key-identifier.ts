/** authorityKeyIdentifier (RFC 5280 §4.2.1.1): its keyIdentifier, lower-case hex; undefined when only issuer/serial are given. */
import type { AuthorityKeyIdentifier } from '@peculiar/asn1-x509';
import { lowerHex } from './hex.js';

export function readAuthorityKeyIdentifier(value: AuthorityKeyIdentifier): string | undefined {
  return value.keyIdentifier === undefined ? undefined : lowerHex(value.keyIdentifier.buffer);
}
