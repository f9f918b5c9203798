/**
 * `tproof disclose` as a user runs it: a separate process over a chain file, showing what a token
 * issued for the chain would disclose under each profile (SPEC-NOTES §8.4.2).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { tproofIn } from '../helpers/tproof.js';

const work = mkdtempSync(join(tmpdir(), 'tproof-disclose-'));
const { tproof, ok } = tproofIn(work);

interface View {
  policy: { profile: string };
  actors: { position: number; id: string; named: boolean }[];
  act: unknown;
  omitted: number;
  record: Record<string, unknown>;
}

before(() => {
  for (const name of ['a', 'b', 'b2', 'b3', 'c']) writeFileSync(join(work, `${name}.jwk`), ok(['keygen', '--alg', 'ES256']));
  writeFileSync(join(work, 'root.txt'), ok(['mint', '--key', 'a.jwk', '--iss', 'https://a.example', '--sub', 'urn:c', '--aud', 'https://as.example',
    '--scope', 'read', '--tmb-key', 'c.jwk', '--delegate', 'svc-gateway', '--delegate-key', 'b.jwk', '--depth', '2']));
  writeFileSync(join(work, 'two.txt'), ok(['mint', '--chain', 'root.txt', '--key', 'b.jwk', '--delegate', 'svc-internal', '--delegate-key', 'b2.jwk']));
  writeFileSync(join(work, 'chain.txt'), ok(['mint', '--chain', 'two.txt', '--key', 'b2.jwk', '--delegate', 'agent-x', '--delegate-key', 'b3.jwk']));
});

/** The compact chain's SHA-256, computed here from the file (SPEC-NOTES §4.2). */
function chainHash(): string {
  return createHash('sha256').update(readFileSync(join(work, 'chain.txt'), 'utf8').trim(), 'ascii').digest('base64url');
}

test('without a profile it shows full, subset (keeping the first delegate) and actor-only', () => {
  const out = ok(['disclose', 'chain.txt']);
  assert.match(out, /UNVERIFIED/);
  assert.match(out, /https:\/\/a\.example → svc-gateway → svc-internal → agent-x/);
  assert.match(out, /^full: act names 3 of 3 delegates$/m);
  assert.match(out, /^subset \(keep first\): act names 2 of 3 delegates\n {2}\[0\] named {3}svc-gateway\n {2}\[1\] omitted svc-internal\n {2}\[2\] named {3}agent-x \(requester\)$/m);
  assert.match(out, /^actor-only: act names 1 of 3 delegates$/m);
});

test('--json gives each view: act, omitted count and the record committing to the whole chain', () => {
  const views = JSON.parse(ok(['disclose', '--json', 'chain.txt'])) as View[];
  assert.deepEqual(views.map((view) => view.policy.profile), ['full', 'subset', 'actor-only']);
  const [full, subset, actorOnly] = views as [View, View, View];
  assert.deepEqual(full.act, { sub: 'agent-x', act: { sub: 'svc-internal', act: { sub: 'svc-gateway' } } });
  assert.deepEqual(full.record, { root: { iss: 'https://a.example' }, chain_sha256: chainHash(), format: 'jwt', disclosure: 'full', links: 3, omitted: 0 });
  assert.deepEqual(subset.act, { sub: 'agent-x', act: { sub: 'svc-gateway' } });
  assert.equal(subset.omitted, 1);
  // The count is a disclosure: not in the record unless asked for.
  assert.deepEqual(subset.record, { root: { iss: 'https://a.example' }, chain_sha256: chainHash(), format: 'jwt', disclosure: 'subset' });
  assert.deepEqual(actorOnly.act, { sub: 'agent-x' });
});

test('--profile subset --keep prefix: with --count and --link-hashes', () => {
  const [view] = JSON.parse(ok(['disclose', '--json', '--profile', 'subset', '--keep', 'prefix:svc-', '--count', '--link-hashes', 'chain.txt'])) as View[];
  assert.deepEqual(view?.act, { sub: 'agent-x', act: { sub: 'svc-internal', act: { sub: 'svc-gateway' } } });
  const links = readFileSync(join(work, 'chain.txt'), 'utf8').trim().split('~');
  assert.deepEqual(view?.record.link_sha256, links.map((link) => createHash('sha256').update(link, 'ascii').digest('base64url')));
  assert.equal(view?.record.links, 3);
  assert.equal(view?.record.omitted, 0);
});

test('--policy reads a JSON policy; a policy the AS would refuse is refused here too', () => {
  writeFileSync(join(work, 'policy.json'), JSON.stringify({ profile: 'subset', keep: [-2] }));
  const [view] = JSON.parse(ok(['disclose', '--json', '--policy', 'policy.json', 'chain.txt'])) as View[];
  assert.deepEqual(view?.actors.map((actor) => actor.named), [false, true, true]);
  writeFileSync(join(work, 'bad.json'), JSON.stringify({ profile: 'actor-only', link_hashes: true }));
  const bad = tproof(['disclose', '--policy', 'bad.json', 'chain.txt']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /invalid_argument: disclosure policy: "link_hashes" reveals the length/);
});

test('an unknown selector or profile is a usage error', () => {
  assert.equal(tproof(['disclose', '--profile', 'subset', '--keep', 'middle', 'chain.txt']).status, 2);
  assert.equal(tproof(['disclose', '--profile', 'none', 'chain.txt']).status, 2);
});
