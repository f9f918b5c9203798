/**
 * Disclosure profiles end to end (SPEC-NOTES §8.4.2): oidc-provider with the grant issues, for one
 * chain A → client-b → client-b2 → client-b3, a token whose `act` names every delegate (`full`),
 * the ones a policy keeps and the requester (`subset`), or the requester alone (`actor-only`); the
 * deferred-binding record says which profile was applied and commits to the whole chain;
 * introspection returns the same view; the DPoP resource server reads and checks each.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { delegate, generateKeyPair, startChain, type Chain, type PrivateJwk, type PublicJwk } from '../../lib/index.js';
import { DEFERRED_BINDING_CLAIM, MemoryReplayStore, type DisclosurePolicy } from '../../lib/as/index.js';
import { startAuthorizationServer, type RunningAuthorizationServer } from '../../examples/authorization-server.js';
import { startResourceServer } from '../../examples/resource-server.js';
import { callResource, postTokenRequest, requestBoundToken } from '../../examples/parties.js';
import { ALL_PARTS } from '../helpers/parts.js';

const AUTHORITY = 'https://authority.test';
const RESOURCE = 'https://resource.test/api';
type Keys = { privateJwk: PrivateJwk; publicJwk: PublicJwk };
const [A, B, B2, B3, C] = (await Promise.all(['EdDSA', 'ES256', 'ES256', 'ES256', 'ES256'].map((alg) => generateKeyPair(alg as 'EdDSA' | 'ES256')))) as [Keys, Keys, Keys, Keys, Keys];
const credsB3 = { clientId: 'client-b3', clientSecret: 'secret-b3-0123456789' };
const credsRs = { clientId: 'resource-server', clientSecret: 'secret-rs-0123456789' };
const servers: RunningAuthorizationServer[] = [];

async function server(disclosure: DisclosurePolicy | undefined, accessTokenFormat: 'jwt' | 'opaque' = 'jwt'): Promise<RunningAuthorizationServer> {
  const as = await startAuthorizationServer({
    trust: { roots: [{ type: 'issuer', iss: AUTHORITY, jwks: { keys: [A.publicJwk] } }] },
    replayStore: new MemoryReplayStore(),
    resource: RESOURCE,
    resourceScope: 'read write',
    // Secret-authenticated clients: what is tested here is the token, not the requester's key.
    requireRequesterKey: false,
    clients: [
      { client_id: credsB3.clientId, client_secret: credsB3.clientSecret },
      { client_id: credsRs.clientId, client_secret: credsRs.clientSecret },
    ],
    accessTokenFormat,
    ...(disclosure === undefined ? {} : { disclosure }),
  });
  servers.push(as);
  return as;
}

/** Root A vouches for C's key to client-b, which passes it to client-b2, which passes it to client-b3 (the requester). */
async function threeDelegates(as: RunningAuthorizationServer): Promise<Chain> {
  let chain = await startChain(
    { iss: AUTHORITY, sub: 'alice', aud: as.issuer, scope: 'read write', tmb: { jwk: C.publicJwk }, delegate: { sub: 'client-b', cnf: { jwk: B.publicJwk } }, depth: 2 },
    { privateKey: A.privateJwk, alg: 'EdDSA' },
    ALL_PARTS,
  );
  chain = await delegate(chain, { delegate: { sub: 'client-b2', cnf: { jwk: B2.publicJwk } } }, { privateKey: B.privateJwk, alg: 'ES256' }, ALL_PARTS);
  return delegate(chain, { delegate: { sub: 'client-b3', cnf: { jwk: B3.publicJwk } } }, { privateKey: B2.privateJwk, alg: 'ES256' }, ALL_PARTS);
}

/** SHA-256 of the compact JWT chain and of each link's bytes, computed here independently (SPEC-NOTES §4.2, §4.4). */
function compactHash(chain: Chain): string {
  return createHash('sha256').update(chain.links.map((link) => Buffer.from(link).toString('ascii')).join('~'), 'ascii').digest('base64url');
}
function linkHashes(chain: Chain): string[] {
  return chain.links.map((link) => createHash('sha256').update(link).digest('base64url'));
}

const ROOT = { kind: 'issuer', iss: AUTHORITY };
const FULL_ACT = { sub: 'client-b3', act: { sub: 'client-b2', act: { sub: 'client-b' } } };

/** The token's claims as the JWT carries them, as introspection returns them, and as the resource server reads them. */
async function issuedViews(disclosure: DisclosurePolicy | undefined): Promise<{ chain: Chain; jwt: Record<string, unknown>; introspected: Record<string, unknown>; served: Record<string, unknown> }> {
  const jwtAs = await server(disclosure);
  const chain = await threeDelegates(jwtAs);
  const issued = await requestBoundToken(jwtAs.tokenEndpoint, credsB3, { chain });
  assert.equal(issued.status, 200, JSON.stringify(issued.body));
  const token = issued.body.access_token as string;
  const rs = await startResourceServer({ issuer: jwtAs.issuer, jwksUri: jwtAs.jwksUri, audience: RESOURCE });
  let served: Record<string, unknown>;
  try {
    const byC = await callResource(`${rs.url}/data`, token, { privateKey: C.privateJwk, alg: 'ES256' });
    assert.equal(byC.status, 200, JSON.stringify(byC.body));
    served = byC.body;
  } finally {
    await rs.close();
  }

  const opaqueAs = await server(disclosure, 'opaque');
  const opaqueChain = await threeDelegates(opaqueAs);
  const opaque = await requestBoundToken(opaqueAs.tokenEndpoint, credsB3, { chain: opaqueChain });
  assert.equal(opaque.status, 200, JSON.stringify(opaque.body));
  const introspection = await postTokenRequest(opaqueAs.introspectionEndpoint, credsRs, new URLSearchParams({ token: opaque.body.access_token as string }).toString());
  assert.equal(introspection.status, 200, JSON.stringify(introspection.body));
  assert.equal(introspection.body.active, true);
  // The introspected token rests on its own chain: compare it with that chain's hash.
  assert.equal((introspection.body[DEFERRED_BINDING_CLAIM] as { chain_sha256: string }).chain_sha256, compactHash(opaqueChain));
  return { chain, jwt: decodeJwt(token), introspected: introspection.body, served };
}

after(async () => {
  for (const as of servers) await as.close();
});

describe('disclosure profiles through oidc-provider', () => {
  test('full (the default): act names every delegate; the record says full and states the length', async () => {
    const { chain, jwt, introspected, served } = await issuedViews(undefined);
    assert.deepEqual(jwt.act, FULL_ACT);
    assert.deepEqual(jwt[DEFERRED_BINDING_CLAIM], { root: ROOT, chain_sha256: compactHash(chain), links: 3, format: 'jwt', disclosure: 'full', omitted: 0 });
    assert.deepEqual(introspected.act, FULL_ACT);
    assert.equal((introspected[DEFERRED_BINDING_CLAIM] as { disclosure: string }).disclosure, 'full');
    assert.deepEqual(served.actors, ['client-b', 'client-b2', 'client-b3']);
  });

  test('subset keeping the first delegate: act names the root\'s delegate and the requester; the length is not stated', async () => {
    const { chain, jwt, introspected, served } = await issuedViews({ profile: 'subset', keep: ['first'] });
    const act = { sub: 'client-b3', act: { sub: 'client-b' } };
    assert.deepEqual(jwt.act, act);
    assert.deepEqual(jwt[DEFERRED_BINDING_CLAIM], { root: ROOT, chain_sha256: compactHash(chain), format: 'jwt', disclosure: 'subset' });
    assert.deepEqual(introspected.act, act);
    assert.equal((introspected[DEFERRED_BINDING_CLAIM] as { disclosure: string }).disclosure, 'subset');
    assert.equal(Object.hasOwn(introspected[DEFERRED_BINDING_CLAIM] as object, 'links'), false);
    assert.deepEqual(served.actors, ['client-b', 'client-b3']);
    // Nothing else in the token names the omitted delegate.
    assert.equal(JSON.stringify(jwt).includes('client-b2'), false);
  });

  test('subset with count and link hashes: the record states the length, the omitted count and every link hash', async () => {
    const { chain, jwt, served } = await issuedViews({ profile: 'subset', keep: [{ sub_prefix: 'client-b2' }], count: true, link_hashes: true });
    assert.deepEqual(jwt.act, { sub: 'client-b3', act: { sub: 'client-b2' } });
    assert.deepEqual(jwt[DEFERRED_BINDING_CLAIM], {
      root: ROOT, chain_sha256: compactHash(chain), links: 3, format: 'jwt', disclosure: 'subset', omitted: 1, link_sha256: linkHashes(chain),
    });
    assert.deepEqual(served.actors, ['client-b2', 'client-b3']);
  });

  test('actor-only: act names the requester alone', async () => {
    const { chain, jwt, introspected, served } = await issuedViews({ profile: 'actor-only' });
    assert.deepEqual(jwt.act, { sub: 'client-b3' });
    assert.deepEqual(jwt[DEFERRED_BINDING_CLAIM], { root: ROOT, chain_sha256: compactHash(chain), format: 'jwt', disclosure: 'actor-only' });
    assert.deepEqual(introspected.act, { sub: 'client-b3' });
    assert.equal((introspected[DEFERRED_BINDING_CLAIM] as { disclosure: string }).disclosure, 'actor-only');
    assert.deepEqual(served.actors, ['client-b3']);
  });
});
