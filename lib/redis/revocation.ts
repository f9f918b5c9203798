/**
 * The revocation store with its own ioredis connection (Node only, like lib/redis/replay.ts).
 */
import { TransitiveProofError } from '../errors.js';
import { RedisRevocationStore, type RevocationStore } from '../status/revocation.js';

/** A Redis store with its own ioredis connection (imported lazily); `close()` ends it. */
export interface OwnedRevocationStore extends RevocationStore {
  close(): Promise<void>;
}

export async function connectRedisRevocationStore(options: { url: string; keyPrefix?: string; connectTimeoutMs?: number; clock?: () => Date }): Promise<OwnedRevocationStore> {
  let Redis: typeof import('ioredis').Redis;
  try {
    ({ Redis } = await import('ioredis'));
  } catch (cause) {
    throw new TransitiveProofError('invalid_argument', 'the Redis revocation store needs the optional dependency "ioredis"', { cause });
  }
  // As the replay store: no offline queue, so an outage fails fast (and closed) instead of hanging.
  const client = new Redis(options.url, { lazyConnect: true, connectTimeout: options.connectTimeoutMs ?? 2000, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (cause) {
    client.disconnect();
    throw new TransitiveProofError('revocation_store_unavailable', 'cannot connect to the Redis revocation store', { cause });
  }
  const store = new RedisRevocationStore(client, options);
  return {
    revoke: (hash, expiresAt) => store.revoke(hash, expiresAt),
    firstRevoked: (hashes) => store.firstRevoked(hashes),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
