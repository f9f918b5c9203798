/**
 * SPEC-NOTES.md §8.3 steps 9 and 10: the one resource server a token is for, and the scope it
 * carries. The rules live here once; an AS supplies its resource servers as a policy (the shared
 * AS vectors do) or as a resolver (the oidc-provider grant asks the integrator's callback).
 */
import { TransitiveProofError } from '../errors.js';
import { scopeTokens } from '../model/scope.js';
import type { VerifiedChain } from '../rules/result.js';
import type { DisclosurePolicy } from './disclosure.js';

/** A resource server as the AS knows it. */
export interface ResourceServerPolicy {
  /** Its RFC 8707 resource indicator: the issued token's `aud`. */
  identifier: string;
  /** Another name by which an RFC 8693 `audience` may name it. */
  audience?: string;
  /** The scope tokens it knows, space-separated; absent: every token. */
  scope?: string;
  /** Longest lifetime of a token for it, in seconds; absent: the chain's (§8.3 step 12). */
  accessTokenTTL?: number;
  /** How much of the chain its tokens' `act` names (§8.4.2); absent: the AS's default (full). */
  disclosure?: DisclosurePolicy;
}

/** The resource servers an AS issues for, and the one chosen when a request names none. */
export interface TargetPolicy {
  resourceServers: readonly ResourceServerPolicy[];
  /** Identifier of the resource server for a request without `resource` and `audience`; absent: such a request is `target_invalid`. */
  defaultResource?: string;
}

/** What step 9 decides on: the granted scope and the targets the request names. */
export interface TargetRequest {
  /** The granted scope: the requested one, or the last link's. */
  scope: string;
  /** RFC 8707 `resource` values as sent (every profile). */
  resource: readonly string[];
  /** RFC 8693 `audience` values as sent (token exchange only; empty in the plain profiles, where `audience` is not a parameter). */
  audience: readonly string[];
  /** The verified chain, for resource servers whose tokens carry more of it (e.g. draft-liu's delegation_chain, SPEC-NOTES §11.1). */
  chain: VerifiedChain;
}

export type TargetResolver = (request: TargetRequest) => ResourceServerPolicy | undefined | Promise<ResourceServerPolicy | undefined>;

function refuse(message: string): TransitiveProofError {
  return new TransitiveProofError('target_invalid', message);
}

/** The resolver of a declarative policy: by `resource`, else by `audience`, else the default. */
export function policyResolver(policy: TargetPolicy): TargetResolver {
  const named = (name: string): ResourceServerPolicy | undefined => policy.resourceServers.find((rs) => rs.identifier === name || rs.audience === name);
  return (request) => {
    const resource = request.resource[0];
    if (resource !== undefined) return policy.resourceServers.find((rs) => rs.identifier === resource);
    const audience = request.audience[0];
    if (audience !== undefined) return named(audience);
    return policy.defaultResource === undefined ? undefined : policy.resourceServers.find((rs) => rs.identifier === policy.defaultResource);
  };
}

/**
 * Step 9. One token is for one resource server: the `resource` values name at most one (repeats of
 * one value are that value); the server chosen is the one it names, else the one the first
 * `audience` names, else the default; every `audience` value names the chosen server (its
 * identifier or its `audience`). Anything else is `target_invalid`.
 */
export async function chooseResourceServer(request: TargetRequest, resolve: TargetResolver): Promise<ResourceServerPolicy> {
  const resources = [...new Set(request.resource)];
  if (resources.length > 1) throw refuse('a token is for one resource server: the resource values name several');
  const chosen = await resolve({ ...request, resource: resources });
  if (chosen === undefined || chosen === null || typeof chosen.identifier !== 'string') {
    throw refuse(resources.length > 0 ? 'the requested resource is not one this server issues tokens for' : request.audience.length > 0 ? 'the requested audience is not a resource server of this server' : 'the request names no resource and this server has no default');
  }
  if (resources.length === 1 && resources[0] !== chosen.identifier) throw refuse('the requested resource is not one this server issues tokens for');
  const names = new Set([chosen.identifier, ...(chosen.audience === undefined ? [] : [chosen.audience])]);
  if (request.audience.some((audience) => !names.has(audience))) throw refuse('the requested audience is not the resource server the token is for');
  return chosen;
}

/**
 * Step 10. The granted scope's tokens in the order they first appear, each once, less those the
 * resource server does not know (dropped, not refused). Nothing left is `scope_exceeded`.
 */
export function narrowScope(granted: string, resourceServer: ResourceServerPolicy | undefined): string {
  const known = resourceServer?.scope === undefined ? undefined : scopeTokens(resourceServer.scope);
  const scope = [...scopeTokens(granted)].filter((token) => known === undefined || known.has(token)).join(' ');
  if (scope === '') throw new TransitiveProofError('scope_exceeded', 'no granted scope is one the resource server knows');
  return scope;
}

/** Step 12's lifetime: the resource server's, capped at the chain's earliest `exp` (NumericDate). */
export function tokenExpiry(nowSeconds: number, chainNotAfter: number, resourceServer: ResourceServerPolicy | undefined): number {
  const ttl = resourceServer?.accessTokenTTL;
  return ttl === undefined ? chainNotAfter : Math.min(nowSeconds + ttl, chainNotAfter);
}
