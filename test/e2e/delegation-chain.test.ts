/**
 * draft-liu-oauth-chain-delegation's `delegation_chain`, emitted by the oidc-provider grant as an
 * option where the mapping of SPEC-NOTES §11.1 holds: full disclosure, URI identifiers. Each record
 * is checked here against the chain's links and its `as_signature` against the AS's published key,
 * over the RFC 8785 form written out by hand below.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compactVerify, createRemoteJWKSet, decodeJwt } from 'jose';
import Provider from 'oidc-provider';
import { decodeChain, delegate, generateKeyPair, startChain, type Chain, type PrivateJwk, type PublicJwk } from '../../lib/index.js';
import { MemoryReplayStore } from '../../lib/as/index.js';
import { registerDeferredBindingGrant } from '../../lib/integrations/oidc-provider/index.js';
import { createVerifier } from '../../lib/index.js';
import { startAuthorizationServer, type RunningAuthorizationServer } from '../../examples/authorization-server.js';
import { postTokenRequest, requestBoundToken } from '../../examples/parties.js';
import { ALL_PARTS } from '../helpers/parts.js';

const AUTHORITY = 'https://authority.test';
const B_ID = 'spiffe://example.org/agent-b';
const B2_ID = 'spiffe://example.org/agent-b2';
type Keys = { privateJwk: PrivateJwk; publicJwk: PublicJwk };
const [A, B, B2, C] = (await Promise.all(['EdDSA', 'ES256', 'ES256', 'ES256'].map((alg) => generateKeyPair(alg as 'EdDSA' | 'ES256')))) as [Keys, Keys, Keys, Keys];
const creds = { clientId: B2_ID, clientSecret: 'secret-b2-0123456789' };
const plainCreds = { clientId: 'client-b2', clientSecret: 'secret-p2-0123456789' };
const servers: RunningAuthorizationServer[] = [];
after(async () => {
  for (const as of servers) await as.close();
});

async function server(accessTokenFormat: 'jwt' | 'opaque' = 'jwt'): Promise<RunningAuthorizationServer> {
  const as = await startAuthorizationServer({
    trust: { roots: [{ type: 'issuer', iss: AUTHORITY, jwks: { keys: [A.publicJwk] } }] },
    replayStore: new MemoryReplayStore(),
    resource: 'https://resource.test/api',
    resourceScope: 'read write',
    requireRequesterKey: false,
    clients: [{ client_id: creds.clientId, client_secret: creds.clientSecret }, { client_id: plainCreds.clientId, client_secret: plainCreds.clientSecret }],
    delegationChain: true,
    accessTokenFormat,
  });
  servers.push(as);
  return as;
}

async function twoLinks(as: RunningAuthorizationServer, first: string, second: string): Promise<Chain> {
  const chain = await startChain(
    { iss: AUTHORITY, sub: 'alice', aud: as.issuer, scope: 'read write', tmb: { jwk: C.publicJwk }, delegate: { sub: first, cnf: { jwk: B.publicJwk } }, depth: 1 },
    { privateKey: A.privateJwk, alg: 'EdDSA' }, ALL_PARTS);
  return delegate(chain, { delegate: { sub: second, cnf: { jwk: B2.publicJwk } }, scope: 'read' }, { privateKey: B.privateJwk, alg: 'ES256' }, ALL_PARTS);
}

describe('delegation_chain (draft-liu-oauth-chain-delegation) as an option of the grant', () => {
  test('one record per link, most recent first, each signed by the AS over its JCS form', async () => {
    const as = await server();
    const chain = await twoLinks(as, B_ID, B2_ID);
    const response = await requestBoundToken(as.tokenEndpoint, creds, { chain, scope: 'read' });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const claims = decodeJwt(response.body.access_token as string);
    const links = decodeChain(chain).map((link) => link.claims as { iss: string; iat: number; scope: string; may_act: { sub: string } });
    const records = claims.delegation_chain as Record<string, string | number>[];
    assert.equal(records.length, 2);
    const expected = [links[1], links[0]].map((link) => ({
      delegator_id: link?.iss, delegatee_id: link?.may_act.sub, as_id: as.issuer, delegation_timestamp: link?.iat, scope: link?.scope,
    }));
    assert.deepEqual(records.map(({ as_signature: _signature, ...members }) => members), expected);
    assert.equal(records[0]?.delegatee_id, (claims.act as { sub: string }).sub);
    assert.equal(records[1]?.delegator_id, AUTHORITY);
    const jwks = createRemoteJWKSet(new URL(as.jwksUri));
    for (const record of records) {
      // RFC 8785 by hand: members sorted by code unit, no white space.
      const jcs = `{"as_id":${JSON.stringify(record.as_id)},"delegatee_id":${JSON.stringify(record.delegatee_id)},"delegation_timestamp":${record.delegation_timestamp},"delegator_id":${JSON.stringify(record.delegator_id)},"scope":${JSON.stringify(record.scope)}}`;
      const [header, empty, signature] = String(record.as_signature).split('.');
      assert.equal(empty, '', 'a detached JWS (RFC 7515 Appendix F)');
      await compactVerify(`${header}.${Buffer.from(jcs).toString('base64url')}.${signature}`, jwks);
    }
  });

  test('introspection of an opaque token returns the same records', async () => {
    const as = await server('opaque');
    const response = await requestBoundToken(as.tokenEndpoint, creds, { chain: await twoLinks(as, B_ID, B2_ID), scope: 'read' });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const introspection = await postTokenRequest(as.introspectionEndpoint, creds, new URLSearchParams({ token: response.body.access_token as string }).toString());
    const records = introspection.body.delegation_chain as { delegatee_id: string }[];
    assert.deepEqual(records.map((record) => record.delegatee_id), [B2_ID, B_ID]);
  });

  test('a chain whose identifiers are not URIs gets no token, rather than one without the claim', async () => {
    const as = await server();
    const response = await requestBoundToken(as.tokenEndpoint, plainCreds, { chain: await twoLinks(as, 'client-b', 'client-b2') });
    assert.equal(response.status, 500);
    assert.equal(response.body.access_token, undefined);
  });

  test('the option is refused with a disclosure other than full', async () => {
    const provider = new Provider('http://127.0.0.1:1', {});
    const verifier = await createVerifier({ roots: [{ type: 'issuer', iss: AUTHORITY, jwks: { keys: [A.publicJwk] } }] });
    assert.throws(() => registerDeferredBindingGrant(provider, {
      verifier, replayStore: new MemoryReplayStore(), resourceServer: () => undefined,
      disclosure: { profile: 'actor-only' }, delegationChain: { key: C.privateJwk, alg: 'ES256' },
    }), (error: { code?: string }) => error.code === 'invalid_argument');
  });
});
