/**
 * What the two Redis stores (replay, lib/replay/redis.ts; revocation, lib/status/revocation.ts)
 * share, runtime-neutral (SPEC-NOTES §8.5): every command bounded in time and failing closed with
 * the store's code; the write and its replica acknowledgement (WAIT / WAITAOF) on one connection;
 * reading `INFO`; telling a cluster from one server.
 */
import { TransitiveProofError, invalidArgument, type ErrorCode } from '../errors.js';

/** Default bound of every store command (ms): a stalled Redis fails the request, it does not hold it. */
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 1000;
/** Default bound of the wait for replica acknowledgements (WAIT's timeout, ms). */
export const DEFAULT_REPLICA_ACK_TIMEOUT_MS = 250;

/**
 * Lua, for the stores' scripts: `local ttl` = the milliseconds from now to the absolute time (ms
 * since the epoch) in ARGV[argument], at least 1000, counted on the server's clock (`TIME`): the one
 * clock every process sharing the store agrees on. A writer whose clock runs ahead would otherwise
 * shorten an entry by its skew, and a process with a correct clock outlive it (SPEC-NOTES §8.5).
 * At least one second: an entry must outlive the request that wrote it.
 */
export function luaTtlUntil(argument: number): string {
  return `local time = redis.call('TIME')
local ttl = math.max(1000, tonumber(ARGV[${argument}]) - (tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)))`;
}

/** One connection's pipeline (ioredis `client.pipeline()`): commands written together, answered in order. */
export interface RedisPipelineLike {
  eval(script: string, numberOfKeys: number, ...args: (string | number)[]): unknown;
  set(key: string, value: string, millisecondsToken: 'PX', milliseconds: number): unknown;
  call(command: string, ...args: (string | number)[]): unknown;
  exec(): Promise<[Error | null, unknown][] | null>;
}

/** How a write is acknowledged by replicas: `WAIT k timeout`, or `WAITAOF local k timeout` (Redis 7.2+). */
export interface ReplicaAcks {
  /** Replicas that must acknowledge; 0: none (the write counts once the primary answered). */
  replicas: number;
  timeoutMs: number;
  /** Use WAITAOF (replicas fsynced it to their AOF; `local` 1: the primary did too) instead of WAIT. */
  waitAof?: { local: 0 | 1 };
}

/** The bound of every command and what to call the store in errors. */
export interface StoreCommands {
  timeoutMs: number;
  code: ErrorCode;
  name: string;
}

/**
 * Run one store command, bounded: a rejection or no answer within `timeoutMs` is the store's
 * `*_unavailable` error. The bound is the store's own, whatever the client does.
 */
export async function boundedCommand<T>(store: StoreCommands, run: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TransitiveProofError(store.code, `the ${store.name} (Redis) did not answer within ${store.timeoutMs} ms`)), store.timeoutMs);
  });
  try {
    return await Promise.race([run(), deadline]);
  } catch (cause) {
    if (cause instanceof TransitiveProofError && cause.code === store.code) throw cause;
    throw new TransitiveProofError(store.code, `the ${store.name} (Redis) did not answer`, { cause });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Send the writes already queued on `pipeline` and then the acknowledgement wait, in one pipeline,
 * so all run on one connection in that order (WAIT counts the acknowledgements of the connection's
 * own last write, so one WAIT after several writes covers them all; on another connection it would
 * count nothing and answer at once). Resolves each write's [error, reply] and whether enough
 * replicas acknowledged.
 */
export async function writeAcknowledged(store: StoreCommands, pipeline: RedisPipelineLike, writes: number, acks: ReplicaAcks): Promise<{ replies: [Error | null, unknown][]; acknowledged: boolean; detail: string }> {
  if (acks.waitAof !== undefined) pipeline.call('WAITAOF', acks.waitAof.local, acks.replicas, acks.timeoutMs);
  else pipeline.call('WAIT', acks.replicas, acks.timeoutMs);
  const results = await boundedCommand(store, () => pipeline.exec());
  if (!Array.isArray(results) || results.length !== writes + 1) throw new TransitiveProofError(store.code, `the ${store.name} (Redis) gave an unexpected reply`);
  const replies = results.slice(0, writes) as [Error | null, unknown][];
  const [waitError, waited] = results[writes] as [Error | null, unknown];
  if (waitError !== null) return { replies, acknowledged: false, detail: `the acknowledgement wait failed (${waitError.message})` };
  if (acks.waitAof !== undefined) {
    const [local, replicas] = Array.isArray(waited) ? (waited as unknown[]) : [];
    const acknowledged = typeof local === 'number' && typeof replicas === 'number' && local >= acks.waitAof.local && replicas >= acks.replicas;
    return { replies, acknowledged, detail: `WAITAOF: local ${String(local)}, ${String(replicas)} of ${acks.replicas} replicas within ${acks.timeoutMs} ms` };
  }
  return { replies, acknowledged: typeof waited === 'number' && waited >= acks.replicas, detail: `${String(waited)} of ${acks.replicas} replicas acknowledged within ${acks.timeoutMs} ms` };
}

/** `INFO` output as a map of its `name:value` lines. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of String(text).split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/**
 * The default of both stores' `replicaAcks`: 1 when any primary has a connected replica (one a
 * failover could promote must hold every write that counted), else 0 (SPEC-NOTES §8.5).
 */
export function defaultReplicaAcks(connectedReplicas: readonly number[]): number {
  return connectedReplicas.some((count) => count > 0) ? 1 : 0;
}

/** A primary's connected replicas, from its `INFO replication` (`connected_slaves`). */
export function connectedReplicas(replication: Map<string, string>): number {
  return Number(replication.get('connected_slaves') ?? 0) || 0;
}

/** Each primary's connected replicas, from its `INFO replication`, each read bounded like every command. */
export function readConnectedReplicas(store: StoreCommands, primaries: readonly { info(section: string): Promise<string> }[]): Promise<number[]> {
  return Promise.all(primaries.map((node) => boundedCommand(store, () => node.info('replication')).then((text) => connectedReplicas(parseInfo(text)))));
}

/** A client of a Redis Cluster (ioredis `Cluster`) exposes its nodes; a client of one server does not. */
export function clusterNodes<T>(client: { nodes?: (role: 'master') => T[] }): T[] | undefined {
  return typeof client.nodes === 'function' ? client.nodes('master') : undefined;
}

export function assertTimeouts(commandTimeoutMs: number, replicaAckTimeoutMs: number): void {
  if (!Number.isSafeInteger(commandTimeoutMs) || commandTimeoutMs < 1) throw invalidArgument('commandTimeoutMs must be a positive integer');
  if (!Number.isSafeInteger(replicaAckTimeoutMs) || replicaAckTimeoutMs < 1 || replicaAckTimeoutMs >= commandTimeoutMs) {
    throw invalidArgument('replicaAckTimeoutMs must be a positive integer below commandTimeoutMs (the wait runs inside one bounded command)');
  }
}
