/** Strict base64url without padding (RFC 4648 §5): one spelling per byte string, or undefined. */

const ALPHABET = /^[A-Za-z0-9_-]*$/;

export function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Value of a base64url character (the caller has checked the alphabet). */
function sextet(code: number): number {
  if (code >= 0x61) return code - 0x61 + 26; // a-z
  if (code >= 0x41) return code === 0x5f ? 63 : code - 0x41; // A-Z, _
  if (code >= 0x30) return code - 0x30 + 52; // 0-9
  return 62; // -
}

/**
 * Decode only the canonical spelling: no padding, no stray characters, zero unused trailing bits.
 * Canonical is decided from the length and the last character (the bits a 2- or 3-character tail
 * leaves over must be zero), without re-encoding.
 */
export function fromBase64url(text: string): Uint8Array | undefined {
  const tail = text.length % 4;
  if (!ALPHABET.test(text) || tail === 1) return undefined;
  if (tail !== 0 && (sextet(text.charCodeAt(text.length - 1)) & (tail === 2 ? 0x0f : 0x03)) !== 0) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64url'));
}
