/**
 * The heap one MemoryReplayStore entry takes (the figure behind MEMORY_REPLAY_BYTES_PER_ENTRY):
 * fill a store with keys shaped as lib/replay/keys.ts makes them and compare heapUsed after a
 * forced GC. Run with --expose-gc; prints one JSON line per size. Used by bench/load.ts.
 */
import { createHash } from 'node:crypto';
import { MemoryReplayStore } from '../lib/as/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
for (const entries of [100_000, 1_000_000]) {
  const store = new MemoryReplayStore({ maxEntries: entries });
  gc();
  const before = process.memoryUsage().heapUsed;
  const expiresAt = Date.now() / 1000 + 3600;
  for (let i = 0; i < entries; i++) {
    const key = `${i % 2 === 0 ? 'chain' : 'jti'}:${createHash('sha256').update(String(i)).digest('base64url')}`;
    // Integer NumericDates, as redemptionKeys produces them (exp + tolerance).
    await store.consume(key, Math.floor(expiresAt) + (i % 1000));
  }
  gc();
  const bytes = process.memoryUsage().heapUsed - before;
  console.log(JSON.stringify({ entries: store.usage().entries, bytesPerEntry: Math.round(bytes / store.usage().entries) }));
}
