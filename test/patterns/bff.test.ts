/**
 * Pattern 2, backend for frontend (examples/patterns/bff): the browser part runs in headless
 * Chromium (playwright-core, Debian's chromium) from an esbuild bundle served by the BFF under a
 * strict Content-Security-Policy; the BFF redeems at the example oidc-provider AS; the browser
 * presents with DPoP, its key non-extractable. Needs chromium: skips outside CI when it is missing,
 * fails in CI (CI=true) (test/helpers/browser.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { JWK_THUMBPRINT_URI_PREFIX } from '../../lib/index.js';
import { DEFERRED_BINDING_CLAIM } from '../../lib/as/index.js';
import { holderLink, setup, type BffScene } from '../../examples/patterns/bff/index.js';
import type { BrowserOutcome } from '../../examples/patterns/bff/browser.js';
import { holderOf } from '../../examples/patterns/support.js';
import { launchBrowser, watchPage } from '../helpers/browser.js';
import { repoRoot } from '../helpers/repo.js';
import { assertRefused } from './support.js';

/** page.ts and the library, bundled for the browser: the `browser` condition selects the Web Crypto runtime. */
async function bundlePage(): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(repoRoot(), 'dist/examples/patterns/bff/page.js')],
    bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', conditions: ['browser'], logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

let scene: BffScene;
before(async () => {
  scene = await setup({ appScript: await bundlePage() });
});
after(async () => scene?.close());

describe('backend for frontend, the browser in headless Chromium', () => {
  let outcome: BrowserOutcome | undefined;

  test('the browser signs link 0 with a non-extractable key, the BFF redeems, the browser calls the API with DPoP', async (t) => {
    const launched = await launchBrowser(t);
    if (launched === undefined) return;
    let problems: string[];
    try {
      const page = await launched.browser.newPage();
      problems = await watchPage(page);
      await page.goto(scene.bffUrl);
      await page.waitForFunction(() => (globalThis as { __result?: unknown }).__result !== undefined, undefined, { timeout: 120_000 });
      outcome = (await page.evaluate(() => (globalThis as { __result?: unknown }).__result)) as BrowserOutcome;
    } finally {
      await launched.close();
    }
    assert.deepEqual(problems, []);
    assert.equal((outcome as { error?: string }).error, undefined, JSON.stringify(outcome));
    assert.equal(outcome.extractable, false);
    assert.equal(outcome.exportRefused, true);
    assert.ok(outcome.holder.startsWith(JWK_THUMBPRINT_URI_PREFIX));
    assert.equal(outcome.session.status, 200, JSON.stringify(outcome.session.body));
    const claims = decodeJwt(outcome.session.body.access_token as string);
    assert.equal(claims.sub, outcome.holder);
    assert.deepEqual(claims.act, { sub: scene.bff.id });
    assert.deepEqual((claims[DEFERRED_BINDING_CLAIM] as { root: unknown }).root, { kind: 'holder', iss: outcome.holder });
    assert.equal(outcome.api.status, 200, JSON.stringify(outcome.api.body));
    assert.equal(outcome.api.body.sub, outcome.holder);
  });

  test('the BFF holds the token but cannot use it', async (t) => {
    if (outcome === undefined) return t.skip('no browser session');
    const response = await scene.world.present(outcome.session.body.access_token as string, holderOf(scene.bff));
    assert.equal(response.status, 401);
    assert.equal(response.body.error, 'invalid_dpop_proof');
  });

  test("the browser's chain is redeemed once", async (t) => {
    if (outcome === undefined) return t.skip('no browser session');
    assertRefused(await scene.world.redeem(scene.bff, { chain: outcome.chain }), 'invalid_grant', 'replayed');
  });
});

describe('backend for frontend, attacks on the chain', () => {
  test('a chain exfiltrated to another client: requester_mismatch', async () => {
    const browser = await scene.browserKey();
    assertRefused(await scene.world.redeem(scene.other, { chain: await holderLink(scene, browser, browser.privateKey, scene.bff) }), 'invalid_grant', 'requester_mismatch');
  });

  test("the BFF signing link 0 in the browser's name: link_signature_invalid", async () => {
    const browser = await scene.browserKey();
    assertRefused(await scene.world.redeem(scene.bff, { chain: await holderLink(scene, browser, scene.bff, scene.bff) }), 'invalid_grant', 'link_signature_invalid');
  });
});
