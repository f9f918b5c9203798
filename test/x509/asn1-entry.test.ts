/**
 * `#asn1` (package.json `imports`) has two files, one list: lib/x509/asn1.ts (bundlers, browsers,
 * workerd) and lib/x509/asn1.cts (the `node` condition: Node, Deno, Bun). They must export the same
 * names, bound to the same schema classes (a class from another copy of a package would parse with
 * another schema storage), and have the same declarations (the compiler checks importers against
 * asn1.ts's alone).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import * as esm from '../../lib/x509/asn1.js';
import * as cjs from '../../lib/x509/asn1.cjs';
import { repoRoot } from '../helpers/repo.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// A name or type in one file and not the other fails compilation here.
const sameDeclarations: Same<Omit<typeof cjs, 'default'>, typeof esm> = true;

/** The key-parameter schemas are reached through functions (loaded on first use on Node): compared by what they return. */
const ACCESSORS: ReadonlySet<string> = new Set(['ecSchemas', 'rsaSchemas']);

test('on Node, #asn1 resolves to the CommonJS list, lib/x509/asn1.cjs', () => {
  assert.match(import.meta.resolve('#asn1'), /\/dist\/lib\/x509\/asn1\.cjs$/);
});

test('lib/x509/asn1.cts exports the names lib/x509/asn1.ts exports, bound to the same schema objects', () => {
  assert.equal(sameDeclarations, true);
  const names = (module: object): string[] => Object.keys(module).filter((name) => name !== 'default' && name !== '__esModule').sort();
  assert.deepEqual(names(cjs), names(esm));
  assert.ok(names(esm).length > 0);
  for (const name of names(esm)) {
    const [a, b] = [(cjs as Record<string, unknown>)[name], (esm as Record<string, unknown>)[name]];
    if (!ACCESSORS.has(name)) {
      assert.equal(a, b, name);
      continue;
    }
    const [fromCjs, fromEsm] = [(a as () => Record<string, unknown>)(), (b as () => Record<string, unknown>)()];
    assert.deepEqual(Object.keys(fromCjs).sort(), Object.keys(fromEsm).sort(), name);
    for (const member of Object.keys(fromEsm)) assert.equal(fromCjs[member], fromEsm[member], `${name}().${member}`);
  }
});

test('on Node, importing /x509 loads neither @peculiar/asn1-ecc nor -rsa; each loads on the first call of its accessor', () => {
  const program = `
    import { createRequire } from 'node:module';
    const cache = createRequire(import.meta.url).cache;
    const loaded = () => ['asn1-ecc', 'asn1-rsa'].filter((name) => Object.keys(cache).some((path) => path.includes('/@peculiar/' + name + '/')));
    await import('transitive-proof/x509');
    const { ecSchemas, rsaSchemas } = await import('#asn1');
    const seen = [loaded()];
    ecSchemas();
    seen.push(loaded());
    rsaSchemas();
    seen.push(loaded());
    process.stdout.write(JSON.stringify(seen));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', program], { cwd: repoRoot(), encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout), [[], ['asn1-ecc'], ['asn1-ecc', 'asn1-rsa']]);
});

test('on Node, importing /x509 requires the files of @peculiar/asn1-x509 that define what path validation reads, not its index', () => {
  const program = `
    import { createRequire } from 'node:module';
    const cache = createRequire(import.meta.url).cache;
    await import('transitive-proof/x509');
    const files = Object.keys(cache).filter((path) => path.includes('/@peculiar/asn1-x509/')).map((path) => path.split('/build/cjs/')[1]);
    process.stdout.write(JSON.stringify(files));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', program], { cwd: repoRoot(), encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  const files = JSON.parse(child.stdout) as string[];
  assert.ok(files.includes('certificate.js') && files.includes('extensions/name_constraints.js'), child.stdout);
  for (const unused of ['index.js', 'extensions/index.js', 'certificate_list.js', 'tbs_cert_list.js', 'extensions/crl_distribution_points.js']) {
    assert.ok(!files.includes(unused), `${unused} loaded: ${child.stdout}`);
  }
});

test('on Node, a name whose file @peculiar/asn1-x509 no longer has comes from the package index: the same object', () => {
  // The file that defines Certificate made unresolvable, as a release that moved it would: asn1.cjs
  // falls back to the index and exports the index's class.
  const program = `
    const Module = require('node:module');
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      if (request === '@peculiar/asn1-x509/build/cjs/certificate.js') throw Object.assign(new Error('gone'), { code: 'MODULE_NOT_FOUND' });
      return resolve.call(this, request, ...rest);
    };
    const asn1 = require('./dist/lib/x509/asn1.cjs');
    const index = require('@peculiar/asn1-x509');
    process.stdout.write(JSON.stringify([typeof asn1.Certificate, asn1.Certificate === index.Certificate, asn1.NameConstraints === index.NameConstraints]));`;
  const child = spawnSync(process.execPath, ['-e', program], { cwd: repoRoot(), encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout), ['function', true, true]);
});
