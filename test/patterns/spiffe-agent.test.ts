/**
 * Pattern 1, SPIFFE agent (examples/patterns/spiffe-agent): an X.509-SVID signs link 0 for a key
 * the agent generated for a workload; the agent redeems at the example oidc-provider AS; the
 * workload presents with DPoP.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { createCertificateAuthority } from '../../lib/x509/issue.js';
import { DEFERRED_BINDING_CLAIM } from '../../lib/as/index.js';
import { setup, AGENT_ID, OTHER_NODE_WORKLOAD_ID, WORKLOAD_ID, type SpiffeScene } from '../../examples/patterns/spiffe-agent/index.js';
import { holderOf } from '../../examples/patterns/support.js';
import { assertIssued, assertRefused } from './support.js';

let scene: SpiffeScene;
before(async () => {
  scene = await setup();
});
after(async () => scene?.world.close());

describe('SPIFFE agent', () => {
  test('the agent redeems a token bound to the workload key; the workload presents it, the agent cannot', async () => {
    const token = assertIssued(await scene.world.redeem(scene.agent, { chain: await scene.agentLink() }));
    const claims = decodeJwt(token);
    assert.equal(claims.sub, WORKLOAD_ID);
    assert.deepEqual(claims.cnf, { jwk: scene.workload.publicJwk });
    assert.deepEqual(claims.act, { sub: AGENT_ID });
    assert.deepEqual((claims[DEFERRED_BINDING_CLAIM] as { root: unknown }).root, { kind: 'x509', iss: AGENT_ID });
    const served = await scene.world.present(token, holderOf(scene.workload));
    assert.equal(served.status, 200, JSON.stringify(served.body));
    const byAgent = await scene.world.present(token, holderOf(scene.agent));
    assert.equal(byAgent.status, 401);
    assert.equal(byAgent.body.error, 'invalid_dpop_proof');
  });

  test('an SVID from a CA outside the trust bundle: x5c_untrusted', async () => {
    const now = Math.floor(Date.now() / 1000);
    const rogueCa = await createCertificateAuthority({ keyAlg: 'ES256', notBefore: now - 60, notAfter: now + 3600, subject: 'CN=rogue CA' });
    const rogue = await scene.issueSvid(AGENT_ID, { issuer: rogueCa });
    assertRefused(await scene.world.redeem(scene.agent, { chain: await scene.agentLink({ svid: rogue, chainTo: [rogueCa] }) }), 'invalid_grant', 'x5c_untrusted');
  });

  test("an SVID of another trust domain under the trust domain's intermediate: not an identity the root claims", async () => {
    const iss = 'spiffe://evil.example/spire/agent/node-1';
    assertRefused(await scene.world.redeem(scene.agent, { chain: await scene.agentLink({ svid: await scene.issueSvid(iss), iss }) }), 'invalid_grant', 'untrusted_root');
  });

  test('an expired SVID: x5c_expired', async () => {
    const expired = await scene.issueSvid(AGENT_ID, { notAfter: Math.floor(Date.now() / 1000) - 600 });
    assertRefused(await scene.world.redeem(scene.agent, { chain: await scene.agentLink({ svid: expired }) }), 'invalid_grant', 'x5c_expired');
  });

  test("the agent cannot sign as another agent: not an identity the root claims", async () => {
    assertRefused(await scene.world.redeem(scene.agent, { chain: await scene.agentLink({ iss: 'spiffe://example.org/spire/agent/node-2' }) }), 'invalid_grant', 'untrusted_root');
  });

  test('the link is redeemed once', async () => {
    const chain = await scene.agentLink();
    assertIssued(await scene.world.redeem(scene.agent, { chain }));
    assertRefused(await scene.world.redeem(scene.agent, { chain }), 'invalid_grant', 'replayed');
  });

  test("the agent's authority is limited to its own node's workloads: subject_mismatch", async () => {
    assertRefused(await scene.world.redeem(scene.agent, { chain: await scene.agentLink({ sub: OTHER_NODE_WORKLOAD_ID }) }), 'invalid_grant', 'subject_mismatch');
  });
});
