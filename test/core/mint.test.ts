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

test('a minted link carries only the members given: an absent kid, x5c, nbf, jti or status is no member', async () => {
  const part = (link: Uint8Array | undefined, at: number): Record<string, unknown> => JSON.parse(Buffer.from(Buffer.from(link ?? []).toString('latin1').split('.')[at] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const withoutKid = { privateKey: p.B.signer.privateKey, alg: p.B.signer.alg };
  const chain = await buildChain(p, { length: 1, input: (_, input) => ({ ...input, depth: 2, nbf: undefined, status: undefined, jti: undefined }), signer: () => withoutKid });
  assert.deepEqual(Object.keys(part(chain.links[0], 0)), ['alg', 'typ']);
  assert.deepEqual(Object.keys(part(chain.links[0], 1)).filter((name) => ['nbf', 'status', 'prev'].includes(name)), []);
  assert.match(String(part(chain.links[0], 1).jti), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const next = await delegate(chain, { delegate: { sub: p.B2.id, cnf: p.B2.cnf } }, { ...withoutKid, kid: 'b-key' }, { now: NOW });
  assert.deepEqual(Object.keys(part(next.links[1], 0)), ['alg', 'typ', 'kid']);
  const claims = part(next.links[1], 1);
  assert.deepEqual(Object.keys(claims).filter((name) => ['nbf', 'status'].includes(name)), []);
  assert.equal(typeof claims.prev, 'string');
  assert.notEqual(claims.jti, part(chain.links[0], 1).jti);
  // Delegated before the last link starts: the new link starts with it (nbf), and a given jti and status are kept.
  const early = await delegate(chain, { delegate: { sub: p.B2.id, cnf: p.B2.cnf }, jti: 'given', status: { status_list: { idx: 3, uri: 'https://status.example/1' } } }, withoutKid, { now: new Date((Number(part(chain.links[0], 1).iat) - 60) * 1000) });
  const earlyClaims = part(early.links[1], 1);
  assert.equal(earlyClaims.nbf, part(chain.links[0], 1).iat);
  assert.equal(earlyClaims.jti, 'given');
  assert.deepEqual(earlyClaims.status, { status_list: { idx: 3, uri: 'https://status.example/1' } });
});
