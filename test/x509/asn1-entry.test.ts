/**
 * `#asn1` (package.json `imports`) has two files, one list: lib/x509/asn1.ts (bundlers, browsers,
 * workerd) and lib/x509/asn1.cts (the `node` condition: Node, Deno, Bun). They must export the same
 * names, bound to the same schema classes (a class from another copy of a package would parse with
 * another schema storage), and have the same declarations (the compiler checks importers against
 * asn1.ts's alone).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as esm from '../../lib/x509/asn1.js';
import * as cjs from '../../lib/x509/asn1.cjs';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// A name or type in one file and not the other fails compilation here.
const sameDeclarations: Same<Omit<typeof cjs, 'default'>, typeof esm> = true;

test('on Node, #asn1 resolves to the CommonJS list, lib/x509/asn1.cjs', () => {
  assert.match(import.meta.resolve('#asn1'), /\/dist\/lib\/x509\/asn1\.cjs$/);
});

test('lib/x509/asn1.cts exports the names lib/x509/asn1.ts exports, bound to the same objects', () => {
  assert.equal(sameDeclarations, true);
  const names = (module: object): string[] => Object.keys(module).filter((name) => name !== 'default' && name !== '__esModule').sort();
  assert.deepEqual(names(cjs), names(esm));
  assert.ok(names(esm).length > 0);
  for (const name of names(esm)) assert.equal((cjs as Record<string, unknown>)[name], (esm as Record<string, unknown>)[name], name);
});
