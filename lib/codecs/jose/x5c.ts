/**
 * The JWS `x5c` header parameter (RFC 7515 §4.1.6) as the JOSE codec reads it: counted before any
 * entry is examined (SPEC-NOTES §7.2 rule 1), then each entry the one canonical spelling of standard
 * base64 (padded, zero unused bits) of a non-empty byte string. Which bytes are a certificate is
 * lib/x509's rule, not the codec's.
 *
 * The same certificates arrive in every link their holder signs, so the decoding of an entry's text is
 * remembered (a pure function of the text: the memo answers exactly what decoding would). Bounded in
 * entries and in the length of a text it keeps; every caller gets its own copy of the bytes, so
 * nothing a caller does to them reaches the memo or another caller.
 */
import { X509Error } from '../../errors.js';
import type { Limits } from '../../model/limits.js';
import { fromBase64 } from '../../runtime/base64.js';

/** Entries the memo keeps; the oldest is dropped beyond it. */
export const X5C_MEMO_ENTRIES = 256;
/** Longest entry text the memo keeps (a 12 KiB certificate); longer texts are decoded every time. */
export const X5C_MEMO_MAX_TEXT = 16_384;

/** Decoded `x5c` entries by their text: what `fromBase64` answers for it, within its bounds. */
export class X5cMemo {
  readonly #entries = new Map<string, Uint8Array>();

  constructor(
    readonly maxEntries: number = X5C_MEMO_ENTRIES,
    readonly maxText: number = X5C_MEMO_MAX_TEXT,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  holds(text: string): boolean {
    return this.#entries.has(text);
  }

  /** The DER bytes of one `x5c` entry's text (the caller's own copy), or undefined where the text is not canonical base64 of at least one byte. */
  decode(text: string): Uint8Array | undefined {
    const read = this.decodeAll([text]);
    return typeof read === 'number' ? undefined : read[0];
  }

  /**
   * The DER bytes of each entry, in one fresh buffer the caller owns (one allocation for the whole
   * set, each entry a view of its own range, starting at a multiple of four: lib/x509 compares
   * aligned bytes four at a time), or the index of the first entry that is not a text of canonical
   * base64 of at least one byte.
   */
  decodeAll(texts: readonly unknown[]): Uint8Array[] | number {
    const read: Uint8Array[] = [];
    let total = 0;
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i];
      const der = typeof text === 'string' ? this.#read(text) : undefined;
      if (der === undefined) return i;
      read.push(der);
      total += aligned(der.length);
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < read.length; i++) {
      const der = read[i] as Uint8Array;
      out.set(der, at);
      read[i] = out.subarray(at, at + der.length);
      at += aligned(der.length);
    }
    return read;
  }

  /** The bytes the memo keeps for `text` (never handed out), decoding and keeping them if new. */
  #read(text: string): Uint8Array | undefined {
    const known = this.#entries.get(text);
    if (known !== undefined) return known;
    const der = fromBase64(text);
    if (der === undefined || der.length === 0) return undefined;
    if (text.length <= this.maxText) {
      if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
      this.#entries.set(text, der);
    }
    return der;
  }
}

/** `length` rounded up to a multiple of four. */
function aligned(length: number): number {
  return (length + 3) & ~3;
}

const memo = new X5cMemo();

/** `x5c` of a JWS header: undefined when absent, else the DER of each entry (`x5c_malformed`, `x5c_too_many`). */
export function readX5c(value: unknown, index: number, limits: Limits, label: string): Uint8Array[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    throw new X509Error('x5c_malformed', `${label}: x5c is not a non-empty array`, { linkIndex: index });
  }
  if (value.length > limits.maxCertificates) {
    throw new X509Error('x5c_too_many', `${label}: x5c has ${value.length} certificates, more than ${limits.maxCertificates}`, { linkIndex: index });
  }
  const ders = memo.decodeAll(value);
  if (typeof ders === 'number') throw new X509Error('x5c_malformed', `${label}: x5c entry is not standard base64`, { linkIndex: index });
  return ders;
}
