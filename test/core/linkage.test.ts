/**
 * Steps 8–11 (SPEC-NOTES.md §6.2): each link hashes the exact bytes of the one before it (`prev`),
 * is issued by the delegate its parent named, is addressed to this verifier, and keeps the root's
 * subject and target key. Every faulty link carries a valid signature by the key its parent
 * committed to, so the step under test is what refuses it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { linkHash } from '../../lib/index.js';
import {
  AUDIENCE,
  buildChain,
  makeParties,
  rejectsWith,
  resign,
  verifyStandard,
  withLinks,
  type BuildOptions,
} from '../helpers/fixtures.js';

const p = await makeParties();
const valid = await buildChain(p, { length: 2 });
const [link0, link1] = valid.links as [Uint8Array, Uint8Array];

/**
 * A 3-link chain in which B delegates to itself (same identifier, same key) before delegating on:
 * links 1 and 2 are both signed by B's key and issued by B, so dropping, reordering or duplicating
 * them keeps every signature and delegation valid and only `prev` can notice.
 */
function selfDelegating(extra: BuildOptions = {}) {
  return buildChain(p, {
    length: 3,
    input: (i, input) => (i === 0 ? input : { ...input, iss: p.B.id, delegate: i === 1 ? { sub: p.B.id, cnf: p.B.cnf } : input.delegate }),
    signer: (i, s) => (i === 0 ? s : p.B.signer),
    ...extra,
  });
}

describe('step 8: prev (chain_broken)', () => {
  test('the independent hash agrees with linkHash and with what minting put in prev', async () => {
    const expected = createHash('sha256').update(link0).digest('base64url');
    assert.equal(await linkHash(link0), expected);
    const claims = JSON.parse(Buffer.from(Buffer.from(link1).toString().split('.')[1] ?? '', 'base64url').toString()) as { prev?: string };
    assert.equal(claims.prev, expected);
  });

  test('a wrong prev', async () => {
    const wrong = createHash('sha256').update('some other link').digest('base64url');
    const chain = withLinks(valid, [link0, resign(link1, p.B, { claims: (c) => ({ ...c, prev: wrong }) })]);
    await rejectsWith(verifyStandard(p, chain), 'chain_broken', 1);
  });

  test('prev missing on link 1', async () => {
    const chain = withLinks(valid, [link0, resign(link1, p.B, { claims: ({ prev: _prev, ...c }) => c })]);
    await rejectsWith(verifyStandard(p, chain), 'chain_broken', 1);
  });

  test('prev present on the root', async () => {
    const chain = await buildChain(p, {
      length: 2,
      craft: async (i, bytes) => {
        const prev = await linkHash(link1);
        return i === 0 ? resign(bytes, p.A, { claims: (c) => ({ ...c, prev }) }) : bytes;
      },
    });
    await rejectsWith(verifyStandard(p, chain), 'chain_broken', 0);
  });

  test('a link spliced from another chain, signed by the same delegate', async () => {
    // The other chain differs only in the root's jti: same parties, keys, scopes and times.
    const other = await buildChain(p, { length: 2, input: (i, input) => (i === 0 ? { ...input, jti: 'another-grant' } : input) });
    await verifyStandard(p, other);
    await rejectsWith(verifyStandard(p, withLinks(valid, [link0, other.links[1] as Uint8Array])), 'chain_broken', 1);
    await rejectsWith(verifyStandard(p, withLinks(valid, [other.links[0] as Uint8Array, link1])), 'chain_broken', 1);
  });

  test('a dropped middle link', async () => {
    const chain = await selfDelegating();
    await verifyStandard(p, chain);
    const [l0, , l2] = chain.links as [Uint8Array, Uint8Array, Uint8Array];
    await rejectsWith(verifyStandard(p, withLinks(chain, [l0, l2]), { length: 3 }), 'chain_broken', 1);
  });

  test('reordered links', async () => {
    const chain = await selfDelegating();
    const [l0, l1, l2] = chain.links as [Uint8Array, Uint8Array, Uint8Array];
    await rejectsWith(verifyStandard(p, withLinks(chain, [l0, l2, l1])), 'chain_broken', 1);
  });

  test('a duplicated link', async () => {
    const chain = await selfDelegating();
    const [l0, l1] = chain.links as [Uint8Array, Uint8Array, Uint8Array];
    await rejectsWith(verifyStandard(p, withLinks(chain, [l0, l1, l1])), 'chain_broken', 2);
  });

  test('prev binds the exact bytes: a re-encoded but equivalent parent breaks the chain', async () => {
    // Link 0 re-signed by A over the same claims with a different header member order.
    const reordered = resign(link0, p.A, { header: ({ alg, typ, kid }) => ({ kid, typ, alg }) });
    assert.notDeepEqual(reordered, link0);
    await verifyStandard(p, withLinks(valid, [reordered]), { length: 1 });
    await rejectsWith(verifyStandard(p, withLinks(valid, [reordered, link1])), 'chain_broken', 1);
  });
});

describe('step 9: delegation (delegate_mismatch)', () => {
  test('link 1 issued under a name other than link 0\'s delegate, signed by the right key', async () => {
    const chain = await buildChain(p, { length: 2, input: (i, input) => (i === 1 ? { ...input, iss: p.M.id } : input) });
    await rejectsWith(verifyStandard(p, chain), 'delegate_mismatch', 1);
  });

  test('link 2 issued in the name of an earlier delegate', async () => {
    const chain = await buildChain(p, { length: 3, input: (i, input) => (i === 2 ? { ...input, iss: p.B.id } : input) });
    await rejectsWith(verifyStandard(p, chain), 'delegate_mismatch', 2);
  });
});

describe('step 10: audience (audience_mismatch)', () => {
  for (const index of [0, 1, 2]) {
    test(`link ${index} addressed to another verifier`, async () => {
      const chain = await buildChain(p, { length: 3, input: (i, input) => (i === index ? { ...input, aud: 'https://other-as.example' } : input) });
      await rejectsWith(verifyStandard(p, chain), 'audience_mismatch', index);
    });
  }

  test('a chain presented to another verifier', async () => {
    await rejectsWith(verifyStandard(p, valid, { context: { audience: `${AUDIENCE}/other` } }), 'audience_mismatch', 0);
  });
});

describe('step 11: invariants (subject_mismatch, tmb_mismatch)', () => {
  for (const index of [1, 2]) {
    test(`sub changed on link ${index}`, async () => {
      const chain = await buildChain(p, { length: 3, input: (i, input) => (i === index ? { ...input, sub: 'someone-else' } : input) });
      await rejectsWith(verifyStandard(p, chain), 'subject_mismatch', index);
    });

    test(`tmb changed on link ${index}`, async () => {
      const chain = await buildChain(p, { length: 3, input: (i, input) => (i === index ? { ...input, tmb: p.M.cnf } : input) });
      await rejectsWith(verifyStandard(p, chain), 'tmb_mismatch', index);
    });
  }

  test('a holder root whose sub differs from its iss', async () => {
    const chain = await buildChain(p, { root: 'holder', length: 2, input: (_, input) => ({ ...input, sub: 'someone-else' }) });
    await rejectsWith(verifyStandard(p, chain, { root: 'holder' }), 'subject_mismatch', 0);
  });

  test('the same key by another confirmation method (jkt for jwk) is a different tmb', async () => {
    const chain = await buildChain(p, { length: 2, input: (i, input) => (i === 1 ? { ...input, tmb: { jkt: p.C.jkt } } : input) });
    await rejectsWith(verifyStandard(p, chain), 'tmb_mismatch', 1);
  });

  test('the same jwk with members reordered and an extra kid is the same tmb', async () => {
    const { kty, crv, x } = p.C.publicJwk;
    const chain = await buildChain(p, { length: 2, input: (i, input) => (i === 1 ? { ...input, tmb: { jwk: { x, kid: 'c', crv, kty } } } : input) });
    const result = await verifyStandard(p, chain);
    assert.deepEqual(result.cnf, { jwk: p.C.publicJwk }, 'the root fixes cnf');
  });
});
