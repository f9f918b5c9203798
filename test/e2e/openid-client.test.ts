/**
 * The README's openid-client snippet, extracted at test time and run as written, against the example
 * authorization server on loopback; the token it obtains is then presented at the example DPoP
 * resource server with C's key (served) and with B's (refused).
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { webcrypto } from 'node:crypto';
import { after, before, test } from 'node:test';
import { decodeJwt, exportJWK } from 'jose';
import { tsImport } from 'tsx/esm/api';
import { generateKeyPair, jwkThumbprint, startChain, type Chain, type PublicJwk } from '../../lib/index.js';
import { MemoryReplayStore } from '../../lib/as/index.js';
import { startAuthorizationServer, type RunningAuthorizationServer } from '../../examples/authorization-server.js';
import { startResourceServer, type RunningResourceServer } from '../../examples/resource-server.js';
import { callResource } from '../../examples/parties.js';
import { EXAMPLE_AUTHORITY, EXAMPLE_RESOURCE } from '../../examples/standalone.js';
import { readmeBlocks } from '../helpers/readme.js';
import { repoRoot } from '../helpers/repo.js';

type ReadmeClient = (issuer: string, chain: Chain, keyPairB: webcrypto.CryptoKeyPair) => Promise<{ access_token: string; token_type: string }>;

/**
 * The snippet as a module: its imports on top, the rest as the body of a function of the names it
 * leaves to the reader (issuer, chain, keyPairB), returning its `tokens`. Written beside the
 * package.json so that 'transitive-proof' resolves to this package (by its own name) and
 * 'openid-client' to the repository's devDependency.
 */
async function loadReadmeClient(): Promise<ReadmeClient> {
  const snippet = readmeBlocks('A client: openid-client', 'ts')[0] as string;
  const lines = snippet.split('\n');
  const imports = lines.filter((line) => line.startsWith('import '));
  const body = lines.filter((line) => !line.startsWith('import '));
  assert.ok(imports.some((line) => line.includes("from 'openid-client'")), 'the snippet uses openid-client');
  const file = join(repoRoot(), `.readme-client-${process.pid}.ts`);
  writeFileSync(file, `${imports.join('\n')}\nexport default async function readmeClient(issuer: string, chain: any, keyPairB: CryptoKeyPair) {\n${body.join('\n')}\nreturn tokens;\n}\n`);
  try {
    return ((await tsImport(pathToFileURL(file).href, import.meta.url)) as { default: ReadmeClient }).default;
  } finally {
    rmSync(file, { force: true });
  }
}

let as: RunningAuthorizationServer;
let rs: RunningResourceServer;
const A = await generateKeyPair('EdDSA');
const C = await generateKeyPair('ES256');
// B's key as openid-client wants it (private_key_jwt and DPoP): a CryptoKeyPair; the chain names its public JWK.
const keyPairB = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
const publicB = (await exportJWK(keyPairB.publicKey)) as PublicJwk;
const privateB = { ...(await exportJWK(keyPairB.privateKey)) } as Parameters<typeof callResource>[2]['privateKey'];

before(async () => {
  as = await startAuthorizationServer({
    trust: { roots: [{ type: 'issuer', iss: EXAMPLE_AUTHORITY, jwks: { keys: [A.publicJwk] } }] },
    replayStore: new MemoryReplayStore(),
    resource: EXAMPLE_RESOURCE,
    resourceScope: 'read write',
    // client-b authenticates with private_key_jwt by the key its chains name (the grant's default).
    clients: [{ client_id: 'client-b', jwks: { keys: [publicB] } }],
  });
  rs = await startResourceServer({ issuer: as.issuer, jwksUri: as.jwksUri, audience: EXAMPLE_RESOURCE });
});

after(async () => {
  await rs?.close();
  await as?.close();
});

test('the README openid-client snippet obtains a DPoP token bound to C, which C can use and B cannot', async () => {
  const readmeClient = await loadReadmeClient();
  const chain = await startChain(
    { iss: EXAMPLE_AUTHORITY, sub: 'alice', aud: as.issuer, scope: 'read write', tmb: { jwk: C.publicJwk }, delegate: { sub: 'client-b', cnf: { jwk: publicB } } },
    { privateKey: A.privateJwk, alg: 'EdDSA' },
  );
  const tokens = await readmeClient(as.issuer, chain, keyPairB);
  assert.equal(tokens.token_type.toLowerCase(), 'dpop');
  const claims = decodeJwt(tokens.access_token) as { cnf?: { jkt?: string; jwk?: PublicJwk }; act?: { sub?: string }; scope?: string };
  // cnf carries the key as the chain's tmb gave it (jwk here) or its thumbprint (jkt).
  const boundTo = claims.cnf?.jkt ?? (claims.cnf?.jwk === undefined ? undefined : await jwkThumbprint(claims.cnf.jwk));
  assert.equal(boundTo, await jwkThumbprint(C.publicJwk), 'bound to C');
  assert.notEqual(boundTo, await jwkThumbprint(publicB), 'not to the key B authenticated and sent DPoP proofs with');
  assert.equal(claims.act?.sub, 'client-b');
  assert.equal(claims.scope, 'read');

  const byC = await callResource(`${rs.url}/data`, tokens.access_token, { privateKey: C.privateJwk, alg: 'ES256' });
  assert.equal(byC.status, 200, JSON.stringify(byC.body));
  assert.equal(byC.body.sub, 'alice');
  const byB = await callResource(`${rs.url}/data`, tokens.access_token, { privateKey: privateB, alg: 'ES256' });
  assert.equal(byB.status, 401, 'B holds the token but not C\'s key');
});
