/**
 * The package as a user gets it: `npm pack`, installed from the tarball into a fresh project outside
 * the repository (no self-dependency, no repository node_modules on the resolution path), then
 * everything the README shows run from there: the library example type-checked with `tsc --strict`
 * (moduleResolution nodenext and bundler) and run, the CLI blocks, the demos, the shipped vectors
 * and a CommonJS require. Needs `npm` on PATH and the built dist/ (npm test builds it); installs
 * from the npm cache first (--prefer-offline), so it reaches the registry only for what is missing.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { readmeBlocks } from '../helpers/readme.js';
import { repoRoot } from '../helpers/repo.js';

const execFileAsync = promisify(execFile);
const root = repoRoot();
const work = mkdtempSync(join(tmpdir(), 'tproof-installed-'));
const consumer = join(work, 'consumer');
/** The installed bin, for calls beyond the README's own `npx tproof` lines (npx adds an npm start-up to each). */
const tproofBin = join(consumer, 'node_modules/.bin/tproof');
const tscBin = join(consumer, 'node_modules/.bin/tsc');

/** The parent's npm_* variables (set by `npm test`) would point npm at the repository: drop them. */
const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
env.npm_config_update_notifier = 'false';
env.npm_config_fund = 'false';
env.npm_config_audit = 'false';

function run(command: string, args: string[], cwd = consumer): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function ok(command: string, args: string[], cwd = consumer): string {
  const result = run(command, args, cwd);
  assert.equal(result.status, 0, `${command} ${args.join(' ')} exited ${result.status ?? result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  return result.stdout;
}

async function okAsync(command: string, args: string[]): Promise<string> {
  try {
    return (await execFileAsync(command, args, { cwd: consumer, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { stdout, stderr, code } = error as { stdout?: string; stderr?: string; code?: unknown };
    assert.fail(`${command} ${args.join(' ')} exited ${String(code)}\n--- stdout\n${stdout ?? ''}\n--- stderr\n${stderr ?? ''}`);
  }
}

/** Versions the repository itself installed: the npm cache already holds them. */
function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

before(() => {
  assert.ok(existsSync(join(root, 'dist/lib/index.js')), 'build first (npm test runs the build)');
  // --ignore-scripts: dist/ is already built by pretest, and prepack's rebuild would race the running suite.
  const packed = JSON.parse(ok('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], root)) as { filename: string }[];
  const tarball = join(work, (packed[0] as { filename: string }).filename);
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'tproof-consumer', private: true, type: 'module' }, null, 2)}\n`);
  ok('npm', [
    'install', '--prefer-offline', '--no-audit', '--no-fund', tarball,
    `typescript@${installedVersion('typescript')}`, `@types/node@${installedVersion('@types/node')}`,
    // The optional peer `tproof demo --as` needs, as the README tells users to install it.
    `oidc-provider@${installedVersion('oidc-provider')}`,
  ]);
  assert.ok(!existsSync(join(consumer, 'node_modules/transitive-proof/node_modules/transitive-proof')), 'no self-dependency');
}, { timeout: 300_000 });

after(() => rmSync(work, { recursive: true, force: true }));

/** The README's library example, verbatim. */
const example = (readmeBlocks('Library', 'ts')[0] as string);

test('the README library example type-checks with tsc --strict (nodenext and bundler), runs, and returns what its last comment says', async () => {
  // "// result.cnf = tmb, result.sub = 'urn:c', ..." becomes one assertion per claim, appended after the verbatim example.
  const claims = example.match(/^\/\/ (result\..*)$/m)?.[1];
  assert.ok(claims !== undefined, 'the example ends with a "// result.x = ..." comment');
  const checks = [...claims.matchAll(/result\.(\w+) = (.+?)(?=, result\.|$)/g)].map(([, field, value]) => `deepStrictEqual(result.${field}, ${value});`);
  assert.ok(checks.length >= 4, `expected claims about cnf, sub, act and scope, got ${checks.length}`);
  writeFileSync(join(consumer, 'example.ts'), example);
  writeFileSync(join(consumer, 'example-run.ts'), `${example}\nimport { deepStrictEqual } from 'node:assert';\n${checks.join('\n')}\nconsole.log('checked ${checks.length} claims');\n`);
  // Both compilers at once (two cores): the bundler check of the verbatim example, the nodenext
  // check and build of the example followed by its checks.
  await Promise.all([
    okAsync(tscBin, ['--strict', '--noEmit', '--target', 'es2022', '--module', 'preserve', '--moduleResolution', 'bundler', 'example.ts']),
    okAsync(tscBin, ['--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--outDir', 'out', 'example-run.ts']),
  ]);
  assert.match(ok('node', ['out/example-run.js']), new RegExp(`checked ${checks.length} claims`));
});

test('the root entry\'s types resolve without @types/node: lib es2022 + dom, types [], library .d.ts checked (nodenext and bundler)', () => {
  writeFileSync(join(consumer, 'web.ts'), [
    "import { createVerifier, parseChain, startChain, TransitiveProofError, type TrustConfig, type VerifiedChain } from 'transitive-proof';",
    'export async function check(trust: TrustConfig, text: string): Promise<VerifiedChain | string> {',
    "  try { return await (await createVerifier(trust)).verify(parseChain(text), { audience: 'https://as.example', requester: { id: 'b' } }); }",
    '  catch (error) { return error instanceof TransitiveProofError ? error.code : String(error); }',
    '}',
    'export const mint = startChain;',
  ].join('\n'));
  for (const [module, moduleResolution] of [['nodenext', 'nodenext'], ['preserve', 'bundler']] as const) {
    const config = `tsconfig.web-${moduleResolution}.json`;
    writeFileSync(join(consumer, config), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', module, moduleResolution, lib: ['es2022', 'dom'], types: [], skipLibCheck: false },
      files: ['web.ts'],
    }));
    const files = ok(tscBin, ['-p', config, '--listFiles']).split('\n');
    assert.ok(files.some((file) => file.includes('node_modules/transitive-proof/dist/lib/index.d.ts')), 'the root .d.ts is in the program');
    assert.deepEqual(files.filter((file) => file.includes('@types/node')), [], `${moduleResolution}: no declaration pulls in @types/node`);
  }
});

test('a CommonJS require of the package works (require of ES modules, Node 20.19+ / 22.12+)', () => {
  writeFileSync(join(consumer, 'require.cjs'), [
    "const { createVerifier, generateKeyPair, jwkThumbprint } = require('transitive-proof');",
    'generateKeyPair("EdDSA").then((key) => jwkThumbprint(key.publicJwk)).then((jkt) => {',
    "  if (typeof createVerifier !== 'function' || !/^[A-Za-z0-9_-]{43}$/.test(jkt)) throw new Error('unexpected exports');",
    "  console.log('cjs ok');",
    '});',
  ].join('\n'));
  assert.match(ok('node', ['require.cjs']), /^cjs ok$/m);
});

test('the README CLI walk-through runs as shown (keygen, mint, inspect, trust, verify)', () => {
  const walkThrough = readmeBlocks('CLI', 'sh')[0] as string;
  const out = ok('bash', ['-euo', 'pipefail', '-c', walkThrough]);
  assert.match(out, /UNVERIFIED/);
  assert.match(out, /^VALID chain/m);
});

test('the README\'s further CLI lines that name no placeholder run as shown (cert demo, trust --anchor, --holder, vectors check)', () => {
  const lines = (readmeBlocks('CLI', 'sh')[1] as string).split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()).filter((line) => line.startsWith('npx tproof') && !line.includes('...'));
  assert.ok(lines.length >= 4, `expected the cert, trust and vectors lines, got: ${lines.join(' | ')}`);
  const out = lines.map((line) => ok('bash', ['-euo', 'pipefail', '-c', line])).join('');
  assert.match(out, /^\d+ passed, 0 failed$/m, 'vectors check ran the vectors shipped in the package');
});

test('npx tproof demo (JWT and CBOR) and demo --as run from the installed package', () => {
  assert.match(ok('npx', ['tproof', 'demo']), /Demo complete/);
  assert.match(ok(tproofBin, ['demo', '--format', 'cbor']), /Demo complete/);
  assert.match(ok(tproofBin, ['demo', '--as']), /Demo complete: all \d+ steps behaved as described\./);
});

test('the installed tarball ships a LICENSE, the built web inspector, no source maps, no cli/ or examples/ declarations, and was not built on install', () => {
  const installed = join(consumer, 'node_modules/transitive-proof');
  assert.match(readFileSync(join(installed, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0, January 2004/);
  const listing = ok('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], root);
  const files = (JSON.parse(listing) as { files: { path: string }[] }[])[0]?.files.map((file) => file.path) ?? [];
  assert.deepEqual(files.filter((path) => path.endsWith('.map')), []);
  assert.deepEqual(files.filter((path) => /^dist\/(cli|examples)\/.*\.d\.ts$/.test(path)), []);
  // The web inspector (tproof inspect --web) ships built: its page, style and bundle.
  for (const file of ['index.html', 'inspector.css', 'main.js']) assert.ok(files.includes(`dist/web/inspector/${file}`), `dist/web/inspector/${file} is not in the package`);
  // `prepare` (kept so that `npm ci` builds a fresh clone) does not run for a tarball install: nothing was built here.
  assert.ok(!existsSync(join(installed, 'dist/test')) && !existsSync(join(installed, 'lib')), 'the install compiled nothing of the package');
});
