/**
 * The examples run as the README says: `node dist/examples/<name>.js` as a separate process, each
 * server on loopback printing where it listens, stopped with SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../helpers/repo.js';

const root = repoRoot();
// Compiled (npm test) → the built examples; under tsx → the TypeScript sources through tsx.
const compiled = fileURLToPath(import.meta.url).endsWith('.js');
const running: ChildProcessWithoutNullStreams[] = [];

function example(name: string, args: string[] = []): ChildProcessWithoutNullStreams {
  const entry = compiled ? [join(root, 'dist/examples', `${name}.js`)] : ['--import', import.meta.resolve('tsx'), join(root, 'examples', `${name}.ts`)];
  const child = spawn(process.execPath, [...entry, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  running.push(child);
  return child;
}

/** Everything the process printed on stdout up to the line containing `marker` (or its exit). */
function outputUntil(child: ChildProcessWithoutNullStreams, marker: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { err += chunk; });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes(marker)) resolve(out);
    });
    child.on('close', (code) => reject(new Error(`exited ${code} before printing "${marker}"\n--- stdout\n${out}\n--- stderr\n${err}`)));
  });
}

function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

after(() => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

test('the example authorization server and resource server start on loopback, print their URLs, answer, and stop on SIGTERM', async () => {
  const as = example('authorization-server');
  const asOut = await outputUntil(as, 'Ctrl-C');
  const issuer = /authorization server .* at (http:\/\/127\.0\.0\.1:\d+)\n/.exec(asOut)?.[1];
  assert.ok(issuer !== undefined, asOut);
  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { issuer?: string; token_endpoint?: string; grant_types_supported?: string[] };
  assert.equal(discovery.issuer, issuer);
  assert.equal(discovery.token_endpoint, `${issuer}/token`);
  assert.ok(discovery.grant_types_supported?.includes('urn:transitive-proof:grant-type:deferred-binding'), JSON.stringify(discovery.grant_types_supported));
  assert.match(asOut, /clients +client-b \(private_key_jwt/, 'prints the clients it accepts');
  assert.match(asOut, /a chain +tproof mint --key \S+authority\.jwk .*--delegate-key \S+client-b\.jwk/, 'prints how to mint a chain it accepts');

  const rs = example('resource-server', ['--issuer', issuer]);
  const rsOut = await outputUntil(rs, 'Ctrl-C');
  const data = /resource server at (http:\/\/127\.0\.0\.1:\d+\/data)/.exec(rsOut)?.[1];
  assert.ok(data !== undefined, rsOut);
  const anonymous = await fetch(data);
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.headers.get('www-authenticate') ?? '', /^DPoP/);

  rs.kill('SIGTERM');
  as.kill('SIGTERM');
  assert.equal(await exitCode(rs), 0);
  assert.equal(await exitCode(as), 0);
});

test('the example resource server without --issuer says how to use it and exits 1', async () => {
  const rs = example('resource-server');
  let err = '';
  rs.stderr.setEncoding('utf8').on('data', (chunk: string) => { err += chunk; });
  assert.equal(await exitCode(rs), 1);
  assert.match(err, /usage: node dist\/examples\/resource-server\.js --issuer AS_URL/);
});

test('the example demo runs the story and exits 0', async () => {
  const demo = example('demo');
  let out = '';
  demo.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
  assert.equal(await exitCode(demo), 0, out);
  assert.match(out, /Demo complete: all \d+ steps behaved as described\./);
});
