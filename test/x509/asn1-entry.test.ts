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
