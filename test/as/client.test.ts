import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDeferredBindingRequest, serializeChain } from '../../lib/index.js';
import { processDeferredBindingRequest } from '../../lib/as/index.js';
import { MemoryReplayStore, DEFERRED_BINDING_GRANT_TYPE, TOKEN_EXCHANGE_GRANT_TYPE, TMB_CHAIN_TOKEN_TYPE } from '../../lib/as/index.js';
import { ISSUER, world } from './fixtures.js';

const W = await world();

describe('buildDeferredBindingRequest', () => {
  test('plain profile: grant type, tmb as JSON text (default: the chain tmb), tmb_proof compact', async () => {
    const chain = await W.chainToB();
    const { params, fields } = buildDeferredBindingRequest({ chain, scope: 'read', resource: ['https://rs.test'] });
    assert.equal(params.get('grant_type'), DEFERRED_BINDING_GRANT_TYPE);
    assert.deepEqual(JSON.parse(params.get('tmb') as string), { jwk: W.C.publicJwk });
    assert.equal(params.get('tmb_proof'), serializeChain(chain));
    assert.equal(params.get('scope'), 'read');
    assert.deepEqual(params.getAll('resource'), ['https://rs.test']);
    assert.equal(fields.grant_type, DEFERRED_BINDING_GRANT_TYPE);
  });

  test('an explicit tmb is sent as given', async () => {
    const { params } = buildDeferredBindingRequest({ chain: await W.chainToB(), tmb: { jkt: W.C.jkt } });
    assert.equal(params.get('tmb'), JSON.stringify({ jkt: W.C.jkt }));
  });

  test('token exchange profile: the chain is the subject_token of the chain token type', async () => {
    const chain = await W.chainToB();
    const { params } = buildDeferredBindingRequest({ chain: serializeChain(chain), profile: 'token_exchange', audience: 'https://rs.test' });
    assert.equal(params.get('grant_type'), TOKEN_EXCHANGE_GRANT_TYPE);
    assert.equal(params.get('subject_token'), serializeChain(chain));
    assert.equal(params.get('subject_token_type'), TMB_CHAIN_TOKEN_TYPE);
    assert.equal(params.has('tmb_proof'), false);
    assert.equal(params.has('actor_token'), false);
    assert.deepEqual(params.getAll('audience'), ['https://rs.test']);
  });

  test('audience outside token exchange is a usage error', async () => {
    const chain = await W.chainToB();
    assert.throws(() => buildDeferredBindingRequest({ chain, audience: 'x' }), { code: 'invalid_argument', message: /token-exchange/ });
  });

  for (const profile of ['grant', 'client_credentials', 'token_exchange'] as const) {
    test(`what the client builds, the AS accepts (${profile})`, async () => {
      const { params } = buildDeferredBindingRequest({ chain: await W.chainToB(), profile });
      const outcome = await processDeferredBindingRequest(params, { client: { id: 'client-b', jkt: W.B.jkt }, issuer: ISSUER, verifier: W.verifier, replayStore: new MemoryReplayStore() });
      assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.error));
      assert.equal(outcome.profile, profile);
    });
  }
});
