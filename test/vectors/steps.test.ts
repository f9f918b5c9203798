/**
 * Every error's `step` (SPEC-NOTES.md §9) is held to the text: for every negative vector, the step
 * the error carries is one that §9's table lists for its code, and, when the vector's `spec` names
 * one step of §6.2, that very step. Both are read from the text (SPEC-NOTES.md and the vector files),
 * so the test fails when a check moves to another step in the code without the text saying so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vectorOutcome } from '../../lib/vectors/check.js';
import type { Vector, VectorIndex } from '../../lib/vectors/types.js';
import { repoRoot } from '../helpers/repo.js';

const root = repoRoot();

/** code → the steps §9's table lists ("step 6 (b)" → "6"; §7 checks run at step 6, §4.3 ones at 2 or 3). */
function stepsByCode(): Map<string, Set<string>> {
  const text = readFileSync(join(root, 'SPEC-NOTES.md'), 'utf8');
  const section = text.slice(text.indexOf('## 9. Error codes'), text.indexOf('## 10.'));
  const table = new Map<string, Set<string>>();
  for (const line of section.split('\n')) {
    const row = /^\| `([a-z0-9_]+)` \| [a-z_]+ \| (.*) \|$/.exec(line);
    if (row === null) continue;
    const where = (row[2] as string).replace(/\([^)]*\)/g, ''); // parenthesised notes name no step
    const steps = new Set<string>();
    for (const listed of where.matchAll(/\bsteps? ((?:\d+(?:\.\d+|a)?\s*(?:,\s*)?)+)/g)) {
      for (const step of listed[1]?.match(/\d+(?:\.\d+|a)?/g) ?? []) steps.add(step);
    }
    if (/§7(?![.\d])/.test(where)) steps.add('6');
    if (/§4\.3(?![.\d])/.test(where)) steps.add('2').add('3');
    table.set(row[1] as string, steps);
  }
  return table;
}

/** The one step of §6.2 a vector's `spec` names, or undefined when it names none or several. */
function specStep(spec: string): string | undefined {
  const named = [...spec.matchAll(/\bstep (\d+(?:\.\d+|a)?)\b(?! *[–-])/g)].map((match) => match[1] as string);
  const distinct = new Set(named);
  return distinct.size === 1 && !/\bsteps\b/.test(spec) ? (named[0] as string) : undefined;
}

test('§9 lists steps for the codes the verifier raises', () => {
  const table = stepsByCode();
  for (const [code, steps] of [['alg_not_allowed', ['4.4', '6']], ['header_forbidden', ['4.2', '6']], ['claims_invalid', ['3', '5', '12']], ['link_revoked', ['17a']]] as const) {
    assert.deepEqual([...(table.get(code) ?? [])].sort(), [...steps].sort(), code);
  }
});

test("every negative vector's error carries a step §9 allows for its code, and the step its spec names", async () => {
  const table = stepsByCode();
  const index = JSON.parse(readFileSync(join(root, 'vectors', 'index.json'), 'utf8')) as VectorIndex;
  const problems: string[] = [];
  let checked = 0;
  for (const entry of index.vectors) {
    if (entry.valid) continue;
    const vector = JSON.parse(readFileSync(join(root, 'vectors', entry.file), 'utf8')) as Vector;
    const input = vector.chain.compact ?? (vector.chain.json as string[]);
    const outcome = await vectorOutcome(vector, input);
    if (!('error' in outcome)) continue; // the vector checker reports that
    const { code, step } = outcome.error as { code?: string; step?: string };
    if (step === undefined) continue; // §6.1 context errors carry none
    checked++;
    const allowed = table.get(String(code));
    if (allowed === undefined || !allowed.has(step)) problems.push(`${vector.id}: ${String(code)} at step ${step}; §9 lists ${[...(allowed ?? [])].join(', ') || 'none'}`);
    const named = specStep(vector.spec);
    if (named !== undefined && named !== step && !step.startsWith(`${named}.`)) problems.push(`${vector.id}: ${String(code)} at step ${step}; its spec names step ${named} (${vector.spec})`);
  }
  assert.ok(checked > 150, `only ${checked} vectors carried a step`);
  assert.deepEqual(problems, []);
});
