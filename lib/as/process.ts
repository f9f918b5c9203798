/**
 * The authorization server's side of a deferred binding, in one call: read the token request,
 * verify the chain for the authenticated requester, consume it (replay), and say what the issued
 * token must contain — or which OAuth error to return. Bad input from the wire never throws.
 */
import { chainMalformed, TransitiveProofError, invalidArgument, type ErrorCode, type OAuthErrorCode } from '../errors.js';
import { parseChain } from '../chain.js';
import { isValidScope } from '../model/scope.js';
import type { LinkCodec, ReplayStore } from '../ports.js';
import type { Actor, Chain, Confirmation } from '../model/types.js';
import type { RequesterIdentity, VerifierOptions } from '../rules/context.js';
import type { VerifiedChain } from '../rules/result.js';
import type { CompiledTrust, TrustConfig } from '../trust/trust.js';
import { createVerifier, type ChainVerifier } from '../verify.js';
import { redemptionKeys, type ReplayKey, type ReplayPolicy } from '../replay/keys.js';
import {
  checkParameters,
  collectParameters,
  printable,
  stringValues,
  type CollectedParameters,
  type ParameterLimits,
  type ReadParameters,
  type TokenRequestParams,
} from './params.js';
import { chooseResourceServer, narrowScope, policyResolver, tokenExpiry, type ResourceServerPolicy, type TargetPolicy, type TargetRequest, type TargetResolver } from './target.js';
import {
  ACCESS_TOKEN_TYPE,
  COMMON_PARAMETERS,
  GRANT_TYPE_PROFILES,
  PROFILE_PARAMETERS,
  TMB_CHAIN_TOKEN_TYPE,
  TMB_PARAMETER,
  TMB_PROOF_PARAMETER,
  type DeferredBindingProfile,
} from './profile.js';
import { parseTmbParameter } from './tmb.js';
import { deferredBindingRecord, issuedConfirmation, type DeferredBindingRecord, type IssuedConfirmationForm } from './issued-token.js';
import { discloseActors, readDisclosurePolicy, FULL_DISCLOSURE, type DisclosurePolicy } from './disclosure.js';

export interface DeferredBindingRequestOptions {
  /** The client as the server authenticated it; undefined when it did not authenticate (§8.3 step 1). */
  client: RequesterIdentity | undefined;
  /** This server's issuer identifier: every link's `aud`, and the issued token's `iss`. */
  issuer: string;
  /** A verifier compiled once (preferred), or a trust configuration compiled for this call. */
  verifier?: ChainVerifier | undefined;
  trust?: TrustConfig | CompiledTrust | undefined;
  /** Options for a verifier built from `trust`. */
  verifierOptions?: VerifierOptions | undefined;
  replayStore: ReplayStore;
  /** Request time. Default: now. */
  now?: Date | undefined;
  /** Profiles accepted. Default: all three. */
  profiles?: readonly DeferredBindingProfile[] | undefined;
  /** What a redemption consumes. Default 'last-link'. */
  replayPolicy?: ReplayPolicy | undefined;
  parameterLimits?: Partial<ParameterLimits> | undefined;
  /** The issued token's `cnf`: the chain's `tmb` copied (default, as the tmb draft says) or reduced to `jkt` (§8.4). */
  confirmation?: IssuedConfirmationForm | undefined;
  /** §8.3 step 9: the resource servers this AS issues for. */
  targets?: TargetPolicy | undefined;
  /**
   * §8.3 step 9 as a callback instead of `targets`: the resource server for the request, or
   * undefined to refuse (`target_invalid`). Its answer is then held to step 9's rules.
   */
  resolveTarget?: TargetResolver | undefined;
  /** How much of the chain `act` names (§8.4.2), unless the resource server chosen has its own (ResourceServerPolicy.disclosure). Default full. */
  disclosure?: DisclosurePolicy | undefined;
}

/** What the issued access token must carry (§8.4). The AS adds `jti` (any unique value). */
export interface IssuedTokenClaims {
  /** This AS. */
  iss: string;
  /** The resource server's identifier; absent only when the caller gave no target policy. */
  aud?: string;
  /** The chain's subject. */
  sub: string;
  /** The deferred key: the chain's `tmb` (§8.4, `confirmation`). */
  cnf: IssuedConfirmation;
  /** RFC 8693 §4.1 actor chain: the requester outermost. */
  act: Actor;
  /** The scope issued (§8.3 step 10). */
  scope: string;
  /** The requester. */
  client_id: string;
  /** Issuance time (NumericDate): the request time. */
  iat: number;
  /** min(iat + the resource server's lifetime, the chain's earliest link `exp`) (§8.3 step 12). */
  exp: number;
}

/** RFC 7800 confirmation of the issued token: the chain's `tmb`, or with `confirmation: 'jkt'` a `jwk` reduced to its thumbprint. */
export type IssuedConfirmation = Confirmation;

export interface DeferredBindingSuccess {
  ok: true;
  profile: DeferredBindingProfile;
  grantType: string;
  claims: IssuedTokenClaims;
  chain: VerifiedChain;
  /** The deferred-binding record the issued token carries (§8.4.1, DEFERRED_BINDING_CLAIM). */
  record: DeferredBindingRecord;
  /** The resource server chosen at step 9; undefined when the caller gave no target policy. */
  resourceServer: ResourceServerPolicy | undefined;
  /** RFC 8707 `resource` values, as requested. */
  resource: readonly string[];
  /** RFC 8693 `audience` values (token exchange), as requested. */
  audience: readonly string[];
  /** The replay entries this redemption consumed, in order (§8.5). */
  consumed: readonly ReplayKey[];
  /** RFC 8693 §2.2.1 `issued_token_type`, set for the token-exchange profile. */
  issuedTokenType?: string;
}

export interface OAuthErrorBody {
  error: OAuthErrorCode;
  error_description: string;
}

/** A step of SPEC-NOTES.md §8.3, as numbered there. */
export type ProcessingStep = '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '10' | '11' | '12';

export interface DeferredBindingFailure {
  ok: false;
  /** HTTP status: 401 for invalid_client, 500 for server_error, 400 otherwise. */
  status: 400 | 401 | 500;
  /** The response body (RFC 6749 §5.2). */
  error: OAuthErrorBody;
  /** The library's code, for logs and metrics. Undefined for unexpected failures. */
  code: ErrorCode | undefined;
  /** The §8.3 step that failed (a verification failure is step 7; its §6.2 step is the cause's `step`). */
  step: ProcessingStep;
  /** The underlying error, for server-side logs only: never send it to the client. */
  cause: unknown;
}

export type DeferredBindingOutcome = DeferredBindingSuccess | DeferredBindingFailure;

const ALL_PROFILES: readonly DeferredBindingProfile[] = ['grant', 'client_credentials', 'token_exchange'];

/** SPEC-NOTES.md §8.3, one line per step in its order; the first failure is the answer. */
export async function processDeferredBindingRequest(params: TokenRequestParams, options: DeferredBindingRequestOptions): Promise<DeferredBindingOutcome> {
  let profile: DeferredBindingProfile | undefined;
  let at: ProcessingStep = '1';
  try {
    const collected = collectParameters(params);
    const now = options.now ?? new Date();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    at = '1'; const client = authenticatedClient(options.client, collected);
    at = '2'; const grantType = grantTypeOf(collected, options.profiles ?? ALL_PROFILES); profile = grantType.profile;
    at = '3'; const read = checkParameters(collected, options.parameterLimits, [...COMMON_PARAMETERS, ...PROFILE_PARAMETERS[profile]]);
    at = '4'; const scope = requestedScope(read);
    at = '5'; const chainText = chainParameter(read, profile);
    at = '6'; const tmb = tmbParameter(read);
    at = '7'; const { chain, verified, verifier } = await verifyChain(chainText, { client, tmb, scope, now }, options);
    at = '8'; checkLifetime(verified, nowSeconds);
    at = '9'; const { request, resourceServer, disclosure } = await resolveTarget(read, profile, verified, options);
    at = '10'; const scopeIssued = narrowScope(verified.scope, resourceServer);
    at = '11'; const consumed = await consume(chain, verified, options, verifier.trust.clockToleranceSeconds, verifier.codecs ?? []);
    at = '12'; return await issue({ profile, grantType: grantType.name, chain, verified, verifier, request, resourceServer, disclosure, scope: scopeIssued, client, nowSeconds, consumed }, options);
  } catch (error) {
    return failure(error, profile, at);
  }
}

/** Step 1: an authenticated, non-public client (the caller says which), and no `client_id` naming another. */
function authenticatedClient(client: RequesterIdentity | undefined, collected: CollectedParameters): RequesterIdentity {
  if (client === undefined || client === null || typeof client.id !== 'string' || client.id.length === 0) {
    throw new TransitiveProofError('requester_unauthenticated', 'the client is not authenticated');
  }
  if (stringValues(collected, 'client_id').some((claimed) => claimed !== client.id)) {
    throw new TransitiveProofError('requester_unauthenticated', 'client_id does not match the authenticated client');
  }
  return client;
}

/** Step 2: exactly one `grant_type`, one of the profiles accepted here. */
function grantTypeOf(collected: CollectedParameters, accepted: readonly DeferredBindingProfile[]): { name: string; profile: DeferredBindingProfile } {
  const values = collected.get('grant_type') ?? [];
  if (values.length === 0) throw new TransitiveProofError('request_invalid', 'grant_type is missing');
  if (values.length > 1) throw new TransitiveProofError('request_invalid', 'parameter "grant_type" is included more than once');
  const grantType = values[0];
  const profile = typeof grantType === 'string' ? GRANT_TYPE_PROFILES.get(grantType) : undefined;
  if (profile === undefined || !accepted.includes(profile)) {
    throw new TransitiveProofError('grant_type_unsupported', 'grant_type is not a deferred-binding profile accepted here');
  }
  return { name: grantType as string, profile };
}

/** Step 4: a `scope`, when sent, is an RFC 6749 §3.3 scope string (invalid_scope, as oidc-provider answers before any grant). */
function requestedScope(read: ReadParameters): string | undefined {
  const scope = read.single.get('scope');
  if (scope !== undefined && !isValidScope(scope)) throw new TransitiveProofError('scope_invalid', 'scope is not a valid scope string');
  return scope;
}

/** Step 5: where each profile carries the chain; the other places must be empty so nothing is ambiguous. */
function chainParameter(read: ReadParameters, profile: DeferredBindingProfile): string {
  const proof = read.single.get(TMB_PROOF_PARAMETER);
  let chain: string;
  if (profile !== 'token_exchange') {
    if (proof === undefined) throw new TransitiveProofError('request_invalid', `${TMB_PROOF_PARAMETER} is missing`);
    chain = proof;
  } else {
    if (proof !== undefined) throw new TransitiveProofError('request_invalid', `${TMB_PROOF_PARAMETER} is not used with token exchange; send the chain as subject_token`);
    const subjectToken = read.single.get('subject_token');
    if (subjectToken === undefined) throw new TransitiveProofError('request_invalid', 'subject_token is missing');
    if (read.single.get('subject_token_type') !== TMB_CHAIN_TOKEN_TYPE) {
      throw new TransitiveProofError('request_invalid', `subject_token_type must be ${TMB_CHAIN_TOKEN_TYPE}`);
    }
    if (read.single.has('actor_token') || read.single.has('actor_token_type')) {
      // The chain names every actor; the current one is the authenticated client.
      throw new TransitiveProofError('request_invalid', 'actor_token is not used: the chain names the actors');
    }
    const requested = read.single.get('requested_token_type');
    if (requested !== undefined && requested !== ACCESS_TOKEN_TYPE) {
      throw new TransitiveProofError('request_invalid', `requested_token_type must be ${ACCESS_TOKEN_TYPE}`);
    }
    chain = subjectToken;
  }
  // One form on the wire: the compact text (§4.2, §4.3.3). The JSON form is for files and APIs.
  if (chain.startsWith('[')) throw chainMalformed('a token request carries the chain in its compact form, not the JSON form');
  return chain;
}

/** Step 6: `tmb`, present and read strictly. */
function tmbParameter(read: ReadParameters): Confirmation {
  const text = read.single.get(TMB_PARAMETER);
  if (text === undefined) throw new TransitiveProofError('request_invalid', 'tmb is missing');
  return parseTmbParameter(text);
}

/** Step 8: verification accepts a link up to the clock tolerance past its `exp`; a token capped there would be born expired. */
function checkLifetime(verified: VerifiedChain, nowSeconds: number): void {
  if (verified.notAfter <= nowSeconds) throw new TransitiveProofError('expired', 'the chain leaves no lifetime for a token');
}

/**
 * Step 9 (lib/as/target.ts holds its rules): `audience` is a parameter of token exchange only
 * (elsewhere an undefined parameter, ignored). The resource server is undefined only when the
 * caller gave no target policy at all (the token then names no `aud`).
 */
async function resolveTarget(
  read: ReadParameters,
  profile: DeferredBindingProfile,
  verified: VerifiedChain,
  options: DeferredBindingRequestOptions,
): Promise<{ request: TargetRequest; resourceServer: ResourceServerPolicy | undefined; disclosure: DisclosurePolicy }> {
  const request: TargetRequest = {
    scope: verified.scope,
    chain: verified,
    resource: read.repeated.get('resource') ?? [],
    audience: profile === 'token_exchange' ? read.repeated.get('audience') ?? [] : [],
  };
  const resolver = options.resolveTarget ?? (options.targets === undefined ? undefined : policyResolver(options.targets));
  const resourceServer = resolver === undefined ? undefined : await chooseResourceServer(request, resolver);
  // The policy of the server chosen, read here so that a bad one (a configuration fault) consumes nothing (§8.4.2).
  return { request, resourceServer, disclosure: readDisclosurePolicy(resourceServer?.disclosure ?? options.disclosure ?? FULL_DISCLOSURE) };
}

/** Step 11 (§6.2 step 18, §8.5), only now: a request that failed any check above burns nothing. */
async function consume(chain: Chain, verified: VerifiedChain, options: DeferredBindingRequestOptions, toleranceSeconds: number, codecs: readonly LinkCodec[]): Promise<ReplayKey[]> {
  const consumed: ReplayKey[] = [];
  for (const entry of await redemptionKeys(chain, verified, options.replayPolicy ?? 'last-link', toleranceSeconds, codecs)) {
    // Only `true` is a first use: any other answer (false, "no", undefined) is a replay (fail closed).
    if ((await options.replayStore.consume(entry.key, entry.expiresAt)) !== true) {
      throw new TransitiveProofError('replayed', 'this chain has already been redeemed');
    }
    consumed.push(entry);
  }
  return consumed;
}

/** Step 7: §6.2 for this request; the chain value is parsed under the verifier's limits and codecs. */
async function verifyChain(
  chainText: string,
  request: { client: RequesterIdentity; tmb: Confirmation; scope: string | undefined; now: Date },
  options: DeferredBindingRequestOptions,
): Promise<{ chain: Chain; verified: VerifiedChain; verifier: ChainVerifier }> {
  const verifier = await resolveVerifier(options);
  const chain = parseChain(chainText, { limits: verifier.trust.limits, codecs: verifier.codecs ?? [] });
  const { client, tmb, scope, now } = request;
  const verified = await verifier.verify(chain, { audience: options.issuer, requester: client, tmb, ...(scope === undefined ? {} : { scope }), now });
  return { chain, verified, verifier };
}

/** Step 12: what the issued token carries (§8.4). */
async function issue(
  done: {
    profile: DeferredBindingProfile; grantType: string; chain: Chain; verified: VerifiedChain; verifier: ChainVerifier; request: TargetRequest;
    resourceServer: ResourceServerPolicy | undefined; disclosure: DisclosurePolicy; scope: string; client: RequesterIdentity; nowSeconds: number; consumed: ReplayKey[];
  },
  options: DeferredBindingRequestOptions,
): Promise<DeferredBindingSuccess> {
  const { verified, resourceServer, nowSeconds } = done;
  const disclosed = discloseActors(verified.links.map((link) => link.claims.may_act.sub), done.disclosure);
  const success: DeferredBindingSuccess = {
    ok: true,
    profile: done.profile,
    grantType: done.grantType,
    claims: {
      iss: options.issuer,
      ...(resourceServer === undefined ? {} : { aud: resourceServer.identifier }),
      sub: verified.sub,
      cnf: await issuedConfirmation(verified.cnf, options.confirmation ?? 'tmb'),
      act: disclosed.act,
      scope: done.scope,
      client_id: done.client.id,
      iat: nowSeconds,
      exp: tokenExpiry(nowSeconds, verified.notAfter, resourceServer),
    },
    chain: verified,
    record: await deferredBindingRecord(done.chain, verified, done.verifier.codecs ?? [], done.disclosure, disclosed),
    resourceServer,
    resource: done.request.resource,
    audience: done.request.audience,
    consumed: done.consumed,
  };
  if (done.profile === 'token_exchange') success.issuedTokenType = ACCESS_TOKEN_TYPE;
  return success;
}

async function resolveVerifier(options: DeferredBindingRequestOptions): Promise<ChainVerifier> {
  if (options.verifier !== undefined) return options.verifier;
  if (options.trust === undefined) throw invalidArgument('a verifier or a trust configuration is required');
  return createVerifier(options.trust, options.verifierOptions);
}

const STATUS: Partial<Record<OAuthErrorCode, 401 | 500>> = { invalid_client: 401, server_error: 500 };

function failure(error: unknown, profile: DeferredBindingProfile | undefined, step: ProcessingStep): DeferredBindingFailure {
  if (error instanceof TransitiveProofError && error.oauthError !== 'server_error') {
    let oauthError = error.oauthError;
    // RFC 8693 §2.2.2: an invalid or unacceptable subject_token is invalid_request, not invalid_grant.
    if (profile === 'token_exchange' && oauthError === 'invalid_grant') oauthError = 'invalid_request';
    return {
      ok: false,
      status: STATUS[oauthError] ?? 400,
      error: { error: oauthError, error_description: printable(`${error.code}: ${error.message}`, 300) },
      code: error.code,
      step,
      cause: error,
    };
  }
  // Configuration faults, store outages and the unexpected: no detail leaves the server.
  return {
    ok: false,
    status: 500,
    error: { error: 'server_error', error_description: 'the request could not be processed' },
    code: error instanceof TransitiveProofError ? error.code : undefined,
    step,
    cause: error,
  };
}

/**
 * An HTTP response for a failure, with the headers RFC 6749 §5.2 requires: a 401 carries a
 * `WWW-Authenticate` challenge (`Basic realm="<realm>"`, the realm being the AS's issuer identifier).
 */
export function tokenErrorResponse(outcome: DeferredBindingFailure, realm?: string): { status: number; headers: Record<string, string>; body: string } {
  const challenge: Record<string, string> = outcome.status === 401 ? { 'www-authenticate': `Basic realm="${printable(realm ?? 'token', 200)}"` } : {};
  return {
    status: outcome.status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...challenge },
    body: JSON.stringify(outcome.error),
  };
}
