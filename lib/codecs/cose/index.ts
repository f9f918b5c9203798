/**
 * The `transitive-proof/cose` entry: the CBOR/COSE encoding of links (SPEC-NOTES.md §4.3). Pass
 * `coseCodec` where CBOR chains are read or minted: `{ codecs: [coseCodec] }` (never registered by import).
 */

export { coseCodec, COSE_LINK_TYP } from './codec.js';
export { COSE_SIGN1_TAG, decodeSign1, sigStructure, signSign1, verifySign1, type Sign1, type Sign1Input } from './sign1.js';
export { algorithmLabel, algorithmName, type Sign1Profile } from './algorithms.js';
export { HeaderLabel, type CoseHeaders } from './headers.js';
export { CWT_CLAIM_KEYS, claimsToCwt, cwtToClaims, decodeClaims, encodeClaims } from './claims.js';
export { decodeStrict, encodeDeterministic, scanOne, type CborKey, type CborMap, type CborValue, type ItemSpan, type ScanProfile } from './cbor.js';
