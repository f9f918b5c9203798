/**
 * A chain as a person pastes or drops it: compact text (JWT or base64url CBOR), the JSON form, CBOR
 * as hex, or the CBOR bytes of a file. Unlike parseChain, which takes a chain exactly as it arrived
 * in a request, surrounding white space is ignored here (and inside hex): this is for reading.
 */
import { INSPECT_CODECS } from './parts.js';
import { parseChain } from '../chain.js';
import { chainMalformed, TransitiveProofError } from '../errors.js';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.js';
import type { Chain } from '../model/types.js';
import { toBase64url } from '../runtime/base64.js';

const HEX = /^[0-9a-fA-F\s]+$/;

export function readChainInput(input: string | Uint8Array, limits: Limits = DEFAULT_LIMITS): Chain {
  if (typeof input !== 'string') {
    if (input.length > limits.maxChainBytes) throw new TransitiveProofError('chain_too_large', `chain is more than ${limits.maxChainBytes} bytes`);
    const text = printableText(input);
    // Bytes that are not text are the CBOR chain itself (a CBOR array head is never printable ASCII).
    if (text === undefined) return parseChain(toBase64url(input), { limits, codecs: INSPECT_CODECS });
    return readChainInput(text, limits);
  }
  // Hex is twice the bytes plus white space; refuse what cannot fit before converting it.
  if (input.length > limits.maxChainBytes * 3) throw new TransitiveProofError('chain_too_large', `chain is more than ${limits.maxChainBytes} bytes`);
  const text = input.trim();
  // A JWT starts "ey", the JSON form "[", compact CBOR with one of g–l: none of them is all hex.
  if (text.length > 0 && HEX.test(text)) return parseChain(toBase64url(hexBytes(text.replace(/\s+/g, ''))), { limits, codecs: INSPECT_CODECS });
  return parseChain(text, { limits, codecs: INSPECT_CODECS });
}

function hexBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw chainMalformed('hex chain has an odd number of digits');
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** The bytes as text when every one is printable ASCII or white space, else undefined. */
function printableText(bytes: Uint8Array): string | undefined {
  let text = '';
  for (const byte of bytes) {
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte > 0x7e) return undefined;
    text += String.fromCharCode(byte);
  }
  return text;
}
