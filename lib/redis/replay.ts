/**
 * Redis stores with their own ioredis connection (Node only: ioredis is an optional peer
 * dependency, imported when a store connects). The stores themselves (RedisReplayStore,
 * RedisRevocationStore) take any connected client and live in the runtime-neutral entries.
 */
import type { Cluster as IOCluster } from 'ioredis';
import { closeRedisClient, clusterNodesOf, connectRedisClient, type RedisClusterNode } from './client.js';
import { RedisReplayStore, type RedisReplayStoreOptions } from '../replay/redis.js';
import type { ReplayStore } from '../ports.js';

/** Delays between reconnection attempts (ms), for ioredis's retryStrategy. Attempts count from 1. */
export type ReconnectDelay = (attempt: number) => number | null;

/**
 * Default: 25 ms doubling to a 500 ms ceiling, forever. A Redis that comes back is used again
 * within about half a second; an absent one costs two connection attempts a second. (ioredis's own
 * default grows by 50 ms per attempt to 2 s, so recovery took 2-3 s.)
 */
export const defaultReconnectDelay: ReconnectDelay = (attempt) => Math.min(500, 25 * 2 ** Math.min(10, Math.max(0, attempt - 1)));

/** Where the stores connect: one server (`url`) or a Redis Cluster (`cluster`), with the bounds of waits. */
export interface RedisTarget {
  /** Redis URL, e.g. `redis://127.0.0.1:6379/0`: one server (the primary). */
  url?: string;
  /** A Redis Cluster: some of its nodes (`redis://host:port` or `{ host, port }`); the rest are discovered. */
  cluster?: readonly RedisClusterNode[];
  /** Password for every cluster node. */
  password?: string;
  /** Connection timeout, also bounding the whole start. Default 2000 ms. */
  connectTimeoutMs?: number;
  /** Bound of every command, ms. Default 1000. */
  commandTimeoutMs?: number;
}

export interface RedisConnectionOptions extends RedisReplayStoreOptions, RedisTarget {
  /** Delay before each reconnection attempt; null stops reconnecting. Default `defaultReconnectDelay`. */
  reconnectDelay?: ReconnectDelay;
}

/** A store with its own ioredis connection; `close()` ends it. */
export interface OwnedRedisReplayStore extends ReplayStore {
  close(): Promise<void>;
}

/**
 * Connect to Redis (`url`) or a Redis Cluster (`cluster`) with ioredis (imported lazily), check
 * every primary (persistence, eviction, replicas) and write the state marker(s), and return a
 * store over that connection. Rejects (replay_store_unavailable) when Redis is unreachable, would
 * lose state, or has fewer replicas than must acknowledge. Commands fail fast instead of queueing
 * while disconnected and are bounded by `commandTimeoutMs`, so an unreachable or stalled Redis
 * makes `consume` reject (fail closed) rather than hang.
 */
export async function connectRedisReplayStore(options: RedisConnectionOptions): Promise<OwnedRedisReplayStore> {
  const reconnectDelay = options.reconnectDelay ?? defaultReconnectDelay;
  const client = await connectRedisClient({ ...redisTarget(options), retryStrategy: (attempt) => reconnectDelay(attempt) }, { name: 'replay store', unavailable: 'replay_store_unavailable' });
  // On a cluster, uses bound for one node share an acknowledged pipeline (one WAIT), whatever their slot.
  const pipelineGroup = options.pipelineGroup ?? (options.cluster === undefined ? undefined : clusterNodesOf(client as IOCluster));
  const store = new RedisReplayStore(client, { ...options, ...(pipelineGroup === undefined ? {} : { pipelineGroup }) });
  try {
    await store.start();
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return {
    consume: (key, expiresAt) => store.consume(key, expiresAt),
    close: () => closeRedisClient(client),
  };
}

/** The connection fields of a store's options (the rest are the store's own). */
export function redisTarget(options: RedisTarget): RedisTarget {
  const { url, cluster, password, connectTimeoutMs, commandTimeoutMs } = options;
  return {
    ...(url === undefined ? {} : { url }),
    ...(cluster === undefined ? {} : { cluster }),
    ...(password === undefined ? {} : { password }),
    ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }),
    ...(commandTimeoutMs === undefined ? {} : { commandTimeoutMs }),
  };
}
