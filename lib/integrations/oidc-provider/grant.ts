/**
 * oidc-provider integration: a grant type (and, on request, RFC 8693 token exchange) that issues an
 * access token bound to the deferred key a verified chain names.
 *
 *   registerDeferredBindingGrant(provider, { verifier, replayStore, resourceServer });
 *   // and in the provider configuration:  extraTokenClaims: deferredBindingTokenClaims(),
 *   //   formats: { customizers: { jwt: deferredBindingJwtCustomizer() } }
 *
 * oidc-provider authenticates the client as for any grant; the chain is verified for that client
 * (plus the key it authenticated with, for private_key_jwt and mTLS). The token mirrors what the
 * provider's own client_credentials grant builds, except that its `cnf` is the chain's `tmb` (copied,
 * as the tmb draft says, or reduced to a thumbprint) and it records the deferred binding — never
 * the key of a DPoP proof or client certificate on this request (draft-richer-oauth-tmb-claim,
 * RFC 9449 §10: binding to the request's own key is exactly what a deferred binding replaces).
 */
import { X509Certificate, createHash } from 'node:crypto';
import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { errors, type KoaContextWithOIDC, type Provider, type ResourceServer } from 'oidc-provider';
import { processDeferredBindingRequest, type DeferredBindingFailure, type DeferredBindingSuccess, type TargetRequest } from '../../as/process.js';
import { LinkError, TransitiveProofError } from '../../errors.js';
import { DEFERRED_BINDING_GRANT_TYPE, TMB_PARAMETER, TMB_PROOF_PARAMETER, TOKEN_EXCHANGE_GRANT_TYPE } from '../../as/profile.js';
import { DEFERRED_BINDING_CLAIM, type IssuedConfirmationForm } from '../../as/issued-token.js';
import { confirmationJkt } from '../../model/confirmation.js';
import type { ReplayPolicy } from '../../replay/keys.js';
import type { ReplayStore } from '../../replay/store.js';
import type { RequesterIdentity } from '../../rules/context.js';
import type { ChainVerifier } from '../../verify.js';

/** The resource server a token is issued for, as oidc-provider's getResourceServerInfo returns it. */
export interface ResolvedResourceServer extends ResourceServer {
  /** The resource indicator (RFC 8707). */
  identifier: string;
}

export interface DeferredBindingGrantOptions {
  verifier: ChainVerifier;
  replayStore: ReplayStore;
  /**
   * The resource server for this request, given the `resource` values it asked for (possibly none)
   * and, under token exchange, its RFC 8693 `audience` values. Return undefined to refuse
   * (invalid_target). Whatever it returns, every `audience` value must name the resource server
   * chosen (its identifier or `audience`), else invalid_target. Use `accessTokenFormat: 'jwt'` for
   * a JWT token. Called before the chain is consumed.
   */
  resourceServer: (
    ctx: KoaContextWithOIDC,
    requested: readonly string[],
    audience: readonly string[],
  ) => ResolvedResourceServer | undefined | Promise<ResolvedResourceServer | undefined>;
  /** The extension grant type to register. Default DEFERRED_BINDING_GRANT_TYPE. */
  grantType?: string;
  /** Also register RFC 8693 token exchange with the chain as subject_token. Default false. */
  tokenExchange?: boolean;
  /** The key the client authenticated with. Default: found for private_key_jwt and (with getCertificate) mTLS. */
  requesterKey?: (ctx: KoaContextWithOIDC) => Omit<RequesterIdentity, 'id'> | Promise<Omit<RequesterIdentity, 'id'>>;
  /** The client certificate of an mTLS request (same as features.mTLS.getCertificate). */
  getCertificate?: (ctx: KoaContextWithOIDC) => string | X509Certificate | undefined;
  /**
   * Require the requester to authenticate with the key the last link names in `may_act.cnf`
   * (private_key_jwt or mTLS, or what `requesterKey` finds). Default true: a client authenticated
   * by a shared secret alone is refused (requester_mismatch). Set false, explicitly, to let such
   * clients redeem chains on their client_id alone (SPEC-NOTES §8.3 step 6).
   */
  requireRequesterKey?: boolean;
  replayPolicy?: ReplayPolicy;
  clock?: () => Date;
  /**
   * The token's `cnf`: the chain's `tmb` copied (default, draft-richer-oauth-tmb-claim; a `jwk` stays
   * a `jwk`, which needs `formats.customizers.jwt: deferredBindingJwtCustomizer()` for JWT tokens), or
   * `jkt` to reduce a `jwk` to the thumbprint RFC 9449 resource servers read (SPEC-NOTES §8.4).
   */
  confirmation?: IssuedConfirmationForm;
}

/** Claims for the token being issued, found by extraTokenClaims. Keyed by the token object. */
const pendingClaims = new WeakMap<object, { claims: Record<string, unknown>; applied: boolean }>();

export type ExtraTokenClaims = (ctx: KoaContextWithOIDC, token: object) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>;

/**
 * The provider's `extraTokenClaims`: adds `act` and the deferred-binding record (and a copied `cnf`)
 * to tokens this grant issues, after any claims of `next` (which cannot replace them). Tokens of
 * other grants get `next`'s claims only.
 */
export function deferredBindingTokenClaims(next?: ExtraTokenClaims): ExtraTokenClaims {
  return async (ctx, token) => {
    const other = next === undefined ? undefined : await next(ctx, token);
    const own = pendingClaims.get(token);
    if (own === undefined) return other;
    own.applied = true;
    return { ...other, ...own.claims };
  };
}

const GRANT_PARAMETERS = [TMB_PARAMETER, TMB_PROOF_PARAMETER, 'scope', 'resource'];
// tmb_proof is accepted here only so that the processor sees it and refuses it (§8.2.3): a
// parameter not listed is dropped by oidc-provider before the grant runs.
const EXCHANGE_PARAMETERS = [
  TMB_PARAMETER, TMB_PROOF_PARAMETER, 'scope', 'resource', 'audience', 'subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'requested_token_type',
];

export function registerDeferredBindingGrant(provider: Provider, options: DeferredBindingGrantOptions): void {
  const verifier = options.requireRequesterKey === false ? options.verifier : keyBoundVerifier(options.verifier);
  const handler = async (ctx: KoaContextWithOIDC): Promise<void> => issue(provider, ctx, { ...options, verifier });
  const grantTypes = [options.grantType ?? DEFERRED_BINDING_GRANT_TYPE];
  provider.registerGrantType(grantTypes[0] as string, handler, GRANT_PARAMETERS, ['resource']);
  provider.use(introspectionCnf);
  if (options.tokenExchange === true) {
    provider.registerGrantType(TOKEN_EXCHANGE_GRANT_TYPE, handler, EXCHANGE_PARAMETERS, ['resource', 'audience']);
    grantTypes.push(TOKEN_EXCHANGE_GRANT_TYPE);
  }
  provider.use(clientAuthenticationErrors(new Set(grantTypes)));
}

async function issue(provider: Provider, ctx: KoaContextWithOIDC, options: DeferredBindingGrantOptions): Promise<void> {
  const client = ctx.oidc.client;
  if (client === undefined) throw new errors.InvalidClientAuth('client authentication failed');
  const params = { ...(ctx.oidc.params as Record<string, string | string[] | undefined>) };
  // The registered grant type name may be custom; the processor knows the profiles by their URIs.
  if (params.grant_type === options.grantType) params.grant_type = DEFERRED_BINDING_GRANT_TYPE;
  const now = options.clock?.() ?? new Date();
  let resourceServer: ResolvedResourceServer | undefined;
  const outcome = await processDeferredBindingRequest(params, {
    client: await requester(ctx, options),
    issuer: provider.issuer,
    verifier: options.verifier,
    replayStore: options.replayStore,
    now,
    profiles: options.tokenExchange === true ? ['grant', 'token_exchange'] : ['grant'],
    // §8.3 step 8, before the chain is consumed: a corrected retry must not find it burnt.
    resolveTarget: async (request) => {
      resourceServer = await chooseResourceServer(ctx, options, request);
      return { scope: grantedScope(request.scope, resourceServer) };
    },
    ...(options.replayPolicy === undefined ? {} : { replayPolicy: options.replayPolicy }),
    ...(options.confirmation === undefined ? {} : { confirmation: options.confirmation }),
  });
  if (!outcome.ok) throw providerError(outcome);
  if (resourceServer === undefined) throw new Error('transitive-proof: the target was not resolved');

  // Like the provider's client_credentials tokens, these belong to no Grant (no grantId): they are
  // for a resource server, not the userinfo endpoint. accountId makes the JWT's sub the chain's sub.
  const token = new provider.AccessToken({
    accountId: outcome.claims.sub,
    client,
    gty: outcome.grantType,
    scope: outcome.claims.scope,
  } as ConstructorParameters<Provider['AccessToken']>[0]);
  token.resourceServer = new provider.ResourceServer(resourceServer.identifier, resourceServer);
  await bind(token, outcome);
  capExpiry(token, outcome.claims.exp);

  const pending = { claims: { act: outcome.claims.act, ...bindingClaims(outcome) } as Record<string, unknown>, applied: false };
  pendingClaims.set(token, pending);
  ctx.oidc.entity('AccessToken', token);
  const value = await token.save();
  if (!pending.applied) {
    // Without the actor chain the token would misstate who acts: refuse rather than issue it.
    throw new Error('transitive-proof: configure the provider with extraTokenClaims: deferredBindingTokenClaims()');
  }
  if (needsCnfRewrite(pending.claims) && resourceServer.accessTokenFormat === 'jwt' && !rewritten.has(token)) {
    // The JWT would carry the thumbprint, not the configured cnf: refuse rather than issue it.
    throw new Error('transitive-proof: configure the provider with formats.customizers.jwt: deferredBindingJwtCustomizer()');
  }

  ctx.body = {
    access_token: value,
    token_type: token.tokenType,
    expires_in: Math.max(1, (token.exp as number) - epochSeconds()),
    ...(token.scope ? { scope: token.scope } : {}),
    ...(outcome.issuedTokenType === undefined ? {} : { issued_token_type: outcome.issuedTokenType }),
  };
}

/**
 * The requester as the processor sees it: undefined (invalid_client) for a public client
 * (`token_endpoint_auth_method: none`), which proved nothing; otherwise its id and the key it
 * authenticated with, if any.
 */
async function requester(ctx: KoaContextWithOIDC, options: DeferredBindingGrantOptions): Promise<RequesterIdentity | undefined> {
  const client = ctx.oidc.client;
  if (client === undefined || client.clientAuthMethod === 'none') return undefined;
  const key = options.requesterKey !== undefined ? await options.requesterKey(ctx) : await defaultRequesterKey(ctx, options);
  return { ...key, id: client.clientId };
}

/** oidc-provider's clock (epochTime): the one it stamps `iat` with and checks `exp` against. */
function epochSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Never outlive the chain, whatever happens between here and the save: `exp` is set as an absolute
 * time (oidc-provider then uses it as is) instead of a lifetime it would add to its clock later.
 */
function capExpiry(token: InstanceType<Provider['AccessToken']>, chainExp: number): void {
  const now = epochSeconds();
  const exp = Math.min(now + token.expiration, chainExp);
  if (exp <= now) throw new errors.CustomOIDCProviderError('invalid_grant', 'expired: the chain leaves no lifetime for a token');
  token.exp = exp;
}

/** The resource server of §8.3 step 8: the integrator's choice, and every `audience` must name it. */
async function chooseResourceServer(ctx: KoaContextWithOIDC, options: DeferredBindingGrantOptions, request: TargetRequest): Promise<ResolvedResourceServer> {
  const chosen = await options.resourceServer(ctx, request.resource, request.audience);
  if (chosen === undefined) throw new TransitiveProofError('target_invalid', 'the requested resource is not one this server issues tokens for');
  const names = new Set([chosen.identifier, ...(chosen.audience === undefined ? [] : [chosen.audience])]);
  if (request.audience.some((audience) => !names.has(audience))) {
    throw new TransitiveProofError('target_invalid', 'the requested audience is not the resource server the token is for');
  }
  return chosen;
}

/**
 * The granted scope narrowed to what the resource server knows (as the provider's own grants do).
 * Empty when it knows none of it: the processor then refuses (scope_exceeded, invalid_scope).
 */
function grantedScope(granted: string, resourceServer: ResolvedResourceServer): string {
  const known = resourceServer.scope === undefined ? undefined : new Set(resourceServer.scope.split(' '));
  return granted.split(' ').filter((token) => known === undefined || known.has(token)).join(' ');
}

/**
 * A verifier that also requires the requester to have authenticated with a key (which the verifier
 * has then matched against `may_act.cnf`, §6.2 step 16): a client_id alone does not prove who holds
 * a copied chain.
 */
function keyBoundVerifier(verifier: ChainVerifier): ChainVerifier {
  return {
    trust: verifier.trust,
    codecs: verifier.codecs,
    verify: async (chain, context) => {
      const verified = await verifier.verify(chain, context);
      if (context.requester.jkt === undefined && context.requester['x5t#S256'] === undefined) {
        throw new LinkError('requester_mismatch', verified.links.length - 1, 'the requester did not authenticate with the delegate key (private_key_jwt or mTLS)');
      }
      return verified;
    },
  };
}

/** oidc-provider's answers to a token request with no or contradictory client authentication. */
const CLIENT_AUTHENTICATION_MISSING = new Set(['no client authentication mechanism provided', 'client_id mismatch']);

/**
 * RFC 6749 §5.2: a request without client authentication is invalid_client (401), which oidc-provider
 * answers with 400 invalid_request before any grant runs. For this integration's grant types the
 * answer is rewritten (SPEC-NOTES §8.6).
 */
function clientAuthenticationErrors(grantTypes: ReadonlySet<string>) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    await next();
    const body = ctx.body as { error?: unknown; error_description?: unknown } | undefined;
    if (ctx.status !== 400 || body?.error !== 'invalid_request' || typeof body.error_description !== 'string') return;
    if (!CLIENT_AUTHENTICATION_MISSING.has(body.error_description)) return;
    const grantType = (ctx.oidc?.params as Record<string, unknown> | undefined)?.grant_type;
    if (ctx.oidc?.route !== 'token' || typeof grantType !== 'string' || !grantTypes.has(grantType)) return;
    ctx.status = 401;
    ctx.body = { error: 'invalid_client', error_description: `requester_unauthenticated: ${body.error_description}` };
    ctx.set('WWW-Authenticate', `Basic realm="${ctx.oidc.provider.issuer}"`);
  };
}

/**
 * The binding as oidc-provider models it (its `jkt` or `x5t#S256`), so the provider treats the token
 * as sender-constrained (`token_type` DPoP, introspection `cnf`) whatever form `cnf` takes.
 */
async function bind(token: InstanceType<Provider['AccessToken']>, outcome: DeferredBindingSuccess): Promise<void> {
  const cnf = outcome.chain.cnf;
  if ('x5t#S256' in cnf) {
    // setThumbprint('x5t', ...) wants the certificate, which the deferred binding names only by hash.
    (token as unknown as Record<string, unknown>)['x5t#S256'] = cnf['x5t#S256'];
  } else {
    token.setThumbprint('jkt', (await confirmationJkt(cnf)) as string);
  }
}

/**
 * The token's own claims about its binding: the deferred-binding record (§8.4.1) and, when `cnf` is
 * not the form oidc-provider renders (a `jwk` copied from `tmb`), that `cnf`, which
 * deferredBindingJwtCustomizer and the introspection hook put in place of the provider's.
 */
function bindingClaims(outcome: DeferredBindingSuccess): Record<string, unknown> {
  const cnf = outcome.claims.cnf;
  return { [DEFERRED_BINDING_CLAIM]: outcome.record, ...('jwk' in cnf ? { cnf } : {}) };
}

function needsCnfRewrite(extra: Readonly<Record<string, unknown>> | undefined): boolean {
  return extra !== undefined && Object.hasOwn(extra, DEFERRED_BINDING_CLAIM) && Object.hasOwn(extra, 'cnf');
}

/** Tokens whose JWT cnf deferredBindingJwtCustomizer has put in place. */
const rewritten = new WeakSet<object>();

export type JwtCustomizer = (ctx: KoaContextWithOIDC, token: object, jwt: { header?: Record<string, unknown>; payload: Record<string, unknown> }) => void | Promise<void>;

/**
 * The provider's `formats.customizers.jwt`: in a JWT access token this grant issued, `cnf` is the
 * token's own (the chain's `tmb` copied) instead of the provider's thumbprint. After `next`, which
 * cannot replace it. Other tokens get `next` only.
 */
export function deferredBindingJwtCustomizer(next?: JwtCustomizer): JwtCustomizer {
  return async (ctx, token, jwt) => {
    if (next !== undefined) await next(ctx, token, jwt);
    const extra = (token as { extra?: Record<string, unknown> }).extra;
    if (!needsCnfRewrite(extra)) return;
    jwt.payload.cnf = extra?.cnf;
    rewritten.add(token);
  };
}

/**
 * Introspection (RFC 7662) of an opaque token this grant issued: the provider renders `cnf` from its
 * thumbprint; put the token's own `cnf` (the chain's `tmb`) in its place. A signed or encrypted
 * (JWT) introspection response is left as the provider built it: its `cnf` is the thumbprint.
 */
async function introspectionCnf(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
  await next();
  if (ctx.oidc?.route !== 'introspection') return;
  const body = ctx.body as Record<string, unknown> | undefined;
  const token = ctx.oidc.entities.AccessToken as { extra?: Record<string, unknown> } | undefined;
  if (body === null || typeof body !== 'object' || body.active !== true || token === undefined || !needsCnfRewrite(token.extra)) return;
  body.cnf = token.extra?.cnf;
}

function providerError(outcome: DeferredBindingFailure): Error {
  const { error, error_description: description } = outcome.error;
  if (error === 'server_error') return new Error('transitive-proof: the deferred-binding request could not be processed', { cause: outcome.cause });
  if (error === 'invalid_client') return new errors.InvalidClientAuth(description);
  return new errors.CustomOIDCProviderError(error, description);
}

/**
 * The key of a private_key_jwt client (the one of its registered `jwks` that verifies the assertion)
 * or the certificate of an mTLS client. Keys registered only by `jwks_uri` are not resolved here:
 * pass `requesterKey` to handle them.
 */
async function defaultRequesterKey(ctx: KoaContextWithOIDC, options: DeferredBindingGrantOptions): Promise<Omit<RequesterIdentity, 'id'>> {
  const client = ctx.oidc.client;
  const method = client?.clientAuthMethod;
  if (method === 'private_key_jwt') {
    const assertion = (ctx.oidc.params as Record<string, unknown> | undefined)?.client_assertion;
    const keys = client?.jwks?.keys;
    if (typeof assertion !== 'string' || keys === undefined) return {};
    const header = decodeProtectedHeader(assertion);
    for (const jwk of keys as JWK[]) {
      if (header.kid !== undefined && jwk.kid !== header.kid) continue;
      try {
        await compactVerify(assertion, await importJWK(jwk, header.alg));
        return { jkt: await calculateJwkThumbprint(jwk) };
      } catch {
        // Not this key.
      }
    }
    return {};
  }
  if ((method === 'tls_client_auth' || method === 'self_signed_tls_client_auth') && options.getCertificate !== undefined) {
    const certificate = options.getCertificate(ctx);
    if (certificate === undefined) return {};
    const der = typeof certificate === 'string' ? new X509Certificate(certificate).raw : certificate.raw;
    return { 'x5t#S256': createHash('sha256').update(der).digest('base64url') };
  }
  return {};
}
