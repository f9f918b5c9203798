/**
 * Inspecting a chain: the view every shell shows (inspectChain), input as people paste it
 * (readChainInput), certificates and CBOR in words, and verification as an outcome value.
 */
export { inspectChain, describeConfirmation } from './view.js';
export type { ChainView, LinkView, PartyView, ScopeView, ValidityView, WindowState, InspectOptions, KeyDescription } from './view.js';
export { readChainInput } from './input.js';
export { linkDiagnosticNotation } from './diagnostic.js';
export { summarizeCertificates, type CertificateSummary } from './certificates.js';
export { verifyOutcome, type VerificationOutcome } from './verify.js';
export { previewDisclosure, PREVIEW_POLICIES, type DisclosureView } from './disclosure.js';
export { readSelectorList, describeSelectors, type DisclosurePolicy, type DisclosureProfile, type ActorSelector } from '../as/disclosure.js';
