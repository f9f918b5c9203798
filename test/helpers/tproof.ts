/**
 * Running `tproof` as a user does: a separate process in a working directory.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './repo.js';

// Compiled (npm test) → the built CLI; under tsx → the TypeScript source through tsx.
const compiled = fileURLToPath(import.meta.url).endsWith('.js');
const root = repoRoot();

/** Arguments to give `node` (process.execPath) to run tproof. */
export const tproofArgs: readonly string[] = compiled ? [join(root, 'dist/cli/tproof.js')] : ['--import', import.meta.resolve('tsx'), join(root, 'cli/tproof.ts')];

export interface TproofResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `tproof` (any outcome) and `ok` (asserts exit 0, returns stdout), both run in `cwd`. */
export function tproofIn(cwd: string): { tproof(args: string[], input?: string): TproofResult; ok(args: string[], input?: string): string } {
  const tproof = (args: string[], input?: string): TproofResult => {
    const result = spawnSync(process.execPath, [...tproofArgs, ...args], { cwd, input, encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const ok = (args: string[], input?: string): string => {
    const result = tproof(args, input);
    assert.equal(result.status, 0, `tproof ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  };
  return { tproof, ok };
}
