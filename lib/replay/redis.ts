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
 * It takes a connected client; `connectRedisReplayStore` (transitive-proof/redis, Node only) makes one with ioredis.
 */
import { TransitiveProofError } from '../errors.js';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_MAX_LIFETIME_SECONDS } from '../trust/trust.js';
import { assertConsumeArguments } from './store.js';
import type { ReplayStore } from '../ports.js';

/** The commands the store needs; an `ioredis` client satisfies it. */
export interface RedisLike {
  eval(script: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
  info(section: string): Promise<string>;
  set(key: string, value: string, nx: 'NX'): Promise<string | null>;
  /** `CONFIG GET appendfsync`, when the server allows CONFIG (managed services often do not). */
  config?(subcommand: 'GET', parameter: string): Promise<unknown>;
}

export interface RedisReplayStoreOptions {
  /** Prefix of every key. Default `tproof:replay:`. */
  keyPrefix?: string;
  /** Injected clock (TTLs, the fail-closed window). Default: `() => new Date()`. */
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
   * first start only; a loss while the store runs is detected either way.
   */
  freshDeployment?: boolean;
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

// KEYS[1] marker, KEYS[2] replay key; ARGV[1] TTL (ms), ARGV[2] now (ms since the epoch).
// The marker holds the time (ms) before which the store refuses every use: 0 when serving.
const CONSUME_SCRIPT = `
local closedUntil = redis.call('GET', KEYS[1])
if not closedUntil then return ${MARKER_LOST} end
if tonumber(closedUntil) > tonumber(ARGV[2]) then return ${MARKER_CLOSED} end
if redis.call('SET', KEYS[2], '1', 'PX', ARGV[1], 'NX') then return 1 end
return 0`;

export class RedisReplayStore implements ReplayStore {
  readonly #client: RedisLike;
  readonly #prefix: string;
  readonly #marker: string;
  readonly #clock: () => Date;
  readonly #acceptVolatileState: boolean;
  readonly #failClosedMs: number;
  readonly #freshDeployment: boolean;
  /** Set once the server's persistence was checked and the marker written. */
  #started: Promise<void> | undefined;

  constructor(client: RedisLike, options: RedisReplayStoreOptions = {}) {
    const failClosedSeconds = options.failClosedSeconds ?? DEFAULT_FAIL_CLOSED_SECONDS;
    if (!Number.isFinite(failClosedSeconds) || failClosedSeconds < 0) {
      throw new TransitiveProofError('invalid_argument', 'failClosedSeconds must be a non-negative number');
    }
    this.#client = client;
    this.#prefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
    this.#marker = this.#prefix + MARKER_SUFFIX;
    this.#clock = options.clock ?? (() => new Date());
    this.#acceptVolatileState = options.acceptVolatileState === true;
    this.#failClosedMs = Math.ceil(failClosedSeconds * 1000);
    this.#freshDeployment = options.freshDeployment === true;
  }

  /**
   * Check the server (persistence, eviction) and write the state marker. Runs on the first use
   * when not called; rejects (replay_store_unavailable) for a server that would lose state.
   */
  start(): Promise<void> {
    this.#started ??= this.#start().catch((error: unknown) => {
      this.#started = undefined; // an unreachable server is retried on the next use
      throw error;
    });
    return this.#started;
  }

  async #start(): Promise<void> {
    const persistence = await this.#command(() => this.#client.info('persistence'));
    const memory = await this.#command(() => this.#client.info('memory'));
    if (!this.#acceptVolatileState) {
      const problem = volatility(parseInfo(persistence), parseInfo(memory), await this.#appendFsync());
      if (problem !== undefined) {
        throw new TransitiveProofError('replay_store_unavailable', `the Redis replay store would lose redeemed chains: ${problem}; fix the server or pass acceptVolatileState: true`);
      }
    }
    // Written once: the first process decides; an existing marker (serving or closed) is kept.
    const closedUntil = this.#freshDeployment ? 0 : this.#clock().getTime() + this.#failClosedMs;
    await this.#command(() => this.#client.set(this.#marker, String(closedUntil), 'NX'));
  }

  /** The server's appendfsync, or undefined when CONFIG is not available (not an error). */
  async #appendFsync(): Promise<string | undefined> {
    if (this.#client.config === undefined) return undefined;
    try {
      const reply = await this.#client.config('GET', 'appendfsync');
      return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : undefined;
    } catch {
      return undefined;
    }
  }

  async consume(key: string, expiresAt: number): Promise<boolean> {
    assertConsumeArguments(key, expiresAt);
    await this.start();
    const now = this.#clock().getTime();
    // At least one second: an entry must outlive the request that wrote it.
    const ttlMs = Math.max(1000, Math.ceil(expiresAt * 1000 - now));
    const reply = await this.#command(() => this.#client.eval(CONSUME_SCRIPT, 2, this.#marker, this.#prefix + key, ttlMs, now));
    if (reply === 1) return true;
    if (reply === 0) return false;
    if (reply === MARKER_LOST) {
      // The server lost its data: nothing redeemed before can be told from new. Close for the window.
      await this.#command(() => this.#client.set(this.#marker, String(now + this.#failClosedMs), 'NX'));
      throw new TransitiveProofError('replay_store_unavailable', 'the Redis replay store lost its state; redemptions are refused for the fail-closed window');
    }
    if (reply === MARKER_CLOSED) {
      throw new TransitiveProofError('replay_store_unavailable', 'the Redis replay store is within its fail-closed window after a loss of state');
    }
    throw new TransitiveProofError('replay_store_unavailable', 'the replay store (Redis) gave an unexpected reply');
  }

  async #command<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (cause) {
      throw new TransitiveProofError('replay_store_unavailable', 'the replay store (Redis) did not answer', { cause });
    }
  }
}

/** `INFO` output as a map of its `name:value` lines. */
function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of String(text).split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
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
