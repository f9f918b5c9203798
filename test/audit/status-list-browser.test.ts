/**
 * The Status List's ZLIB reading (lib/status/list.ts, inflateStatusList: DecompressionStream on every
 * runtime, bounded, nothing after the stream) on Node and in headless Chromium, whose decompressors
 * are not the same code (Node's zlib binding ignores bytes after a stream, a browser's refuses them):
 * seeded mutations of compressed lists (bits flipped, bytes replaced, cut, appended, the header's
 * method, window and FDICT bits, a second stream after the first) give the same list or the same
 * error code on both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { build } from 'esbuild';
import { deflateStatusList, inflateStatusList } from '../../lib/status/index.js';
import { repoRoot } from '../helpers/repo.js';
import { launchBrowser } from '../helpers/browser.js';
import { onBlankPage, seeded } from './support.js';

async function verdict(compressed: Uint8Array, maxBytes: number): Promise<string> {
  try {
    return `list ${Buffer.from(await inflateStatusList(compressed, maxBytes)).toString('hex')}`;
  } catch (error) {
    return String((error as { code?: unknown }).code ?? `THROWN ${String(error)}`);
  }
}

test('inflateStatusList gives each mutated ZLIB stream the same list or code on Node and in Chromium', async (t) => {
  const launched = await launchBrowser(t);
  if (launched === undefined) return;
  const random = seeded(0x5a71);
  const lists = [Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff), new Uint8Array(2048).fill(0x55), Uint8Array.of(1)];
  const cases: { name: string; bytes: Uint8Array; maxBytes: number }[] = [];
  for (const [l, list] of lists.entries()) {
    const z = await deflateStatusList(list);
    const add = (name: string, bytes: Uint8Array, maxBytes = 1_048_576): void => {
      cases.push({ name: `list ${l} ${name}`, bytes, maxBytes });
    };
    add('as deflated', z);
    add('bounded one byte short', z, Math.max(1, list.length - 1));
    for (let at = 0; at < z.length; at++) {
      const flipped = Uint8Array.from(z);
      flipped[at] = (flipped[at] as number) ^ (1 << random.int(8));
      add(`byte ${at} flipped`, flipped);
    }
    for (let n = 0; n < 20; n++) {
      const changed = Uint8Array.from(z);
      const at = random.int(z.length);
      changed[at] = random.int(256);
      add(`byte ${at} replaced`, changed);
    }
    for (const cut of [1, 2, 4, 5, z.length - 1]) add(`${cut} bytes cut`, z.subarray(0, z.length - cut));
    for (const tail of [Uint8Array.of(0), Uint8Array.of(0, 0, 0, 0), z]) add(`${tail.length} bytes appended`, Uint8Array.of(...z, ...tail));
    // The ZLIB header (RFC 1950 §2.2): CM = 8 and CINFO <= 7, FCHECK making CMF·256 + FLG a multiple of 31, FDICT.
    for (const [cmf, flg] of [[0x78, 0x01], [0x78, 0x5e], [0x78, 0xda], [0x08, 0x1d], [0x88, 0x98], [0x78, 0xbb], [0x79, 0x9c], [0x78, 0x9d]] as const) {
      add(`header ${cmf.toString(16)} ${flg.toString(16)}`, Uint8Array.of(cmf, flg, ...z.subarray(2)));
    }
  }
  const expected: string[] = [];
  for (const c of cases) expected.push(await verdict(c.bytes, c.maxBytes));

  const bundle = await build({ entryPoints: [join(repoRoot(), 'dist', 'lib', 'status', 'index.js')], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', conditions: ['browser'], logLevel: 'silent' });
  await onBlankPage(launched, 'status', { 'status.js': bundle.outputFiles[0]?.text ?? '' }, async (page) => {
    const got = await page.evaluate(async (list) => {
      const { inflateStatusList: inflate } = (await import('/status.js' as string)) as { inflateStatusList(b: Uint8Array, m: number): Promise<Uint8Array> };
      const out: string[] = [];
      for (const { hex, maxBytes } of list) {
        const bytes = Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
        try {
          const inflated = await inflate(bytes, maxBytes);
          out.push(`list ${Array.from(inflated, (b) => b.toString(16).padStart(2, '0')).join('')}`);
        } catch (error) {
          out.push(String((error as { code?: unknown }).code ?? `THROWN ${String(error)}`));
        }
      }
      return out;
    }, cases.map((c) => ({ hex: Buffer.from(c.bytes).toString('hex'), maxBytes: c.maxBytes })));
    const differ = cases.map((c, i) => (got[i] === expected[i] ? '' : `${c.name}: Node ${(expected[i] as string).slice(0, 40)}, Chromium ${(got[i] as string).slice(0, 40)}`)).filter((line) => line !== '');
    assert.deepEqual(differ, []);
    assert.ok(expected.some((v) => v.startsWith('list ')) && expected.some((v) => v === 'status_list_invalid'));
  });
});
