/**
 * The web inspector (web/inspector): type-checked against the DOM, then bundled with the library for
 * the browser (the `browser` condition picks the Web Crypto runtime) into dist/web/inspector, beside
 * its HTML and CSS. cbor-x's no-eval build is used: the page runs under a CSP without 'unsafe-eval'.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'web/inspector');
const out = join(root, 'dist/web/inspector');

execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'web/tsconfig.json')], { stdio: 'inherit' });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(source, 'main.ts')],
  outfile: join(out, 'main.js'),
  absWorkingDir: root,
  bundle: true, format: 'esm', platform: 'browser', target: 'es2022', conditions: ['browser'],
  alias: { 'cbor-x': 'cbor-x/index-no-eval' },
  minify: true, legalComments: 'linked', logLevel: 'warning',
});
for (const file of ['index.html', 'inspector.css']) copyFileSync(join(source, file), join(out, file));
