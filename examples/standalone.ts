/**
 * The examples run from the command line, each server on loopback until Ctrl-C:
 *
 *   node dist/examples/authorization-server.js [--port N] [--trust FILE]
 *   node dist/examples/resource-server.js --issuer AS_URL [--audience ID] [--port N]
 *   node dist/examples/demo.js      (the story of `tproof demo --as`, exits 0 when every step behaved)
 *
 * Without --trust the authorization server trusts a fresh authority key, written to a temporary
 * directory, for link 0 with iss https://authority.example. Clients authenticate with
 * private_key_jwt (ES256) by the key a chain names for them (may_act.cnf), the grant's default:
 * `--client ID=KEYFILE` registers one (repeatable); without it, client-b gets a fresh key written
 * beside the authority's.
 */
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateKeyPair, toPublicJwk, type PublicJwk, type TrustConfig } from '../lib/index.js';
import { MemoryReplayStore } from '../lib/as/index.js';
import type { AuthorizationServerOptions, ExampleClient, RunningAuthorizationServer } from './authorization-server.js';
import type { ResourceServerOptions, RunningResourceServer } from './resource-server.js';

export const EXAMPLE_AUTHORITY = 'https://authority.example';
export const EXAMPLE_RESOURCE = 'https://resource.example/api';

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
    const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, trust: { type: 'string' }, client: { type: 'string', multiple: true, default: [] } } });
    let dir: string | undefined;
    const writeKey = (name: string, jwk: object): string => {
      dir ??= mkdtempSync(join(tmpdir(), 'tproof-example-as-'));
      const file = join(dir, `${name}.jwk`);
      writeFileSync(file, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600 });
      return file;
    };
    let trust: TrustConfig;
    let authorityKey: string | undefined;
    if (values.trust !== undefined) {
      trust = JSON.parse(readFileSync(values.trust, 'utf8')) as TrustConfig;
    } else {
      const authority = await generateKeyPair('EdDSA');
      authorityKey = writeKey('authority', authority.privateJwk);
      trust = { roots: [{ type: 'issuer', iss: EXAMPLE_AUTHORITY, jwks: { keys: [authority.publicJwk] } }] };
    }
    const clients: ExampleClient[] = [];
    for (const entry of values.client) {
      const at = entry.indexOf('=');
      if (at < 1) throw new Error('--client takes ID=KEYFILE (an ES256 JWK; only its public part is used)');
      clients.push({ client_id: entry.slice(0, at), jwks: { keys: [toPublicJwk(JSON.parse(readFileSync(entry.slice(at + 1), 'utf8')) as PublicJwk)] } });
    }
    let clientKey: string | undefined;
    if (clients.length === 0) {
      const key = await generateKeyPair('ES256');
      clientKey = writeKey('client-b', key.privateJwk);
      clients.push({ client_id: 'client-b', jwks: { keys: [key.publicJwk] } });
    }
    const as = await start({ trust, replayStore: new MemoryReplayStore(), resource: EXAMPLE_RESOURCE, resourceScope: 'read write', clients, port: Number(values.port) });
    stopOnSignal(() => as.close());
    process.stdout.write([
      `authorization server (oidc-provider with the deferred-binding grant) at ${as.issuer}`,
      `  token endpoint  ${as.tokenEndpoint}`,
      `  clients         ${clients.map((client) => client.client_id).join(', ')} (private_key_jwt, ES256, with the key a chain names for them)`,
      `  link 0          ${authorityKey === undefined ? `the roots of ${values.trust}` : `iss ${EXAMPLE_AUTHORITY}, signed with ${authorityKey}`}`,
      `  tokens for      ${EXAMPLE_RESOURCE} (scope "read write")`,
      ...(authorityKey !== undefined && clientKey !== undefined
        ? [`  a chain         tproof mint --key ${authorityKey} --iss ${EXAMPLE_AUTHORITY} --sub alice --aud ${as.issuer} --scope read --tmb-key C.jwk --delegate client-b --delegate-key ${clientKey}`]
        : []),
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
