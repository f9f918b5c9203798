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
type Cose = typeof import('../../lib/codecs/cose/index.js');
/** The root entry with the COSE codec beside it. */
export type LibraryWithCose = Library & Pick<Cose, 'coseCodec'>;

const bundles = new Map<boolean, Promise<string>>();

/**
 * The root entry (and, with `cose`, the COSE codec's `coseCodec` beside it) bundled for the browser:
 * the path of the bundle (`bundle.mjs`, alone in a directory of its own, so a static server can serve
 * it to a browser). Built once per process and variant.
 */
export function webCryptoBundleFile(options: { cose?: boolean } = {}): Promise<string> {
  const cose = options.cose === true;
  let bundle = bundles.get(cose);
  if (bundle === undefined) {
    bundle = (async () => {
      const dist = join(repoRoot(), 'dist', 'lib');
      const contents = `export * from ${JSON.stringify(join(dist, 'index.js'))};\n${cose ? `export { coseCodec } from ${JSON.stringify(join(dist, 'codecs', 'cose', 'index.js'))};\n` : ''}`;
      const result = await build({
        stdin: { contents, resolveDir: dist, loader: 'js' },
        bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', conditions: ['browser'], logLevel: 'silent',
      });
      const file = join(mkdtempSync(join(tmpdir(), 'tproof-webcrypto-')), 'bundle.mjs');
      writeFileSync(file, result.outputFiles[0]?.text ?? '');
      return file;
    })();
    bundles.set(cose, bundle);
  }
  return bundle;
}

let loaded: Promise<Library> | undefined;

/** The root entry of the library on the WebCrypto backend (bundled once per process). */
export function webCryptoLibrary(): Promise<Library> {
  loaded ??= webCryptoBundleFile().then(async (file) => (await import(pathToFileURL(file).href)) as Library);
  return loaded;
}

let loadedWithCose: Promise<LibraryWithCose> | undefined;

/** The root entry and the COSE codec on the WebCrypto backend: the bundle has its own kept headers, key caches and scratch buffers. */
export function webCryptoLibraryWithCose(): Promise<LibraryWithCose> {
  loadedWithCose ??= webCryptoBundleFile({ cose: true }).then(async (file) => (await import(pathToFileURL(file).href)) as LibraryWithCose);
  return loadedWithCose;
}
