/**
 * The `transitive-proof/status` entry. Withdrawing links (SPEC-NOTES.md §3.5, §5.1, §6.2 step 17a): Token Status Lists
 * (draft-ietf-oauth-status-list), a store of revoked link hashes, and keys from a `jwks_uri`.
 */
export { STATUS_BITS, STATUS_VALID, STATUS_INVALID, STATUS_SUSPENDED, DEFAULT_MAX_LIST_BYTES, readStatus, writeStatus, emptyStatusList, deflateStatusList, inflateStatusList, isStatusBits } from './list.js';
export type { StatusBits, StatusListFormat, VerifiedStatusList, StatusSupport, StatusListSource, RemoteKeySupport, KeySetSource, StatusConfig, StatusListIssuerConfig, StatusUnavailablePolicy, FetchLike, RevocationStore } from '../ports.js';
export { STATUS_LIST_JWT_TYP, STATUS_LIST_CWT_TYP, STATUS_LIST_CWT_KEYS, createStatusListToken, verifyStatusListToken, statusListFormat, readStatusListTokenUnverified, type StatusListSigner, type StatusListTokenInput, type StatusListVerifyOptions } from './token.js';
export { StatusListFetcher } from './fetcher.js';
export { remoteKeySupport } from './support.js';
export { statusSupport } from '../rules/status-support.js';
export { compileStatusConfig, statusIssuerFor, STATUS_DEFAULTS, type CompiledStatusConfig, type CompiledStatusIssuer } from './config.js';
export { RemoteKeySet, DEFAULT_MAX_JWKS_BYTES, type RemoteKeySetOptions } from './remote-keys.js';
export { fetchableUriProblem, isLoopbackHost } from './uri.js';
export {
  MemoryRevocationStore, RedisRevocationStore, DEFAULT_REVOCATION_KEY_PREFIX,
  type RevocationRedisLike, type RedisRevocationStoreOptions, type MemoryRevocationStoreOptions,
} from './revocation.js';
