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
    const schemas = ['confirmation', 'trust-config', 'deferred-binding-record', 'as-vector'].map((name) => readJson(join(schemaDir, `${name}.schema.json`)) as { $id: string });
    const ajv = new Ajv2020({ strict: true, strictRequired: false, strictTuples: false, allErrors: true, schemas });
    const id = (schemas[3] as { $id: string }).$id;
    const validateVector = ajv.getSchema(id);
    const validateIndex = ajv.getSchema(`${id}#/$defs/index`);
    assert.ok(validateVector && validateIndex);
    assert.ok(validateIndex(index), JSON.stringify(validateIndex.errors));
    for (const vector of vectors) assert.ok(validateVector(vector), `${vector.id}: ${JSON.stringify(validateVector.errors)}`);
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
      assert.equal(vector.as.disclosure, 'full');
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

  test('a replay store entry listed in the vector is honoured (the same request without it issues)', async () => {
    const replayed = byId('as-replay-chain');
    assert.equal(await runAsVector(replayed), undefined);
    delete replayed.replayStore;
    assert.match((await runAsVector(replayed)) ?? '', /expected 400 invalid_grant replayed at step 11, but a token was issued/);
  });
});
