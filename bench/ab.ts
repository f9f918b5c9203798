/**
 * A/B: the same chains verified by two builds of the library in one process, paired round by round
 * (so machine load hits both alike), each against the same bare jose.compactVerify baseline. Used to
 * measure each optimization of issue #7 before committing it.
 *
 *   git archive <commit> | tar -x -C /tmp/before && (cd /tmp/before && ln -s $PWD/node_modules && npx tsc -p .)
 *   node dist/bench/ab.js --before=/tmp/before/dist [--algs=EdDSA,ES256] [--sizes=1,8,32] [--rounds=21]
 *
 * --format=cwt verifies CWT chains with both builds (the bare jose and subtle baselines stay on the
 * JWT chain of the same depth, so before/bare and after/bare compare the encodings too).
 * --key-bound verifies with a key-bound requester (jkt) and a requested tmb (steps 15–16 compare keys).
 * --no-signature replaces both builds' JOSE signature check by an immediate `true`, so that what is
 * compared is everything verification does besides the signatures (an optimization worth 1 µs per
 * link is lost in the noise of a 60 µs signature on a shared machine, not in this mode).
 */
import { webcrypto } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { serializeChain } from '../lib/chain.js';
import type { KeyAlgorithmName } from '../lib/keys/keys.js';
import type { LinkFormat } from '../lib/model/types.js';
import * as after from '../lib/verify.js';
import { bareCompactVerify, bareSubtleVerify, splitJws } from './baseline.js';
import { contextFor, keyBoundContextFor, makeWorld, mintChain, trustFor, verifierKeyOf } from './chains.js';
import { measureGroup, pairedRatio, type Stats } from './harness.js';
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

const format = (args.get('format') ?? 'jwt') as LinkFormat;
const noSignature = args.has('no-signature');
// Each build verifies CWT with its own COSE codec module (a codec is looked up by identity).
type CoseModule = typeof import('../lib/codecs/cose/codec.js');
const afterCose = (await import('../lib/codecs/cose/codec.js')).coseCodec;
const beforeCose = ((await import(pathToFileURL(join(beforeDir, 'lib', 'codecs', 'cose', 'codec.js')).href)) as CoseModule).coseCodec;
const codecsOf = (codec: typeof afterCose) => (format === 'cwt' ? { codecs: [codec] } : {});
if (noSignature) {
  const codecs = [await import('../lib/codecs/registry.js'), (await import(pathToFileURL(join(beforeDir, 'lib', 'codecs', 'registry.js')).href)) as typeof import('../lib/codecs/registry.js')];
  for (const registry of codecs) registry.codecFor('jwt').verifySignature = async () => true;
  for (const codec of [afterCose, beforeCose]) codec.verifySignature = async () => true;
  console.log('(signature checks replaced by `true` in both builds: the figures are the non-signature work)\n');
}

const r = (stats: Stats): string => stats.median.toFixed(3);
console.log('| alg | N | bare jose µs (CPU) | before µs (CPU) | after µs (CPU) | after/before CPU [p25–p75] | after/before wall | before/bare CPU | after/bare CPU | after/bare wall | subtle/bare CPU |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const alg of algs) {
  const world = await makeWorld(alg, Math.max(...sizes));
  const a = await before.createVerifier(trustFor(world), codecsOf(beforeCose));
  const b = await after.createVerifier(trustFor(world), codecsOf(afterCose));
  for (const n of sizes) {
    const chain = await mintChain(world, n);
    const text = serializeChain(format === 'jwt' ? chain : await mintChain(world, n, format), codecsOf(afterCose));
    const context = args.has('key-bound') ? await keyBoundContextFor(world, n) : contextFor(world, n);
    await a.verify(text, context);
    await b.verify(text, context);
    const jws = chain.links.map((link) => Buffer.from(link).toString('latin1'));
    const keys = Array.from({ length: n }, (_, i) => verifierKeyOf(world, i));
    // 0 bare jose, 1 before, 2 after, 3 bare subtle; every ratio below is paired round by round.
    const result = await measureGroup([
      bareCompactVerify(jws, keys, alg),
      () => a.verify(text, context),
      () => b.verify(text, context),
      bareSubtleVerify(splitJws(jws), keys as unknown as webcrypto.CryptoKey[], alg),
    ], options);
    const gain = pairedRatio(result, 2, 1, 'cpu');
    console.log(`| ${alg} | ${n} | ${fmt((result.cpu[0] as Stats).median)} | ${fmt((result.cpu[1] as Stats).median)} | ${fmt((result.cpu[2] as Stats).median)} | ${r(gain)} [${gain.p25.toFixed(2)}–${gain.p75.toFixed(2)}] | ${r(pairedRatio(result, 2, 1, 'wall'))} | ${r(pairedRatio(result, 1, 0, 'cpu'))} | ${r(pairedRatio(result, 2, 0, 'cpu'))} | ${r(pairedRatio(result, 2, 0, 'wall'))} | ${r(pairedRatio(result, 3, 0, 'cpu'))} |`);
  }
}
