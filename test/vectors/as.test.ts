/**
 * The authorization-server vectors (vectors/as/) pass through processDeferredBindingRequest, match
 * schemas/as-vector.schema.json, cover every step of SPEC-NOTES.md §8.3 and every profile, and the
 * checker fails when a vector and the processing disagree.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ERROR_CODES } from '../../lib/index.js';
import { checkAsVectors, runAsVector } from '../../lib/vectors/as-check.js';
import { formatReport } from '../../lib/vectors/check.js';
import type { AsVector, AsVectorIndex } from '../../lib/vectors/as-types.js';
import { repositoryRoot, VECTORS_DIR } from './support.js';

const AS_DIR = join(VECTORS_DIR, 'as');
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8')) as unknown;
const index = readJson(join(AS_DIR, 'index.json')) as AsVectorIndex;
const vectors = index.vectors.map((entry) => readJson(join(AS_DIR, entry.file)) as AsVector);
const byId = (id: string): AsVector => structuredClone(vectors.find((v) => v.id === id) as AsVector);

describe('authorization-server vectors', () => {
  test('every vector gives its expected outcome (checkAsVectors over vectors/as), at least 60 of them', async () => {
    const report = await checkAsVectors(AS_DIR);
    assert.equal(report.failed, 0, formatReport(report));
    assert.equal(report.passed, index.vectors.length);
    assert.ok(report.passed >= 60, `only ${report.passed} vectors`);
  });

  test('every file and the index match schemas/as-vector.schema.json (ajv 2020, an independent instance)', () => {
    const schemaDir = join(repositoryRoot(), 'schemas');
    const schemas = ['public-jwk', 'confirmation', 'trust-config', 'deferred-binding-record', 'disclosure-policy', 'as-vector'].map((name) => readJson(join(schemaDir, `${name}.schema.json`)) as { $id: string });
    const ajv = new Ajv2020({ strict: true, strictRequired: false, strictTuples: false, allErrors: true, schemas });
    const id = (schemas[schemas.length - 1] as { $id: string }).$id;
    const validateVector = ajv.getSchema(id);
    const validateIndex = ajv.getSchema(`${id}#/$defs/index`);
    assert.ok(validateVector && validateIndex);
    assert.ok(validateIndex(index), JSON.stringify(validateIndex.errors));
    for (const vector of vectors) assert.ok(validateVector(vector), `${vector.id}: ${JSON.stringify(validateVector.errors)}`);
    // A faulty policy is allowed only where the vector expects the refusal: in an issuing vector it is a schema error.
    const issuing = byId('as-disclosure-subset-first');
    issuing.as.disclosure = { profile: 'subset', keep: ['middle' as 'first'] };
    assert.equal(validateVector(issuing), false);
    const perServer = byId('as-disclosure-two-servers-rs2');
    (perServer.as.resourceServers[1] as { disclosure?: unknown }).disclosure = { profile: 'none' };
    assert.equal(validateVector(perServer), false);
    assert.ok(validateVector(byId('as-disclosure-fault-unknown-selector')), 'a refusing vector carries the faulty policy it pins');
  });

  test('index entries agree with their files; codes are codes of SPEC-NOTES.md §9', () => {
    for (const [i, entry] of index.vectors.entries()) {
      const vector = vectors[i] as AsVector;
      assert.equal(vector.id, entry.id);
      assert.equal(entry.file, `${vector.id}.json`);
      assert.equal(entry.ok, vector.expected.ok);
      assert.equal(entry.step, vector.expected.ok ? '12' : vector.expected.step);
      if (!vector.expected.ok) {
        assert.ok(vector.expected.code in ERROR_CODES, `${vector.id}: unknown code ${vector.expected.code}`);
        assert.equal(entry.code, vector.expected.code);
      }
    }
  });

  test('disclosure (§8.4.2): every profile issues, with and without the count; every selector form; per-server policies; the faults refuse at step 9 consuming nothing', () => {
    const issuedUnder = (v: AsVector): string | undefined => (v.expected.ok ? v.expected.token['urn:transitive-proof:claim:deferred-binding'].disclosure : undefined);
    const counted = (v: AsVector): boolean | undefined => (v.expected.ok ? v.expected.token['urn:transitive-proof:claim:deferred-binding'].links !== undefined : undefined);
    for (const profile of ['full', 'subset', 'actor-only']) {
      assert.ok(vectors.some((v) => issuedUnder(v) === profile && counted(v) === true), `${profile} with the count`);
      if (profile !== 'full') assert.ok(vectors.some((v) => issuedUnder(v) === profile && counted(v) === false), `${profile} without the count`);
    }
    assert.ok(vectors.some((v) => v.expected.ok && v.expected.token['urn:transitive-proof:claim:deferred-binding'].link_sha256 !== undefined), 'link hashes');
    assert.ok(vectors.some((v) => v.expected.ok && v.as.disclosure === undefined), 'the default policy (none configured)');
    const selectors = vectors.flatMap((v) => [v.as.disclosure, ...v.as.resourceServers.map((rs) => rs.disclosure)]).flatMap((policy) => policy?.keep ?? []);
    for (const form of ['first', 'last', 'positive', 'negative', 'prefix']) {
      const shape = (item: unknown): string => (typeof item === 'number' ? (item < 0 ? 'negative' : 'positive') : typeof item === 'object' ? 'prefix' : String(item));
      assert.ok(selectors.some((item) => shape(item) === form), `a ${form} selector`);
    }
    assert.ok(vectors.some((v) => v.expected.ok && v.as.resourceServers.some((rs) => rs.disclosure !== undefined)), 'a per-resource-server policy');
    const faults = vectors.filter((v) => !v.expected.ok && v.expected.code === 'invalid_argument');
    assert.ok(faults.length >= 5);
    for (const v of faults) {
      assert.ok(!v.expected.ok && v.expected.status === 500 && v.expected.error === 'server_error' && v.expected.step === '9', v.id);
      assert.deepEqual(!v.expected.ok && v.expected.consumed, [], v.id);
    }
  });

  test('every step of §8.3 refuses in some vector; every profile issues; every §8.6 error of a request appears', () => {
    const refusingSteps = new Set(vectors.flatMap((v) => (v.expected.ok ? [] : [v.expected.step])));
    for (let step = 1; step <= 11; step++) assert.ok(refusingSteps.has(String(step)), `no vector refused at step ${step}`);
    const grantTypes = new Set(vectors.filter((v) => v.expected.ok).map((v) => v.request.parameters.find(([name]) => name === 'grant_type')?.[1]));
    for (const grantType of ['urn:transitive-proof:grant-type:deferred-binding', 'client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange']) assert.ok(grantTypes.has(grantType), `no token issued for ${grantType}`);
    const errors = new Set<string>(vectors.flatMap((v) => (v.expected.ok ? [] : [v.expected.error])));
    for (const error of ['invalid_client', 'invalid_request', 'unsupported_grant_type', 'invalid_scope', 'invalid_grant', 'invalid_target']) assert.ok(errors.has(error), `no vector answers ${error}`);
    assert.ok(vectors.some((v) => v.id.startsWith('as-order-')), 'multi-fault vectors');
    // Both encodings reach the AS: a CBOR chain issues (its record says so) and is refused as a replay.
    const cwtIssued = vectors.filter((v) => v.expected.ok && v.expected.token['urn:transitive-proof:claim:deferred-binding'].format === 'cwt');
    for (const grantType of ['urn:transitive-proof:grant-type:deferred-binding', 'client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange']) {
      assert.ok(cwtIssued.some((v) => v.request.parameters.some(([name, value]) => name === 'grant_type' && value === grantType)), `no CBOR chain issued for ${grantType}`);
    }
    assert.ok(cwtIssued.some((v) => v.expected.ok && v.expected.token['urn:transitive-proof:claim:deferred-binding'].link_sha256 !== undefined), 'CBOR link hashes');
    assert.ok(vectors.some((v) => v.id.startsWith('as-cwt-') && !v.expected.ok && v.expected.code === 'replayed'), 'a CBOR chain replayed');
    assert.ok(vectors.some((v) => !v.expected.ok && v.expected.consumed.length > 0), 'a refusal after a consumed entry (§8.5 order)');
  });
});

describe('the AS checker fails when it should', () => {
  test('a wrong step, a wrong code, a wrong token member and a wrong consumed entry are each reported', async () => {
    const step = byId('as-order-client-before-parameters');
    if (!step.expected.ok) step.expected.step = '3';
    assert.match((await runAsVector(step)) ?? '', /at step 3, got .* at step 1/);

    const code = byId('as-tmb-other-form');
    if (!code.expected.ok) code.expected.code = 'requester_mismatch';
    assert.match((await runAsVector(code)) ?? '', /expected .*requester_mismatch/);

    const token = byId('as-resource');
    if (token.expected.ok) token.expected.token.aud = 'https://rs.example/api';
    assert.match((await runAsVector(token)) ?? '', /^token\.aud/);

    const consumed = byId('as-every-link');
    if (consumed.expected.ok) consumed.expected.consumed.reverse();
    assert.match((await runAsVector(consumed)) ?? '', /^replay entries consumed/);

    const exp = byId('as-token-exchange-audience');
    if (exp.expected.ok) exp.expected.token.exp += 1;
    assert.match((await runAsVector(exp)) ?? '', /^token\.exp/);
  });

  test('a checker that ignored the disclosure policies (the AS\'s or a resource server\'s) fails a vector', async () => {
    const asPolicy = byId('as-disclosure-subset-first');
    assert.equal(await runAsVector(asPolicy), undefined);
    delete asPolicy.as.disclosure;
    assert.match((await runAsVector(asPolicy)) ?? '', /^token\.act/);

    const serverPolicy = byId('as-disclosure-two-servers-rs2');
    assert.equal(await runAsVector(serverPolicy), undefined);
    delete serverPolicy.as.resourceServers[1]?.disclosure;
    assert.match((await runAsVector(serverPolicy)) ?? '', /^token\.act/);

    // The record too: the count and the link hashes are compared, not just act.
    const record = byId('as-disclosure-subset-count-link-hashes');
    if (record.expected.ok) delete record.expected.token['urn:transitive-proof:claim:deferred-binding'].link_sha256;
    assert.match((await runAsVector(record)) ?? '', /^token\.urn:transitive-proof:claim:deferred-binding/);

    const fault = byId('as-disclosure-fault-link-hashes-without-count');
    delete fault.as.disclosure;
    assert.match((await runAsVector(fault)) ?? '', /expected 500 server_error invalid_argument at step 9, but a token was issued/);
  });

  test('a replay store entry listed in the vector is honoured (the same request without it issues)', async () => {
    const replayed = byId('as-replay-chain');
    assert.equal(await runAsVector(replayed), undefined);
    delete replayed.replayStore;
    assert.match((await runAsVector(replayed)) ?? '', /expected 400 invalid_grant replayed at step 11, but a token was issued/);
  });
});
