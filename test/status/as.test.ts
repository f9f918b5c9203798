/**
 * The AS (SPEC-NOTES.md §8.3 step 6 runs §6.2 through step 17a): a chain with a withdrawn link is
 * refused with link_revoked as invalid_grant, in both encodings, and consumes nothing (step 17a
 * runs before replay, step 18), so it is redeemable once reinstated.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier, linkHash, serializeChain, startChain, type LinkFormat } from '../../lib/index.js';
import { MemoryRevocationStore } from '../../lib/status/index.js';
import { processDeferredBindingRequest } from '../../lib/as/index.js';
import { MemoryReplayStore } from '../../lib/as/index.js';
import { NOW, NOW_S, makeParties } from '../helpers/fixtures.js';
import { LIST_URI, listToken, makeStatusIssuer, statusConfig } from './support.js';
import { ALL_PARTS } from '../helpers/parts.js';

const p = await makeParties();
const S = await makeStatusIssuer();
const GRANT = 'urn:transitive-proof:grant-type:deferred-binding';

for (const format of ['jwt', 'cwt'] as LinkFormat[]) {
  describe(`the AS refuses withdrawn links (${format})`, () => {
    test('status entry INVALID: invalid_grant with link_revoked; reinstated: redeemed; nothing consumed in between', async () => {
      let entries: Record<number, number> = { 2: 1 };
      const verifier = await createVerifier(
        { roots: [{ type: 'issuer', iss: p.A.id, jwks: { keys: [p.A.publicJwk] } }], status: statusConfig(S, { maxCacheSeconds: 0 }) },
        { ...ALL_PARTS, fetch: async () => new Response(await listToken(S, { format, entries }), { status: 200 }) },
      );
      const chain = await startChain({ iss: p.A.id, sub: 'user-42', aud: 'https://as.example', scope: 'read', tmb: p.C.cnf, delegate: { sub: p.B.id, cnf: p.B.cnf }, iat: NOW_S - 5, exp: NOW_S + 300, status: { status_list: { idx: 2, uri: LIST_URI } } }, p.A.signer, { ...ALL_PARTS, format, now: NOW });
      const replayStore = new MemoryReplayStore({ clock: () => NOW });
      const request = () => processDeferredBindingRequest(
        { grant_type: GRANT, tmb: JSON.stringify(p.C.cnf), tmb_proof: serializeChain(chain, ALL_PARTS) },
        { client: { id: p.B.id, jkt: p.B.jkt }, issuer: 'https://as.example', verifier, replayStore, now: NOW },
      );
      const refused = await request();
      assert.equal(refused.ok, false);
      if (!refused.ok) {
        assert.equal(refused.code, 'link_revoked');
        assert.equal(refused.error.error, 'invalid_grant');
      }
      entries = {};
      assert.equal((await request()).ok, true, 'the refused request consumed nothing');
    });

    test('a link revoked by hash: invalid_grant with link_revoked', async () => {
      const revocationStore = new MemoryRevocationStore({ clock: () => NOW });
      const verifier = await createVerifier({ roots: [{ type: 'issuer', iss: p.A.id, jwks: { keys: [p.A.publicJwk] } }] }, { ...ALL_PARTS, revocationStore });
      const chain = await startChain({ iss: p.A.id, sub: 'user-42', aud: 'https://as.example', scope: 'read', tmb: p.C.cnf, delegate: { sub: p.B.id, cnf: p.B.cnf }, iat: NOW_S - 5, exp: NOW_S + 300 }, p.A.signer, { ...ALL_PARTS, format, now: NOW });
      await revocationStore.revoke(await linkHash(chain.links[0] as Uint8Array), NOW_S + 330);
      const outcome = await processDeferredBindingRequest(
        { grant_type: GRANT, tmb: JSON.stringify(p.C.cnf), tmb_proof: serializeChain(chain, ALL_PARTS) },
        { client: { id: p.B.id, jkt: p.B.jkt }, issuer: 'https://as.example', verifier, replayStore: new MemoryReplayStore({ clock: () => NOW }), now: NOW },
      );
      assert.equal(outcome.ok, false);
      if (!outcome.ok) assert.deepEqual([outcome.code, outcome.status, outcome.error.error], ['link_revoked', 400, 'invalid_grant']);
    });
  });
}
