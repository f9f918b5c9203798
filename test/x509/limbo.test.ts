/**
 * x509-limbo (C2SP, ../shared/conformance/x509-limbo/limbo.json, never copied here) against the
 * committed baseline test/x509/limbo-baseline.json. Every testcase either agrees with limbo's expected
 * result or is listed in the baseline with our result and a reason that SPEC-NOTES §7 names. A new
 * disagreement fails; so does a listed case that now agrees (remove it from the baseline).
 * The harness is test/x509/limbo-run.ts (library API only, no path building of its own).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir, repoRoot } from '../helpers/repo.js';
import { loadLimbo, runLimboCase, type LimboOutcome, type LimboResult } from './limbo-run.js';

const limboDir = join(conformanceDir(), 'x509-limbo');
const SKIP = `x509-limbo not found at ${limboDir}: set TPROOF_CONFORMANCE_DIR`;

interface Baseline {
  reasons: Record<string, { kind: 'deviation' | 'out-of-scope'; spec: string; text: string }>;
  cases: Record<string, { ours: LimboResult; reason: string }>;
}

const baseline = JSON.parse(readFileSync(join(repoRoot(), 'test', 'x509', 'limbo-baseline.json'), 'utf8')) as Baseline;
const specNotes = readFileSync(join(repoRoot(), 'SPEC-NOTES.md'), 'utf8');

describe('x509-limbo', () => {
  test('the baseline: every reason is named in SPEC-NOTES §7, every entry has a known reason', () => {
    for (const [key, reason] of Object.entries(baseline.reasons)) {
      assert.ok(specNotes.includes(`\`limbo:${key}\``), `SPEC-NOTES.md does not name the limbo reason \`limbo:${key}\``);
      assert.ok(reason.kind === 'deviation' || reason.kind === 'out-of-scope', key);
      assert.ok(reason.text.length > 0 && reason.spec.length > 0, key);
    }
    for (const [id, entry] of Object.entries(baseline.cases)) {
      assert.ok(entry.reason in baseline.reasons, `${id}: unknown reason ${entry.reason}`);
    }
  });

  // Outside CI the data may be absent (skip, saying where it was looked for); in CI it must be there.
  const present = existsSync(join(limboDir, 'limbo.json'));
  test('every testcase agrees with limbo or is a listed disagreement', { skip: present || process.env.CI === 'true' ? false : SKIP }, async (t) => {
    assert.ok(present, SKIP);
    const cases = loadLimbo(limboDir);
    const ids = new Set(cases.map((c) => c.id));
    for (const id of Object.keys(baseline.cases)) assert.ok(ids.has(id), `baseline lists ${id}, which limbo.json does not have`);

    // limbo's "validation_time": null means the time of the run; its certificates are valid for centuries.
    const now = Math.floor(Date.now() / 1000);
    const problems: string[] = [];
    const counts = new Map<string, number>();
    let agree = 0;
    for (const testcase of cases) {
      let outcome: LimboOutcome;
      try {
        outcome = await runLimboCase(testcase, now);
      } catch (error) {
        problems.push(`${testcase.id}: the harness threw ${String(error)} (not a TransitiveProofError)`);
        continue;
      }
      const listed = baseline.cases[testcase.id];
      if (outcome.result === testcase.expected_result) {
        agree++;
        if (listed !== undefined) problems.push(`${testcase.id}: now agrees with limbo (${outcome.result}); remove it from limbo-baseline.json`);
      } else if (listed === undefined) {
        problems.push(`${testcase.id}: expected ${testcase.expected_result}, got ${outcome.result} (${outcome.detail}); not in limbo-baseline.json`);
      } else if (listed.ours !== outcome.result) {
        problems.push(`${testcase.id}: baseline says ${listed.ours}, got ${outcome.result}`);
      } else {
        const key = `${baseline.reasons[listed.reason]?.kind ?? '?'} ${listed.reason}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    t.diagnostic(`limbo: ${cases.length} cases, ${agree} agree; ${[...counts].map(([k, n]) => `${k}: ${n}`).join(', ')}`);
    assert.deepEqual(problems, []);
  });
});
