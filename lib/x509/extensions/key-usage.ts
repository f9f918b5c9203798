import type { KeyUsage } from '@peculiar/asn1-x509';

/**
 * keyUsage (RFC 5280 §4.2.1.3): the KeyUsageFlags bits, read within the BIT STRING's length (the
 * unused bits are not bits). An unused bit that is set is refused: a reader that ignores the count
 * would see another usage there (keyCertSign in `03 02 03 04`). Trailing 0 bits and octets, which
 * DER removes from a named bit list (X.690 §11.2.2), are tolerated: GnuTLS writes `03 03 07 80 00`,
 * and so are the COSE WG's x509-examples, and they cannot change what is read.
 */
export function readKeyUsage(value: KeyUsage, fail: (reason: string) => Error): number {
  const octets = new Uint8Array(value.value);
  const unused = value.unusedBits;
  const last = octets[octets.length - 1];
  if (last === undefined ? unused !== 0 : unused > 7 || (last & ((1 << unused) - 1)) !== 0) {
    throw fail('keyUsage has an unused bit set (X.690 §11.2.1: the unused bits are zero)');
  }
  return value.toNumber();
}
