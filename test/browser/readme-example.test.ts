/**
 * The README's library example (a JWT chain, a CBOR chain, an x5c chain: mint and verify) runs in
 * headless Chromium, bundled by esbuild for the browser from the built package through its
 * `exports` (the `browser` condition: the WebCrypto runtime), under a Content-Security-Policy
 * without 'unsafe-eval' or inline script. Issue #10 item 3's proof that the core needs Web APIs only.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { launchBrowser, serveStatic, STRICT_CSP, watchPage } from '../helpers/browser.js';
import { readmeBlocks } from '../helpers/readme.js';
import { repoRoot } from '../helpers/repo.js';

const work = mkdtempSync(join(tmpdir(), 'tproof-browser-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The example verbatim, then one check per claim of its "// result.x = ..." comment. */
function exampleWithChecks(): { source: string; checks: number } {
  const example = readmeBlocks('Library', 'ts')[0] as string;
  const claims = example.match(/^\/\/ (result\..*)$/m)?.[1];
  assert.ok(claims !== undefined, 'the example has a "// result.x = ..." comment');
  const checks = [...claims.matchAll(/result\.(\w+) = (.+?)(?=, result\.|$)/g)].map(([, field, value]) => `same('${field}', result.${field}, ${value});`);
  assert.ok(checks.length >= 4);
  const same = `function same(name: string, actual: unknown, expected: unknown): void {
  const canonical = (value: unknown): string => JSON.stringify(value, (_key, v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));
  if (canonical(actual) !== canonical(expected)) throw new Error(\`result.\${name} is \${canonical(actual)}, the README says \${canonical(expected)}\`);
}`;
  return { source: `${example}\n${same}\n${checks.join('\n')}\n`, checks: checks.length };
}

/** Bundle for the browser from the package as a consumer resolves it: node_modules/transitive-proof -> the repository. */
async function bundle(entry: string, outfile: string): Promise<void> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [entry], outfile, absWorkingDir: work, bundle: true, minify: true, format: 'esm', platform: 'browser',
    target: 'es2022', conditions: ['browser'], logLevel: 'silent',
  });
}

test('the README library example, bundled for the browser, runs in Chromium under a CSP without unsafe-eval', async (t) => {
  const launched = await launchBrowser(t);
  if (launched === undefined) return;
  const site = join(work, 'site');
  mkdirSync(join(work, 'node_modules'), { recursive: true });
  mkdirSync(site);
  symlinkSync(repoRoot(), join(work, 'node_modules', 'transitive-proof'), 'dir');
  const { source, checks } = exampleWithChecks();
  writeFileSync(join(work, 'example.ts'), source);
  // The example's top-level awaits run inside the dynamic import; its outcome is left on the page.
  writeFileSync(join(work, 'main.ts'), `const page = globalThis as { __outcome?: string };
import('./example.ts').then(() => { page.__outcome = 'ok'; }, (error: unknown) => { page.__outcome = \`failed: \${error instanceof Error ? error.stack : String(error)}\`; });
`);
  await bundle(join(work, 'main.ts'), join(site, 'app.js'));
  writeFileSync(join(site, 'index.html'), '<!doctype html><meta charset="utf-8"><title>README example</title><script type="module" src="/app.js"></script>\n');
  const server = await serveStatic(site, { csp: STRICT_CSP });
  try {
    const page = await launched.browser.newPage();
    const problems = await watchPage(page);
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => (globalThis as { __outcome?: string }).__outcome !== undefined, undefined, { timeout: 120_000 });
    const outcome = await page.evaluate(() => (globalThis as { __outcome?: string }).__outcome);
    assert.equal(outcome, 'ok', `the example failed in the page (${checks} checks)`);
    assert.deepEqual(problems, []);
  } finally {
    await server.close();
    await launched.close();
  }
});

test('the harness sees what the CSP refuses: a page that evaluates a string is reported', async (t) => {
  const launched = await launchBrowser(t);
  if (launched === undefined) return;
  const site = join(work, 'eval-site');
  mkdirSync(site, { recursive: true });
  writeFileSync(join(site, 'index.html'), '<!doctype html><meta charset="utf-8"><script src="/eval.js"></script>\n');
  writeFileSync(join(site, 'eval.js'), "try { new Function('return 1')(); } catch (error) { globalThis.__refused = String(error); }\n");
  const server = await serveStatic(site, { csp: STRICT_CSP });
  try {
    const page = await launched.browser.newPage();
    const problems = await watchPage(page);
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => (globalThis as { __refused?: string }).__refused !== undefined, undefined, { timeout: 30_000 });
    assert.match(await page.evaluate(() => (globalThis as { __refused?: string }).__refused ?? ''), /EvalError/);
    assert.ok(problems.some((problem) => problem.includes('CSP violation') && problem.includes('script-src')), problems.join('\n'));
  } finally {
    await server.close();
    await launched.close();
  }
});
