/**
 * Red team of the oidc-provider grant over HTTP (SPEC-NOTES §8.3 step 3, §8.8): form-encoding
 * edge cases sent as real requests to the example authorization server on loopback, each answered
 * as the text says.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, serializeChain, startChain, type Chain, type PrivateJwk, type PublicJwk } from '../../lib/index.js';
import { MemoryReplayStore, DEFERRED_BINDING_GRANT_TYPE } from '../../lib/as/index.js';
import { startAuthorizationServer, type RunningAuthorizationServer } from '../../examples/authorization-server.js';
import { postTokenRequest } from '../../examples/parties.js';

const AUTHORITY = 'https://authority.test';
const RESOURCE = 'https://resource.test/api';
type Keys = { privateJwk: PrivateJwk; publicJwk: PublicJwk };
const [A, B, C] = (await Promise.all(['EdDSA', 'ES256', 'ES256'].map((alg) => generateKeyPair(alg as 'EdDSA' | 'ES256')))) as [Keys, Keys, Keys];
const creds = { clientId: 'client-b', clientSecret: 'secret-b-0123456789' };

let as: RunningAuthorizationServer;
before(async () => {
  as = await startAuthorizationServer({
    trust: { roots: [{ type: 'issuer' as const, iss: AUTHORITY, jwks: { keys: [A.publicJwk] } }] },
    replayStore: new MemoryReplayStore(),
    resource: RESOURCE,
    resourceScope: 'read write',
    clients: [{ client_id: creds.clientId, client_secret: creds.clientSecret }],
    requireRequesterKey: false,
  });
});
after(async () => {
  await as.close();
});

function chain(): Promise<Chain> {
  return startChain(
    { iss: AUTHORITY, sub: 'alice', aud: as.issuer, scope: 'read write', tmb: { jwk: C.publicJwk }, delegate: { sub: creds.clientId, cnf: { jwk: B.publicJwk } }, depth: 1 },
    { privateKey: A.privateJwk, alg: 'EdDSA' },
  );
}

function request(chainText: string, extra: string): string {
  const body = new URLSearchParams({ grant_type: DEFERRED_BINDING_GRANT_TYPE, tmb: JSON.stringify({ jwk: C.publicJwk }), tmb_proof: chainText });
  return extra === '' ? body.toString() : `${body.toString()}&${extra}`;
}

describe('empty values through the oidc-provider grant (§8.3 step 3, §8.8)', () => {
  for (const extra of ['scope=', 'resource=', 'scope=&resource=']) {
    test(`a lone empty value is omitted (${extra}): issued`, async () => {
      const response = await postTokenRequest(as.tokenEndpoint, creds, request(serializeChain(await chain()), extra));
      assert.equal(response.status, 200, JSON.stringify(response.body));
    });
  }

  for (const [name, extra] of [
    ['a second, empty tmb_proof', 'tmb_proof='],
    ['a second, empty tmb', 'tmb='],
    ['a scope, then an empty one', 'scope=read&scope='],
    ['a second, empty grant_type', 'grant_type='],
  ] as const) {
    test(`${name}: the provider counts it as repeated (invalid_request, §8.8), and the chain is not consumed`, async () => {
      const chainText = serializeChain(await chain());
      const refused = await postTokenRequest(as.tokenEndpoint, creds, request(chainText, extra));
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.equal(refused.body.error, 'invalid_request');
      assert.match(String(refused.body.error_description), /must not be provided twice/);
      const retried = await postTokenRequest(as.tokenEndpoint, creds, request(chainText, ''));
      assert.equal(retried.status, 200, JSON.stringify(retried.body));
    });
  }
});

describe('form encoding through the oidc-provider grant: + is a space, %2B a plus sign', () => {
  test('scope=read+write and a tmb whose JSON white space is sent as + are read as their decoded text: issued with scope "read write"', async () => {
    const tmb = JSON.stringify({ jwk: C.publicJwk }).replace(/,/g, ', ').replace(/:/g, ': ');
    const body = `grant_type=${encodeURIComponent(DEFERRED_BINDING_GRANT_TYPE)}&tmb=${encodeURIComponent(tmb).replace(/%20/g, '+')}&tmb_proof=${serializeChain(await chain())}&scope=read+write`;
    assert.ok(body.includes('+'));
    const response = await postTokenRequest(as.tokenEndpoint, creds, body);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.scope, 'read write');
  });

  test('scope=read%2Bwrite is the one token "read+write", beyond the chain: invalid_scope, and the chain is not consumed', async () => {
    const chainText = serializeChain(await chain());
    const refused = await postTokenRequest(as.tokenEndpoint, creds, request(chainText, 'scope=read%2Bwrite'));
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.equal(refused.body.error, 'invalid_scope');
    assert.equal((await postTokenRequest(as.tokenEndpoint, creds, request(chainText, ''))).status, 200);
  });
});

describe('names and client_id through the oidc-provider grant, as §8.3 says (vectors as-parameter-names-case-sensitive, as-client-id-*)', () => {
  test('TMB, Scope and GRANT_TYPE are other parameters than tmb, scope and grant_type: ignored, issued', async () => {
    const response = await postTokenRequest(as.tokenEndpoint, creds, request(serializeChain(await chain()), 'TMB=%7B&Scope=+bad&GRANT_TYPE=password'));
    assert.equal(response.status, 200, JSON.stringify(response.body));
  });

  test('an empty client_id names no client: issued', async () => {
    const response = await postTokenRequest(as.tokenEndpoint, creds, request(serializeChain(await chain()), 'client_id='));
    assert.equal(response.status, 200, JSON.stringify(response.body));
  });

  test('a client_id that differs from the authenticated client only in case names another client: 401 invalid_client', async () => {
    const response = await postTokenRequest(as.tokenEndpoint, creds, request(serializeChain(await chain()), `client_id=${creds.clientId.toUpperCase()}`));
    assert.equal(response.status, 401, JSON.stringify(response.body));
    assert.equal(response.body.error, 'invalid_client');
  });
});

describe('the content type through the oidc-provider grant (§8.3, before step 1)', () => {
  const post = async (contentType: string, body: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const authorization = `Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64')}`;
    const response = await fetch(as.tokenEndpoint, { method: 'POST', headers: { 'content-type': contentType, authorization, accept: 'application/json' }, body });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  test('the media type in other case, with a charset parameter (utf-8 or iso-8859-1) on an ASCII body: the same form, issued', async () => {
    for (const contentType of ['Application/X-WWW-Form-Urlencoded; charset=UTF-8', 'application/x-www-form-urlencoded;charset=iso-8859-1']) {
      const response = await post(contentType, request(serializeChain(await chain()), ''));
      assert.equal(response.status, 200, `${contentType}: ${JSON.stringify(response.body)}`);
    }
  });

  test('another media type (text/plain, application/json) is refused before the grant runs: invalid_request, and the chain is not consumed', async () => {
    const chainText = serializeChain(await chain());
    for (const [contentType, body] of [['text/plain', request(chainText, '')], ['application/json', JSON.stringify({ grant_type: DEFERRED_BINDING_GRANT_TYPE, tmb: JSON.stringify({ jwk: C.publicJwk }), tmb_proof: chainText })]] as const) {
      const refused = await post(contentType, body);
      assert.equal(refused.status, 400, `${contentType}: ${JSON.stringify(refused.body)}`);
      assert.equal(refused.body.error, 'invalid_request');
    }
    assert.equal((await postTokenRequest(as.tokenEndpoint, creds, request(chainText, ''))).status, 200);
  });
});

describe('step 2 through the oidc-provider grant', () => {
  test('grant_type twice, first password then the extension grant: invalid_request (a repetition), not unsupported_grant_type, and the chain is not consumed', async () => {
    const chainText = serializeChain(await chain());
    const refused = await postTokenRequest(as.tokenEndpoint, creds, `grant_type=password&${request(chainText, '')}`);
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.equal(refused.body.error, 'invalid_request');
    assert.equal((await postTokenRequest(as.tokenEndpoint, creds, request(chainText, ''))).status, 200);
  });
});
