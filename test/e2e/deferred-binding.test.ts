/**
 * End to end on loopback: the example oidc-provider authorization server with the deferred-binding
 * grant, the example DPoP resource server, B obtaining a token bound to C's key, C using it, and
 * the AS's answers to chains it must refuse.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { appendLink, decodeChain, delegate, generateKeyPair, jwkThumbprint, serializeChain, startChain, type Chain, type LinkClaims, type PrivateJwk, type PublicJwk } from '../../lib/index.js';
import { MemoryReplayStore, DEFERRED_BINDING_GRANT_TYPE } from '../../lib/as/index.js';
import { startAuthorizationServer, type RunningAuthorizationServer } from '../../examples/authorization-server.js';
import { startResourceServer, type RunningResourceServer } from '../../examples/resource-server.js';
import { callResource, postTokenRequest, requestBoundToken } from '../../examples/parties.js';
import { ALL_PARTS } from '../helpers/parts.js';

const AUTHORITY = 'https://authority.test';
const RESOURCE = 'https://resource.test/api';
type Keys = { privateJwk: PrivateJwk; publicJwk: PublicJwk };

const [A, B, B2, C] = (await Promise.all(['EdDSA', 'ES256', 'ES256', 'ES256'].map((alg) => generateKeyPair(alg as 'EdDSA' | 'ES256')))) as [Keys, Keys, Keys, Keys];
const jktB = await jwkThumbprint(B.publicJwk);
const jktC = await jwkThumbprint(C.publicJwk);
const credsB = { clientId: 'client-b', clientSecret: 'secret-b-0123456789' };
const credsB2 = { clientId: 'client-b2', clientSecret: 'secret-b2-0123456789' };
const trust = { roots: [{ type: 'issuer' as const, iss: AUTHORITY, jwks: { keys: [A.publicJwk] } }] };

let as: RunningAuthorizationServer;
let rs: RunningResourceServer;

function root(overrides: { scope?: string; iat?: number; exp?: number } = {}): Promise<Chain> {
  const { scope = 'read write', ...times } = overrides;
  return startChain(
    { iss: AUTHORITY, sub: 'alice', aud: as.issuer, scope, tmb: { jwk: C.publicJwk }, delegate: { sub: 'client-b', cnf: { jwk: B.publicJwk } }, depth: 1, ...times },
    { privateKey: A.privateJwk, alg: 'EdDSA' },
    ALL_PARTS,
  );
}

function toB2(chain: Chain, scope?: string): Promise<Chain> {
  return delegate(chain, { delegate: { sub: 'client-b2', cnf: { jwk: B2.publicJwk } }, ...(scope === undefined ? {} : { scope }) }, { privateKey: B.privateJwk, alg: 'ES256' }, ALL_PARTS);
}

/** B passes on more than it received: delegate() refuses that, so the link is minted with appendLink. */
function widenToB2(chain: Chain, scope: string): Promise<Chain> {
  const parent = decodeChain(chain, ALL_PARTS)[0]?.claims as unknown as LinkClaims;
  return appendLink(chain, {
    iss: 'client-b', sub: parent.sub, aud: parent.aud, scope, tmb: parent.tmb,
    delegate: { sub: 'client-b2', cnf: { jwk: B2.publicJwk } }, iat: parent.iat, exp: parent.exp,
  }, { privateKey: B.privateJwk, alg: 'ES256' }, ALL_PARTS);
}

before(async () => {
  as = await startAuthorizationServer({
    trust,
    replayStore: new MemoryReplayStore(),
    requireRequesterKey: false,
    resource: RESOURCE,
    resourceScope: 'read write',
    clients: [
      { client_id: credsB.clientId, client_secret: credsB.clientSecret },
      { client_id: credsB2.clientId, client_secret: credsB2.clientSecret },
    ],
  });
  rs = await startResourceServer({ issuer: as.issuer, jwksUri: as.jwksUri, audience: RESOURCE });
});

after(async () => {
  await rs?.close();
  await as?.close();
});

describe('deferred binding end to end (oidc-provider + DPoP resource server)', () => {
  let token = '';

  test('B obtains a token bound to C: a DPoP key on the token request is ignored for binding', async () => {
    const chain = await root();
    const response = await requestBoundToken(as.tokenEndpoint, credsB, { chain, scope: 'read' }, { privateKey: B.privateJwk, alg: 'ES256' });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.token_type, 'DPoP');
    token = response.body.access_token as string;
    const claims = decodeJwt(token);
    assert.deepEqual(claims.cnf, { jwk: C.publicJwk });
    assert.notEqual(jktB, jktC);
    assert.equal(claims.sub, 'alice');
    assert.deepEqual(claims.act, { sub: 'client-b' });
    assert.equal(claims.scope, 'read');
    assert.equal(claims.client_id, 'client-b');
    assert.equal(claims.aud, RESOURCE);
    assert.equal(claims.iss, as.issuer);
  });

  test('C calls the resource server with DPoP and is served', async () => {
    const response = await callResource(`${rs.url}/data`, token, { privateKey: C.privateJwk, alg: 'ES256' });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.sub, 'alice');
    assert.deepEqual(response.body.act, { sub: 'client-b' });
  });

  test('B, without C\'s key, is refused at the resource server', async () => {
    const withOwnKey = await callResource(`${rs.url}/data`, token, { privateKey: B.privateJwk, alg: 'ES256' });
    assert.equal(withOwnKey.status, 401);
    assert.equal(withOwnKey.body.error, 'invalid_dpop_proof');
    const asBearer = await callResource(`${rs.url}/data`, token, { privateKey: B.privateJwk, alg: 'ES256' }, 'Bearer');
    assert.equal(asBearer.status, 401);
    assert.equal(asBearer.body.error, 'invalid_token');
  });

  test('the token does not outlive the chain', async () => {
    const now = Math.floor(Date.now() / 1000);
    const chain = await root({ iat: now, exp: now + 120 });
    const response = await requestBoundToken(as.tokenEndpoint, credsB, { chain });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const claims = decodeJwt(response.body.access_token as string);
    assert.ok((claims.exp as number) <= now + 120, `exp ${claims.exp} is capped at the chain exp ${now + 120}`);
    assert.ok((response.body.expires_in as number) <= 120);
  });

  test('RFC 8693 token exchange: B2 redeems a delegated chain as subject_token', async () => {
    const response = await requestBoundToken(as.tokenEndpoint, credsB2, { chain: await toB2(await root(), 'read'), profile: 'token_exchange' });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.issued_token_type, 'urn:ietf:params:oauth:token-type:access_token');
    const claims = decodeJwt(response.body.access_token as string);
    assert.deepEqual(claims.cnf, { jwk: C.publicJwk });
    assert.deepEqual(claims.act, { sub: 'client-b2', act: { sub: 'client-b' } });
    assert.equal(claims.scope, 'read');
  });
});

describe('the authorization server refuses', () => {
  const expectError = (response: { status: number; body: Record<string, unknown> }, error: string, status = 400): void => {
    assert.equal(response.status, status, JSON.stringify(response.body));
    assert.equal(response.body.error, error, JSON.stringify(response.body));
  };

  test('a replayed chain: invalid_grant', async () => {
    const chain = await root();
    assert.equal((await requestBoundToken(as.tokenEndpoint, credsB, { chain })).status, 200);
    expectError(await requestBoundToken(as.tokenEndpoint, credsB, { chain }), 'invalid_grant');
  });

  test('replays racing each other: exactly one succeeds', async () => {
    const chain = await root();
    const responses = await Promise.all(Array.from({ length: 5 }, () => requestBoundToken(as.tokenEndpoint, credsB, { chain })));
    assert.equal(responses.filter((response) => response.status === 200).length, 1);
    for (const response of responses.filter((r) => r.status !== 200)) expectError(response, 'invalid_grant');
  });

  test('a spliced chain: invalid_grant', async () => {
    const other = await toB2(await root());
    const spliced: Chain = { format: 'jwt', links: [(await root()).links[0] as Uint8Array, other.links[1] as Uint8Array] };
    expectError(await requestBoundToken(as.tokenEndpoint, credsB2, { chain: spliced }), 'invalid_grant');
  });

  test('an expired chain: invalid_grant', async () => {
    const now = Math.floor(Date.now() / 1000);
    expectError(await requestBoundToken(as.tokenEndpoint, credsB, { chain: await root({ iat: now - 900, exp: now - 600 }) }), 'invalid_grant');
  });

  test('a scope-widening link: invalid_grant', async () => {
    expectError(await requestBoundToken(as.tokenEndpoint, credsB2, { chain: await widenToB2(await root({ scope: 'read' }), 'read write') }), 'invalid_grant');
  });

  test('a requested scope beyond the chain: invalid_scope', async () => {
    expectError(await requestBoundToken(as.tokenEndpoint, credsB, { chain: await root({ scope: 'read' }), scope: 'read write' }), 'invalid_scope');
  });

  test('a chain for another requester: invalid_grant, and the chain is not burnt', async () => {
    const chain = await toB2(await root());
    expectError(await requestBoundToken(as.tokenEndpoint, credsB, { chain }), 'invalid_grant');
    assert.equal((await requestBoundToken(as.tokenEndpoint, credsB2, { chain })).status, 200);
  });

  test('a tmb other than the chain\'s: invalid_grant (invalid_request under token exchange)', async () => {
    expectError(await requestBoundToken(as.tokenEndpoint, credsB, { chain: await root(), tmb: { jwk: B.publicJwk } }), 'invalid_grant');
    expectError(await requestBoundToken(as.tokenEndpoint, credsB, { chain: await root(), tmb: { jwk: B.publicJwk }, profile: 'token_exchange' }), 'invalid_request');
  });

  test('the requester must authenticate: a wrong secret is invalid_client (401)', async () => {
    const body = new URLSearchParams({ grant_type: DEFERRED_BINDING_GRANT_TYPE, tmb: JSON.stringify({ jwk: C.publicJwk }), tmb_proof: serializeChain(await root(), ALL_PARTS) });
    expectError(await postTokenRequest(as.tokenEndpoint, { ...credsB, clientSecret: 'wrong' }, body.toString()), 'invalid_client', 401);
    // oidc-provider answers 400 invalid_request here; the integration makes it RFC 6749's 401.
    expectError(await postTokenRequest(as.tokenEndpoint, undefined, body.toString()), 'invalid_client', 401);
  });

  test('a duplicated parameter or a malformed tmb: invalid_request', async () => {
    const chainText = serializeChain(await root(), ALL_PARTS);
    const duplicated = new URLSearchParams({ grant_type: DEFERRED_BINDING_GRANT_TYPE, tmb: JSON.stringify({ jwk: C.publicJwk }), tmb_proof: chainText });
    duplicated.append('tmb', JSON.stringify({ jkt: jktB }));
    expectError(await postTokenRequest(as.tokenEndpoint, credsB, duplicated.toString()), 'invalid_request');
    const malformed = new URLSearchParams({ grant_type: DEFERRED_BINDING_GRANT_TYPE, tmb: '{"jkt":', tmb_proof: chainText });
    expectError(await postTokenRequest(as.tokenEndpoint, credsB, malformed.toString()), 'invalid_request');
    const missingProof = new URLSearchParams({ grant_type: DEFERRED_BINDING_GRANT_TYPE, tmb: JSON.stringify({ jwk: C.publicJwk }) });
    expectError(await postTokenRequest(as.tokenEndpoint, credsB, missingProof.toString()), 'invalid_request');
  });
});

describe('an integration that forgot the extraTokenClaims hook', () => {
  test('refuses to issue a token without its actor chain (server_error)', async () => {
    const bare = await startAuthorizationServer({
      trust,
      replayStore: new MemoryReplayStore(),
      requireRequesterKey: false,
      resource: RESOURCE,
      resourceScope: 'read write',
      clients: [{ client_id: credsB.clientId, client_secret: credsB.clientSecret }],
      omitTokenClaimsHook: true,
    });
    try {
      const chain = await startChain(
        { iss: AUTHORITY, sub: 'alice', aud: bare.issuer, scope: 'read', tmb: { jwk: C.publicJwk }, delegate: { sub: 'client-b', cnf: { jwk: B.publicJwk } } },
        { privateKey: A.privateJwk, alg: 'EdDSA' },
        ALL_PARTS,
      );
      const response = await requestBoundToken(bare.tokenEndpoint, credsB, { chain });
      assert.equal(response.status, 500);
      assert.equal(response.body.error, 'server_error');
      assert.equal(response.body.access_token, undefined);
    } finally {
      await bare.close();
    }
  });
});
