/**
 * The order of SPEC-NOTES.md §6.2 is normative: steps 3–5 run for every link before step 6 runs for
 * any; steps 6–14 then run link by link, in step order within a link; steps 15–17 run after every
 * link. Each test builds a chain with two faults and checks that the one the order puts first wins.
 */
import { describe, test } from 'node:test';
import {
  AUDIENCE,
  buildChain,
  flipSignatureByte,
  makeParties,
  NOW_S,
  rejectsWith,
  resign,
  tamperClaims,
  verifyStandard,
  withLinks,
} from '../helpers/fixtures.js';

const p = await makeParties();
const valid3 = await buildChain(p, { length: 3 });
const [l0, l1, l2] = valid3.links as [Uint8Array, Uint8Array, Uint8Array];
const badSig0 = flipSignatureByte(l0);

describe('steps 3–5 for every link before any signer or signature', () => {
  test('typ_invalid on link 1 beats a bad signature on link 0', async () => {
    const chain = withLinks(valid3, [badSig0, resign(l1, p.B, { header: (h) => ({ ...h, typ: 'JWT' }) }), l2]);
    await rejectsWith(verifyStandard(p, chain), 'typ_invalid', 1);
  });

  test('header_forbidden on link 2 beats an untrusted root', async () => {
    const untrusted = resign(l0, p.M, { header: ({ kid: _kid, ...h }) => h, claims: (c) => ({ ...c, iss: p.M.id }) });
    const chain = withLinks(valid3, [untrusted, l1, resign(l2, p.B2, { header: (h) => ({ ...h, jwk: p.B2.publicJwk }) })]);
    await rejectsWith(verifyStandard(p, chain), 'header_forbidden', 2);
  });

  test('claims_invalid on link 2 beats a bad signature on link 0', async () => {
    const chain = withLinks(valid3, [badSig0, l1, resign(l2, p.B2, { claims: (c) => ({ ...c, ext: 1 }) })]);
    await rejectsWith(verifyStandard(p, chain), 'claims_invalid', 2);
  });

  test('link_malformed on link 2 beats an unresolvable delegate key', async () => {
    const chain = await buildChain(p, { length: 3, input: (i, input) => (i === 0 ? { ...input, delegate: { sub: p.B.id, cnf: { jkt: p.B.jkt } } } : input) });
    await rejectsWith(verifyStandard(p, chain), 'delegate_key_unresolved', 1);
    await rejectsWith(verifyStandard(p, withLinks(chain, [chain.links[0] as Uint8Array, chain.links[1] as Uint8Array, new TextEncoder().encode('a.b')])), 'link_malformed', 2);
  });

  test('within a link, the header (step 4) comes before the claims (step 5)', async () => {
    const chain = withLinks(valid3, [l0, resign(l1, p.B, { header: (h) => ({ ...h, crit: ['exp'], exp: 1 }), claims: (c) => ({ ...c, aud: [AUDIENCE] }) }), l2]);
    await rejectsWith(verifyStandard(p, chain), 'crit_unsupported', 1);
  });
});

describe('steps 6–14 link by link', () => {
  test('an expired link 0 beats a bad signature on link 1', async () => {
    const chain = await buildChain(p, {
      length: 2,
      input: (i, input) => ({ ...input, iat: NOW_S - 1000 + i, exp: NOW_S - 100 - i }),
      craft: (i, bytes) => (i === 1 ? flipSignatureByte(bytes) : bytes),
    });
    await rejectsWith(verifyStandard(p, chain), 'expired', 0);
  });

  test('a scope escalation on link 1 beats a foreign signer on link 2', async () => {
    const chain = await buildChain(p, {
      length: 3,
      input: (i, input) => (i === 1 ? { ...input, scope: 'read write admin delete' } : input),
      signer: (i, s) => (i === 2 ? p.M.signer : s),
    });
    await rejectsWith(verifyStandard(p, chain), 'scope_escalation', 1);
  });

  test('a tampered scope without re-signing is a signature failure, not an escalation (7 before 13)', async () => {
    const chain = withLinks(valid3, [l0, tamperClaims(l1, (c) => ({ ...c, scope: 'read write admin delete' })), l2]);
    await rejectsWith(verifyStandard(p, chain), 'link_signature_invalid', 1);
  });

  test('signature (7) before prev (8): a foreign signer and a wrong prev', async () => {
    const chain = withLinks(valid3, [l0, resign(l1, p.M, { claims: ({ prev: _prev, ...c }) => c }), l2]);
    await rejectsWith(verifyStandard(p, chain), 'link_signature_invalid', 1);
  });

  // Each pair: the earlier step's fault and the later step's fault on the same link 1, re-signed by B.
  const pairs: [string, string, (c: Record<string, unknown>) => unknown][] = [
    ['chain_broken', 'delegate_mismatch (8 before 9)', ({ prev: _prev, ...c }) => ({ ...c, iss: p.M.id })],
    ['delegate_mismatch', 'audience_mismatch (9 before 10)', (c) => ({ ...c, iss: p.M.id, aud: 'https://other.example' })],
    ['audience_mismatch', 'subject_mismatch (10 before 11)', (c) => ({ ...c, aud: 'https://other.example', sub: 'someone-else' })],
    ['subject_mismatch', 'tmb_mismatch (sub before tmb within 11)', (c) => ({ ...c, sub: 'someone-else', tmb: p.M.cnf })],
    ['tmb_mismatch', 'expired (11 before 12)', (c) => ({ ...c, tmb: p.M.cnf, iat: NOW_S - 50, exp: NOW_S - 40 })],
    ['claims_invalid', 'lifetime_exceeded (window before lifetime within 12)', (c) => ({ ...c, iat: NOW_S, nbf: NOW_S - 1, exp: NOW_S + 999_999 })],
    ['lifetime_exceeded', 'not_yet_valid (lifetime before start within 12)', (c) => ({ ...c, iat: NOW_S + 100, exp: NOW_S + 999_999 })],
    ['not_yet_valid', 'validity_escalation (start before nesting within 12)', (c) => ({ ...c, iat: NOW_S + 100, exp: NOW_S + 700 })],
    ['validity_escalation', 'scope_escalation (12 before 13)', (c) => ({ ...c, exp: NOW_S + 700, scope: 'delete' })],
    ['scope_escalation', 'depth_exceeded (13 before 14)', (c) => ({ ...c, scope: 'delete', depth: 5 })],
  ];
  for (const [wins, loses, edit] of pairs) {
    test(`${wins} beats ${loses}`, async () => {
      const chain = withLinks(valid3, [l0, resign(l1, p.B, { claims: edit })]);
      await rejectsWith(verifyStandard(p, chain), wins as Parameters<typeof rejectsWith>[1], 1);
    });
  }
});

describe('steps 15–17 after every link', () => {
  test('a link fault beats a requester fault', async () => {
    const chain = await buildChain(p, { length: 2, input: (i, input) => (i === 1 ? { ...input, depth: 3 } : input) });
    await rejectsWith(verifyStandard(p, chain, { context: { requester: { id: p.M.id } } }), 'depth_exceeded', 1);
  });

  test('requested tmb (15) before requester (16)', async () => {
    await rejectsWith(verifyStandard(p, valid3, { context: { tmb: p.M.cnf, requester: { id: p.M.id } } }), 'tmb_mismatch', 2);
  });

  test('requester (16) before requested scope (17)', async () => {
    await rejectsWith(verifyStandard(p, valid3, { context: { requester: { id: p.M.id }, scope: 'delete' } }), 'requester_mismatch', 2);
  });
});

describe('steps 1–2', () => {
  test('the count (2) is checked before an empty link is noticed', async () => {
    const links = Array.from({ length: 9 }, (_, i) => (i === 4 ? '' : 'a.b.c'));
    await rejectsWith(verifyStandard(p, links.join('~')), 'chain_too_long', undefined);
  });
});
