/**
 * The chains of the mutation fuzz (chains.ts: valid JWT and CWT chains of EdDSA, ES256 and PS256
 * links and their mutations) verified by the library in headless Chromium, bundled with the
 * `browser` condition, against the library on Node: the same verdict (success, or the same code,
 * link index and step) for every case. In Node the WebCrypto backend runs on OpenSSL and without
 * Uint8Array.fromBase64 / toBase64; in Chromium it runs on BoringSSL and takes the native base64
 * way, as browsers do: a divergence there is a chain that verifies on one runtime and not on another.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launchBrowser } from '../helpers/browser.js';
import { nodeLibraryWithCose, onBlankPage, verdictOf } from './support.js';
import { webCryptoBundleFile } from '../helpers/webcrypto-library.js';
import { fuzzWorld, type Case } from './chains.js';

const CASES = (() => {
  const value = Number(process.env.AUDIT_BROWSER_CASES ?? '300');
  return Number.isSafeInteger(value) && value > 0 ? value : 300;
})();

test('JWT and CWT chains and their mutations: the library in Chromium gives each the verdict it gets on Node', async (t) => {
  const launched = await launchBrowser(t);
  if (launched === undefined) return;
  const node = await nodeLibraryWithCose();
  const world = await fuzzWorld(node, CASES);
  const cases: Case[] = [...world.jwt, ...world.cwt];
  const expected: string[] = [];
  for (const { input } of cases) expected.push(await verdictOf(() => node.verifyChain(input, world.trust, world.context, { codecs: [node.coseCodec] })));
  // Served as .js (text/javascript): the static server sends .mjs as an octet stream, which no browser imports.
  await onBlankPage(launched, 'chains', { 'bundle.js': readFileSync(await webCryptoBundleFile({ cose: true }), 'utf8') }, async (page) => {
    const { now, ...rest } = world.context;
    const got = await page.evaluate(async ({ inputs, trust, context, at }) => {
      interface Library {
        verifyChain(input: string, trust: unknown, context: unknown, options: unknown): Promise<{ sub: string; scope: string }>;
        coseCodec: unknown;
      }
      const library = (await import('/bundle.js' as string)) as Library;
      const out: string[] = [];
      for (const input of inputs) {
        try {
          const result = await library.verifyChain(input, trust, { ...(context as object), now: new Date(at) }, { codecs: [library.coseCodec] });
          out.push(`ok ${result.sub} ${result.scope}`);
        } catch (error) {
          const { code, linkIndex, step } = error as { code?: unknown; linkIndex?: unknown; step?: unknown };
          out.push(typeof code === 'string' ? `${code} link ${String(linkIndex)} step ${String(step)}` : `THROWN ${String(error)}`);
        }
      }
      out.push(String(typeof (Uint8Array as unknown as { fromBase64?: unknown }).fromBase64));
      return out;
    }, { inputs: cases.map((c) => c.input), trust: world.trust, context: rest, at: (now as Date).getTime() });
    const native = got.pop();
    assert.equal(native, 'function', 'this Chromium has Uint8Array.fromBase64 (the Web backend\'s native way)');
    const differ = cases.map((c, i) => (got[i] === expected[i] ? '' : `${c.name}: Node ${expected[i] as string}, Chromium ${got[i] as string}`)).filter((line) => line !== '');
    assert.deepEqual(differ, []);
    assert.ok(expected.filter((v) => v.startsWith('ok ')).length >= 2, 'valid chains of both encodings verify');
  });
});
