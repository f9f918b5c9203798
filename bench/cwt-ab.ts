/**
 * Issue #27 target 1, the CBOR part: a CWT chain against the same chain as JWT, in two builds, one
 * process, paired round by round. Four tasks per (alg, N): before JWT, before CWT, after JWT, after
 * CWT (each build verifies with its own codecs), so that one table gives CWT/JWT in each build and
 * after/before for CWT, every ratio the median of per-round ratios.
 *
 *   node dist/bench/cwt-ab.js --before=/tmp/cwt-before/dist [--algs=EdDSA,ES256] [--sizes=1,3,8,32]
 *        [--rounds=21] [--no-signature]
 *
 * --no-signature replaces both builds' signature checks (JOSE and COSE) by `true`: what is left is
 * everything verification does besides the signatures, and (CWT − JWT) / N is what a CWT link costs
 * more than a JWT link.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serializeChain } from '../lib/chain.js';
import type { KeyAlgorithmName } from '../lib/keys/keys.js';
import * as after from '../lib/verify.js';
import { contextFor, makeWorld, mintChain, trustFor } from './chains.js';
import { measureGroup, pairedRatio, type Stats } from './harness.js';
import { fmt } from './report.js';

const args = new Map(process.argv.slice(2).map((arg) => {
  const [name, value] = arg.replace(/^--/, '').split('=');
  return [name as string, value ?? 'true'];
}));
const beforeDir = args.get('before');
if (beforeDir === undefined) throw new Error('--before=<dist directory of the other build> is required');
const load = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(beforeDir, ...path.split('/'))).href)) as T;
const before = await load<typeof after>('lib/verify.js');
const algs = (args.get('algs') ?? 'EdDSA,ES256').split(',') as KeyAlgorithmName[];
const sizes = (args.get('sizes') ?? '1,3,8,32').split(',').map(Number);
const options = { batchMs: Number(args.get('batch-ms') ?? 25), rounds: Number(args.get('rounds') ?? 21), warmupMs: Number(args.get('warmup-ms') ?? 250) };

type CoseModule = typeof import('../lib/codecs/cose/codec.js');
type RegistryModule = typeof import('../lib/codecs/registry.js');
const afterCose = (await import('../lib/codecs/cose/codec.js')).coseCodec;
const beforeCose = (await load<CoseModule>('lib/codecs/cose/codec.js')).coseCodec;
if (args.has('no-signature')) {
  for (const registry of [await import('../lib/codecs/registry.js'), await load<RegistryModule>('lib/codecs/registry.js')]) {
    registry.codecFor('jwt').verifySignature = () => true;
  }
  for (const codec of [afterCose, beforeCose]) codec.verifySignature = () => true;
  console.log('(signature checks replaced by `true` in both builds: the figures are the non-signature work)\n');
}

const ratio = (stats: Stats): string => `${stats.median.toFixed(3)} [${stats.p25.toFixed(2)}–${stats.p75.toFixed(2)}]`;
console.log(`load average at start: ${loadavg().map((value) => value.toFixed(2)).join(' ')}\n`);
console.log('| alg | N | JWT after µs (CPU) | CWT before µs (CPU) | CWT after µs (CPU) | CWT−JWT per link before / after µs (CPU) | CWT/JWT before CPU | CWT/JWT after CPU [p25–p75] | CWT/JWT after wall [p25–p75] | CWT after/before CPU [p25–p75] | load |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const alg of algs) {
  const world = await makeWorld(alg, Math.max(...sizes));
  const a = await before.createVerifier(trustFor(world), { codecs: [beforeCose] });
  const b = await after.createVerifier(trustFor(world), { codecs: [afterCose] });
  for (const n of sizes) {
    const jwt = serializeChain(await mintChain(world, n));
    const cwt = serializeChain(await mintChain(world, n, 'cwt'), { codecs: [afterCose] });
    const context = contextFor(world, n);
    for (const verifier of [a, b]) for (const text of [jwt, cwt]) await verifier.verify(text, context);
    // 0 before JWT, 1 before CWT, 2 after JWT, 3 after CWT.
    const result = await measureGroup([
      () => a.verify(jwt, context),
      () => a.verify(cwt, context),
      () => b.verify(jwt, context),
      () => b.verify(cwt, context),
    ], options);
    const cpu = (k: number): number => (result.cpu[k] as Stats).median;
    const extra = (cwtTask: number, jwtTask: number): string => fmt((cpu(cwtTask) - cpu(jwtTask)) / n);
    console.log(`| ${alg} | ${n} | ${fmt(cpu(2))} | ${fmt(cpu(1))} | ${fmt(cpu(3))} | ${extra(1, 0)} / ${extra(3, 2)} | ${pairedRatio(result, 1, 0, 'cpu').median.toFixed(3)} | ${ratio(pairedRatio(result, 3, 2, 'cpu'))} | ${ratio(pairedRatio(result, 3, 2, 'wall'))} | ${ratio(pairedRatio(result, 3, 1, 'cpu'))} | ${(loadavg()[0] as number).toFixed(1)} |`);
  }
}
