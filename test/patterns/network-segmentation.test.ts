/**
 * Pattern 5, network segmentation (examples/patterns/network-segmentation): a device's CBOR link,
 * redeemed by its gateway at the example oidc-provider AS, the device presenting with DPoP.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { DEFERRED_BINDING_CLAIM } from '../../lib/as/index.js';
import { setup, tamperScope, DEVICE, type SegmentationScene } from '../../examples/patterns/network-segmentation/index.js';
import { holderOf } from '../../examples/patterns/support.js';
import { assertIssued, assertRefused } from './support.js';

let scene: SegmentationScene;
before(async () => {
  scene = await setup();
});
after(async () => scene?.world.close());

describe('network segmentation: a CBOR link from a constrained device', () => {
  test('the link is a COSE_Sign1 (tag 18), smaller than the same link as a JWT', async () => {
    const cbor = await scene.deviceLink();
    const link = cbor.links[0] as Uint8Array;
    assert.equal(cbor.format, 'cwt');
    assert.equal(link[0], 0xd2, 'CBOR tag 18');
    assert.ok(link.length < ((await scene.deviceLink({ format: 'jwt' })).links[0] as Uint8Array).length);
  });

  test('the gateway redeems it; the token is bound to the device key and recorded as a CBOR holder-root binding', async () => {
    const token = assertIssued(await scene.world.redeem(scene.gateway, { chain: await scene.deviceLink() }));
    const claims = decodeJwt(token);
    assert.equal(claims.sub, DEVICE);
    assert.deepEqual(claims.cnf, { jkt: scene.device.jkt });
    assert.deepEqual(claims.act, { sub: scene.gateway.id });
    const record = claims[DEFERRED_BINDING_CLAIM] as { root: unknown; format: string };
    assert.deepEqual(record.root, { kind: 'holder', iss: DEVICE });
    assert.equal(record.format, 'cwt');
    const served = await scene.world.present(token, holderOf(scene.device));
    assert.equal(served.status, 200, JSON.stringify(served.body));
    const byGateway = await scene.world.present(token, holderOf(scene.gateway));
    assert.equal(byGateway.status, 401);
    assert.equal(byGateway.body.error, 'invalid_dpop_proof');
  });

  test('a gateway that edits the signed CBOR payload: link_signature_invalid', async () => {
    assertRefused(await scene.world.redeem(scene.gateway, { chain: tamperScope(await scene.deviceLink(), 'telemetry:admin') }), 'invalid_grant', 'link_signature_invalid');
  });

  test("a device that was not enrolled with that identifier's key: untrusted_root", async () => {
    assertRefused(await scene.world.redeem(scene.gateway, { chain: await scene.deviceLink({ from: scene.rogue }) }), 'invalid_grant', 'untrusted_root');
  });

  test('another gateway cannot redeem the device chain', async () => {
    assertRefused(await scene.world.redeem(scene.otherGateway, { chain: await scene.deviceLink() }), 'invalid_grant', 'requester_mismatch');
  });

  test('the chain is redeemed once', async () => {
    const chain = await scene.deviceLink();
    assertIssued(await scene.world.redeem(scene.gateway, { chain }));
    assertRefused(await scene.world.redeem(scene.gateway, { chain }), 'invalid_grant', 'replayed');
  });
});
