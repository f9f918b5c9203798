/**
 * Issue #27 target 1, measured one case per process: a chain of N links (JWT and CWT) verified,
 * against the same N signatures checked raw (synchronous node:crypto.verify with KeyObjects over
 * pre-split inputs), in interleaved rounds of long batches (no forced collection), so that
 * machine load, JIT state and garbage collection fall on both alike. `npm run bench`'s verify group
 * measures every case in one process with 25 ms batches and a forced collection before each, where
 * one algorithm's code shapes and heap disturb the next (BENCHMARKS.md, issue #27 target 1).
 *
 *   node dist/bench/verify-raw.js [--algs=EdDSA,ES256] [--sizes=1,3,8,32] [--rounds=15] [--batch-ms=100] [--floor]
 *
 * `--floor` adds a reference measured in the same rounds: bench/floor.ts, the least any verifier of a
 * compact JWT chain does between its signatures (JSON.parse, the linkage, one node:crypto.verify per
 * link, no schema, strict JSON or key checks), to show how much of the budget over raw the format's
 * reading alone takes.
 *
 * The parent spawns one child per algorithm and size; each child prints one JSON line. Ratios are
 * medians of per-round ratios [p25–p75]; CPU is the process's user + system time (all threads).
 */
import { spawnSync } from 'node:child_process';
import { verify as nodeVerify } from 'node:crypto';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { serializeChain } from '../lib/chain.js';
import type { KeyAlgorithmName } from '../lib/keys/keys.js';
import { createVerifier } from '../lib/verify.js';
import { KeyObject, type webcrypto } from 'node:crypto';
import { floorVerifier } from './floor.js';
import { rawVerifyKey, splitJws, type RawSignature } from './baseline.js';
import { AUDIENCE, BENCH_PARTS, contextFor, makeWorld, NOW_S, mintChain, trustFor, verifierKeyOf } from './chains.js';
import { cwtSignatureInputs } from './cwt.js';
import { stats, type Stats } from './harness.js';

const args = new Map(process.argv.slice(2).map((arg) => {
  const [name, value] = arg.replace(/^--/, '').split('=');
  return [name as string, value ?? 'true'];
}));
const rounds = Number(args.get('rounds') ?? 15);
const batchMs = Number(args.get('batch-ms') ?? 100);
const withFloor = args.has('floor');

interface Sample { wall: number; cpu: number }
interface CaseResult { alg: string; n: number; raw: Stats; jwt: Stats; cwt: Stats; jwtRatio: Stats; jwtCpuRatio: Stats; cwtRatio: Stats; cwtCpuRatio: Stats; cwtJwt: Stats; cwtJwtCpu: Stats; cwtOwnRaw: Stats; floor?: { ratio: Stats; cpuRatio: Stats; jwtOverFloor: Stats; jwtOverFloorCpu: Stats } }

async function batch(task: () => unknown, ms: number): Promise<Sample> {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < ms) {
    await task();
    count++;
  }
  const wall = ((performance.now() - start) * 1000) / count;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / count };
}

function rawOf(inputs: readonly RawSignature[], keys: ReturnType<typeof rawVerifyKey>[]): () => void {
  return () => {
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i] as RawSignature;
      const key = keys[i] as ReturnType<typeof rawVerifyKey>;
      if (!nodeVerify(key.digest, input.data, key.key, input.signature)) throw new Error('raw signature failed');
    }
  };
}

async function child(alg: KeyAlgorithmName, n: number): Promise<CaseResult> {
  const world = await makeWorld(alg, n);
  const verifier = await createVerifier(trustFor(world), BENCH_PARTS);
  const context = contextFor(world, n);
  const jwtChain = await mintChain(world, n, 'jwt');
  const cwtChain = await mintChain(world, n, 'cwt');
  const jwtText = serializeChain(jwtChain, BENCH_PARTS);
  const cwtText = serializeChain(cwtChain, BENCH_PARTS);
  const keys = Array.from({ length: n }, (_, i) => rawVerifyKey(verifierKeyOf(world, i), alg));
  const tasks: Record<string, () => unknown> = {
    raw: rawOf(splitJws(jwtChain.links.map((link) => Buffer.from(link).toString('latin1'))), keys),
    cwtRaw: rawOf(cwtSignatureInputs(cwtChain), keys),
    jwt: () => verifier.verify(jwtText, context),
    cwt: () => verifier.verify(cwtText, context),
  };
  if (withFloor) {
    const floor = floorVerifier(alg, KeyObject.from(verifierKeyOf(world, 0) as webcrypto.CryptoKey), AUDIENCE, context.requester.jkt as string, NOW_S);
    floor(jwtText);
    // The reference must refuse what a verifier refuses, or it measures less than it claims: a chain
    // whose last link's claims differ by one character, and one with a link dropped.
    const links = jwtText.split('~');
    const last = links[links.length - 1] as string;
    const dot = last.indexOf('.') + 5;
    const tampered = [...links.slice(0, -1), last.slice(0, dot) + (last[dot] === 'A' ? 'B' : 'A') + last.slice(dot + 1)].join('~');
    for (const bad of [tampered, ...(links.length > 1 ? [links.slice(1).join('~')] : [])]) {
      let refused = false;
      try { floor(bad); } catch { refused = true; }
      if (!refused) throw new Error('floor reference accepted a tampered chain');
    }
    tasks['floor'] = () => floor(jwtText);
  }
  const names = Object.keys(tasks);
  for (const name of names) await batch(tasks[name] as () => unknown, 500); // warm-up
  const samples = new Map<string, Sample[]>(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length] as string;
      (samples.get(name) as Sample[]).push(await batch(tasks[name] as () => unknown, batchMs));
    }
  }
  const series = (name: string) => samples.get(name) as Sample[];
  const ratio = (a: string, b: string, pick: (s: Sample) => number) => stats(series(a).map((s, i) => pick(s) / pick(series(b)[i] as Sample)));
  const wall = (s: Sample) => s.wall;
  const cpu = (s: Sample) => s.cpu;
  return {
    alg, n,
    raw: stats(series('raw').map(wall)), jwt: stats(series('jwt').map(wall)), cwt: stats(series('cwt').map(wall)),
    jwtRatio: ratio('jwt', 'raw', wall), jwtCpuRatio: ratio('jwt', 'raw', cpu),
    cwtRatio: ratio('cwt', 'raw', wall), cwtCpuRatio: ratio('cwt', 'raw', cpu),
    cwtJwt: ratio('cwt', 'jwt', wall), cwtJwtCpu: ratio('cwt', 'jwt', cpu),
    cwtOwnRaw: ratio('cwt', 'cwtRaw', wall),
    ...(withFloor ? { floor: { ratio: ratio('floor', 'raw', wall), cpuRatio: ratio('floor', 'raw', cpu), jwtOverFloor: ratio('jwt', 'floor', wall), jwtOverFloorCpu: ratio('jwt', 'floor', cpu) } } : {}),
  };
}

const f = (value: number, digits = 2) => value.toFixed(digits);
const q = (s: Stats) => `${f(s.median)} [${f(s.p25)}–${f(s.p75)}]`;

if (args.has('child')) {
  const result = await child(args.get('alg') as KeyAlgorithmName, Number(args.get('n')));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const algs = (args.get('algs') ?? 'EdDSA,ES256').split(',');
  const sizes = (args.get('sizes') ?? '1,3,8,32').split(',').map(Number);
  const load = [loadavg()[0] as number];
  console.log(`Node ${process.version}, ${rounds} rounds of ${batchMs} ms batches per case, one process per case\n`);
  const floorHead = withFloor ? ' floor / raw, wall | floor / raw, CPU | JWT / floor, wall | JWT / floor, CPU |' : '';
  console.log(`| alg | N | raw µs (wall) | JWT µs | JWT / raw, wall | JWT / raw, CPU | CWT / raw, wall | CWT / raw, CPU | CWT / JWT, wall | CWT / JWT, CPU | CWT / its own raw (Sig_structures), wall |${floorHead}`);
  console.log(`|---|---|---|---|---|---|---|---|---|---|---|${withFloor ? '---|---|---|---|' : ''}`);
  for (const alg of algs) {
    for (const n of sizes) {
      const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', `--alg=${alg}`, `--n=${n}`, `--rounds=${rounds}`, `--batch-ms=${batchMs}`, ...(withFloor ? ['--floor'] : [])], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`child ${alg} ${n} failed: ${run.stderr}`);
      const r = JSON.parse(run.stdout) as CaseResult;
      load.push(loadavg()[0] as number);
      console.log(`| ${alg} | ${n} | ${f(r.raw.median, 1)} | ${f(r.jwt.median, 1)} | ${q(r.jwtRatio)} | ${q(r.jwtCpuRatio)} | ${q(r.cwtRatio)} | ${q(r.cwtCpuRatio)} | ${q(r.cwtJwt)} | ${q(r.cwtJwtCpu)} | ${q(r.cwtOwnRaw)} |${r.floor === undefined ? '' : ` ${q(r.floor.ratio)} | ${q(r.floor.cpuRatio)} | ${q(r.floor.jwtOverFloor)} | ${q(r.floor.jwtOverFloorCpu)} |`}`);
    }
  }
  console.log(`\nload average (1 min) during the run: ${load.map((l) => f(l)).join(', ')}`);
}
