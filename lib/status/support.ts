/**
 * The object that enables Token Status Lists in a verifier (a trust configuration's `status`
 * section): `createVerifier(trust, { status: statusSupport })`. Passed explicitly, so that a
 * verifier without status lists does not load the Status List Token code (and its CBOR decoder).
 */
import type { StatusListSource, StatusSupport, StatusConfig, FetchLike } from '../ports.js';
import type { Limits } from '../model/limits.js';
import type { SignatureAlgorithm } from '../model/types.js';
import { compileStatusConfig } from './config.js';
import { StatusListFetcher } from './fetcher.js';

export const statusSupport: StatusSupport = Object.freeze({
  createStatusSource: (config: StatusConfig, algorithms: ReadonlySet<SignatureAlgorithm>, limits: Limits, options: { fetch?: FetchLike }): StatusListSource =>
    new StatusListFetcher(compileStatusConfig(config, algorithms, options), limits, options),
});
