/**
 * The requester's side: the token request that asks for a token bound to a key the requester does
 * not hold (`tmb`), carrying the chain that justifies it. Client authentication is added by the
 * caller (Authorization header, client_assertion, mTLS), exactly as for any token request.
 */
import { invalidArgument } from '../errors.js';
import { decodeChain, parseChain, serializeChain, type ChainInput } from '../chain.js';
import type { CodecOptions } from '../codecs/registry.js';
import type { Chain, Confirmation, LinkClaims } from '../model/types.js';
import {
  ACCESS_TOKEN_TYPE,
  CLIENT_CREDENTIALS_GRANT_TYPE,
  DEFERRED_BINDING_GRANT_TYPE,
  TMB_CHAIN_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT_TYPE,
  type DeferredBindingProfile,
} from '../as/profile.js';

/** `codecs: [coseCodec]` (transitive-proof/cose) for a CBOR chain. */
export interface DeferredBindingRequestInput extends CodecOptions {
  /** The chain whose last delegate is this requester. */
  chain: ChainInput;
  /** The key the token is to be bound to. Default: the chain's `tmb`, in the same form. */
  tmb?: Confirmation | undefined;
  /** Requested scope; default: what the last link grants. */
  scope?: string | undefined;
  /** RFC 8707 resource indicators. */
  resource?: string | readonly string[] | undefined;
  /** RFC 8693 audience values (token exchange only). */
  audience?: string | readonly string[] | undefined;
  /** Default 'grant' (the extension grant type). */
  profile?: DeferredBindingProfile | undefined;
  /** Added as `client_id` (for client authentication methods that send it in the body). */
  clientId?: string | undefined;
}

/** The request as a typed object; every member is a form parameter. */
export type DeferredBindingRequestFields =
  | {
      grant_type: typeof DEFERRED_BINDING_GRANT_TYPE | typeof CLIENT_CREDENTIALS_GRANT_TYPE;
      tmb: string;
      tmb_proof: string;
      scope?: string;
      resource?: string[];
      client_id?: string;
    }
  | {
      grant_type: typeof TOKEN_EXCHANGE_GRANT_TYPE;
      tmb: string;
      subject_token: string;
      subject_token_type: typeof TMB_CHAIN_TOKEN_TYPE;
      requested_token_type: typeof ACCESS_TOKEN_TYPE;
      scope?: string;
      resource?: string[];
      audience?: string[];
      client_id?: string;
    };

export interface DeferredBindingRequest {
  /** The `application/x-www-form-urlencoded` body. */
  params: URLSearchParams;
  fields: DeferredBindingRequestFields;
}

export function buildDeferredBindingRequest(input: DeferredBindingRequestInput): DeferredBindingRequest {
  const codecs = { codecs: input.codecs ?? [] };
  const chain: Chain = parseChain(input.chain, codecs);
  const chainText = serializeChain(chain, codecs);
  const tmb = JSON.stringify(input.tmb ?? chainTmb(chain, codecs));
  const profile = input.profile ?? 'grant';
  const optional = {
    ...(input.scope === undefined ? {} : { scope: input.scope }),
    ...(input.resource === undefined ? {} : { resource: list(input.resource) }),
    ...(input.clientId === undefined ? {} : { client_id: input.clientId }),
  };
  let fields: DeferredBindingRequestFields;
  if (profile === 'token_exchange') {
    fields = {
      grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
      tmb,
      subject_token: chainText,
      subject_token_type: TMB_CHAIN_TOKEN_TYPE,
      requested_token_type: ACCESS_TOKEN_TYPE,
      ...optional,
      ...(input.audience === undefined ? {} : { audience: list(input.audience) }),
    };
  } else {
    if (input.audience !== undefined) throw invalidArgument('audience is a token-exchange parameter');
    fields = {
      grant_type: profile === 'client_credentials' ? CLIENT_CREDENTIALS_GRANT_TYPE : DEFERRED_BINDING_GRANT_TYPE,
      tmb,
      tmb_proof: chainText,
      ...optional,
    };
  }
  return { params: toParams(fields), fields };
}

/** The chain's `tmb` (the same on every link; read from the root). */
function chainTmb(chain: Chain, options: CodecOptions): Confirmation {
  const root = decodeChain(chain, options)[0];
  const tmb = (root?.claims as Partial<LinkClaims> | undefined)?.tmb;
  if (tmb === undefined) throw invalidArgument('the chain has no tmb; pass one');
  return tmb;
}

function list(value: string | readonly string[]): string[] {
  return typeof value === 'string' ? [value] : [...value];
}

function toParams(fields: DeferredBindingRequestFields): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields) as [string, string | string[] | undefined][]) {
    if (value === undefined) continue;
    for (const entry of typeof value === 'string' ? [value] : value) params.append(name, entry);
  }
  return params;
}
