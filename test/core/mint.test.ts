/**
 * delegate() refuses to mint links that every verifier would reject, saying why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { delegate, TransitiveProofError } from '../../lib/index.js';
import { buildChain, makeParties, NOW } from '../helpers/fixtures.js';

const p = await makeParties();
const invalidArgument = (pattern: RegExp) => (error: unknown) => error instanceof TransitiveProofError && error.code === 'invalid_argument' && pattern.test(error.message);

test('a scope the last link does not grant', async () => {
  const chain = await buildChain(p, { length: 1, input: (_, input) => ({ ...input, depth: 1 }) });
  await assert.rejects(delegate(chain, { delegate: { sub: p.B2.id, cnf: p.B2.cnf }, scope: 'read root' }, p.B.signer, { now: NOW }), invalidArgument(/"root"/));
});

test('delegating from a link of depth 0', async () => {
  const chain = await buildChain(p, { length: 1, input: (_, input) => ({ ...input, depth: 0 }) });
  await assert.rejects(delegate(chain, { delegate: { sub: p.B2.id, cnf: p.B2.cnf } }, p.B.signer, { now: NOW }), invalidArgument(/depth 0/));
});

test('a depth that does not decrease', async () => {
  const chain = await buildChain(p, { length: 1, input: (_, input) => ({ ...input, depth: 2 }) });
  await assert.rejects(delegate(chain, { delegate: { sub: p.B2.id, cnf: p.B2.cnf }, depth: 2 }, p.B.signer, { now: NOW }), invalidArgument(/depth 2/));
  const ok = await delegate(chain, { delegate: { sub: p.B2.id, cnf: p.B2.cnf }, scope: 'read' }, p.B.signer, { now: NOW });
  assert.equal(ok.links.length, 2);
});
