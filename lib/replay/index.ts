export { MemoryReplayStore, createMemoryReplayStore, DEFAULT_MEMORY_REPLAY_ENTRIES, type ReplayStore, type MemoryReplayStoreOptions } from './store.js';
export { RedisReplayStore, connectRedisReplayStore, replayFailClosedSeconds, defaultReconnectDelay, DEFAULT_REDIS_KEY_PREFIX, DEFAULT_FAIL_CLOSED_SECONDS, type RedisLike, type RedisReplayStoreOptions, type RedisConnectionOptions, type OwnedRedisReplayStore, type ReconnectDelay } from './redis.js';
export { redemptionKeys, linkReplayKey, chainReplayKey, type ReplayPolicy, type ReplayKey } from './keys.js';
