export { createDpopProof, verifyDpopProof, accessTokenHash, normalizeHtu, DpopError, DPOP_TYP, DEFAULT_DPOP_ALGORITHMS, DEFAULT_DPOP_MAX_AGE_SECONDS, DEFAULT_DPOP_CLOCK_TOLERANCE_SECONDS } from './proof.js';
export type { CreateDpopProofInput, VerifyDpopProofOptions, VerifiedDpopProof, DpopFailureReason } from './proof.js';
export { verifyDpopPresentation, dpopAccessToken, dpopChallenge, type DpopPresentation, type DpopPresentationOptions, type VerifiedDpopPresentation } from './presentation.js';
