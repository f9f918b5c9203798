/**
 * The precompiled validators (scripts/build-validators.mjs): up to date with schemas/, free of
 * run-time code generation, and giving the verdicts ajv gives when it compiles the schemas itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describeSchemaError, validator, type SchemaName } from '../../lib/model/schemas.js';
import { documentValidator } from '../../lib/model/document-schemas.js';
import { TransitiveProofError } from '../../lib/errors.js';
import { statusSupport } from '../../lib/status/index.js';
import { assertTrustConfigSchema } from '../../lib/trust/trust.js';
import { repoRoot } from '../helpers/repo.js';

test('the checked-in validators match schemas/ (npm run build regenerates them)', () => {
  execFileSync(process.execPath, [join(repoRoot(), 'scripts', 'build-validators.mjs'), '--check'], { stdio: 'pipe' });
});

test('the validator code compiles nothing at run time', () => {
  for (const file of ['validators.generated.ts', 'status-validators.generated.ts', 'document-validators.generated.ts']) {
    const code = readFileSync(join(repoRoot(), 'lib', 'model', file), 'utf8');
    assert.doesNotMatch(code, /new Function|\beval\(|\brequire\(/, file);
  }
});

test('precompiled and run-time-compiled validators agree', () => {
  const schemas = readdirSync(join(repoRoot(), 'schemas')).filter((f) => f.endsWith('.schema.json')).map((f) => JSON.parse(readFileSync(join(repoRoot(), 'schemas', f), 'utf8')) as { $id: string });
  // The generator's options (scripts/build-validators.mjs), so that the errors agree (but for the
  // schemaPath and message members, which the generated code does not carry).
  const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false, unicodeRegExp: true, inlineRefs: false, schemas });
  const id = (file: string): string => (schemas.find((s) => s.$id.endsWith(`/${file}`)) as { $id: string }).$id;
  const jwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
  const claims = {
    iss: 'https://a.example', sub: 'urn:c', aud: 'https://as.example', iat: 1, exp: 2, jti: 'j', scope: 'read',
    tmb: { jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }, may_act: { sub: 'b', cnf: { jwk } }, depth: 0,
  };
  const samples: Record<SchemaName, unknown[]> = {
    confirmation: [{ jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }, { jwk }, { jwk: { ...jwk, d: 'x' } }, { jkt: 'short' }, {}, null, 'x', { jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', jwk }],
    linkClaims: [claims, { ...claims, depth: -1 }, { ...claims, scope: 7 }, { ...claims, extra: true }, { ...claims, iss: '\u{1F600}'.repeat(3000) },
      // maxLength counts code points (the generator's own helper, held to ajv's here): a pair is one, a lone surrogate one.
      ...['a', '\u{1F600}', '\uD800', '\uDC00', '\uDC00\uD800'].flatMap((unit) => [2048, 2049].map((n) => ({ ...claims, iss: unit.repeat(n).slice(0, n * unit.length) }))),
      { ...claims, iss: `${'a'.repeat(2047)}\uD800` }, { ...claims, iss: `${'\u{1F600}'.repeat(2047)}\uD800\uDC00` }, { ...claims, iss: `${'\u{1F600}'.repeat(2048)}\uD800` }],
    trustConfig: [
      { roots: [{ type: 'issuer', iss: 'https://a.example', jwks: { keys: [jwk] } }] }, { roots: [] }, { roots: [{ type: 'nope' }] }, {},
      // One sample per keyword the messages are rebuilt for: maximum, enum, uniqueItems, minLength, pattern, maxItems, minProperties, not.
      { roots: [{ type: 'holder', thumbprintIssuers: true }], clockToleranceSeconds: 301 },
      { roots: [{ type: 'holder', thumbprintIssuers: true }], algorithms: ['HS256'] },
      { roots: [{ type: 'holder', thumbprintIssuers: true }], algorithms: ['ES256', 'ES256'] },
      { roots: [{ type: 'issuer', iss: '', jwks: { keys: [jwk] } }] },
      { roots: [{ type: 'x509', anchors: ['not base64!'], identity: { type: 'uri' } }] },
      { roots: Array.from({ length: 65 }, () => ({ type: 'holder', thumbprintIssuers: true })) },
      { roots: [{ type: 'issuer', iss: 'https://a.example', jwks: { keys: [jwk] }, subjects: {} }] },
      { roots: [{ type: 'issuer', iss: 'https://a.example', jwks: { keys: [{ ...jwk, d: 'x' }] } }] },
      // The x509 root's members are the shared anchors/identityRule/eku definitions; algorithms' items are typed strings.
      { roots: [{ type: 'x509', anchors: ['AAAA'], identity: { type: 'email' } }] },
      { roots: [{ type: 'x509', anchors: ['AAAA'], identity: { type: 'spiffe', trustDomain: '' } }] },
      { roots: [{ type: 'x509', anchors: ['AAAA'], identity: { type: 'uri' }, requiredEku: '1.3.6.1.5.5.7.3.x' }] },
      { roots: [{ type: 'x509', anchors: [], identity: { type: 'uri' } }] },
      { roots: [{ type: 'x509', anchors: ['AAAA'], identity: { type: 'uri' }, requiredEku: '1.3.6.1.5.5.7.3.2', algorithms: ['ES256', 7] }] },
      { roots: [{ type: 'holder', thumbprintIssuers: true }], delegateCertificates: { anchors: ['AAAA'], identity: { type: 'dns' }, requiredEku: '1' } },
      { roots: [{ type: 'holder', thumbprintIssuers: true }], delegateKeys: { keys: [{ kty: 'EC', crv: 'P-256', x: 'AA' }] } },
    ],
  };
  const files: Record<SchemaName, string> = { confirmation: 'confirmation.schema.json', linkClaims: 'link-claims.schema.json', trustConfig: 'trust-config.schema.json' };
  for (const name of Object.keys(samples) as SchemaName[]) {
    const compiled = ajv.getSchema(id(files[name]));
    assert.ok(compiled);
    for (const sample of samples[name]) {
      const expected: boolean = compiled(sample) as boolean;
      const precompiled = validator(name);
      assert.equal(precompiled(sample), expected, `${name}: ${JSON.stringify(sample).slice(0, 80)}`);
      if (expected) continue;
      // The generated code carries no messages (smaller bundles); describeSchemaError restores ajv's wording.
      assert.deepEqual(precompiled.errors, compiled.errors?.map(({ message: _message, schemaPath: _schemaPath, ...rest }) => rest));
      assert.equal(describeSchemaError(precompiled.errors), describeSchemaError(compiled.errors));
      assert.ok(compiled.errors?.[0]?.message !== undefined && describeSchemaError(precompiled.errors).endsWith(compiled.errors[0].message));
    }
  }
  // The trust configuration is checked in two parts (the core, then the status section by
  // statusSupport's validator): together they give the whole schema's verdict and first error.
  const trustSchema = ajv.getSchema(id('trust-config.schema.json'));
  assert.ok(trustSchema);
  const issuers = [{ uriPrefixes: ['https://status.example/lists/'], jwks: { keys: [jwk] } }];
  const base = { roots: [{ type: 'holder', thumbprintIssuers: true }] };
  const withStatus = [
    { ...base, status: { issuers } }, { ...base, status: { issuers, unavailable: 'accept', timeoutMs: 100 } },
    { ...base, status: { issuers: [] } }, { ...base, status: { issuers, unavailable: 'maybe' } }, { ...base, status: 'x' }, { ...base, status: null },
    { ...base, status: { issuers: [{ uris: ['ftp://status.example/1'], jwks: { keys: [jwk] } }] } },
    { ...base, status: { issuers: [{ uriPrefixes: ['https://status.example/lists'], jwks: { keys: [jwk] } }] } },
    { ...base, status: { issuers: [{ uris: ['https://status.example/1'], jwks: { keys: [jwk] }, jwksUri: 'https://status.example/k' }] } },
    { ...base, status: { issuers: [{ uris: ['https://status.example/1'], jwks: { keys: [{ ...jwk, d: 'x' }] } }] } },
    { ...base, status: { issuers, extra: 1 } }, { ...base, status: { issuers, failureCacheSeconds: 301 } },
    { roots: [], status: { issuers: [] } },
  ];
  for (const sample of [...samples.trustConfig, ...withStatus]) {
    const expected = trustSchema(sample) as boolean;
    let thrown: unknown;
    try {
      assertTrustConfigSchema(sample, { status: statusSupport });
    } catch (error) {
      thrown = error;
    }
    assert.equal(thrown === undefined, expected, `trustConfig: ${JSON.stringify(sample).slice(0, 120)}`);
    if (expected) continue;
    assert.ok(thrown instanceof TransitiveProofError && thrown.code === 'invalid_argument');
    assert.equal(thrown.message, `trust configuration: ${describeSchemaError(trustSchema.errors)}`);
  }
  const error = { code: 'expired', message: 'm', oauthError: 'invalid_grant' };
  const compiledError = ajv.getSchema(id('error.schema.json'));
  assert.ok(compiledError);
  for (const sample of [error, { ...error, code: 7 }, {}]) assert.equal(documentValidator('error')(sample), compiledError(sample));
});
