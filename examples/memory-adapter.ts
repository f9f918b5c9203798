/**
 * A small in-memory oidc-provider adapter for the example (one process, entries expire). A real
 * deployment uses a shared store; the grant itself keeps its replay state in a ReplayStore.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

const MAX_ENTRIES = 10_000;

export class ExampleMemoryAdapter implements Adapter {
  static readonly #entries = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  readonly #model: string;

  constructor(model: string) {
    this.#model = model;
  }

  #key(id: string): string {
    return `${this.#model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const entries = ExampleMemoryAdapter.#entries;
    const now = Date.now();
    if (entries.size >= MAX_ENTRIES) {
      for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
      if (entries.size >= MAX_ENTRIES) throw new Error('example adapter is full');
    }
    entries.set(this.#key(id), { payload, expiresAt: now + expiresIn * 1000 });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const entry = ExampleMemoryAdapter.#entries.get(this.#key(id));
    if (entry === undefined || entry.expiresAt <= Date.now()) return undefined;
    return entry.payload;
  }

  async findByUserCode(): Promise<AdapterPayload | undefined> {
    return undefined;
  }

  async findByUid(): Promise<AdapterPayload | undefined> {
    return undefined;
  }

  async consume(id: string): Promise<void> {
    const entry = ExampleMemoryAdapter.#entries.get(this.#key(id));
    if (entry !== undefined) entry.payload = { ...entry.payload, consumed: Math.floor(Date.now() / 1000) };
  }

  async destroy(id: string): Promise<void> {
    ExampleMemoryAdapter.#entries.delete(this.#key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [key, entry] of ExampleMemoryAdapter.#entries) if (entry.payload.grantId === grantId) ExampleMemoryAdapter.#entries.delete(key);
  }
}
