/**
 * The `transitive-proof/redis` entry (Node only): replay and revocation stores that open their own
 * Redis connection with ioredis. Everything else of the library runs on Web APIs alone, so these
 * are kept out of `transitive-proof/as` and `transitive-proof/status`, which browsers and edge
 * runtimes can bundle.
 */
export { connectRedisReplayStore, defaultReconnectDelay, type RedisConnectionOptions, type RedisTarget, type OwnedRedisReplayStore, type ReconnectDelay } from './replay.js';
export type { RedisClusterNode } from './client.js';
export { connectRedisRevocationStore, type RedisRevocationConnectionOptions, type OwnedRevocationStore } from './revocation.js';
