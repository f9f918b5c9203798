/**
 * The example AS's oidc-provider adapter (examples/memory-adapter.ts): entries expire by TTL, the
 * adapter is bounded by bytes and never full under steady load, and a live replay-detection entry
 * (a client assertion's jti) is never forgotten to make room.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createExampleMemoryAdapter } from '../../examples/memory-adapter.js';

function adapterAt(maxBytes: number): { Adapter: ReturnType<typeof createExampleMemoryAdapter>; clock: { now: number } } {
  const clock = { now: Date.UTC(2030, 0, 1) };
  return { Adapter: createExampleMemoryAdapter({ maxBytes, clock: () => clock.now }), clock };
}

const assertion = (index: number): { iss: string; jti: string } => ({ iss: 'client-b', jti: `jti-${index}-${'x'.repeat(40)}` });

describe('the example memory adapter', () => {
  test('an entry is not found after its TTL', async () => {
    const { Adapter, clock } = adapterAt(1 << 20);
    const tokens = new Adapter('AccessToken');
    await tokens.upsert('t1', { jti: 't1' }, 60);
    assert.deepEqual(await tokens.find('t1'), { jti: 't1' });
    clock.now += 60_000;
    assert.equal(await tokens.find('t1'), undefined);
  });

  test('steady load of client assertions (one a second, 60 s TTL) never fills a budget that holds a minute of them', async () => {
    const { Adapter, clock } = adapterAt(64 * 1024);
    const replay = new Adapter('ReplayDetection');
    // 100 000 requests: ten times the old adapter's entry limit, far past what the budget holds at once.
    for (let request = 0; request < 100_000; request++) {
      await replay.upsert(`id-${request}`, assertion(request), 60);
      clock.now += 1000;
    }
    assert.ok(Adapter.entries.bytes <= 64 * 1024, `${Adapter.entries.bytes} bytes`);
    assert.ok(Adapter.entries.size >= 60, 'the live minute is kept');
  });

  test('a live replay-detection entry is never evicted: when the budget is all live jtis, the write is refused', async () => {
    const { Adapter } = adapterAt(4096);
    const replay = new Adapter('ReplayDetection');
    let stored = 0;
    await assert.rejects(async () => {
      for (;;) {
        await replay.upsert(`id-${stored}`, assertion(stored), 300);
        stored++;
      }
    }, /full of live replay-detection entries/);
    for (let index = 0; index < stored; index++) assert.ok((await replay.find(`id-${index}`)) !== undefined, `jti ${index} still remembered`);
  });

  test('over budget, live entries of other models go first, the soonest-expiring first; replay detection stays', async () => {
    const { Adapter } = adapterAt(2048);
    const replay = new Adapter('ReplayDetection');
    const tokens = new Adapter('AccessToken');
    await replay.upsert('jti-a', assertion(0), 30);
    await tokens.upsert('late', { jti: 'late', pad: 'y'.repeat(200) }, 600);
    await tokens.upsert('soon', { jti: 'soon', pad: 'y'.repeat(200) }, 60);
    for (let index = 1; index < 20 && (await tokens.find('late')) !== undefined; index++) await replay.upsert(`jti-${index}`, assertion(index), 300);
    assert.equal(await tokens.find('soon'), undefined, 'the soonest-expiring token went first');
    assert.equal(await tokens.find('late'), undefined);
    assert.ok((await replay.find('jti-a')) !== undefined, 'the live jti stayed although it expires soonest');
  });
});
