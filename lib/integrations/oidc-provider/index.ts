export { registerDeferredBindingGrant, deferredBindingTokenClaims, deferredBindingJwtCustomizer, type DeferredBindingGrantOptions, type ResolvedResourceServer } from './grant.js';
