/**
 * Differential test: random and mutated certificate chains (fast-check; certificates made with
 * @peculiar/x509) validated by lib/x509 and by `openssl verify -x509_strict`; every disagreement
 * must be one that test/x509/differential.ts DIFFERENCES explains (direction and our error code).
 * X509_DIFF_RUNS sets the number of chains (default 300; `npm run fuzz:x509` runs 10,000), and
 * X509_DIFF_SEED the fast-check seed (default fixed, so `npm test` is reproducible).
 * Needs the openssl binary: skipped when it is missing, except in CI (CI=true), where that fails.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { KEY_ALGS, buildCase, caseArbitrary, explain, findOpenssl, makePools, makeWorkDir, ours, theirs, type Pools } from './differential.js';

const RUNS = Number(process.env.X509_DIFF_RUNS ?? '300');
const SEED = Number(process.env.X509_DIFF_SEED ?? '20261202');
const openssl = findOpenssl();
const SKIP = openssl === undefined && process.env.CI !== 'true' ? 'openssl not found on PATH (apt-get install openssl)' : false;

describe('differential: lib/x509 vs openssl verify -x509_strict', { skip: SKIP }, () => {
  let pools: Pools;
  const work = makeWorkDir();
  before(async () => {
    assert.ok(openssl !== undefined, 'openssl is required in CI');
    pools = await makePools(KEY_ALGS, 6);
  });
  after(() => work.remove());

  test('a valid chain is accepted by both (the harness itself works)', async () => {
    const built = await buildCase({ intermediates: 1, keyAlgs: ['ES256', 'ES256', 'ES256'], mutations: [] }, pools, 0);
    assert.deepEqual([(await ours(built)).ok, theirs(built, work.dir).ok], [true, true]);
  });

  test(`${RUNS} random chains with 0-3 mutations: every disagreement is explained`, async (t) => {
    const tally = new Map<string, number>();
    const bump = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
    const unexplained: string[] = [];
    let run = 0;
    await fc.assert(
      fc.asyncProperty(caseArbitrary(3), async (spec) => {
        const built = await buildCase(spec, pools, run++);
        const mine = await ours(built);
        const other = theirs(built, work.dir);
        const why = explain(spec, mine, other);
        if (why === undefined) bump(mine.ok ? 'both accept' : 'both reject');
        else if (why.startsWith('UNEXPLAINED')) unexplained.push(why);
        else bump(`explained ${why.slice(0, why.indexOf(':'))} (we ${mine.ok ? 'accept' : 'reject'})`);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    t.diagnostic(`seed ${SEED}, ${RUNS} chains: ${[...tally].sort().map(([k, n]) => `${k}: ${n}`).join('; ')}`);
    assert.deepEqual(unexplained, []);
  });
});
