/**
 * Paths the tests need. Tests run both from test/ (tsx) and compiled from dist/test/, so the
 * repository is found by walking up to package.json, never from a fixed relative path.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest ancestor of this file holding package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root (package.json) not found above the tests');
    dir = parent;
  }
  return dir;
}

/** External conformance data: $TPROOF_CONFORMANCE_DIR, else ../shared/conformance beside the repository. */
export function conformanceDir(): string {
  return resolve(process.env.TPROOF_CONFORMANCE_DIR ?? join(repoRoot(), '..', 'shared', 'conformance'));
}
