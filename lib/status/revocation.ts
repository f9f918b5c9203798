/**
 * Links withdrawn by hash, effective at once (SPEC-NOTES.md §6.2 step 17a): a store of link hashes
 * (base64url SHA-256 of a link's exact bytes, the `prev` value of §4.4), each kept until the link
 * could no longer verify anyway. A chain any of whose links is in the store is refused
 * (`link_revoked`). Stores fail closed: a store that cannot answer raises
 * `revocation_store_unavailable`, never "not revoked".
 */
import type { RevocationStore } from '../ports.js';
import { TransitiveProofError } from '../errors.js';

const LINK_HASH = /^[A-Za-z0-9_-]{43}$/;

function assertRevokeArguments(linkHash: string, expiresAt: number): void {
  if (typeof linkHash !== 'string' || !LINK_HASH.test(linkHash)) {
    throw new TransitiveProofError('invalid_argument', 'a link hash is base64url(SHA-256), 43 characters');
  }
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) throw new TransitiveProofError('invalid_argument', 'expiresAt must be a finite NumericDate');
}

export interface MemoryRevocationStoreOptions {
  /** Default 100 000. */
  maxEntries?: number;
  clock?: () => Date;
}

/**
 * One process. Bounded: when full it drops expired entries, and when every entry is still live it
 * refuses the new revocation (the caller learns it did not take effect) instead of forgetting one.
 */
export class MemoryRevocationStore implements RevocationStore {
  readonly #entries = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #clock: () => Date;

  constructor(options: MemoryRevocationStoreOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#clock = options.clock ?? (() => new Date());
  }

  async revoke(linkHash: string, expiresAt: number): Promise<void> {
    assertRevokeArguments(linkHash, expiresAt);
    const now = this.#clock().getTime() / 1000;
    if (!this.#entries.has(linkHash) && this.#entries.size >= this.#maxEntries) {
      for (const [key, until] of this.#entries) if (until <= now) this.#entries.delete(key);
      if (this.#entries.size >= this.#maxEntries) throw new TransitiveProofError('revocation_store_unavailable', 'the revocation store is full of unexpired entries');
    }
    this.#entries.set(linkHash, Math.max(expiresAt, this.#entries.get(linkHash) ?? 0));
  }

  async firstRevoked(linkHashes: readonly string[]): Promise<number> {
    const now = this.#clock().getTime() / 1000;
    return linkHashes.findIndex((hash) => (this.#entries.get(hash) ?? 0) > now);
  }
}

/** The commands the Redis store needs; an `ioredis` client satisfies it. */
export interface RevocationRedisLike {
  set(key: string, value: string, millisecondsToken: 'PX', milliseconds: number): Promise<string | null>;
  mget(...keys: string[]): Promise<(string | null)[]>;
}

export const DEFAULT_REVOCATION_KEY_PREFIX = 'tproof:revoked:';

/** Shared by every verifier process: `SET prefix+hash 1 PX ttl` to revoke, one `MGET` per chain. */
export class RedisRevocationStore implements RevocationStore {
  readonly #client: RevocationRedisLike;
  readonly #prefix: string;
  readonly #clock: () => Date;

  constructor(client: RevocationRedisLike, options: { keyPrefix?: string; clock?: () => Date } = {}) {
    this.#client = client;
    this.#prefix = options.keyPrefix ?? DEFAULT_REVOCATION_KEY_PREFIX;
    this.#clock = options.clock ?? (() => new Date());
  }

  async revoke(linkHash: string, expiresAt: number): Promise<void> {
    assertRevokeArguments(linkHash, expiresAt);
    const ttlMs = Math.max(1000, Math.ceil(expiresAt * 1000 - this.#clock().getTime()));
    let reply: string | null;
    try {
      reply = await this.#client.set(this.#prefix + linkHash, '1', 'PX', ttlMs);
    } catch (cause) {
      throw new TransitiveProofError('revocation_store_unavailable', 'the revocation store (Redis) did not answer', { cause });
    }
    if (reply !== 'OK') throw new TransitiveProofError('revocation_store_unavailable', 'the revocation store (Redis) gave an unexpected reply');
  }

  async firstRevoked(linkHashes: readonly string[]): Promise<number> {
    if (linkHashes.length === 0) return -1;
    let replies: (string | null)[];
    try {
      replies = await this.#client.mget(...linkHashes.map((hash) => this.#prefix + hash));
    } catch (cause) {
      throw new TransitiveProofError('revocation_store_unavailable', 'the revocation store (Redis) did not answer', { cause });
    }
    if (!Array.isArray(replies) || replies.length !== linkHashes.length) {
      throw new TransitiveProofError('revocation_store_unavailable', 'the revocation store (Redis) gave an unexpected reply');
    }
    return replies.findIndex((reply) => reply !== null);
  }
}
