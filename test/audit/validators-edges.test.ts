/**
 * The precompiled validators (scripts/build-validators.mjs and its post-processing passes: bound
 * checks by one call, item bounds, code-point lengths, members counted without Object.keys, `if`
 * conditions counted, nested failures returned) against ajv compiling the same schemas, on every
 * member of valid documents replaced by, given a sibling, or emptied of, each value of a fixed pool
 * of edge values: numbers at the integer limits and beyond (1e21, -0, 2^53, NaN, Infinity, 0.5),
 * strings of astral characters and lone surrogates at each length bound, arrays at item bounds, an
 * own `__proto__` member (as JSON.parse makes) and inherited enumerable members. Same verdict and
 * the same errors (the first, for the trust configuration, whose x509 root is a stub in the core
 * validator). Deterministic: every path times every value, no randomness.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { validator, type SchemaValidator } from '../../lib/model/schemas.js';
import { statusSupport } from '../../lib/status/index.js';
import { edited, memberPaths } from '../helpers/edits.js';
import { runTimeSchemas } from '../helpers/ajv.js';

const { compiledOf } = runTimeSchemas();

const JKT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
const ec = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
const okp = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
const rsa = { kty: 'RSA', n: `${'s'.repeat(340)}w`, e: 'AQAB' };

const astral = (n: number): string => '\u{1F600}'.repeat(n);
/** Edge values for a member: numbers, strings at length bounds, containers at item bounds, odd objects. */
function edgeValues(): unknown[] {
  const numbers = [0, -0, 1, -1, 0.5, -0.5, 1e21, -1e21, 1e-7, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 - 1, -(2 ** 53), Number.MAX_VALUE, Infinity, -Infinity, Number.NaN, 30, 300, 301, 3600, 31536000, 31536001, 7];
  const strings = ['', ' ', 'a', 'read', 'read  write', ' read', 'read\u0000', '\uD800', '\uDC00\uD800', JKT, `${JKT}=`, `${JKT.slice(0, -1)}B`, 'https://a.example', 'urn:', 'EdDSA', 'ES512', 'x5c',
    ...[255, 256, 257, 1400, 1401, 2047, 2048, 2049].flatMap((n) => ['a'.repeat(n), astral(n), `${'a'.repeat(n - 1)}\uD800`, `${astral(n - 1)}\uD800\uDC00`])];
  const containers = [null, true, false, [], {}, [7], [''], ['read'], Array(64).fill('x'), Array(65).fill('x'), Array(100).fill(okp), Array(101).fill(okp), { jkt: JKT }, { jwk: okp }, { jwk: { ...okp, d: 'x' } },
    JSON.parse(`{"__proto__": {"jkt": "${JKT}"}}`) as unknown, JSON.parse(`{"__proto__": 7, "jkt": "${JKT}"}`) as unknown,
    Object.assign(Object.create({ jkt: JKT }) as object), Object.assign(Object.create({ extra: 1 }) as object, { jkt: JKT })];
  return [...numbers, ...strings, ...containers];
}

const bare = (errors: readonly object[] | null | undefined): unknown => errors?.map((error) => {
  const { message: _message, schemaPath: _schemaPath, ...rest } = error as Record<string, unknown>;
  return rest;
});

function agreeOnEdges(name: string, precompiled: SchemaValidator, compiled: ValidateFunction, seed: unknown, firstOnly: boolean): number {
  assert.equal(compiled(seed), true, `${name}: the seed is valid`);
  let checked = 0;
  for (const path of memberPaths(seed)) {
    for (const value of edgeValues()) {
      for (let action = 0; action < 3; action++) {
        const sample = edited(seed, path, action, value);
        if (name === 'trustConfig' && JSON.stringify(sample).includes('"x509"')) continue;
        const expected = compiled(sample) as boolean;
        const what = `${name}: ${JSON.stringify(path)} ${['=', 'deleted', '+'][action] as string} ${typeof value === 'number' ? String(value) : JSON.stringify(value)?.slice(0, 60)}`;
        assert.equal(precompiled(sample), expected, what);
        checked++;
        if (expected) continue;
        const errors = bare(compiled.errors) as unknown[];
        const got = bare(precompiled.errors) as unknown[];
        assert.deepEqual(firstOnly ? got[0] : got, firstOnly ? errors[0] : errors, what);
      }
    }
  }
  return checked;
}

test('link claims and confirmations: every member edited with every edge value, the precompiled validator answers as ajv does', () => {
  const claims = {
    iss: 'https://a.example', sub: 'urn:c', aud: 'https://as.example', iat: 1, nbf: 1, exp: 2, jti: 'j', scope: 'read write',
    tmb: { jwk: ec }, may_act: { sub: 'b', cnf: { jwk: okp } }, depth: 3, prev: JKT,
    status: { status_list: { idx: 4, uri: 'https://status.example/1' } },
  };
  let checked = agreeOnEdges('linkClaims', validator('linkClaims'), compiledOf('link-claims.schema.json'), claims, false);
  checked += agreeOnEdges('linkClaims', validator('linkClaims'), compiledOf('link-claims.schema.json'), { ...claims, tmb: { jkt: JKT }, may_act: { sub: 'b', cnf: { jwk: rsa } } }, false);
  for (const seed of [{ jwk: ec }, { jwk: rsa }, { 'x5t#S256': JKT }]) checked += agreeOnEdges('confirmation', validator('confirmation'), compiledOf('confirmation.schema.json'), seed, false);
  assert.ok(checked > 10_000, `${checked} samples`);
});

test('trust configurations and the status section: every member edited with every edge value, the precompiled validators answer as ajv does', () => {
  const trust = {
    roots: [{ type: 'issuer', iss: 'https://a.example', jwks: { keys: [okp, ec] }, subjects: { prefixes: ['urn:'], exact: ['urn:c'] }, algorithms: ['EdDSA'] },
      { type: 'holder', holders: [{ iss: 'https://h.example', jkt: JKT }], thumbprintIssuers: true }],
    delegateKeys: { keys: [rsa] }, algorithms: ['EdDSA', 'ES256'], clockToleranceSeconds: 30, maxLifetimeSeconds: 3600,
    limits: { maxLinks: 8, maxChainBytes: 65536, maxLinkBytes: 16384, maxNesting: 8, maxCertificates: 4 },
  };
  let checked = agreeOnEdges('trustConfig', validator('trustConfig'), compiledOf('trust-config.schema.json'), trust, true);
  const status = { issuers: [{ uriPrefixes: ['https://status.example/lists/'], jwks: { keys: [okp] }, algorithms: ['EdDSA'] }], unavailable: 'reject', timeoutMs: 100 };
  const precompiledStatus = statusSupport.configValidator;
  const compiledStatus = compiledOf('trust-config.schema.json', '#/$defs/status');
  const atStatus: SchemaValidator = (value: unknown) => {
    const valid = precompiledStatus(value, '/status');
    atStatus.errors = precompiledStatus.errors;
    return valid;
  };
  checked += agreeOnEdges('status', atStatus, compiledStatusAt(compiledStatus, '/status'), status, false);
  assert.ok(checked > 10_000, `${checked} samples`);
});

/** ajv's validator of a section, reporting paths from `instancePath` as the part's precompiled one does. */
function compiledStatusAt(compiled: ValidateFunction, instancePath: string): ValidateFunction {
  const wrapped = ((data: unknown) => {
    const valid = compiled(data, { instancePath, parentData: {}, parentDataProperty: '', rootData: {}, dynamicAnchors: {} });
    wrapped.errors = compiled.errors;
    return valid;
  }) as ValidateFunction;
  return wrapped;
}
