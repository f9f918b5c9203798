/**
 * The verifier API: compile a trust configuration once, verify many chains against it.
 */
import type { ChainInput } from './chain.js';
import type { VerificationContext, VerifierOptions } from './rules/context.js';
import type { VerifiedChain } from './rules/result.js';
import { verifyChainWithTrust } from './rules/verify-chain.js';
import { compileTrust, type CompiledTrust, type TrustConfig } from './trust/trust.js';
import { createTrustServices, type TrustServices } from './trust/services.js';
import type { LinkCodec } from './ports.js';

export interface ChainVerifier {
  /** The trust configuration, compiled: policy only, shareable between verifiers. */
  readonly trust: CompiledTrust;
  /** What this verifier uses besides the policy: key and path caches, status lists, remote key sets. */
  readonly services: TrustServices;
  /** The codecs beyond JOSE it accepts (VerifierOptions.codecs). */
  readonly codecs: readonly LinkCodec[];
  /**
   * Verify a chain for one token request. Resolves to the result or rejects with a TransitiveProofError.
   *
   * Not a replay check: the verifier remembers nothing, so the same chain verifies again for as
   * long as it is valid. Replay protection is the authorization server's: redeem chains with
   * `processDeferredBindingRequest` (from `transitive-proof/as`), which verifies and then consumes the
   * chain in a replay store (`MemoryReplayStore`, or `connectRedisReplayStore` from
   * `transitive-proof/redis`), so that a second redemption fails with `replayed` (SPEC-NOTES.md §8.5).
   */
  verify(chain: ChainInput, context: VerificationContext): Promise<VerifiedChain>;
}

/**
 * Compile `trust` once and return a verifier for many chains (SPEC-NOTES.md §6.2).
 *
 * A verifier checks chains; it does not guard against their replay. An authorization server
 * redeems chains with `processDeferredBindingRequest` (from `transitive-proof/as`) and a replay
 * store (`MemoryReplayStore`, or `connectRedisReplayStore` from `transitive-proof/redis`): that is
 * where a chain is consumed, so that it grants one token (SPEC-NOTES.md §8.5).
 */
export async function createVerifier(trust: TrustConfig | CompiledTrust, options: VerifierOptions = {}): Promise<ChainVerifier> {
  // The options carry the parts by the names compileTrust and createTrustServices read them by.
  const compiled = await compileTrust(trust, options);
  const services = createTrustServices(compiled, options);
  return {
    trust: compiled,
    services,
    codecs: options.codecs ?? [],
    verify: (chain, context) => verifyChainWithTrust(chain, compiled, services, context, options),
  };
}

/**
 * One-shot verification. Prefer createVerifier when verifying more than one chain. Like
 * `ChainVerifier.verify`, no replay check: see `processDeferredBindingRequest`.
 */
export async function verifyChain(
  chain: ChainInput,
  trust: TrustConfig | CompiledTrust,
  context: VerificationContext,
  options: VerifierOptions = {},
): Promise<VerifiedChain> {
  const compiled = await compileTrust(trust, options);
  return verifyChainWithTrust(chain, compiled, createTrustServices(compiled, options), context, options);
}
