/**
 * The verifier API: compile a trust configuration once, verify many chains against it.
 */
import type { ChainInput } from './chain.js';
import type { VerificationContext, VerifierOptions } from './rules/context.js';
import type { VerifiedChain } from './rules/result.js';
import { verifyChainWithTrust } from './rules/verify-chain.js';
import { compileTrust, type CompiledTrust, type TrustConfig } from './trust/trust.js';
import { createTrustServices, type TrustServiceParts, type TrustServices } from './trust/services.js';
import type { LinkCodec } from './ports.js';

export interface ChainVerifier {
  /** The trust configuration, compiled: policy only, shareable between verifiers. */
  readonly trust: CompiledTrust;
  /** What this verifier uses besides the policy: key and path caches, status lists, remote key sets. */
  readonly services: TrustServices;
  /** The codecs beyond JOSE it accepts (VerifierOptions.codecs). */
  readonly codecs: readonly LinkCodec[];
  /** Verify a chain for one token request. Resolves to the result or rejects with a TransitiveProofError. */
  verify(chain: ChainInput, context: VerificationContext): Promise<VerifiedChain>;
}

export async function createVerifier(trust: TrustConfig | CompiledTrust, options: VerifierOptions = {}): Promise<ChainVerifier> {
  const compiled = await compileTrust(trust, options.x509 === undefined ? {} : { x509: options.x509 });
  const services = createTrustServices(compiled, serviceParts(options));
  return {
    trust: compiled,
    services,
    codecs: options.codecs ?? [],
    verify: (chain, context) => verifyChainWithTrust(chain, compiled, services, context, options),
  };
}

/** One-shot verification. Prefer createVerifier when verifying more than one chain. */
export async function verifyChain(
  chain: ChainInput,
  trust: TrustConfig | CompiledTrust,
  context: VerificationContext,
  options: VerifierOptions = {},
): Promise<VerifiedChain> {
  const compiled = await compileTrust(trust, options.x509 === undefined ? {} : { x509: options.x509 });
  return verifyChainWithTrust(chain, compiled, createTrustServices(compiled, serviceParts(options)), context, options);
}

function serviceParts({ fetch, x509, status }: VerifierOptions): TrustServiceParts {
  return { ...(fetch === undefined ? {} : { fetch }), ...(x509 === undefined ? {} : { x509 }), ...(status === undefined ? {} : { status }) };
}
