/**
 * Fetching Status List Tokens as a relying party should (SPEC-NOTES.md §5.1, §6.2 step 17a): only
 * URIs the configuration names, an injectable `fetch`, no redirects, a timeout, a size limit, and a
 * bounded cache kept no longer than the token's `ttl`, its `exp` and `maxCacheSeconds` allow.
 * Concurrent requests for one URI share one fetch; a failed fetch is remembered for
 * `failureCacheSeconds` (bounded like the cache), so a failing list costs one fetch per interval.
 */
import { TransitiveProofError } from '../errors.js';
import { KeyImportCache } from '../keys/keys.js';
import type { Limits } from '../model/limits.js';
import { statusIssuerFor, type CompiledStatusConfig } from './config.js';
import { verifyStatusListToken } from './token.js';
import type { VerifiedStatusList, FetchLike } from '../ports.js';
import { fetchableUriProblem, fetchWithin, readBounded } from './uri.js';

const ACCEPT = 'application/statuslist+jwt, application/statuslist+cwt';

interface CacheEntry {
  list: VerifiedStatusList;
  /** NumericDate after which the list is fetched again. */
  until: number;
}

export class StatusListFetcher {
  readonly #config: CompiledStatusConfig;
  readonly #fetch: FetchLike;
  readonly #limits: Limits;
  readonly #keyCache = new KeyImportCache(64);
  readonly #cache = new Map<string, CacheEntry>();
  readonly #inFlight = new Map<string, Promise<VerifiedStatusList>>();
  /** URI → the failure of its last fetch and until when (NumericDate) it is answered without fetching. */
  readonly #failures = new Map<string, { error: TransitiveProofError; until: number }>();

  constructor(config: CompiledStatusConfig, limits: Limits, options: { fetch?: FetchLike } = {}) {
    this.#config = config;
    this.#limits = limits;
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  get policy(): CompiledStatusConfig['unavailable'] {
    return this.#config.unavailable;
  }

  /** Whether `uri` is one the configuration allows fetching (canonical, HTTPS or loopback, named by an issuer). */
  covers(uri: string): boolean {
    return fetchableUriProblem(uri) === undefined && statusIssuerFor(this.#config, uri) !== undefined;
  }

  /**
   * The verified list published at `uri`, from the cache while it is fresh. `status_unavailable`
   * when the URI is not configured (never fetched) or the fetch fails; `status_list_invalid` when
   * what arrives is not an acceptable Status List Token.
   */
  async list(uri: string, now: number, toleranceSeconds: number): Promise<VerifiedStatusList> {
    const problem = fetchableUriProblem(uri);
    if (problem !== undefined) throw new TransitiveProofError('status_unavailable', `status list URI ${uri} ${problem}`);
    const issuer = statusIssuerFor(this.#config, uri);
    if (issuer === undefined) throw new TransitiveProofError('status_unavailable', `no configured status list issuer covers ${uri}; it is not fetched`);
    const cached = this.#cache.get(uri);
    if (cached !== undefined && cached.until > now) return cached.list;
    const failed = this.#failures.get(uri);
    if (failed !== undefined && failed.until > now) {
      throw new TransitiveProofError(failed.error.code, `${failed.error.message} (a failure remembered for up to ${this.#config.failureCacheSeconds} s; not fetched again yet)`);
    }
    let pending = this.#inFlight.get(uri);
    if (pending === undefined) {
      pending = this.#fetchAndVerify(uri, issuer, now, toleranceSeconds)
        .then((list) => (this.#failures.delete(uri), list), (error: unknown) => {
          this.#rememberFailure(uri, error, now);
          throw error;
        })
        .finally(() => this.#inFlight.delete(uri));
      this.#inFlight.set(uri, pending);
    }
    return pending;
  }

  /** A fetch that failed (unavailable or invalid) is not repeated for `failureCacheSeconds`. */
  #rememberFailure(uri: string, error: unknown, now: number): void {
    if (this.#config.failureCacheSeconds <= 0 || !(error instanceof TransitiveProofError)) return;
    boundedSet(this.#failures, uri, { error, until: now + this.#config.failureCacheSeconds }, this.#config.cacheEntries);
  }

  async #fetchAndVerify(uri: string, issuer: NonNullable<ReturnType<typeof statusIssuerFor>>, now: number, toleranceSeconds: number): Promise<VerifiedStatusList> {
    const body = await this.#download(uri);
    const list = await verifyStatusListToken(body, {
      keys: async (header) => {
        try {
          return await issuer.keys(header);
        } catch (error) {
          // An issuer's key set that cannot be fetched (jwksUri) leaves the status unavailable, under
          // the configuration's `unavailable` policy, like the list itself (SPEC-NOTES §5.1).
          if (error instanceof TransitiveProofError && error.code === 'jwks_unavailable') {
            throw new TransitiveProofError('status_unavailable', `the keys of the status list issuer for ${uri} cannot be had: ${error.message}`, { cause: error });
          }
          throw error;
        }
      },
      algorithms: issuer.algorithms,
      uri,
      now,
      toleranceSeconds,
      maxListBytes: this.#config.maxListBytes,
      keyCache: this.#keyCache,
      limits: this.#limits,
    });
    const lifetime = Math.min(list.ttl ?? this.#config.maxCacheSeconds, this.#config.maxCacheSeconds);
    const until = Math.min(now + lifetime, list.exp ?? Number.POSITIVE_INFINITY);
    if (until > now) this.#remember(uri, { list, until });
    return list;
  }

  async #download(uri: string): Promise<Uint8Array> {
    const maxBytes = this.#config.maxTokenBytes;
    try {
      return await fetchWithin(this.#config.timeoutMs, async (signal) => {
        const response = await this.#fetch(uri, { method: 'GET', headers: { accept: ACCEPT }, redirect: 'error', signal });
        if (response.status !== 200) {
          await response.body?.cancel().catch(() => undefined);
          throw new TransitiveProofError('status_unavailable', `the status list at ${uri} answered HTTP ${response.status}`);
        }
        return readBounded(response, maxBytes, () => {
          throw new TransitiveProofError('status_list_invalid', `the status list at ${uri} is larger than ${maxBytes} bytes`);
        }, signal);
      });
    } catch (error) {
      if (error instanceof TransitiveProofError) throw error;
      throw new TransitiveProofError('status_unavailable', `the status list at ${uri} could not be fetched`, { cause: error });
    }
  }

  #remember(uri: string, entry: CacheEntry): void {
    boundedSet(this.#cache, uri, entry, this.#config.cacheEntries);
  }
}

/** Set `key` as the newest entry of `map`, dropping the oldest when `map` holds `max` entries. */
function boundedSet<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}
