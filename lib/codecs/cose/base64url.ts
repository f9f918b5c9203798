/** Strict base64url without padding (RFC 4648 §5): one spelling per byte string, or undefined. */

const ALPHABET = /^[A-Za-z0-9_-]*$/;

export function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Decode only the canonical spelling: no padding, no stray characters, zero unused trailing bits. */
export function fromBase64url(text: string): Uint8Array | undefined {
  if (!ALPHABET.test(text) || text.length % 4 === 1) return undefined;
  const bytes = new Uint8Array(Buffer.from(text, 'base64url'));
  return toBase64url(bytes) === text ? bytes : undefined;
}
