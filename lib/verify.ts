/**
 * The verifier API: compile a trust configuration once, verify many chains against it.
 */
import type { ChainInput } from './chain.js';
import type { VerificationContext, VerifierOptions } from './rules/context.js';
import type { VerifiedChain } from './rules/result.js';
import { verifyChainWithTrust } from './rules/verify-chain.js';
import { compileTrust, type CompiledTrust, type TrustConfig } from './trust/trust.js';

export interface ChainVerifier {
  readonly trust: CompiledTrust;
  /** Verify a chain for one token request. Resolves to the result or rejects with a TransitiveProofError. */
  verify(chain: ChainInput, context: VerificationContext): Promise<VerifiedChain>;
}

export async function createVerifier(trust: TrustConfig | CompiledTrust, options: VerifierOptions = {}): Promise<ChainVerifier> {
  const compiled = await compileTrust(trust, options.fetch === undefined ? {} : { fetch: options.fetch });
  return {
    trust: compiled,
    verify: (chain, context) => verifyChainWithTrust(chain, compiled, context, options),
  };
}

/** One-shot verification. Prefer createVerifier when verifying more than one chain. */
export async function verifyChain(
  chain: ChainInput,
  trust: TrustConfig | CompiledTrust,
  context: VerificationContext,
  options: VerifierOptions = {},
): Promise<VerifiedChain> {
  return verifyChainWithTrust(chain, await compileTrust(trust, options.fetch === undefined ? {} : { fetch: options.fetch }), context, options);
}
