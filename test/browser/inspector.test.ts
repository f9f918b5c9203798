/**
 * The web inspector in headless Chromium (Debian's chromium, driven by playwright-core): `tproof
 * inspect --web FILE` runs as a separate process on a three-link chain, and the page is checked in
 * the states a person meets: the chain with its narrowing scope, a successful verification, a
 * spliced chain, an expired CBOR chain, phone width, keyboard only. No state may log a page error or
 * a CSP violation. Screenshots go to test-artifacts/inspector/ (git-ignored). Needs chromium: skips
 * outside CI when it is missing, fails in CI (CI=true).
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { repoRoot } from '../helpers/repo.js';
import { tproofArgs } from '../helpers/tproof.js';
import { buildInspectorScene, DELEGATES, SCOPES, type InspectorScene } from './inspector-scene.js';

const ARTIFACTS = join(repoRoot(), 'test-artifacts', 'inspector');

/** What the callbacks run in the page use of it (this compilation has no DOM types). */
interface Box { getBoundingClientRect(): { left: number; right: number } }
interface InPage {
  document: {
    activeElement: { id: string } | null;
    addEventListener(type: 'securitypolicyviolation', listener: (event: { violatedDirective: string; blockedURI: string }) => void): void;
    querySelector(selector: string): Box | null;
    querySelectorAll(selector: string): Iterable<Box>;
    createElement(tag: 'style'): { textContent: string };
    head: { append(node: unknown): void };
    body: unknown;
    documentElement: { scrollWidth: number };
  };
  getComputedStyle(element: unknown): { backgroundColor: string };
  __csp?: string[];
}

let scene: InspectorScene;
let work: string;
let server: ChildProcess | undefined;
let url: string;
let browser: Browser | undefined;

/** Start `tproof inspect --web FILE` and read the URL it prints. */
async function startInspector(file: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...tproofArgs, 'inspect', '--web', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const printed = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(output);
      if (match !== null) resolve(match[0]);
    });
    child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
    child.once('exit', (code) => reject(new Error(`tproof inspect --web exited (${code}) before printing its URL: ${output}`)));
  });
  return { child, url: printed };
}

before(async () => {
  scene = await buildInspectorScene();
  work = mkdtempSync(join(tmpdir(), 'tproof-inspector-'));
  writeFileSync(join(work, 'chain.txt'), scene.chain);
  ({ child: server, url } = await startInspector(join(work, 'chain.txt')));
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  if (server !== undefined && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGINT');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
});

interface OpenPage {
  page: Page;
  /** Page errors, console errors and CSP violations seen so far. */
  problems: string[];
}

/** A fresh page at the inspector, its problems recorded; undefined when the test was skipped. */
async function openInspector(t: TestContext, viewport = { width: 1000, height: 900 }): Promise<OpenPage | undefined> {
  if (browser === undefined) {
    const launched = await launchBrowser(t); // skips t (or throws under CI=true) without chromium
    if (launched === undefined) return undefined;
    browser = launched.browser;
  }
  const page = await browser.newPage({ viewport });
  t.after(() => page.close());
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  // Injected by the browser driver, not by the page: the CSP does not apply to it.
  await page.addInitScript(() => {
    const window = globalThis as unknown as InPage;
    window.document.addEventListener('securitypolicyviolation', (event) => {
      (window.__csp ??= []).push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, problems };
}

async function assertNoProblems({ page, problems }: OpenPage): Promise<void> {
  const violations = await page.evaluate(() => (globalThis as { __csp?: string[] }).__csp ?? []);
  assert.deepEqual([...problems, ...violations.map((violation) => `CSP violation: ${violation}`)], []);
}

async function verifyWith(page: Page, trust: unknown): Promise<void> {
  await page.fill('#trust-input', JSON.stringify(trust));
  await page.click('#verify-button');
  await page.waitForSelector('#verdict[data-outcome]');
}

async function pasteChain(page: Page, chain: string): Promise<void> {
  await page.fill('#chain-input', chain);
  await page.click('#inspect-button');
  await page.waitForSelector('#chain-view:not([hidden])');
}

describe('the web inspector (tproof inspect --web) in headless Chromium', () => {
  test('the served chain shows three links, the parties root to requester, and the scope each hop removed', async (t) => {
    const open = await openInspector(t);
    if (open === undefined) return;
    const { page } = open;
    assert.equal(await page.locator('#links > li').count(), 3);
    assert.deepEqual(await page.locator('#parties .id').allTextContents(), ['https://authority.example', ...DELEGATES]);
    for (const hop of [1, 2]) {
      const removed = [...(SCOPES[hop - 1] as string).split(' ')].filter((token) => !(SCOPES[hop] as string).split(' ').includes(token));
      assert.deepEqual(await page.locator(`#link-${hop} .token.removed`).allTextContents(), removed);
      assert.deepEqual(await page.locator(`#link-${hop} .scope .token:not(.removed)`).allTextContents(), (SCOPES[hop] as string).split(' '));
    }
    assert.match(await page.textContent('#link-1') ?? '', /= hash of link 0/);
    // The chain came from the server (a file): the chain box shows it too.
    assert.equal(await page.inputValue('#chain-input'), scene.chain.trim());
    await page.screenshot({ path: join(ARTIFACTS, 'chain.png'), fullPage: true });
    await assertNoProblems(open);
  });

  test('verifying with the right trust shows the bound cnf, the nested act and the scope', async (t) => {
    const open = await openInspector(t);
    if (open === undefined) return;
    const { page } = open;
    await verifyWith(page, scene.trust);
    assert.equal(await page.getAttribute('#verdict', 'data-outcome'), 'valid', await page.textContent('#verdict') ?? '');
    assert.deepEqual(JSON.parse(await page.textContent('#result-cnf') ?? ''), scene.tmb);
    assert.deepEqual(JSON.parse(await page.textContent('#result-act') ?? ''), { sub: DELEGATES[2], act: { sub: DELEGATES[1], act: { sub: DELEGATES[0] } } });
    assert.equal(await page.locator('#links > li.verified').count(), 3);
    await page.screenshot({ path: join(ARTIFACTS, 'verified.png'), fullPage: true });
    await assertNoProblems(open);
  });

  test('the disclosure section shows what a token would name under full, subset and actor-only (SPEC-NOTES §8.4.2)', async (t) => {
    const open = await openInspector(t);
    if (open === undefined) return;
    const { page } = open;
    const named = (profile: string) => page.locator(`#disclosure-${profile} .disclosed-actors li.named .id`).allTextContents();
    assert.deepEqual(await named('full'), [...DELEGATES]);
    assert.deepEqual(await named('subset'), [DELEGATES[0], DELEGATES[2]]);
    assert.deepEqual(await page.locator('#disclosure-subset .disclosed-actors li.omitted del').allTextContents(), [DELEGATES[1]]);
    assert.deepEqual(await named('actor-only'), [DELEGATES[2]]);
    assert.deepEqual(JSON.parse(await page.locator('#disclosure-actor-only .disclosed-act').textContent() ?? ''), { sub: DELEGATES[2] });
    // The record commits to the whole chain in every profile; the length only where it is disclosed.
    const chainHash = createHash('sha256').update(scene.chain, 'ascii').digest('base64url');
    const record = async (profile: string) => JSON.parse(await page.locator(`#disclosure-${profile} .disclosed-record`).textContent() ?? '') as Record<string, unknown>;
    assert.deepEqual(await record('full'), { root: { iss: 'https://authority.example' }, chain_sha256: chainHash, format: 'jwt', disclosure: 'full', links: 3, omitted: 0 });
    assert.deepEqual(await record('subset'), { root: { iss: 'https://authority.example' }, chain_sha256: chainHash, format: 'jwt', disclosure: 'subset' });
    // Another selection: the delegate before the requester.
    await page.fill('#disclosure-keep', '-2');
    await page.press('#disclosure-keep', 'Enter');
    await page.locator('#disclosure-subset h4', { hasText: 'keep -2' }).waitFor();
    assert.deepEqual(await named('subset'), [DELEGATES[1], DELEGATES[2]]);
    // A selector the AS would refuse is shown, not applied.
    await page.fill('#disclosure-keep', 'middle');
    await page.press('#disclosure-keep', 'Enter');
    await page.waitForSelector('#disclosure-error:not([hidden])');
    assert.match(await page.textContent('#disclosure-error') ?? '', /invalid_argument/);
    await page.screenshot({ path: join(ARTIFACTS, 'disclosure.png'), fullPage: true });
    await assertNoProblems(open);
  });

  test('a spliced chain shows link 1 failing with chain_broken at SPEC-NOTES step 8', async (t) => {
    const open = await openInspector(t);
    if (open === undefined) return;
    const { page } = open;
    await pasteChain(page, scene.spliced);
    assert.match(await page.textContent('#link-1') ?? '', /≠ hash of link 0/);
    await verifyWith(page, scene.trust);
    assert.equal(await page.textContent('#failure-code'), 'chain_broken');
    assert.deepEqual(await page.locator('#links > li.failed').evaluateAll((links) => links.map((link) => link.id)), ['link-1']);
    assert.match(await page.textContent('#link-status-1') ?? '', /chain_broken \(SPEC-NOTES §6\.2 step 8\)/);
    await page.screenshot({ path: join(ARTIFACTS, 'spliced.png'), fullPage: true });
    // The delegation panel alone: the picture in the README (docs/inspector.png).
    await page.locator('#chain-view').screenshot({ path: join(ARTIFACTS, 'spliced-delegation.png') });
    await assertNoProblems(open);
  });

  test('an expired CBOR chain, pasted as hex, shows its windows before now and fails with expired', async (t) => {
    const open = await openInspector(t);
    if (open === undefined) return;
    const { page } = open;
    await pasteChain(page, scene.expiredCborHex);
    assert.deepEqual(await page.locator('#timeline .badge').allTextContents(), ['expired', 'expired', 'expired']);
    // Every bar ends left of the line marking now.
    const geometry = await page.evaluate(() => {
      const { document } = globalThis as unknown as InPage;
      return {
        now: document.querySelector('#window-0 .now')?.getBoundingClientRect().left ?? Number.NaN,
        ends: [...document.querySelectorAll('#timeline .bar')].map((bar) => bar.getBoundingClientRect().right),
      };
    });
    assert.equal(geometry.ends.length, 3);
    for (const end of geometry.ends) assert.ok(end <= geometry.now, JSON.stringify(geometry));
    assert.match(await page.textContent('#link-0 details:last-of-type pre') ?? '', /^18\(\[/);
    // The header as the link carries it: no decoder bookkeeping (an empty keyParameters list).
    const header = JSON.parse(await page.textContent('#link-0 details:first-of-type pre') ?? '') as Record<string, unknown>;
    assert.equal(header.alg, 'EdDSA');
    assert.ok(!('keyParameters' in header), JSON.stringify(header));
    await verifyWith(page, scene.trust);
    assert.equal(await page.textContent('#failure-code'), 'expired');
    assert.match(await page.textContent('#link-status-0') ?? '', /expired \(SPEC-NOTES §6\.2 step 12\)/);
    await page.screenshot({ path: join(ARTIFACTS, 'expired.png'), fullPage: true });
    await assertNoProblems(open);
  });

  test('pasted text that is not a chain is called not a chain, not "not a CBOR array"', async (t) => {
    const open = await openInspector(t);
    if (open === undefined) return;
    const { page } = open;
    await page.fill('#chain-input', 'Dear AS, please bind my token, thanks');
    await page.click('#inspect-button');
    await page.waitForSelector('#chain-error:not([hidden])');
    const message = await page.textContent('#chain-error') ?? '';
    assert.match(message, /^This is not a chain \(chain_malformed\): paste a JWT chain/);
    assert.doesNotMatch(message, /CBOR array/);
    await assertNoProblems(open);
  });

  test('keyboard only: Tab reaches the trust field and the Verify button, Enter verifies', async (t) => {
    const open = await openInspector(t);
    if (open === undefined) return;
    const { page } = open;
    const tabTo = async (id: string): Promise<void> => {
      for (let presses = 0; presses < 40; presses++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.id) === id) return;
      }
      assert.fail(`#${id} is not reachable with Tab`);
    };
    await tabTo('trust-input');
    await page.keyboard.insertText(JSON.stringify(scene.trust));
    await tabTo('verify-button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#verdict[data-outcome]');
    assert.deepEqual(JSON.parse(await page.textContent('#result-cnf') ?? ''), scene.tmb);
    await assertNoProblems(open);
  });

  test('at phone width (375 px) nothing scrolls sideways', async (t) => {
    const open = await openInspector(t, { width: 375, height: 800 });
    if (open === undefined) return;
    const { page } = open;
    await verifyWith(page, scene.trust);
    assert.ok(await page.evaluate(() => (globalThis as unknown as InPage).document.documentElement.scrollWidth) <= 375);
    await page.screenshot({ path: join(ARTIFACTS, 'phone.png'), fullPage: true });
    await assertNoProblems(open);
  });

  test('the served CSP is enforced: an inline style the page never adds is blocked and seen', async (t) => {
    const open = await openInspector(t);
    if (open === undefined) return;
    const { page } = open;
    await page.evaluate(() => {
      const { document } = globalThis as unknown as InPage;
      const style = document.createElement('style');
      style.textContent = 'body { background: red; }';
      document.head.append(style);
    });
    await page.waitForFunction(() => ((globalThis as { __csp?: string[] }).__csp ?? []).length > 0);
    assert.notEqual(await page.evaluate(() => {
      const window = globalThis as unknown as InPage;
      return window.getComputedStyle(window.document.body).backgroundColor;
    }), 'rgb(255, 0, 0)');
  });
});

describe('tproof inspect --web, the server', () => {
  test('serves the page with a CSP that allows only its own script and style, and nothing but its files and the chain', async () => {
    const page = await fetch(url);
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.equal(await (await fetch(new URL('chain', url))).text(), scene.chain);
    for (const path of ['package.json', '../package.json', 'dist/cli/tproof.js', 'main.ts']) {
      assert.equal((await fetch(new URL(path, url))).status, 404, path);
    }
    assert.equal((await fetch(url, { method: 'POST' })).status, 405);
  });

  test('a FILE that is no chain, or a bad --port, is refused before anything listens', () => {
    writeFileSync(join(work, 'not-a-chain.txt'), 'x'.repeat(80));
    const run = (args: string[]) => spawnSync(process.execPath, [...tproofArgs, 'inspect', '--web', ...args], { encoding: 'utf8', timeout: 60_000 });
    const notChain = run([join(work, 'not-a-chain.txt')]);
    assert.equal(notChain.status, 1, notChain.stderr);
    assert.match(notChain.stderr, /^error: chain_malformed/m);
    assert.doesNotMatch(notChain.stdout, /http:/);
    const badPort = run(['--port', 'eighty']);
    assert.equal(badPort.status, 2, badPort.stderr);
    assert.match(badPort.stderr, /--port must be a non-negative integer/);
  });
});
