/**
 * Strict base64 and base64url (RFC 4648 §4, §5) over Uint8Array, the same on every backend: one
 * spelling per byte string. Decoding refuses anything but the canonical spelling (base64url: no
 * padding, length not 1 mod 4; base64: padded to a multiple of 4; both: zero unused trailing
 * bits), so a value that is hashed or signed has exactly one text form.
 */
import { decodeCanonicalBase64, encodeBase64 } from '#runtime';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Value of a base64 or base64url character (the caller has checked the alphabet). */
function sextet(code: number): number {
  if (code >= 0x61) return code - 0x61 + 26; // a-z
  if (code >= 0x41) return code === 0x5f ? 63 : code - 0x41; // A-Z, _
  if (code >= 0x30) return code - 0x30 + 52; // 0-9
  return code === 0x2f ? 63 : 62; // '/', or '-' and '+'
}

/** Whether the unused low bits of the last data character (after 2 or 3 in a final group) are zero. */
function zeroTrailingBits(text: string, dataLength: number): boolean {
  const tail = dataLength % 4;
  if (tail === 0) return true;
  return (sextet(text.charCodeAt(dataLength - 1)) & (tail === 2 ? 0x0f : 0x03)) === 0;
}

/**
 * Whether `text` is canonical unpadded base64url. Only the length and the last character are
 * looked at when `alphabetChecked` (a caller's pattern already held it to the alphabet).
 */
export function isCanonicalBase64url(text: string, alphabetChecked = false): boolean {
  if (text.length % 4 === 1 || (!alphabetChecked && !BASE64URL.test(text))) return false;
  return zeroTrailingBits(text, text.length);
}

export function toBase64url(bytes: Uint8Array): string {
  return encodeBase64(bytes, true);
}

/**
 * Text from this length on is held to the canonical form by a round trip instead of the pattern:
 * decoding and encoding are one native pass each, where the pattern reads one character at a time.
 * On Node, paired: level at 650 characters (a one-link CWT chain, 1.01 [0.90–1.09]), 0.96 at 1,000,
 * 0.81 at 2,000, 0.30 at 5,475 (an 8-link chain, where the decoding is not copied either); a short
 * text (a JWK member, an RSA modulus) costs less to test than to encode.
 */
const ROUND_TRIP_MIN_LENGTH = 1024;

/** The bytes of canonical unpadded base64url, or undefined for any other text. */
export function fromBase64url(text: string): Uint8Array | undefined {
  if (text.length < ROUND_TRIP_MIN_LENGTH) return isCanonicalBase64url(text) ? decodeCanonicalBase64(text, true) : undefined;
  // Canonical text is exactly the text its own decoding encodes back to: the encoders write nothing
  // but canonical text, and decode canonical text exactly (the seam's contract); any other text
  // decodes to some bytes, or throws, and does not come back.
  let bytes: Uint8Array;
  try {
    bytes = decodeCanonicalBase64(text, true);
  } catch {
    return undefined;
  }
  return encodeBase64(bytes, true) === text ? bytes : undefined;
}

export function toBase64(bytes: Uint8Array): string {
  return encodeBase64(bytes, false);
}

/** The bytes of canonical padded base64, or undefined for any other text. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const dataLength = text.length - padding;
  return zeroTrailingBits(text, dataLength) ? decodeCanonicalBase64(text, false) : undefined;
}
