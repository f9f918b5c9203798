/**
 * What the token issued through oidc-provider says about its deferred binding (SPEC-NOTES §8.4):
 * `cnf` is the chain's `tmb` copied (draft-richer-oauth-tmb-claim) or, as an option, reduced to
 * `jkt`; the deferred-binding record names the root and the chain; introspection returns both.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { delegate, generateKeyPair, jwkThumbprint, startChain, type Chain, type PrivateJwk, type PublicJwk } from '../../lib/index.js';
import { DEFERRED_BINDING_CLAIM, MemoryReplayStore } from '../../lib/as/index.js';
import { startAuthorizationServer, type AuthorizationServerOptions, type RunningAuthorizationServer } from '../../examples/authorization-server.js';
import { startResourceServer } from '../../examples/resource-server.js';
import { callResource, postTokenRequest, requestBoundToken } from '../../examples/parties.js';
import { ALL_PARTS } from '../helpers/parts.js';

const AUTHORITY = 'https://authority.test';
const RESOURCE = 'https://resource.test/api';
type Keys = { privateJwk: PrivateJwk; publicJwk: PublicJwk };
const [A, B, B2, C] = (await Promise.all(['EdDSA', 'ES256', 'ES256', 'ES256'].map((alg) => generateKeyPair(alg as 'EdDSA' | 'ES256')))) as [Keys, Keys, Keys, Keys];
const credsB = { clientId: 'client-b', clientSecret: 'secret-b-0123456789' };
const credsB2 = { clientId: 'client-b2', clientSecret: 'secret-b2-0123456789' };
const credsRs = { clientId: 'resource-server', clientSecret: 'secret-rs-0123456789' };
const servers: RunningAuthorizationServer[] = [];

async function server(options: Partial<AuthorizationServerOptions> = {}): Promise<RunningAuthorizationServer> {
  const as = await startAuthorizationServer({
    trust: { roots: [{ type: 'issuer', iss: AUTHORITY, jwks: { keys: [A.publicJwk] } }] },
    replayStore: new MemoryReplayStore(),
    resource: RESOURCE,
    resourceScope: 'read write',
    // Secret-authenticated clients: what is tested here is the token, not the requester's key.
    requireRequesterKey: false,
    clients: [
      { client_id: credsB.clientId, client_secret: credsB.clientSecret },
      { client_id: credsB2.clientId, client_secret: credsB2.clientSecret },
      { client_id: credsRs.clientId, client_secret: credsRs.clientSecret },
    ],
    ...options,
  });
  servers.push(as);
  return as;
}

function chainFor(as: RunningAuthorizationServer, depth = 0): Promise<Chain> {
  return startChain(
    { iss: AUTHORITY, sub: 'alice', aud: as.issuer, scope: 'read write', tmb: { jwk: C.publicJwk }, delegate: { sub: 'client-b', cnf: { jwk: B.publicJwk } }, depth },
    { privateKey: A.privateJwk, alg: 'EdDSA' },
    ALL_PARTS,
  );
}

/** SHA-256 of the compact JWT chain: the link texts joined by "~" (SPEC-NOTES §4.2), computed here independently. */
function compactHash(chain: Chain): string {
  const text = chain.links.map((link) => Buffer.from(link).toString('ascii')).join('~');
  return createHash('sha256').update(text, 'ascii').digest('base64url');
}

async function introspect(as: RunningAuthorizationServer, token: string): Promise<Record<string, unknown>> {
  const response = await postTokenRequest(as.introspectionEndpoint, credsRs, new URLSearchParams({ token }).toString());
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

let jwtAs: RunningAuthorizationServer;
before(async () => {
  jwtAs = await server();
});
after(async () => {
  for (const as of servers) await as.close();
});

describe('a JWT access token issued for a chain', () => {
  test('cnf is the chain tmb, copied: the jwk, not its thumbprint', async () => {
    const response = await requestBoundToken(jwtAs.tokenEndpoint, credsB, { chain: await chainFor(jwtAs) });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.token_type, 'DPoP');
    assert.deepEqual(decodeJwt(response.body.access_token as string).cnf, { jwk: C.publicJwk });
  });

  test('records the deferred binding: root kind and identifier, the hash and length of the chain', async () => {
    const chain = await delegate(await chainFor(jwtAs, 1), { delegate: { sub: 'client-b2', cnf: { jwk: B2.publicJwk } } }, { privateKey: B.privateJwk, alg: 'ES256' }, ALL_PARTS);
    const response = await requestBoundToken(jwtAs.tokenEndpoint, credsB2, { chain });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(decodeJwt(response.body.access_token as string)[DEFERRED_BINDING_CLAIM], {
      root: { kind: 'issuer', iss: AUTHORITY }, chain_sha256: compactHash(chain), links: 2, format: 'jwt', disclosure: 'full', omitted: 0,
    });
  });

  test("with confirmation 'jkt' the jwk is reduced to its RFC 7638 thumbprint", async () => {
    const as = await server({ confirmation: 'jkt' });
    const response = await requestBoundToken(as.tokenEndpoint, credsB, { chain: await chainFor(as) });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const claims = decodeJwt(response.body.access_token as string);
    assert.deepEqual(claims.cnf, { jkt: await jwkThumbprint(C.publicJwk) });
    assert.equal((claims[DEFERRED_BINDING_CLAIM] as { root: { kind: string } }).root.kind, 'issuer');
  });

  test('without the JWT customizer the grant refuses rather than issue a thumbprint for a copied jwk', async () => {
    const as = await server({ omitJwtCustomizer: true });
    const response = await requestBoundToken(as.tokenEndpoint, credsB, { chain: await chainFor(as) });
    assert.equal(response.status, 500);
    assert.equal(response.body.access_token, undefined);
  });
});

describe('an opaque access token, introspected through oidc-provider', () => {
  let as: RunningAuthorizationServer;
  before(async () => {
    as = await server({ accessTokenFormat: 'opaque' });
  });

  test('introspection returns the binding: cnf = the tmb jwk, token_type DPoP, and the record', async () => {
    const chain = await chainFor(as);
    const response = await requestBoundToken(as.tokenEndpoint, credsB, { chain });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const body = await introspect(as, response.body.access_token as string);
    assert.equal(body.active, true);
    assert.equal(body.token_type, 'DPoP');
    assert.deepEqual(body.cnf, { jwk: C.publicJwk });
    assert.deepEqual(body[DEFERRED_BINDING_CLAIM], { root: { kind: 'issuer', iss: AUTHORITY }, chain_sha256: compactHash(chain), links: 1, format: 'jwt', disclosure: 'full', omitted: 0 });
    assert.deepEqual(body.act, { sub: 'client-b' });
  });

  test("with confirmation 'jkt' introspection returns the thumbprint", async () => {
    const jktAs = await server({ accessTokenFormat: 'opaque', confirmation: 'jkt' });
    const response = await requestBoundToken(jktAs.tokenEndpoint, credsB, { chain: await chainFor(jktAs) });
    const body = await introspect(jktAs, response.body.access_token as string);
    assert.deepEqual(body.cnf, { jkt: await jwkThumbprint(C.publicJwk) });
  });

  test('a resource server that introspects serves the key holder, shows the record, and refuses the requester', async () => {
    const rs = await startResourceServer({ issuer: as.issuer, jwksUri: as.jwksUri, audience: RESOURCE, introspection: { endpoint: as.introspectionEndpoint, ...credsRs } });
    try {
      const chain = await chainFor(as);
      const token = (await requestBoundToken(as.tokenEndpoint, credsB, { chain })).body.access_token as string;
      const byC = await callResource(`${rs.url}/data`, token, { privateKey: C.privateJwk, alg: 'ES256' });
      assert.equal(byC.status, 200, JSON.stringify(byC.body));
      assert.equal((byC.body.deferred_binding as { chain_sha256: string }).chain_sha256, compactHash(chain));
      const byB = await callResource(`${rs.url}/data`, token, { privateKey: B.privateJwk, alg: 'ES256' });
      assert.equal(byB.status, 401);
      assert.equal(byB.body.error, 'invalid_dpop_proof');
    } finally {
      await rs.close();
    }
  });
});
