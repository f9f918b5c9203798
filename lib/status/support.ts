/**
 * What `statusSupport` (lib/rules/status-support.ts, the object that enables Token Status Lists in a
 * verifier) has from this folder: the `status` section's validator and the list source. Passed
 * explicitly, so that a verifier without status lists does not load the Status List Token code (and
 * its CBOR decoder).
 */
import type { KeySetSource, RemoteKeySupport, StatusListSource, StatusSupport, StatusConfig, FetchLike } from '../ports.js';
import type { Limits } from '../model/limits.js';
import type { SchemaValidator } from '../model/schemas.js';
import { statusConfig } from '../model/status-validators.generated.js';
import type { SignatureAlgorithm } from '../model/types.js';
import { compileStatusConfig } from './config.js';
import { StatusListFetcher } from './fetcher.js';
import { RemoteKeySet } from './remote-keys.js';

export const statusListSupport: Omit<StatusSupport, 'checkStatusLists'> = Object.freeze({
  configValidator: statusConfig as SchemaValidator,
  createStatusSource: (config: StatusConfig, algorithms: ReadonlySet<SignatureAlgorithm>, limits: Limits, options: { fetch?: FetchLike }): StatusListSource =>
    new StatusListFetcher(compileStatusConfig(config, algorithms, options), limits, options),
});

/**
 * The object that lets issuer roots name their keys by `jwksUri` (SPEC-NOTES.md §5):
 * `createVerifier(trust, { remoteKeys: remoteKeySupport })`. Passed explicitly, so that a verifier
 * whose keys are all in its configuration carries no fetching code (jose's remote key sets).
 */
export const remoteKeySupport: RemoteKeySupport = Object.freeze({
  createKeySet: (uri: string, options: { fetch?: FetchLike }): KeySetSource => new RemoteKeySet(uri, options),
});
