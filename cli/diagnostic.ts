/**
 * `inspect --diag`: CBOR diagnostic notation (RFC 8949 §8) of a link. JWT links have none.
 */
import type { LinkFormat } from '../lib/index.js';

export function diagnosticNotation(format: LinkFormat, link: Uint8Array): string {
  if (format !== 'cwt') return '(JWT link: no CBOR diagnostic notation; use --json)';
  return `(${link.length} bytes of CBOR; diagnostic notation needs the COSE codec)`;
}
