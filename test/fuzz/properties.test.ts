/**
 * Property-based tests (fast-check):
 * - random valid chains (1..maxLinks links, attenuating scopes, every algorithm, both roots, both
 *   encodings) verify, with the §6.3 result computed from the plan;
 * - random single mutations of valid chains (byte flips in the text or in the decoded bytes, claim
 *   edits with and without re-signing by an unauthorised key, dropped / swapped / duplicated /
 *   spliced links) never verify, not even a re-spelling of the same bytes;
 * - every rejection, also of arbitrary junk, is a TransitiveProofError (no TypeError, RangeError,
 *   SyntaxError...).
 * FUZZ_RUNS (default 10,000) sets the number of mutation cases; `npm run fuzz` raises it.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createVerifier, serializeChain, TransitiveProofError, type ChainVerifier, type KeyAlgorithmName, type LinkFormat, type VerificationContext } from '../../lib/index.js';
import {
  ALGORITHMS,
  CLAIM_EDITS,
  makeKeyRing,
  mintPlan,
  mutate,
  RUNS,
  SCOPE_UNIVERSE,
  type ChainPlan,
  type KeyRing,
  type Mutation,
  type PlannedChain,
} from './support.js';
import { ALL_PARTS } from '../helpers/parts.js';

const MAX_LINKS = 8;
/** Mutation cases checked concurrently per property run. */
const BATCH = 8;
/** No single case may hang: the test as a whole is bounded generously (a liveness guard, not a timing assertion). */
const HANG_GUARD_MS = 30 * 60 * 1000;

/** Rejections must be TransitiveProofErrors; returns the error for further checks. */
function assertLibraryError(error: unknown, what: string): TransitiveProofError {
  if (!(error instanceof TransitiveProofError)) {
    const description = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
    assert.fail(`${what}: rejected with something other than a TransitiveProofError: ${description}`);
  }
  return error;
}

// ---- Plans of valid chains ----

const subsetOf = (tokens: readonly string[]) => fc.subarray([...tokens], { minLength: 1 });

const planArbitrary: fc.Arbitrary<ChainPlan> = fc
  .record({
    format: fc.constantFrom<LinkFormat>('jwt', 'cwt'),
    root: fc.constantFrom<'issuer' | 'holder'>('issuer', 'holder'),
    algs: fc.array(fc.constantFrom<KeyAlgorithmName>(...ALGORITHMS), { minLength: 1, maxLength: MAX_LINKS }),
    lastDelegateAlg: fc.constantFrom<KeyAlgorithmName>(...ALGORITHMS),
    rootScope: subsetOf(SCOPE_UNIVERSE),
    narrowing: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: MAX_LINKS, maxLength: MAX_LINKS }),
    extraDepth: fc.integer({ min: 0, max: 3 }),
    startSteps: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: MAX_LINKS, maxLength: MAX_LINKS }),
    endSteps: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: MAX_LINKS, maxLength: MAX_LINKS }),
    request: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    jti: fc.string({ minLength: 1, maxLength: 16, unit: 'grapheme-ascii' }),
  })
  .map((r) => {
    // Each link keeps a non-empty prefix of its parent's scope tokens (a random fraction of them).
    const scopes: string[][] = [r.rootScope];
    for (let i = 1; i < r.algs.length; i++) {
      const parent = scopes[i - 1] as string[];
      scopes.push(parent.slice(0, Math.max(1, Math.ceil(parent.length * (r.narrowing[i] as number)))));
    }
    const last = scopes[scopes.length - 1] as string[];
    const requested = r.request === undefined ? undefined : last.slice(0, Math.max(1, Math.ceil(last.length * r.request)));
    return {
      format: r.format,
      root: r.root,
      algs: r.algs,
      lastDelegateAlg: r.lastDelegateAlg,
      scopes,
      extraDepth: r.extraDepth,
      startSteps: r.startSteps.map((s, i) => (i === 0 ? 0 : s)),
      endSteps: r.endSteps.map((s, i) => (i === 0 ? 0 : s)),
      requested,
      jtiPrefix: r.jti,
    };
  });

// ---- Mutations ----

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip-text' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip-bytes' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('edit' as const), link: fc.nat(), edit: fc.constantFrom(...CLAIM_EDITS), resign: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), link: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('swap' as const), link: fc.nat(), other: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), link: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('splice' as const), link: fc.nat() }) },
);

interface Base {
  name: string;
  planned: PlannedChain;
  sibling: PlannedChain;
  verifier: ChainVerifier;
  text: string;
}

describe('property-based: chains and their mutations', () => {
  let ring: KeyRing;
  const bases: Base[] = [];
  const stats = { cases: 0, seconds: 0 };

  before(async () => {
    ring = await makeKeyRing(MAX_LINKS);
    // Base chains, minted once and mutated many times: both encodings, both roots, 1..8 links, all algorithms.
    const shapes: [string, Omit<ChainPlan, 'jtiPrefix' | 'scopes' | 'startSteps' | 'endSteps' | 'requested' | 'extraDepth'>][] = [
      ['jwt issuer 3 EdDSA', { format: 'jwt', root: 'issuer', algs: ['EdDSA', 'EdDSA', 'EdDSA'], lastDelegateAlg: 'EdDSA' }],
      ['jwt holder 1 ES256', { format: 'jwt', root: 'holder', algs: ['ES256'], lastDelegateAlg: 'ES384' }],
      ['jwt issuer 8 mixed', { format: 'jwt', root: 'issuer', algs: ['PS256', 'EdDSA', 'ES256', 'ES384', 'EdDSA', 'PS256', 'EdDSA', 'ES256'], lastDelegateAlg: 'EdDSA' }],
      ['jwt holder 4 mixed', { format: 'jwt', root: 'holder', algs: ['EdDSA', 'ES384', 'PS256', 'EdDSA'], lastDelegateAlg: 'ES256' }],
      ['cwt issuer 3 EdDSA', { format: 'cwt', root: 'issuer', algs: ['EdDSA', 'EdDSA', 'EdDSA'], lastDelegateAlg: 'EdDSA' }],
      ['cwt holder 1 EdDSA', { format: 'cwt', root: 'holder', algs: ['EdDSA'], lastDelegateAlg: 'EdDSA' }],
      ['cwt issuer 8 mixed', { format: 'cwt', root: 'issuer', algs: ['ES256', 'EdDSA', 'PS256', 'EdDSA', 'ES384', 'EdDSA', 'EdDSA', 'ES256'], lastDelegateAlg: 'PS256' }],
      ['cwt holder 5 mixed', { format: 'cwt', root: 'holder', algs: ['ES384', 'EdDSA', 'ES256', 'EdDSA', 'PS256'], lastDelegateAlg: 'EdDSA' }],
    ];
    for (const [name, shape] of shapes) {
      const n = shape.algs.length;
      const plan = (jtiPrefix: string): ChainPlan => ({
        ...shape,
        scopes: Array.from({ length: n }, (_, i) => SCOPE_UNIVERSE.slice(0, SCOPE_UNIVERSE.length - i)),
        extraDepth: 0,
        startSteps: Array.from({ length: n }, (_, i) => (i === 0 ? 0 : 10)),
        endSteps: Array.from({ length: n }, (_, i) => (i === 0 ? 0 : 10)),
        requested: undefined,
        jtiPrefix,
      });
      const planned = await mintPlan(ring, plan(`${name}-base`));
      const sibling = await mintPlan(ring, plan(`${name}-sibling`));
      const verifier = await createVerifier(planned.trust, ALL_PARTS);
      const text = serializeChain(planned.chain, ALL_PARTS);
      // The property is only meaningful if the unmutated base verifies.
      await verifier.verify(text, planned.context);
      bases.push({ name, planned, sibling, verifier, text });
    }
  });

  test('random valid chains verify, with the result of §6.3', { timeout: HANG_GUARD_MS }, async (t) => {
    const started = process.hrtime.bigint();
    const runs = Math.max(48, Math.floor(RUNS / 50));
    const checkPlan = async (plan: ChainPlan): Promise<void> => {
      const planned = await mintPlan(ring, plan);
      const verifier = await createVerifier(planned.trust, ALL_PARTS);
      const result = await verifier.verify(planned.chain, planned.context);
      assert.deepEqual(
        { cnf: result.cnf, sub: result.sub, act: result.act, scope: result.scope, notAfter: result.notAfter, root: result.root },
        planned.expected,
      );
      assert.equal(result.links.length, plan.algs.length);
    };
    // Four plans per run, minted and verified concurrently (each still checked on its own).
    await fc.assert(
      fc.asyncProperty(fc.array(planArbitrary, { minLength: 4, maxLength: 4 }), async (plans) => {
        await Promise.all(plans.map(checkPlan));
      }),
      { numRuns: Math.ceil(runs / 4) },
    );
    t.diagnostic(`${runs} random valid chains minted and verified in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
  });

  test(`single mutations of valid chains never verify (${RUNS} cases)`, { timeout: HANG_GUARD_MS }, async (t) => {
    const started = process.hrtime.bigint();
    // Each run checks a batch of cases concurrently: verification mostly waits on the crypto thread
    // pool, so overlapping cases keeps both cores busy. Every case is still checked on its own.
    const runs = Math.ceil(RUNS / BATCH);
    const oneCase = fc.tuple(fc.nat({ max: 1000 }), mutationArbitrary);
    await fc.assert(
      fc.asyncProperty(fc.array(oneCase, { minLength: BATCH, maxLength: BATCH }), async (cases) => {
        await Promise.all(cases.map(([pick, mutation]) => checkMutation(bases[pick % bases.length] as Base, mutation)));
      }),
      { numRuns: runs },
    );
    stats.seconds = Number(process.hrtime.bigint() - started) / 1e9;
    t.diagnostic(`${stats.cases} mutation cases in ${stats.seconds.toFixed(1)} s`);
    assert.ok(stats.cases >= RUNS);
  });

  async function checkMutation(base: Base, mutation: Mutation): Promise<void> {
    const mutated = await mutate(base.planned.chain, base.sibling.chain, mutation, ring);
    stats.cases++;
    let verified = false;
    try {
      await base.verifier.verify(mutated, base.planned.context);
      verified = true;
    } catch (error) {
      assertLibraryError(error, `${base.name} ${JSON.stringify(mutation)}`);
    }
    // Every mutation changes the chain's bytes, and a link has exactly one spelling (SPEC-NOTES §6.2
    // step 3: canonical base64url), so nothing mutated may verify.
    assert.ok(!verified, `${base.name}: mutation ${JSON.stringify(mutation)} verified`);
  }

  test('arbitrary input (text, JSON arrays, contexts) is only ever rejected with a TransitiveProofError', { timeout: HANG_GUARD_MS }, async (t) => {
    const started = process.hrtime.bigint();
    const runs = Math.max(200, Math.floor(RUNS / 10));
    const base = bases[0] as Base;
    const junk = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength: 200 }).map((points) => String.fromCodePoint(...points)),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
      fc.base64String({ maxLength: 400 }),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,40}(\.[A-Za-z0-9_-]{0,40}){0,3}(~[A-Za-z0-9_.-]{0,40}){0,9}$/),
      fc.array(fc.oneof(fc.string({ maxLength: 50 }), fc.integer(), fc.constant(null), fc.object()), { maxLength: 10 }).map((a) => JSON.stringify(a)),
      fc.array(fc.string({ maxLength: 80 }), { maxLength: 12 }),
      fc.jsonValue().map((v) => `[${JSON.stringify(v)}]`),
    );
    const context = fc.record(
      {
        audience: fc.oneof(fc.constant(base.planned.context.audience), fc.string()),
        requester: fc.oneof(fc.constant(base.planned.context.requester), fc.record({ id: fc.string(), jkt: fc.string() }, { requiredKeys: ['id'] })),
        tmb: fc.oneof(fc.constant(undefined), fc.jsonValue(), fc.record({ jkt: fc.string() })),
        scope: fc.oneof(fc.constant(undefined), fc.string()),
      },
      { requiredKeys: ['audience', 'requester'] },
    );
    await fc.assert(
      fc.asyncProperty(junk, context, async (input, ctx) => {
        try {
          await base.verifier.verify(input as string | string[], { ...(ctx as unknown as VerificationContext), now: base.planned.context.now as Date });
        } catch (error) {
          assertLibraryError(error, `input ${JSON.stringify(input).slice(0, 200)}`);
          return;
        }
        assert.fail(`junk verified: ${JSON.stringify(input).slice(0, 200)}`);
      }),
      { numRuns: runs },
    );
    t.diagnostic(`${runs} junk inputs in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
  });
});
