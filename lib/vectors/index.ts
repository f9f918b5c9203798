/**
 * The `transitive-proof/vectors` entry: the shared test vector checker (Node: it reads files).
 * It enables every optional part (COSE, X.509, status lists), as the vectors use them all.
 */
export { checkVectors, formatReport, type CheckReport, type VectorFailure } from './check.js';
export { VECTOR_FORMAT_VERSION, TEST_KEYS_WARNING } from './types.js';
export type { Vector, VectorIndex, VectorIndexEntry, VectorContext, VectorLink, VectorStatusList, ExpectedOutcome, ExpectedResult } from './types.js';
export { checkAsVectors, runAsVector } from './as-check.js';
export type { AsVector, AsVectorIndex, AsVectorIndexEntry, AsVectorPolicy, AsVectorRequest, AsExpected, AsIssuedToken } from './as-types.js';
