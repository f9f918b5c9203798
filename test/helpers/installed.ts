/**
 * The package as a user gets it: `npm pack` of the built repository, installed from the tarball into
 * a fresh project outside the repository (no repository node_modules on the resolution path). Shared
 * by the installed-package tests (test/package/installed.test.ts) and the runtime tests
 * (test/package/runtimes.test.ts). Installs from the npm cache first (--prefer-offline).
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { readmeBlocks } from './readme.js';
import { repoRoot } from './repo.js';

const execFileAsync = promisify(execFile);

/** The parent's npm_* variables (set by `npm test`) would point npm at the repository: drop them. */
export const installEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
installEnv.npm_config_update_notifier = 'false';
installEnv.npm_config_fund = 'false';
installEnv.npm_config_audit = 'false';

export interface Installed {
  work: string;
  /** The consumer project: package.json (type module) and node_modules/transitive-proof. */
  consumer: string;
  /** npm's output (stdout and stderr) of the install. */
  installLog: string;
  run(command: string, args: string[], cwd?: string): SpawnSyncReturns<string>;
  /** Runs and asserts exit 0; returns stdout. */
  ok(command: string, args: string[], cwd?: string): string;
  okAsync(command: string, args: string[]): Promise<string>;
}

/** Versions the repository itself installed: the npm cache already holds them. */
export function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(repoRoot(), 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Packs the built repository and installs the tarball (plus `extra` packages) into a new project. */
export function installPackage(prefix: string, extra: string[] = []): Installed {
  const root = repoRoot();
  assert.ok(existsSync(join(root, 'dist/lib/index.js')), 'build first (npm test runs the build)');
  const work = mkdtempSync(join(tmpdir(), prefix));
  const consumer = join(work, 'consumer');
  const run = (command: string, args: string[], cwd = consumer): SpawnSyncReturns<string> =>
    spawnSync(command, args, { cwd, env: installEnv, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ok = (command: string, args: string[], cwd = consumer): string => {
    const result = run(command, args, cwd);
    assert.equal(result.status, 0, `${command} ${args.join(' ')} exited ${result.status ?? result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
    return result.stdout;
  };
  const okAsync = async (command: string, args: string[]): Promise<string> => {
    try {
      return (await execFileAsync(command, args, { cwd: consumer, env: installEnv, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).stdout;
    } catch (error) {
      const { stdout, stderr, code } = error as { stdout?: string; stderr?: string; code?: unknown };
      assert.fail(`${command} ${args.join(' ')} exited ${String(code)}\n--- stdout\n${stdout ?? ''}\n--- stderr\n${stderr ?? ''}`);
    }
  };
  // --ignore-scripts: dist/ is already built by pretest, and a prepack rebuild would race the running suite.
  const packed = JSON.parse(ok('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], root)) as { filename: string }[];
  const tarball = join(work, (packed[0] as { filename: string }).filename);
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'tproof-consumer', private: true, type: 'module' }, null, 2)}\n`);
  const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, ...extra]);
  assert.equal(install.status, 0, `npm install exited ${install.status ?? install.signal}\n${install.stdout}\n${install.stderr}`);
  return { work, consumer, installLog: `${install.stdout}\n${install.stderr}`, run, ok, okAsync };
}

/** The README's library example, verbatim (TypeScript). */
export function readmeExample(): string {
  return readmeBlocks('Library', 'ts')[0] as string;
}

/**
 * The README example's closing comment ("// result.cnf = tmb, result.sub = 'urn:c', ...") as
 * checks, one per claim, for any runtime: `same(actual, expected)` compares canonical JSON and
 * throws, so no `node:assert` is needed (workerd has none without its Node compatibility flag).
 */
export function readmeClaimChecks(): { count: number; same: string; calls: string } {
  const claims = readmeExample().match(/^\/\/ (result\..*)$/m)?.[1];
  assert.ok(claims !== undefined, 'the example ends with a "// result.x = ..." comment');
  const checks = [...claims.matchAll(/result\.(\w+) = (.+?)(?=, result\.|$)/g)].map(([, field, value]) => `same(result.${field}, ${value}, ${JSON.stringify(field)});`);
  assert.ok(checks.length >= 4, `expected claims about cnf, sub, act and scope, got ${checks.length}`);
  const same = [
    'function same(actual, expected, what) {',
    '  const canonical = (value) => JSON.stringify(value, (_, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));',
    '  if (canonical(actual) !== canonical(expected)) throw new Error(`result.${what}: ${canonical(actual)} is not ${canonical(expected)}`);',
    '}',
  ].join('\n');
  return { count: checks.length, same, calls: checks.join('\n') };
}

/** TypeScript to JavaScript, types dropped, ES modules kept (the README example is TypeScript). */
export function toJavaScript(source: string): string {
  return ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
}
