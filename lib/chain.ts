/**
 * Chains as values: parse the compact text form or the JSON form, serialize, and decode links for
 * display without verifying anything (SPEC-NOTES.md §4).
 */
import { TransitiveProofError } from './errors.js';
import { codecFor, detectFormat } from './codecs/registry.js';
import type { DecodedLink } from './codecs/codec.js';
import { DEFAULT_LIMITS, type Limits } from './model/limits.js';
import type { Chain } from './model/types.js';

/** Any accepted chain input: compact text, the JSON form (array of link texts), or a Chain value. */
export type ChainInput = string | readonly string[] | Chain;

/** Steps 1–2: bound the input, then split it into links. */
export function parseChain(input: ChainInput, limits: Limits = DEFAULT_LIMITS): Chain {
  if (typeof input === 'string') {
    const text = input.trim();
    if (text.length > limits.maxChainBytes) {
      throw new TransitiveProofError('chain_too_large', `chain is ${text.length} bytes, more than ${limits.maxChainBytes}`);
    }
    if (text.length === 0) throw new TransitiveProofError('chain_malformed', 'chain is empty');
    if (text.startsWith('[')) return parseJsonChain(text, limits);
    return codecFor(detectFormat(text)).parseChain(text, limits);
  }
  if (Array.isArray(input)) return chainFromArray(input as readonly unknown[], limits);
  const chain = input as Chain;
  if (chain.links.length === 0) throw new TransitiveProofError('chain_malformed', 'chain has no links');
  if (chain.links.length > limits.maxLinks) throw new TransitiveProofError('chain_too_long', `chain has more than ${limits.maxLinks} links`);
  const size = chain.links.reduce((total, link) => total + link.length, 0);
  if (size > limits.maxChainBytes) throw new TransitiveProofError('chain_too_large', `chain is ${size} bytes, more than ${limits.maxChainBytes}`);
  return chain;
}

function parseJsonChain(text: string, limits: Limits): Chain {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new TransitiveProofError('chain_malformed', 'chain is neither compact nor valid JSON', { cause });
  }
  if (!Array.isArray(json)) throw new TransitiveProofError('chain_malformed', 'JSON chain is not an array');
  return chainFromArray(json, limits);
}

function chainFromArray(json: readonly unknown[], limits: Limits): Chain {
  if (json.length > limits.maxLinks) throw new TransitiveProofError('chain_too_long', `chain has more than ${limits.maxLinks} links`);
  const first = json[0];
  if (typeof first !== 'string') throw new TransitiveProofError('chain_malformed', 'JSON chain is not a non-empty array of strings');
  const size = json.reduce<number>((total, entry) => total + (typeof entry === 'string' ? entry.length : 0), 0);
  if (size > limits.maxChainBytes) throw new TransitiveProofError('chain_too_large', `chain is ${size} bytes, more than ${limits.maxChainBytes}`);
  return codecFor(detectFormat(first)).chainFromJson(json, limits);
}

/** The compact text form: `~`-joined JWS for JWT chains, base64url CBOR for CWT chains. */
export function serializeChain(chain: Chain): string {
  return codecFor(chain.format).serializeChain(chain);
}

/** The JSON form: an array of each link's text form. */
export function chainToJson(chain: Chain): string[] {
  return codecFor(chain.format).chainToJson(chain);
}

/** Step 3: decode every link's header and claims. Nothing is verified. */
export function decodeChain(chain: Chain, limits: Limits = DEFAULT_LIMITS): DecodedLink[] {
  const codec = codecFor(chain.format);
  return chain.links.map((bytes, index) => codec.decodeLink(bytes, index, limits));
}
