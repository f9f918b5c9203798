/**
 * The verifier API: compile a trust configuration once, verify many chains against it.
 */
import type { ChainInput } from './chain.js';
import type { VerificationContext, VerifierOptions } from './rules/context.js';
import type { VerifiedChain } from './rules/result.js';
import { verifyChainWithTrust } from './rules/verify-chain.js';
import { compileTrust, type CompiledTrust, type TrustCompileOptions, type TrustConfig } from './trust/trust.js';
import type { LinkCodec } from './ports.js';

export interface ChainVerifier {
  readonly trust: CompiledTrust;
  /** The codecs beyond JOSE it accepts (VerifierOptions.codecs). */
  readonly codecs: readonly LinkCodec[];
  /** Verify a chain for one token request. Resolves to the result or rejects with a TransitiveProofError. */
  verify(chain: ChainInput, context: VerificationContext): Promise<VerifiedChain>;
}

export async function createVerifier(trust: TrustConfig | CompiledTrust, options: VerifierOptions = {}): Promise<ChainVerifier> {
  const compiled = await compileTrust(trust, compileOptions(options));
  return {
    trust: compiled,
    codecs: options.codecs ?? [],
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
  return verifyChainWithTrust(chain, await compileTrust(trust, compileOptions(options)), context, options);
}

function compileOptions({ fetch, x509, status }: VerifierOptions): TrustCompileOptions {
  return { ...(fetch === undefined ? {} : { fetch }), ...(x509 === undefined ? {} : { x509 }), ...(status === undefined ? {} : { status }) };
}
