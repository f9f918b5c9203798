/**
 * The revocation store with its own ioredis connection (Node only, like lib/redis/replay.ts).
 */
import { closeRedisClient, connectRedisClient } from './client.js';
import { RedisRevocationStore, type RedisRevocationStoreOptions } from '../status/revocation.js';
import type { RevocationStore } from '../ports.js';
import { defaultReconnectDelay, redisTarget, type ReconnectDelay, type RedisTarget } from './replay.js';

/** A Redis store with its own ioredis connection (imported lazily); `close()` ends it. */
export interface OwnedRevocationStore extends RevocationStore {
  close(): Promise<void>;
}

export interface RedisRevocationConnectionOptions extends RedisRevocationStoreOptions, RedisTarget {
  /** Delay before each reconnection attempt; null stops reconnecting. Default `defaultReconnectDelay`. */
  reconnectDelay?: ReconnectDelay;
}

/** One server (`url`) or a Redis Cluster (`cluster`); every command bounded by `commandTimeoutMs` (default 1000 ms). */
export async function connectRedisRevocationStore(options: RedisRevocationConnectionOptions): Promise<OwnedRevocationStore> {
  const reconnectDelay = options.reconnectDelay ?? defaultReconnectDelay;
  const client = await connectRedisClient({ ...redisTarget(options), retryStrategy: (attempt) => reconnectDelay(attempt) }, { name: 'revocation store', unavailable: 'revocation_store_unavailable' });
  const store = new RedisRevocationStore(client, options);
  return {
    revoke: (hash, expiresAt) => store.revoke(hash, expiresAt),
    firstRevoked: (hashes) => store.firstRevoked(hashes),
    close: () => closeRedisClient(client),
  };
}
