/**
 * A verification loop to profile:
 *
 *   npm run build && node --cpu-prof --cpu-prof-dir=/tmp/tproof-prof dist/bench/profile.js --alg=EdDSA --n=8 --seconds=10 [--format=cwt]
 *   node dist/bench/profile-summary.js /tmp/tproof-prof/<file>.cpuprofile
 */
import { performance } from 'node:perf_hooks';
import { serializeChain } from '../lib/chain.js';
import type { KeyAlgorithmName } from '../lib/keys/keys.js';
import type { LinkFormat } from '../lib/model/types.js';
import { createVerifier } from '../lib/verify.js';
import { BENCH_PARTS, contextFor, makeWorld, mintChain, trustFor } from './chains.js';

const args = new Map(process.argv.slice(2).map((arg) => {
  const [name, value] = arg.replace(/^--/, '').split('=');
  return [name as string, value ?? 'true'];
}));
const alg = (args.get('alg') ?? 'EdDSA') as KeyAlgorithmName;
const n = Number(args.get('n') ?? 8);
const seconds = Number(args.get('seconds') ?? 10);
const format = (args.get('format') ?? 'jwt') as LinkFormat;

const world = await makeWorld(alg, n);
const verifier = await createVerifier(trustFor(world), BENCH_PARTS);
const text = serializeChain(await mintChain(world, n, format), BENCH_PARTS);
const context = contextFor(world, n);
await verifier.verify(text, context);

const until = performance.now() + seconds * 1000;
let count = 0;
const start = performance.now();
while (performance.now() < until) {
  await verifier.verify(text, context);
  count++;
}
const elapsed = performance.now() - start;
console.log(`${format} ${alg} N=${n}: ${count} verifications in ${(elapsed / 1000).toFixed(1)} s, ${((elapsed * 1000) / count).toFixed(1)} µs each`);
