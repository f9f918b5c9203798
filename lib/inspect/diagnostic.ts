/**
 * CBOR diagnostic notation (RFC 8949 §8) of a CBOR link, with its protected header and payload (both
 * CBOR inside byte strings) shown decoded, as `<< ... >>` (RFC 8610 Appendix G.3). It prints values
 * the COSE codec decoded; it does not parse CBOR itself.
 */
import { decodeSign1 } from '../codecs/cose/sign1.js';
import { decodeStrict, type CborValue } from '../codecs/cose/cbor.js';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.js';

function hex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return `h'${text}'`;
}

export function cborDiagnostic(value: CborValue): string {
  if (value instanceof Uint8Array) return hex(value);
  if (Array.isArray(value)) return `[${value.map(cborDiagnostic).join(', ')}]`;
  if (value instanceof Map) return `{${[...value].map(([key, item]) => `${cborDiagnostic(key)}: ${cborDiagnostic(item)}`).join(', ')}}`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function embedded(bytes: Uint8Array, limits: Limits): string {
  if (bytes.length === 0) return "h''";
  const { value } = decodeStrict(bytes, { maxDepth: limits.maxNesting });
  return `<< ${cborDiagnostic(value)} >>`;
}

/** The diagnostic notation of one COSE_Sign1 link (the bytes of a CBOR chain's element). */
export function linkDiagnosticNotation(link: Uint8Array, limits: Limits = DEFAULT_LIMITS): string {
  const sign1 = decodeSign1(link, 'link', limits);
  return `${sign1.tag ?? ''}([\n  / protected / ${embedded(sign1.protectedBytes, limits)},\n  / unprotected / ${cborDiagnostic(sign1.unprotectedHeader)},\n  / payload / ${embedded(sign1.payload, limits)},\n  / signature / ${hex(sign1.signature)}\n])`;
}
