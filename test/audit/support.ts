/**
 * Shared pieces of the audit tests (no tests here): a seeded generator, the library with its COSE
 * codec bundled for the WebCrypto backend (so one chain is verified by both backends of the runtime
 * seam), and a verdict reduced to what must agree between them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { serveStatic, STRICT_CSP, type LaunchedBrowser } from '../helpers/browser.js';
import { repoRoot } from '../helpers/repo.js';

/** A small seeded generator (mulberry32): the same cases on every run. */
export function seeded(seed: number): { next(): number; int(n: number): number; pick<T>(items: readonly T[]): T } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)] as T };
}

type Root = typeof import('../../lib/index.js');
type Cose = typeof import('../../lib/codecs/cose/index.js');
export type Library = Root & Pick<Cose, 'coseCodec'>;

let webBundle: Promise<string> | undefined;

/**
 * The root entry and the COSE codec bundled by esbuild with the `browser` condition, so `#runtime`
 * is lib/runtime/webcrypto.ts: the path of the bundle (`bundle.mjs`, alone in a directory of its
 * own, so a static server can serve it to a browser). Built once per process.
 */
export function webBundleFile(): Promise<string> {
  webBundle ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tproof-audit-web-'));
    const entry = join(mkdtempSync(join(tmpdir(), 'tproof-audit-entry-')), 'entry.mjs');
    const dist = join(repoRoot(), 'dist', 'lib');
    writeFileSync(entry, `export * from ${JSON.stringify(join(dist, 'index.js'))};\nexport { coseCodec } from ${JSON.stringify(join(dist, 'codecs', 'cose', 'index.js'))};\n`);
    const result = await build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', conditions: ['browser'], logLevel: 'silent' });
    const file = join(dir, 'bundle.mjs');
    writeFileSync(file, result.outputFiles[0]?.text ?? '');
    return file;
  })();
  return webBundle;
}

let webLibrary: Promise<Library> | undefined;

/**
 * The WebCrypto bundle (webBundleFile) imported in Node: the bundle has its own kept headers, key
 * caches and scratch buffers. Node 20 lacks Uint8Array.fromBase64 and toBase64, so there the Web
 * backend takes its atob / btoa way; a browser that has them takes the native one (browser-chains.test.ts).
 */
export function webLibraryWithCose(): Promise<Library> {
  webLibrary ??= webBundleFile().then(async (file) => (await import(pathToFileURL(file).href)) as Library);
  return webLibrary;
}

/** The library on the Node backend, as the package's root and `/cose` load it. */
export async function nodeLibraryWithCose(): Promise<Library> {
  const [root, cose] = await Promise.all([import('../../lib/index.js'), import('../../lib/codecs/cose/index.js')]);
  return { ...root, coseCodec: cose.coseCodec };
}

/** What must agree between backends and between runs: success (with the subject and scope), or the error's code, link index and step. */
export async function verdictOf(run: () => Promise<{ sub: string; scope: string }>): Promise<string> {
  try {
    const result = await run();
    return `ok ${result.sub} ${result.scope}`;
  } catch (error) {
    const { code, linkIndex, step } = error as { code?: unknown; linkIndex?: unknown; step?: unknown };
    if (typeof code !== 'string') return `THROWN ${String(error)}`;
    return `${code} link ${String(linkIndex)} step ${String(step)}`;
  }
}

/**
 * `use` on a blank page (`index.html`, titled `title`) of a static site that also serves `files`
 * (name → text) under the strict CSP, in the browser `launched`; then the site and the browser close.
 */
export async function onBlankPage<T>(launched: LaunchedBrowser, title: string, files: Readonly<Record<string, string>>, use: (page: Page) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `tproof-audit-${title}-`));
  writeFileSync(join(dir, 'index.html'), `<!doctype html><title>${title}</title>`);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const site = await serveStatic(dir, { csp: STRICT_CSP });
  try {
    const page = await launched.browser.newPage();
    await page.goto(`${site.url}/index.html`);
    return await use(page);
  } finally {
    await site.close();
    await launched.close();
  }
}
