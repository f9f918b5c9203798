/**
 * The installed tarball on every runtime users run besides this machine's Node 20 (which
 * installed.test.ts covers) and Chromium (test/browser): Node 22, Deno, Bun and Cloudflare's workerd.
 * On each, the README's library example (a JWT chain, the same grant as a CBOR link, an x5c link)
 * is minted and verified from the package installed into a fresh project; workerd runs it in a
 * worker bundled with esbuild (no Node compatibility flag) that also answers POST /verify.
 *
 * The runtimes come from the npm registry's `node@22`, `deno`, `bun` and `workerd` packages, which
 * .ci/run installs outside the repository ($TPROOF_NODE22_PREFIX, $TPROOF_RUNTIMES_DIR; defaults
 * under the temporary directory). Outside CI (CI unset) a missing runtime skips its test with the
 * command that installs it; in CI a missing runtime fails.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { build } from 'esbuild';
import { installPackage, readmeClaimChecks, readmeExample, toJavaScript, type Installed } from '../helpers/installed.js';

const runtimesDir = process.env.TPROOF_RUNTIMES_DIR ?? join(tmpdir(), 'tproof-runtimes');
const node22Prefix = process.env.TPROOF_NODE22_PREFIX ?? join(tmpdir(), 'tproof-node22');
const INSTALL_HINT = `npm install --prefix ${runtimesDir} --no-save deno@2 bun@1 workerd (as .ci/run does)`;
const binaries = {
  node22: { path: join(node22Prefix, 'node_modules/node/bin/node'), hint: `npm install --prefix ${node22Prefix} --no-save node@22` },
  deno: { path: join(runtimesDir, 'node_modules/.bin/deno'), hint: INSTALL_HINT },
  bun: { path: join(runtimesDir, 'node_modules/.bin/bun'), hint: INSTALL_HINT },
  workerd: { path: join(runtimesDir, 'node_modules/.bin/workerd'), hint: INSTALL_HINT },
};

/** The runtime's binary; outside CI, a missing one skips the test (returns undefined); in CI it fails. */
function runtime(t: TestContext, name: keyof typeof binaries): string | undefined {
  const { path, hint } = binaries[name];
  if (existsSync(path)) return path;
  assert.ok(process.env.CI === undefined, `${name} is not installed at ${path} (CI must install it: ${hint})`);
  t.skip(`${name} not installed at ${path}; install it with: ${hint}`);
  return undefined;
}

let pkg: Installed;
const { count, same, calls } = readmeClaimChecks();

/**
 * cbor-x's optional native addon, compiled from source where no prebuilt binary fits, crashes Deno
 * and Bun. The package must never load it: here it is replaced by one that ends the process at
 * load (exit 86), so that any runtime which loads it fails its test.
 */
function trapCborExtract(consumer: string): void {
  const fromCborX = createRequire(join(consumer, 'node_modules/cbor-x/package.json'));
  let main: string;
  try {
    main = fromCborX.resolve('cbor-extract');
  } catch {
    mkdirSync(join(consumer, 'node_modules/cbor-extract'));
    writeFileSync(join(consumer, 'node_modules/cbor-extract/package.json'), JSON.stringify({ name: 'cbor-extract', version: '0.0.0', main: 'index.js' }));
    main = join(consumer, 'node_modules/cbor-extract/index.js');
  }
  writeFileSync(main, "console.error('cbor-extract was loaded'); process.exit(86);\n");
}

before(() => {
  pkg = installPackage('tproof-runtimes-');
  trapCborExtract(pkg.consumer);
  const example = toJavaScript(readmeExample());
  // The example as a program: it mints and verifies the three chains, then checks the result it documents.
  writeFileSync(join(pkg.consumer, 'readme-example.mjs'), `${example}\n${same}\n${calls}\nconsole.log('checked ${count} claims');\n`);
}, { timeout: 300_000 });

after(() => rmSync(pkg.work, { recursive: true, force: true }));

const CHECKED = new RegExp(`^checked ${count} claims$`, 'm');

test('installing the tarball alone: npm warns about nothing but cbor-extract\'s install script, which it did not run (the package never loads it)', () => {
  const warnings = pkg.installLog.split('\n').filter((line) => /warn/i.test(line));
  const named = warnings.flatMap((line) => [...line.matchAll(/^npm warn install-scripts\s+(\S+)@/g)].map((match) => match[1]));
  assert.deepEqual(warnings.filter((line) => !/^npm warn install-scripts/.test(line)), [], warnings.join('\n'));
  assert.ok(named.every((name) => name === 'cbor-extract'), warnings.join('\n'));
});

test('the cbor-extract trap is armed: importing cbor-x itself on Node loads it and exits 86', () => {
  const result = pkg.run(process.execPath, ['--input-type=module', '-e', "await import('cbor-x'); console.log('not loaded');"]);
  assert.equal(result.status, 86, `${result.stdout}${result.stderr}`);
});

test('Node 22 runs the README example from the installed package', (t) => {
  const node22 = runtime(t, 'node22');
  if (node22 === undefined) return;
  assert.match(pkg.run(node22, ['--version']).stdout, /^v22\./);
  assert.match(pkg.ok(node22, ['readme-example.mjs']), CHECKED);
});

test('Deno runs the README example from the installed package (npm resolution from node_modules)', (t) => {
  const deno = runtime(t, 'deno');
  if (deno === undefined) return;
  assert.match(pkg.ok(deno, ['run', '--allow-read', '--allow-env', '--no-prompt', 'readme-example.mjs']), CHECKED);
});

test('Bun runs the README example from the installed package', (t) => {
  const bun = runtime(t, 'bun');
  if (bun === undefined) return;
  assert.match(pkg.ok(bun, ['readme-example.mjs']), CHECKED);
});

/** The README example as the body of a function; its import lines stay at the module's top. */
function exampleAsFunction(): string {
  const lines = toJavaScript(readmeExample()).split('\n');
  const imports = lines.filter((line) => line.startsWith('import '));
  const body = lines.filter((line) => !line.startsWith('import '));
  return `${imports.join('\n')}\n${same}\nasync function readmeExample() {\n${body.join('\n')}\n${calls}\nreturn ${count};\n}`;
}

const WORKER = `
import * as tproof from 'transitive-proof';
import * as cose from 'transitive-proof/cose';
import * as x509 from 'transitive-proof/x509';

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (request.method !== 'POST') return new Response('POST only', { status: 405 });
    if (pathname === '/readme') return Response.json({ checked: await readmeExample() });
    if (pathname !== '/verify') return new Response('not found', { status: 404 });
    const { chain, trust, context } = await request.json();
    try {
      const verifier = await tproof.createVerifier(trust, { codecs: [cose.coseCodec], x509: x509.x509Support });
      const result = await verifier.verify(chain, context);
      return Response.json({ cnf: result.cnf, sub: result.sub, act: result.act, scope: result.scope });
    } catch (error) {
      if (!tproof.isTransitiveProofError(error)) throw error;
      return Response.json({ error: error.oauthError, code: error.code, linkIndex: error.linkIndex }, { status: 400 });
    }
  },
};
`;

/** After the README example, in Node: its three chains with the trust and request that verify each. */
const CHAINS = `
const issuerTrust = { roots: [{ type: 'issuer', iss: 'https://a.example', jwks: { keys: [A.publicJwk] } }] };
const x509Trust = { roots: [{ type: 'x509', anchors: [btoa(String.fromCharCode(...ca.certificate))], identity: { type: 'uri' }, subjects: 'any' }] };
const base = { audience: 'https://as.example', requester, tmb };
console.log(JSON.stringify([
  { name: 'jwt', chain: serializeChain(chain), trust: issuerTrust, context: { ...base, scope: 'read' } },
  { name: 'cbor', chain: serializeChain(cbor, { codecs: [coseCodec] }), trust: issuerTrust, context: base },
  { name: 'x5c', chain: serializeChain(x5c), trust: x509Trust, context: base },
]));
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('workerd (no Node compatibility flag) runs the README example in a worker bundled with esbuild, and its POST /verify verifies JWT, CBOR and x5c chains', async (t) => {
  const workerd = runtime(t, 'workerd');
  if (workerd === undefined) return;
  writeFileSync(join(pkg.consumer, 'worker-entry.mjs'), `${exampleAsFunction()}\n${WORKER}`);
  // The conditions Cloudflare's own tooling bundles with: the package's runtime-neutral builds.
  const bundled = await build({
    entryPoints: [join(pkg.consumer, 'worker-entry.mjs')], outfile: join(pkg.consumer, 'worker.js'), bundle: true, format: 'esm',
    platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], mainFields: ['browser', 'module', 'main'], target: 'es2022', logLevel: 'silent',
  });
  assert.deepEqual(bundled.errors, []);
  const port = await freePort();
  writeFileSync(join(pkg.consumer, 'config.capnp'), [
    'using Workerd = import "/workerd/workerd.capnp";',
    'const config :Workerd.Config = (',
    '  services = [ (name = "main", worker = .verifier) ],',
    `  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],`,
    ');',
    'const verifier :Workerd.Worker = (',
    '  modules = [ (name = "worker", esModule = embed "worker.js") ],',
    '  compatibilityDate = "2026-01-01",',
    ');',
  ].join('\n'));
  const server = spawn(workerd, ['serve', 'config.capnp'], { cwd: pkg.consumer, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout.on('data', (chunk: Buffer) => { log += chunk.toString(); });
  server.stderr.on('data', (chunk: Buffer) => { log += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
  t.after(async () => { server.kill(); await exited; });
  const post = async (path: string, body: unknown): Promise<Response> => {
    // Until the socket is up (a refused connection), then the answer; a workerd that exited fails at once.
    for (;;) {
      if (server.exitCode !== null) assert.fail(`workerd exited ${server.exitCode}:\n${log}`);
      try {
        return await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      } catch (error) {
        if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNREFUSED') throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };

  const readme = await post('/readme', {});
  assert.equal(readme.status, 200, `${await readme.clone().text()}\n${log}`);
  assert.deepEqual(await readme.json(), { checked: count });

  // Chains minted by the README example under Node, verified by the worker.
  writeFileSync(join(pkg.consumer, 'readme-chains.mjs'), `${toJavaScript(readmeExample())}\n${CHAINS}`);
  const cases = JSON.parse(pkg.ok(process.execPath, ['readme-chains.mjs'])) as { name: string; chain: string; trust: unknown; context: { tmb: unknown } }[];
  assert.deepEqual(cases.map(({ name }) => name), ['jwt', 'cbor', 'x5c']);
  for (const { name, chain, trust, context } of cases) {
    const response = await post('/verify', { chain, trust, context });
    const body = (await response.json()) as { cnf?: unknown; sub?: unknown };
    assert.equal(response.status, 200, `${name}: ${JSON.stringify(body)}`);
    assert.deepEqual(body.cnf, context.tmb, `${name}: cnf is the chain's tmb`);
    assert.equal(body.sub, 'urn:c', name);
  }
  // And a refusal: the JWT chain presented to another audience.
  const [jwt] = cases as [(typeof cases)[number]];
  const refused = await post('/verify', { chain: jwt.chain, trust: jwt.trust, context: { ...jwt.context, audience: 'https://other.example' } });
  assert.equal(refused.status, 400);
  assert.deepEqual(await refused.json(), { error: 'invalid_grant', code: 'audience_mismatch', linkIndex: 0 });
});
