/**
 * Pattern 4, cross trust domain (examples/patterns/cross-domain): B's AS (the example oidc-provider)
 * issues a token bound to a key in domain A on the word of A's issuer root, and refuses the rest.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { DEFERRED_BINDING_CLAIM } from '../../lib/as/index.js';
import { setup, DOMAIN_A_STS, DOMAIN_B_STS, WORKLOAD, type CrossDomainScene } from '../../examples/patterns/cross-domain/index.js';
import { holderOf } from '../../examples/patterns/support.js';
import { assertIssued, assertRefused } from './support.js';

let scene: CrossDomainScene;
before(async () => {
  scene = await setup();
});
after(async () => scene?.world.close());

describe('cross trust domain', () => {
  test("B's AS issues a token for A's workload bound to its key; the workload presents it at B's RS", async () => {
    const token = assertIssued(await scene.world.redeem(scene.federation, { chain: await scene.link() }));
    const claims = decodeJwt(token);
    assert.equal(claims.sub, WORKLOAD);
    assert.equal(claims.iss, scene.world.as.issuer);
    assert.deepEqual(claims.cnf, { jwk: scene.workload.publicJwk });
    assert.deepEqual((claims[DEFERRED_BINDING_CLAIM] as { root: unknown }).root, { kind: 'issuer', iss: DOMAIN_A_STS });
    const served = await scene.world.present(token, holderOf(scene.workload));
    assert.equal(served.status, 200, JSON.stringify(served.body));
    const byFederation = await scene.world.present(token, holderOf(scene.federation));
    assert.equal(byFederation.status, 401);
    assert.equal(byFederation.body.error, 'invalid_dpop_proof');
  });

  test('a domain whose token service is not configured: untrusted_root', async () => {
    assertRefused(await scene.world.redeem(scene.federation, { chain: await scene.link({ from: scene.stsC }) }), 'invalid_grant', 'untrusted_root');
  });

  test("domain A's root vouches for domain A's subjects only: subject_mismatch", async () => {
    assertRefused(await scene.world.redeem(scene.federation, { chain: await scene.link({ sub: 'spiffe://b.example/admin' }) }), 'invalid_grant', 'subject_mismatch');
  });

  test("domain A cannot speak as domain B's token service", async () => {
    assertRefused(await scene.world.redeem(scene.federation, { chain: await scene.link({ iss: DOMAIN_B_STS }) }), 'invalid_grant', 'link_signature_invalid');
  });

  test("a link written for domain A's own AS is not accepted by B's", async () => {
    assertRefused(await scene.world.redeem(scene.federation, { chain: await scene.link({ aud: 'https://as.a.example' }) }), 'invalid_grant', 'audience_mismatch');
  });

  test('the federation client cannot have the token bound to another key', async () => {
    assertRefused(await scene.world.redeem(scene.federation, { chain: await scene.link(), tmb: { jwk: scene.federation.publicJwk } }), 'invalid_grant', 'tmb_mismatch');
  });

  test('a link is redeemed once', async () => {
    const chain = await scene.link();
    assertIssued(await scene.world.redeem(scene.federation, { chain }));
    assertRefused(await scene.world.redeem(scene.federation, { chain }), 'invalid_grant', 'replayed');
  });
});
