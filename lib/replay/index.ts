export { MemoryReplayStore, createMemoryReplayStore, DEFAULT_MEMORY_REPLAY_ENTRIES, DEFAULT_MEMORY_REPLAY_BYTES, MEMORY_REPLAY_BYTES_PER_ENTRY, type MemoryReplayStoreOptions, type MemoryReplayUsage } from './store.js';
export type { ReplayStore } from '../ports.js';
export { RedisReplayStore, replayFailClosedSeconds, DEFAULT_REDIS_KEY_PREFIX, DEFAULT_FAIL_CLOSED_SECONDS, type RedisLike, type RedisReplayStoreOptions } from './redis.js';
export { redemptionKeys, linkReplayKey, chainReplayKey, type ReplayPolicy, type ReplayKey } from './keys.js';
