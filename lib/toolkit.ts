/**
 * The toolkit: the optional parts (codecs, X.509 support, status support, remote key sets, a
 * revocation store, a fetch, a clock) named once per application, at its edge, and every chain function bound to them
 * (README "Architecture"). Nothing here decides anything: each member calls the function of the
 * same name with the parts filled in, so the free functions and the toolkit cannot disagree.
 *
 *   const tp = createToolkit({ codecs: [coseCodec], x509: x509Support, status: statusSupport, remoteKeys: remoteKeySupport });
 *   const chain = await tp.startChain(input, signer, { format: 'cwt' });
 *   const verifier = await tp.createVerifier(trust);
 *
 * An AS passes that verifier to processDeferredBindingRequest (transitive-proof/as), which then
 * needs no part of its own.
 */
import { chainToJson, decodeChain, parseChain, serializeChain, type ChainInput } from './chain.js';
import { buildDeferredBindingRequest, type DeferredBindingRequest, type DeferredBindingRequestInput } from './client/request.js';
import { invalidArgument } from './errors.js';
import type { Limits } from './model/limits.js';
import type { Chain } from './model/types.js';
import { appendLink, delegate, startChain, type DelegationInput, type LinkInput, type LinkSigner, type MintOptions } from './mint.js';
import type { DecodedLink, FetchLike, LinkCodec, RemoteKeySupport, RevocationStore, StatusSupport, X509Support } from './ports.js';
import type { VerifierOptions } from './rules/context.js';
import { compileTrust, type CompiledTrust, type TrustConfig } from './trust/trust.js';
import { createVerifier, type ChainVerifier } from './verify.js';

/** The parts an application uses, given once. Every member is optional; none is enabled by importing it. */
export interface ToolkitParts {
  /** Codecs beyond JOSE: `[coseCodec]` (transitive-proof/cose) for CBOR/COSE chains. */
  readonly codecs?: readonly LinkCodec[];
  /** `x509Support` (transitive-proof/x509), for x509 roots and `delegateCertificates`. */
  readonly x509?: X509Support;
  /** `statusSupport` (transitive-proof/status), for a trust configuration with `status`. */
  readonly status?: StatusSupport;
  /** `remoteKeySupport` (transitive-proof/status), for issuer roots given by `jwksUri`. */
  readonly remoteKeys?: RemoteKeySupport;
  /** Links revoked by hash (step 17a), for every verifier the toolkit creates. */
  readonly revocationStore?: RevocationStore;
  /** The fetch for status lists and remote key sets. Default: the global `fetch`. */
  readonly fetch?: FetchLike;
  /** Injected clock for verifiers and minting. Default: now. */
  readonly clock?: () => Date;
}

/** What a verifier created by a toolkit may still set per verifier: everything but the parts. */
export type ToolkitVerifierOptions = Omit<VerifierOptions, keyof ToolkitParts>;
/** Mint options without the parts. */
export type ToolkitMintOptions = Omit<MintOptions, 'codecs'>;

export interface Toolkit {
  readonly parts: Readonly<ToolkitParts>;
  parseChain(input: ChainInput, options?: { limits?: Limits }): Chain;
  decodeChain(chain: Chain, options?: { limits?: Limits }): DecodedLink[];
  serializeChain(chain: Chain): string;
  chainToJson(chain: Chain): string[];
  startChain(input: LinkInput, signer: LinkSigner, options?: ToolkitMintOptions): Promise<Chain>;
  appendLink(chain: Chain, input: LinkInput, signer: LinkSigner, options?: Omit<ToolkitMintOptions, 'format'>): Promise<Chain>;
  delegate(chain: Chain, input: DelegationInput, signer: LinkSigner, options?: Omit<ToolkitMintOptions, 'format'>): Promise<Chain>;
  compileTrust(config: TrustConfig | CompiledTrust): Promise<CompiledTrust>;
  createVerifier(trust: TrustConfig | CompiledTrust, options?: ToolkitVerifierOptions): Promise<ChainVerifier>;
  buildDeferredBindingRequest(input: Omit<DeferredBindingRequestInput, 'codecs'>): DeferredBindingRequest;
}

const PART_NAMES: ReadonlySet<string> = new Set(['codecs', 'x509', 'status', 'remoteKeys', 'revocationStore', 'fetch', 'clock']);

/** Assemble the parts once; `invalid_argument` for a member that is not a part. */
export function createToolkit(parts: ToolkitParts = {}): Toolkit {
  if (parts === null || typeof parts !== 'object') throw invalidArgument('createToolkit takes an object of parts');
  for (const name of Object.keys(parts)) {
    if (!PART_NAMES.has(name)) throw invalidArgument(`createToolkit: unknown part "${name}" (known: ${[...PART_NAMES].join(', ')})`);
  }
  if (parts.codecs !== undefined && !Array.isArray(parts.codecs)) throw invalidArgument('createToolkit: codecs must be an array');
  const frozen: Readonly<ToolkitParts> = Object.freeze({ ...parts, ...(parts.codecs === undefined ? {} : { codecs: Object.freeze([...parts.codecs]) }) });
  const codecs = frozen.codecs === undefined ? {} : { codecs: frozen.codecs };
  // The toolkit's clock unless the call names its own instant (an undefined \`now\` names none).
  const now = (given: Date | undefined): { now?: Date } => (given !== undefined ? { now: given } : frozen.clock === undefined ? {} : { now: frozen.clock() });
  const verifierParts: VerifierOptions = {
    ...codecs,
    ...(frozen.x509 === undefined ? {} : { x509: frozen.x509 }),
    ...(frozen.status === undefined ? {} : { status: frozen.status }),
    ...(frozen.remoteKeys === undefined ? {} : { remoteKeys: frozen.remoteKeys }),
    ...(frozen.revocationStore === undefined ? {} : { revocationStore: frozen.revocationStore }),
    ...(frozen.fetch === undefined ? {} : { fetch: frozen.fetch }),
    ...(frozen.clock === undefined ? {} : { clock: frozen.clock }),
  };
  const toolkit: Toolkit = {
    parts: frozen,
    parseChain: (input, options = {}) => parseChain(input, { ...options, ...codecs }),
    decodeChain: (chain, options = {}) => decodeChain(chain, { ...options, ...codecs }),
    serializeChain: (chain) => serializeChain(chain, codecs),
    chainToJson: (chain) => chainToJson(chain, codecs),
    startChain: (input, signer, options = {}) => startChain(input, signer, { ...options, ...now(options.now), ...codecs }),
    appendLink: (chain, input, signer, options = {}) => appendLink(chain, input, signer, { ...options, ...now(options.now), ...codecs }),
    delegate: (chain, input, signer, options = {}) => delegate(chain, input, signer, { ...options, ...now(options.now), ...codecs }),
    compileTrust: (config) =>
      compileTrust(config, { ...(frozen.x509 === undefined ? {} : { x509: frozen.x509 }), ...(frozen.status === undefined ? {} : { status: frozen.status }) }),
    createVerifier: async (trust, options = {}) => {
      for (const name of Object.keys(options)) {
        if (PART_NAMES.has(name)) throw invalidArgument(`createVerifier: "${name}" is a part of the toolkit; give it to createToolkit`);
      }
      return await createVerifier(trust, { ...options, ...verifierParts });
    },
    buildDeferredBindingRequest: (input) => buildDeferredBindingRequest({ ...input, ...codecs }),
  };
  return Object.freeze(toolkit);
}
