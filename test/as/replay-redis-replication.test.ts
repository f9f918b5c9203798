/**
 * The Redis stores beyond one server, against scripted clients (SPEC-NOTES §8.5): replica
 * acknowledgements (WAIT / WAITAOF in one pipeline with the write), the start-up checks that make
 * them the default, bounded commands, and the Redis Cluster key layout (hash tags, a marker per
 * slot group). The same behaviours against real servers: test/e2e/replay-replication.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RedisReplayStore, replayKeyLayout, type RedisLike, type RedisPipelineLike } from '../../lib/as/index.js';
import { REPLICA_RECHECK_MS } from '../../lib/replay/redis.js';
import { RedisRevocationStore, type RevocationRedisLike } from '../../lib/status/index.js';
import { clusterKeySlot } from '../../lib/redis/client.js';
import { connectRedisReplayStore } from '../../lib/redis/index.js';

const HASH = 'A'.repeat(43);
const later = (): number => Date.now() / 1000 + 60;

interface Server {
  replicas?: number;
  role?: string;
  aof?: boolean;
  waitAof?: boolean;
  /** What EVAL answers (default 1: first use). */
  evalReply?: (keys: string[]) => unknown;
  /** What WAIT / WAITAOF answers (default: every replica acknowledged). */
  waitReply?: (args: (string | number)[]) => unknown;
}

/** A scripted primary; `log` records every command as [name, ...args]. */
function primary(server: Server, log: unknown[][] = []): RedisLike & { log: unknown[][] } {
  const replicas = server.replicas ?? 0;
  const evalReply = server.evalReply ?? (() => 1);
  const waitReply = server.waitReply ?? ((args) => (args[0] === 'WAITAOF' ? [1, replicas] : replicas));
  const info: Record<string, string> = {
    persistence: `aof_enabled:${server.aof === false ? 0 : 1}\r\n`,
    memory: 'maxmemory:0\r\n',
    replication: `# Replication\r\nrole:${server.role ?? 'master'}\r\nconnected_slaves:${replicas}\r\n`,
  };
  const client = {
    log,
    eval: async (_script: string, count: number, ...args: (string | number)[]) => {
      log.push(['EVAL', ...args.slice(0, count)]);
      return evalReply(args.slice(0, count) as string[]);
    },
    info: async (section: string) => info[section] ?? '',
    set: async (...args: unknown[]) => (log.push(['SET', ...args]), 'OK'),
    call: async (...args: (string | number)[]) => (args[0] === 'COMMAND' ? [server.waitAof === true ? ['waitaof'] : null] : null),
    pipeline: (): RedisPipelineLike => {
      const queued: (() => unknown)[] = [];
      const pipeline: RedisPipelineLike = {
        eval: (_script, count, ...args) => (queued.push(() => (log.push(['EVAL', ...args.slice(0, count)]), evalReply(args.slice(0, count) as string[]))), pipeline),
        set: (...args) => (queued.push(() => (log.push(['SET', ...args]), 'OK')), pipeline),
        call: (...args) => (queued.push(() => (log.push(args), waitReply(args))), pipeline),
        exec: async () => queued.map((run) => [null, run()] as [null, unknown]),
      };
      return pipeline;
    },
  };
  return client;
}

describe('RedisReplayStore with replicas', () => {
  test('a primary with a connected replica: each first use is sent with WAIT 1 in one pipeline, by default', async () => {
    const server = primary({ replicas: 1 });
    const store = new RedisReplayStore(server, { freshDeployment: true });
    assert.equal(await store.consume('k', later()), true);
    const writes = server.log.filter((entry) => entry[0] !== 'SET');
    assert.deepEqual(writes.map((entry) => entry[0]), ['EVAL', 'WAIT']);
    assert.deepEqual(writes[1], ['WAIT', 1, 250]);
  });

  test('group commit: uses arriving while a pipeline is in flight are sent together, one WAIT after all their writes', async () => {
    const server = primary({ replicas: 1 });
    const pipelines: number[] = [];
    const pipeline = server.pipeline as () => RedisPipelineLike;
    server.pipeline = () => {
      const inner = pipeline();
      let writes = 0;
      return { ...inner, eval: (...args) => (writes++, inner.eval(...args)), exec: async () => (pipelines.push(writes), await new Promise((resolve) => setTimeout(resolve, 5)), inner.exec()) } as RedisPipelineLike;
    };
    const store = new RedisReplayStore(server, { freshDeployment: true });
    await store.start();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, index) => store.consume(`k${index}`, later())));
    assert.deepEqual(answers, [true, true, true, true, true, true]);
    assert.deepEqual(pipelines, [1, 5], 'the first alone, the five that came meanwhile together');
    const commands = server.log.filter((entry) => entry[0] !== 'SET').map((entry) => entry[0]);
    assert.deepEqual(commands, ['EVAL', 'WAIT', 'EVAL', 'EVAL', 'EVAL', 'EVAL', 'EVAL', 'WAIT']);
  });

  test('a first use the replicas do not acknowledge in time is refused (replay_store_unavailable), not issued', async () => {
    const store = new RedisReplayStore(primary({ replicas: 1, waitReply: () => 0 }), { freshDeployment: true });
    await assert.rejects(store.consume('k', later()), (error: unknown) => {
      assert.equal((error as { code?: string }).code, 'replay_store_unavailable');
      assert.match((error as Error).message, /0 of 1 replicas/);
      return true;
    });
  });

  test('a replay is answered "replayed" whether or not the replicas acknowledge (it issues nothing)', async () => {
    const store = new RedisReplayStore(primary({ replicas: 1, evalReply: () => 0, waitReply: () => 0 }), { freshDeployment: true });
    assert.equal(await store.consume('k', later()), false);
  });

  test('replicaAcks: 0 opts out explicitly: no WAIT', async () => {
    const server = primary({ replicas: 1 });
    assert.equal(await new RedisReplayStore(server, { freshDeployment: true, replicaAcks: 0 }).consume('k', later()), true);
    assert.ok(!server.log.some((entry) => entry[0] === 'WAIT'));
  });

  test('a primary without replicas needs no acknowledgement, unless replicaAcks asks for them: then it refuses to start', async () => {
    const alone = primary({ replicas: 0 });
    assert.equal(await new RedisReplayStore(alone, { freshDeployment: true }).consume('k', later()), true);
    assert.ok(!alone.log.some((entry) => entry[0] === 'WAIT'));
    await assert.rejects(new RedisReplayStore(primary({ replicas: 1 }), { freshDeployment: true, replicaAcks: 2 }).start(), /1 connected replicas; 2 must acknowledge/);
  });

  test('a store that started without replicas reads replication again: a replica that attached later must acknowledge', async () => {
    let replicas = 0;
    let infoReads = 0;
    const base = primary({ waitReply: () => 0 });
    const server = { ...base, info: async (section: string) => (section === 'replication' ? (infoReads++, `role:master\r\nconnected_slaves:${replicas}\r\n`) : base.info(section)) };
    let now = Date.UTC(2026, 11, 8);
    const store = new RedisReplayStore(server, { freshDeployment: true, clock: () => new Date(now) });
    assert.equal(await store.consume('a', now / 1000 + 600), true);
    replicas = 1; // the primary's only replica was away at start, and is back
    now += REPLICA_RECHECK_MS - 1;
    assert.equal(await store.consume('b', now / 1000 + 600), true, 'within the interval: the start-up reading holds');
    assert.equal(infoReads, 1);
    now += 1;
    await assert.rejects(store.consume('c', now / 1000 + 600), { code: 'replay_store_unavailable', message: /0 of 1 replicas/ });
    assert.equal(infoReads, 2);
    assert.deepEqual(base.log.filter((entry) => entry[0] === 'WAIT'), [['WAIT', 1, 250]]);
    replicas = 0; // it rises, never falls: the replica going away again fails uses closed
    now += 10 * REPLICA_RECHECK_MS;
    await assert.rejects(store.consume('d', now / 1000 + 600), { code: 'replay_store_unavailable' });
    assert.equal(infoReads, 2);

    // An explicit replicaAcks: 0 is never read again.
    let explicitReads = 0;
    const optedOut = new RedisReplayStore({ ...base, info: async (section: string) => (section === 'replication' && explicitReads++, base.info(section)) }, { freshDeployment: true, replicaAcks: 0, clock: () => new Date(now) });
    await optedOut.consume('e', now / 1000 + 600);
    now += 10 * REPLICA_RECHECK_MS;
    await optedOut.consume('f', now / 1000 + 600);
    assert.equal(explicitReads, 1);
  });

  test('a replica is refused: the store writes to a primary only', async () => {
    await assert.rejects(new RedisReplayStore(primary({ role: 'slave' }), { freshDeployment: true }).start(), { code: 'replay_store_unavailable', message: /slave, not a primary/ });
  });

  test('a client without pipeline() cannot send the write and its WAIT on one connection: refused when replicas must acknowledge', async () => {
    const server = primary({ replicas: 1 });
    const { pipeline: _dropped, ...noPipeline } = server;
    await assert.rejects(new RedisReplayStore(noPipeline, { freshDeployment: true }).start(), /pipeline/);
  });

  test('WAITAOF where the server has it: the primary and the replicas fsynced the write', async () => {
    const server = primary({ replicas: 2, waitAof: true });
    assert.equal(await new RedisReplayStore(server, { freshDeployment: true, replicaAcks: 2, replicaAckTimeoutMs: 100 }).consume('k', later()), true);
    assert.deepEqual(server.log.find((entry) => entry[0] === 'WAITAOF'), ['WAITAOF', 1, 2, 100]);
    const unsynced = new RedisReplayStore(primary({ replicas: 1, waitAof: true, waitReply: () => [0, 1] }), { freshDeployment: true });
    await assert.rejects(unsynced.consume('k', later()), /WAITAOF: local 0/);
    const plain = primary({ replicas: 1, waitAof: true });
    await new RedisReplayStore(plain, { freshDeployment: true, waitAof: false }).consume('k', later());
    assert.ok(plain.log.some((entry) => entry[0] === 'WAIT'));
  });
});

describe('Redis stores bound every command', () => {
  const never = (): Promise<never> => new Promise<never>(() => undefined);

  test('a replay store whose server never answers fails closed with replay_store_unavailable', { timeout: 10_000 }, async () => {
    const stalled = { ...primary({}), eval: never };
    await assert.rejects(new RedisReplayStore(stalled, { freshDeployment: true, commandTimeoutMs: 50, replicaAckTimeoutMs: 20 }).consume('k', later()), { code: 'replay_store_unavailable', message: /within 50 ms/ });
    const stalledStart = { ...primary({}), info: never };
    await assert.rejects(new RedisReplayStore(stalledStart, { commandTimeoutMs: 50, replicaAckTimeoutMs: 20 }).start(), { code: 'replay_store_unavailable' });
  });

  test('a revocation check that never answers is revocation_store_unavailable, never "not revoked"', { timeout: 10_000 }, async () => {
    const stalled: RevocationRedisLike = { eval: never, mget: never, info: never };
    const store = new RedisRevocationStore(stalled, { commandTimeoutMs: 50, replicaAckTimeoutMs: 20, replicaAcks: 0 });
    await assert.rejects(store.firstRevoked([HASH]), { code: 'revocation_store_unavailable' });
    await assert.rejects(store.revoke(HASH, later()), { code: 'revocation_store_unavailable' });
    // The default of replicaAcks reads INFO replication first: bounded too.
    await assert.rejects(new RedisRevocationStore(stalled, { commandTimeoutMs: 50, replicaAckTimeoutMs: 20 }).revoke(HASH, later()), { code: 'revocation_store_unavailable', message: /within 50 ms/ });
  });

  test('the wait for replicas must fit inside the command bound', () => {
    assert.throws(() => new RedisReplayStore(primary({}), { commandTimeoutMs: 100, replicaAckTimeoutMs: 100 }), { code: 'invalid_argument' });
    assert.throws(() => new RedisRevocationStore({ eval: never, mget: never }, { commandTimeoutMs: 0, replicaAcks: 0 }), { code: 'invalid_argument', message: /commandTimeoutMs/ });
  });

  test('a clock that returns no valid Date fails the consume (invalid_argument), never writes an entry with a NaN time', async () => {
    const log: unknown[][] = [];
    const store = new RedisReplayStore(primary({}, log), { freshDeployment: true, clock: () => new Date(Number.NaN) });
    await assert.rejects(store.consume('jti:a', 2_000_000_000), { code: 'invalid_argument' });
    assert.equal(log.filter((command) => command[0] === 'EVALSHA' || command[0] === 'EVAL').length, 0, 'nothing was written');
  });

  test('a connection bound that is no positive integer is refused before any connection is tried', async () => {
    // Port 1 answers nothing: a connection attempt would end in replay_store_unavailable, not invalid_argument.
    for (const bound of [{ connectTimeoutMs: Number.NaN }, { connectTimeoutMs: 0 }, { commandTimeoutMs: Number.NaN }, { commandTimeoutMs: -1 }]) {
      await assert.rejects(connectRedisReplayStore({ url: 'redis://127.0.0.1:1', reconnectDelay: () => null, ...bound }), { code: 'invalid_argument' }, JSON.stringify(bound));
    }
  });

  test('a revocation needs a replica\'s acknowledgement by default when the primary has one, as a redemption does', async () => {
    const revoker = (server: ReturnType<typeof primary>, options: { replicaAcks?: number } = {}) =>
      new RedisRevocationStore({ eval: server.eval, mget: async () => [], pipeline: server.pipeline, info: server.info } as unknown as RevocationRedisLike, options);
    const unacknowledged = primary({ replicas: 1, waitReply: () => 0, evalReply: () => 'OK' });
    await assert.rejects(revoker(unacknowledged).revoke(HASH, later()), { code: 'revocation_store_unavailable', message: /0 of 1 replicas .*revoke again/ });
    assert.deepEqual(unacknowledged.log.map((entry) => entry[0]), ['EVAL', 'WAIT']);
    const acknowledged = primary({ replicas: 2, evalReply: () => 'OK' });
    await revoker(acknowledged).revoke(HASH, later());
    assert.deepEqual(acknowledged.log.map((entry) => entry[0]), ['EVAL', 'WAIT']);
    const alone = primary({ replicas: 0, evalReply: () => 'OK' });
    await revoker(alone).revoke(HASH, later());
    assert.deepEqual(alone.log.map((entry) => entry[0]), ['EVAL']);
    const optedOut = primary({ replicas: 1, waitReply: () => 0, evalReply: () => 'OK' });
    await revoker(optedOut, { replicaAcks: 0 }).revoke(HASH, later());
    assert.deepEqual(optedOut.log.map((entry) => entry[0]), ['EVAL']);
  });

  test('the default is read at each revocation, and needs a client that can read it and pipeline the WAIT', async () => {
    let replicas = 0;
    const server = primary({ evalReply: () => 'OK', waitReply: () => 0 });
    const store = new RedisRevocationStore({ eval: server.eval, mget: async () => [], pipeline: server.pipeline, info: async () => `role:master\r\nconnected_slaves:${replicas}\r\n` } as unknown as RevocationRedisLike);
    await store.revoke(HASH, later());
    replicas = 1; // a replica attached after the first revocation
    await assert.rejects(store.revoke(HASH, later()), { code: 'revocation_store_unavailable', message: /revoke again/ });
    assert.throws(() => new RedisRevocationStore({ eval: server.eval, mget: async () => [] } as unknown as RevocationRedisLike), { code: 'invalid_argument', message: /info\(\)/ });
    const noPipeline = new RedisRevocationStore({ eval: server.eval, mget: async () => [], info: async () => 'connected_slaves:1\r\n' } as unknown as RevocationRedisLike);
    await assert.rejects(noPipeline.revoke(HASH, later()), { code: 'revocation_store_unavailable', message: /pipeline/ });
  });

  test('a revocation the replicas do not acknowledge is reported as not taken effect', async () => {
    const server = primary({ replicas: 1, waitReply: () => 0 });
    const store = new RedisRevocationStore({ eval: server.eval, mget: async () => [], pipeline: server.pipeline } as unknown as RevocationRedisLike, { replicaAcks: 1 });
    await assert.rejects(store.revoke(HASH, later()), { code: 'revocation_store_unavailable', message: /revoke again/ });
    assert.deepEqual(server.log.map((entry) => entry[0]), ['EVAL', 'WAIT']);
  });
});

describe('RedisReplayStore on a Redis Cluster', () => {
  /** A cluster of three scripted primaries; every command through the cluster client is logged once. */
  function cluster(evalReply?: (keys: string[]) => unknown): RedisLike & { log: unknown[][] } {
    const log: unknown[][] = [];
    const nodes = [0, 1, 2].map(() => primary({ replicas: 1 }));
    return { ...primary({ replicas: 1, ...(evalReply === undefined ? {} : { evalReply }) }, log), nodes: () => nodes };
  }
  const tagOf = (key: string): string | undefined => /\{([^}]*)\}/.exec(key)?.[1];

  test('the keys of one use share one hash tag (one slot), derived from the replay key and spread over the groups', async () => {
    const client = cluster();
    const store = new RedisReplayStore(client, { freshDeployment: true, slotGroups: 16 });
    for (let index = 0; index < 200; index++) assert.equal(await store.consume(`jti:key-${index}`, later()), true);
    const evals = client.log.filter((entry) => entry[0] === 'EVAL') as string[][];
    assert.equal(evals.length, 200);
    for (const [, marker, key] of evals) assert.equal(tagOf(marker as string), tagOf(key as string));
    assert.equal(new Set(evals.map((entry) => tagOf(entry[2] as string))).size, 16, 'every group used');
    // The same key always lands in the same group.
    assert.deepEqual(replayKeyLayout('p:', 'jti:x', 16), replayKeyLayout('p:', 'jti:x', 16));
  });

  test('start writes one marker per slot group, with G in its name, and checks every primary', async () => {
    const client = cluster();
    await new RedisReplayStore(client, { freshDeployment: true, slotGroups: 8 }).start();
    const markers = client.log.filter((entry) => entry[0] === 'SET').map((entry) => entry[1]);
    assert.deepEqual([...markers].sort(), Array.from({ length: 8 }, (_, group) => `tproof:replay:{${group}}__state:8`).sort());
    const unreplicated = { ...cluster(), nodes: () => [primary({ replicas: 1 }), primary({ replicas: 0 })] };
    await assert.rejects(new RedisReplayStore(unreplicated, { freshDeployment: true }).start(), /0 connected replicas/);
  });

  test('a slot group whose marker is gone (its shard lost data) fails closed alone', async () => {
    const lostGroup = replayKeyLayout('tproof:replay:', 'jti:lost', 64).marker;
    const client = cluster((keys) => (keys[0] === lostGroup ? -1 : 1));
    const store = new RedisReplayStore(client, { freshDeployment: true, slotGroups: 64 });
    await assert.rejects(store.consume('jti:lost', later()), /lost its state/);
    const closing = client.log.filter((entry) => entry[0] === 'SET' && entry[1] === lostGroup);
    assert.equal(closing.length, 2, 'written at start, then closed');
    assert.notEqual(closing[1]?.[2], '0');
    let other = 0;
    while (replayKeyLayout('tproof:replay:', `jti:other-${other}`, 64).marker === lostGroup) other++;
    assert.equal(await store.consume(`jti:other-${other}`, later()), true);
  });

  test('the cluster slot of a key is the specification\'s HASH_SLOT (CRC16 of the key or its hash tag, mod 16384)', () => {
    // Values from the Redis Cluster specification and CLUSTER KEYSLOT's documentation.
    assert.equal(clusterKeySlot('123456789'), 0x31c3);
    assert.equal(clusterKeySlot('somekey'), 11058);
    assert.equal(clusterKeySlot('{hash_tag}somekey'), 2515);
    assert.equal(clusterKeySlot('{user1000}.following'), clusterKeySlot('{user1000}.followers'));
    assert.notEqual(clusterKeySlot('foo{}{bar}'), clusterKeySlot('bar'), 'an empty first tag: the whole key is hashed');
    assert.equal(clusterKeySlot('foo{{bar}}zap'), clusterKeySlot('{bar'));
  });

  test('uses bound for one node share a pipeline across slot groups when pipelineGroup says so', async () => {
    const client = cluster();
    const pipelines: number[] = [];
    const pipeline = client.pipeline as () => RedisPipelineLike;
    client.pipeline = () => {
      const inner = pipeline();
      let writes = 0;
      return { ...inner, eval: (...args) => (writes++, inner.eval(...args)), exec: async () => (pipelines.push(writes), await new Promise((resolve) => setTimeout(resolve, 5)), inner.exec()) } as RedisPipelineLike;
    };
    const store = new RedisReplayStore(client, { freshDeployment: true, slotGroups: 64, pipelineGroup: () => 'node-a' });
    await store.start();
    assert.deepEqual(await Promise.all(Array.from({ length: 6 }, (_, index) => store.consume(`jti:${index}`, later()))), [true, true, true, true, true, true]);
    assert.deepEqual(pipelines, [1, 5]);
  });

  test('a keyPrefix with braces is refused on a cluster (it would change the hash tag)', () => {
    assert.throws(() => new RedisReplayStore(cluster(), { keyPrefix: 'a{b}:' }), { code: 'invalid_argument' });
  });

  test('the revocation store reads one key per GET on a cluster (MGET across slots is refused there)', async () => {
    const gets: string[] = [];
    const client: RevocationRedisLike = {
      eval: async () => 'OK',
      mget: async () => { throw new Error('CROSSSLOT'); },
      get: async (key: string) => (gets.push(key), key.endsWith('B'.repeat(43)) ? '1' : null),
      nodes: () => [],
    };
    assert.equal(await new RedisRevocationStore(client).firstRevoked([HASH, 'B'.repeat(43)]), 1);
    assert.equal(gets.length, 2);
  });
});
