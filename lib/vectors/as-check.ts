/**
 * Runs the authorization-server vectors (vectors/as/index.json and its files) through
 * processDeferredBindingRequest, with a replay store holding the vector's entries beforehand, and
 * compares the outcome: for a refusal the HTTP status, OAuth error, code, §8.3 step, the
 * error_description's prefix, bound and character set (§8.6) and the entries consumed; for an issued token its claims (all but `jti`), token type and the entries consumed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createVerifier } from '../verify.js';
import { coseCodec } from '../codecs/cose/codec.js';
import { x509Support } from '../rules/x509-support.js';
import { remoteKeySupport } from '../status/support.js';
import { statusSupport } from '../rules/status-support.js';
import { processDeferredBindingRequest, type DeferredBindingOutcome } from '../as/process.js';
import { DEFERRED_BINDING_CLAIM } from '../as/issued-token.js';
import { MemoryReplayStore } from '../replay/store.js';
import type { ReplayStore } from '../ports.js';
import type { ReplayKey } from '../replay/keys.js';
import { describeSchemaError } from '../model/schemas.js';
import { documentValidator } from '../model/document-schemas.js';
import type { AsVector, AsVectorIndex } from './as-types.js';
import { canonical, type CheckReport, type VectorFailure } from './check.js';

export async function checkAsVectors(dir: string): Promise<CheckReport> {
  const failures: VectorFailure[] = [];
  let passed = 0;
  const index = readJson(join(dir, 'index.json'));
  const validateIndex = documentValidator('asVectorIndex');
  if (!validateIndex(index)) {
    failures.push({ id: 'as/index.json', file: 'as/index.json', message: `as/index.json ${describeSchemaError(validateIndex.errors)}` });
    return { passed, failed: failures.length, failures };
  }
  const listed = new Set<string>();
  for (const entry of (index as AsVectorIndex).vectors) {
    listed.add(entry.file);
    const problem = await checkFile(dir, entry.file, entry.id);
    if (problem === undefined) passed++;
    else failures.push(problem);
  }
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.json') && file !== 'index.json').sort()) {
    if (!listed.has(name)) failures.push({ id: name, file: `as/${name}`, message: 'vector file is not listed in as/index.json' });
  }
  return { passed, failed: failures.length, failures };
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

async function checkFile(dir: string, file: string, id: string): Promise<VectorFailure | undefined> {
  const fail = (message: string): VectorFailure => ({ id, file: `as/${file}`, message });
  let json: unknown;
  try {
    json = readJson(join(dir, file));
  } catch (error) {
    return fail(`cannot read vector file: ${(error as Error).message}`);
  }
  const validate = documentValidator('asVector');
  if (!validate(json)) return fail(`vector file ${describeSchemaError(validate.errors)}`);
  const vector = json as AsVector;
  if (vector.id !== id) return fail(`as/index.json lists id "${id}" but the file has "${vector.id}"`);
  const message = await runAsVector(vector);
  return message === undefined ? undefined : fail(message);
}

/** A store that records what a request consumes, over one that already holds the vector's entries. */
class RecordingStore implements ReplayStore {
  readonly consumed: ReplayKey[] = [];
  constructor(private readonly inner: ReplayStore) {}
  async consume(key: string, expiresAt: number): Promise<boolean> {
    const first = await this.inner.consume(key, expiresAt);
    if (first) this.consumed.push({ key, expiresAt });
    return first;
  }
}

/** Run one vector; undefined when the outcome is the expected one, else what differs. */
export async function runAsVector(vector: AsVector): Promise<string | undefined> {
  const { request, as } = vector;
  const clock = (): Date => new Date(request.now * 1000);
  const inner = new MemoryReplayStore({ clock });
  for (const entry of vector.replayStore ?? []) {
    if (!(await inner.consume(entry.key, entry.expiresAt))) return `replayStore lists ${entry.key} twice`;
  }
  const store = new RecordingStore(inner);
  const verifier = await createVerifier(as.trust, { requireRequesterKey: as.requireRequesterKey, codecs: [coseCodec], x509: x509Support, status: statusSupport, remoteKeys: remoteKeySupport });
  const params = new URLSearchParams();
  for (const [name, value] of request.parameters) params.append(name, value);
  // request.dpop is not passed: the processing takes no DPoP proof (SPEC-NOTES §8.3).
  const outcome = await processDeferredBindingRequest(params, {
    client: request.client ?? undefined,
    issuer: as.issuer,
    verifier,
    replayStore: store,
    now: clock(),
    profiles: as.profiles,
    replayPolicy: as.replayPolicy,
    confirmation: as.confirmation,
    // The policies as configured (each resource server's own, and the AS's): the processing reads them (§8.4.2).
    targets: { resourceServers: as.resourceServers, ...(as.defaultResource === undefined ? {} : { defaultResource: as.defaultResource }) },
    ...(as.disclosure === undefined ? {} : { disclosure: as.disclosure }),
  });
  return compare(vector, outcome, store.consumed);
}

function compare(vector: AsVector, outcome: DeferredBindingOutcome, consumed: ReplayKey[]): string | undefined {
  const expected = vector.expected;
  if (!outcome.ok) {
    const got = `${outcome.status} ${outcome.error.error} ${outcome.code ?? '-'} at step ${outcome.step}`;
    if (expected.ok) return `expected a token, got ${got} (${outcome.error.error_description})`;
    const want = `${expected.status} ${expected.error} ${expected.code} at step ${expected.step}`;
    if (got !== want) return `expected ${want}, got ${got} (${outcome.error.error_description})`;
    const description = outcome.error.error_description;
    if (!description.startsWith(`${expected.code}: `) && outcome.status !== 500) return `error_description does not start with "${expected.code}: "`;
    // §8.6: at most 300 characters, each of the RFC 6749 §5.2 set, whatever the message echoes.
    if (description.length > 300 || !/^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/.test(description)) return `error_description is not at most 300 characters of %x20-21 / %x23-5B / %x5D-7E: ${JSON.stringify(description)}`;
    return sameEntries(expected.consumed, consumed);
  }
  if (!expected.ok) return `expected ${expected.status} ${expected.error} ${expected.code} at step ${expected.step}, but a token was issued`;
  const claims = outcome.claims;
  const token: Record<string, unknown> = {
    iss: claims.iss, aud: claims.aud, sub: claims.sub, client_id: claims.client_id, cnf: claims.cnf, act: claims.act,
    scope: claims.scope, iat: claims.iat, exp: claims.exp, jti: 'any', [DEFERRED_BINDING_CLAIM]: outcome.record,
  };
  for (const [member, want] of Object.entries(expected.token)) {
    if (canonical(want) !== canonical(token[member])) return `token.${member}: expected ${canonical(want)}, got ${canonical(token[member])}`;
  }
  const tokenType = 'x5t#S256' in claims.cnf ? 'Bearer' : 'DPoP';
  if (tokenType !== expected.tokenType) return `token_type: expected ${expected.tokenType}, got ${tokenType}`;
  if (outcome.issuedTokenType !== expected.issuedTokenType) return `issued_token_type: expected ${String(expected.issuedTokenType)}, got ${String(outcome.issuedTokenType)}`;
  return sameEntries(expected.consumed, consumed);
}

function sameEntries(want: readonly ReplayKey[], got: readonly ReplayKey[]): string | undefined {
  const text = (entries: readonly ReplayKey[]): string => entries.map((e) => `${e.key}@${e.expiresAt}`).join(', ') || 'none';
  return text(want) === text(got) ? undefined : `replay entries consumed: expected ${text(want)}, got ${text(got)}`;
}
