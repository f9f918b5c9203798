/**
 * Replay protection (SPEC-NOTES.md §6.2 step 18): a store that remembers a key until it expires and
 * answers, atomically, whether this is its first use. Stores fail closed: when a use cannot be
 * recorded they throw `replay_store_unavailable` instead of answering "first use".
 */
import type { ReplayStore } from '../ports.js';
import { TransitiveProofError, invalidArgument } from '../errors.js';
import { instantMillis } from '../model/instant.js';

export interface MemoryReplayStoreOptions {
  /**
   * Memory the entries may take, in bytes of V8 heap: the bound is `maxBytes` divided by
   * MEMORY_REPLAY_BYTES_PER_ENTRY. Default 64 MiB (about 419 000 entries). A redemption takes two
   * entries (last-link policy), each kept for its link's lifetime plus the clock tolerance: a bound
   * of E entries sustains E / (2 × (lifetime + tolerance)) redemptions per second.
   */
  maxBytes?: number;
  /** Most keys remembered at once, instead of deriving it from `maxBytes` (the smaller wins when both are given). */
  maxEntries?: number;
  /** Injected clock. Default: `() => new Date()`. */
  clock?: () => Date;
}

/**
 * Heap bytes one entry takes, measured (Node 20, x64, bench/replay-memory.ts): 149-158 bytes per entry of the keys
 * lib/replay/keys.ts produces (a 47-49 character string and a number in a Map) at 0.1-1 M entries,
 * rounded up for the Map's growth steps. See README "Replay stores".
 */
export const MEMORY_REPLAY_BYTES_PER_ENTRY = 160;
export const DEFAULT_MEMORY_REPLAY_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MEMORY_REPLAY_ENTRIES = Math.floor(DEFAULT_MEMORY_REPLAY_BYTES / MEMORY_REPLAY_BYTES_PER_ENTRY);

/** How full a memory store is, for metrics and alerts: it refuses new keys (fail closed) at 1. */
export interface MemoryReplayUsage {
  entries: number;
  maxEntries: number;
  /** entries × MEMORY_REPLAY_BYTES_PER_ENTRY. */
  approximateBytes: number;
  /** entries / maxEntries, 0 to 1. Expired entries count until a full store sweeps them. */
  fill: number;
}
const MAX_KEY_LENGTH = 512;

/**
 * A single-process store. Expired entries are dropped when room is needed; when every entry is
 * still unexpired the store refuses new keys (fail closed) rather than forget one that could then
 * be replayed.
 */
export class MemoryReplayStore implements ReplayStore {
  readonly #entries = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #clock: () => Date;
  /** No entry expires before this (NumericDate): a full store need not be swept until then. */
  #earliestExpiry = Number.POSITIVE_INFINITY;

  constructor(options: MemoryReplayStoreOptions = {}) {
    const maxBytes = options.maxBytes ?? DEFAULT_MEMORY_REPLAY_BYTES;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < MEMORY_REPLAY_BYTES_PER_ENTRY) {
      throw invalidArgument(`maxBytes must be an integer of at least ${MEMORY_REPLAY_BYTES_PER_ENTRY}`);
    }
    const fromBytes = Math.floor(maxBytes / MEMORY_REPLAY_BYTES_PER_ENTRY);
    const max = options.maxEntries === undefined ? fromBytes : options.maxBytes === undefined ? options.maxEntries : Math.min(options.maxEntries, fromBytes);
    if (!Number.isSafeInteger(max) || max < 1) {
      throw invalidArgument('maxEntries must be a positive integer');
    }
    this.#maxEntries = max;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** Number of keys currently held (expired ones included until they are swept). */
  get size(): number {
    return this.#entries.size;
  }

  usage(): MemoryReplayUsage {
    const entries = this.#entries.size;
    return { entries, maxEntries: this.#maxEntries, approximateBytes: entries * MEMORY_REPLAY_BYTES_PER_ENTRY, fill: entries / this.#maxEntries };
  }

  async consume(key: string, expiresAt: number): Promise<boolean> {
    assertConsumeArguments(key, expiresAt);
    const now = instantMillis(this.#clock(), 'the replay store clock\'s time') / 1000;
    const existing = this.#entries.get(key);
    if (existing !== undefined && existing > now) return false;
    if (existing === undefined && this.#entries.size >= this.#maxEntries) {
      if (this.#earliestExpiry <= now) this.#sweep(now);
      if (this.#entries.size >= this.#maxEntries) {
        throw new TransitiveProofError('replay_store_unavailable', 'the replay store is full of unexpired entries');
      }
    }
    // Re-inserting moves the key to the end of the Map's order; order is not relied upon.
    this.#entries.delete(key);
    this.#entries.set(key, expiresAt);
    this.#earliestExpiry = Math.min(this.#earliestExpiry, expiresAt);
    return true;
  }

  /**
   * Drop every expired entry. Runs only when the store is full and something has expired, so a
   * store full of live entries refuses in O(1) instead of rescanning on every request.
   */
  #sweep(now: number): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (const [key, expiresAt] of this.#entries) {
      if (expiresAt <= now) this.#entries.delete(key);
      else earliest = Math.min(earliest, expiresAt);
    }
    this.#earliestExpiry = earliest;
  }
}

export function createMemoryReplayStore(options: MemoryReplayStoreOptions = {}): MemoryReplayStore {
  return new MemoryReplayStore(options);
}

export function assertConsumeArguments(key: string, expiresAt: number): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw invalidArgument(`replay key must be a non-empty string of at most ${MAX_KEY_LENGTH} characters`);
  }
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
    throw invalidArgument('replay expiresAt must be a finite NumericDate');
  }
}
