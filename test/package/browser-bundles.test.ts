/**
 * Every entry that README calls runtime-neutral bundles for a browser (esbuild, platform browser,
 * the `browser` condition) with nothing external: no Node built-in and no Node-only dependency is
 * reachable from it. The Node-only entries (oidc-provider, redis, vectors) are listed apart, so a new
 * entry must be put on one side or the other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../helpers/repo.js';

const RUNTIME_NEUTRAL = ['.', './cose', './x509', './x509/issue', './as', './status', './inspect'] as const;
const NODE_ONLY = ['./oidc-provider', './redis', './vectors'] as const;
const NOT_CODE = ['./schemas/*', './package.json'] as const;

interface ExportTarget { types?: string; default: string }
const root = repoRoot();
const exportsMap = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, ExportTarget | string> }).exports;

test('every package export is classified as runtime-neutral, Node-only or not code', () => {
  assert.deepEqual(Object.keys(exportsMap).sort(), [...RUNTIME_NEUTRAL, ...NODE_ONLY, ...NOT_CODE].sort());
});

for (const entry of RUNTIME_NEUTRAL) {
  test(`${entry} bundles for the browser without Node built-ins`, async () => {
    const target = exportsMap[entry] as ExportTarget;
    const result = await build({
      entryPoints: [join(root, target.default)],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      conditions: ['browser'],
      logLevel: 'silent',
    });
    assert.deepEqual(result.errors, []);
    const code = result.outputFiles[0]?.text ?? '';
    assert.doesNotMatch(code, /\bfrom\s*["']node:/, 'no node: import left in the bundle');
  });
}

test('a JWT-only verifier bundles without the optional parts: no remote key sets, no status-section, X.509-section or document validators, no status list code, no certificate signer or status list lookup', async () => {
  // What createVerifier + verify with keys in the configuration reach from the root entry; the parts
  // (remoteKeySupport, statusSupport from /status) are passed in, never imported by the root (issue #27);
  // so are the steps only they need (step 6's certificate signer, step 17a's Status List lookup).
  const result = await build({
    stdin: { contents: `import { createVerifier } from ${JSON.stringify(join(root, (exportsMap['.'] as ExportTarget).default))};\nexport const verifier = await createVerifier(globalThis.TRUST);\n`, resolveDir: root, loader: 'js' },
    bundle: true, write: false, metafile: true, minify: true, platform: 'browser', format: 'esm', conditions: ['browser'], logLevel: 'silent',
  });
  const included = Object.entries(Object.values(result.metafile.outputs)[0]?.inputs ?? {}).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path);
  assert.ok(included.some((path) => path.endsWith('lib/model/validators.generated.js')), 'the core validators are there (the check sees the bundle)');
  for (const absent of [/node_modules\/jose\/dist\/webapi\/jwks\//, /lib\/status\/(?:remote-keys|uri|support|fetcher|token|config|list)\.js$/, /lib\/rules\/(?:x509-signer|x509-support|status-support)\.js$/, /status-validators\.generated\.js$/, /x509-validators\.generated\.js$/, /document-validators\.generated\.js$/]) {
    assert.deepEqual(included.filter((path) => absent.test(path)), [], String(absent));
  }
});
