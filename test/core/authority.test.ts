/**
 * Steps 13 and 14 (SPEC-NOTES.md §6.2): authority only narrows. A child's scope is a subset of its
 * parent's (as a set of tokens) and the remaining delegation depth strictly decreases. The faulty
 * links are minted with the library's own appendLink/delegate and signed by the legitimate delegate.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendLink, startChain } from '../../lib/index.js';
import {
  buildChain,
  makeParties,
  NOW,
  rejectsWith,
  standardInput,
  verifyStandard,
} from '../helpers/fixtures.js';

const p = await makeParties();

describe('step 13: scope (scope_escalation)', () => {
  test('appendLink with a widened scope, signed by the legitimate delegate', async () => {
    const root = await startChain(standardInput(p, 'issuer', 0, 2), p.A.signer, { now: NOW });
    const chain = await appendLink(root, { ...standardInput(p, 'issuer', 1, 2), scope: 'read write admin delete' }, p.B.signer, { now: NOW });
    await rejectsWith(verifyStandard(p, chain), 'scope_escalation', 1);
  });

  test('appendLink from a link with a narrower scope, minted so that only step 13 fails', async () => {
    const root = await startChain({ ...standardInput(p, 'issuer', 0, 2), scope: 'read' }, p.A.signer, { now: NOW });
    const chain = await appendLink(root, { ...standardInput(p, 'issuer', 1, 2), scope: 'read delete' }, p.B.signer, { now: NOW });
    await rejectsWith(verifyStandard(p, chain), 'scope_escalation', 1);
  });

  test('a token granted at the root but dropped by link 1 cannot come back on link 2', async () => {
    // Link 1 grants "read write"; link 2 asks for "admin", which only link 0 grants.
    const chain = await buildChain(p, { length: 3, input: (i, input) => (i === 2 ? { ...input, scope: 'read admin' } : input) });
    await rejectsWith(verifyStandard(p, chain), 'scope_escalation', 2);
  });

  test('a token that differs only in case is a different token', async () => {
    const chain = await buildChain(p, { length: 2, input: (i, input) => (i === 1 ? { ...input, scope: 'read Write' } : input) });
    await rejectsWith(verifyStandard(p, chain), 'scope_escalation', 1);
  });

  test('control: a subset in another order, or the same scope, passes', async () => {
    for (const scope of ['write read', 'read write admin', 'admin']) {
      const chain = await buildChain(p, { length: 2, input: (i, input) => (i === 1 ? { ...input, scope } : input) });
      const result = await verifyStandard(p, chain);
      assert.equal(result.scope, scope);
    }
  });
});

describe('step 14: depth (depth_exceeded)', () => {
  test('a parent with depth 0 followed by a child', async () => {
    const chain = await buildChain(p, { length: 2, input: (_, input) => ({ ...input, depth: 0 }) });
    await rejectsWith(verifyStandard(p, chain), 'depth_exceeded', 1);
  });

  test('appendLink from a link with depth 0', async () => {
    const root = await startChain({ ...standardInput(p, 'issuer', 0, 2), depth: 0 }, p.A.signer, { now: NOW });
    const chain = await appendLink(root, { ...standardInput(p, 'issuer', 1, 2), depth: 0 }, p.B.signer, { now: NOW });
    await rejectsWith(verifyStandard(p, chain), 'depth_exceeded', 1);
  });

  test('a child whose depth does not decrease', async () => {
    for (const depth of [1, 2]) {
      const chain = await buildChain(p, { length: 2, input: (_, input) => ({ ...input, depth }) });
      await rejectsWith(verifyStandard(p, chain), 'depth_exceeded', 1);
    }
  });

  test('a child whose depth grows', async () => {
    const chain = await buildChain(p, { length: 2, input: (i, input) => ({ ...input, depth: i === 0 ? 1 : 5 }) });
    await rejectsWith(verifyStandard(p, chain), 'depth_exceeded', 1);
  });

  test('the third link when the second allowed no more', async () => {
    const chain = await buildChain(p, { length: 3, input: (i, input) => (i === 1 ? { ...input, depth: 0 } : input) });
    await rejectsWith(verifyStandard(p, chain), 'depth_exceeded', 2);
  });

  test('control: depth may drop by more than one', async () => {
    const chain = await buildChain(p, { length: 2, input: (i, input) => ({ ...input, depth: i === 0 ? 5 : 0 }) });
    await verifyStandard(p, chain);
  });
});
