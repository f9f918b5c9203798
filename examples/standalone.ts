/**
 * The examples run from the command line, each server on loopback until Ctrl-C:
 *
 *   node dist/examples/authorization-server.js [--port N] [--trust FILE]
 *   node dist/examples/resource-server.js --issuer AS_URL [--audience ID] [--port N]
 *   node dist/examples/demo.js      (the story of `tproof demo --as`, exits 0 when every step behaved)
 *
 * Without --trust the authorization server trusts a fresh authority key, written to a temporary
 * directory, for link 0 with iss https://authority.example. Its clients are those of the demo.
 */
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateKeyPair, MemoryReplayStore, type TrustConfig } from '../lib/index.js';
import type { AuthorizationServerOptions, ExampleClient, RunningAuthorizationServer } from './authorization-server.js';
import type { ResourceServerOptions, RunningResourceServer } from './resource-server.js';

export const EXAMPLE_AUTHORITY = 'https://authority.example';
export const EXAMPLE_RESOURCE = 'https://resource.example/api';
/** Confidential clients (client_secret_basic), as in the demo. Loopback examples only. */
export const EXAMPLE_CLIENTS: readonly Required<Pick<ExampleClient, 'client_id' | 'client_secret'>>[] = [
  { client_id: 'client-b', client_secret: 'b-secret-for-the-demo' },
  { client_id: 'client-b2', client_secret: 'b2-secret-for-the-demo' },
];

/** Whether the module at `moduleUrl` is the script node was started with. */
export function isEntryPoint(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === moduleUrl;
  } catch {
    return false;
  }
}

function stopOnSignal(close: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void close().then(() => process.exit(0), () => process.exit(1)));
  }
}

function fail(error: unknown): void {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

export function serveAuthorizationServer(start: (options: AuthorizationServerOptions) => Promise<RunningAuthorizationServer>): void {
  (async () => {
    const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, trust: { type: 'string' } } });
    let trust: TrustConfig;
    let authorityNote: string;
    if (values.trust !== undefined) {
      trust = JSON.parse(readFileSync(values.trust, 'utf8')) as TrustConfig;
      authorityNote = `the roots of ${values.trust}`;
    } else {
      const authority = await generateKeyPair('EdDSA');
      const keyFile = join(mkdtempSync(join(tmpdir(), 'tproof-example-as-')), 'authority.jwk');
      writeFileSync(keyFile, `${JSON.stringify(authority.privateJwk, null, 2)}\n`, { mode: 0o600 });
      trust = { roots: [{ type: 'issuer', iss: EXAMPLE_AUTHORITY, jwks: { keys: [authority.publicJwk] } }] };
      authorityNote = `issuer ${EXAMPLE_AUTHORITY}, whose private key is ${keyFile}`;
    }
    const as = await start({
      trust, replayStore: new MemoryReplayStore(), resource: EXAMPLE_RESOURCE, resourceScope: 'read write',
      clients: EXAMPLE_CLIENTS.map((client) => ({ ...client })), port: Number(values.port),
    });
    stopOnSignal(() => as.close());
    process.stdout.write([
      `authorization server (oidc-provider with the deferred-binding grant) at ${as.issuer}`,
      `  token endpoint  ${as.tokenEndpoint}`,
      `  clients         ${EXAMPLE_CLIENTS.map((client) => `${client.client_id} (secret ${client.client_secret})`).join(', ')}, client_secret_basic`,
      `  link 0 signer   ${authorityNote}`,
      `  tokens for      ${EXAMPLE_RESOURCE} (scope "read write")`,
      'Ctrl-C stops it.',
      '',
    ].join('\n'));
  })().catch(fail);
}

export function serveResourceServer(start: (options: ResourceServerOptions) => Promise<RunningResourceServer>): void {
  (async () => {
    const { values } = parseArgs({ options: { issuer: { type: 'string' }, audience: { type: 'string', default: EXAMPLE_RESOURCE }, port: { type: 'string', default: '0' } } });
    if (values.issuer === undefined) throw new Error('usage: node dist/examples/resource-server.js --issuer AS_URL [--audience ID] [--port N]');
    const issuer = values.issuer.replace(/\/$/, '');
    const rs = await start({ issuer, jwksUri: `${issuer}/jwks`, audience: values.audience, port: Number(values.port) });
    stopOnSignal(() => rs.close());
    process.stdout.write(`resource server at ${rs.url}/data: DPoP-bound JWT access tokens of ${issuer} for ${values.audience}\nCtrl-C stops it.\n`);
  })().catch(fail);
}
