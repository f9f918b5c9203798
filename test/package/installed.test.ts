/**
 * The package as a user gets it: `npm pack`, installed from the tarball into a fresh project outside
 * the repository (no self-dependency, no repository node_modules on the resolution path), then
 * everything the README shows run from there: the library example type-checked with `tsc --strict`
 * (moduleResolution nodenext and bundler) and run, the CLI blocks, the demos, the shipped vectors
 * and a CommonJS require. Needs `npm` on PATH and the built dist/ (npm test builds it); installs
 * from the npm cache first (--prefer-offline), so it reaches the registry only for what is missing.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { installedVersion, installPackage, readmeClaimChecks, readmeExample, type Installed } from '../helpers/installed.js';
import { readmeBlocks } from '../helpers/readme.js';
import { repoRoot } from '../helpers/repo.js';

const root = repoRoot();
let pkg: Installed;
let consumer: string;
/** The installed bin, for calls beyond the README's own `npx tproof` lines (npx adds an npm start-up to each). */
let tproofBin: string;
let tscBin: string;
const ok = (command: string, args: string[], cwd?: string): string => pkg.ok(command, args, cwd);

before(() => {
  pkg = installPackage('tproof-installed-', [
    `typescript@${installedVersion('typescript')}`, `@types/node@${installedVersion('@types/node')}`,
    // The optional peers `tproof demo --as` and `tproof revoke` need, as the README tells users to install them.
    `oidc-provider@${installedVersion('oidc-provider')}`, `ioredis@${installedVersion('ioredis')}`,
  ]);
  consumer = pkg.consumer;
  tproofBin = join(consumer, 'node_modules/.bin/tproof');
  tscBin = join(consumer, 'node_modules/.bin/tsc');
  assert.ok(!existsSync(join(consumer, 'node_modules/transitive-proof/node_modules/transitive-proof')), 'no self-dependency');
}, { timeout: 300_000 });

after(() => rmSync(pkg.work, { recursive: true, force: true }));

/** The README's library example, verbatim. */
const example = readmeExample();

test('the README library example type-checks with tsc --strict (nodenext and bundler), runs, and returns what its last comment says', async () => {
  writeFileSync(join(consumer, 'example.ts'), example);
  const { count, calls } = readmeClaimChecks();
  const same = "import { deepStrictEqual } from 'node:assert';\nfunction same(actual: unknown, expected: unknown, what: string): void { deepStrictEqual(actual, expected, what); }";
  writeFileSync(join(consumer, 'example-run.ts'), `${example}\n${same}\n${calls}\nconsole.log('checked ${count} claims');\n`);
  // Both compilers at once (two cores): the bundler check of the verbatim example, the nodenext
  // check and build of the example followed by its checks.
  await Promise.all([
    pkg.okAsync(tscBin, ['--strict', '--noEmit', '--target', 'es2022', '--module', 'preserve', '--moduleResolution', 'bundler', 'example.ts']),
    pkg.okAsync(tscBin, ['--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--outDir', 'out', 'example-run.ts']),
  ]);
  assert.match(ok('node', ['out/example-run.js']), new RegExp(`checked ${count} claims`));
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

/**
 * What a TypeScript user compiling with exactOptionalPropertyTypes writes: optional values passed
 * through as they are (`tmb: request.tmb`, `kid: maybeKid`), which the public input types accept as
 * `T | undefined`; compiled, then run, so undefined members are also what the library takes.
 */
const EXACT_OPTIONAL = `
import { buildDeferredBindingRequest, createVerifier, delegate, generateKeyPair, jwkThumbprint, serializeChain, startChain,
  type Chain, type Confirmation, type LinkSigner, type LinkStatus, type PrivateJwk, type SignatureAlgorithm, type TrustConfig } from 'transitive-proof';
import { MemoryReplayStore, processDeferredBindingRequest, type DeferredBindingProfile, type IssuedConfirmationForm, type ReplayPolicy } from 'transitive-proof/as';

export interface TokenRequest { chain: string; tmb?: Confirmation; scope?: string; jkt?: string; now?: Date }

export async function verifyRequest(trust: TrustConfig, request: TokenRequest) {
  const verifier = await createVerifier(trust, { requireRequesterKey: request.jkt !== undefined, codecs: undefined, x509: undefined });
  return verifier.verify(request.chain, { audience: 'https://as.example', requester: { id: 'b', jkt: request.jkt }, tmb: request.tmb, scope: request.scope, now: request.now });
}

export async function mint(privateKey: PrivateJwk, alg: SignatureAlgorithm, tmb: Confirmation, cnf: Confirmation, kid?: string, depth?: number, expiresIn?: number, scope?: string, status?: LinkStatus, now?: Date): Promise<Chain> {
  const signer: LinkSigner = { privateKey, alg, kid, x5c: undefined };
  return startChain({ iss: 'https://a.example', sub: 'urn:c', aud: 'https://as.example', scope: scope ?? 'read', tmb, delegate: { sub: 'b', cnf }, depth, expiresIn, status, jti: undefined }, signer, { now, format: undefined });
}

const [A, C] = await Promise.all([generateKeyPair('EdDSA'), generateKeyPair('EdDSA')]);
const tmb: Confirmation = { jkt: await jwkThumbprint(C.publicJwk) };
const chain = await mint(A.privateJwk, 'EdDSA', tmb, { jwk: C.publicJwk }, undefined, 1);
const longer = await delegate(chain, { delegate: { sub: 'b2', cnf: { jwk: C.publicJwk } }, scope: undefined, depth: undefined, expiresIn: undefined }, { privateKey: C.privateJwk, alg: 'EdDSA' });
const trust: TrustConfig = { roots: [{ type: 'issuer', iss: 'https://a.example', jwks: { keys: [A.publicJwk] }, subjects: undefined, algorithms: undefined }], maxLifetimeSeconds: undefined };
const result = await verifyRequest(trust, { chain: serializeChain(chain) });
if (JSON.stringify(result.cnf) !== JSON.stringify(tmb) || longer.links.length !== 2) throw new Error('unexpected result');
buildDeferredBindingRequest({ chain, scope: undefined, resource: undefined });

// An AS passing its optional settings through as they are: each undefined one keeps its default.
export function redeem(params: URLSearchParams, settings: { now?: Date; replayPolicy?: ReplayPolicy; confirmation?: IssuedConfirmationForm; profiles?: DeferredBindingProfile[] }) {
  return processDeferredBindingRequest(params, { client: { id: 'b' }, issuer: 'https://as.example', trust, replayStore: new MemoryReplayStore(),
    now: settings.now, replayPolicy: settings.replayPolicy, confirmation: settings.confirmation, profiles: settings.profiles, verifier: undefined, verifierOptions: undefined,
    parameterLimits: undefined, targets: undefined, resolveTarget: undefined, disclosure: undefined });
}
const refused = await redeem(new URLSearchParams({ grant_type: 'client_credentials', tmb: JSON.stringify(tmb), tmb_proof: serializeChain(chain), scope: 'read  x' }), {});
if (refused.ok || refused.step !== '4') throw new Error('an undefined setting changed the processing');
console.log('exact optional ok');
`;

test('code compiled with exactOptionalPropertyTypes passes optional values through to the public types without a cast, and runs', () => {
  writeFileSync(join(consumer, 'exact-optional.ts'), EXACT_OPTIONAL);
  writeFileSync(join(consumer, 'tsconfig.exact-optional.json'), JSON.stringify({
    compilerOptions: { strict: true, exactOptionalPropertyTypes: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false, types: [], lib: ['es2022', 'dom'], outDir: 'out-exact' },
    files: ['exact-optional.ts'],
  }));
  ok(tscBin, ['-p', 'tsconfig.exact-optional.json']);
  assert.match(ok('node', ['out-exact/exact-optional.js']), /^exact optional ok$/m);
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

/**
 * The README's placeholders, filled as a reader would: `mint ...` with the walk-through's root
 * options, the repository's vectors for a checkout's, the test Redis for the README's.
 */
const REDIS_URL = process.env.TPROOF_REDIS_URL ?? 'redis://127.0.0.1:6390';
function filled(block: string): string {
  return block
    .replace(/^(npx tproof mint(?: --format cbor)?) \.\.\. /gm, '$1 --key a.jwk --iss https://a.example --sub urn:c --aud https://as.example --scope read --tmb-key c.jwk --delegate client-b --delegate-key b.jwk ')
    .replaceAll('path/to/transitive-proof/vectors', join(root, 'vectors'))
    .replaceAll('redis://127.0.0.1:6379/0', `${REDIS_URL}/0`);
}

async function redisAnswers(): Promise<boolean> {
  const { hostname, port } = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

test('every README sh block is run by this test or is the repository\'s own (Two commands)', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const sections = readme.split(/^## /m).slice(1).filter((section) => /^```sh$/m.test(section)).map((section) => section.split('\n')[0]);
  assert.deepEqual(sections, ['Two commands (Node 20.19+ or 22.12+)', 'CLI', 'Withdrawing links (status lists, revocation, remote keys)', 'Examples']);
  assert.equal(readmeBlocks('CLI', 'sh').length, 2);
});

test('the README\'s further CLI lines run as written, placeholders filled (CBOR, the X.509 chain verified, holder root, vectors check)', () => {
  const block = readmeBlocks('CLI', 'sh')[1] as string;
  const out = ok('bash', ['-euo', 'pipefail', '-c', filled(block)]);
  assert.match(out, /18\(\[/, 'inspect --diag showed CBOR diagnostic notation');
  assert.match(out, /^VALID chain \(jwt, 1 link, root x509 spiffe:\/\/example\.org\/b\)/m, 'the X.509 chain verified');
  assert.match(out, /^\d+ passed, 0 failed$/m, 'vectors check ran the repository\'s vectors');
});

test('the README\'s withdrawal lines run as written, placeholders filled (status create, mint with a status entry, status set, revoke)', async (t) => {
  let block = filled(readmeBlocks('Withdrawing links', 'sh')[0] as string);
  if (!(await redisAnswers())) {
    assert.ok(process.env.CI === undefined, `Redis is required in CI but ${REDIS_URL} is unreachable (run .ci/redis.sh)`);
    t.diagnostic(`no Redis at ${REDIS_URL}: the revoke line is not run (run .ci/redis.sh)`);
    block = block.split('\n').filter((line) => !line.includes('tproof revoke')).join('\n');
  }
  const out = ok('bash', ['-euo', 'pipefail', '-c', block]);
  assert.match(out, /^wrote list\.jwt: Token Status List https:\/\/status\.example\/lists\/1/m);
  assert.match(out, /^list\.jwt: entry 7 of https:\/\/status\.example\/lists\/1 set to 1 \(invalid\)/m);
  assert.match(readFileSync(join(consumer, 'chain.txt'), 'utf8'), /^ey/);
});

test('the README\'s example programs run from the installed package: demo.js exits 0, each server prints its URL', async () => {
  const lines = (readmeBlocks('Examples', 'sh')[0] as string).split('\n').filter((line) => line.startsWith('node dist/examples/'));
  assert.equal(lines.length, 3);
  const installed = join(consumer, 'node_modules/transitive-proof');
  assert.match(ok('node', ['dist/examples/demo.js'], installed), /Demo complete: all \d+ steps behaved as described\./);
  // The servers: with their options left out (all optional but the resource server's --issuer), until they print a URL.
  const asUrl = await untilUrl(installed, ['dist/examples/authorization-server.js']);
  await untilUrl(installed, ['dist/examples/resource-server.js', '--issuer', asUrl]);
});

/** Starts `node ARGS` in `cwd`, waits for the first http URL it prints, stops it, returns the URL. */
async function untilUrl(cwd: string, args: string[]): Promise<string> {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
        if (match !== null) resolve(match[0]);
      });
      child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
      child.once('exit', (code) => reject(new Error(`node ${args.join(' ')} exited ${code} before printing a URL:\n${output}`)));
    });
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.kill('SIGINT');
    await exited;
  }
}

test('npx tproof demo (JWT and CBOR) and demo --as run from the installed package', () => {
  assert.match(ok('npx', ['tproof', 'demo']), /Demo complete/);
  assert.match(ok(tproofBin, ['demo', '--format', 'cbor']), /Demo complete/);
  assert.match(ok(tproofBin, ['demo', '--as']), /Demo complete: all \d+ steps behaved as described\./);
});

test('the installed tarball ships a LICENSE, the built web inspector, every file its text names, no vectors, no source maps, no cli/ or examples/ declarations, and was not built on install', () => {
  const installed = join(consumer, 'node_modules/transitive-proof');
  assert.match(readFileSync(join(installed, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0, January 2004/);
  const listing = ok('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], root);
  const files = (JSON.parse(listing) as { files: { path: string }[] }[])[0]?.files.map((file) => file.path) ?? [];
  assert.deepEqual(files.filter((path) => path.endsWith('.map')), []);
  assert.deepEqual(files.filter((path) => /^dist\/(cli|examples)\/.*\.d\.ts$/.test(path)), []);
  // The web inspector (tproof inspect --web) ships built: its page, style and bundle.
  for (const file of ['index.html', 'inspector.css', 'main.js']) assert.ok(files.includes(`dist/web/inspector/${file}`), `dist/web/inspector/${file} is not in the package`);
  // The vectors stay in the repository (vectors check DIR); their format document ships, as SPEC-NOTES names it.
  assert.deepEqual(files.filter((path) => path.startsWith('vectors/')), ['vectors/README.md']);
  // Every file the shipped text names by path is shipped (README's picture, the pattern READMEs, ...).
  const named = new Set<string>();
  for (const path of files.filter((file) => /\.(md|js|d\.ts|json)$/.test(file))) {
    const text = readFileSync(join(installed, path), 'utf8');
    for (const [name] of text.matchAll(/(?<![\w/.-])(?:docs|examples\/patterns\/[\w-]+|vectors|lib\/as)\/[\w.-]+\.(?:md|png)\b|\b[A-Z][A-Z-]+\.md\b/g)) named.add(name);
  }
  const patternReadmes = files.filter((path) => /^examples\/patterns\/[\w-]+\/README\.md$/.test(path));
  assert.equal(patternReadmes.length, 5, 'the five pattern READMEs');
  // Files of the repository's own (its layout table and tooling) are named as such in the text.
  const repositoryOnly = new Set(['BENCHMARKS.md']);
  assert.deepEqual([...named].filter((name) => !files.includes(name) && !repositoryOnly.has(name)).sort(), []);
  // No prepare (or other install script): npm runs nothing of the package at install, and warns about nothing of it.
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { scripts?: Record<string, string>; version: string; repository?: unknown };
  assert.deepEqual(Object.keys(manifest.scripts ?? {}).filter((name) => /^(pre|post)?(install|prepare)$/.test(name)), []);
  assert.equal(manifest.version, '0.2.0');
  assert.ok(manifest.repository !== undefined, 'repository is set (provenance)');
  assert.deepEqual(pkg.installLog.split('\n').filter((line) => /warn/i.test(line) && /transitive-proof/.test(line)), []);
  assert.ok(!existsSync(join(installed, 'dist/test')) && !existsSync(join(installed, 'lib')), 'the install compiled nothing of the package');
});
