/**
 * The authorization server of the load benchmark, in its own process so that its CPU and heap are
 * measured apart from the load generator: the demo's configuration (examples/authorization-server.ts,
 * client_secret_basic clients, JWT access tokens) with a memory or a Redis replay store. Loopback only.
 *
 * Reads TPROOF_LOAD_TRUST (JSON), TPROOF_LOAD_STORE (memory | redis), TPROOF_LOAD_REDIS_URL,
 * TPROOF_LOAD_CLIENT_SECRET, or TPROOF_LOAD_CLIENT_JWKS (JSON: a private_key_jwt client, key-bound
 * requesters required), and TPROOF_LOAD_CLIENT_CREDENTIALS=1 (the provider's own client_credentials
 * grant enabled too, for bench/as-cost.ts);
 * talks to its parent over IPC: sends { ready, issuer, tokenEndpoint }, answers { cmd: 'stats' }.
 */
import { randomUUID } from 'node:crypto';
import { type PublicJwk, type TrustConfig } from '../lib/index.js';
import { MemoryReplayStore, type ReplayStore } from '../lib/as/index.js';
import { connectRedisReplayStore } from '../lib/redis/index.js';
import { startAuthorizationServer } from '../examples/authorization-server.js';

const LOAD_CLIENT = { clientId: 'client-b', clientSecret: process.env.TPROOF_LOAD_CLIENT_SECRET ?? 'b-secret-for-the-load-bench' };
const clientJwks = process.env.TPROOF_LOAD_CLIENT_JWKS === undefined ? undefined : (JSON.parse(process.env.TPROOF_LOAD_CLIENT_JWKS) as { keys: PublicJwk[] });

const trust = JSON.parse(process.env.TPROOF_LOAD_TRUST ?? 'null') as TrustConfig;
const storeKind = process.env.TPROOF_LOAD_STORE ?? 'memory';
const memory = storeKind === 'memory' ? new MemoryReplayStore() : undefined;
const replayStore: ReplayStore = memory ?? (await connectRedisReplayStore({
  url: process.env.TPROOF_LOAD_REDIS_URL ?? 'redis://127.0.0.1:6392',
  keyPrefix: `tproof-load:${randomUUID()}:`,
  freshDeployment: true,
}));

const as = await startAuthorizationServer({
  trust,
  replayStore,
  requireRequesterKey: clientJwks !== undefined,
  resource: 'https://resource.test/api',
  resourceScope: 'read write',
  clients: [clientJwks === undefined ? { client_id: LOAD_CLIENT.clientId, client_secret: LOAD_CLIENT.clientSecret } : { client_id: LOAD_CLIENT.clientId, jwks: clientJwks }],
  clientCredentials: process.env.TPROOF_LOAD_CLIENT_CREDENTIALS === '1',
});

const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (message: { cmd?: string; gc?: boolean }) => {
  if (message.cmd === 'stats') {
    if (message.gc === true) gc?.();
    process.send?.({ cpu: process.cpuUsage(), memory: process.memoryUsage(), replay: memory?.usage() });
  } else if (message.cmd === 'exit') {
    void as.close().finally(() => process.exit(0));
  }
});
process.send?.({ ready: true, issuer: as.issuer, tokenEndpoint: as.tokenEndpoint });
