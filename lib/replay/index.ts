export { MemoryReplayStore, createMemoryReplayStore, DEFAULT_MEMORY_REPLAY_ENTRIES, DEFAULT_MEMORY_REPLAY_BYTES, MEMORY_REPLAY_BYTES_PER_ENTRY, type MemoryReplayStoreOptions, type MemoryReplayUsage } from './store.js';
export type { ReplayStore } from '../ports.js';
export { RedisReplayStore, replayFailClosedSeconds, replayKeyLayout, DEFAULT_REDIS_KEY_PREFIX, DEFAULT_FAIL_CLOSED_SECONDS, DEFAULT_SLOT_GROUPS, type RedisLike, type RedisReplayStoreOptions } from './redis.js';
export { DEFAULT_REDIS_COMMAND_TIMEOUT_MS, DEFAULT_REPLICA_ACK_TIMEOUT_MS, type RedisPipelineLike } from '../stores/redis-common.js';
export { redemptionKeys, linkReplayKey, chainReplayKey, type ReplayPolicy, type ReplayKey } from './keys.js';
