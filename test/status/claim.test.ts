/**
 * The `status` claim in the model and both codecs (SPEC-NOTES.md §3.1, §3.5, §4.3.2): CWT key
 * 65535 with text member names, the same decoded object as the JWT encoding, and nothing but the
 * status_list mechanism accepted.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeChain, delegate, startChain, verifyChain, type LinkStatus } from '../../lib/index.js';
import { CWT_CLAIM_KEYS, decodeClaims, decodeStrict, encodeClaims, encodeDeterministic, type CborMap, type CborValue } from '../../lib/codecs/cose/index.js';
import { DEFAULT_LIMITS } from '../../lib/model/limits.js';
import { NOW, NOW_S, buildChain, contextFor, issuerTrust, makeParties, rejectsWith, tamperClaims } from '../helpers/fixtures.js';
import { ALL_PARTS } from '../helpers/parts.js';

const p = await makeParties();
const status: LinkStatus = { status_list: { idx: 7, uri: 'https://status.example/lists/1' } };

describe('the status claim', () => {
  test('CWT carries it under key 65535 with text member names, and decodes to the JWT shape', () => {
    assert.equal(CWT_CLAIM_KEYS.status, 65535);
    const payload = encodeClaims({ iss: 'a', status });
    const map = decodeStrict(payload, { maxDepth: 8 }).value as Map<unknown, unknown>;
    const onWire = map.get(65535) as Map<string, Map<string, unknown>>;
    assert.deepEqual([...onWire.keys()], ['status_list']);
    assert.equal(onWire.get('status_list')?.get('idx'), 7);
    assert.deepEqual(decodeClaims(payload, DEFAULT_LIMITS), { iss: 'a', status });
  });

  test('a text "status" key in a CWT is refused (one key per claim)', () => {
    const map: CborMap = new Map<string | number, CborValue>([[1, 'a'], ['status', new Map()]]);
    assert.throws(() => decodeClaims(encodeDeterministic(map), DEFAULT_LIMITS), (error: Error & { code?: string }) => error.code === 'claims_invalid');
  });

  for (const format of ['jwt', 'cwt'] as const) {
    test(`minted on a link (${format}), it is carried by that link only`, async () => {
      const root = await startChain({ iss: p.A.id, sub: 'user-42', aud: 'https://as.example', scope: 'read', tmb: p.C.cnf, delegate: { sub: p.B.id, cnf: p.B.cnf }, depth: 1, iat: NOW_S - 5, exp: NOW_S + 60, status }, p.A.signer, { ...ALL_PARTS, format, now: NOW });
      const chain = await delegate(root, { delegate: { sub: p.B2.id, cnf: p.B2.cnf } }, p.B.signer, { ...ALL_PARTS, now: NOW });
      const [link0, link1] = decodeChain(chain, ALL_PARTS);
      assert.deepEqual(link0?.claims.status, status);
      assert.equal(link1?.claims.status, undefined, 'a status is never inherited');
    });
  }

  test('status members beyond status_list {idx, uri} are claims_invalid', async () => {
    for (const bad of [{ status_list: { idx: 1, uri: 'https://s.example/l', extra: 1 } }, { status_list: { idx: 1, uri: 'https://s.example/l' }, other_mechanism: {} }, { status_list: { idx: -1, uri: 'https://s.example/l' } }, { status_list: { idx: 1, uri: 'ftp://s.example/l' } }]) {
      const chain = await buildChain(p, { craft: (i, bytes) => (i === 0 ? tamperClaims(bytes, (c) => ({ ...c, status: bad })) : bytes) });
      await rejectsWith(verifyChain(chain, issuerTrust(p), contextFor(p, 2), ALL_PARTS), 'claims_invalid', 0);
    }
  });
});
