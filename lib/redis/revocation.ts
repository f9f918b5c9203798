/**
 * The revocation store with its own ioredis connection (Node only, like lib/redis/replay.ts).
 */
import { closeRedisClient, connectRedisClient } from './client.js';
import { RedisRevocationStore } from '../status/revocation.js';
import type { RevocationStore } from '../ports.js';

/** A Redis store with its own ioredis connection (imported lazily); `close()` ends it. */
export interface OwnedRevocationStore extends RevocationStore {
  close(): Promise<void>;
}

export async function connectRedisRevocationStore(options: { url: string; keyPrefix?: string; connectTimeoutMs?: number; clock?: () => Date }): Promise<OwnedRevocationStore> {
  const client = await connectRedisClient(options, { name: 'revocation store', unavailable: 'revocation_store_unavailable' });
  const store = new RedisRevocationStore(client, options);
  return {
    revoke: (hash, expiresAt) => store.revoke(hash, expiresAt),
    firstRevoked: (hashes) => store.firstRevoked(hashes),
    close: () => closeRedisClient(client),
  };
}
