/**
 * Valid chains pass, for 1, 2 and 3 links and for each available root kind, and the result carries
 * what the authorization server needs (SPEC-NOTES.md §6.3): cnf, sub, nested act, scope, notAfter,
 * root. Expected values come from the inputs the fixtures chose, not from the code under test.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Actor, createVerifier, jwkThumbprint } from '../../lib/index.js';
import {
  buildChain,
  contextFor,
  delegateOf,
  LINK_EXPS,
  LINK_SCOPES,
  makeParties,
  makeParty,
  schemaValidator,
  SUBJECT,
  trustFor,
  verifyStandard,
  type RootKind,
} from '../helpers/fixtures.js';
import { ALL_PARTS } from '../helpers/parts.js';

const p = await makeParties();

/** The act claim expected for a chain of `length` links, written out by hand. */
function expectedAct(length: number): Actor {
  if (length === 1) return { sub: p.B.id };
  if (length === 2) return { sub: p.B2.id, act: { sub: p.B.id } };
  return { sub: p.B3.id, act: { sub: p.B2.id, act: { sub: p.B.id } } };
}

for (const root of ['issuer', 'holder'] as const satisfies readonly RootKind[]) {
  describe(`valid chains, ${root} root`, () => {
    for (const length of [1, 2, 3]) {
      test(`${length} link(s) verify and the result is complete`, async () => {
        const chain = await buildChain(p, { root, length });
        const result = await verifyStandard(p, chain, { root, length });

        assert.deepEqual(result.cnf, { jwk: p.C.publicJwk }, 'cnf is the tmb chosen for the chain');
        assert.equal(result.sub, root === 'issuer' ? SUBJECT : p.C.id);
        assert.deepEqual(result.act, expectedAct(length), 'nested act, current actor outermost');
        assert.equal(result.scope, LINK_SCOPES[length - 1], 'no scope requested: the last link grants it');
        assert.equal(result.notAfter, Math.min(...LINK_EXPS.slice(0, length)));
        assert.deepEqual(result.root, { kind: root, iss: root === 'issuer' ? p.A.id : p.C.id });
        assert.equal(result.format, 'jwt');
        assert.equal(result.links.length, length);
        assert.deepEqual(result.links.map((link) => link.signer.kind), Array.from({ length }, (_, i) => (i === 0 ? root : 'delegate')));
        assert.deepEqual(result.links.map((link) => link.index), Array.from({ length }, (_, i) => i));
        // The published result schema describes the JSON form (what `tproof verify --json` prints).
        const validate = schemaValidator('verify-result.schema.json');
        assert.ok(validate(JSON.parse(JSON.stringify(result))), JSON.stringify(validate.errors));
      });
    }

    test('a requested scope within the last link is granted as requested', async () => {
      const chain = await buildChain(p, { root, length: 2 });
      const result = await verifyStandard(p, chain, { root, context: { scope: 'write' } });
      assert.equal(result.scope, 'write');
    });

    test('a requested tmb equal to the chain tmb (and requester key evidence) passes', async () => {
      const chain = await buildChain(p, { root, length: 2 });
      const result = await verifyStandard(p, chain, {
        root,
        context: { tmb: { jwk: p.C.publicJwk }, requester: { id: p.B2.id, jkt: p.B2.jkt } },
        options: { requireRequesterKey: true },
      });
      assert.equal(result.act.sub, p.B2.id);
    });
  });
}

describe('issuer root key selection', () => {
  test('the header kid selects the issuer key: a link signed by the second key with its kid passes', async () => {
    const chain = await buildChain(p, { length: 1, signer: () => p.A2.signer });
    const result = await verifyStandard(p, chain);
    assert.equal(result.links[0]?.header.kid, 'a2');
    assert.deepEqual(result.root, { kind: 'issuer', iss: p.A.id });
  });

  test('without a kid every key of the issuer is tried', async () => {
    const chain = await buildChain(p, { length: 1, signer: () => ({ privateKey: p.A2.privateJwk, alg: 'EdDSA' }) });
    const result = await verifyStandard(p, chain);
    assert.equal(result.links[0]?.header.kid, undefined);
    assert.equal(result.root.kind, 'issuer');
  });
});

describe('verifier reuse and key types', () => {
  test('one compiled verifier verifies chains of both root kinds', async () => {
    const verifier = await createVerifier({ roots: [...trustFor(p, 'issuer').roots, ...trustFor(p, 'holder').roots] }, ALL_PARTS);
    for (const root of ['issuer', 'holder'] as const) {
      const chain = await buildChain(p, { root, length: 2 });
      const result = await verifier.verify(chain, contextFor(p, 2));
      assert.equal(result.root.kind, root);
    }
  });

  test('delegates with ES256, ES384 and PS256 keys verify', async () => {
    const e256 = await makeParty('https://e256.example', 'ES256');
    const e384 = await makeParty('https://e384.example', 'ES384');
    const rsa = await makeParty('https://rsa.example', 'PS256');
    const delegates = [e256, e384, rsa];
    const chain = await buildChain(p, {
      length: 3,
      input: (i, input) => ({ ...input, ...(i > 0 ? { iss: delegates[i - 1]?.id ?? '' } : {}), delegate: { sub: delegates[i]?.id ?? '', cnf: delegates[i]?.cnf ?? p.B.cnf } }),
      signer: (i, signer) => (i === 0 ? signer : (delegates[i - 1]?.signer ?? signer)),
    });
    const result = await verifyStandard(p, chain, { context: { requester: { id: rsa.id, jkt: await jwkThumbprint(rsa.publicJwk) } } });
    assert.deepEqual(result.act, { sub: rsa.id, act: { sub: e384.id, act: { sub: e256.id } } });
  });

  test('the last delegate named by jkt only needs no configured key (it signs nothing)', async () => {
    const chain = await buildChain(p, { length: 1, input: (_, input) => ({ ...input, delegate: { sub: p.B.id, cnf: { jkt: p.B.jkt } } }) });
    const result = await verifyStandard(p, chain, { context: { requester: { id: p.B.id, jkt: p.B.jkt } }, options: { requireRequesterKey: true } });
    assert.deepEqual(result.act, { sub: delegateOf(p, 0).id });
  });
});
