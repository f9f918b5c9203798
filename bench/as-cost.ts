/**
 * What a deferred binding costs an authorization server (issue #27 target 4): one oidc-provider
 * process (bench/load-as.ts, the example AS, memory replay store), one private_key_jwt client, a DPoP
 * proof on every request, and per request either
 *   (a) the provider's own client_credentials grant (a plain DPoP-bound token), or
 *   (b) the deferred-binding grant with a fresh chain of 1, 3 or 8 links (the client is the last delegate),
 * sent one at a time, kinds interleaved round by round. The AS's CPU (user + system, read over IPC
 * before and after each batch) is divided by the batch's requests; the ratio (b) / (a) is taken per
 * round and its median printed. Everything the client does (assertions, DPoP proofs, minting) runs
 * in this process and is not counted. Loopback only; not a test.
 *
 *   node dist/bench/as-cost.js [--rounds 9] [--batch 20] [--alg ES256|EdDSA] [--profile DIR]
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { importJWK, SignJWT } from 'jose';
import { buildDeferredBindingRequest, delegate, generateKeyPair, jwkThumbprint, startChain, type Chain, type PrivateJwk, type PublicJwk } from '../lib/index.js';
import { createDpopProof } from '../lib/as/index.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '9' },
    batch: { type: 'string', default: '20' },
    alg: { type: 'string', default: 'ES256' },
    profile: { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);
const BATCH = Number(values.batch);
const LINK_ALG = values.alg === 'EdDSA' ? 'EdDSA' : 'ES256';
const LENGTHS = [1, 3, 8] as const;
const AUTHORITY = 'https://authority.cost.test';
const RESOURCE = 'https://resource.test/api';
const CLIENT_ID = 'client-b';
const here = dirname(fileURLToPath(import.meta.url));

type Keys = { privateJwk: PrivateJwk; publicJwk: PublicJwk };
const A = await generateKeyPair(LINK_ALG);
const B = await generateKeyPair('ES256'); // the client's key: private_key_jwt, and the chain's last delegate key
const C = await generateKeyPair('ES256'); // the key the deferred-binding token is bound to
const D = await generateKeyPair('ES256'); // the DPoP key of the token requests
const intermediates: Keys[] = await Promise.all(Array.from({ length: 7 }, () => generateKeyPair(LINK_ALG)));
const tmb = { jkt: await jwkThumbprint(C.publicJwk) };
const trust = { roots: [{ type: 'issuer' as const, iss: AUTHORITY, jwks: { keys: [A.publicJwk] } }] };

const child = fork(join(here, 'load-as.js'), [], {
  execArgv: values.profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values.profile}`],
  env: {
    ...process.env,
    TPROOF_LOAD_TRUST: JSON.stringify(trust),
    TPROOF_LOAD_STORE: 'memory',
    TPROOF_LOAD_CLIENT_JWKS: JSON.stringify({ keys: [{ ...B.publicJwk, kid: 'b-1', alg: 'ES256', use: 'sig' }] }),
    TPROOF_LOAD_CLIENT_CREDENTIALS: '1',
  },
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const ready = await new Promise<{ issuer: string; tokenEndpoint: string }>((resolve, reject) => {
  child.once('message', (message) => resolve(message as { issuer: string; tokenEndpoint: string }));
  child.once('exit', (code) => reject(new Error(`the AS exited (${code})`)));
});
const tokenEndpoint = ready.tokenEndpoint;
const cpuOfAs = (): Promise<number> => new Promise((resolve) => {
  child.once('message', (message) => {
    const { cpu } = message as { cpu: NodeJS.CpuUsage };
    resolve(cpu.user + cpu.system);
  });
  child.send({ cmd: 'stats' });
});

const clientKey = await importJWK(B.privateJwk, 'ES256');
async function clientAssertion(): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'ES256', kid: 'b-1' })
    .setIssuer(CLIENT_ID).setSubject(CLIENT_ID).setAudience(tokenEndpoint)
    .setIssuedAt(now).setExpirationTime(now + 60)
    .sign(clientKey);
}

/** A fresh chain of `length` links: the authority, then length − 1 services, the client last. */
async function mintChain(length: number): Promise<Chain> {
  const delegateOf = (i: number): { sub: string; keys: Keys } => (i === length - 1 ? { sub: CLIENT_ID, keys: B } : { sub: `svc-${i}`, keys: intermediates[i] as Keys });
  const first = delegateOf(0);
  let chain = await startChain(
    { iss: AUTHORITY, sub: 'urn:c', aud: ready.issuer, scope: 'read write', tmb, delegate: { sub: first.sub, cnf: { jwk: first.keys.publicJwk } }, depth: length - 1, expiresIn: 600 },
    { privateKey: A.privateJwk, alg: LINK_ALG },
  );
  for (let i = 1; i < length; i++) {
    const signer = delegateOf(i - 1);
    const next = delegateOf(i);
    chain = await delegate(chain, { delegate: { sub: next.sub, cnf: { jwk: next.keys.publicJwk } }, expiresIn: 600 }, { privateKey: signer.keys.privateJwk, alg: signer.keys === B ? 'ES256' : LINK_ALG });
  }
  return chain;
}

interface Prepared { body: string; dpop: string }
type Kind = 'client_credentials' | `chain-${(typeof LENGTHS)[number]}`;
const KINDS: Kind[] = ['client_credentials', ...LENGTHS.map((n) => `chain-${n}` as const)];

async function prepare(kind: Kind): Promise<Prepared> {
  const params = kind === 'client_credentials'
    ? new URLSearchParams({ grant_type: 'client_credentials', scope: 'read', resource: RESOURCE })
    : buildDeferredBindingRequest({ chain: await mintChain(Number(kind.slice('chain-'.length))), scope: 'read', resource: RESOURCE }).params;
  params.set('client_id', CLIENT_ID);
  params.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  params.set('client_assertion', await clientAssertion());
  return { body: params.toString(), dpop: await createDpopProof({ privateKey: D.privateJwk, alg: 'ES256', htm: 'POST', htu: tokenEndpoint }) };
}

async function send(request: Prepared, kind: Kind): Promise<void> {
  const response = await fetch(tokenEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: request.dpop }, body: request.body });
  const body = (await response.json()) as { token_type?: string };
  if (response.status !== 200 || body.token_type?.toLowerCase() !== 'dpop') throw new Error(`${kind}: HTTP ${response.status} ${JSON.stringify(body)}`);
}

/** AS CPU per request (µs) of one batch of `kind`, requests prepared before the clock starts. */
async function batch(kind: Kind): Promise<number> {
  const prepared = await Promise.all(Array.from({ length: BATCH }, () => prepare(kind)));
  const before = await cpuOfAs();
  for (const request of prepared) await send(request, kind);
  return ((await cpuOfAs()) - before) / BATCH;
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const load = loadavg().map((x) => x.toFixed(2)).join(', ');
for (const kind of KINDS) await batch(kind); // warm-up: JIT, caches, the provider's first requests
const perRound: Record<Kind, number>[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const order = [...KINDS.slice(round % KINDS.length), ...KINDS.slice(0, round % KINDS.length)];
  const figures = {} as Record<Kind, number>;
  for (const kind of order) figures[kind] = await batch(kind);
  perRound.push(figures);
}
child.send({ cmd: 'exit' });

process.stdout.write(`AS CPU per request, ${ROUNDS} rounds × ${BATCH} requests per kind, links ${LINK_ALG}, client assertion and DPoP ES256 (load before: ${load}; after: ${loadavg().map((x) => x.toFixed(2)).join(', ')})\n`);
process.stdout.write('| request | AS CPU µs/request, median [min–max] | / client_credentials, median of per-round ratios [min–max] |\n|---|---|---|\n');
for (const kind of KINDS) {
  const cpu = perRound.map((round) => round[kind]);
  const ratios = perRound.map((round) => round[kind] / round.client_credentials);
  process.stdout.write(`| ${kind} | ${median(cpu).toFixed(0)} [${Math.min(...cpu).toFixed(0)}–${Math.max(...cpu).toFixed(0)}] | ${median(ratios).toFixed(2)} [${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}] |\n`);
}
