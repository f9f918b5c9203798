/**
 * One ioredis connection (or Redis Cluster client) as both Redis stores open it (Node only; ioredis
 * is an optional peer dependency, imported here on first use). No offline queue, one retry per
 * command, a command timeout, and unanswered commands never re-sent on a new connection (a WAIT
 * re-sent there would count nothing and answer at once), so an outage or a stall makes commands
 * reject within a bound: the stores turn that into their `*_unavailable` code and fail closed. A
 * connection silent for that bound while commands wait is replaced (half-open connections).
 */
import type { Cluster as IOCluster, Redis as IORedis, RedisOptions } from 'ioredis';
import { TransitiveProofError, invalidArgument, type ErrorCode } from '../errors.js';
import { boundOption } from '../model/limits.js';
import { DEFAULT_REDIS_COMMAND_TIMEOUT_MS } from '../stores/redis-common.js';

/** A Redis Cluster node to discover the cluster from. */
export type RedisClusterNode = string | { host: string; port: number };

export interface RedisClientOptions {
  /** One server (or the primary Sentinel / a managed service names). */
  url?: string;
  /** A Redis Cluster: some of its nodes (`redis://host:port` or `{ host, port }`); the rest are discovered. */
  cluster?: readonly RedisClusterNode[];
  /** Default 2000 ms; also bounds the whole connection (and the cluster's first slot map). */
  connectTimeoutMs?: number;
  /** Bound of every command, ms. Default 1000. */
  commandTimeoutMs?: number;
  /** ioredis's retryStrategy (per node on a cluster); ioredis's default when absent. */
  retryStrategy?: (attempt: number) => number | null;
  /** Password for every cluster node (a URL carries its own). */
  password?: string;
}

export type RedisClient = IORedis | IOCluster;

/** What to call the store in errors, and the code for an unreachable server. */
export interface RedisStoreLabel {
  name: string;
  unavailable: ErrorCode;
}

export async function connectRedisClient(options: RedisClientOptions, store: RedisStoreLabel): Promise<RedisClient> {
  if ((options.url === undefined) === (options.cluster === undefined)) {
    throw invalidArgument(`the Redis ${store.name} needs either url or cluster`);
  }
  // Checked before any connection (the stores check commandTimeoutMs again, with the replica wait it must contain).
  const connectTimeout = boundOption('connectTimeoutMs', options.connectTimeoutMs, 2000);
  const commandTimeout = boundOption('commandTimeoutMs', options.commandTimeoutMs, DEFAULT_REDIS_COMMAND_TIMEOUT_MS);
  let ioredis: { Redis: typeof import('ioredis').Redis; Cluster: typeof import('ioredis').Cluster };
  try {
    const { Redis, Cluster } = await import('ioredis');
    ioredis = { Redis, Cluster };
  } catch (cause) {
    throw invalidArgument(`the Redis ${store.name} needs the optional dependency "ioredis"`, cause);
  }
  const common = {
    connectTimeout,
    commandTimeout,
    // A connection that answers nothing for a command's bound is dropped and opened again (ioredis
    // 5.4.2+): a half-open one (a peer or middlebox that lost it, packets dropped) is otherwise kept
    // until TCP gives up, many minutes during which every use fails closed.
    socketTimeout: commandTimeout,
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    ...(options.password === undefined ? {} : { password: options.password }),
  } satisfies RedisOptions;
  const client: RedisClient = options.cluster !== undefined
    ? new ioredis.Cluster(options.cluster.map(clusterNode), {
      lazyConnect: true,
      enableOfflineQueue: false,
      // A failover moves slots: learn the new map within a second, and retry a redirected command soon.
      slotsRefreshInterval: 1000,
      slotsRefreshTimeout: connectTimeout,
      retryDelayOnFailover: 100,
      retryDelayOnClusterDown: 100,
      redisOptions: common,
      ...(options.retryStrategy === undefined ? {} : { clusterRetryStrategy: options.retryStrategy }),
    })
    : new ioredis.Redis(options.url as string, {
      ...common,
      lazyConnect: true,
      enableOfflineQueue: false,
      ...(options.retryStrategy === undefined ? {} : { retryStrategy: options.retryStrategy }),
    });
  client.on('error', () => {
    // Connection errors surface as rejected commands; without a listener ioredis would print
    // every reconnect attempt.
  });
  const where = options.url !== undefined ? redactUrl(options.url) : `the cluster at ${options.cluster?.map((node) => (typeof node === 'string' ? redactUrl(node) : `${node.host}:${node.port}`)).join(', ')}`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // Bounded as a whole: a server that accepts the connection and then stalls must not hold start-up.
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${connectTimeout} ms`)), connectTimeout))),
    ]);
  } catch (cause) {
    client.disconnect();
    throw new TransitiveProofError(store.unavailable, `cannot connect to the Redis ${store.name} at ${where}`, { cause });
  } finally {
    clearTimeout(timer);
  }
  return client;
}

function clusterNode(node: RedisClusterNode): { host: string; port: number } {
  if (typeof node !== 'string') return node;
  const parsed = new URL(node);
  return { host: parsed.hostname, port: Number(parsed.port || 6379) };
}

/** Close a client opened by connectRedisClient. */
export async function closeRedisClient(client: RedisClient): Promise<void> {
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

/**
 * The Redis Cluster slot of a key (the cluster specification's HASH_SLOT: CRC16-XMODEM of the key,
 * or of its hash tag, the part between the first `{` and the next `}` when not empty, mod 16384).
 */
export function clusterKeySlot(key: string): number {
  const open = key.indexOf('{');
  const close = open >= 0 ? key.indexOf('}', open + 1) : -1;
  const hashed = close > open + 1 ? key.slice(open + 1, close) : key;
  let crc = 0;
  for (const byte of new TextEncoder().encode(hashed)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

/** For an ioredis Cluster: the nodes serving a key's slot, as the cluster's slot map has them now. */
export function clusterNodesOf(cluster: IOCluster): (key: string) => string | undefined {
  return (key) => cluster.slots[clusterKeySlot(key)]?.join(';');
}
