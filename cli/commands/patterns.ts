/**
 * `tproof demo --pattern <name>` and `tproof demo --list`: the five deferred-binding patterns of
 * examples/patterns/, each run end to end on loopback (oidc-provider AS, DPoP resource server).
 */
import { UsageError } from '../io.js';

export const patternHelp = `tproof demo --pattern <name>   run one deferred-binding pattern end to end (needs oidc-provider)
tproof demo --list | --pattern  list the patterns`;

/** What the demo arguments ask about patterns: a list, one pattern, or nothing (the default demo). */
export function patternRequest(argv: readonly string[]): { list: true } | { name: string } | undefined {
  const at = argv.indexOf('--pattern');
  const inline = argv.find((arg) => arg.startsWith('--pattern='));
  if (argv.includes('--list')) return { list: true };
  if (inline !== undefined) return inline === '--pattern=' ? { list: true } : { name: inline.slice('--pattern='.length) };
  if (at === -1) return undefined;
  const name = argv[at + 1];
  return name === undefined || name.startsWith('--') ? { list: true } : { name };
}

type Registry = typeof import('../../examples/patterns/index.js');

async function registry(): Promise<Registry> {
  try {
    return await import('../../examples/patterns/index.js');
  } catch (error) {
    throw new UsageError(`the patterns need the optional dependency oidc-provider (npm install oidc-provider): ${(error as Error).message}`);
  }
}

export async function runPatternRequest(request: { list: true } | { name: string }, say: (line?: string) => void): Promise<number> {
  const { PATTERNS, findPattern } = await registry();
  if ('list' in request) {
    say('Deferred-binding patterns (tproof demo --pattern <name>; examples/patterns/<name>/README.md):');
    for (const pattern of PATTERNS) say(`  ${pattern.name.padEnd(22)} ${pattern.summary}`);
    return 0;
  }
  const entry = findPattern(request.name);
  if (entry === undefined) throw new UsageError(`unknown pattern "${request.name}"; tproof demo --list shows them`);
  let pattern: Awaited<ReturnType<typeof entry.load>>;
  try {
    pattern = await entry.load();
  } catch (error) {
    throw new UsageError(`pattern ${entry.name} needs the optional dependency oidc-provider (npm install oidc-provider): ${(error as Error).message}`);
  }
  const steps = await pattern.run({ log: (line) => say(line) });
  const failed = steps.filter((step) => !step.ok).length;
  say();
  say(failed === 0 ? `Pattern ${entry.name}: all ${steps.length} steps behaved as described.` : `Pattern ${entry.name} FAILED: ${failed} of ${steps.length} steps did not behave as described.`);
  return failed === 0 ? 0 : 1;
}
