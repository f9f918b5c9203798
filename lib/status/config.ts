/**
 * The `status` member of the trust configuration (SPEC-NOTES.md §5.1), compiled: which Status List
 * Tokens the verifier accepts, for which URIs, signed by which keys, and what it does when a list
 * cannot be had.
 */
import type { StatusConfig, StatusUnavailablePolicy, FetchLike } from '../ports.js';
import { invalidArgument } from '../errors.js';
import { assertPublicJwk } from '../keys/keys.js';
import type { PublicJwk, SignatureAlgorithm } from '../model/types.js';
import { SIGNATURE_ALGORITHMS } from '../runtime/algorithms.js';
import { DEFAULT_MAX_LIST_BYTES } from './list.js';
import { RemoteKeySet } from './remote-keys.js';
import { assertFetchableUri } from './uri.js';

export interface CompiledStatusIssuer {
  uris: ReadonlySet<string>;
  uriPrefixes: readonly string[];
  keys(header: { alg: string; kid?: string | undefined }): Promise<PublicJwk[]>;
  algorithms: ReadonlySet<SignatureAlgorithm>;
}

export interface CompiledStatusConfig {
  issuers: readonly CompiledStatusIssuer[];
  unavailable: StatusUnavailablePolicy;
  timeoutMs: number;
  maxTokenBytes: number;
  maxListBytes: number;
  cacheEntries: number;
  maxCacheSeconds: number;
  failureCacheSeconds: number;
}

export const STATUS_DEFAULTS = { timeoutMs: 5000, maxTokenBytes: 1_048_576, maxListBytes: DEFAULT_MAX_LIST_BYTES, cacheEntries: 64, maxCacheSeconds: 300, failureCacheSeconds: 5 } as const;

/** Compile an already schema-validated `status` member; URIs and keys are checked here. */
export function compileStatusConfig(config: StatusConfig, allowed: ReadonlySet<SignatureAlgorithm>, options: { fetch?: FetchLike } = {}): CompiledStatusConfig {
  const issuers = config.issuers.map((issuer, i): CompiledStatusIssuer => {
    const where = `status.issuers[${i}]`;
    for (const uri of issuer.uris ?? []) assertFetchableUri(uri, `${where}.uris:`);
    for (const prefix of issuer.uriPrefixes ?? []) {
      assertFetchableUri(prefix, `${where}.uriPrefixes:`);
      if (!prefix.endsWith('/') || new URL(prefix).pathname === '/') {
        throw invalidArgument(`${where}.uriPrefixes: ${prefix} must end in "/" and name a path below the origin`);
      }
    }
    let keys: CompiledStatusIssuer['keys'];
    if (issuer.jwksUri !== undefined) {
      const remote = new RemoteKeySet(issuer.jwksUri, { timeoutMs: config.timeoutMs ?? STATUS_DEFAULTS.timeoutMs, ...(options.fetch === undefined ? {} : { fetch: options.fetch }) });
      keys = (header) => remote.keys(header);
    } else {
      const jwks = issuer.jwks?.keys ?? [];
      jwks.forEach((key, k) => {
        try {
          assertPublicJwk(key, `${where}.jwks.keys[${k}]`);
        } catch (error) {
          throw invalidArgument(`trust configuration: ${(error as Error).message}`);
        }
      });
      keys = async () => jwks;
    }
    return {
      uris: new Set(issuer.uris ?? []),
      uriPrefixes: issuer.uriPrefixes ?? [],
      keys,
      algorithms: new Set((issuer.algorithms ?? SIGNATURE_ALGORITHMS).filter((alg) => allowed.has(alg))),
    };
  });
  return {
    issuers,
    unavailable: config.unavailable ?? 'reject',
    timeoutMs: config.timeoutMs ?? STATUS_DEFAULTS.timeoutMs,
    maxTokenBytes: config.maxTokenBytes ?? STATUS_DEFAULTS.maxTokenBytes,
    maxListBytes: config.maxListBytes ?? STATUS_DEFAULTS.maxListBytes,
    cacheEntries: config.cacheEntries ?? STATUS_DEFAULTS.cacheEntries,
    maxCacheSeconds: config.maxCacheSeconds ?? STATUS_DEFAULTS.maxCacheSeconds,
    failureCacheSeconds: config.failureCacheSeconds ?? STATUS_DEFAULTS.failureCacheSeconds,
  };
}

/** The configured issuer for `uri`, or undefined: a URI no issuer names is never fetched. */
export function statusIssuerFor(config: CompiledStatusConfig, uri: string): CompiledStatusIssuer | undefined {
  return config.issuers.find((issuer) => issuer.uris.has(uri) || issuer.uriPrefixes.some((prefix) => uri.startsWith(prefix)));
}
