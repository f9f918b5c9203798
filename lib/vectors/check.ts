/**
 * Runs the shared vectors (vectors/index.json and the files it lists) through the public API
 * (createVerifier / verify) and compares each outcome with the expected one: for valid chains the
 * result's cnf, sub, act, scope, notAfter and root; for invalid ones the error code and link index.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as base64url from 'jose/base64url';
import { TransitiveProofError } from '../errors.js';
import type { ChainInput } from '../chain.js';
import { createVerifier } from '../verify.js';
import type { VerifierOptions } from '../rules/context.js';
import type { VerifiedChain } from '../rules/result.js';
import { coseCodec } from '../codecs/cose/codec.js';
import { MemoryRevocationStore } from '../status/revocation.js';
import { remoteKeySupport } from '../status/support.js';
import { statusSupport } from '../rules/status-support.js';
import { x509Support } from '../rules/x509-support.js';
import { describeSchemaError } from '../model/schemas.js';
import { documentValidator } from '../model/document-schemas.js';
import type { ExpectedOutcome, Vector, VectorIndex } from './types.js';

export interface VectorFailure {
  /** The vector id (or the file, when the file itself is unusable). */
  id: string;
  file: string;
  /** Which chain form failed: "compact" or "json". */
  form?: 'compact' | 'json';
  message: string;
}

export interface CheckReport {
  passed: number;
  failed: number;
  failures: VectorFailure[];
}

/** The subdirectory of the authorization-server vectors (lib/vectors/as-check.ts), with an index of its own. */
export const AS_VECTORS = 'as';

export async function checkVectors(dir: string): Promise<CheckReport> {
  const failures: VectorFailure[] = [];
  let passed = 0;
  const index = readJson(join(dir, 'index.json'));
  const validateIndex = documentValidator('vectorIndex');
  if (!validateIndex(index)) {
    failures.push({ id: 'index.json', file: 'index.json', message: `index.json ${describeSchemaError(validateIndex.errors)}` });
    return { passed, failed: failures.length, failures };
  }
  const listed = new Set<string>();
  for (const entry of (index as VectorIndex).vectors) {
    listed.add(entry.file);
    const problems = await checkFile(dir, entry.file, entry.id);
    if (problems.length === 0) passed++;
    else failures.push(...problems);
  }
  for (const file of vectorFiles(dir)) {
    if (!listed.has(file)) failures.push({ id: file, file, message: 'vector file is not listed in index.json' });
  }
  const failedIds = new Set(failures.map((failure) => failure.id));
  return { passed, failed: failedIds.size, failures };
}

/** The vector files in dir's subdirectories (positive/, attacks/, any other but as/, which has its own index), relative, with '/'. */
function vectorFiles(dir: string): string[] {
  const out: string[] = [];
  for (const sub of readdirSync(dir, { withFileTypes: true })) {
    if (!sub.isDirectory() || sub.name === AS_VECTORS) continue;
    for (const entry of readdirSync(join(dir, sub.name), { withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.json')) out.push(`${sub.name}/${entry.name}`);
    }
  }
  return out.sort();
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

async function checkFile(dir: string, file: string, id: string): Promise<VectorFailure[]> {
  let json: unknown;
  try {
    json = readJson(join(dir, file));
  } catch (error) {
    return [{ id, file, message: `cannot read vector file: ${(error as Error).message}` }];
  }
  const validate = documentValidator('vector');
  if (!validate(json)) return [{ id, file, message: `vector file ${describeSchemaError(validate.errors)}` }];
  const vector = json as Vector;
  if (vector.id !== id) return [{ id, file, message: `index.json lists id "${id}" but the file has "${vector.id}"` }];
  const forms: ['compact' | 'json', ChainInput][] = [];
  if (vector.chain.compact !== undefined) forms.push(['compact', vector.chain.compact]);
  if (vector.chain.json !== undefined) forms.push(['json', vector.chain.json as string[]]);
  const failures: VectorFailure[] = [];
  for (const [form, input] of forms) {
    const message = await runOne(vector, input);
    if (message !== undefined) failures.push({ id, file, form, message });
  }
  return failures;
}

/** Verify one chain form; undefined when the outcome is the expected one, else what differs. */
async function runOne(vector: Vector, input: ChainInput): Promise<string | undefined> {
  const outcome = await vectorOutcome(vector, input);
  return 'error' in outcome ? compareError(vector.expected, outcome.error) : compareResult(vector.expected, outcome.result);
}

/**
 * What the library makes of one chain form of a vector: the verified chain, or the error thrown
 * (the trust configuration, context and network the vector describes, every optional part enabled).
 */
export async function vectorOutcome(vector: Vector, input: ChainInput): Promise<{ result: VerifiedChain } | { error: unknown }> {
  const { now, ...context } = vector.context;
  try {
    const verifier = await createVerifier(vector.trust, { ...(vector.verifierOptions ?? {}), ...(await networkOptions(vector)), codecs: [coseCodec], x509: x509Support, status: statusSupport, remoteKeys: remoteKeySupport });
    return { result: await verifier.verify(input, { ...context, now: new Date(now * 1000) }) };
  } catch (error) {
    return { error };
  }
}

/** The vector's status lists served by URI (no network), and its revoked link hashes in a store. */
async function networkOptions(vector: Vector): Promise<Pick<VerifierOptions, 'fetch' | 'revocationStore'>> {
  const served = new Map((vector.statusLists ?? []).map((list) => [list.uri, list.format === 'jwt' ? new TextEncoder().encode(list.token) : base64url.decode(list.token)]));
  const options: Pick<VerifierOptions, 'fetch' | 'revocationStore'> = {
    fetch: async (url) => {
      const body = served.get(url);
      return body === undefined ? new Response('not found', { status: 404 }) : new Response(body, { status: 200 });
    },
  };
  if (vector.revokedLinks !== undefined) {
    const store = new MemoryRevocationStore({ clock: () => new Date(vector.context.now * 1000) });
    for (const hash of vector.revokedLinks) await store.revoke(hash, vector.context.now + 86_400);
    options.revocationStore = store;
  }
  return options;
}

function compareError(expected: ExpectedOutcome, error: unknown): string | undefined {
  if (!(error instanceof TransitiveProofError)) {
    return `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}, not a TransitiveProofError`;
  }
  const got = `${error.code}${error.linkIndex === undefined ? '' : ` at link ${error.linkIndex}`}`;
  if (expected.valid) return `expected a valid chain, got ${got} (${error.message})`;
  const want = `${expected.error.code}${expected.error.linkIndex === undefined ? '' : ` at link ${expected.error.linkIndex}`}`;
  if (error.code !== expected.error.code || error.linkIndex !== expected.error.linkIndex) return `expected ${want}, got ${got} (${error.message})`;
  return undefined;
}

function compareResult(expected: ExpectedOutcome, result: VerifiedChain): string | undefined {
  if (!expected.valid) {
    const want = `${expected.error.code}${expected.error.linkIndex === undefined ? '' : ` at link ${expected.error.linkIndex}`}`;
    return `expected ${want}, but the chain verified`;
  }
  const got = { cnf: result.cnf, sub: result.sub, act: result.act, scope: result.scope, notAfter: result.notAfter, root: { kind: result.root.kind, iss: result.root.iss } };
  for (const member of ['cnf', 'sub', 'act', 'scope', 'notAfter', 'root'] as const) {
    const want = canonical(expected.result[member]);
    const have = canonical(got[member]);
    if (want !== have) return `result.${member}: expected ${want}, got ${have}`;
  }
  return undefined;
}

/** JSON with object members sorted, so that member order does not matter. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/** One line per failure and the final `N passed, M failed` line. */
export function formatReport(report: CheckReport): string {
  const lines = report.failures.map((f) => `FAIL ${f.id}${f.form === undefined ? '' : ` [${f.form}]`} (${f.file}): ${f.message}`);
  lines.push(`${report.passed} passed, ${report.failed} failed`);
  return `${lines.join('\n')}\n`;
}
