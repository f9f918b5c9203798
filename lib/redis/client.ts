/**
 * One ioredis connection as both Redis stores open it (Node only; ioredis is an optional peer
 * dependency, imported here on first use). No offline queue and one retry per command, so an
 * outage makes commands reject at once: the stores turn that into their `*_unavailable` code and
 * fail closed instead of hanging.
 */
import type { Redis as IORedis } from 'ioredis';
import { TransitiveProofError, type ErrorCode } from '../errors.js';

export interface RedisClientOptions {
  url: string;
  /** Default 2000 ms. */
  connectTimeoutMs?: number;
  /** ioredis's retryStrategy; ioredis's default when absent. */
  retryStrategy?: (attempt: number) => number | null;
}

/** What to call the store in errors, and the code for an unreachable server. */
export interface RedisStoreLabel {
  name: string;
  unavailable: ErrorCode;
}

export async function connectRedisClient(options: RedisClientOptions, store: RedisStoreLabel): Promise<IORedis> {
  let Redis: typeof import('ioredis').Redis;
  try {
    ({ Redis } = await import('ioredis'));
  } catch (cause) {
    throw new TransitiveProofError('invalid_argument', `the Redis ${store.name} needs the optional dependency "ioredis"`, { cause });
  }
  const client = new Redis(options.url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    ...(options.retryStrategy === undefined ? {} : { retryStrategy: options.retryStrategy }),
  });
  client.on('error', () => {
    // Connection errors surface as rejected commands; without a listener ioredis would print
    // every reconnect attempt.
  });
  try {
    await client.connect();
  } catch (cause) {
    client.disconnect();
    throw new TransitiveProofError(store.unavailable, `cannot connect to the Redis ${store.name} at ${redactUrl(options.url)}`, { cause });
  }
  return client;
}

/** Close a client opened by connectRedisClient. */
export async function closeRedisClient(client: IORedis): Promise<void> {
  await client.quit().catch(() => client.disconnect());
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
