/**
 * A bounded cache of verified paths. Correctness rule: a hit may only return what an uncached
 * validation would return at the same `now`. Every input that affects the outcome is in the key
 * (the exact bytes of each certificate, the anchor set, the options), and the only time-dependent
 * rule — validity — is re-checked on lookup against the window the whole path is valid in.
 * Failures are never cached.
 */
import { boundOption } from '../model/limits.js';
import { isWithinValidity } from './rules/06-validity.js';
import type { IdentityRule, ValidatedChain } from '../ports.js';

export const DEFAULT_PATH_CACHE_ENTRIES = 256;
const MAX_PATH_CACHE_ENTRIES = 1_000_000;

export interface PathCacheOptions {
  /** Maximum entries; the least recently used is evicted beyond it. Default 256. */
  maxEntries?: number;
}

/** Everything a validation outcome depends on, except the clock. */
export interface PathCacheKeyInput {
  /** base64url SHA-256 of each x5c certificate, in x5c order. */
  fingerprints: readonly string[];
  anchorSetId: string;
  requiredEku: string | undefined;
  /** undefined: chain validation without identity rule (validateCertificateChain). */
  identity: IdentityRule | undefined;
  maxPathLength: number | undefined;
  maxCertificates: number;
  maxCertificateBytes: number;
}

/**
 * The key: the inputs' texts joined by '|', in a fixed order. Exact: no part but the last can hold
 * a '|' (fingerprints and anchor fingerprints are base64url, joined by ','; the bounds are integers;
 * requiredEku a dotted OID; the identity rule's type a fixed word), so two inputs that differ in any
 * part give different keys; the last part is the identity rule, the only free text (a SPIFFE trust
 * domain) after '='. Not hashed: its parts are digests and short values already, and the key stays
 * synchronous on every runtime.
 */
export function pathCacheKey(input: PathCacheKeyInput): string {
  const identity = input.identity;
  const rule = identity === undefined ? '' : identity.type !== 'spiffe' ? identity.type : identity.trustDomain === undefined ? 'spiffe' : `spiffe=${identity.trustDomain}`;
  return `${input.fingerprints.join(',')}|${input.anchorSetId}|${input.maxCertificates}|${input.maxCertificateBytes}|${input.maxPathLength ?? ''}|${input.requiredEku ?? ''}|${rule}`;
}

/** The inputs of a key but the fingerprints (path validation's resolved options carry them). */
export type PathCacheKeyOptions = Omit<PathCacheKeyInput, 'fingerprints'>;

/** The parts of the last key a PathCache built, and the key. */
interface LastKey extends PathCacheKeyOptions {
  readonly fingerprints: readonly string[];
  readonly key: string;
}

export class PathCache {
  readonly maxEntries: number;
  // Map iteration order is insertion order: re-inserting on a hit makes the first key the LRU one.
  readonly #entries = new Map<string, ValidatedChain>();
  /** The key most recently used (the last in #entries): a hit on it has nothing to reorder. */
  #newest: string | undefined;

  constructor(options: PathCacheOptions = {}) {
    this.maxEntries = boundOption('PathCache maxEntries', options.maxEntries, DEFAULT_PATH_CACHE_ENTRIES, 1, MAX_PATH_CACHE_ENTRIES);
  }

  /** The parts of the key keyOf built last, and that key. */
  #lastKey: LastKey | undefined;

  /**
   * pathCacheKey({ fingerprints, ...options }). When every part equals the last call's, the last
   * call's key itself: no key built and, as V8 keeps a string's hash with it, none hashed again by
   * the lookup (on a repeated path, building and hashing a 190-character key was most of a lookup).
   * Path validation's (lib/x509/path.ts), not the package's.
   *
   * @internal
   */
  keyOf(fingerprints: readonly string[], options: PathCacheKeyOptions): string {
    const last = this.#lastKey;
    if (last !== undefined && sameKeyParts(last, fingerprints, options)) return last.key;
    const parts = {
      fingerprints: fingerprints.slice(),
      anchorSetId: options.anchorSetId,
      requiredEku: options.requiredEku,
      identity: options.identity,
      maxPathLength: options.maxPathLength,
      maxCertificates: options.maxCertificates,
      maxCertificateBytes: options.maxCertificateBytes,
    };
    const key = pathCacheKey(parts);
    this.#lastKey = { ...parts, key };
    return key;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached result when `now` lies inside the path's validity window (with tolerance). */
  get(key: string, now: number, clockToleranceSeconds: number): ValidatedChain | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (!isWithinValidity(now, clockToleranceSeconds, entry.notBefore, entry.notAfter)) {
      this.#entries.delete(key);
      if (key === this.#newest) this.#newest = undefined;
      return undefined;
    }
    if (key !== this.#newest) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      this.#newest = key;
    }
    return entry;
  }

  /** Store a successful, deeply frozen result; its window is [result.notBefore, result.notAfter]. */
  set(key: string, result: ValidatedChain): void {
    this.#entries.delete(key);
    this.#entries.set(key, result);
    this.#newest = key;
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#newest = undefined;
  }
}

/** Whether the parts of a key are those of `last`: each part pathCacheKey reads, compared as it reads it. */
function sameKeyParts(last: LastKey, fingerprints: readonly string[], options: PathCacheKeyOptions): boolean {
  const n = fingerprints.length;
  if (n !== last.fingerprints.length || options.anchorSetId !== last.anchorSetId || options.requiredEku !== last.requiredEku ||
    options.maxPathLength !== last.maxPathLength || options.maxCertificates !== last.maxCertificates ||
    options.maxCertificateBytes !== last.maxCertificateBytes || !sameIdentityRule(options.identity, last.identity)) return false;
  for (let i = 0; i < n; i++) if (fingerprints[i] !== last.fingerprints[i]) return false;
  return true;
}

function sameIdentityRule(a: IdentityRule | undefined, b: IdentityRule | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.type === b.type && (a.type !== 'spiffe' || a.trustDomain === (b as { trustDomain?: string }).trustDomain);
}
