/**
 * A replay store shared by every authorization-server process (SPEC-NOTES §8.5). One atomic Lua
 * script per use: it checks that the store's state marker is still there, then `SET key 1 PX ttl
 * NX`, so of several concurrent redemptions exactly one sees "first use".
 *
 * A Redis that loses its data (restart without AOF, flush, eviction) would forget redeemed chains
 * and let each be redeemed again until its `exp`. So the store:
 * - refuses to work against a Redis without AOF persistence or with an evicting memory policy,
 *   unless the caller accepts volatile state explicitly;
 * - writes a marker key once; if the marker is gone the server lost data, and the store refuses
 *   every use for the fail-closed window (the longest a chain redeemed before the loss can still
 *   verify), recorded in the marker itself so every process sharing the Redis agrees.
 * With replicas, a first use counts only once they acknowledge it (WAIT / WAITAOF); on a Redis
 * Cluster the keys of one use share a hash tag and each slot group has its own marker.
 * It takes a connected client; `connectRedisReplayStore` (transitive-proof/redis, Node only) makes one with ioredis.
 */
import { TransitiveProofError, invalidArgument } from '../errors.js';
import { instantMillis } from '../model/instant.js';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_MAX_LIFETIME_SECONDS } from '../trust/trust.js';
import { assertConsumeArguments } from './store.js';
import type { ReplayStore } from '../ports.js';
import {
  assertTimeouts, boundedCommand, clusterNodes, connectedReplicas, defaultReplicaAcks, luaTtlUntil, readConnectedReplicas, parseInfo, writeAcknowledged,
  DEFAULT_REDIS_COMMAND_TIMEOUT_MS, DEFAULT_REPLICA_ACK_TIMEOUT_MS,
  type RedisPipelineLike, type ReplicaAcks, type StoreCommands,
} from '../stores/redis-common.js';

/** The commands the store needs; an `ioredis` client (`Redis` or `Cluster`) satisfies it. */
export interface RedisLike {
  eval(script: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
  info(section: string): Promise<string>;
  set(key: string, value: string, nx: 'NX'): Promise<string | null>;
  /** `CONFIG GET appendfsync`, when the server allows CONFIG (managed services often do not). */
  config?(subcommand: 'GET', parameter: string): Promise<unknown>;
  /** Any command (`COMMAND INFO WAITAOF`); without it WAITAOF is not used. */
  call?(command: string, ...args: (string | number)[]): Promise<unknown>;
  /** One connection's pipeline: needed when replicas must acknowledge (the write and its WAIT on one connection). */
  pipeline?(): RedisPipelineLike;
  /** A Redis Cluster client's primaries (ioredis `Cluster#nodes('master')`); absent for one server. */
  nodes?(role: 'master'): RedisLike[];
}

export interface RedisReplayStoreOptions {
  /** Prefix of every key. Default `tproof:replay:`. */
  keyPrefix?: string;
  /** Injected clock (the fail-closed window; entry TTLs are counted on the server's clock). Default: `() => new Date()`. */
  clock?: () => Date;
  /**
   * Work against a Redis without AOF persistence (`appendonly yes`) or with a memory policy that
   * evicts keys. Default false: such a server is refused, because a restart or an eviction would
   * forget redeemed chains. Lost state is still detected (the marker) when this is true.
   */
  acceptVolatileState?: boolean;
  /**
   * How long every use is refused after the store finds its state lost, in seconds: the longest
   * time a chain redeemed before the loss can still verify, i.e. the trust's `maxLifetimeSeconds`
   * plus twice its clock tolerance (see `replayFailClosedSeconds`). Default 86 460 (the defaults).
   */
  failClosedSeconds?: number;
  /**
   * This Redis has never held replay state under this prefix (a new deployment): a missing marker
   * is then written as "serving" instead of "lost". Default false: with no marker the store cannot
   * tell a new deployment from a loss and fails closed for `failClosedSeconds`. Set it for the
   * first start only: a loss while the store runs is detected, unless a process starts with this
   * option after the loss and before any use found the marker missing (it then writes the marker as
   * serving). Never keep it in a configuration that processes restart with.
   */
  freshDeployment?: boolean;
  /**
   * Replicas that must acknowledge every first use (WAIT, or WAITAOF where the server has it)
   * within `replicaAckTimeoutMs`; a use they do not acknowledge is refused
   * (replay_store_unavailable). Default: 1 when a primary reports a connected replica at start,
   * else 0, and while it is 0 replication is read again every REPLICA_RECHECK_MS (10 s): a replica
   * that was away at start raises it to 1; it never falls back. 0 opts out explicitly (a failover
   * may then lose the last redemptions). The store refuses to start while a primary has fewer
   * connected replicas than this.
   */
  replicaAcks?: number;
  /** Bound of the wait for replicas, ms. Default 250; below `commandTimeoutMs`. */
  replicaAckTimeoutMs?: number;
  /** Wait for the replicas' AOF fsync (WAITAOF) rather than their receipt (WAIT). Default: WAITAOF where every primary has it (Redis 7.2+, Valkey). */
  waitAof?: boolean;
  /** Bound of every Redis command, ms. Default 1000. */
  commandTimeoutMs?: number;
  /**
   * Redis Cluster: which uses may share one acknowledged pipeline (group commit), from the Redis key
   * of the use: connectRedisReplayStore gives the nodes serving the key's slot. Default: the slot
   * group (one slot). Uses of different slots of one node may share a pipeline.
   */
  pipelineGroup?: (redisKey: string) => string | undefined;
  /**
   * Redis Cluster: the slot groups keys are spread over (hash tags `{0}` … `{G-1}`), each with its
   * own state marker. Default 1024. Part of the key layout: never change it under one `keyPrefix`.
   */
  slotGroups?: number;
}

export const DEFAULT_REDIS_KEY_PREFIX = 'tproof:replay:';

/** The fail-closed window for a trust configuration: its longest link lifetime plus twice its tolerance. */
export function replayFailClosedSeconds(trust: { maxLifetimeSeconds: number; clockToleranceSeconds: number }): number {
  // A chain issued just before the loss may carry iat = now + tolerance, exp = iat + lifetime, and
  // its replay entry lives until exp + tolerance.
  return trust.maxLifetimeSeconds + 2 * trust.clockToleranceSeconds;
}

export const DEFAULT_FAIL_CLOSED_SECONDS = replayFailClosedSeconds({
  maxLifetimeSeconds: DEFAULT_MAX_LIFETIME_SECONDS,
  clockToleranceSeconds: DEFAULT_CLOCK_TOLERANCE_SECONDS,
});

const MARKER_SUFFIX = '__state';
const MARKER_LOST = -1;
const MARKER_CLOSED = -2;
export const DEFAULT_SLOT_GROUPS = 1024;

// KEYS[1] marker, KEYS[2] replay key; ARGV[1] expiresAt (ms since the epoch), ARGV[2] now (ms since
// the epoch, the process's clock). The marker holds the time (ms) before which the store refuses
// every use: 0 when serving. The TTL is the time until expiresAt on the server's clock (luaTtlUntil):
// counted on the writer's, a process whose clock runs ahead would record a redemption Redis forgets
// while a process with a correct clock still accepts the chain.
const CONSUME_SCRIPT = `
local closedUntil = redis.call('GET', KEYS[1])
if not closedUntil then return ${MARKER_LOST} end
if tonumber(closedUntil) > tonumber(ARGV[2]) then return ${MARKER_CLOSED} end
${luaTtlUntil(1)}
if redis.call('SET', KEYS[2], '1', 'PX', string.format('%d', ttl), 'NX') then return 1 end
return 0`;

/**
 * Where a replay key and the marker guarding it live. One server: `<prefix><key>` and
 * `<prefix>__state`. A cluster: the key falls in slot group g (FNV-1a of the key, mod G), and both
 * carry the hash tag `{g}`, so one EVAL touches one slot and each group has its own marker:
 * `<prefix>{g}<key>`, `<prefix>{g}__state:G` (G in the marker's name: another G is another layout,
 * found without markers, so it fails closed for the window instead of missing old entries).
 */
export function replayKeyLayout(prefix: string, key: string, slotGroups: number | undefined): { key: string; marker: string } {
  if (slotGroups === undefined) return { key: prefix + key, marker: prefix + MARKER_SUFFIX };
  const tag = `${prefix}{${slotGroup(key, slotGroups)}}`;
  return { key: tag + key, marker: groupMarker(prefix, slotGroup(key, slotGroups), slotGroups) };
}

function groupMarker(prefix: string, group: number, slotGroups: number): string {
  return `${prefix}{${group}}${MARKER_SUFFIX}:${slotGroups}`;
}

/** FNV-1a (32 bit) of the key's UTF-16 code units, mod G: spreads keys, not a security property. */
function slotGroup(key: string, slotGroups: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % slotGroups;
}

/** What start-up learned about the server(s): how writes are acknowledged. */
interface Started {
  acks: ReplicaAcks;
  /**
   * Set while the acknowledgements are the default's k = 0 (no replica seen yet): when replication
   * was last read (the store's clock, ms) and whether WAITAOF would apply, so that a replica that
   * attaches later raises k to 1 (REPLICA_RECHECK_MS).
   */
  unreplicated?: { checkedAt: number; waitAof: { local: 0 | 1 } | undefined };
}

/**
 * How often (ms, the store's clock) a store whose default found no replica reads `INFO replication`
 * again: a process that started while its primary's only replica was away does not run
 * unacknowledged for its life. The default only rises (0 → 1), never falls: a replica that goes
 * away later makes uses fail closed, as with an explicit `replicaAcks`.
 */
export const REPLICA_RECHECK_MS = 10_000;

export class RedisReplayStore implements ReplayStore {
  readonly #client: RedisLike;
  readonly #prefix: string;
  readonly #clock: () => Date;
  readonly #acceptVolatileState: boolean;
  readonly #failClosedMs: number;
  readonly #freshDeployment: boolean;
  readonly #replicaAcks: number | undefined;
  readonly #replicaAckTimeoutMs: number;
  readonly #waitAof: boolean | undefined;
  readonly #commands: StoreCommands;
  /** Set for a cluster client: the number of slot groups. */
  readonly #slotGroups: number | undefined;
  /** Set once the server's persistence and replication were checked and the marker(s) written. */
  #started: Promise<Started> | undefined;
  /** The read of INFO replication in flight, when the default's k = 0 is being checked again. */
  #recheck: Promise<void> | undefined;
  /** Group commit (#acknowledged): uses waiting for the next pipeline of their slot, and the slots with one in flight. */
  readonly #queued = new Map<string, { args: readonly (string | number)[]; resolve: (value: { reply: unknown; acknowledged: boolean; detail: string }) => void; reject: (error: unknown) => void }[]>();
  readonly #inFlight = new Set<string>();
  readonly #pipelineGroup: ((redisKey: string) => string | undefined) | undefined;

  constructor(client: RedisLike, options: RedisReplayStoreOptions = {}) {
    const failClosedSeconds = options.failClosedSeconds ?? DEFAULT_FAIL_CLOSED_SECONDS;
    if (!Number.isFinite(failClosedSeconds) || failClosedSeconds < 0) {
      throw invalidArgument('failClosedSeconds must be a non-negative number');
    }
    const replicaAcks = options.replicaAcks;
    if (replicaAcks !== undefined && (!Number.isSafeInteger(replicaAcks) || replicaAcks < 0)) {
      throw invalidArgument('replicaAcks must be a non-negative integer');
    }
    const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS;
    this.#replicaAckTimeoutMs = options.replicaAckTimeoutMs ?? Math.min(DEFAULT_REPLICA_ACK_TIMEOUT_MS, Math.floor(commandTimeoutMs / 2));
    assertTimeouts(commandTimeoutMs, this.#replicaAckTimeoutMs);
    const clustered = typeof client.nodes === 'function';
    const slotGroups = options.slotGroups ?? DEFAULT_SLOT_GROUPS;
    if (clustered && (!Number.isSafeInteger(slotGroups) || slotGroups < 1 || slotGroups > 16384)) {
      throw invalidArgument('slotGroups must be an integer from 1 to 16384');
    }
    this.#prefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
    if (clustered && /[{}]/.test(this.#prefix)) throw invalidArgument('on a Redis Cluster the keyPrefix must not contain { or } (the store sets the hash tags)');
    this.#client = client;
    this.#clock = options.clock ?? (() => new Date());
    this.#acceptVolatileState = options.acceptVolatileState === true;
    this.#failClosedMs = Math.ceil(failClosedSeconds * 1000);
    this.#freshDeployment = options.freshDeployment === true;
    this.#replicaAcks = replicaAcks;
    this.#waitAof = options.waitAof;
    this.#commands = { timeoutMs: commandTimeoutMs, code: 'replay_store_unavailable', name: 'replay store' };
    this.#slotGroups = clustered ? slotGroups : undefined;
    this.#pipelineGroup = options.pipelineGroup;
  }

  /**
   * Check the server(s) (persistence, eviction, replication) and write the state marker(s). Runs
   * on the first use when not called; rejects (replay_store_unavailable) for a server that would
   * lose state or cannot give the acknowledgements required.
   */
  start(): Promise<void> {
    return this.#start().then(() => undefined);
  }

  #start(): Promise<Started> {
    this.#started ??= this.#check().catch((error: unknown) => {
      this.#started = undefined; // an unreachable server is retried on the next use
      throw error;
    });
    return this.#started;
  }

  async #check(): Promise<Started> {
    const nodes = clusterNodes(this.#client) ?? [this.#client];
    if (nodes.length === 0) throw new TransitiveProofError('replay_store_unavailable', 'the Redis Cluster has no reachable primary');
    const servers = await Promise.all(nodes.map((node) => this.#inspect(node)));
    for (const server of servers) {
      if (server.role !== 'master') throw new TransitiveProofError('replay_store_unavailable', `the Redis replay store is connected to a ${server.role ?? 'server of unknown role'}, not a primary`);
      if (!this.#acceptVolatileState && server.volatility !== undefined) {
        throw new TransitiveProofError('replay_store_unavailable', `the Redis replay store would lose redeemed chains: ${server.volatility}; fix the server or pass acceptVolatileState: true`);
      }
    }
    // Safe by default: replicas a failover could promote must hold every redemption that counted.
    const replicas = this.#replicaAcks ?? defaultReplicaAcks(servers.map((server) => server.connectedReplicas));
    const short = servers.find((server) => server.connectedReplicas < replicas);
    if (short !== undefined) {
      throw new TransitiveProofError('replay_store_unavailable', `a Redis primary has ${short.connectedReplicas} connected replicas; ${replicas} must acknowledge every redemption (replicaAcks; 0 opts out)`);
    }
    if (replicas > 0 && typeof this.#client.pipeline !== 'function') {
      throw new TransitiveProofError('replay_store_unavailable', 'replicas must acknowledge every redemption but the Redis client has no pipeline() to send the write and its WAIT on one connection');
    }
    const waitAof = (this.#waitAof ?? servers.every((server) => server.hasWaitAof)) ? { local: servers.every((server) => server.aof) ? 1 as const : 0 as const } : undefined;
    const acks: ReplicaAcks = { replicas, timeoutMs: this.#replicaAckTimeoutMs, ...(waitAof !== undefined && replicas > 0 ? { waitAof } : {}) };
    // Written once: the first process decides; an existing marker (serving or closed) is kept.
    const closedUntil = this.#freshDeployment ? 0 : instantMillis(this.#clock(), 'the replay store clock\'s time') + this.#failClosedMs;
    const markers = this.#slotGroups === undefined
      ? [this.#prefix + MARKER_SUFFIX]
      : Array.from({ length: this.#slotGroups }, (_, group) => groupMarker(this.#prefix, group, this.#slotGroups as number));
    await Promise.all(markers.map((marker) => this.#command(() => this.#client.set(marker, String(closedUntil), 'NX'))));
    const unreplicated = this.#replicaAcks === undefined && replicas === 0
      ? { checkedAt: instantMillis(this.#clock(), 'the replay store clock\'s time'), waitAof }
      : undefined;
    return unreplicated === undefined ? { acks } : { acks, unreplicated };
  }

  /**
   * The acknowledgements for a use: start-up's, raised to the default's k = 1 once a primary reports
   * a connected replica (read at most every REPLICA_RECHECK_MS; one read in flight at a time).
   * Without a promise unless replication is to be read.
   */
  #currentAcks(started: Started, now: number): ReplicaAcks | Promise<ReplicaAcks> {
    const unreplicated = started.unreplicated;
    if (unreplicated === undefined || now - unreplicated.checkedAt < REPLICA_RECHECK_MS) return started.acks;
    const primaries = clusterNodes(this.#client) ?? [this.#client];
    this.#recheck ??= readConnectedReplicas(this.#commands, primaries).then((counts) => {
      unreplicated.checkedAt = now;
      if (defaultReplicaAcks(counts) === 0) return;
      if (typeof this.#client.pipeline !== 'function') {
        throw new TransitiveProofError('replay_store_unavailable', 'a replica attached: it must acknowledge every redemption but the Redis client has no pipeline() to send the write and its WAIT on one connection');
      }
      started.acks = { replicas: 1, timeoutMs: this.#replicaAckTimeoutMs, ...(unreplicated.waitAof === undefined ? {} : { waitAof: unreplicated.waitAof }) };
      delete started.unreplicated;
    }).finally(() => {
      this.#recheck = undefined;
    });
    return this.#recheck.then(() => started.acks);
  }

  /** One primary's persistence, eviction policy, role and replicas. */
  async #inspect(node: RedisLike): Promise<{ role: string | undefined; connectedReplicas: number; volatility: string | undefined; aof: boolean; hasWaitAof: boolean }> {
    const [persistence, memory, replication] = await Promise.all(['persistence', 'memory', 'replication'].map((section) => this.#command(() => node.info(section)).then(parseInfo)));
    const info = { persistence: persistence as Map<string, string>, memory: memory as Map<string, string>, replication: replication as Map<string, string> };
    return {
      role: info.replication.get('role'),
      connectedReplicas: connectedReplicas(info.replication),
      volatility: volatility(info.persistence, info.memory, await this.#appendFsync(node)),
      aof: info.persistence.get('aof_enabled') === '1',
      hasWaitAof: await this.#hasWaitAof(node),
    };
  }

  /** The server's appendfsync, or undefined when CONFIG is not available (not an error). */
  async #appendFsync(node: RedisLike): Promise<string | undefined> {
    if (node.config === undefined) return undefined;
    try {
      const reply = await this.#command(() => (node.config as NonNullable<RedisLike['config']>)('GET', 'appendfsync'));
      return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : undefined;
    } catch {
      return undefined;
    }
  }

  /** Whether the server knows WAITAOF (Redis 7.2+, Valkey): `COMMAND INFO WAITAOF` is not [null]. */
  async #hasWaitAof(node: RedisLike): Promise<boolean> {
    if (node.call === undefined) return false;
    try {
      const reply = await this.#command(() => (node.call as NonNullable<RedisLike['call']>)('COMMAND', 'INFO', 'WAITAOF'));
      return Array.isArray(reply) && Array.isArray(reply[0]);
    } catch {
      return false;
    }
  }

  async consume(key: string, expiresAt: number): Promise<boolean> {
    assertConsumeArguments(key, expiresAt);
    const started = await this.#start();
    const now = instantMillis(this.#clock(), 'the replay store clock\'s time');
    const current = this.#currentAcks(started, now);
    const acks = current instanceof Promise ? await current : current;
    // The TTL is computed by the script, on the server's clock (CONSUME_SCRIPT).
    const layout = replayKeyLayout(this.#prefix, key, this.#slotGroups);
    const args = [layout.marker, layout.key, Math.ceil(expiresAt * 1000), now] as const;
    let reply: unknown;
    if (acks.replicas === 0) {
      reply = await this.#command(() => this.#client.eval(CONSUME_SCRIPT, 2, ...args));
    } else {
      // Bounded from the moment it is queued, whatever batch it waits for.
      const group = this.#pipelineGroup?.(layout.key) ?? layout.marker;
      const written = await this.#command(() => this.#acknowledged(group, args, acks));
      reply = written.reply;
      // Only a first use needs the replicas: a replay or a closed store issues nothing. The key is
      // on the primary now, so a retry there is "replayed"; no token was issued for this use.
      if (reply === 1 && !written.acknowledged) {
        throw new TransitiveProofError('replay_store_unavailable', `the replicas did not acknowledge the redemption (${written.detail}); refused`);
      }
    }
    if (reply === 1) return true;
    if (reply === 0) return false;
    if (reply === MARKER_LOST) {
      // The server (or this slot group's shard) lost its data: nothing redeemed before can be told
      // from new. Close for the window.
      await this.#command(() => this.#client.set(layout.marker, String(now + this.#failClosedMs), 'NX'));
      throw new TransitiveProofError('replay_store_unavailable', 'the Redis replay store lost its state; redemptions are refused for the fail-closed window');
    }
    if (reply === MARKER_CLOSED) {
      throw new TransitiveProofError('replay_store_unavailable', 'the Redis replay store is within its fail-closed window after a loss of state');
    }
    throw new TransitiveProofError('replay_store_unavailable', 'the replay store (Redis) gave an unexpected reply');
  }

  /**
   * Group commit: the first use of a slot (one server: every use; a cluster: its slot group) is
   * sent at once as [EVAL, WAIT]; uses arriving while it is in flight wait and then go together as
   * [EVAL, EVAL, ..., WAIT], one WAIT covering every write before it on that connection.
   */
  #acknowledged(slot: string, args: readonly (string | number)[], acks: ReplicaAcks): Promise<{ reply: unknown; acknowledged: boolean; detail: string }> {
    return new Promise((resolve, reject) => {
      const batch = this.#queued.get(slot);
      if (batch !== undefined) {
        batch.push({ args, resolve, reject });
        return;
      }
      this.#queued.set(slot, [{ args, resolve, reject }]);
      if (!this.#inFlight.has(slot)) void this.#flush(slot, acks);
    });
  }

  async #flush(slot: string, acks: ReplicaAcks): Promise<void> {
    const batch = this.#queued.get(slot);
    this.#queued.delete(slot);
    if (batch === undefined || batch.length === 0) return;
    this.#inFlight.add(slot);
    try {
      const pipeline = (this.#client.pipeline as () => RedisPipelineLike).call(this.#client);
      for (const item of batch) pipeline.eval(CONSUME_SCRIPT, 2, ...item.args);
      const written = await writeAcknowledged(this.#commands, pipeline, batch.length, acks);
      batch.forEach((item, index) => {
        const [error, reply] = written.replies[index] ?? [null, undefined];
        if (error !== null) item.reject(new TransitiveProofError('replay_store_unavailable', 'the replay store (Redis) did not answer', { cause: error }));
        else item.resolve({ reply, acknowledged: written.acknowledged, detail: written.detail });
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
    } finally {
      this.#inFlight.delete(slot);
      if (this.#queued.has(slot)) void this.#flush(slot, acks);
    }
  }

  #command<T>(run: () => Promise<T>): Promise<T> {
    return boundedCommand(this.#commands, run);
  }
}

/** Why the server would lose replay entries, or undefined when it keeps them. */
function volatility(persistence: Map<string, string>, memory: Map<string, string>, appendFsync: string | undefined): string | undefined {
  if (persistence.get('aof_enabled') !== '1') return 'AOF persistence is off (set appendonly yes)';
  // "no" leaves the AOF to the OS's flushing (tens of seconds); "everysec" is accepted (see README).
  if (appendFsync === 'no') return 'appendfsync is no (set always, or everysec)';
  const maxMemory = memory.get('maxmemory');
  const policy = memory.get('maxmemory_policy');
  if (maxMemory !== undefined && maxMemory !== '0' && policy !== undefined && policy !== 'noeviction') {
    return `maxmemory-policy ${policy} evicts keys (set noeviction)`;
  }
  return undefined;
}
