/**
 * Shared pieces of the audit tests (no tests here): a seeded generator, the library with its COSE
 * codec on the Node backend (its WebCrypto twin: test/helpers/webcrypto-library.ts, so one chain is
 * verified by both backends of the runtime seam), a verdict reduced to what must agree between them,
 * and a blank page in headless Chromium.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { serveStatic, STRICT_CSP, type LaunchedBrowser } from '../helpers/browser.js';
import type { LibraryWithCose } from '../helpers/webcrypto-library.js';

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

export type Library = LibraryWithCose;

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
