/**
 * Signers identified by an X.509 chain carried in the link (`x5c` / `x5chain`), validated to a
 * configured anchor (SPEC-NOTES.md §7). The path validation itself lives in lib/x509/.
 */
import { LinkError } from '../errors.js';
import type { DecodedLink } from '../codecs/codec.js';
import type { CompiledTrust } from '../trust/trust.js';
import type { LinkClaims } from '../model/types.js';
import type { SignerCandidate } from './signer.js';

export interface X509SignerContext {
  now: number;
  toleranceSeconds: number;
}

export async function resolveX509Signer(
  link: DecodedLink,
  _claims: LinkClaims,
  trust: CompiledTrust,
  _context: X509SignerContext,
  _pinnedLeafThumbprint: string | undefined,
): Promise<SignerCandidate> {
  if (!trust.roots.some((root) => root.type === 'x509')) {
    throw new LinkError('header_forbidden', link.index, `link ${link.index} carries x5c but no X.509 anchor is configured`);
  }
  throw new LinkError('untrusted_root', link.index, 'X.509 signers are not available yet');
}
