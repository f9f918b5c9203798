/**
 * Minting: a delegator signs a link; a chain grows by appending links whose `prev` hashes the last
 * one. Minted claims are checked against the same schema the verifier uses, so a minter cannot
 * produce a link every verifier would reject.
 */
import { randomUUID } from '#runtime';
import { invalidArgument } from './errors.js';
import { codecFor, type CodecOptions } from './codecs/registry.js';
import { validateLinkClaims } from './rules/claims.js';
import { DEFAULT_LIMITS } from './model/limits.js';
import { validator, describeSchemaError } from './model/schemas.js';
import { normalizeScope, scopeExcess } from './model/scope.js';
import { linkHash } from './rules/linkage.js';
import { isoDate } from './rules/time.js';
import type { Chain, Confirmation, CryptoKey, Delegate, LinkClaims, LinkStatus, LinkFormat, PrivateJwk, SignatureAlgorithm } from './model/types.js';

/** What a delegator states in a link. Times are NumericDate seconds. */
export interface LinkInput {
  iss: string;
  sub: string;
  aud: string;
  scope: string | readonly string[];
  tmb: Confirmation;
  /** The party authorised (becomes `may_act`). */
  delegate: Delegate;
  /** Further links allowed after this one. Default 0. */
  depth?: number | undefined;
  /** Lifetime in seconds from `iat` when `exp` is not given. Default 300. */
  expiresIn?: number | undefined;
  iat?: number | undefined;
  nbf?: number | undefined;
  exp?: number | undefined;
  /** Default: a random UUID. */
  jti?: string | undefined;
  /** A Token Status List entry through which the signer can withdraw the link later. */
  status?: LinkStatus | undefined;
}

/** The key a link is signed with. */
export interface LinkSigner {
  privateKey: PrivateJwk | CryptoKey;
  alg: SignatureAlgorithm;
  kid?: string | undefined;
  /** DER certificates, leaf first, for X.509-identified signers. */
  x5c?: Uint8Array[] | undefined;
}

export interface MintOptions extends CodecOptions {
  /** Default 'jwt'. 'cwt' needs `codecs: [coseCodec]` (transitive-proof/cose). */
  format?: LinkFormat | undefined;
  /** Injected clock for `iat`. Default: now. */
  now?: Date | undefined;
}

export const DEFAULT_LINK_LIFETIME_SECONDS = 300;

function nowSeconds(options: MintOptions): number {
  return Math.floor((options.now ?? new Date()).getTime() / 1000);
}

/** Build and check the claims of a link. */
export async function buildLinkClaims(input: LinkInput, previous: Uint8Array | undefined, options: MintOptions = {}): Promise<LinkClaims> {
  const iat = input.iat ?? nowSeconds(options);
  const claims: LinkClaims = {
    iss: input.iss,
    sub: input.sub,
    aud: input.aud,
    iat,
    exp: input.exp ?? iat + (input.expiresIn ?? DEFAULT_LINK_LIFETIME_SECONDS),
    jti: input.jti ?? randomUUID(),
    scope: normalizeScope(input.scope),
    tmb: input.tmb,
    may_act: { sub: input.delegate.sub, cnf: input.delegate.cnf },
    depth: input.depth ?? 0,
  };
  if (input.nbf !== undefined) claims.nbf = input.nbf;
  if (previous !== undefined) claims.prev = await linkHash(previous);
  if (input.status !== undefined) claims.status = input.status;
  const validate = validator('linkClaims');
  if (!validate(claims)) {
    throw invalidArgument(`link claims: ${describeSchemaError(validate.errors)}`);
  }
  return claims;
}

/** Sign one link. `previous` is the exact bytes of the link it follows, if any. */
export async function mintLink(input: LinkInput, signer: LinkSigner, options: MintOptions & { previous?: Uint8Array } = {}): Promise<Uint8Array> {
  const claims = await buildLinkClaims(input, options.previous, options);
  return codecFor(options.format ?? 'jwt', options.codecs).signLink({
    claims: { ...claims },
    alg: signer.alg,
    privateKey: signer.privateKey,
    kid: signer.kid,
    x5c: signer.x5c,
  });
}

/** Start a chain with its root link. */
export async function startChain(input: LinkInput, signer: LinkSigner, options: MintOptions = {}): Promise<Chain> {
  const format = options.format ?? 'jwt';
  return { format, links: [await mintLink(input, signer, { ...options, format })] };
}

/** Append a link with fully specified claims; `prev` is computed from the chain's last link. */
export async function appendLink(chain: Chain, input: LinkInput, signer: LinkSigner, options: Omit<MintOptions, 'format'> = {}): Promise<Chain> {
  const previous = chain.links[chain.links.length - 1];
  const link = await mintLink(input, signer, { ...options, format: chain.format, previous });
  return { format: chain.format, links: [...chain.links, link] };
}

/** What a delegate states when it passes its authority on; the rest is inherited from its link. */
export interface DelegationInput {
  delegate: Delegate;
  /** Default: the parent's scope. Must be a subset of it. */
  scope?: string | readonly string[] | undefined;
  /** Default: the parent's depth − 1. */
  depth?: number | undefined;
  /** Lifetime in seconds; capped at the parent's `exp`. Default: the parent's `exp`. */
  expiresIn?: number | undefined;
  jti?: string | undefined;
  /** The new link's own status entry; a status is never inherited (each signer withdraws its own link). */
  status?: LinkStatus | undefined;
}

/**
 * The last delegate of `chain` delegates onward: iss, sub, aud and tmb are inherited, and the new
 * link's validity window is kept inside the parent's so the chain stays valid.
 */
export async function delegate(chain: Chain, input: DelegationInput, signer: LinkSigner, options: Omit<MintOptions, 'format'> = {}): Promise<Chain> {
  const lastBytes = chain.links.at(-1);
  if (lastBytes === undefined) throw invalidArgument('cannot delegate from an empty chain');
  // Only the last link is read: its claims are what the new link inherits and narrows.
  const parent = validateLinkClaims(codecFor(chain.format, options.codecs).decodeLink(lastBytes, chain.links.length - 1, DEFAULT_LIMITS).claims, chain.links.length - 1);
  // Refuse to mint what every verifier rejects (steps 13 and 14), with the reason, here.
  if (parent.depth < 1) throw invalidArgument('the last link allows no further delegation (depth 0)');
  if (input.scope !== undefined) {
    const excess = scopeExcess(normalizeScope(input.scope), parent.scope);
    if (excess.length > 0) throw invalidArgument(`scope "${excess.join(' ')}" is not granted by the last link`);
  }
  if (input.depth !== undefined && input.depth > parent.depth - 1) {
    throw invalidArgument(`depth ${input.depth} must be below the last link's ${parent.depth}`);
  }
  const now = nowSeconds(options);
  // A link appended now would be issued after its own expiry (its exp is capped at the parent's).
  if (parent.exp <= now) {
    throw invalidArgument(`the chain expired at ${isoDate(parent.exp)}: it cannot be extended`);
  }
  const parentStart = parent.nbf ?? parent.iat;
  const exp = input.expiresIn === undefined ? parent.exp : Math.min(parent.exp, now + input.expiresIn);
  const linkInput: LinkInput = {
    iss: parent.may_act.sub,
    sub: parent.sub,
    aud: parent.aud,
    scope: input.scope ?? parent.scope,
    tmb: parent.tmb,
    delegate: input.delegate,
    depth: input.depth ?? parent.depth - 1,
    iat: Math.max(now, parent.iat),
    exp,
    // buildLinkClaims reads an undefined member as absent: no nbf, a fresh jti, no status.
    nbf: parentStart > now ? parentStart : undefined,
    jti: input.jti,
    status: input.status,
  };
  return appendLink(chain, linkInput, signer, options);
}
