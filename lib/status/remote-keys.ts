/**
 * Keys published at a `jwks_uri`, for issuer roots (SPEC-NOTES.md §5): jose's createRemoteJWKSet
 * does the fetching, caching (cacheMaxAge), cooldown after a refresh and timeout; this wrapper
 * adds the URI rules, a size limit on the response and the conversion to the public JWKs the
 * signer step works with. A key set that cannot be had is `jwks_unavailable`, never "no keys".
 */
import * as errors from 'jose/errors';
import { createRemoteJWKSet, customFetch, type RemoteJWKSetOptions } from 'jose/jwks/remote';
import { TransitiveProofError } from '../errors.js';
import { assertPublicJwk } from '../keys/keys.js';
import { boundOption } from '../model/limits.js';
import type { PublicJwk } from '../model/types.js';
import { assertFetchableUri, readBounded, untilAborted } from './uri.js';
import type { FetchLike, KeySetSource } from '../ports.js';

export interface RemoteKeySetOptions {
  fetch?: FetchLike;
  /** Default 5000 ms. */
  timeoutMs?: number;
  /** Default 30 000 ms: how soon an unknown `kid` may trigger another fetch. */
  cooldownMs?: number;
  /** Default 600 000 ms. */
  cacheMaxAgeMs?: number;
  /** Default 65 536 bytes. */
  maxBytes?: number;
}

export const DEFAULT_MAX_JWKS_BYTES = 65_536;

export class RemoteKeySet implements KeySetSource {
  readonly uri: string;
  readonly #remote: ReturnType<typeof createRemoteJWKSet>;

  constructor(uri: string, options: RemoteKeySetOptions = {}) {
    assertFetchableUri(uri, 'jwksUri');
    this.uri = uri;
    const fetchImpl: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
    const maxBytes = boundOption('maxBytes', options.maxBytes, DEFAULT_MAX_JWKS_BYTES);
    const joseOptions: RemoteJWKSetOptions = {
      timeoutDuration: boundOption('timeoutMs', options.timeoutMs, 5000),
      cooldownDuration: boundOption('cooldownMs', options.cooldownMs, 30_000),
      cacheMaxAge: boundOption('cacheMaxAgeMs', options.cacheMaxAgeMs, 600_000),
      [customFetch]: async (url, init) => {
        // jose aborts init.signal at timeoutMs; the wait ends then even if the fetch or its body does not.
        const response = await untilAborted(fetchImpl(url, init), init.signal);
        const body = await readBounded(response, maxBytes, () => {
          throw new TransitiveProofError('jwks_unavailable', `the JWKS at ${uri} is larger than ${maxBytes} bytes`);
        }, init.signal);
        return new Response(response.status === 204 ? null : acceptableKeysOnly(body), { status: response.status, headers: response.headers });
      },
    };
    this.#remote = createRemoteJWKSet(new URL(uri), joseOptions);
  }

  /**
   * The published public keys, fetched or refreshed as jose decides for this header (an unknown
   * `kid` refreshes outside the cooldown). Keys that are not acceptable public keys are left out.
   */
  async keys(header: { alg: string; kid?: string | undefined }): Promise<PublicJwk[]> {
    try {
      await this.#remote({ alg: header.alg === 'ESP256' ? 'ES256' : header.alg, ...(header.kid === undefined ? {} : { kid: header.kid }) });
    } catch (error) {
      // The set was read; it just has no single key for this header. The signer step decides.
      if (!(error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported)) {
        if (error instanceof TransitiveProofError) throw error;
        throw new TransitiveProofError('jwks_unavailable', `the JWKS at ${this.uri} could not be fetched`, { cause: error });
      }
    }
    const set = this.#remote.jwks();
    if (set === undefined) throw new TransitiveProofError('jwks_unavailable', `the JWKS at ${this.uri} could not be fetched`);
    return set.keys.filter(isAcceptableKey);
  }
}

/** The one key check (SPEC-NOTES.md §3.3), as a filter: a key that fails it is not a key of the set. */
function isAcceptableKey(key: unknown): key is PublicJwk {
  try {
    assertPublicJwk(key, 'jwks key');
    return true;
  } catch {
    return false;
  }
}

/**
 * The fetched JWKS with the keys that fail the key check left out, before jose reads it (§5: such
 * keys are ignored). jose would otherwise import the one key matching a `kid` and fail on, say, a
 * private key, which would read as an unavailable set rather than a set without that key. A body
 * that is not a JSON object with a `keys` array is passed on as it came (jose refuses it: unavailable).
 */
function acceptableKeysOnly(body: Uint8Array): Uint8Array {
  let set: unknown;
  try {
    set = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return body;
  }
  if (set === null || typeof set !== 'object' || !Array.isArray((set as { keys?: unknown }).keys)) return body;
  const keys = (set as { keys: unknown[] }).keys;
  const acceptable = keys.filter(isAcceptableKey);
  return acceptable.length === keys.length ? body : new TextEncoder().encode(JSON.stringify({ ...set, keys: acceptable }));
}
