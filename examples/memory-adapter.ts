/**
 * A small in-memory oidc-provider adapter for the example (one process). A real deployment uses a
 * shared store; the grant itself keeps its replay state in a ReplayStore.
 *
 * Entries expire by their TTL (never returned after it) and the whole adapter is bounded by a byte
 * budget, so it never fills under steady load: when a write would exceed the budget, expired
 * entries are dropped first; then live entries other than replay detection are dropped, the one
 * expiring soonest first (an access token, grant or session dropped early is refused later: fail
 * closed). Live `ReplayDetection` entries (the `jti` of every client assertion, private_key_jwt)
 * are never dropped: forgetting one would let that assertion be replayed until it expires. When
 * the budget is all live replay detection, the write is refused (the request fails, HTTP 500).
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

export interface ExampleMemoryAdapterOptions {
  /** Bytes the entries may take (estimated: UTF-16 key and JSON payload, plus 64 per entry). Default 64 MiB. */
  maxBytes?: number;
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number;
}

export const DEFAULT_EXAMPLE_ADAPTER_BYTES = 64 * 1024 * 1024;
const ENTRY_OVERHEAD_BYTES = 64;
/** oidc-provider's model for the `jti`s of client assertions and DPoP proofs: never evicted while live. */
const REPLAY_MODEL = 'ReplayDetection';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
  bytes: number;
  replay: boolean;
}

/** The entries of one adapter class (every model shares one budget). */
class BoundedEntries {
  readonly #entries = new Map<string, Entry>();
  readonly #maxBytes: number;
  readonly #clock: () => number;
  #bytes = 0;
  /** No entry expires before this (ms): nothing to sweep until then. */
  #earliestExpiry = Number.POSITIVE_INFINITY;

  constructor(options: ExampleMemoryAdapterOptions) {
    this.#maxBytes = options.maxBytes ?? DEFAULT_EXAMPLE_ADAPTER_BYTES;
    this.#clock = options.clock ?? Date.now;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  now(): number {
    return this.#clock();
  }

  get(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#clock()) {
      this.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, model: string, payload: AdapterPayload, expiresInSeconds: number): void {
    const now = this.#clock();
    const entry: Entry = {
      payload,
      expiresAt: now + expiresInSeconds * 1000,
      bytes: ENTRY_OVERHEAD_BYTES + 2 * (key.length + JSON.stringify(payload).length),
      replay: model === REPLAY_MODEL,
    };
    this.delete(key);
    if (this.#bytes + entry.bytes > this.#maxBytes) this.#makeRoom(entry.bytes, now);
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
    this.#earliestExpiry = Math.min(this.#earliestExpiry, entry.expiresAt);
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  entries(): IterableIterator<[string, Entry]> {
    return this.#entries.entries();
  }

  /** Expired entries first, then live non-replay entries soonest-expiring first; refuse if that is not enough. */
  #makeRoom(needed: number, now: number): void {
    if (this.#earliestExpiry <= now) {
      let earliest = Number.POSITIVE_INFINITY;
      for (const [key, entry] of this.#entries) {
        if (entry.expiresAt <= now) this.delete(key);
        else earliest = Math.min(earliest, entry.expiresAt);
      }
      this.#earliestExpiry = earliest;
    }
    if (this.#bytes + needed <= this.#maxBytes) return;
    const evictable = [...this.#entries].filter(([, entry]) => !entry.replay).sort((a, b) => a[1].expiresAt - b[1].expiresAt);
    for (const [key] of evictable) {
      if (this.#bytes + needed <= this.#maxBytes) return;
      this.delete(key);
    }
    if (this.#bytes + needed > this.#maxBytes) {
      throw new Error(`example adapter: its ${this.#maxBytes}-byte budget is full of live replay-detection entries; refused rather than forget one`);
    }
  }
}

/** An adapter class over its own bounded entries (oidc-provider constructs it once per model). */
export function createExampleMemoryAdapter(options: ExampleMemoryAdapterOptions = {}): (new (model: string) => Adapter) & { readonly entries: BoundedEntries } {
  const entries = new BoundedEntries(options);
  return class ExampleMemoryAdapter implements Adapter {
    static readonly entries = entries;
    readonly #model: string;

    constructor(model: string) {
      this.#model = model;
    }

    #key(id: string): string {
      return `${this.#model}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      entries.set(this.#key(id), this.#model, payload, expiresIn);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return entries.get(this.#key(id))?.payload;
    }

    async findByUserCode(): Promise<AdapterPayload | undefined> {
      return undefined;
    }

    async findByUid(): Promise<AdapterPayload | undefined> {
      return undefined;
    }

    async consume(id: string): Promise<void> {
      const entry = entries.get(this.#key(id));
      if (entry !== undefined) entry.payload = { ...entry.payload, consumed: Math.floor(entries.now() / 1000) };
    }

    async destroy(id: string): Promise<void> {
      entries.delete(this.#key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [key, entry] of [...entries.entries()]) if (entry.payload.grantId === grantId) entries.delete(key);
    }
  };
}

/** The example AS's adapter: one process-wide budget of DEFAULT_EXAMPLE_ADAPTER_BYTES. */
export const ExampleMemoryAdapter = createExampleMemoryAdapter();
