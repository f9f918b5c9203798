/**
 * Issue #27 target 1, ES256 third round: where a verification's time goes beyond "its non-signature
 * work + N raw checks". One process, one chain; tasks run in short interleaved batches and each is
 * summarised by its 10th percentile (load from other processes only adds time, so a low percentile
 * is what the code costs; the median is printed beside it).
 *
 *   node --expose-gc dist/bench/verify-excess.js [--alg=ES256] [--n=1] [--rounds=200] [--batch-ms=5]
 *        [--dist=<another build's dist, e.g. main's, for its verifier>]
 *
 * Tasks (µs per verification or per N checks):
 * - raw: N node:crypto.verify calls over pre-split inputs (bench/verify-raw.ts's baseline);
 * - verify: the verification of the chain text;
 * - nosig: the same with the codec's signature check replaced by a synchronous `true`;
 * - stubRaw: the same with the check replaced by the raw call on raw's own inputs and key objects
 *   (same verdicts): what the check costs where a verification makes it, with nothing of ours in it;
 * - raw+X and X: raw checks each preceded by unrelated work X (a fresh ArrayBuffer of the chain's
 *   length filled from its text; the same bytes in a reused slab; a signature copied as the codec used
 *   to, passed to the check; 1 MiB of memory read; 14 µs of register-only arithmetic; a minimal JWT
 *   reading per link, header and payload through base64url and JSON.parse, before that link's check).
 * excess = t(a) − t(b) − t(raw) at the 10th percentile: what the check costs more when a or X runs
 * between checks than in raw's tight loop.
 */
import { verify as nodeVerify } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serializeChain } from '../lib/chain.js';
import type { KeyAlgorithmName } from '../lib/keys/keys.js';
import type { DecodedLink } from '../lib/ports.js';
import { rawVerifyKey, splitJws } from './baseline.js';
import { BENCH_PARTS, contextFor, makeWorld, mintChain, trustFor, verifierKeyOf } from './chains.js';

const args = new Map(process.argv.slice(2).map((arg) => {
  const [name, value] = arg.replace(/^--/, '').split('=');
  return [name as string, value ?? 'true'];
}));
const alg = (args.get('alg') ?? 'ES256') as KeyAlgorithmName;
const n = Number(args.get('n') ?? 1);
const rounds = Number(args.get('rounds') ?? 200);
const batchMs = Number(args.get('batch-ms') ?? 5);
const dist = args.get('dist');

type VerifyModule = typeof import('../lib/verify.js');
type RegistryModule = typeof import('../lib/codecs/registry.js');
const load = async <T>(path: string, own: () => Promise<T>): Promise<T> => (dist === undefined ? own() : ((await import(pathToFileURL(join(dist, path)).href)) as T));
const { createVerifier } = await load<VerifyModule>('lib/verify.js', () => import('../lib/verify.js'));
const { codecFor } = await load<RegistryModule>('lib/codecs/registry.js', () => import('../lib/codecs/registry.js'));

const world = await makeWorld(alg, n);
const verifier = await createVerifier(trustFor(world), BENCH_PARTS);
const context = contextFor(world, n);
const chain = await mintChain(world, n, 'jwt');
const text = serializeChain(chain, BENCH_PARTS);
const linkTexts = chain.links.map((link) => Buffer.from(link).toString('latin1'));
const keys = Array.from({ length: n }, (_, i) => rawVerifyKey(verifierKeyOf(world, i), alg));
const inputs = splitJws(linkTexts);
const signatureTexts = linkTexts.map((link) => link.slice(link.lastIndexOf('.') + 1));

const codec = codecFor('jwt');
const realCheck = codec.verifySignature;
type Check = typeof realCheck;
const checkRaw = (i: number, data: Uint8Array, signature: Uint8Array): void => {
  const key = keys[i] as (typeof keys)[number];
  if (!nodeVerify(key.digest, data, key.key, signature)) throw new Error('raw signature failed');
};
const raw = (): void => {
  for (let i = 0; i < n; i++) checkRaw(i, (inputs[i] as (typeof inputs)[number]).data, (inputs[i] as (typeof inputs)[number]).signature);
};

let kept: unknown;
const readMinimal = (link: string): unknown => {
  const first = link.indexOf('.');
  const second = link.indexOf('.', first + 1);
  return [JSON.parse(Buffer.from(link.slice(0, first), 'base64url').toString()), JSON.parse(Buffer.from(link.slice(first + 1, second), 'base64url').toString())];
};
const encoder = new TextEncoder();
const slab = new Uint8Array(1 << 16);
let slabAt = 0;
const memory = new Uint8Array(1 << 20);
const interference: Record<string, () => void> = {
  freshBuffer: () => { const bytes = new Uint8Array(text.length); encoder.encodeInto(text, bytes); kept = bytes; },
  slab: () => { if (slabAt + text.length > slab.length) slabAt = 0; const bytes = slab.subarray(slabAt, (slabAt += text.length)); encoder.encodeInto(text, bytes); kept = bytes; },
  signatureCopy: () => { for (let i = 0; i < n; i++) kept = new Uint8Array(Buffer.from(signatureTexts[i] as string, 'base64url')); },
  read1MiB: () => { let sum = 0; for (let i = 0; i < memory.length; i += 64) sum += memory[i] as number; kept = sum; },
  // What any JWT verifier does per link at least: split, base64url + JSON of header and payload.
  minimalJwt: () => { for (let i = 0; i < n; i++) kept = readMinimal(linkTexts[i] as string); },
  arithmetic: () => { let a = 1; let b = 2; for (let i = 0; i < 12_000; i++) { a = (a * 31 + b) | 0; b = ((b ^ a) + i) | 0; } kept = a; },
};

interface Task { check?: Check; run: () => unknown }
const tasks = new Map<string, Task>([
  ['raw', { run: raw }],
  ['verify', { check: realCheck, run: () => verifier.verify(text, context) }],
  ['nosig', { check: () => true, run: () => verifier.verify(text, context) }],
  ['stubRaw', {
    check: (link: DecodedLink) => { const input = inputs[link.index] as (typeof inputs)[number]; checkRaw(link.index, input.data, input.signature); return true; },
    run: () => verifier.verify(text, context),
  }],
]);
for (const [name, work] of Object.entries(interference)) {
  tasks.set(name, { run: work });
  // The copied signature is the one checked, as the codec did; the other X run beside raw's inputs.
  tasks.set(`raw+${name}`, name === 'signatureCopy'
    ? { run: () => { for (let i = 0; i < n; i++) checkRaw(i, (inputs[i] as (typeof inputs)[number]).data, (kept = new Uint8Array(Buffer.from(signatureTexts[i] as string, 'base64url'))) as Uint8Array); } }
    : name === 'minimalJwt'
      ? { run: () => { for (let i = 0; i < n; i++) { kept = readMinimal(linkTexts[i] as string); checkRaw(i, (inputs[i] as (typeof inputs)[number]).data, (inputs[i] as (typeof inputs)[number]).signature); } } }
      : { run: () => { work(); raw(); } });
}

interface Sample { wall: number; cpu: number }
async function batch(task: Task, ms: number): Promise<Sample> {
  if (task.check !== undefined) codec.verifySignature = task.check;
  try {
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    let count = 0;
    while (performance.now() - start < ms) {
      for (let i = 0; i < 5; i++) await task.run();
      count += 5;
    }
    const wall = ((performance.now() - start) * 1000) / count;
    const cpu = process.cpuUsage(cpu0);
    return { wall, cpu: (cpu.user + cpu.system) / count };
  } finally {
    codec.verifySignature = realCheck;
  }
}

const names = [...tasks.keys()];
for (const name of names) await batch(tasks.get(name) as Task, 300);
const samples = new Map<string, Sample[]>(names.map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(k + round) % names.length] as string;
    (samples.get(name) as Sample[]).push(await batch(tasks.get(name) as Task, batchMs));
  }
}
const quantile = (values: readonly number[], q: number): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * q)] as number;
const of = (name: string, pick: (s: Sample) => number, q: number): number => quantile((samples.get(name) as Sample[]).map(pick), q);
const wall = (s: Sample): number => s.wall;
const cpu = (s: Sample): number => s.cpu;
const f = (value: number): string => value.toFixed(2);
const excess = (a: string, b: string, pick: (s: Sample) => number): string => f(of(a, pick, 0.1) - of(b, pick, 0.1) - of('raw', pick, 0.1));

console.log(`${alg}, N = ${n}, ${rounds} rounds of ${batchMs} ms${dist === undefined ? '' : `, verifier from ${dist}`}\n`);
console.log('| task | wall p10 µs | wall median | CPU p10 | excess over (b + raw), wall p10 | CPU p10 |');
console.log('|---|---|---|---|---|---|');
for (const name of names) {
  const base = name === 'verify' || name === 'stubRaw' ? 'nosig' : name.startsWith('raw+') ? name.slice(4) : undefined;
  const cells = base === undefined ? '| |' : `${excess(name, base, wall)} (b = ${base}) | ${excess(name, base, cpu)} |`;
  console.log(`| ${name} | ${f(of(name, wall, 0.1))} | ${f(of(name, wall, 0.5))} | ${f(of(name, cpu, 0.1))} | ${cells}`);
}
console.log(`\nverify / raw at p10: wall ${(of('verify', wall, 0.1) / of('raw', wall, 0.1)).toFixed(3)}, CPU ${(of('verify', cpu, 0.1) / of('raw', cpu, 0.1)).toFixed(3)}`);
