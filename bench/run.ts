/**
 * Issue #7: how close chain verification comes to the cost of its signatures.
 *
 *   npm run bench                               build, then run every group (a few minutes)
 *   node dist/bench/run.js --quick              fewer, shorter rounds (smoke run)
 *   node dist/bench/run.js --only=verify,reject groups: verify, cwt, x5c, mint, reject, parts
 *   --rounds=N --batch-ms=N --warmup-ms=N       harness settings
 *
 * Prints markdown tables and a target summary, and writes bench/results/latest.json (git-ignored).
 * See BENCHMARKS.md.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, webcrypto } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompactSign, type CryptoKey as JoseCryptoKey } from 'jose';
import { serializeChain } from '../lib/chain.js';
import type { KeyAlgorithmName } from '../lib/keys/keys.js';
import { delegate, startChain } from '../lib/mint.js';
import type { Chain } from '../lib/model/types.js';
import { createVerifier, type ChainVerifier } from '../lib/verify.js';
import { bareCompactVerify, bareSubtleVerify, splitJws } from './baseline.js';
import { contextFor, keyBoundContextFor, linkInput, makeWorld, MAX_LINKS, mintChain, NOW, signerOf, trustFor, verifierKeyOf, type BenchWorld } from './chains.js';
import { cwtGroups } from './cwt.js';
import { expectReject, measureGroup, pairedRatio, rejectionCode, stats, type GroupOptions, type GroupResult, type Stats, type Task } from './harness.js';
import { componentGroup } from './parts.js';
import { fmt, measured, printTables, type BenchIO, type Row } from './report.js';
import { SIZES } from './sizes.js';
import { x5cGroups } from './x5c.js';

const ALGS: readonly KeyAlgorithmName[] = ['EdDSA', 'ES256'];

const args = new Map(process.argv.slice(2).map((arg) => {
  const [name, value] = arg.replace(/^--/, '').split('=');
  return [name as string, value ?? 'true'];
}));
const quick = args.has('quick');
const only = args.get('only')?.split(',');
const options: GroupOptions = {
  batchMs: Number(args.get('batch-ms') ?? (quick ? 10 : 25)),
  rounds: Number(args.get('rounds') ?? (quick ? 5 : 21)),
  warmupMs: Number(args.get('warmup-ms') ?? (quick ? 50 : 250)),
};
const rows: Row[] = [];
const notes: string[] = [];
const loads: number[] = [];

async function group(tasks: Task[]): Promise<GroupResult> {
  loads.push(loadavg()[0] as number);
  const result = await measureGroup(tasks, options);
  loads.push(loadavg()[0] as number);
  return result;
}

function progress(line: string): void {
  process.stderr.write(`  ${line}\n`);
}

const io: BenchIO = { group, rows, progress };

function enabled(name: string): boolean {
  return only === undefined || only.includes(name);
}

function jwsOf(chain: Chain): string[] {
  return chain.links.map((link) => Buffer.from(link).toString('latin1'));
}

function keysOf(world: BenchWorld, n: number): JoseCryptoKey[] {
  return Array.from({ length: n }, (_, i) => verifierKeyOf(world, i));
}

/** Full verification vs the same N signatures checked bare (jose, and WebCrypto with no parsing at all). */
async function verifyGroups(worlds: Map<KeyAlgorithmName, BenchWorld>, verifiers: Map<KeyAlgorithmName, ChainVerifier>): Promise<void> {
  for (const [alg, world] of worlds) {
    const verifier = verifiers.get(alg) as ChainVerifier;
    for (const n of SIZES) {
      const chain = await mintChain(world, n);
      const text = serializeChain(chain);
      const context = contextFor(world, n);
      await verifier.verify(text, context); // must succeed before it is timed
      const jws = jwsOf(chain);
      const keys = keysOf(world, n);
      const keyBound = await keyBoundContextFor(world, n);
      await verifier.verify(text, keyBound);
      const result = await group([
        bareCompactVerify(jws, keys, alg),
        () => verifier.verify(text, context),
        () => verifier.verify(text, keyBound),
        bareSubtleVerify(splitJws(jws), keys as unknown as webcrypto.CryptoKey[], alg),
      ]);
      const base = 'bare jose.compactVerify × N';
      rows.push({ group: 'verify', case: `bare jose.compactVerify × ${n}`, alg, n, ...measured(result, 0) });
      rows.push({ group: 'verify', case: `verify, ${n} link(s)`, alg, n, ...measured(result, 1), baseline: base, cpuRatioToFloor: pairedRatio(result, 1, 3, 'cpu') });
      rows.push({ group: 'verify', case: `verify, ${n} link(s), key-bound requester + requested tmb`, alg, n, ...measured(result, 2), baseline: base, cpuRatioToFloor: pairedRatio(result, 2, 3, 'cpu') });
      rows.push({ group: 'verify', case: `bare crypto.subtle.verify × ${n}`, alg, n, ...measured(result, 3), baseline: base });
      progress(`verify ${alg} N=${n}: ${fmt((result.tasks[1] as Stats).median)} µs vs bare ${fmt((result.tasks[0] as Stats).median)} µs → wall ${(result.ratios[1] as Stats).median.toFixed(3)}×, CPU ${(result.cpuRatios[1] as Stats).median.toFixed(3)}×; key-bound CPU ${(result.cpuRatios[2] as Stats).median.toFixed(3)}×`);
    }
  }
}

/** startChain and delegate() per link, vs one bare jose CompactSign of the same claims. */
async function mintGroups(worlds: Map<KeyAlgorithmName, BenchWorld>): Promise<void> {
  for (const [alg, world] of worlds) {
    const long = await mintChain(world, MAX_LINKS); // link 0's depth allows 31 more
    const next = { delegate: { sub: 'https://next.example', cnf: { jwk: world.holder.publicJwk } } };
    const rootInput = linkInput(world, 0, MAX_LINKS);
    // The bare baseline signs link 0's exact claims bytes under the same header.
    const payload = new Uint8Array(Buffer.from((jwsOf(long)[0] as string).split('.')[1] as string, 'base64url'));
    const signerKey = world.issuer.privateKey;
    const tasks: Task[] = [
      () => new CompactSign(payload).setProtectedHeader({ alg, typ: 'tmb-link+jwt', kid: 'k1' }).sign(signerKey),
      () => startChain(rootInput, signerOf(world, 0), { now: NOW }),
      () => startChain(rootInput, { privateKey: world.issuer.privateJwk, alg, kid: 'k1' }, { now: NOW }),
    ];
    const lengths = [1, 8, 31];
    for (const length of lengths) {
      const chain: Chain = { format: 'jwt', links: long.links.slice(0, length) };
      const signer = signerOf(world, length);
      await delegate(chain, next, signer, { now: NOW });
      tasks.push(() => delegate(chain, next, signer, { now: NOW }));
    }
    const result = await group(tasks);
    const base = 'bare jose CompactSign (1 link)';
    rows.push({ group: 'mint', case: base, alg, ...measured(result, 0) });
    rows.push({ group: 'mint', case: 'startChain, CryptoKey signer', alg, n: 1, ...measured(result, 1), baseline: base });
    rows.push({ group: 'mint', case: 'startChain, private JWK signer', alg, n: 1, ...measured(result, 2), baseline: base });
    lengths.forEach((length, k) => {
      rows.push({ group: 'mint', case: `delegate() onto a ${length}-link chain`, alg, n: length + 1, ...measured(result, 3 + k), baseline: base });
    });
    progress(`mint ${alg}: startChain ${(result.ratios[1] as Stats).median.toFixed(2)}×, delegate@1 ${(result.ratios[3] as Stats).median.toFixed(2)}×, delegate@31 ${(result.ratios[5] as Stats).median.toFixed(2)}× a bare sign`);
  }
}

/** Garbage must cost less than one signature check; a bad first signature about one check plus decoding. */
async function rejectGroups(worlds: Map<KeyAlgorithmName, BenchWorld>, verifiers: Map<KeyAlgorithmName, ChainVerifier>): Promise<void> {
  const random = randomBytes(1 << 20).toString('latin1');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const jwsLike = Array.from(randomBytes(1 << 20), (byte, i) => (i === 1000 || i === 700_000 ? '.' : alphabet[byte & 63])).join('');
  for (const [alg, world] of worlds) {
    const verifier = verifiers.get(alg) as ChainVerifier;
    // The most permissive configuration a verifier may have: every limit at its ceiling.
    const ceiling = await createVerifier(trustFor(world, { limits: { maxChainBytes: 1_048_576, maxLinkBytes: 65_536, maxLinks: 64, maxNesting: 32, maxCertificates: 10 } }));
    const tooLong = serializeChain(await mintChain(world, MAX_LINKS + 1));
    const badFirst = async (n: number): Promise<string> => {
      const [first, ...rest] = jwsOf(await mintChain(world, n)) as [string, ...string[]];
      const dot = first.lastIndexOf('.');
      const signature = Buffer.from(first.slice(dot + 1), 'base64url');
      signature[5] = (signature[5] as number) ^ 1;
      return [`${first.slice(0, dot)}.${signature.toString('base64url')}`, ...rest].join('~');
    };
    const cases: [string, string, ChainVerifier, number?][] = [
      ['1 MiB random bytes (bench limits, 128 KiB)', random, verifier],
      ['1 MiB random bytes (limits at ceilings)', random, ceiling],
      ['1 MiB base64url text with dots, one link (limits at ceilings)', jwsLike, ceiling],
      [`${MAX_LINKS + 1} valid links (maxLinks ${MAX_LINKS})`, tooLong, verifier, MAX_LINKS + 1],
      ['8 links, link 0 signature bad', await badFirst(8), verifier, 8],
      ['32 links, link 0 signature bad', await badFirst(32), verifier, 32],
    ];
    const context = contextFor(world, 1);
    const tasks: Task[] = [bareCompactVerify(jwsOf(await mintChain(world, 1)), keysOf(world, 1), alg)];
    const codes: string[] = [];
    for (const [, input, v] of cases) {
      codes.push(await rejectionCode(() => v.verify(input, context)));
      tasks.push(expectReject(() => v.verify(input, context)));
    }
    const result = await group(tasks);
    const base = 'bare jose.compactVerify × 1';
    rows.push({ group: 'reject', case: base, alg, ...measured(result, 0) });
    cases.forEach(([name, , , n], k) => {
      rows.push({ group: 'reject', case: name, alg, ...(n === undefined ? {} : { n }), ...measured(result, k + 1), baseline: base, code: codes[k] as string });
    });
    progress(`reject ${alg}: ${cases.map(([name], k) => `${name}: ${(result.ratios[k + 1] as Stats).median.toFixed(3)}×`).join('; ')}`);
  }
}

interface TargetCheck {
  target: string;
  met: boolean;
  detail: string;
}

/** Least-squares line through (x, y) points, with R². */
function linearFit(points: readonly [number, number][]): { intercept: number; slope: number; r2: number } {
  const n = points.length;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxy = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const total = points.reduce((sum, [, y]) => sum + (y - my) ** 2, 0);
  const residual = points.reduce((sum, [x, y]) => sum + (y - intercept - slope * x) ** 2, 0);
  return { intercept, slope, r2: total === 0 ? 1 : 1 - residual / total };
}


/** The targets of issue #7, judged on wall-clock medians (CPU-time ratios shown alongside). */
function checkTargets(): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const alg of ALGS) {
    const keyBound = rows.filter((row) => row.group === 'verify' && row.alg === alg && row.case.includes('key-bound'));
    if (keyBound.length > 0) {
      checks.push({
        target: `${alg}: verify with a key-bound requester and requested tmb ≤ 1.15× bare at every N`,
        met: keyBound.every((row) => (row.ratio as Stats).median <= 1.15),
        detail: keyBound.map((row) => `N=${row.n}: ${(row.ratio as Stats).median.toFixed(3)} (CPU ${(row.cpuRatio as Stats).median.toFixed(3)})`).join(', '),
      });
    }
    const verify = rows.filter((row) => row.group === 'verify' && row.alg === alg && row.case.startsWith('verify,') && !row.case.includes('key-bound'));
    if (verify.length > 0) {
      const worst = Math.max(...verify.map((row) => (row.ratio as Stats).median));
      checks.push({
        target: `${alg}: verify ≤ 1.15× bare at every N`,
        met: worst <= 1.15,
        detail: verify.map((row) => `N=${row.n}: ${(row.ratio as Stats).median.toFixed(3)} (CPU ${(row.cpuRatio as Stats).median.toFixed(3)})`).join(', '),
      });
      // Linear: cost = fixed + perLink·N fits the medians (least squares over the sizes) as well as it
      // fits the bare signatures (which are linear by construction: their R² is the noise floor), and
      // the per-link slope is the bare signatures' slope within the same 1.15 (CPU time, the steadier).
      const bare = rows.filter((row) => row.group === 'verify' && row.alg === alg && row.case.startsWith('bare jose'));
      const fit = linearFit(verify.map((row) => [row.n as number, row.cpu.median]));
      const bareFit = linearFit(bare.map((row) => [row.n as number, row.cpu.median]));
      checks.push({
        target: `${alg}: cost linear in N`,
        met: fit.r2 >= Math.min(0.99, bareFit.r2 - 0.005) && fit.slope / bareFit.slope <= 1.15,
        detail: `CPU µs ≈ ${fmt(fit.intercept)} + ${fmt(fit.slope)}·N (R² ${fit.r2.toFixed(4)}); bare ${fmt(bareFit.intercept)} + ${fmt(bareFit.slope)}·N (R² ${bareFit.r2.toFixed(4)}); slope ratio ${(fit.slope / bareFit.slope).toFixed(3)}; per link wall µs: ${verify.map((row) => `N=${row.n}: ${fmt(row.us.median / (row.n as number))}`).join(', ')}`,
      });
    }
    const cwt = rows.filter((row) => row.group === 'cwt' && row.alg === alg && row.ratio !== undefined);
    if (cwt.length > 0) {
      const jwtVsSubtle = verify.map((row) => `N=${row.n}: ${row.cpuRatioToFloor?.median.toFixed(3) ?? '?'}`);
      checks.push({
        target: `${alg}: CWT verify ≤ 1.15× its bare signatures (raw WebCrypto over the Sig_structures) at every N`,
        met: cwt.every((row) => (row.ratio as Stats).median <= 1.15),
        detail: `${cwt.map((row) => `N=${row.n}: ${(row.ratio as Stats).median.toFixed(3)} (CPU ${(row.cpuRatio as Stats).median.toFixed(3)})`).join(', ')}; for comparison JWT verify / raw WebCrypto over its signing inputs (CPU): ${jwtVsSubtle.join(', ')}`,
      });
    }
    const rejects = rows.filter((row) => row.group === 'reject' && row.alg === alg && row.ratio !== undefined && !row.case.includes('signature bad'));
    if (rejects.length > 0) {
      checks.push({
        target: `${alg}: malformed input rejected for less than one signature check`,
        met: rejects.every((row) => (row.ratio as Stats).median < 1),
        detail: rejects.map((row) => `${row.case}: ${(row.ratio as Stats).median.toFixed(3)}`).join('; '),
      });
    }
    const warm = rows.filter((row) => row.group === 'x5c' && row.alg === alg && row.case.startsWith('x5c warm'));
    if (warm.length > 0) {
      checks.push({
        target: `${alg}: x5c with a warm path cache ≤ 1.3× without x5c`,
        met: warm.every((row) => (row.ratio as Stats).median <= 1.3),
        detail: warm.map((row) => `N=${row.n}: ${(row.ratio as Stats).median.toFixed(3)} (CPU ${(row.cpuRatio as Stats).median.toFixed(3)})`).join(', '),
      });
    }
    const badSignature = rows.filter((row) => row.group === 'reject' && row.alg === alg && row.case.includes('signature bad'));
    if (badSignature.length > 0) {
      checks.push({
        target: `${alg}: (information, no target) a bad link 0 signature costs one signature check plus steps 3–5 of every link`,
        met: true,
        detail: badSignature.map((row) => `N=${row.n}: ${(row.ratio as Stats).median.toFixed(3)}× one bare signature`).join(', '),
      });
    }
  }
  return checks;
}

/** The repository root: walk up from this file (dist/bench/ or bench/), else the working directory. */
function repoRoot(): string {
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    const found = walkUp(start);
    if (found !== undefined) return found;
  }
  throw new Error('repository root not found');
}

function walkUp(start: string): string | undefined {
  let dir = start;
  for (;;) {
    try {
      if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === 'transitive-proof') return dir;
    } catch {
      // not here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function gitCommit(root: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'lib', 'bench'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}+uncommitted` : head;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const started = new Date();
  const startLoad = loadavg();
  const worlds = new Map<KeyAlgorithmName, BenchWorld>();
  const verifiers = new Map<KeyAlgorithmName, ChainVerifier>();
  for (const alg of ALGS) {
    const world = await makeWorld(alg);
    worlds.set(alg, world);
    verifiers.set(alg, await createVerifier(trustFor(world)));
  }
  progress(`options ${JSON.stringify(options)}; load ${startLoad.map((l) => l.toFixed(2)).join(' ')}`);
  if (enabled('verify')) await verifyGroups(worlds, verifiers);
  if (enabled('cwt')) notes.push(...(await cwtGroups(worlds, io)));
  if (enabled('x5c')) notes.push(...(await x5cGroups(io, ALGS)));
  if (enabled('mint')) await mintGroups(worlds);
  if (enabled('reject')) await rejectGroups(worlds, verifiers);
  if (enabled('parts')) await componentGroup(worlds.get('EdDSA') as BenchWorld, verifiers.get('EdDSA') as ChainVerifier, io);

  printTables(rows);
  const targets = checkTargets();
  console.log('\n### targets\n');
  for (const check of targets) console.log(`- ${check.target.includes('(information') ? 'INFO' : check.met ? 'MET' : 'MISSED'}: ${check.target} — ${check.detail}`);
  if (notes.length > 0) console.log(`\n${notes.map((note) => `- ${note}`).join('\n')}`);

  const root = repoRoot();
  const cpu = cpus()[0]?.model ?? 'unknown';
  const load = stats(loads);
  const output = {
    date: started.toISOString(),
    durationSeconds: (Date.now() - started.getTime()) / 1000,
    commit: gitCommit(root),
    machine: { nproc: cpus().length, cpu, node: process.version, platform: `${process.platform} ${process.arch}` },
    load: { atStart: startLoad, atEnd: loadavg(), oneMinuteDuringRun: load },
    options,
    rows,
    targets,
    notes,
  };
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
  console.log(`\n${cpu}, ${cpus().length} CPUs, Node ${process.version}; 1-min load average during the run: median ${load.median.toFixed(2)}, max ${Math.max(...loads).toFixed(2)}; ${output.durationSeconds.toFixed(0)} s; commit ${output.commit}`);
  console.log(`wrote ${file}`);
}

await main();
