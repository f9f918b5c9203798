/**
 * The token-request profiles of a deferred binding (SPEC-NOTES.md §8.1, §8.2): parameter names,
 * grant types and token type URIs shared by the client and the authorization server.
 *
 * The `urn:transitive-proof:` identifiers are private to this project: no such URN namespace is
 * registered, and nothing here is registered with IANA. They are stable within this project and
 * will be replaced if the draft registers its own values.
 */

/** The target confirmation (RFC 7800 cnf form, JSON text): draft-richer-oauth-tmb-claim's parameter. */
export const TMB_PARAMETER = 'tmb';
/** The chain (compact text form) justifying the deferred binding, in the plain profiles. */
export const TMB_PROOF_PARAMETER = 'tmb_proof';

/** Extension grant type (RFC 6749 §4.5) for a deferred-binding request. Project-private, unregistered. */
export const DEFERRED_BINDING_GRANT_TYPE = 'urn:transitive-proof:grant-type:deferred-binding';
/** RFC 6749 §4.4: `tmb` + `tmb_proof` may also ride on a client credentials request. */
export const CLIENT_CREDENTIALS_GRANT_TYPE = 'client_credentials';
/** RFC 8693 §2.1. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §3 token type of a chain passed as `subject_token`. Project-private, unregistered. */
export const TMB_CHAIN_TOKEN_TYPE = 'urn:transitive-proof:token-type:tmb-chain';
/** RFC 8693 §3: what a token exchange issues. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

export type DeferredBindingProfile = 'grant' | 'client_credentials' | 'token_exchange';

export const GRANT_TYPE_PROFILES: ReadonlyMap<string, DeferredBindingProfile> = new Map([
  [DEFERRED_BINDING_GRANT_TYPE, 'grant'],
  [CLIENT_CREDENTIALS_GRANT_TYPE, 'client_credentials'],
  [TOKEN_EXCHANGE_GRANT_TYPE, 'token_exchange'],
]);

/** Parameters that may repeat (RFC 8707 §2 `resource`, RFC 8693 §2.1 `audience`); no other may. */
export const REPEATABLE_PARAMETERS: ReadonlySet<string> = new Set(['resource', 'audience']);

/** The token-exchange parameters of RFC 8693 §2.1 this processing reads. */
const EXCHANGE_ONLY = ['audience', 'subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'requested_token_type'] as const;

/**
 * The parameters each profile defines (§8.2), besides client authentication's: the only ones §8.3
 * step 3 checks. Any other is ignored (RFC 6749 §3.1), not counted, not checked for repetition, as
 * oidc-provider drops it before a grant runs. `tmb_proof` is defined under token exchange so that it
 * is refused there rather than silently ignored (one chain, one place).
 */
export const PROFILE_PARAMETERS: Readonly<Record<DeferredBindingProfile, readonly string[]>> = Object.freeze({
  grant: [TMB_PARAMETER, TMB_PROOF_PARAMETER, 'scope', 'resource'],
  client_credentials: [TMB_PARAMETER, TMB_PROOF_PARAMETER, 'scope', 'resource'],
  token_exchange: [TMB_PARAMETER, TMB_PROOF_PARAMETER, 'scope', 'resource', ...EXCHANGE_ONLY],
});

/** Read by every profile: the grant type (step 2) and a client_id beside the client's authentication (step 1). */
export const COMMON_PARAMETERS: readonly string[] = ['grant_type', 'client_id'];
