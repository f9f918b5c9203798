/**
 * Reaching the test Redis (started by .ci/redis.sh). Outside CI an unreachable server skips the
 * Redis tests with a message; in CI (CI set) it fails them.
 */
import { Redis } from 'ioredis';
import { connectRedisReplayStore, type OwnedRedisReplayStore, type RedisConnectionOptions } from '../../lib/redis/index.js';

export const REDIS_URL = process.env.TPROOF_REDIS_URL ?? 'redis://127.0.0.1:6390';

export async function connectTestRedis(options: Partial<RedisConnectionOptions> = {}): Promise<OwnedRedisReplayStore | undefined> {
  try {
    // These tests are about the store's semantics, not the server's durability (see
    // replay-redis-durability.test.ts): a developer's Redis without AOF is fine here, and each run's
    // random prefix is a fresh deployment.
    return await connectRedisReplayStore({ url: REDIS_URL, connectTimeoutMs: 2000, acceptVolatileState: true, freshDeployment: true, ...options });
  } catch (error) {
    if (process.env.CI) throw new Error(`Redis is required in CI but ${REDIS_URL} is unreachable (run .ci/redis.sh)`, { cause: error });
    return undefined;
  }
}

export const SKIP_MESSAGE = `Redis not reachable at ${REDIS_URL}; run .ci/redis.sh (or set TPROOF_REDIS_URL) to run these tests`;

/**
 * A plain client of the test Redis, to read and edit what a store wrote (opened when called: from
 * a `before` hook of a suite that is not skipped); `close` deletes every key under `prefix` and quits.
 */
export function rawTestRedis(prefix: string): { client: Redis; close(): Promise<void> } {
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  return {
    client,
    async close() {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
    },
  };
}
