/**
 * A requester authenticating with private_key_jwt: the oidc-provider integration finds the key the
 * client assertion was signed with and the chain must name that key in its last `may_act.cnf`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, importJWK } from 'jose';
import { buildDeferredBindingRequest, generateKeyPair, startChain, type PrivateJwk, type PublicJwk } from '../../lib/index.js';
import { MemoryReplayStore } from '../../lib/as/index.js';
import { startAuthorizationServer, type RunningAuthorizationServer } from '../../examples/authorization-server.js';

const AUTHORITY = 'https://authority.test';
type Keys = { privateJwk: PrivateJwk; publicJwk: PublicJwk };
const [A, B, Other, C] = (await Promise.all(['EdDSA', 'ES256', 'ES256', 'ES256'].map((alg) => generateKeyPair(alg as 'EdDSA' | 'ES256')))) as [Keys, Keys, Keys, Keys];
let as: RunningAuthorizationServer;

before(async () => {
  as = await startAuthorizationServer({
    trust: { roots: [{ type: 'issuer', iss: AUTHORITY, jwks: { keys: [A.publicJwk] } }] },
    replayStore: new MemoryReplayStore(),
    resource: 'https://resource.test/api',
    resourceScope: 'read',
    clients: [{ client_id: 'client-b', jwks: { keys: [{ ...B.publicJwk, kid: 'b-1' }] } }],
  });
});
after(async () => as?.close());

async function redeem(delegateKey: PublicJwk): Promise<{ status: number; body: Record<string, unknown> }> {
  const chain = await startChain(
    { iss: AUTHORITY, sub: 'alice', aud: as.issuer, scope: 'read', tmb: { jwk: C.publicJwk }, delegate: { sub: 'client-b', cnf: { jwk: delegateKey } } },
    { privateKey: A.privateJwk, alg: 'EdDSA' },
  );
  const assertion = await new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES256', kid: 'b-1' })
    .setIssuer('client-b')
    .setSubject('client-b')
    .setAudience(as.tokenEndpoint)
    .setIssuedAt()
    .setExpirationTime('1m')
    .sign((await importJWK(B.privateJwk, 'ES256')) as Parameters<SignJWT['sign']>[0]);
  const { params } = buildDeferredBindingRequest({ chain });
  params.set('client_id', 'client-b');
  params.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  params.set('client_assertion', assertion);
  const response = await fetch(as.tokenEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: params });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('the chain names the key the client authenticated with: issued', async () => {
  const response = await redeem(B.publicJwk);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.deepEqual(decodeJwt(response.body.access_token as string).cnf, { jwk: C.publicJwk });
});

test('the chain names another key for the same client id: invalid_grant (requester_mismatch)', async () => {
  const response = await redeem(Other.publicJwk);
  assert.equal(response.status, 400);
  assert.equal(response.body.error, 'invalid_grant');
  assert.match(String(response.body.error_description), /^requester_mismatch/);
});
