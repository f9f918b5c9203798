/**
 * A minimal CBOR writer and COSE_Sign1 splitter for crafting CBOR attack vectors, independent of
 * the library's codec (so a fault is produced exactly as written, not normalised).
 */
import { createHmac, createPrivateKey, sign as cryptoSign } from 'node:crypto';
import type { PrivateJwk } from '../../lib/index.js';
import type { VectorBuilder } from './builder.js';

export function head(major: number, value: number): Uint8Array {
  const m = major << 5;
  if (value < 24) return Uint8Array.of(m | value);
  if (value < 0x100) return Uint8Array.of(m | 24, value);
  if (value < 0x10000) return Uint8Array.of(m | 25, value >> 8, value & 0xff);
  return Uint8Array.of(m | 26, (value >>> 24) & 0xff, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

export const int = (value: number): Uint8Array => (value >= 0 ? head(0, value) : head(1, -1 - value));
export const bstr = (bytes: Uint8Array): Uint8Array => concat(head(2, bytes.length), bytes);
export const tstr = (text: string): Uint8Array => {
  const bytes = Buffer.from(text, 'utf8');
  return concat(head(3, bytes.length), bytes);
};
export const array = (...items: Uint8Array[]): Uint8Array => concat(head(4, items.length), ...items);
/** A map from already-encoded keys and values, in the order given (duplicates allowed on purpose). */
export const map = (...entries: [Uint8Array, Uint8Array][]): Uint8Array => concat(head(5, entries.length), ...entries.flat());
export const tag = (number: number, item: Uint8Array): Uint8Array => concat(head(6, number), item);

/** The head of the item at `offset`: major type, argument and where the content starts. */
function readHead(bytes: Uint8Array, offset: number): { major: number; value: number; next: number } {
  const first = bytes[offset] as number;
  const info = first & 0x1f;
  if (info < 24) return { major: first >> 5, value: info, next: offset + 1 };
  const size = { 24: 1, 25: 2, 26: 4 }[info];
  if (size === undefined) throw new Error(`unsupported CBOR head 0x${first.toString(16)}`);
  let value = 0;
  for (let i = 1; i <= size; i++) value = value * 256 + (bytes[offset + i] as number);
  return { major: first >> 5, value, next: offset + 1 + size };
}

/** Split a deterministically encoded, tagged COSE_Sign1 with an empty unprotected map (what the library mints). */
export function splitSign1(link: Uint8Array): { protectedContent: Uint8Array; payload: Uint8Array; signature: Uint8Array } {
  let at = 0;
  const t = readHead(link, at);
  if (t.major !== 6 || t.value !== 18) throw new Error('not tag 18');
  const arr = readHead(link, t.next);
  if (arr.major !== 4 || arr.value !== 4) throw new Error('not a 4-array');
  at = arr.next;
  const take = (): Uint8Array => {
    const h = readHead(link, at);
    if (h.major !== 2) throw new Error('expected a bstr');
    const out = link.subarray(h.next, h.next + h.value);
    at = h.next + h.value;
    return out;
  };
  const protectedContent = take();
  if (link[at] !== 0xa0) throw new Error('expected an empty unprotected map');
  at += 1;
  const payload = take();
  const signature = take();
  return { protectedContent, payload, signature };
}

/** Sig_structure (RFC 9052 §4.4) over the protected bytes exactly as given. */
export function sigStructure(protectedContent: Uint8Array, payload: Uint8Array): Uint8Array {
  return array(tstr('Signature1'), bstr(protectedContent), bstr(new Uint8Array(0)), bstr(payload));
}

export function ed25519Sign(data: Uint8Array, privateJwk: PrivateJwk): Uint8Array {
  const key = createPrivateKey({ key: privateJwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
  return new Uint8Array(cryptoSign(null, data, key));
}

/** A COSE_Sign1 from raw parts; `wrap` decides the tag (default 18). */
export function sign1(protectedContent: Uint8Array, unprotected: Uint8Array, payload: Uint8Array, signature: Uint8Array, wrap: (item: Uint8Array) => Uint8Array = (item) => tag(18, item)): Uint8Array {
  return wrap(array(bstr(protectedContent), unprotected, bstr(payload), bstr(signature)));
}

export const COSE = { alg: 1, crit: 2, kid: 4, typ: 16, kcwt: 13 } as const;
export const EDDSA = -8;
export const HMAC_256_256 = 5;
export const CWT_TYP = 'tmb-link+cwt';

/** Rebuild a minted CBOR link (signed by d1-ed25519 unless `keepSignature` / `hmacKey`). */
export async function recraftCose(
  b: VectorBuilder,
  bytes: Uint8Array,
  options: { protectedContent?: Uint8Array; unprotected?: Uint8Array; payload?: (payload: Uint8Array) => Uint8Array; wrap?: (item: Uint8Array) => Uint8Array; keepSignature?: boolean; hmacKey?: Uint8Array },
  note: string,
): Promise<Uint8Array> {
  const parts = splitSign1(bytes);
  const protectedContent = options.protectedContent ?? parts.protectedContent;
  const payload = options.payload ? options.payload(parts.payload) : parts.payload;
  const toBeSigned = sigStructure(protectedContent, payload);
  const d1 = await b.key('d1-ed25519');
  const signature = options.keepSignature === true
    ? parts.signature
    : options.hmacKey !== undefined
      ? new Uint8Array(createHmac('sha256', options.hmacKey).update(toBeSigned).digest())
      : ed25519Sign(toBeSigned, d1.privateJwk);
  const link = sign1(protectedContent, options.unprotected ?? Uint8Array.of(0xa0), payload, signature, options.wrap);
  return b.note(link, options.keepSignature === true || options.hmacKey !== undefined ? { note } : { signer: 'd1-ed25519', note });
}
