/**
 * The library as a browser loads it: dist/lib/index.js bundled by esbuild with the `browser`
 * condition, so `#runtime` is the WebCrypto backend (lib/runtime/webcrypto.ts), then imported here
 * in Node (which has the Web APIs that backend uses). A test that verifies with both this and the
 * normal import runs the same chain through both backends of the runtime seam.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { repoRoot } from './repo.js';

type Library = typeof import('../../lib/index.js');
let loaded: Promise<Library> | undefined;

/** The root entry of the library on the WebCrypto backend (bundled once per process). */
export function webCryptoLibrary(): Promise<Library> {
  loaded ??= (async () => {
    const result = await build({
      entryPoints: [join(repoRoot(), 'dist/lib/index.js')],
      bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', conditions: ['browser'], logLevel: 'silent',
    });
    const file = join(mkdtempSync(join(tmpdir(), 'tproof-webcrypto-')), 'index.mjs');
    writeFileSync(file, result.outputFiles[0]?.text ?? '');
    const library = (await import(pathToFileURL(file).href)) as Library;
    return library;
  })();
  return loaded;
}
