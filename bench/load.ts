/**
 * Issue #18.4: the demo's authorization server (oidc-provider with the grant) under load on
 * loopback. Not a test: `npm run bench:load` prints markdown tables and writes
 * bench/results/load-latest.json (git-ignored). See BENCHMARKS.md "Load".
 *
 *   node dist/bench/load.js [--duration-s=3] [--max-requests=4000] [--soak-s=30]
 *                           [--concurrency=1,8,32] [--stores=memory,redis] [--redis-port=6392]
 *                           [--store-seconds=2] [--cluster-port=6411] [--only-topologies]
 *
 * Scenarios, each at every concurrency and with each store: issuance (a fresh chain per request),
 * replay (a chain already redeemed: 400 invalid_grant) and bad signature (400 invalid_grant). Each
 * cell stops at --max-requests or --duration-s, whichever comes first. The AS runs in a child
 * process: its CPU per request is its own user+system time over the cell. The Redis store uses a
 * redis-server this script starts on 127.0.0.1:--redis-port with `appendonly yes` (appendfsync
 * always, the configuration README recommends) and stops at the end. Then a soak (issuance, concurrency 8, memory
 * store) of --soak-s seconds samples the AS heap after a forced GC, and the Redis store's recovery
 * after a SIGKILL is timed for two reconnect strategies. With the Redis store, redemptions straight
 * on the store (no AS) on one primary with a replica and on a 3-shard Redis Cluster (each shard a
 * primary and a replica), at concurrency 8 and 32, with and without waiting for one replica (WAIT 1),
 * --store-seconds each; ports --redis-port, --redis-port + 4 and --cluster-port … + 5.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { generateKeyPair, serializeChain, startChain, type Chain, type PrivateJwk, type PublicJwk } from '../lib/index.js';
import { connectRedisReplayStore, defaultReconnectDelay, type ReconnectDelay } from '../lib/redis/index.js';
import { buildDeferredBindingRequest } from '../lib/client/request.js';

const args = new Map(process.argv.slice(2).map((arg) => {
  const [name, value] = arg.replace(/^--/, '').split('=');
  return [name as string, value ?? 'true'];
}));
const DURATION_MS = Number(args.get('duration-s') ?? 3) * 1000;
const MAX_REQUESTS = Number(args.get('max-requests') ?? 4000);
const SOAK_MS = Number(args.get('soak-s') ?? 30) * 1000;
const CONCURRENCY = (args.get('concurrency') ?? '1,8,32').split(',').map(Number);
const STORES = (args.get('stores') ?? 'memory,redis').split(',') as ('memory' | 'redis')[];
const REDIS_PORT = Number(args.get('redis-port') ?? 6392);
const CLUSTER_PORT = Number(args.get('cluster-port') ?? 6411);
const STORE_SECONDS = Number(args.get('store-seconds') ?? 2);
/** Only the Redis store topologies (no AS cells, recovery or soak). */
const ONLY_TOPOLOGIES = args.get('only-topologies') === 'true';
const CLIENT = { clientId: 'client-b', clientSecret: 'b-secret-for-the-load-bench' };
const AUTHORITY = 'https://authority.load.test';
const here = dirname(fileURLToPath(import.meta.url));

type Keys = { privateJwk: PrivateJwk; publicJwk: PublicJwk };
const [A, B, C] = (await Promise.all(['EdDSA', 'ES256', 'ES256'].map((alg) => generateKeyPair(alg as 'EdDSA' | 'ES256')))) as [Keys, Keys, Keys];
const trust = { roots: [{ type: 'issuer' as const, iss: AUTHORITY, jwks: { keys: [A.publicJwk] } }] };

interface ServerHandle {
  child: ChildProcess;
  tokenEndpoint: URL;
  issuer: string;
  stats(gc?: boolean): Promise<{ cpu: NodeJS.CpuUsage; memory: NodeJS.MemoryUsage; replay?: { entries: number; fill: number } }>;
  close(): Promise<void>;
}

async function startServer(store: 'memory' | 'redis'): Promise<ServerHandle> {
  const child = fork(join(here, 'load-as.js'), [], {
    execArgv: ['--expose-gc'],
    env: {
      ...process.env,
      TPROOF_LOAD_TRUST: JSON.stringify(trust),
      TPROOF_LOAD_STORE: store,
      TPROOF_LOAD_REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}`,
      TPROOF_LOAD_CLIENT_SECRET: CLIENT.clientSecret,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ issuer: string; tokenEndpoint: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { issuer: string; tokenEndpoint: string }));
    child.once('exit', (code) => reject(new Error(`the AS exited (${code})`)));
  });
  return {
    child,
    issuer: ready.issuer,
    tokenEndpoint: new URL(ready.tokenEndpoint),
    stats: (gc = false) => new Promise((resolve) => {
      child.once('message', (message) => resolve(message as Awaited<ReturnType<ServerHandle['stats']>>));
      child.send({ cmd: 'stats', gc });
    }),
    close: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.send({ cmd: 'exit' });
    }),
  };
}

/** A redis-server with AOF on its own loopback port (default --redis-port), restartable with its data; `args` are extra flags. */
async function startRedis(port = REDIS_PORT, args: string[] = []): Promise<{ url: string; stop: () => void; kill: () => Promise<void>; restart: () => Promise<void> }> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) throw new Error('redis-server is not on PATH (.ci/redis.sh installs it)');
  const dir = mkdtempSync(join(tmpdir(), 'tproof-load-redis-'));
  let server: ChildProcess;
  const launch = async (): Promise<void> => {
    server = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir, '--daemonize', 'no', ...args], { stdio: 'ignore' });
    const { Redis } = await import('ioredis');
    for (let attempt = 0; ; attempt++) {
      const client = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.ping();
        client.disconnect();
        return;
      } catch {
        client.disconnect();
        if (attempt > 100 || server.exitCode !== null) throw new Error(`redis-server did not start on ${port}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => {
      server.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    kill: () => new Promise<void>((resolve) => {
      server.once('exit', () => resolve());
      server.kill('SIGKILL');
    }),
    restart: launch,
  };
}

/** Repeat a command (`INFO replication`, `CLUSTER INFO`) on a server until `done` holds of its answer, at most 20 s. */
async function waitForInfo(url: string, command: string[], done: (info: string) => boolean): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (done(String(await client.call(command[0] as string, ...command.slice(1))))) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${url}: ${command.join(' ')} never settled`);
  } finally {
    client.disconnect();
  }
}

interface StoreCell {
  topology: string;
  acks: number;
  concurrency: number;
  redemptions: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/**
 * Redemptions straight on the Redis replay store (no AS: its CPU would hide the store), as the AS
 * makes them: the last link's key, then the chain's, each a first use. Per cell: --store-seconds.
 */
async function storeCell(topology: string, options: Parameters<typeof connectRedisReplayStore>[0], acks: number, concurrency: number): Promise<StoreCell> {
  const store = await connectRedisReplayStore({ ...options, keyPrefix: `tproof-bench-${randomUUID()}:`, freshDeployment: true, replicaAcks: acks });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + STORE_SECONDS * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      const id = next++;
      const t0 = performance.now();
      try {
        for (const key of [`jti:${id}`, `chain:${id}`]) if ((await store.consume(key, Date.now() / 1000 + 300)) !== true) throw new Error('not a first use');
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { topology, acks, concurrency, redemptions: latencies.length, perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99), errors };
}

/** One primary with one replica, and a 3-primary + 3-replica cluster; each at WAIT 0 and WAIT 1, concurrency 8 and 32. */
async function storeTopologies(): Promise<StoreCell[]> {
  const cells: StoreCell[] = [];
  const sync = ['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0'];
  const primary = await startRedis(REDIS_PORT, sync);
  const replica = await startRedis(REDIS_PORT + 4, ['--replicaof', '127.0.0.1', String(REDIS_PORT)]);
  try {
    await waitForInfo(replica.url, ['INFO', 'replication'], (info) => info.includes('master_link_status:up'));
    for (const concurrency of [8, 32]) {
      for (const acks of [0, 1]) cells.push(await storeCell('one primary + 1 replica', { url: primary.url }, acks, concurrency));
    }
  } finally {
    replica.stop();
    primary.stop();
  }
  const ports = [0, 1, 2, 3, 4, 5].map((index) => CLUSTER_PORT + index);
  const nodes = await Promise.all(ports.map((port) => startRedis(port, ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '1000', ...sync])));
  try {
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '1', '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 });
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    for (const node of nodes) {
      await waitForInfo(node.url, ['CLUSTER', 'INFO'], (info) => info.includes('cluster_state:ok'));
      await waitForInfo(node.url, ['INFO', 'replication'], (info) => info.includes('connected_slaves:1') || info.includes('master_link_status:up'));
    }
    for (const concurrency of [8, 32]) {
      for (const acks of [0, 1]) cells.push(await storeCell('cluster: 3 primaries + 3 replicas', { cluster: [nodes[0]?.url as string] }, acks, concurrency));
    }
  } finally {
    for (const node of nodes) node.stop();
  }
  return cells;
}

/**
 * Recovery after a Redis outage: kill -9, wait, restart with its AOF, then time from "redis-server
 * answers PING" to the store's first successful consume, for the default reconnect delays and for
 * ioredis's own default (50 ms more per attempt, at most 2 s).
 */
async function recovery(): Promise<{ strategy: string; outageMs: number; recoveryMs: number[]; errors: string[] }[]> {
  const redis = await startRedis();
  const results: { strategy: string; outageMs: number; recoveryMs: number[]; errors: string[] }[] = [];
  const strategies: [string, ReconnectDelay][] = [['default (25 ms doubling, 500 ms cap)', defaultReconnectDelay], ['ioredis default (50 ms × attempt, 2 s cap)', (attempt) => Math.min(attempt * 50, 2000)]];
  try {
    for (const [strategy, reconnectDelay] of strategies) {
      for (const outageMs of [1000, 10_000]) {
        const row = { strategy, outageMs, recoveryMs: [] as number[], errors: [] as string[] };
        results.push(row);
        for (let repeat = 0; repeat < 3; repeat++) {
        const store = await connectRedisReplayStore({ url: `redis://127.0.0.1:${REDIS_PORT}`, keyPrefix: `tproof-recovery:${randomUUID()}:`, freshDeployment: true, reconnectDelay });
        await redis.kill();
        await new Promise((resolve) => setTimeout(resolve, outageMs));
        await redis.restart();
        const back = performance.now();
        let recoveryMs = Number.NaN;
        for (let attempt = 0; attempt < 2000; attempt++) {
          try {
            await store.consume(`probe:${attempt}`, Date.now() / 1000 + 60);
            recoveryMs = performance.now() - back;
            break;
          } catch (error) {
            // Anything but "did not answer" is not a reconnection delay: report it and stop.
            if (!/did not answer/.test((error as Error).message)) {
              row.errors.push((error as Error).message);
              break;
            }
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        }
        row.recoveryMs.push(recoveryMs);
        await store.close();
        }
      }
    }
  } finally {
    redis.stop();
  }
  return results;
}

function mint(issuer: string): Promise<Chain> {
  return startChain(
    { iss: AUTHORITY, sub: 'alice', aud: issuer, scope: 'read', tmb: { jwk: C.publicJwk }, delegate: { sub: CLIENT.clientId, cnf: { jwk: B.publicJwk } } },
    { privateKey: A.privateJwk, alg: 'EdDSA' },
  );
}

function body(chain: Chain | string): string {
  return buildDeferredBindingRequest({ chain }).params.toString();
}

/** The same chain with one signature byte changed (link 0's last base64url character). */
function badSignature(chain: Chain): string {
  const text = serializeChain(chain);
  const link = text.split('~')[0] as string;
  const flipped = link.slice(0, -2) + (link.at(-2) === 'A' ? 'B' : 'A') + link.slice(-1);
  return text.replace(link, flipped);
}

const authorization = `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`;

function post(agent: Agent, url: URL, payload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(payload), accept: 'application/json', authorization },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

interface Cell {
  store: string;
  scenario: string;
  concurrency: number;
  requests: number;
  unexpected: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
}

async function runCell(server: ServerHandle, store: string, scenario: string, concurrency: number, bodies: () => string, expected: number): Promise<Cell> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let unexpected = 0;
  let sent = 0;
  const before = await server.stats();
  const started = performance.now();
  const deadline = started + DURATION_MS;
  const worker = async (): Promise<void> => {
    while (sent < MAX_REQUESTS && performance.now() < deadline) {
      sent++;
      const payload = bodies();
      const t0 = performance.now();
      const status = await post(agent, server.tokenEndpoint, payload);
      latencies.push(performance.now() - t0);
      if (status !== expected) unexpected++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const after = await server.stats();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const cpuMs = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000;
  return {
    store, scenario, concurrency, requests: latencies.length, unexpected, seconds,
    perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99), cpuMsPerRequest: cpuMs / latencies.length,
  };
}

async function scenarios(server: ServerHandle, store: string): Promise<Cell[]> {
  const cells: Cell[] = [];
  const redeemed = await mint(server.issuer);
  if ((await post(new Agent(), server.tokenEndpoint, body(redeemed))) !== 200) throw new Error('the first redemption was not issued');
  const replayBody = body(redeemed);
  const badBody = body(badSignature(await mint(server.issuer)));
  for (const concurrency of CONCURRENCY) {
    // Chains are minted before the cell starts so that minting does not compete with the AS.
    const chains: string[] = [];
    for (let i = 0; i < MAX_REQUESTS; i++) chains.push(body(await mint(server.issuer)));
    let next = 0;
    cells.push(await runCell(server, store, 'issuance', concurrency, () => chains[next++] as string, 200));
    cells.push(await runCell(server, store, 'replay', concurrency, () => replayBody, 400));
    cells.push(await runCell(server, store, 'bad signature', concurrency, () => badBody, 400));
    console.error(`  ${store} c=${concurrency} done`);
  }
  return cells;
}

async function soak(): Promise<{ seconds: number; tokens: number; unexpected: number; heapMiB: number[]; replayEntries: number }> {
  const server = await startServer('memory');
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const heapMiB: number[] = [(await server.stats(true)).memory.heapUsed / 2 ** 20];
    let tokens = 0;
    let unexpected = 0;
    const started = performance.now();
    const end = started + SOAK_MS;
    let nextSample = started + SOAK_MS / 6;
    // Chains minted in batches between bursts, so the soak is bounded in time and in memory.
    while (performance.now() < end) {
      const batch: string[] = [];
      for (let i = 0; i < 400; i++) batch.push(body(await mint(server.issuer)));
      let next = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next < batch.length) {
          const status = await post(agent, server.tokenEndpoint, batch[next++] as string);
          if (status === 200) tokens++;
          else unexpected++;
        }
      }));
      if (performance.now() >= nextSample) {
        heapMiB.push((await server.stats(true)).memory.heapUsed / 2 ** 20);
        nextSample += SOAK_MS / 6;
      }
    }
    const final = await server.stats(true);
    heapMiB.push(final.memory.heapUsed / 2 ** 20);
    agent.destroy();
    return { seconds: (performance.now() - started) / 1000, tokens, unexpected, heapMiB, replayEntries: final.replay?.entries ?? 0 };
  } finally {
    await server.close();
  }
}

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  loadavgAtStart: loadavg().map((value) => value.toFixed(2)).join(' '),
};
console.error(`load bench: ${JSON.stringify(machine)}`);

const cells: Cell[] = [];
for (const store of ONLY_TOPOLOGIES ? [] : STORES) {
  const redis = store === 'redis' ? await startRedis() : undefined;
  const server = await startServer(store);
  try {
    cells.push(...(await scenarios(server, store)));
  } finally {
    await server.close();
    redis?.stop();
  }
}
const perEntry = ONLY_TOPOLOGIES ? [] : spawnSync(process.execPath, ['--expose-gc', join(here, 'replay-memory.js')], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { entries: number; bytesPerEntry: number });
const recoveryResult = STORES.includes('redis') && !ONLY_TOPOLOGIES ? await recovery() : [];
const topologyResult = STORES.includes('redis') ? await storeTopologies() : [];
const soakResult = SOAK_MS > 0 && !ONLY_TOPOLOGIES ? await soak() : undefined;

const fmt = (value: number, digits = 1): string => value.toFixed(digits);
console.log(`\nMachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; load average at start ${machine.loadavgAtStart}.`);
console.log(`Cells: at most ${MAX_REQUESTS} requests or ${DURATION_MS / 1000} s each.\n`);
console.log('| store | scenario | conc. | requests | req/s | p50 ms | p99 ms | AS CPU ms/req | unexpected |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const cell of cells) {
  console.log(`| ${cell.store} | ${cell.scenario} | ${cell.concurrency} | ${cell.requests} | ${fmt(cell.perSecond, 0)} | ${fmt(cell.p50, 2)} | ${fmt(cell.p99, 2)} | ${fmt(cell.cpuMsPerRequest, 3)} | ${cell.unexpected} |`);
}
console.log(`\nMemory store, heap per entry: ${perEntry.map((row) => `${row.bytesPerEntry} B at ${row.entries} entries`).join(', ')}.`);
if (recoveryResult.length > 0) {
  console.log('\n| reconnect strategy | outage | store usable again after (3 runs) |');
  console.log('| --- | ---: | ---: |');
  for (const row of recoveryResult) console.log(`| ${row.strategy} | ${row.outageMs / 1000} s | ${row.recoveryMs.map((ms) => `${fmt(ms, 0)} ms`).join(', ')}${row.errors.length > 0 ? ` (${row.errors.join('; ')})` : ''} |`);
}
if (topologyResult.length > 0) {
  console.log(`\nRedis replay store alone (a redemption = 2 first uses), ${STORE_SECONDS} s per cell, AOF always on every node:\n`);
  console.log('| topology | replicas acknowledging | conc. | redemptions/s | p50 ms | p99 ms | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const cell of topologyResult) console.log(`| ${cell.topology} | ${cell.acks === 0 ? 'none' : `WAIT ${cell.acks}`} | ${cell.concurrency} | ${fmt(cell.perSecond, 0)} | ${fmt(cell.p50, 2)} | ${fmt(cell.p99, 2)} | ${cell.errors} |`);
  const rate = (topology: string, acks: number, concurrency: number): number => topologyResult.find((cell) => cell.topology.startsWith(topology) && cell.acks === acks && cell.concurrency === concurrency)?.perSecond ?? Number.NaN;
  console.log('\n| ratio | conc. 8 | conc. 32 |');
  console.log('| --- | ---: | ---: |');
  const ratio = (label: string, f: (concurrency: number) => number): void => console.log(`| ${label} | ${fmt(f(8), 2)} | ${fmt(f(32), 2)} |`);
  ratio('one primary: WAIT 1 / none', (c) => rate('one', 1, c) / rate('one', 0, c));
  ratio('cluster: WAIT 1 / none', (c) => rate('cluster', 1, c) / rate('cluster', 0, c));
  ratio('cluster / one primary (none)', (c) => rate('cluster', 0, c) / rate('one', 0, c));
  ratio('cluster / one primary (WAIT 1)', (c) => rate('cluster', 1, c) / rate('one', 1, c));
}
if (soakResult !== undefined) {
  console.log(`\nSoak (memory store, issuance, concurrency 8): ${soakResult.tokens} tokens in ${fmt(soakResult.seconds)} s, ${soakResult.unexpected} unexpected answers, ` +
    `${soakResult.replayEntries} replay entries at the end; AS heap after GC (MiB): ${soakResult.heapMiB.map((value) => fmt(value)).join(' → ')}.`);
}
const resultsDir = join(here, '..', '..', 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'load-latest.json'), JSON.stringify({ machine, durationMs: DURATION_MS, maxRequests: MAX_REQUESTS, cells, perEntry, recovery: recoveryResult, topologies: topologyResult, soak: soakResult }, null, 2));
