/**
 * A/B: the same chains verified by two builds of the library in one process, paired round by round
 * (so machine load hits both alike), each against the same bare jose.compactVerify baseline. Used to
 * measure each optimization of issue #7 before committing it.
 *
 *   git archive <commit> | tar -x -C /tmp/before && (cd /tmp/before && ln -s $PWD/node_modules && npx tsc -p .)
 *   node dist/bench/ab.js --before=/tmp/before/dist [--algs=EdDSA,ES256] [--sizes=1,8,32] [--rounds=21]
 */
import { webcrypto } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { serializeChain } from '../lib/chain.js';
import type { KeyAlgorithmName } from '../lib/keys/keys.js';
import * as after from '../lib/verify.js';
import { bareCompactVerify, bareSubtleVerify, splitJws } from './baseline.js';
import { contextFor, makeWorld, mintChain, trustFor, verifierKeyOf } from './chains.js';
import { measureGroup, type Stats } from './harness.js';
import { fmt } from './report.js';

const args = new Map(process.argv.slice(2).map((arg) => {
  const [name, value] = arg.replace(/^--/, '').split('=');
  return [name as string, value ?? 'true'];
}));
const beforeDir = args.get('before');
if (beforeDir === undefined) throw new Error('--before=<dist directory of the other build> is required');
const before = (await import(pathToFileURL(join(beforeDir, 'lib', 'verify.js')).href)) as typeof after;
const algs = (args.get('algs') ?? 'EdDSA,ES256').split(',') as KeyAlgorithmName[];
const sizes = (args.get('sizes') ?? '1,3,8,32').split(',').map(Number);
const options = { batchMs: Number(args.get('batch-ms') ?? 25), rounds: Number(args.get('rounds') ?? 21), warmupMs: Number(args.get('warmup-ms') ?? 250) };

const r = (stats: Stats | undefined): string => (stats as Stats).median.toFixed(3);
console.log('| alg | N | bare µs | before µs | after µs | before/bare wall | after/bare wall | before/bare CPU | after/bare CPU | after/before CPU | subtle/bare CPU |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const alg of algs) {
  const world = await makeWorld(alg, Math.max(...sizes));
  const a = await before.createVerifier(trustFor(world));
  const b = await after.createVerifier(trustFor(world));
  for (const n of sizes) {
    const chain = await mintChain(world, n);
    const text = serializeChain(chain);
    const context = contextFor(world, n);
    await a.verify(text, context);
    await b.verify(text, context);
    const jws = chain.links.map((link) => Buffer.from(link).toString('latin1'));
    const keys = Array.from({ length: n }, (_, i) => verifierKeyOf(world, i));
    const result = await measureGroup([
      bareCompactVerify(jws, keys, alg),
      () => a.verify(text, context),
      () => b.verify(text, context),
      bareSubtleVerify(splitJws(jws), keys as unknown as webcrypto.CryptoKey[], alg),
    ], options);
    const cpuBefore = (result.cpu[1] as Stats).median;
    const cpuAfter = (result.cpu[2] as Stats).median;
    console.log(`| ${alg} | ${n} | ${fmt((result.tasks[0] as Stats).median)} | ${fmt((result.tasks[1] as Stats).median)} | ${fmt((result.tasks[2] as Stats).median)} | ${r(result.ratios[1])} | ${r(result.ratios[2])} | ${r(result.cpuRatios[1])} | ${r(result.cpuRatios[2])} | ${(cpuAfter / cpuBefore).toFixed(3)} | ${r(result.cpuRatios[3])} |`);
  }
}
