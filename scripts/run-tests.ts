/**
 * `npm test`: run the compiled test files under the given directories (default dist/test) with
 * `node --test`. Node 20 expands neither globs nor (from 22) directories itself, so the files are
 * listed here, the same on every platform. Arguments starting with "-" go to `node --test`.
 *
 *   node dist/scripts/run-tests.js [--test-reporter=dot] [DIR|FILE]...
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function testFiles(root: string): string[] {
  if (statSync(root).isFile()) return [root];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => join(root, name))
    .sort();
}

const args = process.argv.slice(2);
const options = args.filter((arg) => arg.startsWith('-'));
const roots = args.filter((arg) => !arg.startsWith('-'));
const files = (roots.length > 0 ? roots : ['dist/test']).flatMap(testFiles);
if (files.length === 0) {
  process.stderr.write(`no *.test.js files under ${roots.join(', ') || 'dist/test'} (build first: npm run build)\n`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', ...options, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
