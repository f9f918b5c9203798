/**
 * Each package entry loads only what it is for (issue #10 item 4): every entry is imported by its
 * package specifier in a fresh `node` process whose module-resolution hook writes each resolved URL
 * to a file, and the heavy dependencies found there (plus whether the global `Reflect` was patched)
 * are compared with what that entry may load. Adding an import of X.509 or CBOR code to the root
 * (directly or through any module it imports) makes the root's row fail; so does an import of jose's
 * index (every jose module) from any entry (the oidc-provider entry's peer, oidc-provider, loads it itself).
 * The hook sees what the ES module loader resolves; CommonJS modules `require`d by CommonJS modules
 * bypass it, so the child also reports Node's CommonJS module cache, and both are judged.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers/repo.js';

/** The dependencies an entry is judged by: what each costs at import, or changes globally. */
const HEAVY = {
  'cbor-x': /\/node_modules\/cbor-x\//,
  // @peculiar/x509 (with tsyringe and the reflect-metadata it needs) is the demo PKI's and display's;
  // path validation reads certificates with the ASN.1 schemas alone (issue #27: the /x509 import).
  '@peculiar/x509': /\/node_modules\/(?:@peculiar\/x509|tsyringe)\//,
  '@peculiar asn1': /\/node_modules\/@peculiar\/(?!x509\/)/,
  asn1js: /\/node_modules\/asn1js\//,
  'reflect-metadata': /\/node_modules\/reflect-metadata\//,
  // The precompiled validators' string length helper is generated ES module code; the document
  // validators import ajv's deep-equal helper (CommonJS); the ajv compiler is never loaded.
  'ajv compiler': /\/node_modules\/ajv\/(?!dist\/runtime\/)/,
  'ajv runtime helper (CommonJS)': /\/node_modules\/ajv\/dist\/runtime\//,
  // jose's index loads every jose module (JWE, JWT, remote sets...); the root imports only the
  // subpaths it uses (jose/jws/compact/sign, jose/key/import, ...): 40 % of the root's import cost.
  'jose index': /\/node_modules\/jose\/dist\/webapi\/index\.js$/,
} as const;
type Heavy = keyof typeof HEAVY;

const ENTRIES: readonly [specifier: string, allowed: readonly Heavy[]][] = [
  ['transitive-proof', []],
  ['transitive-proof/cose', ['cbor-x']],
  // The document validators (deferred-binding record, disclosure policy) use ajv's deep-equal helper.
  ['transitive-proof/as', ['ajv runtime helper (CommonJS)']],
  ['transitive-proof/status', ['cbor-x']],
  ['transitive-proof/x509', ['@peculiar asn1', 'asn1js']],
  ['transitive-proof/x509/issue', ['@peculiar/x509', '@peculiar asn1', 'asn1js', 'reflect-metadata']],
  // Display and its verification read every encoding and certificate (lib/inspect/parts.ts).
  ['transitive-proof/inspect', ['cbor-x', '@peculiar/x509', '@peculiar asn1', 'asn1js', 'reflect-metadata', 'ajv runtime helper (CommonJS)']],
  ['transitive-proof/vectors', ['cbor-x', '@peculiar asn1', 'asn1js', 'ajv runtime helper (CommonJS)']],
  // oidc-provider (a peer the entry imports) loads jose's index itself; the entry's own modules import subpaths.
  ['transitive-proof/oidc-provider', ['jose index', 'ajv runtime helper (CommonJS)']],
  // Node only: ioredis is imported when a store connects, not when the entry loads.
  ['transitive-proof/redis', []],
];

const scratch = mkdtempSync(join(tmpdir(), 'tproof-entries-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

// Runs on the loader thread: appends every resolved URL, synchronously, before the module loads.
const HOOKS = `
import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + '\\n');
  return result;
}`;

interface Loaded {
  /** What the ES module loader resolved (the hook's log). */
  resolved: string[];
  /** Everything loaded: the resolved URLs and the CommonJS modules in Node's module cache (as file URLs). */
  urls: string[];
  reflectPatched: boolean;
}

function importInFreshProcess(specifier: string, index: number): Loaded {
  const log = join(scratch, `resolved-${index}.txt`);
  const program = `
    import { createRequire, register } from 'node:module';
    import { writeFileSync } from 'node:fs';
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}), { data: { log: ${JSON.stringify(log)} } });
    writeFileSync(${JSON.stringify(log)}, '');
    await import(${JSON.stringify(specifier)});
    const required = Object.keys(createRequire(import.meta.url).cache);
    process.stdout.write(JSON.stringify({ reflectPatched: typeof Reflect.getMetadata === 'function', required }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', program], { cwd: repoRoot(), encoding: 'utf8' });
  assert.equal(child.status, 0, `import ${specifier} failed:\n${child.stderr}`);
  const { reflectPatched, required } = JSON.parse(child.stdout) as { reflectPatched: boolean; required: string[] };
  const resolved = readFileSync(log, 'utf8').split('\n').filter((line) => line.length > 0);
  return { resolved, urls: [...resolved, ...required.map((path) => pathToFileURL(path).href)], reflectPatched };
}

function heavyLoaded(urls: readonly string[]): Heavy[] {
  return (Object.keys(HEAVY) as Heavy[]).filter((name) => urls.some((url) => HEAVY[name].test(url)));
}

for (const [index, [specifier, allowed]] of ENTRIES.entries()) {
  test(`import '${specifier}' loads no heavy dependency${allowed.length === 0 ? '' : ` but ${allowed.join(', ')}`}`, () => {
    const loaded = importInFreshProcess(specifier, index);
    assert.ok(loaded.urls.some((url) => url.includes('/dist/lib/')), `the hook saw the package's own modules (${loaded.urls.length} URLs)`);
    const unexpected = heavyLoaded(loaded.urls).filter((name) => !allowed.includes(name));
    assert.deepEqual(unexpected, [], `${specifier} loaded: ${loaded.urls.filter((url) => unexpected.some((name) => HEAVY[name].test(url))).slice(0, 5).join(', ')}`);
    assert.equal(loaded.reflectPatched, allowed.includes('reflect-metadata'), 'the global Reflect is patched only by the entries that load @peculiar/x509 (the demo PKI, display)');
  });
}

test('on Node, /x509 loads the ASN.1 packages by require from lib/x509/asn1.cjs (#asn1): the ES module loader resolves none of them, so Node does not lex their sources for export names', () => {
  const loaded = importInFreshProcess('transitive-proof/x509', ENTRIES.length);
  assert.ok(loaded.resolved.some((url) => url.endsWith('/dist/lib/x509/asn1.cjs')), '#asn1 is the CommonJS list on Node');
  assert.deepEqual(heavyLoaded(loaded.resolved), []);
  assert.deepEqual(heavyLoaded(loaded.urls).sort(), ['@peculiar asn1', 'asn1js'], 'the module cache shows the packages loaded');
});

test('lib/x509 reaches the ASN.1 packages only through #asn1 (lib/x509/asn1.ts and asn1.cts: one list of what path validation loads)', () => {
  const dir = join(repoRoot(), 'lib', 'x509');
  const offenders = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.c?ts$/.test(name) && name !== 'asn1.ts' && name !== 'asn1.cts' && name !== 'issue.ts' && name !== 'peculiar.ts')
    .filter((name) => /^import\s+(?!type\b)[^;]*from\s+'(?:asn1js|@peculiar\/asn1-[a-z0-9-]+)'/m.test(readFileSync(join(dir, name), 'utf8')));
  assert.deepEqual(offenders, []);
});
