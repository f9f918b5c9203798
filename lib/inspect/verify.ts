/**
 * Verification for a shell that shows the outcome (the web inspector): the verified result, or the
 * failure as data (code, message, failing link, SPEC-NOTES step) instead of a thrown error. Anything
 * that is not a TransitiveProofError is a bug and still throws.
 */
import { INSPECT_PARTS } from './parts.js';
import type { ChainInput } from '../chain.js';
import { isTransitiveProofError, type TransitiveProofErrorJSON } from '../errors.js';
import type { VerificationContext, VerifierOptions } from '../rules/context.js';
import type { VerifiedChain } from '../rules/result.js';
import type { CompiledTrust, TrustConfig } from '../trust/trust.js';
import { verifyChain } from '../verify.js';

export type VerificationOutcome =
  | { valid: true; result: VerifiedChain }
  | { valid: false; error: TransitiveProofErrorJSON };

export async function verifyOutcome(
  chain: ChainInput,
  trust: TrustConfig | CompiledTrust,
  context: VerificationContext,
  options: VerifierOptions = {},
): Promise<VerificationOutcome> {
  try {
    return { valid: true, result: await verifyChain(chain, trust, context, { ...INSPECT_PARTS, ...options }) };
  } catch (error) {
    if (isTransitiveProofError(error)) return { valid: false, error: error.toJSON() };
    throw error;
  }
}
