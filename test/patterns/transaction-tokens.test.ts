/**
 * Pattern 3, transaction tokens (examples/patterns/transaction-tokens): gateway → orders → payments
 * → ledger against the example oidc-provider AS and DPoP resource server; a fourth service fails.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { decodeChain, type LinkClaims } from '../../lib/index.js';
import { DEFERRED_BINDING_CLAIM } from '../../lib/as/index.js';
import { forgedNextLink, setup, GATEWAY, type TransactionScene } from '../../examples/patterns/transaction-tokens/index.js';
import { holderOf } from '../../examples/patterns/support.js';
import { assertIssued, assertRefused } from './support.js';
import { ALL_PARTS } from '../helpers/parts.js';

let scene: TransactionScene;
before(async () => {
  scene = await setup();
});
after(async () => scene?.world.close());

describe('transaction tokens through three services', () => {
  test('each hop narrows scope and shortens validity', async () => {
    const links = decodeChain(await scene.transaction(), ALL_PARTS).map((link) => link.claims as unknown as LinkClaims);
    assert.deepEqual(links.map((link) => link.scope.split(' ').length), [3, 2, 1]);
    assert.ok((links[0] as LinkClaims).exp > (links[1] as LinkClaims).exp && (links[1] as LinkClaims).exp > (links[2] as LinkClaims).exp);
  });

  test('the last service redeems a token bound to its DPoP key, with every hop as an actor, and presents it', async () => {
    const chain = await scene.transaction();
    const token = assertIssued(await scene.world.redeem(scene.ledger, { chain }));
    const claims = decodeJwt(token);
    assert.equal(claims.sub, 'user:alice');
    assert.deepEqual(claims.cnf, { jwk: scene.ledgerDpop.publicJwk });
    assert.deepEqual(claims.act, { sub: 'svc-ledger', act: { sub: 'svc-payments', act: { sub: 'svc-orders' } } });
    assert.equal(claims.scope, 'ledger:append');
    assert.deepEqual((claims[DEFERRED_BINDING_CLAIM] as { root: unknown; links: number }).root, { kind: 'issuer', iss: GATEWAY });
    assert.equal((claims[DEFERRED_BINDING_CLAIM] as { links: number }).links, 3);
    const served = await scene.world.present(token, holderOf(scene.ledgerDpop));
    assert.equal(served.status, 200, JSON.stringify(served.body));
    assert.equal(served.body.sub, 'user:alice');
    // The ledger's client key is not the bound key: the token is not usable with it.
    assert.equal((await scene.world.present(token, holderOf(scene.ledger))).status, 401);
  });

  test('a fourth service that was not delegated cannot redeem the chain', async () => {
    assertRefused(await scene.world.redeem(scene.analytics, { chain: await scene.transaction() }), 'invalid_grant', 'requester_mismatch');
  });

  test('nor extend it with a link of its own', async () => {
    assertRefused(await scene.world.redeem(scene.analytics, { chain: await forgedNextLink(await scene.transaction(), scene.analytics, scene.analytics, {}) }), 'invalid_grant', 'link_signature_invalid');
  });

  test('nor be delegated to by the last service, whose link allows no further hop', async () => {
    assertRefused(await scene.world.redeem(scene.analytics, { chain: await forgedNextLink(await scene.transaction(), scene.ledger, scene.analytics, {}) }), 'invalid_grant', 'depth_exceeded');
  });

  test('nor use the issued token without the bound key', async () => {
    const token = assertIssued(await scene.world.redeem(scene.ledger, { chain: await scene.transaction() }));
    const response = await scene.world.present(token, holderOf(scene.analytics));
    assert.equal(response.status, 401);
    assert.equal(response.body.error, 'invalid_dpop_proof');
  });

  test('a service on the path cannot widen scope or validity, and the last cannot ask beyond its link', async () => {
    const chain = await scene.transaction();
    const toPayments = { format: chain.format, links: chain.links.slice(0, 2) };
    assertRefused(await scene.world.redeem(scene.ledger, { chain: await forgedNextLink(toPayments, scene.payments, scene.ledger, { scope: 'orders:write ledger:append' }) }), 'invalid_grant', 'scope_escalation');
    const parentExp = (decodeChain(toPayments, ALL_PARTS)[1]?.claims as unknown as LinkClaims).exp;
    assertRefused(await scene.world.redeem(scene.ledger, { chain: await forgedNextLink(toPayments, scene.payments, scene.ledger, { exp: parentExp + 300 }) }), 'invalid_grant', 'validity_escalation');
    assertRefused(await scene.world.redeem(scene.ledger, { chain, scope: 'payments:charge' }), 'invalid_scope', 'scope_exceeded');
  });

  test('a transaction is redeemed once', async () => {
    const chain = await scene.transaction();
    assertIssued(await scene.world.redeem(scene.ledger, { chain }));
    assertRefused(await scene.world.redeem(scene.ledger, { chain }), 'invalid_grant', 'replayed');
  });
});
