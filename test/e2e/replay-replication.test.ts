/**
 * Replay and revocation state beyond one Redis (SPEC-NOTES §8.5), with redis-server processes this
 * test owns on loopback ports (test/as/redis-process.ts), started with `--daemonize no` and killed
 * at the end:
 * (a) a primary and a replica whose link breaks as a chain is redeemed; the primary dies and the
 *     replica is promoted (REPLICAOF NO ONE): at most one token per chain;
 * (b) a Redis Cluster of 3 primaries and 3 replicas; a primary SIGKILLed under concurrent
 *     redemptions, automatic failover: no chain redeemed twice, service back after the failover;
 * (c) a server stopped (SIGSTOP) for 5 s: every request answered before the stall ends, with
 *     replay_store_unavailable / revocation_store_unavailable, never a token.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ReplayStore } from '../../lib/as/index.js';
import type { Chain } from '../../lib/index.js';
import { connectRedisReplayStore, connectRedisRevocationStore, type OwnedRedisReplayStore, type OwnedRevocationStore } from '../../lib/redis/index.js';
import { startAuthorizationServer, type RunningAuthorizationServer } from '../../examples/authorization-server.js';
import { requestBoundToken, type TokenResponse } from '../../examples/parties.js';
import { RedisProcess, redisServerAvailable } from '../as/redis-process.js';
import { chainFor, credsB, failClosedSeconds, trust } from './redemption-world.js';

const available = redisServerAvailable();
const skip = available ? false : 'redis-server not on PATH; run .ci/redis.sh to run the replication, cluster and stall tests (ports 6393-6395, 6401-6406)';

function startAs(replayStore: ReplayStore, verifierOptions: Parameters<typeof startAuthorizationServer>[0]['verifierOptions'] = {}): Promise<RunningAuthorizationServer> {
  return startAuthorizationServer({
    trust,
    replayStore,
    requireRequesterKey: false,
    resource: 'https://resource.test/api',
    resourceScope: 'read',
    clients: [{ client_id: credsB.clientId, client_secret: credsB.clientSecret }],
    verifierOptions,
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll `check` every 100 ms until it holds; fail after `ms`. */
async function waitFor(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`gave up waiting for ${what} after ${ms} ms`);
}

/** One command on a short-lived connection (INFO, REPLICAOF, CLUSTER INFO). */
async function redisCall(url: string, ...command: string[]): Promise<string> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false, commandTimeout: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return String(await client.call(command[0] as string, ...command.slice(1)));
  } finally {
    client.disconnect();
  }
}

const tokenIssued = (response: TokenResponse): boolean => response.status === 200 && typeof response.body.access_token === 'string';

describe('(a) a primary and a replica: the link breaks as a chain is redeemed, the primary dies, the replica is promoted', { skip }, () => {
  // Diskless sync at once (Redis 7.0 waits 5 s by default for more replicas to join).
  const primary = new RedisProcess({ aof: true, port: 6393, args: ['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0'] });
  const replica = new RedisProcess({ aof: true, port: 6394, args: ['--replicaof', '127.0.0.1', '6393'] });

  const prefix = `tproof-replication:${randomUUID()}:`;
  let onPrimary: OwnedRedisReplayStore;
  let onPromoted: OwnedRedisReplayStore | undefined;
  // The AS keeps one store; the deployment's failover (Sentinel, a managed service) points it at the promoted replica.
  let current: ReplayStore;
  let as: RunningAuthorizationServer;

  before(async () => {
    if (skip) return;
    await primary.start();
    await replica.start();
    await waitFor('the replica to sync', 10_000, async () => /master_link_status:up/.test(await redisCall(replica.url, 'INFO', 'replication')));
    // No replicaAcks given: the primary reports a connected replica, so one acknowledgement is required.
    // Bounds generous for a loaded CI machine: this test is about which answers, not how fast (the
    // stall test below holds the defaults); a cut-off replica still never acknowledges.
    onPrimary = await connectRedisReplayStore({ url: primary.url, keyPrefix: prefix, freshDeployment: true, failClosedSeconds, replicaAckTimeoutMs: 2000, commandTimeoutMs: 5000 });
    current = onPrimary;
    as = await startAs({ consume: (key, expiresAt) => current.consume(key, expiresAt) });
  });
  after(async () => {
    await as?.close();
    await onPrimary?.close();
    await onPromoted?.close();
    await primary.stop();
    await replica.stop();
  });

  test('a chain redeemed while the replica is cut off gets no token; after the promotion each chain gives at most one token', async () => {
    const tokens = new Map<string, number>();
    const redeem = async (name: string, chain: Chain): Promise<TokenResponse> => {
      const response = await requestBoundToken(as.tokenEndpoint, credsB, { chain });
      if (tokenIssued(response)) tokens.set(name, (tokens.get(name) ?? 0) + 1);
      return response;
    };
    const before = await chainFor(as.issuer);
    const acknowledged = await redeem('before', before);
    assert.equal(acknowledged.status, 200, `acknowledged by the replica: ${JSON.stringify(acknowledged.body)}`);

    // The link breaks: the replica follows a primary that does not exist and keeps what it has.
    await redisCall(replica.url, 'REPLICAOF', '127.0.0.1', '1');
    await waitFor('the primary to lose its replica', 5000, async () => /connected_slaves:0/.test(await redisCall(primary.url, 'INFO', 'replication')));
    const during = await chainFor(as.issuer);
    const unacknowledged = await redeem('during', during);
    assert.equal(unacknowledged.status, 500, JSON.stringify(unacknowledged.body));
    assert.equal(unacknowledged.body.error, 'server_error');
    assert.equal(unacknowledged.body.access_token, undefined);
    // The key is written on the primary all the same: a retry there is a replay, not a first use.
    assert.equal((await redeem('during', during)).body.error, 'invalid_grant');

    // The primary dies; the replica is promoted and the AS now uses it.
    await primary.kill();
    await redisCall(replica.url, 'REPLICAOF', 'NO', 'ONE');
    onPromoted = await connectRedisReplayStore({ url: replica.url, keyPrefix: prefix, failClosedSeconds });
    current = onPromoted;

    const replayed = await redeem('before', before);
    assert.equal(replayed.status, 400, 'what the replica acknowledged survives the failover');
    assert.equal(replayed.body.error, 'invalid_grant');
    // The chain the replica never saw can be redeemed once more, since no token was issued for it before.
    await redeem('during', during);
    await redeem('during', during);
    assert.deepEqual(Object.fromEntries(tokens), { before: 1, during: 1 });
  });
});

describe('(b) a Redis Cluster of 3 primaries and 3 replicas, a primary SIGKILLed under concurrent redemptions', { skip }, () => {
  const ports = [6401, 6402, 6403, 6404, 6405, 6406];
  const clusterArgs = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '500', '--cluster-replica-validity-factor', '0', '--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0'];
  const nodes = ports.map((port) => new RedisProcess({ aof: true, port, args: clusterArgs }));
  const prefix = `tproof-cluster-${randomUUID()}:`;
  let store: OwnedRedisReplayStore;

  before(async () => {
    if (skip) return;
    await Promise.all(nodes.map((node) => node.start()));
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '1', '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(created.status, 0, created.stdout + created.stderr);
    await waitFor('the cluster to be ok with every replica in sync', 20_000, async () => {
      const infos = await Promise.all(nodes.map((node) => redisCall(node.url, 'INFO', 'replication')));
      const states = await Promise.all(nodes.map((node) => redisCall(node.url, 'CLUSTER', 'INFO')));
      return infos.filter((info) => /master_link_status:up/.test(info)).length === 3 && states.every((state) => /cluster_state:ok/.test(state));
    });
    store = await connectRedisReplayStore({ cluster: [nodes[0]?.url as string], keyPrefix: prefix, freshDeployment: true, failClosedSeconds, replicaAckTimeoutMs: 2000, commandTimeoutMs: 5000 });
  });
  after(async () => {
    await store?.close();
    await Promise.all(nodes.map((node) => node.stop()));
  });

  test('no chain is redeemed twice, and the service is back after the failover', async (t) => {
    // A redemption as the AS makes it (lib/as/process.ts): the last link's key, then the chain's.
    const redemptions = new Map<number, number>();
    const outcomes = { issued: 0, replayed: 0, unavailable: 0 };
    /** Chains a store error met: one whose first key was consumed before the error stays burned (fail closed, §8.5). */
    const failed = new Set<number>();
    const redeem = async (chain: number): Promise<void> => {
      try {
        for (const key of [`jti:${chain}`, `chain:${chain}`]) {
          if ((await store.consume(key, Date.now() / 1000 + 600)) !== true) {
            outcomes.replayed++;
            return;
          }
        }
        outcomes.issued++;
        redemptions.set(chain, (redemptions.get(chain) ?? 0) + 1);
      } catch (error) {
        assert.equal((error as { code?: string }).code, 'replay_store_unavailable', String(error));
        outcomes.unavailable++;
        failed.add(chain);
      }
    };
    const CHAINS = 400;
    /** Each chain three times at once, 32 chains at a time. */
    const round = async (from: number, to: number): Promise<void> => {
      for (let start = from; start < to; start += 32) {
        const batch = Array.from({ length: Math.min(32, to - start) }, (_, index) => start + index);
        await Promise.all(batch.flatMap((chain) => [redeem(chain), redeem(chain), redeem(chain)]));
      }
    };

    await round(0, CHAINS / 2);
    assert.equal(outcomes.unavailable, 0, 'every primary acknowledged by its replica before the fault');
    const victim = nodes[0] as RedisProcess;
    const killed = victim.kill();
    await round(CHAINS / 2, CHAINS);
    await killed;
    // The cluster promotes the victim's replica; the victim comes back as its replica.
    await waitFor('the failover', 20_000, async () => /cluster_state:ok/.test(await redisCall((nodes[1] as RedisProcess).url, 'CLUSTER', 'INFO')));
    await victim.start();
    const unavailableBefore = outcomes.unavailable;
    // Service back within a bounded wait: a whole round over every chain so far without a store error...
    await waitFor('the store to serve every slot again', 20_000, async () => {
      const errors = outcomes.unavailable;
      await round(0, CHAINS);
      return outcomes.unavailable === errors;
    });
    // ...and new chains are redeemed, each exactly once.
    const errors = outcomes.unavailable;
    await round(CHAINS, CHAINS + 100);
    assert.equal(outcomes.unavailable, errors, 'no store error after the failover');
    t.diagnostic(`issued ${outcomes.issued}, replayed ${outcomes.replayed}, unavailable ${outcomes.unavailable} (${outcomes.unavailable - unavailableBefore} after the victim restarted)`);
    const twice = [...redemptions].filter(([, count]) => count > 1);
    assert.deepEqual(twice, [], 'no chain redeemed twice');
    const neverFailed = Array.from({ length: CHAINS + 100 }, (_, chain) => chain).filter((chain) => !failed.has(chain));
    assert.deepEqual(neverFailed.filter((chain) => redemptions.get(chain) !== 1), [], 'every chain no store error met redeemed exactly once');
  });
});

describe('(c) a stalled server (SIGSTOP for 5 s)', { skip }, () => {
  const server = new RedisProcess({ aof: true, port: 6395 });
  let replay: OwnedRedisReplayStore;
  let revocation: OwnedRevocationStore;
  let as: RunningAuthorizationServer;

  before(async () => {
    if (skip) return;
    await server.start();
    replay = await connectRedisReplayStore({ url: server.url, keyPrefix: `tproof-stall:${randomUUID()}:`, freshDeployment: true, failClosedSeconds });
    revocation = await connectRedisRevocationStore({ url: server.url, keyPrefix: `tproof-stall-revoked:${randomUUID()}:` });
    as = await startAs(replay, { revocationStore: revocation });
  });
  after(async () => {
    server.resume();
    await as?.close();
    await replay?.close();
    await revocation?.close();
    await server.stop();
  });

  test('every request is answered before the stall ends, failing closed; none gets a token', async () => {
    const chains = await Promise.all([0, 1, 2].map(() => chainFor(as.issuer)));
    const hashes = ['A', 'B', 'C'].map((letter) => letter.repeat(43));
    assert.ok(tokenIssued(await requestBoundToken(as.tokenEndpoint, credsB, { chain: chains[0] as Chain })), 'serving before the stall');

    server.pause();
    let stallOver = false;
    const stall = sleep(5000).then(() => {
      stallOver = true;
    });
    const requests = Promise.all([
      ...chains.slice(1).map((chain) => requestBoundToken(as.tokenEndpoint, credsB, { chain }).then((response) => ({ response, whileStopped: !stallOver }))),
      ...[0, 1, 2].map((index) => replay.consume(`k:${index}`, Date.now() / 1000 + 60).then(() => 'answered', (error: { code?: string }) => error.code)),
      ...[0, 1, 2].map(() => revocation.firstRevoked(hashes).then(() => 'answered', (error: { code?: string }) => error.code)),
      connectRedisReplayStore({ url: server.url, keyPrefix: 'tproof-stall-new:', freshDeployment: true }).then(() => 'connected', (error: { code?: string }) => error.code),
    ]);
    const first = await Promise.race([requests.then(() => 'answered'), stall.then(() => 'stall ended')]);
    assert.equal(first, 'answered', 'every request answered while the server was still stopped');
    const answers = await requests;
    const httpAnswers = answers.slice(0, 2) as { response: TokenResponse; whileStopped: boolean }[];
    for (const { response, whileStopped } of httpAnswers) {
      assert.equal(response.status, 500, JSON.stringify(response.body));
      assert.equal(response.body.access_token, undefined);
      assert.ok(whileStopped);
    }
    assert.deepEqual(answers.slice(2), [
      'replay_store_unavailable', 'replay_store_unavailable', 'replay_store_unavailable',
      'revocation_store_unavailable', 'revocation_store_unavailable', 'revocation_store_unavailable',
      'replay_store_unavailable',
    ]);

    server.resume();
    await stall;
    // The late answers of the stalled commands change nothing; the service is back.
    await waitFor('the store to answer again', 10_000, async () => tokenIssued(await requestBoundToken(as.tokenEndpoint, credsB, { chain: await chainFor(as.issuer) })));
    // The chains refused during the stall were not consumed (the revocation check failed first) and redeem once now.
    assert.ok(tokenIssued(await requestBoundToken(as.tokenEndpoint, credsB, { chain: chains[1] as Chain })));
  });
});
