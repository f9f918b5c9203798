/**
 * Disclosure profiles (SPEC-NOTES §8.4.2): the selection language, the policy's own rules, the AS
 * applying the resource server's policy at step 8 (before anything is consumed), and the resource
 * server's check of `act` against the record.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  discloseActors,
  processDeferredBindingRequest,
  readDeferredBindingRecord,
  readDisclosedActors,
  readDisclosurePolicy,
  DEFERRED_BINDING_CLAIM,
  MemoryReplayStore,
  type DeferredBindingRecord,
  type DisclosurePolicy,
} from '../../lib/as/index.js';
import { ISSUER, grantParams, world } from './fixtures.js';

const W = await world();
const FOUR = ['https://gw.example', 'svc-internal-1', 'svc-internal-2', 'agent-b'];

function named(policy: DisclosurePolicy, actors: readonly string[] = FOUR): number[] {
  return discloseActors(actors, readDisclosurePolicy(policy)).positions;
}

describe('the subset selection language', () => {
  test('"first" is the root\'s delegate, and the requester is always named', () => {
    assert.deepEqual(named({ profile: 'subset', keep: ['first'] }), [0, 3]);
  });

  test('"last" alone names the requester alone', () => {
    assert.deepEqual(named({ profile: 'subset', keep: ['last'] }), [3]);
  });

  test('an index counts from the root\'s delegate, a negative one from the requester', () => {
    assert.deepEqual(named({ profile: 'subset', keep: [1] }), [1, 3]);
    assert.deepEqual(named({ profile: 'subset', keep: [-2] }), [2, 3]);
  });

  test('an index beyond the chain picks nothing rather than failing', () => {
    assert.deepEqual(named({ profile: 'subset', keep: [7, -9] }), [3]);
  });

  test('sub_prefix picks every delegate whose identifier starts with it, case-sensitively', () => {
    assert.deepEqual(named({ profile: 'subset', keep: [{ sub_prefix: 'svc-' }] }), [1, 2, 3]);
    assert.deepEqual(named({ profile: 'subset', keep: [{ sub_prefix: 'SVC-' }] }), [3]);
  });

  test('a sub_prefix of whole characters beyond the BMP picks by code point', () => {
    const policy = readDisclosurePolicy({ profile: 'subset', keep: [{ sub_prefix: 'https://\u{1F600}' }] });
    assert.deepEqual(discloseActors(['https://\u{1F600}.example', 'https://\u{1F601}.example', 'c'], policy).positions, [0, 2]);
  });

  test('the chain order is kept and a delegate picked twice is named once', () => {
    const disclosure = discloseActors(FOUR, readDisclosurePolicy({ profile: 'subset', keep: [2, 'first', 2] }));
    assert.deepEqual(disclosure.act, { sub: 'agent-b', act: { sub: 'svc-internal-2', act: { sub: 'https://gw.example' } } });
    assert.equal(disclosure.omitted, 1);
  });

  test('full names all, actor-only the requester alone', () => {
    assert.deepEqual(named({ profile: 'full' }), [0, 1, 2, 3]);
    assert.deepEqual(discloseActors(FOUR, { profile: 'actor-only' }).act, { sub: 'agent-b' });
  });
});

describe('a disclosure policy is read strictly', () => {
  const refused: [string, unknown][] = [
    ['subset without keep', { profile: 'subset' }],
    ['keep under another profile', { profile: 'actor-only', keep: ['first'] }],
    ['an unknown profile', { profile: 'none' }],
    ['an unknown member', { profile: 'full', hide: true }],
    ['an unknown selector', { profile: 'subset', keep: ['middle'] }],
    ['count false under full', { profile: 'full', count: false }],
    ['link hashes without the count', { profile: 'actor-only', link_hashes: true }],
    // Half of U+1F600: it would pick a delegate "\u{1F600}…" by the first half of its first character.
    ['a sub_prefix ending in a lone surrogate', { profile: 'subset', keep: [{ sub_prefix: 'https://\uD83D' }] }],
    ['a sub_prefix that is a lone low surrogate', { profile: 'subset', keep: [{ sub_prefix: '\uDE00' }] }],
  ];
  for (const [what, policy] of refused) {
    test(`refused: ${what}`, () => {
      assert.throws(() => readDisclosurePolicy(policy), (error: { code?: string }) => error.code === 'invalid_argument');
    });
  }
});

describe('the authorization server applies the target\'s policy', () => {
  const client = { id: 'client-b2', jkt: W.B2.jkt };

  test('the policy of the resource server resolveTarget chooses decides act and the record', async () => {
    const chain = await W.chainToB2('read');
    const outcome = await processDeferredBindingRequest(grantParams(chain, { jwk: W.C.publicJwk }), {
      client, issuer: ISSUER, verifier: W.verifier, replayStore: new MemoryReplayStore(), disclosure: { profile: 'full' },
      resolveTarget: () => ({ identifier: 'https://rs.example', disclosure: { profile: 'actor-only', count: true } }),
    });
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.error));
    assert.deepEqual(outcome.claims.act, { sub: 'client-b2' });
    assert.equal(outcome.record.disclosure, 'actor-only');
    assert.equal(outcome.record.links, 2);
    assert.equal(outcome.record.omitted, 1);
  });

  test('an unreadable policy is server_error and consumes nothing: the chain still redeems', async () => {
    const chain = await W.chainToB2('read');
    const replayStore = new MemoryReplayStore();
    const base = { client, issuer: ISSUER, verifier: W.verifier, replayStore };
    const bad = await processDeferredBindingRequest(grantParams(chain, { jwk: W.C.publicJwk }), { ...base, disclosure: { profile: 'subset' } });
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.status, 500);
    assert.equal(!bad.ok && bad.code, 'invalid_argument');
    const good = await processDeferredBindingRequest(grantParams(chain, { jwk: W.C.publicJwk }), base);
    assert.ok(good.ok, JSON.stringify(!good.ok && good.error));
    assert.equal(good.record.disclosure, 'full');
  });
});

describe('the resource server checks act against the record', () => {
  const CHAIN_HASH = 'v0G7'.padEnd(43, 'A');
  const record = (members: Partial<DeferredBindingRecord>): DeferredBindingRecord =>
    ({ root: { kind: 'issuer', iss: 'https://a.example' }, chain_sha256: CHAIN_HASH, format: 'jwt', disclosure: 'full', links: 2, omitted: 0, ...members }) as DeferredBindingRecord;
  const invalid = (error: { code?: string }) => error.code === 'access_token_invalid';
  const act2 = { sub: 'b2', act: { sub: 'b' } };

  test('a full record reads every delegate, root side first', () => {
    assert.deepEqual(readDisclosedActors({ act: act2, client_id: 'b2' }, record({})), ['b', 'b2']);
  });

  test('a full record whose act names fewer delegates than its length is refused', () => {
    assert.throws(() => readDisclosedActors({ act: { sub: 'b2' }, client_id: 'b2' }, record({})), invalid);
  });

  test('an actor-only record with two actors is refused', () => {
    assert.throws(() => readDisclosedActors({ act: act2 }, record({ disclosure: 'actor-only', links: undefined, omitted: undefined })), invalid);
  });

  test('an outermost actor other than client_id is refused', () => {
    assert.throws(() => readDisclosedActors({ act: { sub: 'b' }, client_id: 'b2' }, record({ disclosure: 'actor-only', links: undefined, omitted: undefined })), invalid);
  });

  test('a record without act, or with a malformed act, is refused', () => {
    assert.throws(() => readDisclosedActors({}, record({})), invalid);
    assert.throws(() => readDisclosedActors({ act: { sub: 'b2', act: 'b' } }, record({})), invalid);
  });

  test('a subset record stating its length must match act: links − omitted', () => {
    const subset = record({ disclosure: 'subset', links: 3, omitted: 1 });
    assert.deepEqual(readDisclosedActors({ act: act2 }, subset), ['b', 'b2']);
    assert.throws(() => readDisclosedActors({ act: { sub: 'b2' } }, subset), invalid);
  });

  const malformed: [string, Record<string, unknown>][] = [
    ['no disclosure member', { root: { kind: 'issuer', iss: 'x' }, chain_sha256: CHAIN_HASH, format: 'jwt', links: 1, omitted: 0 }],
    ['full without its length', { root: { kind: 'issuer', iss: 'x' }, chain_sha256: CHAIN_HASH, format: 'jwt', disclosure: 'full' }],
    ['full with an omitted delegate', { root: { kind: 'issuer', iss: 'x' }, chain_sha256: CHAIN_HASH, format: 'jwt', disclosure: 'full', links: 2, omitted: 1 }],
    ['links without omitted', { root: { kind: 'issuer', iss: 'x' }, chain_sha256: CHAIN_HASH, format: 'jwt', disclosure: 'subset', links: 2 }],
    ['link hashes without the length', { root: { kind: 'issuer', iss: 'x' }, chain_sha256: CHAIN_HASH, format: 'jwt', disclosure: 'subset', link_sha256: [CHAIN_HASH] }],
    ['link hashes of another count than the length', { root: { kind: 'issuer', iss: 'x' }, chain_sha256: CHAIN_HASH, format: 'jwt', disclosure: 'full', links: 2, omitted: 0, link_sha256: [CHAIN_HASH] }],
  ];
  for (const [what, value] of malformed) {
    test(`a record with ${what} is refused`, () => {
      assert.throws(() => readDeferredBindingRecord({ [DEFERRED_BINDING_CLAIM]: value }), invalid);
    });
  }
});
