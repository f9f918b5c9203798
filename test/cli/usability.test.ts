/**
 * The CLI as a person uses it, each case a separate `tproof` process: pipes closed early, missing
 * files, a terminal on stdin, bad key files, dates, --now, stray arguments, --version, --json.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { repoRoot } from '../helpers/repo.js';
import { tproofArgs as cliArgs, tproofIn } from '../helpers/tproof.js';

const root = repoRoot();
const work = mkdtempSync(join(tmpdir(), 'tproof-cli-usability-'));
const { tproof, ok } = tproofIn(work);

const ISSUED = '2026-01-01T00:00:00Z';
const rootLink = ['mint', '--key', 'a.jwk', '--iss', 'https://a.example', '--sub', 'urn:c', '--aud', 'https://as.example', '--scope', 'read',
  '--tmb-key', 'c.jwk', '--delegate', 'client-b', '--delegate-key', 'b.jwk'];
// client-b authenticated with its key (key-bound requesters are the default).
const verifyArgs = ['verify', '--trust', 'trust.json', '--aud', 'https://as.example', '--requester', 'client-b', '--requester-key', 'b.jwk'];

before(() => {
  for (const [name, alg] of [['a', 'EdDSA'], ['b', 'ES256'], ['c', 'EdDSA']] as const) writeFileSync(join(work, `${name}.jwk`), ok(['keygen', '--alg', alg]));
  writeFileSync(join(work, 'trust.json'), ok(['trust', '--issuer', 'https://a.example=a.jwk']));
  // Issued at a fixed instant, valid 300 s: verified with --now inside or after that window.
  writeFileSync(join(work, 'chain.txt'), ok([...rootLink, '--now', ISSUED, '--expires-in', '300']));
});

test('a reader that closes the pipe early (EPIPE) ends tproof quietly with status 0', async () => {
  const child = spawn(process.execPath, [...cliArgs, 'inspect', 'chain.txt'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy(); // like `| head -0`: the read end is gone before tproof writes
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  assert.equal(stderr, '');
  assert.equal(status, 0);
});

test('a missing chain file is a usage error (exit 2) naming the file', () => {
  for (const args of [['inspect', 'nosuchfile.txt'], [...verifyArgs, 'nosuchfile.txt']]) {
    const result = tproof(args);
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, /^usage error: no such file "nosuchfile\.txt"/m);
    assert.doesNotMatch(result.stderr, /link_malformed|chain_malformed/);
  }
  const trust = tproof(['verify', '--trust', 'nosuchtrust.json', '--aud', 'x', '--requester', 'y', 'chain.txt']);
  assert.equal(trust.status, 2);
  assert.match(trust.stderr, /cannot read trust file "nosuchtrust\.json": no such file/);
});

test('at a terminal with no chain argument, inspect and verify say they are reading standard input', { skip: !hasScript() && !process.env.CI && 'needs script(1) from util-linux for a pseudo-terminal' }, async () => {
  for (const args of [['inspect'], verifyArgs]) {
    // script(1) gives tproof a pseudo-terminal as stdin; Ctrl-D (EOT) through it ends the input.
    const command = [process.execPath, ...cliArgs, ...args].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: work, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('standard input')) resolve();
      });
      child.on('close', () => resolve());
    });
    child.stdin.end('\u0004');
    const status = await new Promise<number | null>((resolve) => (child.exitCode === null ? child.on('close', resolve) : resolve(child.exitCode)));
    assert.match(output, /reading the chain from standard input .*Ctrl-D/, args.join(' '));
    assert.equal(status, 1, `an empty chain is rejected after the prompt (${args.join(' ')}): ${output}`);
  }
});

function hasScript(): boolean {
  return spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
}

test('bad key files are refused in words about the file, not schema paths', () => {
  const cases: [string, unknown, RegExp][] = [
    ['no-members.jwk', { kty: 'EC' }, /is an EC key without "crv", "x", "y"/],
    ['no-kty.jwk', { x: 'abc' }, /has key type null; tproof uses Ed25519/],
    ['array.jwk', [1], /is not a JWK/],
    ['not-base64url.jwk', { kty: 'RSA', n: '!!!', e: 'AQAB' }, /has "n" not in base64url/],
    ['short-okp.jwk', { kty: 'OKP', crv: 'Ed25519', x: 'abc' }, /is not a valid Ed25519 key/],
    ['x25519.jwk', { kty: 'OKP', crv: 'X25519', x: 'abc' }, /has curve "X25519"/],
  ];
  for (const [file, jwk, message] of cases) {
    writeFileSync(join(work, file), JSON.stringify(jwk));
    // Every case as --tmb-key, the first also as --delegate-key (the same reader serves both).
    for (const option of file === 'no-members.jwk' ? ['--tmb-key', '--delegate-key'] : ['--tmb-key']) {
      const args = rootLink.map((arg, i) => (rootLink[i - 1] === option ? file : arg));
      const result = tproof(args);
      assert.equal(result.status, 2, `${file} as ${option}`);
      assert.match(result.stderr, new RegExp(`key file "${file.replace('.', '\\.')}" ${message.source}`), `${file} as ${option}`);
      assert.doesNotMatch(result.stderr, /must have|required property|\/tmb|\/may_act/);
    }
  }
  writeFileSync(join(work, 'public-only.jwk'), ok(['keygen', '--alg', 'ES256', '--public']));
  const signer = tproof(rootLink.map((arg) => (arg === 'a.jwk' ? 'public-only.jwk' : arg)));
  assert.equal(signer.status, 2);
  assert.match(signer.stderr, /key file "public-only\.jwk" is an EC private key without "d"/);
});

test('a malformed RSA --tmb-key (a modulus far below 2048 bits) is refused', () => {
  const rsa = JSON.parse(ok(['keygen', '--alg', 'PS256', '--public'])) as { n: string; e: string };
  writeFileSync(join(work, 'short-rsa.jwk'), JSON.stringify({ kty: 'RSA', n: rsa.n.slice(0, 22), e: rsa.e }));
  const result = tproof(rootLink.map((arg) => (arg === 'c.jwk' ? 'short-rsa.jwk' : arg)));
  assert.equal(result.status, 2);
  assert.match(result.stderr, /key file "short-rsa\.jwk" is an RSA key of \d+ bits; at least 2048 are required/);
  assert.equal(result.stdout, '', 'nothing is minted');
});

test('an expired chain is reported with its expiry as an ISO 8601 date', () => {
  const result = tproof([...verifyArgs, '--now', '2026-01-01T01:00:00Z', 'chain.txt']);
  assert.equal(result.status, 1);
  // Issued at ISSUED with --expires-in 300.
  assert.match(result.stderr, /^error: expired \(link 0\): link 0 expired at 2026-01-01T00:05:00Z$/m);
});

test('--now takes only an ISO 8601 date and time with an offset', () => {
  for (const now of ['Dec 2 2026 01:14', '2026-01-01T00:01:00', '2026-02-30T00:00:00Z', '1767225660']) {
    const result = tproof([...verifyArgs, '--now', now, 'chain.txt']);
    assert.equal(result.status, 2, now);
    assert.match(result.stderr, /--now ".*" is not an ISO 8601 date and time with offset/, now);
  }
  assert.equal(tproof([...rootLink, '--now', 'Dec 2 2026 01:14']).status, 2, 'mint --now');
  for (const now of ['2026-01-01T01:01:00+01:00', '2026-01-01T00:01Z']) {
    assert.equal(tproof([...verifyArgs, '--now', now, 'chain.txt']).status, 0, now);
  }
});

test('extra positional arguments are refused, not ignored', () => {
  for (const args of [['inspect', 'chain.txt', 'other.txt'], [...verifyArgs, '--now', '2026-01-01T00:01:00Z', 'chain.txt', 'other.txt'], [...rootLink, 'extra'], ['keygen', 'extra'], ['trust', '--issuer', 'https://a.example=a.jwk', 'extra']]) {
    const result = tproof(args);
    assert.equal(result.status, 2, args.join(' '));
    const stray = (args.at(-1) as string).replace('.', '\\.');
    assert.match(result.stderr, new RegExp(`usage error: unexpected argument .${stray}.`, 'i'), args.join(' '));
  }
});

test('--version prints the package version', () => {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  assert.equal(ok(['--version']), `tproof ${version}\n`);
});

test('--json prints a JSON error on stdout for every failure of the commands that accept it', () => {
  const failures: [string[], string][] = [
    [['inspect', '--json', 'nosuchfile.txt'], 'usage_error'],
    [['inspect', '--json', 'x'.repeat(80)], 'chain_malformed'],
    [['inspect', '--json', '--bogus'], 'usage_error'],
    [['mint', '--json', '--key', 'a.jwk'], 'usage_error'],
    [['mint', '--json', '--key', 'nosuch.jwk'], 'usage_error'],
    [['verify', '--json', '--aud', 'x', '--requester', 'y', 'chain.txt'], 'usage_error'],
    [['verify', '--json', '--bogus'], 'usage_error'],
    [[...verifyArgs, '--json', '--now', 'tomorrow', 'chain.txt'], 'usage_error'],
    [[...verifyArgs, '--json', '--now', '2026-01-01T01:00:00Z', 'chain.txt'], 'expired'],
  ];
  for (const [args, code] of failures) {
    const result = tproof(args);
    assert.notEqual(result.status, 0, args.join(' '));
    let body: { error?: { code?: unknown; message?: unknown }; valid?: unknown };
    try {
      body = JSON.parse(result.stdout) as typeof body;
    } catch {
      assert.fail(`tproof ${args.join(' ')} printed no JSON: ${JSON.stringify(result.stdout)} (stderr ${result.stderr})`);
    }
    assert.equal(body.error?.code, code, args.join(' '));
    assert.equal(typeof body.error?.message, 'string');
    if (args[0] === 'verify' && !args.includes('--bogus')) assert.equal(body.valid, false);
  }
});
