import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TransitiveProofError } from '../../lib/index.js';
import { DEFAULT_MEMORY_REPLAY_BYTES, MEMORY_REPLAY_BYTES_PER_ENTRY, MemoryReplayStore } from '../../lib/as/index.js';

function clockAt(seconds: { now: number }): () => Date {
  return () => new Date(seconds.now * 1000);
}

describe('MemoryReplayStore', () => {
  test('a clock that returns no valid Date fails the consume (invalid_argument), never accepts a replay', async () => {
    const store = new MemoryReplayStore({ clock: () => new Date(Number.NaN) });
    for (let attempt = 0; attempt < 2; attempt++) {
      await assert.rejects(store.consume('jti:a', 2_000_000_000), (error: unknown) => error instanceof TransitiveProofError && error.code === 'invalid_argument');
    }
  });

  test('a key is accepted once, then refused until it expires', async () => {
    const time = { now: 1000 };
    const store = new MemoryReplayStore({ clock: clockAt(time) });
    assert.equal(await store.consume('k', 1100), true);
    assert.equal(await store.consume('k', 1100), false);
    time.now = 1099;
    assert.equal(await store.consume('k', 1200), false);
    time.now = 1100;
    assert.equal(await store.consume('k', 1200), true, 'an expired entry no longer blocks');
    assert.equal(await store.consume('k', 1200), false);
  });

  test('different keys are independent', async () => {
    const store = new MemoryReplayStore();
    const exp = Date.now() / 1000 + 60;
    assert.equal(await store.consume('a', exp), true);
    assert.equal(await store.consume('b', exp), true);
    assert.equal(await store.consume('a', exp), false);
  });

  test('when full, expired entries are evicted to make room', async () => {
    const time = { now: 1000 };
    const store = new MemoryReplayStore({ maxEntries: 3, clock: clockAt(time) });
    assert.equal(await store.consume('short-1', 1010), true);
    assert.equal(await store.consume('short-2', 1010), true);
    assert.equal(await store.consume('long', 2000), true);
    time.now = 1010;
    assert.equal(await store.consume('new', 2000), true);
    assert.equal(store.size, 2, 'both expired entries were swept');
    assert.equal(await store.consume('long', 2000), false, 'the unexpired entry was kept');
  });

  test('when full of unexpired entries it fails closed (refuses, does not forget)', async () => {
    const time = { now: 1000 };
    const store = new MemoryReplayStore({ maxEntries: 2, clock: clockAt(time) });
    assert.equal(await store.consume('a', 2000), true);
    assert.equal(await store.consume('b', 2000), true);
    await assert.rejects(store.consume('c', 2000), (error: unknown) => {
      assert.ok(error instanceof TransitiveProofError);
      assert.equal(error.code, 'replay_store_unavailable');
      assert.equal(error.oauthError, 'server_error');
      return true;
    });
    assert.equal(await store.consume('a', 2000), false, 'a replay of a remembered key is still refused');
    assert.equal(await store.consume('b', 2000), false);
  });

  test('a full store accepts again once an entry expires', async () => {
    const time = { now: 1000 };
    const store = new MemoryReplayStore({ maxEntries: 2, clock: clockAt(time) });
    await store.consume('a', 1050);
    await store.consume('b', 2000);
    await assert.rejects(store.consume('c', 2000));
    time.now = 1050;
    assert.equal(await store.consume('c', 2000), true);
    assert.equal(await store.consume('b', 2000), false);
  });

  test('rejects bad arguments', async () => {
    const store = new MemoryReplayStore();
    await assert.rejects(store.consume('', 10), { code: 'invalid_argument' });
    await assert.rejects(store.consume('x'.repeat(513), 10), { code: 'invalid_argument' });
    await assert.rejects(store.consume('k', Number.NaN), { code: 'invalid_argument' });
    assert.throws(() => new MemoryReplayStore({ maxEntries: 0 }), { code: 'invalid_argument' });
  });

  test('the bound comes from a byte budget: maxBytes / bytes per entry', async () => {
    const store = new MemoryReplayStore({ maxBytes: 3 * MEMORY_REPLAY_BYTES_PER_ENTRY + 1 });
    const exp = Date.now() / 1000 + 60;
    for (const key of ['a', 'b', 'c']) assert.equal(await store.consume(key, exp), true);
    await assert.rejects(store.consume('d', exp), { code: 'replay_store_unavailable' });
    assert.equal(new MemoryReplayStore().usage().maxEntries, Math.floor(DEFAULT_MEMORY_REPLAY_BYTES / MEMORY_REPLAY_BYTES_PER_ENTRY));
    assert.equal(new MemoryReplayStore({ maxBytes: 100 * MEMORY_REPLAY_BYTES_PER_ENTRY, maxEntries: 10 }).usage().maxEntries, 10, 'the smaller bound wins');
    assert.throws(() => new MemoryReplayStore({ maxBytes: 10 }), { code: 'invalid_argument' });
  });

  test('usage() says how full the store is, before it starts refusing', async () => {
    const store = new MemoryReplayStore({ maxEntries: 4 });
    assert.deepEqual(store.usage(), { entries: 0, maxEntries: 4, approximateBytes: 0, fill: 0 });
    const exp = Date.now() / 1000 + 60;
    await store.consume('a', exp);
    await store.consume('b', exp);
    await store.consume('c', exp);
    assert.deepEqual(store.usage(), { entries: 3, maxEntries: 4, approximateBytes: 3 * MEMORY_REPLAY_BYTES_PER_ENTRY, fill: 0.75 });
  });
});
