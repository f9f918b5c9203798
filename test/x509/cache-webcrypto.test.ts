/**
 * The path cache where the runtime hashes asynchronously (WebCrypto: browsers, workerd): /x509
 * bundled with the `browser` condition, so `#runtime` is lib/runtime/webcrypto.ts, and run in Node.
 * There the copies are taken before a digest is awaited, unless every fingerprint is already known.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { repoRoot } from '../helpers/repo.js';
import { makePath, NOW } from './pki.js';

type X509 = typeof import('../../lib/x509/index.js');

async function webCryptoX509(): Promise<X509> {
  const result = await build({
    entryPoints: [join(repoRoot(), 'dist/lib/x509/index.js')],
    bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', conditions: ['browser'], logLevel: 'silent',
  });
  const file = join(mkdtempSync(join(tmpdir(), 'tproof-x509-webcrypto-')), 'x509.mjs');
  writeFileSync(file, result.outputFiles[0]?.text ?? '');
  return (await import(pathToFileURL(file).href)) as X509;
}

test('on the WebCrypto backend a hit is the cached result, and a certificate changed in place after it is validated as changed', async () => {
  const x509 = await webCryptoX509();
  const p = await makePath({ root: { keyAlg: 'Ed25519' }, intermediate: { keyAlg: 'Ed25519' } });
  const anchors = await x509.loadTrustAnchors([p.root.der]);
  const cache = new x509.PathCache();
  const options = { anchors, now: NOW, clockToleranceSeconds: 0, identity: { type: 'uri' as const }, cache };
  const x5c = p.x5c.map((d) => new Uint8Array(d));
  const cold = await x509.validateCertificatePath(x5c, options);
  assert.equal(await x509.validateCertificatePath(x5c, options), cold);
  const leaf = x5c[0] as Uint8Array;
  for (const at of [0, 40, Math.floor(leaf.length / 2), leaf.length - 30, leaf.length - 1]) {
    const was = leaf[at] as number;
    leaf[at] = was ^ 0x01;
    await assert.rejects(x509.validateCertificatePath(x5c, options), (error: unknown) => typeof (error as { code?: unknown }).code === 'string', `byte ${at} changed`);
    leaf[at] = was;
  }
  assert.equal(await x509.validateCertificatePath(x5c, options), cold);
  // A list that changes between reads is read once here too.
  const other = await makePath();
  let reads = 0;
  const shifting = new Proxy(x5c, {
    get(target, property, receiver) {
      if (property === '0') return ++reads % 2 === 1 ? leaf : other.leaf.der;
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  assert.equal(await x509.validateCertificatePath(shifting, options), cold);
});
