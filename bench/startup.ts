/**
 * Issue #10 item 5: what a program pays to start with the library, and what a browser downloads.
 *
 * - Cold start, whole processes, wall time, in interleaved rounds (each round runs every command
 *   once, in an order rotated round by round, so machine load drifts onto all alike); each ratio is
 *   taken per round and the median quoted:
 *   importing the root costs (root − bare) / (jose − bare), target ≤ 1.5 (issue #27; #10 had 2),
 *   where bare is `node -e 0`, jose `import('jose')`, root `import('transitive-proof')`; `tproof
 *   --help` costs help / bare, target ≤ 1.5; importing `/x509` costs x509 − bare, target ≤ 150 ms
 *   (issue #27).
 * - Bundle size: the README library example bundled by esbuild for the browser (minified, from the
 *   package through its exports): its JWT part alone (target ≤ 60 KB, issue #27; #10 had 150 KB) and the whole example with its
 *   CBOR and x5c chains (CBOR and X.509 code only there), and a verifier alone (createVerifier + verify).
 *
 *   node dist/bench/run.js --only=startup [--rounds=N]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { stats, type Stats } from './harness.js';

interface StartupCommand {
  name: string;
  args: string[];
}

const COMMANDS: readonly StartupCommand[] = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: "import('jose')", args: ['-e', "import('jose')"] },
  { name: "import('transitive-proof')", args: ['-e', "import('transitive-proof')"] },
  { name: 'tproof --help', args: ['dist/cli/tproof.js', '--help'] },
  { name: "import('transitive-proof/x509')", args: ['-e', "import('transitive-proof/x509')"] },
];

export interface StartupOptions {
  rounds: number;
  progress: (line: string) => void;
}

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'transitive-proof') return dir;
    } catch {
      // not here
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root not found');
    dir = parent;
  }
}

/** Wall milliseconds of one whole process, which must exit 0. */
function timeOnce(root: string, command: StartupCommand): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, command.args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command.name} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

const ms = (value: Stats): string => `${value.median.toFixed(1)} ms [${value.p25.toFixed(1)}–${value.p75.toFixed(1)}]`;
const ratio = (value: Stats): string => `${value.median.toFixed(2)}× [${value.p25.toFixed(2)}–${value.p75.toFixed(2)}]`;

/** Cold start: rounds of every command, rotated; per-round ratios. */
function coldStart(root: string, options: StartupOptions): string[] {
  const times = COMMANDS.map(() => [] as number[]);
  for (const command of COMMANDS) timeOnce(root, command); // warm the file cache
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < COMMANDS.length; k++) {
      const index = (k + round) % COMMANDS.length;
      (times[index] as number[]).push(timeOnce(root, COMMANDS[index] as StartupCommand));
    }
  }
  const [bare, jose, lib, help, x509] = times as [number[], number[], number[], number[], number[]];
  const importRatio = stats(bare.map((base, i) => ((lib[i] as number) - base) / ((jose[i] as number) - base)));
  const helpRatio = stats(bare.map((base, i) => (help[i] as number) / base));
  const x509Cost = stats(bare.map((base, i) => (x509[i] as number) - base));
  const lines = COMMANDS.map((command, k) => `${command.name}: ${ms(stats(times[k] as number[]))}`);
  options.progress(`startup: ${lines.join('; ')}`);
  return [
    `cold start (${options.rounds} interleaved rounds, wall, median [p25–p75]): ${lines.join('; ')}`,
    `${importRatio.median <= 1.5 ? 'MET' : 'MISSED'}: importing the root adds ≤ 1.5× what importing jose adds over node -e 0 — ${ratio(importRatio)}`,
    `${helpRatio.median <= 1.5 ? 'MET' : 'MISSED'}: tproof --help ≤ 1.5× node -e 0 — ${ratio(helpRatio)}`,
    `${x509Cost.median <= 150 ? 'MET' : 'MISSED'}: importing transitive-proof/x509 adds ≤ 150 ms over node -e 0 — ${ms(x509Cost)}`,
  ];
}

/**
 * CPU (user + system) of a whole process up to the end of one import, read inside the child by
 * process.cpuUsage(): on a shared machine CPU time drifts less with load than wall time does.
 * Rounds rotate the order as coldStart does; the costs are per-round differences to `node -e 0`.
 */
function cpuCost(root: string, options: StartupOptions): string[] {
  const specifiers = [undefined, 'jose', 'transitive-proof', 'transitive-proof/x509'] as const;
  const program = (specifier: string | undefined): string => {
    const report = 'const u = process.cpuUsage(); process.stdout.write(String(u.user + u.system))';
    return specifier === undefined ? report : `import(${JSON.stringify(specifier)}).then(() => { ${report} })`;
  };
  const times = specifiers.map(() => [] as number[]);
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < specifiers.length; k++) {
      const index = (k + round) % specifiers.length;
      const result = spawnSync(process.execPath, ['-e', program(specifiers[index])], { cwd: root, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`import(${specifiers[index]}) exited ${result.status}: ${result.stderr}`);
      (times[index] as number[]).push(Number(result.stdout) / 1000);
    }
  }
  const [bare, jose, lib, x509] = times as [number[], number[], number[], number[]];
  const importRatio = stats(bare.map((base, i) => ((lib[i] as number) - base) / ((jose[i] as number) - base)));
  const x509Cost = stats(bare.map((base, i) => (x509[i] as number) - base));
  return [
    `import CPU (user + sys, ${options.rounds} rotated rounds, median [p25–p75]): ${specifiers.map((s, k) => `${s ?? 'node -e 0'} ${ms(stats(times[k] as number[]))}`).join('; ')}`,
    `${importRatio.median <= 1.5 ? 'MET' : 'MISSED'} (CPU): importing the root adds ≤ 1.5× what importing jose adds — ${ratio(importRatio)}`,
    `${x509Cost.median <= 150 ? 'MET' : 'MISSED'} (CPU): importing transitive-proof/x509 adds ≤ 150 ms — ${ms(x509Cost)}`,
  ];
}

/** The README's library example, split at its result comment: the JWT part, and the whole. */
function readmeExample(root: string): { jwtOnly: string; whole: string } {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((text) => text.startsWith('Library'));
  const whole = section?.match(/```ts\n([\s\S]*?)```/)?.[1];
  if (whole === undefined) throw new Error('README.md has no Library ts block');
  const end = whole.search(/^\/\/ result\..*$/m);
  // The JWT part imports only what it uses: drop the imports of the later parts.
  const jwtOnly = whole.slice(0, end).split('\n').filter((line) => !/^import .* from 'transitive-proof\//.test(line)).join('\n');
  return { jwtOnly, whole };
}

async function bundleSizes(root: string): Promise<string[]> {
  const { build } = await import('esbuild');
  const work = mkdtempSync(join(tmpdir(), 'tproof-bundle-'));
  try {
    mkdirSync(join(work, 'node_modules'));
    symlinkSync(root, join(work, 'node_modules', 'transitive-proof'), 'dir');
    const { jwtOnly, whole } = readmeExample(root);
    const sizes: Record<string, { min: number; gzip: number }> = {};
    // A verifier alone (no minting, no key generation): what an authorization server's page or edge
    // function that only verifies carries.
    const verifyOnly = "import { createVerifier } from 'transitive-proof';\nconst verifier = await createVerifier(JSON.parse(globalThis.TRUST));\nexport const result = await verifier.verify(globalThis.CHAIN, JSON.parse(globalThis.CONTEXT));\n";
    for (const [name, source] of [['jwt', jwtOnly], ['whole', whole], ['verify', verifyOnly]] as const) {
      writeFileSync(join(work, `${name}.ts`), source);
      const result = await build({
        entryPoints: [join(work, `${name}.ts`)], absWorkingDir: work, bundle: true, minify: true, write: false, format: 'esm',
        platform: 'browser', target: 'es2022', conditions: ['browser'], logLevel: 'silent',
      });
      const bytes = result.outputFiles[0]?.contents ?? new Uint8Array();
      sizes[name] = { min: bytes.byteLength, gzip: gzipSync(bytes).byteLength };
    }
    const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} KB`;
    const jwt = sizes.jwt as { min: number; gzip: number };
    const all = sizes.whole as { min: number; gzip: number };
    const verify = sizes.verify as { min: number; gzip: number };
    return [
      `${jwt.min <= 60_000 ? 'MET' : 'MISSED'}: the README example's JWT-only verifier bundles to ≤ 60 KB minified (esbuild, browser) — ${kb(jwt.min)} (${kb(jwt.gzip)} gzip)`,
      `(information) the whole README example, with its CBOR chain (transitive-proof/cose) and x5c chain (/x509, /x509/issue): ${kb(all.min)} minified (${kb(all.gzip)} gzip)`,
      `(information) createVerifier + verify alone, no minting: ${kb(verify.min)} minified (${kb(verify.gzip)} gzip)`,
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function startupGroups(options: StartupOptions): Promise<string[]> {
  const root = repoRoot();
  return [...coldStart(root, options), ...cpuCost(root, options), ...(await bundleSizes(root))];
}
