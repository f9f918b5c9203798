/**
 * The resource server's view of a deferred binding: a token whose `cnf` is the `jwk` copied from
 * `tmb` (draft-richer-oauth-tmb-claim) is checked against the DPoP key like a `jkt`, and the
 * deferred-binding record (SPEC-NOTES §8.4.1) is returned, or refused when malformed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, jwkThumbprint } from '../../lib/index.js';
import { createDpopProof, DEFERRED_BINDING_CLAIM, MemoryReplayStore, readDeferredBindingRecord, verifyDpopPresentation } from '../../lib/as/index.js';

const once = () => ({ replayStore: new MemoryReplayStore() });

const key = await generateKeyPair('ES256');
const other = await generateKeyPair('ES256');
const TOKEN = 'opaque-token-value';
const HTU = 'https://rs.test/api/data';
const record = { root: { kind: 'issuer', iss: 'https://authority.test' }, chain_sha256: 'A'.repeat(43), links: 2, format: 'jwt', disclosure: 'full', omitted: 0 };
const act = { sub: 'client-b2', act: { sub: 'client-b' } };

async function presentation(signer = key) {
  return {
    authorization: `DPoP ${TOKEN}`,
    dpop: await createDpopProof({ privateKey: signer.privateJwk, alg: 'ES256', htm: 'GET', htu: HTU, accessToken: TOKEN }),
    method: 'GET',
    url: HTU,
  };
}

const isInvalidToken = (error: unknown): boolean => (error as { code?: string }).code === 'access_token_invalid';

describe('verifyDpopPresentation with a deferred binding', () => {
  test('a cnf jwk (tmb copied) binds the token to that key', async () => {
    const verified = await verifyDpopPresentation(await presentation(), { cnf: { jwk: key.publicJwk } }, once());
    assert.equal(verified.jkt, await jwkThumbprint(key.publicJwk));
    assert.equal(verified.deferredBinding, undefined);
  });

  test('a cnf jwk refuses a proof by another key', async () => {
    await assert.rejects(verifyDpopPresentation(await presentation(other), { cnf: { jwk: key.publicJwk } }, once()), { reason: 'key_mismatch' });
  });

  test('cnf with two members, a private jwk, or a certificate thumbprint is not a DPoP binding', async () => {
    const jkt = await jwkThumbprint(key.publicJwk);
    await assert.rejects(verifyDpopPresentation(await presentation(), { cnf: { jkt, jwk: key.publicJwk } }, once()), isInvalidToken);
    await assert.rejects(verifyDpopPresentation(await presentation(), { cnf: { jwk: key.privateJwk } }, once()), isInvalidToken);
    await assert.rejects(verifyDpopPresentation(await presentation(), { cnf: { 'x5t#S256': jkt } }, once()), isInvalidToken);
  });

  test('returns the record of a deferred binding and the delegates its act names', async () => {
    const verified = await verifyDpopPresentation(await presentation(), { cnf: { jwk: key.publicJwk }, act, client_id: 'client-b2', [DEFERRED_BINDING_CLAIM]: record }, once());
    assert.deepEqual(verified.deferredBinding, record);
    assert.deepEqual(verified.actors, ['client-b', 'client-b2']);
  });

  test('a record whose act does not match its profile fails closed (SPEC-NOTES §8.4.2)', async () => {
    const actorOnly = { ...record, disclosure: 'actor-only', links: undefined, omitted: undefined };
    await assert.rejects(verifyDpopPresentation(await presentation(), { cnf: { jwk: key.publicJwk }, act, [DEFERRED_BINDING_CLAIM]: JSON.parse(JSON.stringify(actorOnly)) }, once()), isInvalidToken);
    await assert.rejects(verifyDpopPresentation(await presentation(), { cnf: { jwk: key.publicJwk }, [DEFERRED_BINDING_CLAIM]: record }, once()), isInvalidToken);
  });

  test('a malformed record fails closed', async () => {
    for (const bad of [{ ...record, links: 0 }, { ...record, root: { kind: 'delegate', iss: 'x' } }, { ...record, extra: 1 }, { ...record, disclosure: 'none' }, 'deferred', null]) {
      await assert.rejects(verifyDpopPresentation(await presentation(), { cnf: { jwk: key.publicJwk }, act, [DEFERRED_BINDING_CLAIM]: bad }, once()), isInvalidToken, JSON.stringify(bad));
    }
  });
});

describe('readDeferredBindingRecord', () => {
  test('no claim: not a deferred binding', () => {
    assert.equal(readDeferredBindingRecord({ cnf: { jkt: 'x' } }), undefined);
  });

  test('an inherited member is not the claim', () => {
    const claims = Object.create({ [DEFERRED_BINDING_CLAIM]: record }) as Record<string, unknown>;
    assert.equal(readDeferredBindingRecord(claims), undefined);
  });
});
