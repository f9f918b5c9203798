export { buildDeferredBindingRequest, type DeferredBindingRequestInput, type DeferredBindingRequest, type DeferredBindingRequestFields } from './request.js';
