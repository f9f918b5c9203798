export { registerDeferredBindingGrant, deferredBindingTokenClaims, type DeferredBindingGrantOptions, type ResolvedResourceServer } from './grant.js';
