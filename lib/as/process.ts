/**
 * The authorization server's side of a deferred binding, in one call: read the token request,
 * verify the chain for the authenticated requester, consume it (replay), and say what the issued
 * token must contain — or which OAuth error to return. Bad input from the wire never throws.
 */
import { TransitiveProofError, type ErrorCode, type OAuthErrorCode } from '../errors.js';
import { parseChain } from '../chain.js';
import { isValidScope, scopeExcess } from '../model/scope.js';
import type { Actor, Chain, Confirmation } from '../model/types.js';
import type { RequesterIdentity, VerifierOptions } from '../rules/context.js';
import type { VerifiedChain } from '../rules/result.js';
import type { CompiledTrust, TrustConfig } from '../trust/trust.js';
import { createVerifier, type ChainVerifier } from '../verify.js';
import { redemptionKeys, type ReplayPolicy } from '../replay/keys.js';
import type { ReplayStore } from '../replay/store.js';
import { DEFAULT_PARAMETER_LIMITS, printable, readParameters, type ParameterLimits, type ReadParameters, type TokenRequestParams } from './params.js';
import {
  ACCESS_TOKEN_TYPE,
  GRANT_TYPE_PROFILES,
  TMB_CHAIN_TOKEN_TYPE,
  TMB_PARAMETER,
  TMB_PROOF_PARAMETER,
  type DeferredBindingProfile,
} from './profile.js';
import { parseTmbParameter } from './tmb.js';
import { deferredBindingRecord, issuedConfirmation, type DeferredBindingRecord, type IssuedConfirmationForm } from './issued-token.js';
import { discloseActors, readDisclosurePolicy, FULL_DISCLOSURE, type DisclosurePolicy } from './disclosure.js';

export interface DeferredBindingRequestOptions {
  /** The client as the server authenticated it; undefined when it did not authenticate. */
  client: RequesterIdentity | undefined;
  /** This server's issuer identifier: every link's `aud`. */
  issuer: string;
  /** A verifier compiled once (preferred), or a trust configuration compiled for this call. */
  verifier?: ChainVerifier;
  trust?: TrustConfig | CompiledTrust;
  /** Options for a verifier built from `trust`. */
  verifierOptions?: VerifierOptions;
  replayStore: ReplayStore;
  /** Request time. Default: now. */
  now?: Date;
  /** Profiles accepted. Default: all three. */
  profiles?: readonly DeferredBindingProfile[];
  /** What a redemption consumes. Default 'last-link'. */
  replayPolicy?: ReplayPolicy;
  parameterLimits?: Partial<ParameterLimits>;
  /** The issued token's `cnf`: the chain's `tmb` copied (default, as the tmb draft says) or reduced to `jkt` (§8.4). */
  confirmation?: IssuedConfirmationForm;
  /**
   * §8.3 step 8, before anything is consumed: resolve the target (RFC 8707 `resource`, RFC 8693
   * `audience`) and the scope the token will carry. Throw a TransitiveProofError to refuse
   * (`target_invalid`, `scope_exceeded`); the scope returned may only narrow the granted one, and
   * an empty one is `scope_exceeded`. Default: the granted scope, any target.
   */
  resolveTarget?: (request: TargetRequest) => TargetDecision | Promise<TargetDecision>;
  /** How much of the chain `act` names (§8.4.2), unless the target decides (TargetDecision.disclosure). Default full. */
  disclosure?: DisclosurePolicy;
}

/** What step 8 decides on: the verified, granted scope and the targets the request names. */
export interface TargetRequest {
  /** The granted scope: the requested one, or the last link's. */
  scope: string;
  resource: readonly string[];
  audience: readonly string[];
  /** The verified chain, for targets whose tokens carry more of it (e.g. draft-liu's delegation_chain, SPEC-NOTES §11.1). */
  chain: VerifiedChain;
}

export interface TargetDecision {
  /** The scope the token carries: the granted scope or a subset of it. */
  scope: string;
  /** The disclosure policy of the resource server chosen (§8.4.2); default the request options' `disclosure`. */
  disclosure?: DisclosurePolicy;
}

/** RFC 7800 confirmation of the issued token: the chain's `tmb`, or with `confirmation: 'jkt'` a `jwk` reduced to its thumbprint. */
export type IssuedConfirmation = Confirmation;

/** What the issued access token must carry. */
export interface IssuedTokenClaims {
  /** The deferred key: the chain's `tmb` (§8.4, `confirmation`). */
  cnf: IssuedConfirmation;
  /** The chain's subject. */
  sub: string;
  /** RFC 8693 §4.1 actor chain: the requester outermost, then the earlier delegates the disclosure policy names (§8.4.2). */
  act: Actor;
  /** The granted scope (the requested one, or the last link's). */
  scope: string;
  /** Upper bound of the token's `exp`: the chain's earliest link `exp` (NumericDate). */
  exp: number;
  /** The requester. */
  client_id: string;
}

export interface DeferredBindingSuccess {
  ok: true;
  profile: DeferredBindingProfile;
  grantType: string;
  claims: IssuedTokenClaims;
  chain: VerifiedChain;
  /** The deferred-binding record the issued token carries (§8.4.1, DEFERRED_BINDING_CLAIM). */
  record: DeferredBindingRecord;
  /** RFC 8707 `resource` values, as requested (the server resolves them). */
  resource: readonly string[];
  /** RFC 8693 `audience` values (token exchange), as requested. */
  audience: readonly string[];
  /** RFC 8693 §2.2.1 `issued_token_type`, set for the token-exchange profile. */
  issuedTokenType?: string;
}

export interface OAuthErrorBody {
  error: OAuthErrorCode;
  error_description: string;
}

export interface DeferredBindingFailure {
  ok: false;
  /** HTTP status: 401 for invalid_client, 500 for server_error, 400 otherwise. */
  status: 400 | 401 | 500;
  /** The response body (RFC 6749 §5.2). */
  error: OAuthErrorBody;
  /** The library's code, for logs and metrics. Undefined for unexpected failures. */
  code: ErrorCode | undefined;
  /** The underlying error, for server-side logs only: never send it to the client. */
  cause: unknown;
}

export type DeferredBindingOutcome = DeferredBindingSuccess | DeferredBindingFailure;

const ALL_PROFILES: readonly DeferredBindingProfile[] = ['grant', 'client_credentials', 'token_exchange'];

export async function processDeferredBindingRequest(params: TokenRequestParams, options: DeferredBindingRequestOptions): Promise<DeferredBindingOutcome> {
  let profile: DeferredBindingProfile | undefined;
  try {
    const read = readParameters(params, { ...DEFAULT_PARAMETER_LIMITS, ...options.parameterLimits });
    const grantType = read.single.get('grant_type');
    if (grantType === undefined) throw new TransitiveProofError('request_invalid', 'grant_type is missing');
    profile = GRANT_TYPE_PROFILES.get(grantType);
    if (profile === undefined || !(options.profiles ?? ALL_PROFILES).includes(profile)) {
      throw new TransitiveProofError('grant_type_unsupported', 'grant_type is not a deferred-binding profile accepted here');
    }
    const client = authenticatedClient(options.client, read);
    const chainText = chainParameter(read, profile);
    const tmbText = read.single.get(TMB_PARAMETER);
    if (tmbText === undefined) throw new TransitiveProofError('request_invalid', 'tmb is missing');
    const tmb = parseTmbParameter(tmbText);
    const scope = read.single.get('scope');

    const verifier = await resolveVerifier(options);
    const trust = verifier.trust;
    const now = options.now ?? new Date();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const codecs = verifier.codecs ?? [];
    const chain: Chain = parseChain(chainText, { limits: trust.limits, codecs });
    const verified = await verifier.verify(chain, {
      audience: options.issuer,
      requester: client,
      tmb,
      ...(scope === undefined ? {} : { scope }),
      now,
    });
    if (verified.notAfter <= nowSeconds) {
      // Accepted within the clock tolerance, but a token capped at the chain's exp would be born expired.
      throw new TransitiveProofError('expired', 'the chain leaves no lifetime for a token');
    }

    const resource = read.repeated.get('resource') ?? [];
    const audience = read.repeated.get('audience') ?? [];
    const target = await resolveTarget(options, { scope: verified.scope, resource, audience, chain: verified });
    const policy = readDisclosurePolicy(target.disclosure ?? options.disclosure ?? FULL_DISCLOSURE);

    // Step 18, only now: a chain that failed any check (including the requester check and the
    // target) burns nothing.
    for (const { key, expiresAt } of await redemptionKeys(chain, verified, options.replayPolicy ?? 'last-link', trust.clockToleranceSeconds, codecs)) {
      // Only `true` is a first use: any other answer (false, "no", undefined) is a replay (fail closed).
      if ((await options.replayStore.consume(key, expiresAt)) !== true) {
        throw new TransitiveProofError('replayed', 'this chain has already been redeemed');
      }
    }

    const disclosed = discloseActors(verified.links.map((link) => link.claims.may_act.sub), policy);
    const success: DeferredBindingSuccess = {
      ok: true,
      profile,
      grantType,
      claims: {
        cnf: await issuedConfirmation(verified.cnf, options.confirmation ?? 'tmb'),
        sub: verified.sub,
        act: disclosed.act,
        scope: target.scope,
        exp: verified.notAfter,
        client_id: client.id,
      },
      chain: verified,
      record: await deferredBindingRecord(chain, verified, codecs, policy, disclosed),
      resource,
      audience,
    };
    if (profile === 'token_exchange') success.issuedTokenType = ACCESS_TOKEN_TYPE;
    return success;
  } catch (error) {
    return failure(error, profile);
  }
}

function authenticatedClient(client: RequesterIdentity | undefined, read: ReadParameters): RequesterIdentity {
  if (client === undefined || client === null || typeof client.id !== 'string' || client.id.length === 0) {
    throw new TransitiveProofError('requester_unauthenticated', 'the client is not authenticated');
  }
  const claimed = read.single.get('client_id');
  if (claimed !== undefined && claimed !== client.id) {
    throw new TransitiveProofError('requester_unauthenticated', 'client_id does not match the authenticated client');
  }
  return client;
}

/** Where each profile carries the chain; the other places must be empty so nothing is ambiguous. */
function chainParameter(read: ReadParameters, profile: DeferredBindingProfile): string {
  const proof = read.single.get(TMB_PROOF_PARAMETER);
  if (profile !== 'token_exchange') {
    if (proof === undefined) throw new TransitiveProofError('request_invalid', `${TMB_PROOF_PARAMETER} is missing`);
    return proof;
  }
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
  return subjectToken;
}

/** Step 8: the scope the token will carry, never wider than the granted one, never empty; and the target's disclosure policy. */
async function resolveTarget(options: DeferredBindingRequestOptions, request: TargetRequest): Promise<TargetDecision> {
  if (options.resolveTarget === undefined) return { scope: request.scope };
  const decision = await options.resolveTarget(request);
  const { scope } = decision;
  if (typeof scope !== 'string' || !isValidScope(scope) || scopeExcess(scope, request.scope).length > 0) {
    if (typeof scope === 'string' && scope.trim() === '') {
      throw new TransitiveProofError('scope_exceeded', 'no granted scope is one the target accepts');
    }
    throw new TransitiveProofError('invalid_argument', 'resolveTarget returned a scope that is not within the granted one');
  }
  return decision.disclosure === undefined ? { scope } : { scope, disclosure: decision.disclosure };
}

async function resolveVerifier(options: DeferredBindingRequestOptions): Promise<ChainVerifier> {
  if (options.verifier !== undefined) return options.verifier;
  if (options.trust === undefined) throw new TransitiveProofError('invalid_argument', 'a verifier or a trust configuration is required');
  return createVerifier(options.trust, options.verifierOptions);
}

const STATUS: Partial<Record<OAuthErrorCode, 401 | 500>> = { invalid_client: 401, server_error: 500 };

function failure(error: unknown, profile: DeferredBindingProfile | undefined): DeferredBindingFailure {
  if (error instanceof TransitiveProofError && error.oauthError !== 'server_error') {
    let oauthError = error.oauthError;
    // RFC 8693 §2.2.2: an invalid or unacceptable subject_token is invalid_request, not invalid_grant.
    if (profile === 'token_exchange' && oauthError === 'invalid_grant') oauthError = 'invalid_request';
    return {
      ok: false,
      status: STATUS[oauthError] ?? 400,
      error: { error: oauthError, error_description: printable(`${error.code}: ${error.message}`, 300) },
      code: error.code,
      cause: error,
    };
  }
  // Configuration faults, store outages and the unexpected: no detail leaves the server.
  return {
    ok: false,
    status: 500,
    error: { error: 'server_error', error_description: 'the request could not be processed' },
    code: error instanceof TransitiveProofError ? error.code : undefined,
    cause: error,
  };
}

/** An HTTP response for a failure, with the headers RFC 6749 §5.2 requires. */
export function tokenErrorResponse(outcome: DeferredBindingFailure): { status: number; headers: Record<string, string>; body: string } {
  return {
    status: outcome.status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(outcome.error),
  };
}
