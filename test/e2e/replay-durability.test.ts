/**
 * Replay state under Redis faults (SPEC-NOTES §8.5), with a redis-server this test owns on its own
 * port (test/as/redis-process.ts): killed with SIGKILL and restarted with its AOF, or restarted
 * empty. The authorization server (oidc-provider with the grant) must never turn a chain redeemed
 * before the fault into a second token.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { connectRedisReplayStore, defaultReconnectDelay, type OwnedRedisReplayStore } from '../../lib/redis/index.js';
import { startAuthorizationServer, type RunningAuthorizationServer } from '../../examples/authorization-server.js';
import { requestBoundToken } from '../../examples/parties.js';
import { RedisProcess, redisServerAvailable, RESTART_PORT } from '../as/redis-process.js';
import { chainFor, credsB, failClosedSeconds, trust } from './redemption-world.js';

const available = redisServerAvailable();
const skip = available ? false : `redis-server not on PATH; run .ci/redis.sh to run the fault tests (port ${RESTART_PORT})`;

/** Poll until the store answers something other than "Redis did not answer"; the answer or error. */
async function afterReconnect(store: OwnedRedisReplayStore, key: string): Promise<{ value?: boolean; error?: Error; ms: number }> {
  const started = performance.now();
  for (let attempt = 0; attempt < 500; attempt++) {
    try {
      return { value: await store.consume(key, Date.now() / 1000 + 60), ms: performance.now() - started };
    } catch (error) {
      if (!(error instanceof Error) || !/did not answer/.test(error.message)) return { error: error as Error, ms: performance.now() - started };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the store never reconnected');
}

describe('a redis-server without AOF', { skip }, () => {
  test('is refused at start; accepted only when volatile state is accepted explicitly', async () => {
    const volatile = new RedisProcess({ aof: false });
    await volatile.start();
    try {
      await assert.rejects(connectRedisReplayStore({ url: volatile.url, freshDeployment: true }), (error: unknown) => {
        assert.equal((error as { code?: string }).code, 'replay_store_unavailable');
        assert.match((error as Error).message, /appendonly yes/);
        return true;
      });
      const accepted = await connectRedisReplayStore({ url: volatile.url, freshDeployment: true, acceptVolatileState: true });
      assert.equal(await accepted.consume('k', Date.now() / 1000 + 60), true);
      await accepted.close();
    } finally {
      await volatile.stop();
    }
  });
});

describe('the AS with a Redis replay store, Redis killed with SIGKILL', { skip }, () => {
  const redis = new RedisProcess({ aof: true });
  const prefix = `tproof-fault:${randomUUID()}:`;
  let store: OwnedRedisReplayStore;
  let as: RunningAuthorizationServer;

  before(async () => {
    if (skip) return;
    await redis.start();
    store = await connectRedisReplayStore({ url: redis.url, keyPrefix: prefix, freshDeployment: true, failClosedSeconds });
    as = await startAuthorizationServer({
      trust,
      replayStore: store,
      requireRequesterKey: false,
      resource: 'https://resource.test/api',
      resourceScope: 'read',
      clients: [{ client_id: credsB.clientId, client_secret: credsB.clientSecret }],
    });
  });
  after(async () => {
    await as?.close();
    await store?.close();
    await redis.stop();
  });

  test('restarted with its AOF: a chain redeemed before is refused as replayed, new chains are issued, recovery is prompt', async (t) => {
    const chain = await chainFor(as.issuer);
    assert.equal((await requestBoundToken(as.tokenEndpoint, credsB, { chain })).status, 200);
    await redis.kill();
    await redis.start();
    const { value, error, ms } = await afterReconnect(store, `probe:${randomUUID()}`);
    assert.equal(error, undefined, String(error));
    assert.equal(value, true);
    // Generous bound (not a timing assertion on the delay itself): the reconnect ceiling is 500 ms.
    assert.ok(ms < 10_000, `reconnected after ${ms.toFixed(0)} ms`);
    t.diagnostic(`store usable ${ms.toFixed(0)} ms after redis-server answered again`);
    const replay = await requestBoundToken(as.tokenEndpoint, credsB, { chain });
    assert.equal(replay.status, 400, JSON.stringify(replay.body));
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal((await requestBoundToken(as.tokenEndpoint, credsB, { chain: await chainFor(as.issuer) })).status, 200);
  });

  test('restarted empty: a chain redeemed before is never issued again; every store fails closed for the window', async () => {
    const chain = await chainFor(as.issuer);
    assert.equal((await requestBoundToken(as.tokenEndpoint, credsB, { chain })).status, 200);
    await redis.kill();
    redis.wipe();
    await redis.start();
    const { error } = await afterReconnect(store, `probe:${randomUUID()}`);
    assert.match(String(error?.message), /lost its state/);

    const again = await requestBoundToken(as.tokenEndpoint, credsB, { chain });
    assert.equal(again.status, 500, JSON.stringify(again.body));
    assert.equal(again.body.error, 'server_error');
    assert.equal(again.body.access_token, undefined);
    // A chain never seen is refused too: nothing can be told apart until the window has passed.
    assert.equal((await requestBoundToken(as.tokenEndpoint, credsB, { chain: await chainFor(as.issuer) })).status, 500);

    // The closure is recorded in Redis: a store started later (another AS process) refuses too...
    const raw = new Redis(redis.url);
    const closedUntil = Number(await raw.get(`${prefix}__state`));
    await raw.quit();
    assert.ok(closedUntil >= Date.now() + (failClosedSeconds - 60) * 1000, `closed until ${new Date(closedUntil).toISOString()}`);
    const later = await connectRedisReplayStore({ url: redis.url, keyPrefix: prefix, failClosedSeconds });
    await assert.rejects(later.consume(`k:${randomUUID()}`, Date.now() / 1000 + 60), /fail-closed window/);
    await later.close();
    // ...and serves again once the window has passed (a store whose clock is past it).
    const afterWindow = await connectRedisReplayStore({ url: redis.url, keyPrefix: prefix, failClosedSeconds, clock: () => new Date(closedUntil + 1000) });
    assert.equal(await afterWindow.consume(`k:${randomUUID()}`, closedUntil / 1000 + 60), true);
    await afterWindow.close();
  });
});

describe('the default reconnect delays', () => {
  test('start small and never exceed 500 ms between attempts, so a returning Redis is used within about half a second', () => {
    const delays = Array.from({ length: 200 }, (_, index) => defaultReconnectDelay(index + 1));
    assert.equal(delays[0], 25);
    assert.ok(delays.every((delay) => typeof delay === 'number' && delay > 0 && delay <= 500));
    assert.ok(delays.slice(1).every((delay, index) => (delay as number) >= (delays[index] as number)), 'non-decreasing');
    assert.equal(delays.at(-1), 500, 'keeps retrying at the ceiling');
  });
});
