/**
 * The `transitive-proof/as` entry: the authorization-server side of a deferred binding
 * (SPEC-NOTES.md §8): request processing, replay stores, DPoP at the resource server.
 */
export { processDeferredBindingRequest, tokenErrorResponse } from './process.js';
export type { DeferredBindingRequestOptions, DeferredBindingOutcome, DeferredBindingSuccess, DeferredBindingFailure, IssuedTokenClaims, IssuedConfirmation, OAuthErrorBody, TargetRequest, TargetDecision } from './process.js';
export { readParameters, DEFAULT_PARAMETER_LIMITS, type TokenRequestParams, type ParameterLimits, type ReadParameters } from './params.js';
export { parseTmbParameter, MAX_TMB_LENGTH } from './tmb.js';
export * from './profile.js';
export { DEFERRED_BINDING_CLAIM, readDeferredBindingRecord, deferredBindingRecord, issuedConfirmation, type DeferredBindingRecord, type IssuedConfirmationForm } from './issued-token.js';
export * from '../replay/index.js';
export * from '../dpop/index.js';
