/**
 * Headless Chromium for the browser tests: Debian's `chromium` (CHROMIUM_PATH, else /usr/bin/chromium)
 * driven by playwright-core, and a static file server on 127.0.0.1 that sends a Content-Security-Policy.
 *
 *   const launched = await launchBrowser(t);           // undefined: skipped (no chromium, not CI)
 *   if (launched === undefined) return;
 *   const site = await serveStatic(dir, { csp: STRICT_CSP });
 *   try {
 *     const page = await launched.browser.newPage();
 *     const problems = await watchPage(page);          // page errors, console errors, CSP violations
 *     await page.goto(`${site.url}/index.html`);
 *     ...
 *     assert.deepEqual(problems, []);
 *   } finally {
 *     await site.close();
 *     await launched.close();
 *   }
 *
 * Without chromium a test skips with a message, or fails under CI=true (CI must run it).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';

/** Scripts from the page's own origin only: no inline script, no eval (no 'unsafe-eval'), nothing else. */
export const STRICT_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'";

/** The Chromium binary: $CHROMIUM_PATH, else Debian's paths; undefined when none exists. */
export function findChromium(): string | undefined {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => path !== undefined && path !== '' && existsSync(path));
}

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Launch headless Chromium, or skip `t` with a message when it is not installed; under CI=true a
 * missing Chromium throws instead (the browser tests are part of CI).
 */
export async function launchBrowser(t: TestContext): Promise<LaunchedBrowser | undefined> {
  const executablePath = findChromium();
  if (executablePath === undefined) {
    if (process.env.CI === 'true') throw new Error('chromium is not installed (.ci/chromium.sh, or set CHROMIUM_PATH); CI=true, so this fails instead of skipping');
    t.skip('chromium is not installed (.ci/chromium.sh, or set CHROMIUM_PATH); skipped outside CI');
    return undefined;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  return { browser, close: () => browser.close() };
}

/**
 * Collect what goes wrong on a page: uncaught errors, console errors and every Content-Security-Policy
 * violation (reported by a listener installed before any page script). Returns the live list.
 */
export async function watchPage(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  // Init scripts run through the DevTools protocol, not as page script: the CSP does not apply to them.
  await page.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (event) => console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + (event.blockedURI || '(inline)')));",
  });
  return problems;
}

export interface StaticServer {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

const TYPES: Readonly<Record<string, string>> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json', '.css': 'text/css' };

/** Serve the files of `dir` (GET only, no listing, nothing outside it) on 127.0.0.1, each response with `csp`. */
export async function serveStatic(dir: string, options: { csp: string }): Promise<StaticServer> {
  const root = normalize(dir + sep);
  const server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent((req.url ?? '/').split('?')[0] as string)));
    const send = (status: number, type: string, body: string | Buffer): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-security-policy': options.csp });
      res.end(body);
    };
    if (req.method !== 'GET' || !path.startsWith(root)) return send(404, 'text/plain', 'not found');
    readFile(path).then((body) => send(200, TYPES[extname(path)] ?? 'application/octet-stream', body), () => send(404, 'text/plain', 'not found'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
