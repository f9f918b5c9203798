/**
 * A replay store shared by every authorization-server process: one Redis `SET key 1 NX PX ttl` per
 * use, which is atomic, so of several concurrent redemptions exactly one sees "first use".
 * `ioredis` is an optional peer dependency, imported only when this store creates its own client.
 */
import { TransitiveProofError } from '../errors.js';
import { assertConsumeArguments, type ReplayStore } from './store.js';

/** The one command the store needs; an `ioredis` client satisfies it. */
export interface RedisLike {
  set(key: string, value: string, millisecondsToken: 'PX', milliseconds: number, nx: 'NX'): Promise<string | null>;
}

export interface RedisReplayStoreOptions {
  /** Prefix of every key. Default `tproof:replay:`. */
  keyPrefix?: string;
  /** Injected clock (for the TTL computation). Default: `() => new Date()`. */
  clock?: () => Date;
}

export const DEFAULT_REDIS_KEY_PREFIX = 'tproof:replay:';

export class RedisReplayStore implements ReplayStore {
  readonly #client: RedisLike;
  readonly #prefix: string;
  readonly #clock: () => Date;

  constructor(client: RedisLike, options: RedisReplayStoreOptions = {}) {
    this.#client = client;
    this.#prefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
    this.#clock = options.clock ?? (() => new Date());
  }

  async consume(key: string, expiresAt: number): Promise<boolean> {
    assertConsumeArguments(key, expiresAt);
    // At least one second: an entry must outlive the request that wrote it.
    const ttlMs = Math.max(1000, Math.ceil(expiresAt * 1000 - this.#clock().getTime()));
    let reply: string | null;
    try {
      reply = await this.#client.set(this.#prefix + key, '1', 'PX', ttlMs, 'NX');
    } catch (cause) {
      throw new TransitiveProofError('replay_store_unavailable', 'the replay store (Redis) did not answer', { cause });
    }
    if (reply === 'OK') return true;
    if (reply === null) return false;
    throw new TransitiveProofError('replay_store_unavailable', 'the replay store (Redis) gave an unexpected reply');
  }
}

export interface RedisConnectionOptions extends RedisReplayStoreOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379/0`. */
  url: string;
  /** Connection timeout. Default 2000 ms. */
  connectTimeoutMs?: number;
}

/** A store with its own ioredis connection; `close()` ends it. */
export interface OwnedRedisReplayStore extends ReplayStore {
  close(): Promise<void>;
}

/**
 * Connect to Redis with ioredis (imported lazily) and return a store over that connection.
 * Commands fail fast instead of queueing while disconnected, so an unreachable Redis makes
 * `consume` reject (fail closed) rather than hang.
 */
export async function connectRedisReplayStore(options: RedisConnectionOptions): Promise<OwnedRedisReplayStore> {
  let Redis: typeof import('ioredis').Redis;
  try {
    ({ Redis } = await import('ioredis'));
  } catch (cause) {
    throw new TransitiveProofError('invalid_argument', 'the Redis replay store needs the optional dependency "ioredis"', { cause });
  }
  const client = new Redis(options.url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
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
