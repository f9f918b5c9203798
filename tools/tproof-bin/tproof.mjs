#!/usr/bin/env node
// `npx tproof` in a clone of the repository (README, "Two commands"): the built CLI, built first
// when the clone has not been built yet. Users of the package get npm's own link to dist/cli/tproof.js.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(realpathSync(fileURLToPath(import.meta.url))), '..', '..');
const cli = join(root, 'dist', 'cli', 'tproof.js');
if (!existsSync(cli)) {
  process.stderr.write('tproof: building the repository first (npm run build)…\n');
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
await import(pathToFileURL(cli).href);
