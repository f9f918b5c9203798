/**
 * Links withdrawn by hash, effective at once (SPEC-NOTES.md §6.2 step 17a): a store of link hashes
 * (base64url SHA-256 of a link's exact bytes, the `prev` value of §4.4), each kept until the link
 * could no longer verify anyway. A chain any of whose links is in the store is refused
 * (`link_revoked`). Stores fail closed: a store that cannot answer raises
 * `revocation_store_unavailable`, never "not revoked".
 */
import type { RevocationStore } from '../ports.js';
import { TransitiveProofError, invalidArgument } from '../errors.js';
import { instantMillis } from '../model/instant.js';
import { boundOption } from '../model/limits.js';
import {
  assertTimeouts, boundedCommand, clusterNodes, defaultReplicaAcks, luaTtlUntil, readConnectedReplicas, writeAcknowledged,
  DEFAULT_REDIS_COMMAND_TIMEOUT_MS, DEFAULT_REPLICA_ACK_TIMEOUT_MS,
  type RedisPipelineLike, type ReplicaAcks, type StoreCommands,
} from '../stores/redis-common.js';

const LINK_HASH = /^[A-Za-z0-9_-]{43}$/;

function assertRevokeArguments(linkHash: string, expiresAt: number): void {
  if (typeof linkHash !== 'string' || !LINK_HASH.test(linkHash)) {
    throw invalidArgument('a link hash is base64url(SHA-256), 43 characters');
  }
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) throw invalidArgument('expiresAt must be a finite NumericDate');
}

export interface MemoryRevocationStoreOptions {
  /** Default 100 000. */
  maxEntries?: number;
  clock?: () => Date;
}

/**
 * One process. Bounded: when full it drops expired entries, and when every entry is still live it
 * refuses the new revocation (the caller learns it did not take effect) instead of forgetting one.
 */
export class MemoryRevocationStore implements RevocationStore {
  readonly #entries = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #clock: () => Date;

  constructor(options: MemoryRevocationStoreOptions = {}) {
    this.#maxEntries = boundOption('maxEntries', options.maxEntries, 100_000);
    this.#clock = options.clock ?? (() => new Date());
  }

  async revoke(linkHash: string, expiresAt: number): Promise<void> {
    assertRevokeArguments(linkHash, expiresAt);
    const now = instantMillis(this.#clock(), 'the revocation store clock\'s time') / 1000;
    if (!this.#entries.has(linkHash) && this.#entries.size >= this.#maxEntries) {
      for (const [key, until] of this.#entries) if (until <= now) this.#entries.delete(key);
      if (this.#entries.size >= this.#maxEntries) throw new TransitiveProofError('revocation_store_unavailable', 'the revocation store is full of unexpired entries');
    }
    this.#entries.set(linkHash, Math.max(expiresAt, this.#entries.get(linkHash) ?? 0));
  }

  async firstRevoked(linkHashes: readonly string[]): Promise<number> {
    const now = instantMillis(this.#clock(), 'the revocation store clock\'s time') / 1000;
    return linkHashes.findIndex((hash) => (this.#entries.get(hash) ?? 0) > now);
  }
}

/** The commands the Redis store needs; an `ioredis` client (`Redis` or `Cluster`) satisfies it. */
export interface RevocationRedisLike {
  /** The revocation script (REVOKE_SCRIPT): one key. */
  eval(script: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
  mget(...keys: string[]): Promise<(string | null)[]>;
  /** One key (a cluster: one GET per hash, since the hashes' keys live in different slots). */
  get?(key: string): Promise<string | null>;
  /** One connection's pipeline: needed when replicas must acknowledge a revocation. */
  pipeline?(): RedisPipelineLike;
  /** A Redis Cluster client's primaries (ioredis `Cluster#nodes('master')`); absent for one server. */
  nodes?(role: 'master'): { info(section: string): Promise<string> }[];
  /** `INFO replication`, read by each revocation when `replicaAcks` is not given (its default). */
  info?(section: string): Promise<string>;
}

export interface RedisRevocationStoreOptions {
  keyPrefix?: string;
  /** Not used: a revocation's TTL is counted on the server's clock (SPEC-NOTES §8.5). Accepted so that existing options still apply. */
  clock?: () => Date;
  /** Bound of every Redis command, ms. Default 1000: a check that times out fails closed. */
  commandTimeoutMs?: number;
  /**
   * Replicas that must acknowledge a revocation (WAIT) within `replicaAckTimeoutMs`, else `revoke`
   * rejects (it took effect on the primary, but a failover could lose it: revoke again). Default,
   * as the replay store's: 1 when a primary has a connected replica (read from `INFO replication`
   * at each revocation), else 0; 0 opts out.
   */
  replicaAcks?: number;
  /** Default 250 ms; below `commandTimeoutMs`. */
  replicaAckTimeoutMs?: number;
}

export const DEFAULT_REVOCATION_KEY_PREFIX = 'tproof:revoked:';

// KEYS[1] the link hash's key; ARGV[1] expiresAt (ms since the epoch). A revocation is never
// shortened, as in the memory store: a second revocation of the link with an earlier expiry (another
// operator, tool or process) keeps the later one; a later expiry extends it. The TTL is counted on
// the server's clock (luaTtlUntil), like the replay store's.
const REVOKE_SCRIPT = `
${luaTtlUntil(1)}
local current = redis.call('PTTL', KEYS[1])
if current == -1 or current >= ttl then return 'OK' end
redis.call('SET', KEYS[1], '1', 'PX', string.format('%d', ttl))
return 'OK'`;

/**
 * Shared by every verifier process: a script that sets `prefix+hash` with a TTL it never shortens to revoke, one `MGET` per chain (a
 * cluster: one `GET` per link hash, each key in its own slot). Every command is bounded; a check
 * that does not answer in time is `revocation_store_unavailable`, never "not revoked".
 */
export class RedisRevocationStore implements RevocationStore {
  readonly #client: RevocationRedisLike;
  readonly #prefix: string;
  readonly #commands: StoreCommands;
  readonly #replicaAcks: number | undefined;
  readonly #replicaAckTimeoutMs: number;
  readonly #clustered: boolean;

  constructor(client: RevocationRedisLike, options: RedisRevocationStoreOptions = {}) {
    const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS;
    const replicaAckTimeoutMs = options.replicaAckTimeoutMs ?? Math.min(DEFAULT_REPLICA_ACK_TIMEOUT_MS, Math.floor(commandTimeoutMs / 2));
    assertTimeouts(commandTimeoutMs, replicaAckTimeoutMs);
    const replicas = options.replicaAcks;
    if (replicas !== undefined && (!Number.isSafeInteger(replicas) || replicas < 0)) throw invalidArgument('replicaAcks must be a non-negative integer');
    if (replicas !== undefined && replicas > 0 && typeof client.pipeline !== 'function') throw invalidArgument('replicaAcks needs a client with pipeline()');
    if (replicas === undefined && (typeof client.info !== 'function' && typeof client.nodes !== 'function')) {
      throw invalidArgument('the default of replicaAcks reads INFO replication: the client needs info(), or pass replicaAcks');
    }
    this.#clustered = clusterNodes(client) !== undefined;
    if (this.#clustered && typeof client.get !== 'function') throw invalidArgument('a Redis Cluster client needs get()');
    this.#client = client;
    this.#prefix = options.keyPrefix ?? DEFAULT_REVOCATION_KEY_PREFIX;
    this.#commands = { timeoutMs: commandTimeoutMs, code: 'revocation_store_unavailable', name: 'revocation store' };
    this.#replicaAcks = replicas;
    this.#replicaAckTimeoutMs = replicaAckTimeoutMs;
  }

  /** The acknowledgements a revocation needs: `replicaAcks`, or its default read from the primaries now. */
  async #acks(): Promise<ReplicaAcks> {
    let replicas = this.#replicaAcks;
    if (replicas === undefined) {
      const nodes = clusterNodes(this.#client) ?? [this.#client as { info(section: string): Promise<string> }];
      if (nodes.length === 0) throw new TransitiveProofError('revocation_store_unavailable', 'the Redis Cluster has no reachable primary');
      replicas = defaultReplicaAcks(await readConnectedReplicas(this.#commands, nodes));
      if (replicas > 0 && typeof this.#client.pipeline !== 'function') {
        throw new TransitiveProofError('revocation_store_unavailable', 'a Redis primary has replicas that must acknowledge a revocation but the client has no pipeline() to send the write and its WAIT on one connection');
      }
    }
    return { replicas, timeoutMs: this.#replicaAckTimeoutMs };
  }

  async revoke(linkHash: string, expiresAt: number): Promise<void> {
    assertRevokeArguments(linkHash, expiresAt);
    const key = this.#prefix + linkHash;
    const args = [key, Math.ceil(expiresAt * 1000)] as const;
    const acks = await this.#acks();
    let reply: unknown;
    if (acks.replicas === 0) {
      reply = await boundedCommand(this.#commands, () => this.#client.eval(REVOKE_SCRIPT, 1, ...args));
    } else {
      const pipeline = (this.#client.pipeline as () => RedisPipelineLike).call(this.#client);
      pipeline.eval(REVOKE_SCRIPT, 1, ...args);
      const written = await writeAcknowledged(this.#commands, pipeline, 1, acks);
      const [error, answer] = written.replies[0] ?? [null, undefined];
      if (error !== null) throw new TransitiveProofError('revocation_store_unavailable', 'the revocation store (Redis) did not answer', { cause: error });
      if (!written.acknowledged) throw new TransitiveProofError('revocation_store_unavailable', `the replicas did not acknowledge the revocation (${written.detail}); revoke again`);
      reply = answer;
    }
    if (reply !== 'OK') throw new TransitiveProofError('revocation_store_unavailable', 'the revocation store (Redis) gave an unexpected reply');
  }

  async firstRevoked(linkHashes: readonly string[]): Promise<number> {
    if (linkHashes.length === 0) return -1;
    const keys = linkHashes.map((hash) => this.#prefix + hash);
    const replies = await boundedCommand(this.#commands, () =>
      this.#clustered ? Promise.all(keys.map((key) => (this.#client.get as NonNullable<RevocationRedisLike['get']>).call(this.#client, key))) : this.#client.mget(...keys),
    );
    if (!Array.isArray(replies) || replies.length !== linkHashes.length) {
      throw new TransitiveProofError('revocation_store_unavailable', 'the revocation store (Redis) gave an unexpected reply');
    }
    return replies.findIndex((reply) => reply !== null);
  }
}
