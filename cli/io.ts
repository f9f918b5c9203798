/**
 * Input/output helpers shared by the commands: reading a chain argument, JSON files, and turning a
 * library error into the CLI's error line and exit status.
 */
import { existsSync, readFileSync } from 'node:fs';
// errors.js alone, not the root: `tproof --help` loads io.ts and should load no more of the library.
import { isTransitiveProofError } from '../lib/errors.js';
import type { LinkFormat } from '../lib/model/types.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A chain argument: '-' (stdin), a file path, or the chain text itself. Missing → stdin. An
 * argument that is no existing file and does not look like a chain (a JSON array, or compact text
 * of at least 64 base64url characters, dots and tildes) is taken for a mistyped file name.
 */
export async function readChainArgument(arg: string | undefined): Promise<string> {
  if (arg === undefined || arg === '-') {
    // At a terminal nothing is piped in: say what the silence is waiting for.
    if (process.stdin.isTTY) process.stderr.write('reading the chain from standard input (paste it, then press Ctrl-D; or give CHAIN or FILE)\n');
    return (await readStdin()).trim();
  }
  if (arg.length < 4096 && existsSync(arg)) return readTextFile(arg, 'chain');
  const text = arg.trim();
  if (text.startsWith('[') || /^[A-Za-z0-9_\-.~]{64,}$/.test(text)) return text;
  throw new UsageError(`no such file "${arg}" (give a chain file, the chain itself, or - for standard input)`);
}

/**
 * As readChainArgument, but a file is read as bytes: a CBOR chain may be stored as its raw bytes
 * (readChainInput tells them from text).
 */
export async function readChainBytesArgument(arg: string | undefined): Promise<string | Uint8Array> {
  if (arg !== undefined && arg !== '-' && arg.length < 4096 && existsSync(arg)) {
    try {
      return new Uint8Array(readFileSync(arg));
    } catch (error) {
      throw new UsageError(`cannot read chain file "${arg}": ${readProblem(error)}`);
    }
  }
  return readChainArgument(arg);
}

/** Why a file could not be read, in words (the errno code alone means little to most people). */
function readProblem(error: unknown): string {
  switch ((error as { code?: unknown }).code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'it is a directory';
    default: return error instanceof Error ? error.message : String(error);
  }
}

export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new UsageError(`cannot read ${what} file "${path}": ${readProblem(error)}`);
  }
}

export function readJsonFile(path: string, what: string): unknown {
  const text = readTextFile(path, what);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`${what} file "${path}" is not valid JSON`);
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Report an error and return the exit status: 1 for a rejected chain, 2 for usage errors, 3 for
 * internal errors. The line on stderr is always written; with `json` the error object also goes to
 * stdout, as `{ "error": {...} }` plus the `extra` members (verify adds `"valid": false`), so a
 * script reading --json output gets JSON whatever went wrong. Usage and internal errors have the
 * codes "usage_error" and "internal_error", outside the library's codes.
 */
export function reportError(error: unknown, json = false, extra: Record<string, unknown> = {}): number {
  if (isTransitiveProofError(error)) {
    if (json) printJson({ ...extra, error: error.toJSON() });
    const where = error.linkIndex === undefined ? '' : ` (link ${error.linkIndex})`;
    process.stderr.write(`error: ${error.code}${where}: ${error.message}\n`);
    return error.code === 'invalid_argument' ? 2 : 1;
  }
  if (error instanceof UsageError) {
    if (json) printJson({ ...extra, error: { code: 'usage_error', message: error.message } });
    process.stderr.write(`usage error: ${error.message}\n`);
    return 2;
  }
  if (json) printJson({ ...extra, error: { code: 'internal_error', message: error instanceof Error ? error.message : String(error) } });
  process.stderr.write(`internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  return 3;
}

/** Positionals beyond `max` are refused rather than silently ignored. */
export function atMostPositionals(positionals: readonly string[], max: number): void {
  if (positionals.length > max) {
    throw new UsageError(`unexpected argument${positionals.length - max === 1 ? '' : 's'} ${positionals.slice(max).map((arg) => `"${arg}"`).join(' ')}`);
  }
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

/**
 * An ISO 8601 date and time with its offset (the RFC 3339 profile): 2026-12-02T01:14:00Z,
 * 2026-12-02T02:14+01:00. `new Date()` alone also takes "Dec 2 2026 01:14" in the local zone
 * and rolls 2026-02-30 over to March, so the form is checked and the fields read back.
 */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

export function parseDate(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const invalid = new UsageError(`--${name} "${value}" is not an ISO 8601 date and time with offset, e.g. 2026-12-02T01:14:00Z`);
  const match = ISO_DATE_TIME.exec(value);
  if (match === null) throw invalid;
  const [, year, month, day, hour, minute, second = '00'] = match;
  const date = new Date(value);
  // Rolled-over fields (Feb 30, 24:00, :60) parse to another day or fail: compare at the given offset.
  const shifted = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)));
  if (!Number.isFinite(date.getTime()) || shifted.getUTCFullYear() !== Number(year) || shifted.getUTCMonth() !== Number(month) - 1
    || shifted.getUTCDate() !== Number(day) || shifted.getUTCHours() !== Number(hour) || shifted.getUTCMinutes() !== Number(minute)
    || shifted.getUTCSeconds() !== Number(second)) {
    throw invalid;
  }
  return date;
}

export function parseInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a non-negative integer`);
  return Number(value);
}
