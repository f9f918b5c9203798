/**
 * Issue #27 target 3, X.509: (a) a cold path, `validateCertificatePath` of leaf + intermediate under
 * an `x509` root's anchor with nothing cached (CPU µs per path, target ≤ 5 ms), and (b) a cached path,
 * the same chain verified by a verifier whose path cache holds it, against the same chain without
 * X.509 (link 0 signed by an issuer root key), CPU ratio per round (target ≤ 1.2), and (c) a path-cache
 * hit alone: link 0 read by the JOSE codec's JWS reader (`readJws`: its header, with the `x5c`, a
 * kept one, as every link's after the first) and `validateCertificatePath` of its `x5c` with a cache that holds the path (CPU µs per hit). With --before,
 * the same cases of another build in the same rounds (paired A/B, as bench/ab.ts).
 *
 * (d) The same ratio as (b) from short batches of the two verifications alone, run side by side
 * (10 ms batches, 101 rounds: `--ratio-batch-ms`, `--ratio-rounds`). In (b) the two batches of a
 * round are 100 ms apart among six others, and this VM's speed moves within that: one round's ratio
 * spread 0.1-0.4 around the median; here the two batches of a pair run back to back.
 *
 *   node dist/bench/x509-cost.js [--algs=EdDSA,ES256] [--rounds=21] [--before=/tmp/before/dist]
 *   (not --expose-gc: a collection forced before every batch inflates the cold path's batches 2-3x)
 *   node --cpu-prof dist/bench/x509-cost.js --profile=cold|warm|plain|hit [--alg=ES256] [--seconds=10]
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serializeChain } from '../lib/chain.js';
import * as afterJws from '../lib/codecs/jose/jws.js';
import { DEFAULT_LIMITS } from '../lib/model/limits.js';
import type { KeyAlgorithmName } from '../lib/keys/keys.js';
import { startChain } from '../lib/mint.js';
import type { TrustConfig } from '../lib/trust/trust.js';
import * as afterVerify from '../lib/verify.js';
import * as afterX509 from '../lib/x509/index.js';
import { createCertificateAuthority, createIntermediate, createLeaf, type CertificateKeyAlgorithm } from '../lib/x509/issue.js';
import { contextFor, ISSUER, linkInput, makeWorld, mintChain, NOW, NOW_S, SUBJECT, trustFor } from './chains.js';
import { measureGroup, pairedRatio, type Stats, type Task } from './harness.js';

const args = new Map(process.argv.slice(2).map((arg) => {
  const [name, value] = arg.replace(/^--/, '').split('=');
  return [name as string, value ?? 'true'];
}));
const CERT_ALG: Record<string, CertificateKeyAlgorithm> = { EdDSA: 'Ed25519', ES256: 'ES256', ES384: 'ES384', PS256: 'PS256' };

interface Build {
  label: string;
  verify: typeof afterVerify;
  x509: typeof afterX509;
  jws: typeof afterJws;
}

async function buildAt(dist: string, label: string): Promise<Build> {
  return {
    label,
    verify: (await import(pathToFileURL(join(dist, 'lib', 'verify.js')).href)) as typeof afterVerify,
    x509: (await import(pathToFileURL(join(dist, 'lib', 'x509', 'index.js')).href)) as typeof afterX509,
    jws: (await import(pathToFileURL(join(dist, 'lib', 'codecs', 'jose', 'jws.js')).href)) as typeof afterJws,
  };
}

/** The cases of one build: a cold path, the x5c chain and the plain chain through a warm verifier, a cache hit alone. */
async function casesOf(build: Build, alg: KeyAlgorithmName): Promise<{ cold: Task; warm: Task; plain: Task; hit: Task }> {
  const world = await makeWorld(alg, 1);
  const keyAlg = CERT_ALG[alg] as CertificateKeyAlgorithm;
  const validity = { notBefore: NOW_S - 86_400, notAfter: NOW_S + 365 * 86_400, keyAlg };
  const root = await createCertificateAuthority({ subject: 'CN=Bench Root CA', ...validity });
  const intermediate = await createIntermediate({ subject: 'CN=Bench Intermediate CA', issuer: root, ...validity });
  const leaf = await createLeaf({ uri: ISSUER, issuer: intermediate, ...validity });
  const x5c = [leaf.certificate, intermediate.certificate];
  const anchors = await build.x509.loadTrustAnchors([root.certificate]);
  const pathOptions = { anchors, now: NOW_S, clockToleranceSeconds: 0, identity: { type: 'uri' as const } };

  const parts = { x509: build.x509.x509Support };
  const x5cTrust: TrustConfig = trustFor(world, { roots: [{ type: 'x509', anchors: [Buffer.from(root.certificate).toString('base64')], identity: { type: 'uri' }, subjects: { exact: [SUBJECT] } }] });
  const warmVerifier = await build.verify.createVerifier(x5cTrust, parts);
  const plainVerifier = await build.verify.createVerifier(trustFor(world), parts);
  const context = contextFor(world, 1);
  const withX5c = serializeChain(await startChain(linkInput(world, 0, 1), { privateKey: leaf.privateJwk, alg, x5c }, { now: NOW }));
  const plain = serializeChain(await mintChain(world, 1));
  const link0 = new TextEncoder().encode(withX5c.split('~')[0]);
  const cached = { ...pathOptions, cache: new build.x509.PathCache() };
  const hit = () => build.x509.validateCertificatePath(build.jws.readJws(link0, 0, DEFAULT_LIMITS).header.x5c as Uint8Array[], cached);
  await build.x509.validateCertificatePath(x5c, pathOptions);
  await hit();
  await warmVerifier.verify(withX5c, context);
  await plainVerifier.verify(plain, context);
  return {
    cold: () => build.x509.validateCertificatePath(x5c, pathOptions),
    warm: () => warmVerifier.verify(withX5c, context),
    plain: () => plainVerifier.verify(plain, context),
    hit,
  };
}

const fmt = (s: Stats): string => `${s.median.toFixed(0)} [${s.p25.toFixed(0)}–${s.p75.toFixed(0)}]`;
const ratio = (s: Stats): string => `${s.median.toFixed(3)} [${s.p25.toFixed(2)}–${s.p75.toFixed(2)}]`;

const after: Build = { label: 'after', verify: afterVerify, x509: afterX509, jws: afterJws };
const profile = args.get('profile');
if (profile !== undefined) {
  const cases = await casesOf(after, (args.get('alg') ?? 'ES256') as KeyAlgorithmName);
  const task = profile === 'cold' ? cases.cold : profile === 'plain' ? cases.plain : profile === 'hit' ? cases.hit : cases.warm;
  const until = performance.now() + Number(args.get('seconds') ?? 10) * 1000;
  let count = 0;
  const cpu = process.cpuUsage();
  while (performance.now() < until) {
    await task();
    count++;
  }
  const used = process.cpuUsage(cpu);
  console.log(`${profile}: ${count} operations, ${((used.user + used.system) / count).toFixed(1)} µs CPU each`);
} else {
  const beforeDir = args.get('before');
  const builds = beforeDir === undefined ? [after] : [await buildAt(beforeDir, 'before'), after];
  // A cold path takes milliseconds: longer batches and warm-up than bench/harness's defaults, or the first group measures the JIT.
  const options = { batchMs: Number(args.get('batch-ms') ?? 100), rounds: Number(args.get('rounds') ?? 21), warmupMs: Number(args.get('warmup-ms') ?? 1500) };
  console.log(`| alg | build | cold path CPU µs [p25–p75] | cache hit alone CPU µs | cached x5c / without X.509, CPU [p25–p75] | cached x5c / without, wall |${beforeDir === undefined ? '' : ' cold after/before CPU | hit after/before CPU | cached after/before CPU |'}`);
  console.log(`|---|---|---|---|---|---|${beforeDir === undefined ? '' : '---|---|---|'}`);
  const tables: string[] = [];
  for (const alg of (args.get('algs') ?? 'EdDSA,ES256').split(',') as KeyAlgorithmName[]) {
    const all = await Promise.all(builds.map((build) => casesOf(build, alg)));
    // Per build: cold, warm, plain, hit (task 4k … 4k+3), all in the same rounds.
    const result = await measureGroup(all.flatMap((c) => [c.cold, c.warm, c.plain, c.hit]), options);
    tables.push(await adjacentRatios(builds, all, alg));
    builds.forEach((build, k) => {
      const paired = k === 1 ? ` ${ratio(pairedRatio(result, 4, 0, 'cpu'))} | ${ratio(pairedRatio(result, 7, 3, 'cpu'))} | ${ratio(pairedRatio(result, 5, 1, 'cpu'))} |` : beforeDir === undefined ? '' : ' | | |';
      console.log(`| ${alg} | ${build.label} | ${fmt(result.cpu[4 * k] as Stats)} | ${(result.cpu[4 * k + 3] as Stats).median.toFixed(2)} [${(result.cpu[4 * k + 3] as Stats).p25.toFixed(2)}–${(result.cpu[4 * k + 3] as Stats).p75.toFixed(2)}] | ${ratio(pairedRatio(result, 4 * k + 1, 4 * k + 2, 'cpu'))} | ${ratio(pairedRatio(result, 4 * k + 1, 4 * k + 2, 'wall'))} |${paired}`);
    });
  }
  console.log(`\n| alg | build | cached x5c / without X.509, CPU, adjacent batches [p25–p75] | wall |${beforeDir === undefined ? '' : ' cached after/before CPU |'}`);
  console.log(`|---|---|---|---|${beforeDir === undefined ? '' : '---|'}`);
  for (const rows of tables) console.log(rows);
}

/** (d): the cached x5c verification and the plain one of each build, in short batches side by side. */
async function adjacentRatios(builds: Build[], all: { warm: Task; plain: Task }[], alg: string): Promise<string> {
  const options = { batchMs: Number(args.get('ratio-batch-ms') ?? 10), rounds: Number(args.get('ratio-rounds') ?? 101), warmupMs: 500 };
  const result = await measureGroup(all.flatMap((c) => [c.plain, c.warm]), options);
  return builds.map((build, k) => {
    const paired = builds.length === 1 ? '' : k === 1 ? ` ${ratio(pairedRatio(result, 3, 1, 'cpu'))} |` : ' |';
    return `| ${alg} | ${build.label} | ${ratio(pairedRatio(result, 2 * k + 1, 2 * k, 'cpu'))} | ${ratio(pairedRatio(result, 2 * k + 1, 2 * k, 'wall'))} |${paired}`;
  }).join('\n');
}
