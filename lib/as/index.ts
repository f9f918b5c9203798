/**
 * The `transitive-proof/as` entry: the authorization-server side of a deferred binding
 * (SPEC-NOTES.md §8): request processing, replay stores, DPoP at the resource server.
 */
export { processDeferredBindingRequest, tokenErrorResponse } from './process.js';
export type { DeferredBindingRequestOptions, DeferredBindingOutcome, DeferredBindingSuccess, DeferredBindingFailure, IssuedTokenClaims, IssuedConfirmation, OAuthErrorBody, ProcessingStep } from './process.js';
export { chooseResourceServer, narrowScope, policyResolver, tokenExpiry, type ResourceServerPolicy, type TargetPolicy, type TargetRequest, type TargetResolver } from './target.js';
export { readParameters, collectParameters, checkParameters, DEFAULT_PARAMETER_LIMITS, type TokenRequestParams, type ParameterLimits, type ReadParameters, type CollectedParameters } from './params.js';
export { parseTmbParameter, MAX_TMB_LENGTH } from './tmb.js';
export * from './profile.js';
export { DEFERRED_BINDING_CLAIM, readDeferredBindingRecord, readDisclosedActors, deferredBindingRecord, chainRecordMembers, issuedConfirmation, type DeferredBindingRecord, type ChainRecordMembers, type IssuedConfirmationForm } from './issued-token.js';
export { DELEGATION_CHAIN_CLAIM, delegationChainClaim, assertDelegationChainDisclosure, canonicalJson, type DelegationRecord, type DelegationChainSigner } from './delegation-chain.js';
export { discloseActors, readDisclosurePolicy, readSelectorList, describeSelectors, countDisclosed, actorsOfAct, FULL_DISCLOSURE, DISCLOSURE_PROFILES, type DisclosurePolicy, type DisclosureProfile, type ActorSelector, type ActorDisclosure } from './disclosure.js';
export * from '../replay/index.js';
export * from '../dpop/index.js';
