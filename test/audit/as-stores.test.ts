/**
 * Red team of the authorization server's stores over several processes (SPEC-NOTES §8.5): what a
 * redemption's record survives when the processes sharing one Redis disagree about the time.
 * Needs the test Redis (.ci/redis.sh); skipped outside CI when it is not reachable, like the
 * other Redis tests.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { OwnedRedisReplayStore } from '../../lib/redis/index.js';
import { RedisRevocationStore } from '../../lib/status/index.js';
import { connectTestRedis, rawTestRedis, REDIS_URL, SKIP_MESSAGE } from '../as/redis-support.js';

const prefix = `tproof-audit2:${randomUUID()}:`;
const probe = await connectTestRedis({ keyPrefix: prefix });
const skip = probe === undefined ? SKIP_MESSAGE : false;
if (skip) console.log(`# ${SKIP_MESSAGE}`);

describe('a replay record on a Redis shared by processes whose clocks disagree', { skip }, () => {
  let raw: Redis;
  let rawClose: () => Promise<void>;
  const stores: OwnedRedisReplayStore[] = [];

  before(() => {
    ({ client: raw, close: rawClose } = rawTestRedis(prefix));
  });
  after(async () => {
    await rawClose();
    await probe?.close();
    for (const store of stores) await store.close();
  });

  async function storeWithClock(offsetMs: number): Promise<OwnedRedisReplayStore> {
    const store = await connectTestRedis({ keyPrefix: prefix, clock: () => new Date(Date.now() + offsetMs) });
    assert.ok(store !== undefined);
    stores.push(store);
    return store;
  }

  test('a process whose clock runs ahead keeps the record until expiresAt on the server clock, not its own', async () => {
    // Process A runs 10 minutes fast. It redeems a chain whose entry must live 5 more minutes
    // (its exp plus the tolerance, by every correct clock): a process with a correct clock accepts
    // the chain until its exp, so an entry that A counted down on its own clock (TTL 5 min − 10
    // min, floored at 1 s) would be gone while that process still accepts the chain.
    const ahead = await storeWithClock(600_000);
    const expiresAt = Math.floor(Date.now() / 1000) + 300;
    assert.equal(await ahead.consume('skewed-writer', expiresAt), true);
    const ttl = await raw.pttl(`${prefix}skewed-writer`);
    assert.ok(ttl > 240_000 && ttl <= 300_000, `the record lives until expiresAt on the server clock (PTTL ${ttl} ms)`);
    // So a process with a correct clock finds it used.
    const correct = await storeWithClock(0);
    assert.equal(await correct.consume('skewed-writer', expiresAt), false);
  });

  test('a process whose clock runs behind does not keep the record longer than expiresAt on the server clock', async () => {
    const behind = await storeWithClock(-600_000);
    const expiresAt = Math.floor(Date.now() / 1000) + 300;
    assert.equal(await behind.consume('skewed-writer-behind', expiresAt), true);
    const ttl = await raw.pttl(`${prefix}skewed-writer-behind`);
    assert.ok(ttl > 240_000 && ttl <= 300_000, `PTTL ${ttl} ms`);
  });

  test('an expiresAt already past on the server clock is still kept for one second', async () => {
    const store = await storeWithClock(0);
    assert.equal(await store.consume('past', Math.floor(Date.now() / 1000) - 3600), true);
    const ttl = await raw.pttl(`${prefix}past`);
    assert.ok(ttl > 0 && ttl <= 1000, `PTTL ${ttl} ms`);
    assert.equal(await store.consume('past', Math.floor(Date.now() / 1000) - 3600), false);
  });
});

describe('a revocation on a Redis shared by processes', { skip }, () => {
  let raw: Redis;
  let rawClose: () => Promise<void>;
  const revocationPrefix = `${prefix}revoked:`;

  before(() => {
    ({ client: raw, close: rawClose } = rawTestRedis(revocationPrefix));
  });
  after(() => rawClose());

  test('a second revocation of a link with an earlier expiry does not shorten the first (as in the memory store)', async () => {
    const hash = 'C'.repeat(43);
    const now = Math.floor(Date.now() / 1000);
    const store = new RedisRevocationStore(raw, { keyPrefix: revocationPrefix });
    await store.revoke(hash, now + 3600);
    // Another operator, tool or process revokes the same link again with an expiry already past
    // (or just earlier): the link must stay revoked until the later one.
    await store.revoke(hash, now - 10);
    const ttl = await raw.pttl(`${revocationPrefix}${hash}`);
    assert.ok(ttl > 3_500_000, `the revocation still lives about an hour (PTTL ${ttl} ms)`);
    assert.equal(await store.firstRevoked([hash]), 0);
    // A later expiry extends it.
    await store.revoke(hash, now + 7200);
    assert.ok((await raw.pttl(`${revocationPrefix}${hash}`)) > 7_100_000);
  });

  test('a revoking process whose clock runs ahead keeps the revocation until expiresAt on the server clock', async () => {
    const hash = 'D'.repeat(43);
    const store = new RedisRevocationStore(raw, { keyPrefix: revocationPrefix, clock: () => new Date(Date.now() + 600_000) });
    await store.revoke(hash, Math.floor(Date.now() / 1000) + 300);
    const ttl = await raw.pttl(`${revocationPrefix}${hash}`);
    assert.ok(ttl > 240_000 && ttl <= 300_000, `PTTL ${ttl} ms`);
  });
});

describe('a connection that goes half-open (a middlebox lost it: packets dropped, nothing closed)', { skip }, () => {
  /** A TCP proxy to the test Redis that can freeze the connections it has: nothing forwarded, nothing closed. New ones pass. */
  function freezingProxy(): { url: Promise<string>; freeze(): void; close(): Promise<void> } {
    const target = new URL(REDIS_URL);
    const pairs: [Socket, Socket][] = [];
    const sockets: Socket[] = [];
    const server = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('error', () => undefined);
      upstream.on('error', () => undefined);
      pairs.push([client, upstream]);
      sockets.push(client, upstream);
    });
    const url = new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`redis://127.0.0.1:${(server.address() as AddressInfo).port}`)));
    return {
      url,
      freeze() {
        for (const [client, upstream] of pairs.splice(0)) {
          client.unpipe(upstream);
          upstream.unpipe(client);
          client.on('data', () => undefined); // read and dropped
          upstream.pause();
        }
      },
      close: () => new Promise((resolve) => {
        for (const socket of sockets) socket.destroy(); // the frozen ones too
        server.close(() => resolve());
      }),
    };
  }

  test('uses fail closed within the command bound, and the store is serving again on a new connection, not after TCP gives up', { timeout: 30_000 }, async () => {
    const proxy = freezingProxy();
    const store = await connectTestRedis({ url: await proxy.url, keyPrefix: `${prefix}half-open:`, commandTimeoutMs: 300, replicaAckTimeoutMs: 100 });
    assert.ok(store !== undefined);
    try {
      const exp = Math.floor(Date.now() / 1000) + 60;
      assert.equal(await store.consume('before', exp), true);
      proxy.freeze();
      await assert.rejects(store.consume('frozen', exp), { code: 'replay_store_unavailable' });
      // Bounded: up to 40 uses 250 ms apart (about 10 s, thirty times the command bound).
      let served = false;
      for (let attempt = 0; attempt < 40 && !served; attempt++) {
        served = await store.consume(`after-${attempt}`, exp).catch(() => false);
        if (!served) await sleep(250);
      }
      assert.ok(served, 'the store answered again on a new connection');
    } finally {
      await store.close();
      await proxy.close();
    }
  });
});
