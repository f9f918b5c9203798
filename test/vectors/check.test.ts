/**
 * The shared vectors pass through the public API, every file matches schemas/vector.schema.json,
 * the catalogue covers every attack the project promises, and the checker does fail when a vector
 * and the verifier disagree.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ERROR_CODES } from '../../lib/index.js';
import { checkVectors, formatReport } from '../../lib/vectors/check.js';
import type { Vector, VectorIndex } from '../../lib/vectors/types.js';
import { repositoryRoot, VECTORS_DIR } from './support.js';

const root = repositoryRoot();
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8')) as unknown;
const index = readJson(join(VECTORS_DIR, 'index.json')) as VectorIndex;
const vectors = index.vectors.map((entry) => readJson(join(VECTORS_DIR, entry.file)) as Vector);

describe('shared vectors', () => {
  test('every vector gives its expected outcome (checkVectors over vectors/)', async () => {
    const report = await checkVectors(VECTORS_DIR);
    assert.equal(report.failed, 0, formatReport(report));
    assert.equal(report.passed, index.vectors.length);
    assert.ok(report.passed > 0);
  });

  test('every vector file and the index match schemas/vector.schema.json (ajv 2020, an independent instance)', () => {
    const schemaDir = join(root, 'schemas');
    const schemas = ['public-jwk', 'confirmation', 'trust-config', 'vector'].map((name) => readJson(join(schemaDir, `${name}.schema.json`)) as { $id: string });
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, schemas });
    const vectorId = (schemas[3] as { $id: string }).$id;
    const validateVector = ajv.getSchema(vectorId);
    const validateIndex = ajv.getSchema(`${vectorId}#/$defs/index`);
    assert.ok(validateVector && validateIndex);
    assert.ok(validateIndex(index), JSON.stringify(validateIndex.errors));
    for (const [i, vector] of vectors.entries()) {
      assert.ok(validateVector(vector), `${index.vectors[i]?.file}: ${JSON.stringify(validateVector.errors)}`);
    }
  });

  test('index entries agree with their files; ids are unique; codes are codes of SPEC-NOTES.md §9', () => {
    const ids = new Set<string>();
    for (const [i, entry] of index.vectors.entries()) {
      const vector = vectors[i] as Vector;
      assert.ok(!ids.has(entry.id), `duplicate id ${entry.id}`);
      ids.add(entry.id);
      assert.equal(vector.id, entry.id);
      assert.equal(entry.file, `${vector.expected.valid ? 'positive' : 'attacks'}/${vector.id}.json`);
      assert.equal(entry.encoding, vector.encoding);
      assert.equal(entry.valid, vector.expected.valid);
      assert.equal(entry.deterministic, vector.deterministic);
      if (!vector.expected.valid) {
        assert.ok(vector.expected.error.code in ERROR_CODES, `${vector.id}: unknown code ${vector.expected.error.code}`);
        assert.equal(entry.code, vector.expected.error.code);
        assert.equal(vector.id, `attack-${vector.attack}${vector.encoding === 'cwt' ? '-cwt' : ''}`);
      }
      assert.equal(vector.testKeys.warning, 'TEST KEYS — NEVER USE');
    }
  });

  test('the attack catalogue covers every promised attack, and the README documents each one', () => {
    const promised = [
      'alg-none', 'alg-none-mixed-case', 'hmac-public-jwk-secret', 'hmac-raw-public-key-secret', 'alg-key-type-mismatch',
      'typ-missing', 'typ-wrong', 'access-token-as-link', 'dpop-proof-as-link', 'spliced-link', 'dropped-link',
      'reordered-links', 'duplicated-link', 'wrong-prev', 'delegate-mismatch', 'untrusted-root', 'header-jwk', 'header-jku',
      'header-x5u', 'widened-scope', 'extended-expiry', 'not-yet-valid', 'expired-parent', 'depth-overflow',
      'tmb-changed-mid-chain', 'tmb-request-mismatch', 'requester-not-last-delegate', 'audience-other-as',
      'multiple-audiences', 'oversized-chain', 'too-many-links', 'deep-json-claims', 'noncanonical-base64url',
      'holder-root-unbound-key', 'holder-thumbprint-issuer-other-key',
      // CBOR / COSE (§4.3)
      'cbor-duplicate-key-protected', 'cbor-duplicate-key-payload', 'cbor-indefinite-length-chain', 'cbor-trailing-bytes-chain',
      'cose-protected-header-reencoded', 'cose-unknown-critical-header', 'cose-tag-confusion',
      // X.509 (§7)
      'x509-unanchored', 'x509-self-signed-leaf', 'x509-ca-as-leaf', 'x509-expired-intermediate', 'x509-path-length', 'x509-name-constraints', 'x509-identity-mismatch',
    ];
    const attacks = new Set(vectors.flatMap((v) => (v.attack === undefined ? [] : [v.attack])));
    for (const name of promised) assert.ok(attacks.has(name), `no vector for attack ${name}`);
    const readme = readFileSync(join(VECTORS_DIR, 'README.md'), 'utf8');
    for (const name of attacks) assert.ok(readme.includes(`| ${name} |`), `README catalogue lacks ${name}`);
  });

  test('positive vectors cover issuer and holder roots at every depth 1..8, x509 roots, every algorithm, both encodings', () => {
    const positive = vectors.filter((v) => v.expected.valid);
    for (const encoding of ['jwt', 'cwt'] as const) {
      for (const kind of ['issuer', 'holder'] as const) {
        const lengths = new Set(positive.filter((v) => v.encoding === encoding && v.expected.valid && v.expected.result.root.kind === kind).map((v) => v.links?.length));
        for (let n = 1; n <= 8; n++) assert.ok(lengths.has(n), `${encoding} ${kind}: no ${n}-link chain`);
      }
      const algs = new Set(positive.filter((v) => v.encoding === encoding).flatMap((v) => (v.links ?? []).map((l) => l.header.alg)));
      for (const alg of ['EdDSA', encoding === 'jwt' ? 'ES256' : 'ESP256', 'ES384', 'PS256']) assert.ok(algs.has(alg), `${encoding}: no ${alg} link`);
      assert.ok(positive.some((v) => v.encoding === encoding && v.expected.valid && v.expected.result.root.kind === 'x509'), `${encoding}: no x509 root`);
    }
  });
});

describe('the checker fails when it should', () => {
  function tamperedCopy(edit: (dir: string) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'tproof-vectors-'));
    cpSync(VECTORS_DIR, dir, { recursive: true });
    edit(dir);
    return dir;
  }
  function editVector(dir: string, file: string, change: (v: Vector) => void): void {
    const path = join(dir, file);
    const vector = readJson(path) as Vector;
    change(vector);
    writeFileSync(path, JSON.stringify(vector));
  }

  test('a wrong expected code, a wrong link index and a wrong result member are each reported', async () => {
    const dir = tamperedCopy((d) => {
      editVector(d, 'attacks/attack-widened-scope.json', (v) => { if (!v.expected.valid) v.expected.error.code = 'depth_exceeded'; });
      editVector(d, 'attacks/attack-wrong-prev.json', (v) => { if (!v.expected.valid) v.expected.error.linkIndex = 2; });
      editVector(d, 'positive/positive-issuer-links-3.json', (v) => { if (v.expected.valid) v.expected.result.scope = 'read'; });
    });
    try {
      const report = await checkVectors(dir);
      assert.equal(report.failed, 3, formatReport(report));
      assert.deepEqual([...new Set(report.failures.map((f) => f.id))].sort(), ['attack-widened-scope', 'attack-wrong-prev', 'positive-issuer-links-3']);
      assert.equal(report.passed, index.vectors.length - 3);
      assert.match(formatReport(report), new RegExp(`\\n${index.vectors.length - 3} passed, 3 failed\\n$`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a chain edited so that it no longer verifies fails its positive vector; an unlisted file and a schema-invalid file are reported', async () => {
    const dir = tamperedCopy((d) => {
      editVector(d, 'positive/positive-holder-links-2.json', (v) => { v.chain.compact = `${String(v.chain.compact).slice(0, -2)}AA`; });
      editVector(d, 'positive/positive-issuer-links-1.json', (v) => { (v as unknown as Record<string, unknown>).extra = true; });
      cpSync(join(d, 'positive/positive-issuer-links-4.json'), join(d, 'positive/not-listed.json'));
    });
    try {
      const report = await checkVectors(dir);
      const ids = new Set(report.failures.map((f) => f.id));
      assert.ok(ids.has('positive-holder-links-2'), formatReport(report));
      assert.ok(ids.has('positive-issuer-links-1'), formatReport(report));
      assert.ok(ids.has('positive/not-listed.json'), formatReport(report));
      assert.equal(report.failed, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
