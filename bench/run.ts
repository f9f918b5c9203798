/**
 * Issues #7 and #13: how close chain verification comes to the cost of its signatures (raw
 * node:crypto.verify), and how it compares with peers.
 *
 *   npm run bench                               build, then run every group (a few minutes; runs node
 *                                               with --expose-gc --experimental-wasm-modules)
 *   node dist/bench/run.js --quick              fewer, shorter rounds (smoke run)
 *   node dist/bench/run.js --only=verify,reject groups: verify, peers, x5c, mint, reject, parts, startup (#10)
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
import { parseChain, serializeChain } from '../lib/chain.js';
import type { KeyAlgorithmName } from '../lib/keys/keys.js';
import { delegate, startChain } from '../lib/mint.js';
import type { Chain } from '../lib/model/types.js';
import { createVerifier, type ChainVerifier } from '../lib/verify.js';
import { bareCompactVerify, bareSubtleVerify, rawVerify, splitJws } from './baseline.js';
import { BENCH_PARTS, contextFor, keyBoundContextFor, linkInput, makeWorld, MAX_LINKS, mintChain, NOW, signerOf, trustFor, verifierKeyOf, type BenchWorld } from './chains.js';
import { cwtSignatureInputs } from './cwt.js';
import { expectReject, gcBetweenBatches, measureGroup, pairedRatio, rejectionCode, stats, type GroupOptions, type GroupResult, type Stats, type Task } from './harness.js';
import { componentGroup } from './parts.js';
import { peerGroups } from './peers.js';
import { measured, printTables, type BenchIO, type Row } from './report.js';
import { SIZES } from './sizes.js';
import { x5cGroups } from './x5c.js';
import { startupGroups } from './startup.js';

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

/**
 * Full verification, JWT and CWT, vs the same N signatures checked raw (synchronous node:crypto.verify
 * with KeyObjects: the limit), bare with jose, and bare with WebCrypto, all in the same rounds.
 */
async function verifyGroups(worlds: Map<KeyAlgorithmName, BenchWorld>, verifiers: Map<KeyAlgorithmName, ChainVerifier>): Promise<void> {
  for (const [alg, world] of worlds) {
    const verifier = verifiers.get(alg) as ChainVerifier;
    for (const n of SIZES) {
      const chain = await mintChain(world, n);
      const text = serializeChain(chain);
      const cwtText = serializeChain(await mintChain(world, n, 'cwt'), BENCH_PARTS);
      const context = contextFor(world, n);
      const keyBound = await keyBoundContextFor(world, n);
      // Each must succeed before it is timed.
      await verifier.verify(text, context);
      await verifier.verify(cwtText, context);
      await verifier.verify(text, keyBound);
      const jws = jwsOf(chain);
      const keys = keysOf(world, n);
      const jwtInputs = splitJws(jws);
      const cwtInputs = cwtSignatureInputs(parseChain(cwtText, { limits: verifier.trust.limits, codecs: verifier.codecs }));
      const result = await group([
        rawVerify(jwtInputs, keys, alg),
        () => verifier.verify(text, context),
        () => verifier.verify(cwtText, context),
        rawVerify(cwtInputs, keys, alg),
        bareCompactVerify(jws, keys, alg),
        bareSubtleVerify(jwtInputs, keys as unknown as webcrypto.CryptoKey[], alg),
        () => verifier.verify(text, keyBound),
      ]);
      const base = 'raw node:crypto.verify × N (JWS signing inputs)';
      rows.push({ group: 'verify', case: `raw node:crypto.verify × ${n}`, alg, n, ...measured(result, 0) });
      rows.push({ group: 'verify', case: `verify, ${n} JWT link(s)`, alg, n, ...measured(result, 1), baseline: base });
      rows.push({
        group: 'verify', case: `verify, ${n} CWT link(s)`, alg, n, ...measured(result, 2), baseline: base,
        cpuRatioToOwnRaw: pairedRatio(result, 2, 3, 'cpu'), cpuRatioToJwt: pairedRatio(result, 2, 1, 'cpu'),
      });
      rows.push({ group: 'verify', case: `raw node:crypto.verify × ${n} (COSE Sig_structures)`, alg, n, ...measured(result, 3), baseline: base });
      rows.push({ group: 'verify', case: `bare jose.compactVerify × ${n}`, alg, n, ...measured(result, 4), baseline: base });
      rows.push({ group: 'verify', case: `bare crypto.subtle.verify × ${n}`, alg, n, ...measured(result, 5), baseline: base });
      rows.push({ group: 'verify', case: `verify, ${n} JWT link(s), key-bound requester + requested tmb`, alg, n, ...measured(result, 6), baseline: base });
      const r = (k: number): string => (result.cpuRatios[k] as Stats).median.toFixed(3);
      progress(`verify ${alg} N=${n} (CPU / raw): JWT ${r(1)}, CWT ${pairedRatio(result, 2, 3, 'cpu').median.toFixed(3)} (CWT/JWT ${pairedRatio(result, 2, 1, 'cpu').median.toFixed(3)}), jose ${r(4)}, WebCrypto ${r(5)}, key-bound ${r(6)}`);
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
  // CWT text forms at the ceiling (1 MiB of base64url, no dots): random, and a one-link CBOR chain
  // whose link is one ~768 KiB byte string (a well-formed head, then bytes).
  // Random, but its first byte is never an array head (a random start is one 1 time in 8).
  const cwtRandom = `A${Array.from(randomBytes((1 << 20) - 1), (byte) => alphabet[byte & 63]).join('')}`;
  const bigLink = randomBytes(786_000);
  bigLink.set([0x81, 0xd2, 0x84, 0x40, 0xa0, 0x5a], 0);
  bigLink.writeUInt32BE(bigLink.length - 10, 6);
  const cwtBigLink = bigLink.toString('base64url');
  for (const [alg, world] of worlds) {
    const verifier = verifiers.get(alg) as ChainVerifier;
    // The most permissive configuration a verifier may have: every limit at its ceiling.
    const ceiling = await createVerifier(trustFor(world, { limits: { maxChainBytes: 1_048_576, maxLinkBytes: 65_536, maxLinks: 64, maxNesting: 32, maxCertificates: 10 } }), BENCH_PARTS);
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
      ['CWT: 1 MiB random base64url text, not a CBOR array (limits at ceilings)', cwtRandom, ceiling],
      ['CWT: one-link CBOR chain, one 768 KiB byte string (limits at ceilings)', cwtBigLink, ceiling],
      [`${MAX_LINKS + 1} valid links (maxLinks ${MAX_LINKS})`, tooLong, verifier, MAX_LINKS + 1],
      ['8 links, link 0 signature bad', await badFirst(8), verifier, 8],
      ['32 links, link 0 signature bad', await badFirst(32), verifier, 32],
    ];
    const context = contextFor(world, 1);
    const one = jwsOf(await mintChain(world, 1));
    const tasks: Task[] = [rawVerify(splitJws(one), keysOf(world, 1), alg), bareCompactVerify(one, keysOf(world, 1), alg)];
    const codes: string[] = [];
    for (const [, input, v] of cases) {
      codes.push(await rejectionCode(() => v.verify(input, context)));
      tasks.push(expectReject(() => v.verify(input, context)));
    }
    const result = await group(tasks);
    const base = 'raw node:crypto.verify × 1';
    rows.push({ group: 'reject', case: base, alg, ...measured(result, 0) });
    rows.push({ group: 'reject', case: 'bare jose.compactVerify × 1', alg, ...measured(result, 1), baseline: base });
    cases.forEach(([name, , , n], k) => {
      rows.push({ group: 'reject', case: name, alg, ...(n === undefined ? {} : { n }), ...measured(result, k + 2), baseline: base, code: codes[k] as string });
    });
    progress(`reject ${alg} (CPU / one raw signature): ${cases.map(([name], k) => `${name}: ${(result.cpuRatios[k + 2] as Stats).median.toFixed(3)}×`).join('; ')}`);
  }
}

interface TargetCheck {
  target: string;
  met: boolean;
  detail: string;
}

const cpuMedian = (stats: Stats | undefined): number => stats?.median ?? Number.NaN;
const r3 = (value: number): string => value.toFixed(3);

/**
 * The targets of issue #13, judged on CPU time (process user + system, all threads), as medians of
 * per-round ratios to the raw node:crypto.verify of the same signatures measured in the same rounds.
 */
function checkTargets(): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const limitFor = (n: number): number => (n >= 3 ? 1.3 : 1.5);
  for (const alg of ALGS) {
    const verifyRows = rows.filter((row) => row.group === 'verify' && row.alg === alg);
    const jwt = verifyRows.filter((row) => / JWT link\(s\)$/.test(row.case));
    const cwt = verifyRows.filter((row) => / CWT link\(s\)$/.test(row.case));
    if (jwt.length > 0) {
      checks.push({
        target: `${alg} JWT: chain verify ≤ 1.3× N raw node:crypto.verify at N ≥ 3, ≤ 1.5× at N = 1 (CPU)`,
        met: jwt.every((row) => cpuMedian(row.cpuRatio) <= limitFor(row.n as number)),
        detail: jwt.map((row) => `N=${row.n}: ${r3(cpuMedian(row.cpuRatio))}`).join(', '),
      });
      const keyBound = verifyRows.filter((row) => row.case.includes('key-bound'));
      checks.push({
        target: `${alg} JWT, key-bound requester + requested tmb: same bounds (information)`,
        met: true,
        detail: keyBound.map((row) => `N=${row.n}: ${r3(cpuMedian(row.cpuRatio))}`).join(', '),
      });
      const others = (prefix: string): string => verifyRows.filter((row) => row.case.startsWith(prefix)).map((row) => `N=${row.n}: ${r3(cpuMedian(row.cpuRatio))}`).join(', ');
      checks.push({ target: `${alg}: bare jose.compactVerify × N / raw (information)`, met: true, detail: others('bare jose') });
      checks.push({ target: `${alg}: bare crypto.subtle.verify × N / raw (information)`, met: true, detail: others('bare crypto.subtle') });
    }
    if (cwt.length > 0) {
      checks.push({
        target: `${alg} CWT: chain verify ≤ 1.3× N raw node:crypto.verify (of its Sig_structures) at N ≥ 3, ≤ 1.5× at N = 1 (CPU)`,
        met: cwt.every((row) => cpuMedian(row.cpuRatioToOwnRaw) <= limitFor(row.n as number)),
        detail: cwt.map((row) => `N=${row.n}: ${r3(cpuMedian(row.cpuRatioToOwnRaw))} (vs the JWS raw: ${r3(cpuMedian(row.cpuRatio))})`).join(', '),
      });
      checks.push({
        target: `${alg}: CWT verify within 10 % of JWT verify at every N (CPU)`,
        met: cwt.every((row) => cpuMedian(row.cpuRatioToJwt) <= 1.1),
        detail: cwt.map((row) => `N=${row.n}: ${r3(cpuMedian(row.cpuRatioToJwt))}`).join(', '),
      });
    }
    const rejects = rows.filter((row) => row.group === 'reject' && row.alg === alg && row.code !== undefined && !row.case.includes('signature bad'));
    if (rejects.length > 0) {
      checks.push({
        target: `${alg}: malformed input rejected for less than one raw signature check (CPU)`,
        met: rejects.every((row) => cpuMedian(row.cpuRatio) < 1),
        detail: rejects.map((row) => `${row.case}: ${r3(cpuMedian(row.cpuRatio))} (${row.code})`).join('; '),
      });
    }
    const badSignature = rows.filter((row) => row.group === 'reject' && row.alg === alg && row.case.includes('signature bad'));
    if (badSignature.length > 0) {
      checks.push({
        target: `${alg}: (information, no target) a bad link 0 signature costs one signature check plus steps 3–5 of every link`,
        met: true,
        detail: badSignature.map((row) => `N=${row.n}: ${r3(cpuMedian(row.cpuRatio))}× one raw signature`).join(', '),
      });
    }
    const warm = rows.filter((row) => row.group === 'x5c' && row.alg === alg && row.case.startsWith('x5c warm'));
    if (warm.length > 0) {
      checks.push({
        target: `${alg}: (information, #7) x5c with a warm path cache / without x5c`,
        met: true,
        detail: warm.map((row) => `N=${row.n}: ${r3(cpuMedian(row.cpuRatio))}`).join(', '),
      });
    }
  }
  const peers = rows.filter((row) => row.group === 'peers' && row.cpuRatioOursToPeer !== undefined);
  for (const peer of ['biscuit', 'ucanto', 'ucans']) {
    const peerRows = peers.filter((row) => row.case.startsWith(peer));
    if (peerRows.length === 0) continue;
    const biscuit = peer === 'biscuit';
    checks.push({
      target: biscuit
        ? 'EdDSA JWT verify faster than Biscuit wasm at N = 1, 3, 8 (ours / Biscuit < 1.0, CPU)'
        : `EdDSA JWT verify faster than ${peer} at every N (ours / ${peer} < 1.0, CPU)`,
      met: peerRows.filter((row) => !biscuit || (row.n as number) <= 8).every((row) => cpuMedian(row.cpuRatioOursToPeer) < 1),
      detail: peerRows.map((row) => `N=${row.n}: ${r3(cpuMedian(row.cpuRatioOursToPeer))}`).join(', '),
    });
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
    verifiers.set(alg, await createVerifier(trustFor(world), BENCH_PARTS));
  }
  if (!gcBetweenBatches) progress('WARNING: run with node --expose-gc (npm run bench does): without it one task\'s garbage is charged to another');
  progress(`options ${JSON.stringify(options)}; load ${startLoad.map((l) => l.toFixed(2)).join(' ')}`);
  if (enabled('verify')) await verifyGroups(worlds, verifiers);
  if (enabled('peers')) notes.push(...(await peerGroups(worlds.get('EdDSA') as BenchWorld, verifiers.get('EdDSA') as ChainVerifier, io)));
  if (enabled('x5c')) notes.push(...(await x5cGroups(io, ALGS)));
  if (enabled('mint')) await mintGroups(worlds);
  if (enabled('reject')) await rejectGroups(worlds, verifiers);
  if (enabled('startup')) notes.push(...(await startupGroups({ rounds: Math.max(options.rounds, 11), progress })));
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
    gcBetweenBatches,
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
