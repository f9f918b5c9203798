/**
 * `inspect --diag`: CBOR diagnostic notation (RFC 8949 §8) of a CBOR link, with its protected header
 * and payload (both CBOR inside byte strings) shown decoded, as `<< ... >>` (RFC 8610 Appendix G.3).
 * It prints values the COSE codec decoded; it does not parse CBOR itself.
 */
import { DEFAULT_LIMITS, type LinkFormat } from '../lib/index.js';
import { decodeSign1 } from '../lib/codecs/cose/sign1.js';
import { decodeStrict, type CborValue } from '../lib/codecs/cose/cbor.js';

function hex(bytes: Uint8Array): string {
  return `h'${Buffer.from(bytes).toString('hex')}'`;
}

export function diag(value: CborValue): string {
  if (value instanceof Uint8Array) return hex(value);
  if (Array.isArray(value)) return `[${value.map(diag).join(', ')}]`;
  if (value instanceof Map) return `{${[...value].map(([key, item]) => `${diag(key)}: ${diag(item)}`).join(', ')}}`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function embedded(bytes: Uint8Array): string {
  if (bytes.length === 0) return "h''";
  const { value } = decodeStrict(bytes, { maxDepth: DEFAULT_LIMITS.maxNesting });
  return `<< ${diag(value)} >>`;
}

export function diagnosticNotation(format: LinkFormat, link: Uint8Array): string {
  if (format !== 'cwt') return '(a JWT link has no CBOR diagnostic notation; use --json)';
  const sign1 = decodeSign1(link, 'link', DEFAULT_LIMITS);
  return `${sign1.tag ?? ''}([\n  / protected / ${embedded(sign1.protectedBytes)},\n  / unprotected / ${diag(sign1.unprotectedHeader)},\n  / payload / ${embedded(sign1.payload)},\n  / signature / ${hex(sign1.signature)}\n])`;
}
