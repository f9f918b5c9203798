export { MemoryReplayStore, createMemoryReplayStore, DEFAULT_MEMORY_REPLAY_ENTRIES, type ReplayStore, type MemoryReplayStoreOptions } from './store.js';
export { RedisReplayStore, connectRedisReplayStore, DEFAULT_REDIS_KEY_PREFIX, type RedisLike, type RedisReplayStoreOptions, type RedisConnectionOptions, type OwnedRedisReplayStore } from './redis.js';
export { redemptionKeys, linkReplayKey, chainReplayKey, type ReplayPolicy, type ReplayKey } from './keys.js';
