/**
 * Chains as values: parse the compact text form or the JSON form, serialize, and decode links for
 * display without verifying anything (SPEC-NOTES.md §4).
 */
import { chainMalformed } from './errors.js';
import { codecFor, detectFormat, type CodecOptions } from './codecs/registry.js';
import type { DecodedLink, LinkCodec } from './ports.js';
import { DEFAULT_LIMITS, chainTooLarge, tooManyLinks, type Limits } from './model/limits.js';
import { parseStrictJson } from './model/strict-json.js';
import type { Chain } from './model/types.js';

/** Any accepted chain input: compact text, the JSON form (array of link texts), or a Chain value. */
export type ChainInput = string | readonly string[] | Chain;

/** Bounds and codecs for reading a chain; a CBOR chain needs `codecs: [coseCodec]` (transitive-proof/cose). */
export interface ChainOptions extends CodecOptions {
  /** Default: DEFAULT_LIMITS. */
  limits?: Limits | undefined;
}

/**
 * Steps 1–2: bound the input, then split it into links. The text is taken exactly as received: no
 * trimming (surrounding white space, a BOM or a line break is part of the chain, and fails it),
 * and sizes are UTF-8 bytes (SPEC-NOTES.md §6.2 steps 1–2).
 */
export function parseChain(input: ChainInput, options: ChainOptions = {}): Chain {
  const limits = options.limits ?? DEFAULT_LIMITS;
  if (typeof input === 'string') {
    if (utf8Exceeds(input, limits.maxChainBytes)) {
      throw chainTooLarge(limits);
    }
    if (input.length === 0) throw chainMalformed('chain is empty');
    if (input.startsWith('[')) return parseJsonChain(input, limits, options);
    return wireCodec(detectFormat(input), options).parseChain(input, limits);
  }
  if (Array.isArray(input)) return chainFromArray(input as readonly unknown[], limits, options);
  const chain = input as Chain;
  const size = chain.links.reduce((total, link) => total + link.length, 0);
  if (size > limits.maxChainBytes) throw chainTooLarge(limits, size);
  if (chain.links.length > limits.maxLinks) throw tooManyLinks(limits);
  if (chain.links.length === 0) throw chainMalformed('chain has no links');
  wireCodec(chain.format, options);
  return chain;
}

/** Step 2: an encoding whose codec the caller did not pass is not accepted (SPEC-NOTES.md §4.5). */
function wireCodec(format: Chain['format'], options: CodecOptions): LinkCodec {
  return codecFor(format, options.codecs, 'chain_malformed');
}

/**
 * Whether the UTF-8 encoding of `text` is longer than `bound`. A UTF-16 code unit takes at most 3
 * bytes (a surrogate pair 4 for its 2 units, a lone surrogate 3 as U+FFFD), so a text of at most a
 * third of the bound in code units is within it without being encoded: every well-sized chain.
 */
function utf8Exceeds(text: string, bound: number): boolean {
  return text.length > Math.floor(bound / 3) && utf8Length(text, bound) > bound;
}

/**
 * The UTF-8 length of `text`, or a number above `bound` as soon as it exceeds it (a UTF-16 code
 * unit is at least one byte, so an overlong text is refused without being walked). Counted by
 * native UTF-8 encoding into a small reused buffer, a slice at a time: a character-by-character
 * loop cost 15-20 signature checks for a text at the 1 MiB ceiling. The encoder spells a lone
 * surrogate as U+FFFD, 3 bytes, as a UTF-8 encoder of the text must.
 */
function utf8Length(text: string, bound: number): number {
  if (text.length > bound) return text.length;
  let extra = 0; // bytes beyond one per code unit
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + UTF8_SLICE_UNITS);
    // Never split a surrogate pair: each half alone would count as a 3-byte U+FFFD.
    if (end < text.length && (text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end++;
    const { written } = utf8Encoder.encodeInto(end - start === text.length ? text : text.slice(start, end), utf8Scratch);
    extra += written - (end - start);
    if (text.length + extra > bound) return text.length + extra;
    start = end;
  }
  return text.length + extra;
}

const utf8Encoder = new TextEncoder();
/** Code units encoded per call: at most 3 bytes each (4 for a pair, 2 units), so they always fit. */
const UTF8_SLICE_UNITS = 16_384;
const utf8Scratch = new Uint8Array(3 * UTF8_SLICE_UNITS + 3);

function parseJsonChain(text: string, limits: Limits, options: CodecOptions): Chain {
  // Taken exactly as received (step 1): a JSON text may end in white space (RFC 8259), a chain may not.
  if (!text.endsWith(']')) throw chainMalformed('the JSON form ends at its closing bracket: nothing (no white space, no line break) after it');
  let json: unknown;
  try {
    // Strict like a link (no lone surrogates; the JSON form has no members to duplicate).
    json = parseStrictJson(text, { maxDepth: 1 });
  } catch (cause) {
    throw chainMalformed('chain is neither compact nor a JSON array of strings', cause);
  }
  if (!Array.isArray(json)) throw chainMalformed('JSON chain is not an array');
  return chainFromArray(json, limits, options);
}

/** The JSON form: size (step 1), then the count (step 2) before any element is examined. */
function chainFromArray(json: readonly unknown[], limits: Limits, options: CodecOptions): Chain {
  let size = 0;
  for (const entry of json) {
    if (typeof entry === 'string') size += utf8Length(entry, limits.maxChainBytes);
    if (size > limits.maxChainBytes) throw chainTooLarge(limits);
  }
  if (json.length > limits.maxLinks) throw tooManyLinks(limits);
  const first = json[0];
  if (typeof first !== 'string') throw chainMalformed('JSON chain is not a non-empty array of strings');
  return wireCodec(detectFormat(first), options).chainFromJson(json, limits);
}

/** The compact text form: `~`-joined JWS for JWT chains, base64url CBOR for CWT chains. */
export function serializeChain(chain: Chain, options: CodecOptions = {}): string {
  return codecFor(chain.format, options.codecs).serializeChain(chain);
}

/** The JSON form: an array of each link's text form. */
export function chainToJson(chain: Chain, options: CodecOptions = {}): string[] {
  return codecFor(chain.format, options.codecs).chainToJson(chain);
}

/** Step 3: decode every link's header and claims. Nothing is verified. */
export function decodeChain(chain: Chain, options: ChainOptions = {}): DecodedLink[] {
  const codec = codecFor(chain.format, options.codecs);
  const limits = options.limits ?? DEFAULT_LIMITS;
  return chain.links.map((bytes, index) => codec.decodeLink(bytes, index, limits));
}
