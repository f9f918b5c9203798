/**
 * Redis stores with their own ioredis connection (Node only: ioredis is an optional peer
 * dependency, imported when a store connects). The stores themselves (RedisReplayStore,
 * RedisRevocationStore) take any connected client and live in the runtime-neutral entries.
 */
import { TransitiveProofError } from '../errors.js';
import { RedisReplayStore, type RedisReplayStoreOptions } from '../replay/redis.js';
import type { ReplayStore } from '../replay/store.js';

/** Delays between reconnection attempts (ms), for ioredis's retryStrategy. Attempts count from 1. */
export type ReconnectDelay = (attempt: number) => number | null;

/**
 * Default: 25 ms doubling to a 500 ms ceiling, forever. A Redis that comes back is used again
 * within about half a second; an absent one costs two connection attempts a second. (ioredis's own
 * default grows by 50 ms per attempt to 2 s, so recovery took 2-3 s.)
 */
export const defaultReconnectDelay: ReconnectDelay = (attempt) => Math.min(500, 25 * 2 ** Math.min(10, Math.max(0, attempt - 1)));

export interface RedisConnectionOptions extends RedisReplayStoreOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379/0`. */
  url: string;
  /** Connection timeout. Default 2000 ms. */
  connectTimeoutMs?: number;
  /** Delay before each reconnection attempt; null stops reconnecting. Default `defaultReconnectDelay`. */
  reconnectDelay?: ReconnectDelay;
}

/** A store with its own ioredis connection; `close()` ends it. */
export interface OwnedRedisReplayStore extends ReplayStore {
  close(): Promise<void>;
}

/**
 * Connect to Redis with ioredis (imported lazily), check the server and write the state marker,
 * and return a store over that connection. Rejects (replay_store_unavailable) when Redis is
 * unreachable or would lose state. Commands fail fast instead of queueing while disconnected, so
 * an unreachable Redis makes `consume` reject (fail closed) rather than hang.
 */
export async function connectRedisReplayStore(options: RedisConnectionOptions): Promise<OwnedRedisReplayStore> {
  let Redis: typeof import('ioredis').Redis;
  try {
    ({ Redis } = await import('ioredis'));
  } catch (cause) {
    throw new TransitiveProofError('invalid_argument', 'the Redis replay store needs the optional dependency "ioredis"', { cause });
  }
  const reconnectDelay = options.reconnectDelay ?? defaultReconnectDelay;
  const client = new Redis(options.url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => reconnectDelay(attempt),
  });
  client.on('error', () => {
    // Connection errors surface as rejected commands (replay_store_unavailable); without a
    // listener ioredis would print every reconnect attempt.
  });
  try {
    await client.connect();
  } catch (cause) {
    client.disconnect();
    throw new TransitiveProofError('replay_store_unavailable', `cannot connect to Redis at ${redactUrl(options.url)}`, { cause });
  }
  const store = new RedisReplayStore(client, options);
  try {
    await store.start();
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return {
    consume: (key, expiresAt) => store.consume(key, expiresAt),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** A URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href;
  } catch {
    return '(unparsable URL)';
  }
}
