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
// Node-only entry: oidc-provider hands a client certificate over as PEM or node:crypto's X509Certificate
// (exempt from the seam for that type alone, test/runtime/seam.test.ts); hashing goes through #runtime.
import { X509Certificate, createPublicKey, type JsonWebKey } from 'node:crypto';
import { sha256Base64url } from '#runtime';
import { decodeProtectedHeader } from 'jose/decode/protected_header';
import { compactVerify } from 'jose/jws/compact/verify';
import { errors, type KoaContextWithOIDC, type Provider, type ResourceServer } from 'oidc-provider';
import { processDeferredBindingRequest, type DeferredBindingFailure, type DeferredBindingSuccess } from '../../as/process.js';
import { LinkError } from '../../errors.js';
import { DEFERRED_BINDING_GRANT_TYPE, PROFILE_PARAMETERS, TOKEN_EXCHANGE_GRANT_TYPE } from '../../as/profile.js';
import { DEFERRED_BINDING_CLAIM, type IssuedConfirmationForm } from '../../as/issued-token.js';
import { confirmationJkt } from '../../keys/confirmation.js';
import { jwkThumbprint } from '../../keys/keys.js';
import type { PublicJwk } from '../../model/types.js';
import { readDisclosurePolicy, FULL_DISCLOSURE, type DisclosurePolicy } from '../../as/disclosure.js';
import { assertDelegationChainDisclosure, delegationChainClaim, DELEGATION_CHAIN_CLAIM, type DelegationChainSigner, type DelegationRecord } from '../../as/delegation-chain.js';
import type { ReplayPolicy } from '../../replay/keys.js';
import type { ReplayStore } from '../../ports.js';
import type { RequesterIdentity } from '../../rules/context.js';
import type { ChainVerifier } from '../../verify.js';

/** The resource server a token is issued for, as oidc-provider's getResourceServerInfo returns it. */
export interface ResolvedResourceServer extends ResourceServer {
  /** The resource indicator (RFC 8707). */
  identifier: string;
  /** How much of the chain this resource server's tokens name in `act` (SPEC-NOTES §8.4.2). Default: the grant's `disclosure`. */
  disclosure?: DisclosurePolicy;
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
   * clients redeem chains on their client_id alone (SPEC-NOTES §8.3 step 7).
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
  /**
   * The disclosure policy of resource servers that state none (SPEC-NOTES §8.4.2): `full` (default),
   * `subset` or `actor-only`. The token's `act`, its deferred-binding record and introspection follow it.
   */
  disclosure?: DisclosurePolicy;
  /**
   * Also emit draft-liu-oauth-chain-delegation's `delegation_chain` claim, signed with this AS key
   * (SPEC-NOTES §11.1). Only with `full` disclosure (any other policy: invalid_argument) and for
   * chains whose identifiers are absolute URIs (others: refused at §8.3 step 8, server_error,
   * before the chain is consumed).
   */
  delegationChain?: DelegationChainSigner;
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

// The parameters §8.2 defines (lib/as/profile.ts): oidc-provider drops every other before the grant
// runs. tmb_proof is among token exchange's only so that the processing sees it and refuses it.
const GRANT_PARAMETERS = [...PROFILE_PARAMETERS.grant];
const EXCHANGE_PARAMETERS = [...PROFILE_PARAMETERS.token_exchange];

export function registerDeferredBindingGrant(provider: Provider, options: DeferredBindingGrantOptions): void {
  // A policy that cannot be read is a configuration fault: found now, not at the first request.
  if (options.disclosure !== undefined) readDisclosurePolicy(options.disclosure);
  if (options.delegationChain !== undefined) assertDelegationChainDisclosure(readDisclosurePolicy(options.disclosure ?? FULL_DISCLOSURE));
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
  let delegationChain: DelegationRecord[] | undefined;
  const outcome = await processDeferredBindingRequest(params, {
    client: await requester(ctx, options),
    issuer: provider.issuer,
    verifier: options.verifier,
    replayStore: options.replayStore,
    now,
    profiles: options.tokenExchange === true ? ['grant', 'token_exchange'] : ['grant'],
    // §8.3 step 9, before the chain is consumed: a corrected retry must not find it burnt. The
    // processing holds the answer to step 9's rules and narrows the scope to it (step 10).
    resolveTarget: async (request) => {
      resourceServer = await options.resourceServer(ctx, request.resource, request.audience);
      if (resourceServer !== undefined && options.delegationChain !== undefined) {
        // Only under full disclosure, and only for a chain the record can name (§11.1): before anything is consumed.
        assertDelegationChainDisclosure(readDisclosurePolicy(resourceServer.disclosure ?? options.disclosure ?? FULL_DISCLOSURE));
        delegationChain = await delegationChainClaim(request.chain, provider.issuer, options.delegationChain);
      }
      return resourceServer;
    },
    ...(options.replayPolicy === undefined ? {} : { replayPolicy: options.replayPolicy }),
    ...(options.confirmation === undefined ? {} : { confirmation: options.confirmation }),
    ...(options.disclosure === undefined ? {} : { disclosure: options.disclosure }),
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
  const { disclosure: _disclosure, ...providerResourceServer } = resourceServer;
  token.resourceServer = new provider.ResourceServer(resourceServer.identifier, providerResourceServer);
  await bind(token, outcome);
  capExpiry(token, outcome.claims.exp);

  const claims: Record<string, unknown> = { act: outcome.claims.act, ...bindingClaims(outcome) };
  if (delegationChain !== undefined) claims[DELEGATION_CHAIN_CLAIM] = delegationChain;
  const pending = { claims, applied: false };
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
  const key = options.requesterKey !== undefined ? await options.requesterKey(ctx) : await authenticatedClientKey(ctx, options.getCertificate);
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

/**
 * A verifier that also requires the requester to have authenticated with a key (which the verifier
 * has then matched against `may_act.cnf`, §6.2 step 16): a client_id alone does not prove who holds
 * a copied chain.
 */
function keyBoundVerifier(verifier: ChainVerifier): ChainVerifier {
  return {
    trust: verifier.trust,
    services: verifier.services,
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
 * The key a private_key_jwt client authenticated with, as oidc-provider selected it: the one key of
 * its key set (registered `jwks`, or `jwks_uri` as the provider fetched it) that fits the
 * assertion's `alg` and `kid`. A registered key set never changes under a client, and the provider
 * has verified the assertion with that key: it is not verified again. A `jwks_uri` key set is
 * refreshed in place, by any request of the client once it is stale, so between this request's
 * authentication and here it may hold another key under the same `kid` (a rotation that reused
 * it): the assertion is checked against the key reported, and no key is reported when it does not
 * verify. When several keys fit (an assertion without `kid`, a client with two keys of its
 * algorithm) the provider tried them in turn and says not which one verified: no key is reported,
 * which fails closed (requester_mismatch under the key requirement). mTLS: the certificate's hash.
 */
export async function authenticatedClientKey(ctx: KoaContextWithOIDC, getCertificate?: DeferredBindingGrantOptions['getCertificate']): Promise<Omit<RequesterIdentity, 'id'>> {
  const client = ctx.oidc.client;
  const method = client?.clientAuthMethod;
  if (method === 'private_key_jwt') {
    const assertion = (ctx.oidc.params as Record<string, unknown> | undefined)?.client_assertion;
    const keystore = (client as unknown as { asymmetricKeyStore?: ClientKeyStore } | undefined)?.asymmetricKeyStore;
    if (typeof assertion !== 'string' || keystore === undefined) return {};
    const { alg, kid } = decodeProtectedHeader(assertion);
    const candidates = keystore.selectForVerify({ alg, kid });
    if (candidates.length !== 1) return {};
    if (keystore.jwksUri !== undefined && !(await assertionVerifiesWith(assertion, candidates[0] as PublicJwk, alg))) return {};
    // The library's one thumbprint (lib/keys): synchronous on Node, where jose's digests through
    // WebCrypto, about 85 µs of AS CPU per request (bench/as-cost.ts profile).
    return { jkt: await jwkThumbprint(candidates[0] as PublicJwk) };
  }
  if ((method === 'tls_client_auth' || method === 'self_signed_tls_client_auth') && getCertificate !== undefined) {
    const certificate = getCertificate(ctx);
    if (certificate === undefined) return {};
    const der = typeof certificate === 'string' ? new X509Certificate(certificate).raw : certificate.raw;
    return { 'x5t#S256': await sha256Base64url(new Uint8Array(der.buffer, der.byteOffset, der.byteLength)) };
  }
  return {};
}

/** The part of oidc-provider's client key store (lib/models/client.js) its own private_key_jwt check selects keys with. */
interface ClientKeyStore {
  /** The client's `jwks_uri`: set when the key set is fetched, and so refreshed in place. */
  readonly jwksUri?: string | undefined;
  selectForVerify(options: { alg?: string | undefined; kid?: string | undefined }): readonly object[];
}

/** Whether `assertion` (a compact JWS the provider accepted) is signed by `jwk` with `alg`. */
async function assertionVerifiesWith(assertion: string, jwk: PublicJwk, alg: string | undefined): Promise<boolean> {
  if (alg === undefined) return false;
  try {
    await compactVerify(assertion, createPublicKey({ key: jwk as unknown as JsonWebKey, format: 'jwk' }), { algorithms: [alg] });
    return true;
  } catch {
    return false;
  }
}
