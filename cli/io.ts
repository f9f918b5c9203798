/**
 * Input/output helpers shared by the commands: reading a chain argument, JSON files, and turning a
 * library error into the CLI's error line and exit status.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isTransitiveProofError, type LinkFormat } from '../lib/index.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A chain argument: '-' (stdin), a file path, or the chain text itself. Missing → stdin. */
export async function readChainArgument(arg: string | undefined): Promise<string> {
  if (arg === undefined || arg === '-') return (await readStdin()).trim();
  if (arg.length < 4096 && existsSync(arg)) return readFileSync(arg, 'utf8').trim();
  return arg.trim();
}

export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${what} file "${path}"`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`${what} file "${path}" is not valid JSON`);
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Report an error and return the exit status: 1 for a rejected chain, 2 for usage errors. */
export function reportError(error: unknown, json = false): number {
  if (isTransitiveProofError(error)) {
    if (json) printJson({ valid: false, error: error.toJSON() });
    const where = error.linkIndex === undefined ? '' : ` (link ${error.linkIndex})`;
    process.stderr.write(`error: ${error.code}${where}: ${error.message}\n`);
    return error.code === 'invalid_argument' ? 2 : 1;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`usage error: ${error.message}\n`);
    return 2;
  }
  process.stderr.write(`internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  return 3;
}

export function requireOption(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** --format: jwt, or cbor (also accepted as cwt). */
export function formatOption(value: string | undefined): LinkFormat {
  if (value === 'jwt') return 'jwt';
  if (value === 'cbor' || value === 'cwt') return 'cwt';
  throw new UsageError('--format must be jwt or cbor');
}

export function parseDate(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!Number.isFinite(date.getTime())) throw new UsageError(`--${name} is not a valid ISO 8601 date`);
  return date;
}

export function parseInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a non-negative integer`);
  return Number(value);
}
