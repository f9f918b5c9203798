/**
 * Steps 6 and 7 (SPEC-NOTES.md §6.2, §5): link 0 is signed by a configured root, link i by the key
 * link i-1 committed to in may_act.cnf, and the signature verifies. Keys only ever come from the
 * trust configuration or an already verified parent.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildChain,
  flipSignatureByte,
  holderTrust,
  issuerTrust,
  makeParties,
  rejectsWith,
  verifyStandard,
  withLinks,
} from '../helpers/fixtures.js';

const p = await makeParties();
const valid2 = await buildChain(p, { length: 2 });
const valid3 = await buildChain(p, { length: 3 });

describe('step 6: root signer (untrusted_root)', () => {
  test('an issuer no root configures', async () => {
    const chain = await buildChain(p, { length: 2, input: (i, input) => (i === 0 ? { ...input, iss: p.M.id } : input), signer: (i, s) => (i === 0 ? p.M.signer : s) });
    await rejectsWith(verifyStandard(p, chain), 'untrusted_root', 0);
  });

  test('a kid that matches none of the issuer keys', async () => {
    const chain = await buildChain(p, { length: 2, signer: (i, s) => (i === 0 ? { ...p.A.signer, kid: 'a9' } : s) });
    await rejectsWith(verifyStandard(p, chain), 'untrusted_root', 0);
  });

  test('a holder root whose issuer is not listed', async () => {
    const chain = await buildChain(p, { root: 'holder', length: 2 });
    await rejectsWith(verifyStandard(p, chain, { trust: { roots: [{ type: 'holder', holders: [{ iss: 'https://someone-else.example', jkt: p.C.jkt }] }] } }), 'untrusted_root', 0);
  });

  test('a holder root naming its key by jkt: unresolved without the key, verified with it in delegateKeys', async () => {
    const chain = await buildChain(p, { root: 'holder', length: 2, input: (_, input) => ({ ...input, tmb: { jkt: p.C.jkt } }) });
    await rejectsWith(verifyStandard(p, chain, { root: 'holder' }), 'untrusted_root', 0);
    const result = await verifyStandard(p, chain, { root: 'holder', trust: holderTrust(p, { delegateKeys: { keys: [p.C.publicJwk] } }) });
    assert.deepEqual(result.cnf, { jkt: p.C.jkt });
    assert.equal(result.root.kind, 'holder');
  });

  test('an issuer root is not a holder root: a chain signed by the tmb key with an issuer-root iss fails', async () => {
    const chain = await buildChain(p, { length: 1, signer: () => p.C.signer });
    await rejectsWith(verifyStandard(p, chain, { length: 1 }), 'link_signature_invalid', 0);
  });
});

describe('step 7: signatures (link_signature_invalid)', () => {
  test('the root signed by an untrusted key that claims the trusted issuer (no kid: every issuer key is tried)', async () => {
    const chain = await buildChain(p, { length: 2, signer: (i, s) => (i === 0 ? { privateKey: p.M.privateJwk, alg: 'EdDSA' } : s) });
    await rejectsWith(verifyStandard(p, chain), 'link_signature_invalid', 0);
  });

  test('the root signed by an untrusted key under a trusted kid', async () => {
    const chain = await buildChain(p, { length: 2, signer: (i, s) => (i === 0 ? { privateKey: p.M.privateJwk, alg: 'EdDSA', kid: 'a1' } : s) });
    await rejectsWith(verifyStandard(p, chain), 'link_signature_invalid', 0);
  });

  test('the kid restricts the candidates: the second issuer key under the first key\'s kid fails', async () => {
    // Without kid selection the a2 key would be tried and verify.
    const chain = await buildChain(p, { length: 2, signer: (i, s) => (i === 0 ? { ...p.A2.signer, kid: 'a1' } : s) });
    await rejectsWith(verifyStandard(p, chain), 'link_signature_invalid', 0);
  });

  test('a holder root signed by a key other than its tmb', async () => {
    const chain = await buildChain(p, { root: 'holder', length: 2, signer: (i, s) => (i === 0 ? p.M.signer : s) });
    await rejectsWith(verifyStandard(p, chain, { root: 'holder' }), 'link_signature_invalid', 0);
  });

  test('a delegate link signed by someone other than the committed delegate key', async () => {
    for (const intruder of [p.M, p.B2, p.A]) {
      const chain = await buildChain(p, { length: 2, signer: (i, s) => (i === 1 ? { privateKey: intruder.privateJwk, alg: 'EdDSA' } : s) });
      await rejectsWith(verifyStandard(p, chain), 'link_signature_invalid', 1);
    }
  });

  test('the third link signed by the second link\'s signer instead of its delegate', async () => {
    const chain = await buildChain(p, { length: 3, signer: (i, s) => (i === 2 ? p.B.signer : s) });
    await rejectsWith(verifyStandard(p, chain), 'link_signature_invalid', 2);
  });

  for (const index of [0, 1, 2]) {
    test(`one flipped signature byte on link ${index}`, async () => {
      const links = valid3.links.map((link, i) => (i === index ? flipSignatureByte(link) : link));
      await rejectsWith(verifyStandard(p, withLinks(valid3, links)), 'link_signature_invalid', index);
    });
  }

  test('one flipped signature byte on a holder root', async () => {
    const chain = await buildChain(p, { root: 'holder', length: 2 });
    const links = chain.links.map((link, i) => (i === 0 ? flipSignatureByte(link, 0) : link));
    await rejectsWith(verifyStandard(p, withLinks(chain, links), { root: 'holder' }), 'link_signature_invalid', 0);
  });
});

describe('step 6: delegate keys named by thumbprint (delegate_key_unresolved)', () => {
  const byJkt = () =>
    buildChain(p, { length: 3, input: (i, input) => (i === 1 ? { ...input, delegate: { sub: p.B2.id, cnf: { jkt: p.B2.jkt } } } : input) });

  test('a jkt no configured key has', async () => {
    const chain = await byJkt();
    await rejectsWith(verifyStandard(p, chain), 'delegate_key_unresolved', 2);
    await rejectsWith(verifyStandard(p, chain, { trust: issuerTrust(p, { delegateKeys: { keys: [p.B.publicJwk, p.B3.publicJwk] } }) }), 'delegate_key_unresolved', 2);
  });

  test('the jkt resolved through delegateKeys verifies', async () => {
    const chain = await byJkt();
    const result = await verifyStandard(p, chain, { trust: issuerTrust(p, { delegateKeys: { keys: [p.B3.publicJwk, p.B2.publicJwk] } }) });
    assert.equal(result.links[2]?.signer.kind, 'delegate');
    assert.deepEqual(result.links[1]?.claims.may_act.cnf, { jkt: p.B2.jkt });
  });

  test('a resolved jkt still needs the matching signature', async () => {
    const chain = await buildChain(p, {
      length: 3,
      input: (i, input) => (i === 1 ? { ...input, delegate: { sub: p.B2.id, cnf: { jkt: p.B2.jkt } } } : input),
      signer: (i, s) => (i === 2 ? p.M.signer : s),
    });
    await rejectsWith(verifyStandard(p, chain, { trust: issuerTrust(p, { delegateKeys: { keys: [p.B2.publicJwk, p.M.publicJwk] } }) }), 'link_signature_invalid', 2);
  });
});

describe('keys that pass the schema but are not keys (claims_invalid, at the link that carries them)', () => {
  // A base64url x of the wrong length: the claims schema accepts it, the key checks of step 5 do not.
  const notAKey = { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' };

  test('a delegate key named by link 0', async () => {
    const chain = await buildChain(p, { length: 2, input: (i, input) => (i === 0 ? { ...input, delegate: { sub: p.B.id, cnf: { jwk: notAKey } } } : input) });
    await rejectsWith(verifyStandard(p, chain), 'claims_invalid', 0);
  });

  test('the last delegate key, which no signature check ever imports', async () => {
    const chain = await buildChain(p, { length: 2, input: (i, input) => (i === 1 ? { ...input, delegate: { sub: input.delegate.sub, cnf: { jwk: notAKey } } } : input) });
    await rejectsWith(verifyStandard(p, chain), 'claims_invalid', 1);
  });

  test('the tmb key of a holder root', async () => {
    const chain = await buildChain(p, { root: 'holder', length: 1, input: (_, input) => ({ ...input, tmb: { jwk: notAKey } }) });
    await rejectsWith(verifyStandard(p, chain, { root: 'holder' }), 'claims_invalid', 0);
  });

  test('the tmb key under an issuer root, which verification never imports', async () => {
    const p256Short = { kty: 'EC', crv: 'P-256', x: p.B.jkt, y: 'AAAA' };
    const chain = await buildChain(p, { length: 1, input: (_, input) => ({ ...input, tmb: { jwk: p256Short } }) });
    await rejectsWith(verifyStandard(p, chain), 'claims_invalid', 0);
  });
});

test('control: the unmodified chains verify', async () => {
  await verifyStandard(p, valid2);
  await verifyStandard(p, valid3);
});
