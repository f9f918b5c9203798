/**
 * The oidc-provider grant under the attacks of issue #17, each sent as a real HTTP request to the
 * example authorization server on loopback (SPEC-NOTES §8.3, §8.6, §8.8): public clients, a second
 * chain beside subject_token, audience, missing client authentication, the token's lifetime under
 * latency, scopes the resource server does not know, and the order of target and replay checks.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { buildDeferredBindingRequest, delegate, generateKeyPair, serializeChain, startChain, type Chain, type PrivateJwk, type PublicJwk } from '../../lib/index.js';
import { MemoryReplayStore, DEFERRED_BINDING_GRANT_TYPE, type ReplayStore } from '../../lib/as/index.js';
import { startAuthorizationServer, type AuthorizationServerOptions, type RunningAuthorizationServer } from '../../examples/authorization-server.js';
import { postTokenRequest, requestBoundToken, type TokenResponse } from '../../examples/parties.js';

const AUTHORITY = 'https://authority.test';
const RESOURCE = 'https://resource.test/api';
type Keys = { privateJwk: PrivateJwk; publicJwk: PublicJwk };
const [A, B, B2, C] = (await Promise.all(['EdDSA', 'ES256', 'ES256', 'ES256'].map((alg) => generateKeyPair(alg as 'EdDSA' | 'ES256')))) as [Keys, Keys, Keys, Keys];
const credsB = { clientId: 'client-b', clientSecret: 'secret-b-0123456789' };
const credsB2 = { clientId: 'client-b2', clientSecret: 'secret-b2-0123456789' };
const PUBLIC_CLIENT = 'client-public';
const trust = { roots: [{ type: 'issuer' as const, iss: AUTHORITY, jwks: { keys: [A.publicJwk] } }] };

const servers: RunningAuthorizationServer[] = [];
async function server(overrides: Partial<AuthorizationServerOptions> = {}): Promise<RunningAuthorizationServer> {
  const started = await startAuthorizationServer({
    trust,
    replayStore: new MemoryReplayStore(),
    resource: RESOURCE,
    resourceScope: 'read write',
    clients: [
      { client_id: credsB.clientId, client_secret: credsB.clientSecret },
      { client_id: credsB2.clientId, client_secret: credsB2.clientSecret },
    ],
    publicClients: [PUBLIC_CLIENT],
    requireRequesterKey: false,
    ...overrides,
  });
  servers.push(started);
  return started;
}

let as: RunningAuthorizationServer;
before(async () => {
  as = await server();
});
after(async () => {
  await Promise.all(servers.map((running) => running.close()));
});

function chainFor(issuer: string, requester: string, overrides: { scope?: string; exp?: number; iat?: number } = {}): Promise<Chain> {
  const { scope = 'read write', ...times } = overrides;
  return startChain(
    { iss: AUTHORITY, sub: 'alice', aud: issuer, scope, tmb: { jwk: C.publicJwk }, delegate: { sub: requester, cnf: { jwk: B.publicJwk } }, depth: 1, ...times },
    { privateKey: A.privateJwk, alg: 'EdDSA' },
  );
}

function expectError(response: TokenResponse, error: string, status = 400): void {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.equal(response.body.error, error, JSON.stringify(response.body));
  assert.equal(response.body.access_token, undefined);
}

function form(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const entry of [value].flat()) body.append(name, entry);
  return body.toString();
}

describe('a public client (token_endpoint_auth_method none)', () => {
  test('cannot redeem a chain naming it through the extension grant: 401 invalid_client', async () => {
    const chain = await chainFor(as.issuer, PUBLIC_CLIENT);
    const { params } = buildDeferredBindingRequest({ chain });
    params.set('client_id', PUBLIC_CLIENT);
    expectError(await postTokenRequest(as.tokenEndpoint, undefined, params.toString()), 'invalid_client', 401);
  });

  test('cannot redeem it through token exchange either: 401 invalid_client', async () => {
    const chain = await chainFor(as.issuer, PUBLIC_CLIENT);
    const { params } = buildDeferredBindingRequest({ chain, profile: 'token_exchange' });
    params.set('client_id', PUBLIC_CLIENT);
    expectError(await postTokenRequest(as.tokenEndpoint, undefined, params.toString()), 'invalid_client', 401);
  });
});

describe('key-bound requesters by default', () => {
  test('a client authenticated by a secret alone is refused unless the server opts out (requester_mismatch)', async () => {
    const keyBound = await server({ requireRequesterKey: undefined });
    const response = await requestBoundToken(keyBound.tokenEndpoint, credsB, { chain: await chainFor(keyBound.issuer, credsB.clientId) });
    expectError(response, 'invalid_grant');
    assert.match(String(response.body.error_description), /^requester_mismatch/);
    // The same request to the server that opted out is issued.
    assert.equal((await requestBoundToken(as.tokenEndpoint, credsB, { chain: await chainFor(as.issuer, credsB.clientId) })).status, 200);
  });
});

describe('token exchange', () => {
  test('subject_token with tmb_proof beside it: invalid_request, and the chain is not consumed', async () => {
    const chain = await chainFor(as.issuer, credsB.clientId);
    const { params } = buildDeferredBindingRequest({ chain, profile: 'token_exchange' });
    params.set('tmb_proof', serializeChain(await chainFor(as.issuer, credsB.clientId)));
    const response = await postTokenRequest(as.tokenEndpoint, credsB, params.toString());
    expectError(response, 'invalid_request');
    assert.match(String(response.body.error_description), /tmb_proof/);
    assert.equal((await requestBoundToken(as.tokenEndpoint, credsB, { chain, profile: 'token_exchange' })).status, 200);
  });

  test('an audience naming another resource server: invalid_target, and the chain is not consumed', async () => {
    const chain = await chainFor(as.issuer, credsB.clientId);
    const other = buildDeferredBindingRequest({ chain, profile: 'token_exchange', audience: 'https://other.test/api' });
    expectError(await postTokenRequest(as.tokenEndpoint, credsB, other.params.toString()), 'invalid_target');
    const named = buildDeferredBindingRequest({ chain, profile: 'token_exchange', audience: RESOURCE });
    const response = await postTokenRequest(as.tokenEndpoint, credsB, named.params.toString());
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(decodeJwt(response.body.access_token as string).aud, RESOURCE);
  });
});

describe('client authentication', () => {
  test('none at all: 401 invalid_client', async () => {
    const body = form({ grant_type: DEFERRED_BINDING_GRANT_TYPE, tmb: JSON.stringify({ jwk: C.publicJwk }), tmb_proof: serializeChain(await chainFor(as.issuer, credsB.clientId)) });
    const response = await postTokenRequest(as.tokenEndpoint, undefined, body);
    expectError(response, 'invalid_client', 401);
    assert.ok(response.status === 401);
  });

  test('a client_id naming another client than the authenticated one: 401 invalid_client', async () => {
    const body = form({
      grant_type: DEFERRED_BINDING_GRANT_TYPE,
      client_id: credsB2.clientId,
      tmb: JSON.stringify({ jwk: C.publicJwk }),
      tmb_proof: serializeChain(await chainFor(as.issuer, credsB.clientId)),
    });
    expectError(await postTokenRequest(as.tokenEndpoint, credsB, body), 'invalid_client', 401);
  });
});

describe('the token lifetime', () => {
  test('exp never exceeds the chain\'s, even when a second passes between the checks and the save', async () => {
    // A replay store that answers after more than a second: the old "exp - now" lifetime, added to
    // the provider's clock at save time, came out at least one second past the chain's exp.
    const memory = new MemoryReplayStore();
    const slow: ReplayStore = {
      consume: async (key, expiresAt) => {
        await new Promise((resolve) => setTimeout(resolve, 1100));
        return memory.consume(key, expiresAt);
      },
    };
    const slowServer = await server({ replayStore: slow });
    const now = Math.floor(Date.now() / 1000);
    const chainExp = now + 60;
    const response = await requestBoundToken(slowServer.tokenEndpoint, credsB, { chain: await chainFor(slowServer.issuer, credsB.clientId, { iat: now, exp: chainExp }) });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const claims = decodeJwt(response.body.access_token as string);
    assert.ok((claims.exp as number) <= chainExp, `token exp ${claims.exp} is after the chain's ${chainExp}`);
    assert.ok((response.body.expires_in as number) <= (claims.exp as number) - (claims.iat as number));
  });
});

describe('scope and target, resolved before the chain is consumed', () => {
  test('every requested scope unknown to the resource server: invalid_scope, and a corrected retry is issued', async () => {
    const chain = await chainFor(as.issuer, credsB.clientId, { scope: 'read admin' });
    expectError(await requestBoundToken(as.tokenEndpoint, credsB, { chain, scope: 'admin' }), 'invalid_scope');
    const retry = await requestBoundToken(as.tokenEndpoint, credsB, { chain, scope: 'read' });
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.equal(decodeJwt(retry.body.access_token as string).scope, 'read');
  });

  test('a chain granting only scopes the resource server does not know: invalid_scope', async () => {
    expectError(await requestBoundToken(as.tokenEndpoint, credsB, { chain: await chainFor(as.issuer, credsB.clientId, { scope: 'admin' }) }), 'invalid_scope');
  });

  test('an unknown resource: invalid_target, and the corrected retry is issued (not "replayed")', async () => {
    const chain = await chainFor(as.issuer, credsB.clientId);
    expectError(await requestBoundToken(as.tokenEndpoint, credsB, { chain, resource: 'https://unknown.test/api' }), 'invalid_target');
    const retry = await requestBoundToken(as.tokenEndpoint, credsB, { chain, resource: RESOURCE });
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
  });

  test('a delegated chain keeps working after a refused target (token exchange by B2)', async () => {
    const chain = await delegate(await chainFor(as.issuer, credsB.clientId), { delegate: { sub: credsB2.clientId, cnf: { jwk: B2.publicJwk } } }, { privateKey: B.privateJwk, alg: 'ES256' });
    expectError(await requestBoundToken(as.tokenEndpoint, credsB2, { chain, profile: 'token_exchange', resource: 'https://unknown.test/api' }), 'invalid_target');
    assert.equal((await requestBoundToken(as.tokenEndpoint, credsB2, { chain, profile: 'token_exchange' })).status, 200);
  });
});

describe('the order of §8.3 through the provider: the deployed grant answers as the text', () => {
  test('no client authentication and a duplicated tmb: 401 invalid_client (step 1 before step 3)', async () => {
    const chain = serializeChain(await chainFor(as.issuer, credsB.clientId));
    const tmb = JSON.stringify({ jwk: C.publicJwk });
    const response = await postTokenRequest(as.tokenEndpoint, undefined, form({ grant_type: DEFERRED_BINDING_GRANT_TYPE, tmb: [tmb, tmb], tmb_proof: chain }));
    expectError(response, 'invalid_client', 401);
  });

  test('a scope that is not a scope string and no tmb: invalid_scope (step 4 before step 6), and the chain is not consumed', async () => {
    const chain = await chainFor(as.issuer, credsB.clientId);
    const response = await postTokenRequest(as.tokenEndpoint, credsB, form({ grant_type: DEFERRED_BINDING_GRANT_TYPE, tmb_proof: serializeChain(chain), scope: 'read  write' }));
    expectError(response, 'invalid_scope');
    assert.equal((await requestBoundToken(as.tokenEndpoint, credsB, { chain })).status, 200);
  });

  test('the issued scope keeps the request\'s order, each token once (step 10)', async () => {
    const response = await requestBoundToken(as.tokenEndpoint, credsB, { chain: await chainFor(as.issuer, credsB.clientId), scope: 'write read write' });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(decodeJwt(response.body.access_token as string).scope, 'write read');
  });

  test('an extension parameter repeated beside the grant\'s: ignored, issued (step 3 reads the profile\'s parameters only)', async () => {
    const body = form({ grant_type: DEFERRED_BINDING_GRANT_TYPE, tmb: JSON.stringify({ jwk: C.publicJwk }), tmb_proof: serializeChain(await chainFor(as.issuer, credsB.clientId)), x_extension: ['1', '2'] });
    const response = await postTokenRequest(as.tokenEndpoint, credsB, body);
    assert.equal(response.status, 200, JSON.stringify(response.body));
  });
});
