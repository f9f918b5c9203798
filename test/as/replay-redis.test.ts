import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { TransitiveProofError } from '../../lib/index.js';
import { DEFAULT_FAIL_CLOSED_SECONDS, RedisReplayStore, replayFailClosedSeconds, type RedisLike } from '../../lib/as/index.js';
import { connectRedisReplayStore, type OwnedRedisReplayStore } from '../../lib/redis/index.js';
import { ISSUER, grantParams, world } from './fixtures.js';
import { connectTestRedis, rawTestRedis, REDIS_URL, SKIP_MESSAGE } from './redis-support.js';

const prefix = `tproof-test:${randomUUID()}:`;
const store = await connectTestRedis({ keyPrefix: prefix });
const skip = store === undefined ? SKIP_MESSAGE : false;
if (skip) console.log(`# ${SKIP_MESSAGE}`);

describe('RedisReplayStore against a real Redis', { skip }, () => {
  let raw: Redis;
  let rawClose: () => Promise<void>;
  const live = store as OwnedRedisReplayStore;

  before(() => {
    ({ client: raw, close: rawClose } = rawTestRedis(prefix));
  });
  after(async () => {
    await rawClose();
    await live.close();
  });

  test('first use is accepted, a replay refused', async () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    assert.equal(await live.consume('k1', exp), true);
    assert.equal(await live.consume('k1', exp), false);
    assert.equal(await live.consume('k2', exp), true);
  });

  test('the entry carries a TTL up to expiresAt', async () => {
    const exp = Math.floor(Date.now() / 1000) + 120;
    assert.equal(await live.consume('ttl', exp), true);
    const pttl = await raw.pttl(`${prefix}ttl`);
    assert.ok(pttl > 0, `a TTL is set (got ${pttl})`);
    assert.ok(pttl <= 121_000, `the TTL does not exceed expiresAt (got ${pttl})`);
    assert.equal(await raw.get(`${prefix}ttl`), '1');
  });

  test('an expired entry is forgotten by Redis and the key is accepted again', async () => {
    const exp = Math.floor(Date.now() / 1000); // past or now: the store keeps it for its 1 s minimum
    assert.equal(await live.consume('short', exp), true);
    assert.equal(await live.consume('short', exp), false);
    for (let i = 0; i < 100 && (await raw.exists(`${prefix}short`)) === 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(await raw.exists(`${prefix}short`), 0, 'Redis expired the key');
    assert.equal(await live.consume('short', exp + 60), true);
  });

  test('several processes redeem the same chain at once: exactly one succeeds', async () => {
    const W = await world();
    const chain = await W.chainToB();
    const params = grantParams(chain, { jwk: W.C.publicJwk }).toString();
    const outcomes = await redeemInProcesses(6, { params, trust: JSON.stringify(W.trust), prefix: `${prefix}race:` });
    const ok = outcomes.filter((outcome) => outcome.ok);
    assert.equal(ok.length, 1, JSON.stringify(outcomes));
    for (const outcome of outcomes.filter((o) => !o.ok)) {
      assert.equal(outcome.error, 'invalid_grant');
      assert.equal(outcome.code, 'replayed');
    }
  });
});

describe('RedisReplayStore fails closed', () => {
  test('an unreachable server: connecting fails with replay_store_unavailable', async () => {
    await assert.rejects(connectRedisReplayStore({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 500 }), (error: unknown) => {
      assert.ok(error instanceof TransitiveProofError);
      assert.equal(error.code, 'replay_store_unavailable');
      return true;
    });
  });

  test('a failing command rejects with replay_store_unavailable, never "first use"', async () => {
    const broken = new RedisReplayStore(fakeRedis({ eval: async () => { throw new Error('connection reset'); } }));
    await assert.rejects(broken.consume('k', Date.now() / 1000 + 60), { code: 'replay_store_unavailable' });
    const odd = new RedisReplayStore(fakeRedis({ eval: async () => 'QUEUED' }));
    await assert.rejects(odd.consume('k', Date.now() / 1000 + 60), { code: 'replay_store_unavailable' });
  });

  test('sends the marker and the prefixed key, expiresAt in ms (the server counts the TTL on its clock) and the time', async () => {
    const calls: unknown[][] = [];
    const now = new Date('2030-01-01T00:00:00Z');
    const fake = new RedisReplayStore(fakeRedis({ eval: async (...args: unknown[]) => (calls.push(args), calls.length === 1 ? 1 : 0) }), { keyPrefix: 'p:', clock: () => now });
    assert.equal(await fake.consume('k', now.getTime() / 1000 + 30), true);
    assert.equal(await fake.consume('k', now.getTime() / 1000 - 30.0005), false);
    assert.deepEqual(calls[0]?.slice(1), [2, 'p:__state', 'p:k', now.getTime() + 30_000, now.getTime()]);
    assert.deepEqual(calls[1]?.slice(1), [2, 'p:__state', 'p:k', now.getTime() - 30_000, now.getTime()]);
  });

  test('a server without AOF is refused unless volatile state is accepted', async () => {
    const volatile = fakeRedis({ info: async (section: string) => (section === 'persistence' ? '# Persistence\r\naof_enabled:0\r\n' : INFO[section] ?? '') });
    await assert.rejects(new RedisReplayStore(volatile).consume('k', Date.now() / 1000 + 60), (error: unknown) => {
      assert.ok(error instanceof TransitiveProofError);
      assert.equal(error.code, 'replay_store_unavailable');
      assert.match(error.message, /appendonly yes/);
      return true;
    });
    assert.equal(await new RedisReplayStore(volatile, { acceptVolatileState: true }).consume('k', Date.now() / 1000 + 60), true);
  });

  test('a server whose AOF is never fsynced (appendfsync no) is refused; CONFIG being unavailable is not an error', async () => {
    const unsynced = { ...fakeRedis({}), config: async () => ['appendfsync', 'no'] } as RedisLike;
    await assert.rejects(new RedisReplayStore(unsynced).consume('k', Date.now() / 1000 + 60), /appendfsync/);
    const always = { ...fakeRedis({}), config: async () => ['appendfsync', 'always'] } as RedisLike;
    assert.equal(await new RedisReplayStore(always, { freshDeployment: true }).consume('k', Date.now() / 1000 + 60), true);
    const locked = { ...fakeRedis({}), config: async () => { throw new Error('ERR unknown command CONFIG'); } } as RedisLike;
    assert.equal(await new RedisReplayStore(locked, { freshDeployment: true }).consume('k', Date.now() / 1000 + 60), true);
  });

  test('a server that evicts keys under memory pressure is refused', async () => {
    const evicting = fakeRedis({ info: async (section: string) => (section === 'memory' ? 'maxmemory:1048576\r\nmaxmemory_policy:volatile-ttl' : INFO[section] ?? '') });
    await assert.rejects(new RedisReplayStore(evicting).consume('k', Date.now() / 1000 + 60), /noeviction/);
  });

  test('a lost marker closes the store for the window, recorded in Redis for every process', async () => {
    const writes: unknown[][] = [];
    const now = new Date('2030-01-01T00:00:00Z');
    const lost = fakeRedis({ eval: async () => -1, set: async (...args: unknown[]) => (writes.push(args), 'OK') });
    const store = new RedisReplayStore(lost, { clock: () => now, failClosedSeconds: 600, freshDeployment: true });
    await assert.rejects(store.consume('k', now.getTime() / 1000 + 60), /lost its state/);
    // The first write is the start-up marker (serving: fresh deployment), the second the closure.
    assert.deepEqual(writes, [['tproof:replay:__state', '0', 'NX'], ['tproof:replay:__state', String(now.getTime() + 600_000), 'NX']]);
    const closed = new RedisReplayStore(fakeRedis({ eval: async () => -2 }));
    await assert.rejects(closed.consume('k', Date.now() / 1000 + 60), /fail-closed window/);
  });

  test('without freshDeployment a missing marker is written closed: a new store cannot tell a first start from a loss', async () => {
    const writes: unknown[][] = [];
    const now = new Date('2030-01-01T00:00:00Z');
    await new RedisReplayStore(fakeRedis({ set: async (...args: unknown[]) => (writes.push(args), 'OK') }), { clock: () => now }).start();
    assert.deepEqual(writes, [['tproof:replay:__state', String(now.getTime() + DEFAULT_FAIL_CLOSED_SECONDS * 1000), 'NX']]);
    assert.equal(DEFAULT_FAIL_CLOSED_SECONDS, replayFailClosedSeconds({ maxLifetimeSeconds: 86_400, clockToleranceSeconds: 30 }));
  });
});

const INFO: Record<string, string> = { persistence: 'aof_enabled:1\r\n', memory: 'maxmemory:0\r\n', replication: '# Replication\r\nrole:master\r\nconnected_slaves:0\r\n' };

/** A RedisLike primary without replicas that keeps AOF on and answers "first use", with the given commands replaced. */
function fakeRedis(overrides: Partial<Record<'eval' | 'info' | 'set', (...args: never[]) => Promise<unknown>>>): RedisLike {
  return {
    eval: async () => 1,
    info: async (section: string) => INFO[section] ?? '',
    set: async () => 'OK',
    ...overrides,
  } as RedisLike;
}

interface WorkerOutcome {
  ok: boolean;
  error?: string;
  code?: string;
}

/**
 * Start `count` Node processes that each connect to Redis and verify the chain, wait until all are
 * ready, then release them together to redeem it.
 */
async function redeemInProcesses(count: number, input: { params: string; trust: string; prefix: string }): Promise<WorkerOutcome[]> {
  const fromSource = import.meta.url.endsWith('.ts');
  const libUrl = new URL(`../../lib/index.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
  const asUrl = new URL(`../../lib/as/index.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
  const redisUrl = new URL(`../../lib/redis/index.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
  const code = `
    const lib = await import(process.env.TPROOF_LIB_URL);
    const as = await import(process.env.TPROOF_AS_URL);
    const redis = await import(process.env.TPROOF_REDIS_LIB_URL);
    const store = await redis.connectRedisReplayStore({ url: process.env.TPROOF_REDIS_URL, keyPrefix: process.env.TPROOF_PREFIX, acceptVolatileState: true, freshDeployment: true });
    // The workers only race the store; the requester is matched on its identifier (explicit opt-out).
    const verifier = await lib.createVerifier(JSON.parse(process.env.TPROOF_TRUST), { requireRequesterKey: false });
    const params = new URLSearchParams(process.env.TPROOF_PARAMS);
    process.stdout.write('ready\\n');
    process.stdin.once('data', async () => {
      const outcome = await as.processDeferredBindingRequest(params, { client: { id: 'client-b' }, issuer: process.env.TPROOF_ISSUER, verifier, replayStore: store });
      process.stdout.write(JSON.stringify(outcome.ok ? { ok: true } : { ok: false, error: outcome.error.error, code: outcome.code }) + '\\n');
      await store.close();
      process.exit(0);
    });`;
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, [...(fromSource ? ['--import', 'tsx'] : []), '--input-type=module', '-e', code], {
      env: {
        ...process.env,
        TPROOF_LIB_URL: libUrl,
        TPROOF_AS_URL: asUrl,
        TPROOF_REDIS_LIB_URL: redisUrl,
        TPROOF_REDIS_URL: REDIS_URL,
        TPROOF_PREFIX: input.prefix,
        TPROOF_TRUST: input.trust,
        TPROOF_PARAMS: input.params,
        TPROOF_ISSUER: ISSUER,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  const killAll = setTimeout(() => children.forEach((child) => child.kill()), 120_000);
  try {
    const lines = children.map((child) => {
      let buffer = '';
      let stderr = '';
      const waiters: ((line: string) => void)[] = [];
      const queued: string[] = [];
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          const waiter = waiters.shift();
          if (waiter) waiter(line);
          else queued.push(line);
        }
      });
      return () =>
        new Promise<string>((resolve, reject) => {
          const line = queued.shift();
          if (line !== undefined) return resolve(line);
          waiters.push(resolve);
          child.once('exit', (status) => reject(new Error(`worker exited (${status}) before answering: ${stderr}`)));
        });
    });
    const ready = await Promise.all(lines.map((next) => next()));
    assert.ok(ready.every((line) => line === 'ready'));
    const answers = lines.map((next) => next());
    for (const child of children) child.stdin.write('go\n');
    return (await Promise.all(answers)).map((line) => JSON.parse(line) as WorkerOutcome);
  } finally {
    clearTimeout(killAll);
  }
}
