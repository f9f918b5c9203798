/**
 * The status list itself (draft-ietf-oauth-status-list §4): a byte array of `bits`-wide entries,
 * entry i in the bits of byte floor(i·bits/8) starting at the least significant one, carried
 * compressed with DEFLATE in the ZLIB format (RFC 1950). Web APIs only (Compression Streams), so the
 * same code runs in Node and in browsers.
 */
import { TransitiveProofError, invalidArgument } from '../errors.js';
import { boundOption } from '../model/limits.js';
import { readStreamBounded } from './uri.js';

import type { StatusBits } from '../ports.js';
export const STATUS_BITS: readonly StatusBits[] = [1, 2, 4, 8];

/** Status values the draft registers; every other value is application-specific. */
export const STATUS_VALID = 0;
export const STATUS_INVALID = 1;
export const STATUS_SUSPENDED = 2;

/** Largest inflated list accepted by default: 1 MiB, i.e. 8 388 608 one-bit entries. */
export const DEFAULT_MAX_LIST_BYTES = 1_048_576;

export function isStatusBits(value: unknown): value is StatusBits {
  return STATUS_BITS.includes(value as StatusBits);
}

/** Entry `idx`, or undefined when the list has no such entry. */
export function readStatus(list: Uint8Array, bits: StatusBits, idx: number): number | undefined {
  if (!Number.isSafeInteger(idx) || idx < 0) return undefined;
  const perByte = 8 / bits;
  const byte = list[Math.floor(idx / perByte)];
  if (byte === undefined) return undefined;
  const shift = (idx % perByte) * bits;
  return (byte >> shift) & ((1 << bits) - 1);
}

/** Set entry `idx` in place. */
export function writeStatus(list: Uint8Array, bits: StatusBits, idx: number, value: number): void {
  const perByte = 8 / bits;
  const at = Math.floor(idx / perByte);
  if (!Number.isSafeInteger(idx) || idx < 0 || at >= list.length) {
    throw invalidArgument(`index ${idx} is outside a list of ${list.length * perByte} entries`);
  }
  const mask = (1 << bits) - 1;
  if (!Number.isInteger(value) || value < 0 || value > mask) {
    throw invalidArgument(`status ${value} does not fit in ${bits} bits`);
  }
  const shift = (idx % perByte) * bits;
  list[at] = ((list[at] as number) & ~(mask << shift)) | (value << shift);
}

/** An all-VALID list with room for `size` entries. */
export function emptyStatusList(size: number, bits: StatusBits): Uint8Array {
  if (!Number.isSafeInteger(size) || size < 1) throw invalidArgument('a status list has at least one entry');
  return new Uint8Array(Math.ceil((size * bits) / 8));
}

/** DEFLATE in the ZLIB format: CompressionStream's "deflate" is RFC 1950, as the draft requires. */
export async function deflateStatusList(list: Uint8Array): Promise<Uint8Array> {
  return readAll(streamOf(list).pipeThrough(new CompressionStream('deflate')), Number.POSITIVE_INFINITY);
}

/**
 * Inflate a ZLIB stream, stopping as soon as the output passes `maxBytes`, so that a small
 * compressed list cannot expand into unbounded memory. Any fault is `status_list_invalid`.
 */
export async function inflateStatusList(compressed: Uint8Array, maxBytes: number = DEFAULT_MAX_LIST_BYTES): Promise<Uint8Array> {
  boundOption('maxListBytes', maxBytes, DEFAULT_MAX_LIST_BYTES);
  let list: Uint8Array;
  try {
    list = await readAll(streamOf(compressed).pipeThrough(new DecompressionStream('deflate')), maxBytes);
  } catch (cause) {
    if (cause instanceof TransitiveProofError) throw cause;
    throw new TransitiveProofError('status_list_invalid', 'the status list is not ZLIB-compressed data', { cause });
  }
  if (list.length === 0) throw new TransitiveProofError('status_list_invalid', 'the status list is empty');
  // Nothing after the ZLIB stream (SPEC-NOTES §5.1 step 4): decompressors differ (Node's ignores
  // trailing bytes, a browser's refuses them). The stream ends with its 4-octet Adler-32, so without
  // its last byte a single complete stream is truncated and fails; if that shorter input still
  // inflates, a complete stream ended earlier and bytes follow it.
  if (await inflates(compressed.subarray(0, compressed.length - 1), maxBytes)) {
    throw new TransitiveProofError('status_list_invalid', 'the status list has bytes after its ZLIB stream');
  }
  return list;
}

async function inflates(compressed: Uint8Array, maxBytes: number): Promise<boolean> {
  try {
    await readAll(streamOf(compressed).pipeThrough(new DecompressionStream('deflate')), maxBytes);
    return true;
  } catch {
    return false;
  }
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

function readAll(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  return readStreamBounded(stream, maxBytes, () => {
    throw new TransitiveProofError('status_list_invalid', `the status list inflates to more than ${maxBytes} bytes`);
  });
}
