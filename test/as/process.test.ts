import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { delegate, serializeChain, TransitiveProofError } from '../../lib/index.js';
import { processDeferredBindingRequest, tokenErrorResponse } from '../../lib/as/index.js';
import { MemoryReplayStore, TMB_CHAIN_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT_TYPE, ACCESS_TOKEN_TYPE, type DeferredBindingOutcome, type ReplayStore } from '../../lib/as/index.js';
import { ISSUER, grantParams, nowSeconds, world } from './fixtures.js';

const W = await world();

function options(overrides: Partial<Parameters<typeof processDeferredBindingRequest>[1]> = {}): Parameters<typeof processDeferredBindingRequest>[1] {
  return { client: { id: 'client-b', jkt: W.B.jkt }, issuer: ISSUER, verifier: W.verifier, replayStore: new MemoryReplayStore(), ...overrides };
}

function expectError(outcome: DeferredBindingOutcome, error: string, code?: string, status = 400): void {
  assert.equal(outcome.ok, false, 'expected a failure');
  if (outcome.ok) return;
  assert.equal(outcome.error.error, error);
  assert.equal(outcome.status, status);
  if (code !== undefined) assert.equal(outcome.code, code);
  assert.match(outcome.error.error_description, /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/, 'RFC 6749 §5.2 character set');
}

describe('processDeferredBindingRequest: success', () => {
  test('issues cnf = the chain tmb (copied, as the tmb draft says), sub, act, scope, exp cap', async () => {
    const chain = await W.chainToB();
    const outcome = await processDeferredBindingRequest(grantParams(chain, { jwk: W.C.publicJwk }, { scope: 'read' }), options());
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.error));
    assert.deepEqual(outcome.claims.cnf, { jwk: W.C.publicJwk });
    assert.equal(outcome.claims.sub, 'user-42');
    assert.deepEqual(outcome.claims.act, { sub: 'client-b' });
    assert.equal(outcome.claims.scope, 'read');
    assert.equal(outcome.claims.client_id, 'client-b');
    assert.equal(outcome.claims.exp, outcome.chain.links[0]?.claims.exp);
    assert.equal(outcome.profile, 'grant');
  });

  test("with confirmation 'jkt' a jwk tmb is reduced to its thumbprint", async () => {
    const outcome = await processDeferredBindingRequest(grantParams(await W.chainToB(), { jwk: W.C.publicJwk }), { ...options(), confirmation: 'jkt' });
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.error));
    assert.deepEqual(outcome.claims.cnf, { jkt: W.C.jkt });
  });

  test('a delegated chain gives the nested actor chain, requester outermost', async () => {
    const chain = await W.chainToB2('read');
    const outcome = await processDeferredBindingRequest(grantParams(chain, { jwk: W.C.publicJwk }), options({ client: { id: 'client-b2', jkt: W.B2.jkt } }));
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.claims.act, { sub: 'client-b2', act: { sub: 'client-b' } });
    assert.equal(outcome.claims.scope, 'read');
  });

  test('the same request works as client_credentials and as token exchange', async () => {
    const cc = grantParams(await W.chainToB(), { jwk: W.C.publicJwk });
    cc.set('grant_type', 'client_credentials');
    const ccOutcome = await processDeferredBindingRequest(cc, options());
    assert.ok(ccOutcome.ok);
    assert.equal(ccOutcome.profile, 'client_credentials');

    const exchange = new URLSearchParams({
      grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
      subject_token: serializeChain(await W.chainToB()),
      subject_token_type: TMB_CHAIN_TOKEN_TYPE,
      requested_token_type: ACCESS_TOKEN_TYPE,
      tmb: JSON.stringify({ jwk: W.C.publicJwk }),
      audience: 'https://rs.test',
    });
    const outcome = await processDeferredBindingRequest(exchange, options());
    assert.ok(outcome.ok);
    assert.equal(outcome.profile, 'token_exchange');
    assert.equal(outcome.issuedTokenType, ACCESS_TOKEN_TYPE);
    assert.deepEqual(outcome.audience, ['https://rs.test']);
  });

  test('a record of parameters works like a form body', async () => {
    const params = Object.fromEntries(grantParams(await W.chainToB(), { jwk: W.C.publicJwk }));
    assert.ok((await processDeferredBindingRequest(params, options())).ok);
  });

  test('a trust configuration can stand in for a verifier', async () => {
    const outcome = await processDeferredBindingRequest(grantParams(await W.chainToB(), { jwk: W.C.publicJwk }), options({ verifier: undefined, trust: W.trust }));
    assert.ok(outcome.ok);
  });
});

describe('processDeferredBindingRequest: request errors', () => {
  test('no authenticated client is invalid_client (401)', async () => {
    const chain = await W.chainToB();
    expectError(await processDeferredBindingRequest(grantParams(chain, { jwk: W.C.publicJwk }), options({ client: undefined })), 'invalid_client', 'requester_unauthenticated', 401);
    expectError(await processDeferredBindingRequest(grantParams(chain, { jwk: W.C.publicJwk }), options({ client: { id: '' } })), 'invalid_client', undefined, 401);
  });

  test('a client_id parameter naming another client is invalid_client', async () => {
    const params = grantParams(await W.chainToB(), { jwk: W.C.publicJwk }, { client_id: 'client-x' });
    expectError(await processDeferredBindingRequest(params, options()), 'invalid_client', 'requester_unauthenticated', 401);
  });

  test('a duplicated parameter is invalid_request', async () => {
    const params = grantParams(await W.chainToB(), { jwk: W.C.publicJwk });
    params.append('tmb', JSON.stringify({ jkt: W.B.jkt }));
    expectError(await processDeferredBindingRequest(params, options()), 'invalid_request', 'request_invalid');
    const scopes = grantParams(await W.chainToB(), { jwk: W.C.publicJwk }, { scope: 'read' });
    scopes.append('scope', 'write');
    expectError(await processDeferredBindingRequest(scopes, options()), 'invalid_request', 'request_invalid');
  });

  test('missing or invalid tmb is invalid_request; a different key is invalid_grant', async () => {
    const chain = await W.chainToB();
    const missing = grantParams(chain, {});
    missing.delete('tmb');
    expectError(await processDeferredBindingRequest(missing, options()), 'invalid_request', 'request_invalid');
    const broken = grantParams(chain, {});
    broken.set('tmb', '{"jkt":');
    expectError(await processDeferredBindingRequest(broken, options()), 'invalid_request', 'request_invalid');
    expectError(await processDeferredBindingRequest(grantParams(chain, { jkt: 'short' }), options()), 'invalid_request', 'request_invalid');
    expectError(await processDeferredBindingRequest(grantParams(chain, { jwk: W.B.publicJwk }), options()), 'invalid_grant', 'tmb_mismatch');
  });

  test('missing tmb_proof is invalid_request; a garbled one is invalid_request or invalid_grant', async () => {
    const params = grantParams(await W.chainToB(), { jwk: W.C.publicJwk });
    params.delete('tmb_proof');
    expectError(await processDeferredBindingRequest(params, options()), 'invalid_request', 'request_invalid');
    params.set('tmb_proof', 'x'.repeat(70_000));
    expectError(await processDeferredBindingRequest(params, options()), 'invalid_request');
  });

  test('missing or foreign grant_type', async () => {
    const params = grantParams(await W.chainToB(), { jwk: W.C.publicJwk });
    params.delete('grant_type');
    expectError(await processDeferredBindingRequest(params, options()), 'invalid_request', 'request_invalid');
    params.set('grant_type', 'authorization_code');
    expectError(await processDeferredBindingRequest(params, options()), 'unsupported_grant_type', 'grant_type_unsupported');
    params.set('grant_type', 'client_credentials');
    expectError(await processDeferredBindingRequest(params, options({ profiles: ['grant'] })), 'unsupported_grant_type', 'grant_type_unsupported');
  });

  test('the requester must be the last delegate', async () => {
    const chain = await W.chainToB2();
    expectError(await processDeferredBindingRequest(grantParams(chain, { jwk: W.C.publicJwk }), options({ client: { id: 'client-b' } })), 'invalid_grant', 'requester_mismatch');
  });

  test('a requested scope beyond the chain is invalid_scope', async () => {
    const params = grantParams(await W.chainToB({ scope: 'read' }), { jwk: W.C.publicJwk }, { scope: 'read admin' });
    expectError(await processDeferredBindingRequest(params, options()), 'invalid_scope', 'scope_exceeded');
  });

  test('an expired chain is invalid_grant', async () => {
    const now = nowSeconds();
    const chain = await W.chainToB({ iat: now - 600, exp: now - 300 });
    expectError(await processDeferredBindingRequest(grantParams(chain, { jwk: W.C.publicJwk }), options()), 'invalid_grant', 'expired');
  });

  test('a chain still inside the clock tolerance but past its exp leaves no token lifetime: invalid_grant', async () => {
    const now = nowSeconds();
    const chain = await W.chainToB({ iat: now - 100, exp: now - 5 });
    expectError(await processDeferredBindingRequest(grantParams(chain, { jwk: W.C.publicJwk }), options()), 'invalid_grant', 'expired');
  });
});

describe('processDeferredBindingRequest: token exchange profile', () => {
  const exchange = async (extra: Record<string, string>, drop: string[] = []): Promise<URLSearchParams> => {
    const params = new URLSearchParams({
      grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
      subject_token: serializeChain(await W.chainToB()),
      subject_token_type: TMB_CHAIN_TOKEN_TYPE,
      tmb: JSON.stringify({ jwk: W.C.publicJwk }),
      ...extra,
    });
    for (const name of drop) params.delete(name);
    return params;
  };

  test('an unacceptable subject_token is invalid_request (RFC 8693 §2.2.2), not invalid_grant', async () => {
    const params = await exchange({});
    params.set('tmb', JSON.stringify({ jwk: W.B.publicJwk }));
    expectError(await processDeferredBindingRequest(params, options()), 'invalid_request', 'tmb_mismatch');
    expectError(await processDeferredBindingRequest(await exchange({}), options({ client: { id: 'client-z' } })), 'invalid_request', 'requester_mismatch');
  });

  test('the chain travels only as subject_token of the chain token type', async () => {
    expectError(await processDeferredBindingRequest(await exchange({}, ['subject_token']), options()), 'invalid_request', 'request_invalid');
    expectError(await processDeferredBindingRequest(await exchange({ subject_token_type: 'urn:ietf:params:oauth:token-type:jwt' }), options()), 'invalid_request', 'request_invalid');
    expectError(await processDeferredBindingRequest(await exchange({ actor_token: 'x', actor_token_type: TMB_CHAIN_TOKEN_TYPE }), options()), 'invalid_request', 'request_invalid');
    expectError(await processDeferredBindingRequest(await exchange({ tmb_proof: 'x.y.z' }), options()), 'invalid_request', 'request_invalid');
    expectError(await processDeferredBindingRequest(await exchange({ requested_token_type: 'urn:ietf:params:oauth:token-type:id_token' }), options()), 'invalid_request', 'request_invalid');
  });

  test('a scope beyond the chain stays invalid_scope', async () => {
    const params = await exchange({ scope: 'admin' });
    expectError(await processDeferredBindingRequest(params, options()), 'invalid_scope', 'scope_exceeded');
  });
});

describe('processDeferredBindingRequest: replay', () => {
  test('a chain is redeemed once; the replay is invalid_grant "replayed"', async () => {
    const replayStore = new MemoryReplayStore();
    const params = grantParams(await W.chainToB(), { jwk: W.C.publicJwk });
    assert.ok((await processDeferredBindingRequest(params, options({ replayStore }))).ok);
    expectError(await processDeferredBindingRequest(params, options({ replayStore })), 'invalid_grant', 'replayed');
  });

  test('a failed request burns nothing: the legitimate requester can still redeem', async () => {
    const replayStore = new MemoryReplayStore();
    const params = grantParams(await W.chainToB(), { jwk: W.C.publicJwk });
    expectError(await processDeferredBindingRequest(params, options({ replayStore, client: { id: 'eavesdropper' } })), 'invalid_grant', 'requester_mismatch');
    assert.equal(replayStore.size, 0);
    assert.ok((await processDeferredBindingRequest(params, options({ replayStore }))).ok);
  });

  test('last-link policy: two branches from one root link both redeem; every-link: only the first', async () => {
    const root = await W.chainToB({ depth: 1 });
    const branch = (sub: string) => delegate(root, { delegate: { sub, cnf: { jwk: W.B2.publicJwk } } }, { privateKey: W.B.privateJwk, alg: 'ES256' });
    const [one, two] = [await branch('client-b2'), await branch('client-b3')];

    const lastLink = new MemoryReplayStore();
    assert.ok((await processDeferredBindingRequest(grantParams(one, { jwk: W.C.publicJwk }), options({ replayStore: lastLink, client: { id: 'client-b2', jkt: W.B2.jkt } }))).ok);
    assert.ok((await processDeferredBindingRequest(grantParams(two, { jwk: W.C.publicJwk }), options({ replayStore: lastLink, client: { id: 'client-b3', jkt: W.B2.jkt } }))).ok);

    const everyLink = new MemoryReplayStore();
    const strict = { replayStore: everyLink, replayPolicy: 'every-link' as const };
    assert.ok((await processDeferredBindingRequest(grantParams(one, { jwk: W.C.publicJwk }), options({ ...strict, client: { id: 'client-b2', jkt: W.B2.jkt } }))).ok);
    expectError(await processDeferredBindingRequest(grantParams(two, { jwk: W.C.publicJwk }), options({ ...strict, client: { id: 'client-b3', jkt: W.B2.jkt } })), 'invalid_grant', 'replayed');
  });

  test('link jtis are namespaced by issuer: equal jtis from different issuers do not collide', async () => {
    const replayStore = new MemoryReplayStore();
    const root = await W.chainToB({ jti: 'same' });
    const onward = await delegate(await W.chainToB({ jti: 'other' }), { delegate: { sub: 'client-b2', cnf: { jwk: W.B2.publicJwk } }, jti: 'same' }, { privateKey: W.B.privateJwk, alg: 'ES256' });
    assert.ok((await processDeferredBindingRequest(grantParams(root, { jwk: W.C.publicJwk }), options({ replayStore }))).ok);
    assert.ok((await processDeferredBindingRequest(grantParams(onward, { jwk: W.C.publicJwk }), options({ replayStore, client: { id: 'client-b2', jkt: W.B2.jkt } }))).ok);
  });

  test('the same jti from the same issuer in a different chain is a replay', async () => {
    const replayStore = new MemoryReplayStore();
    const first = await W.chainToB({ jti: 'fixed' });
    const second = await W.chainToB({ jti: 'fixed', scope: 'read' });
    assert.ok((await processDeferredBindingRequest(grantParams(first, { jwk: W.C.publicJwk }), options({ replayStore }))).ok);
    expectError(await processDeferredBindingRequest(grantParams(second, { jwk: W.C.publicJwk }), options({ replayStore })), 'invalid_grant', 'replayed');
  });

  test('entries live until the link exp plus the clock tolerance', async () => {
    const seen: { key: string; expiresAt: number }[] = [];
    const replayStore: ReplayStore = { consume: async (key, expiresAt) => (seen.push({ key, expiresAt }), true) };
    const chain = await W.chainToB();
    const outcome = await processDeferredBindingRequest(grantParams(chain, { jwk: W.C.publicJwk }), options({ replayStore }));
    assert.ok(outcome.ok);
    const exp = outcome.chain.links[0]?.claims.exp as number;
    assert.equal(seen.length, 2, 'the last link jti and the chain hash');
    assert.ok(seen[0]?.key.startsWith('jti:'));
    assert.ok(seen[1]?.key.startsWith('chain:'));
    for (const entry of seen) assert.equal(entry.expiresAt, exp + W.verifier.trust.clockToleranceSeconds);
  });
});

describe('processDeferredBindingRequest: failures never throw and never leak', () => {
  test('a replay store outage is server_error (500), fail closed, with no detail', async () => {
    const replayStore: ReplayStore = {
      consume: async () => {
        throw new TransitiveProofError('replay_store_unavailable', 'redis at 10.0.0.7 refused');
      },
    };
    const outcome = await processDeferredBindingRequest(grantParams(await W.chainToB(), { jwk: W.C.publicJwk }), options({ replayStore }));
    expectError(outcome, 'server_error', 'replay_store_unavailable', 500);
    assert.ok(!outcome.ok && !outcome.error.error_description.includes('10.0.0.7'));
  });

  test('error_description (§8.6): each code point outside the set one ?, " and \\ as \' and /, cut to 300 characters ending in ...', async () => {
    // The requester's id and the last delegate are echoed (quoted) in the requester_mismatch message, which then runs past the bound.
    const id = `\u{1F600}"\\\u00E9${'x'.repeat(200)}`;
    const chain = await delegate(await W.chainToB(), { delegate: { sub: 'y'.repeat(200), cnf: { jwk: W.B2.publicJwk } } }, { privateKey: W.B.privateJwk, alg: 'ES256' });
    const outcome = await processDeferredBindingRequest(grantParams(chain, { jwk: W.C.publicJwk }), options({ client: { id, jkt: W.B2.jkt } }));
    expectError(outcome, 'invalid_grant', 'requester_mismatch');
    const description = outcome.ok ? '' : outcome.error.error_description;
    assert.equal(description.length, 300, 'at most 300 characters, the ellipsis included');
    assert.ok(description.startsWith('requester_mismatch: '));
    assert.ok(description.endsWith('y...'), 'the first 297 characters, then three full stops');
    assert.ok(description.includes(`'?/'//?x`), 'one ? for the astral code point and one for U+00E9; " as \' and \\ as /');
  });

  test('an unexpected error is server_error with a generic description', async () => {
    const verifier = { ...W.verifier, verify: async () => { throw new Error('secret internal detail'); } };
    const outcome = await processDeferredBindingRequest(grantParams(await W.chainToB(), { jwk: W.C.publicJwk }), options({ verifier }));
    expectError(outcome, 'server_error', undefined, 500);
    assert.ok(!outcome.ok && !outcome.error.error_description.includes('secret'));
  });

  test('garbage parameters give an OAuth error, not an exception', async () => {
    for (const input of [null, 42, 'text', ['a']] as unknown[]) {
      const outcome = await processDeferredBindingRequest(input as URLSearchParams, options());
      assert.equal(outcome.ok, false);
    }
  });
});

describe('processDeferredBindingRequest: the target steps (§8.3 steps 9-10) come before replay', () => {
  test('a target refused by resolveTarget leaves the chain unconsumed', async () => {
    const store = new MemoryReplayStore();
    const params = grantParams(await W.chainToB(), { jwk: W.C.publicJwk });
    const refused = await processDeferredBindingRequest(params, options({ replayStore: store, resolveTarget: () => undefined }));
    expectError(refused, 'invalid_target', 'target_invalid');
    assert.equal(refused.ok ? undefined : refused.step, '9');
    assert.equal(store.size, 0, 'nothing consumed');
    assert.ok((await processDeferredBindingRequest(params, options({ replayStore: store }))).ok);
  });

  test('a resource server that knows none of the granted scope: scope_exceeded (invalid_scope) at step 10, nothing consumed', async () => {
    const store = new MemoryReplayStore();
    const outcome = await processDeferredBindingRequest(grantParams(await W.chainToB(), { jwk: W.C.publicJwk }), options({ replayStore: store, resolveTarget: () => ({ identifier: 'https://rs.test', scope: 'other' }) }));
    expectError(outcome, 'invalid_scope', 'scope_exceeded');
    assert.equal(outcome.ok ? undefined : outcome.step, '10');
    assert.equal(store.size, 0);
  });

  test('the scope is narrowed to the tokens the resource server knows; aud is its identifier', async () => {
    const narrowed = await processDeferredBindingRequest(grantParams(await W.chainToB(), { jwk: W.C.publicJwk }), options({ resolveTarget: () => ({ identifier: 'https://rs.test', scope: 'read other' }) }));
    assert.ok(narrowed.ok);
    assert.equal(narrowed.claims.scope, 'read');
    assert.equal(narrowed.claims.aud, 'https://rs.test');
  });

  test('a resolver that answers for another resource than the one requested: target_invalid', async () => {
    const outcome = await processDeferredBindingRequest(grantParams(await W.chainToB(), { jwk: W.C.publicJwk }, { resource: 'https://rs.test' }), options({ resolveTarget: () => ({ identifier: 'https://elsewhere.test' }) }));
    expectError(outcome, 'invalid_target', 'target_invalid');
  });
});

describe('tokenErrorResponse', () => {
  test('a 401 carries a Basic challenge for the AS realm (RFC 6749 §5.2); a 400 none', async () => {
    const unauthenticated = await processDeferredBindingRequest(grantParams(await W.chainToB(), { jwk: W.C.publicJwk }), options({ client: undefined }));
    assert.ok(!unauthenticated.ok);
    const response = tokenErrorResponse(unauthenticated, ISSUER);
    assert.equal(response.status, 401);
    assert.equal(response.headers['www-authenticate'], `Basic realm="${ISSUER}"`);
    const bad = await processDeferredBindingRequest(new URLSearchParams({ grant_type: 'urn:transitive-proof:grant-type:deferred-binding' }), options());
    assert.ok(!bad.ok);
    assert.equal(tokenErrorResponse(bad, ISSUER).headers['www-authenticate'], undefined);
  });
});
