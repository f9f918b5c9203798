/**
 * The signing inputs of CWT links (COSE_Sign1), for the raw baselines: each link's Sig_structure
 * and signature, computed once, outside the timed loop.
 */
import { decodeSign1, sigStructure } from '../lib/codecs/cose/sign1.js';
import { DEFAULT_LIMITS } from '../lib/model/limits.js';
import type { Chain } from '../lib/model/types.js';
import type { RawSignature } from './baseline.js';

export function cwtSignatureInputs(chain: Chain): RawSignature[] {
  return chain.links.map((bytes) => {
    const message = decodeSign1(bytes, 'link', DEFAULT_LIMITS);
    return { data: sigStructure(message), signature: message.signature };
  });
}
