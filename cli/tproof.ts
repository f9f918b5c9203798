#!/usr/bin/env node
/**
 * tproof: a thin command-line shell over the transitive-proof library.
 */
import { readFileSync } from 'node:fs';
import { reportError, UsageError } from './io.js';

// A reader that stops early (`tproof inspect chain.txt | head -1`) closes the pipe: that is not an
// error of ours, so stop quietly instead of printing an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

interface Command {
  help: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  keygen: { summary: 'generate a key pair (JWK)', load: () => import('./commands/keygen.js') },
  mint: { summary: 'sign a link: start a chain or append to one', load: () => import('./commands/mint.js') },
  inspect: { summary: 'show a chain as a tree, without verifying', load: () => import('./commands/inspect.js') },
  disclose: { summary: 'show what an issued token would disclose of a chain (full, subset, actor-only)', load: () => import('./commands/disclose.js') },
  trust: { summary: 'write a trust configuration for verify', load: () => import('./commands/trust.js') },
  verify: { summary: 'verify a chain as an authorization server', load: () => import('./commands/verify.js') },
  cert: { summary: 'create a demo PKI (CA, intermediate, SPIFFE leaf)', load: () => import('./commands/cert.js') },
  demo: { summary: 'run the deferred-binding story end to end', load: () => import('./commands/demo.js') },
  status: { summary: 'issue, update and read a Token Status List (status create|set|get)', load: () => import('./commands/status.js') },
  revoke: { summary: 'revoke a link by its hash (Redis revocation store)', load: () => import('./commands/revoke.js') },
  vectors: { summary: 'check the shared test vectors (vectors check [DIR])', load: () => import('./commands/vectors.js') },
};

/** The version of the package.json above this file (cli/ from source, dist/cli/ when built or installed). */
function version(): string {
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'transitive-proof' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(9)} ${command.summary}`);
  return `tproof: transitive proofs for OAuth deferred key binding\n\nUsage: tproof <command> [options]   (tproof <command> --help; tproof --version)\n\nCommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`tproof ${version()}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    process.stderr.write(`unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  // --json asks for JSON on stdout whatever happens, usage errors included.
  const json = rest.includes('--json');
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      if (json) return reportError(new UsageError(error.message), true);
      process.stderr.write(`usage error: ${error.message}\n\n${command.help}\n`);
      return 2;
    }
    return reportError(error, json);
  }
}

process.exitCode = await main(process.argv.slice(2));
