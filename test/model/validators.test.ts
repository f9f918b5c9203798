/**
 * The precompiled validators (scripts/build-validators.mjs): up to date with schemas/, free of
 * run-time code generation, and giving the verdicts ajv gives when it compiles the schemas itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { describeSchemaError, validator, type SchemaName, type SchemaValidator } from '../../lib/model/schemas.js';
import { documentValidator } from '../../lib/model/document-schemas.js';
import { TransitiveProofError } from '../../lib/errors.js';
import { statusSupport } from '../../lib/status/index.js';
import { x509Support } from '../../lib/x509/index.js';
import { assertTrustConfigSchema } from '../../lib/trust/trust.js';
import { repoRoot } from '../helpers/repo.js';
import { edited, memberPaths } from '../helpers/edits.js';
import { runTimeSchemas } from '../helpers/ajv.js';

test('the checked-in validators match schemas/ (npm run build regenerates them)', () => {
  execFileSync(process.execPath, [join(repoRoot(), 'scripts', 'build-validators.mjs'), '--check'], { stdio: 'pipe' });
});

test('the validator code compiles nothing at run time', () => {
  const files = readdirSync(join(repoRoot(), 'lib', 'model')).filter((file) => file.endsWith('.generated.ts'));
  assert.ok(files.includes('validators.generated.ts') && files.includes('x509-validators.generated.ts'), files.join(', '));
  for (const file of files) {
    const code = readFileSync(join(repoRoot(), 'lib', 'model', file), 'utf8');
    assert.doesNotMatch(code, /new Function|\beval\(|\brequire\(/, file);
  }
});

test('precompiled and run-time-compiled validators agree', () => {
  const { ajv, id } = runTimeSchemas();
  const jwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
  const claims = {
    iss: 'https://a.example', sub: 'urn:c', aud: 'https://as.example', iat: 1, exp: 2, jti: 'j', scope: 'read',
    tmb: { jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }, may_act: { sub: 'b', cnf: { jwk } }, depth: 0,
  };
  const samples: Record<SchemaName, unknown[]> = {
    confirmation: [{ jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }, { jwk }, { jwk: { ...jwk, d: 'x' } }, { jkt: 'short' }, {}, null, 'x', { jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', jwk },
      // maxProperties counts own members as Object.keys does (the generator counts them without the array): 16 own
      // members, 17, and 13 own with 20 inherited enumerable ones (not counted).
      ...[13, 14].map((extra) => ({ jwk: { ...jwk, ...Object.fromEntries(Array.from({ length: extra }, (_, i) => [`m${i}`, i])) } })),
      { jwk: Object.assign(Object.create(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i}`, i]))) as object, jwk, Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`m${i}`, i]))) },
      // A key member that fails its own validator in each branch of the public JWK's `if` on kty (the branch's
      // failure returns the member's errors and the if error, failIf): OKP x, EC x and y, RSA n and e; too long too.
      ...[{ ...jwk, x: 'not base64url!' }, { ...jwk, x: 7 }, { ...jwk, x: 'A'.repeat(1401) },
        ...[{ x: '+' }, { y: '+' }, { x: 7, y: 7 }, { y: 'A'.repeat(1401) }].map((member) => ({ kty: 'EC', crv: 'P-384', x: 'AAAA', y: 'AAAA', ...member })),
        ...[{ n: '+' }, { e: '+' }, { n: [], e: 'AQAB' }, { e: 'A'.repeat(1401) }].map((member) => ({ kty: 'RSA', n: 'AAAA', e: 'AQAB', ...member }))]
        .flatMap((key) => [{ jwk: key }, { jwk: { ...key, d: 'x' } }]),
      // The private members, each alone and two at once (the first in the schema's order is reported: absentMembers),
      // and each required member of each key type missing, alone and with a later one (requiredMembers).
      ...['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'].flatMap((member) => [{ jwk: { ...jwk, [member]: 'x' } }, { jwk: { ...jwk, k: 'x', [member]: 'x' } }]),
      ...[jwk, { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }, { kty: 'RSA', n: 'AAAA', e: 'AQAB' }].flatMap((key) => Object.keys(key).filter((member) => member !== 'kty' || key.kty === 'RSA')
        .flatMap((member) => { const { [member]: _gone, ...rest } = key as Record<string, string>; const { e: _e, y: _y, x: _x, ...fewer } = rest; return [{ jwk: rest }, { jwk: { ...fewer, kty: key.kty } }]; }))],
    linkClaims: [
      // Each required member missing, alone and with the last one (the first in the schema's order is reported: requiredMembers);
      // may_act's and a status list entry's likewise.
      ...Object.keys(claims).flatMap((member) => { const { [member]: _gone, ...rest } = claims as Record<string, unknown>; const { depth: _depth, ...fewer } = rest; return [rest, fewer]; }),
      ...[{ cnf: { jwk } }, { sub: 'b' }, {}].map((may_act) => ({ ...claims, may_act })),
      ...[{ idx: 0 }, { uri: 'https://s.example/1' }, {}].map((status_list) => ({ ...claims, status: { status_list } })),
      claims, { ...claims, depth: -1 }, { ...claims, scope: 7 }, { ...claims, extra: true }, { ...claims, iss: '\u{1F600}'.repeat(3000) },
      // maxLength counts code points (the generator's own helper, held to ajv's here): a pair is one, a lone surrogate one.
      ...['a', '\u{1F600}', '\uD800', '\uDC00', '\uDC00\uD800'].flatMap((unit) => [2048, 2049].map((n) => ({ ...claims, iss: unit.repeat(n).slice(0, n * unit.length) }))),
      { ...claims, iss: `${'a'.repeat(2047)}\uD800` }, { ...claims, iss: `${'\u{1F600}'.repeat(2047)}\uD800\uDC00` }, { ...claims, iss: `${'\u{1F600}'.repeat(2048)}\uD800` },
      // Violations two and three calls deep: each level's path is joined on the way up (the callee reports relative to its value).
      { ...claims, may_act: { sub: 'b', cnf: { jwk: { ...jwk, x: 'not base64url!' } } } }, { ...claims, may_act: { sub: '', cnf: { jwk } } },
      { ...claims, tmb: { jwk: { kty: 'EC', crv: 'P-256', x: 'AAAA', y: '' } } }, { ...claims, tmb: { jwk: { kty: 'RSA', n: 'AAAA', e: 7 } } },
      { ...claims, tmb: { jwk: { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' } }, may_act: { sub: 'b', cnf: { jkt: 'short' } } },
      { ...claims, status: { status_list: { idx: 0, uri: 'ftp://x' } } },
      // Each failure of a string site checked by one call (stringWithin: the type, maxLength, minLength and
      // pattern in ajv's order, any of them absent) and of a bounded integer (integerWithin), per link too:
      // at and past each bound, the pattern missed, a pattern reported by its literal (uri), not a string.
      ...['', 'j'.repeat(256), 'j'.repeat(257), '\u{1F600}'.repeat(257), 7].map((jti) => ({ ...claims, jti })),
      ...['a'.repeat(4096), 'a'.repeat(4097), `${'a '.repeat(2048)}b`, 'a\u{1F600}', 'a  b', ' a', '\u{1F600}'.repeat(4097), ['read']].map((scope) => ({ ...claims, scope })),
      ...['NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xt', 'short', 43, null].map((prev) => ({ ...claims, prev })),
      ...['', 'https://s.example/1', `https://${'s'.repeat(2040)}`, `https://${'s'.repeat(2041)}`, 'ftp://s.example/1', 'HTTPS://s.example', 9].flatMap((uri) => [0, -1, 2147483647, 2147483648, 0.5, '0'].map((idx) => ({ ...claims, status: { status_list: { idx, uri } } }))),
      ...[0, -1, 253402300799, 253402300800, 1.5, '1', Number.MAX_VALUE].flatMap((iat) => [{ ...claims, iat }, { ...claims, nbf: iat }]),
      ...[64, 65, -1, 2.5, '3', [3]].map((depth) => ({ ...claims, depth })),
      ...[{ kid: 'k'.repeat(256) }, { kid: 'k'.repeat(257) }, { kid: 1 }, { alg: 'A'.repeat(32) }, { alg: 'A'.repeat(33) }, { alg: null }, { x: 'A'.repeat(1400) }, { x: '' }]
        .map((member) => ({ ...claims, tmb: { jwk: { ...jwk, ...member } } })),
      ...['NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9X', 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9X=', {}].map((jkt) => ({ ...claims, tmb: { jkt } }))],
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
      { roots: [{ type: 'holder', thumbprintIssuers: true }, { type: 'issuer', iss: 'https://a.example', jwks: { keys: [jwk, { ...jwk, x: '+' }] } }] },
      { roots: [{ type: 'issuer', iss: 'https://a.example', jwks: { keys: [jwk] }, subjects: { allow: [''] } }] },
      // Each failure of a bounded integer and of a length-bounded string, checked by one call per site
      // (integerWithin, stringWithin): not an integer, not a number, above, below, at each bound; too long, not a string.
      ...[1.5, '30', -1, 0, 300, 301, null].map((clockToleranceSeconds) => ({ roots: [{ type: 'holder', thumbprintIssuers: true }], clockToleranceSeconds })),
      ...[0, 1, 31536000, 31536001, 2.5, true].map((maxLifetimeSeconds) => ({ roots: [{ type: 'holder', thumbprintIssuers: true }], maxLifetimeSeconds })),
      ...[{ maxLinks: 0 }, { maxLinks: 65 }, { maxLinks: 64 }, { maxNesting: 33 }, { maxCertificates: 0.5 }, { maxChainBytes: '1' }, { maxLinkBytes: 65537 }, { maxChainBytes: 1048577 }]
        .map((limits) => ({ roots: [{ type: 'holder', thumbprintIssuers: true }], limits })),
      ...['a'.repeat(2048), 'a'.repeat(2049), '\u{1F600}'.repeat(2049), 7].map((iss) => ({ roots: [{ type: 'issuer', iss, jwks: { keys: [jwk] } }] })),
      // A holder root needs holders unless thumbprintIssuers is true (the schema's if/else; the generator's withoutDeadElseErrors).
      ...[{}, { thumbprintIssuers: false }, { thumbprintIssuers: 'yes' }, { thumbprintIssuers: null }, { thumbprintIssuers: 1 }, { thumbprintIssuers: false, holders: [{ iss: 'h', jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }] },
        { thumbprintIssuers: true, holders: [{ iss: 'h', jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }] }, { thumbprintIssuers: true, holders: [] }, { holders: [] }]
        .map((members) => ({ roots: [{ type: 'holder', ...members }] })),
      { roots: [{ type: 'holder', holders: [{ iss: '', jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }] }] },
      { roots: [{ type: 'holder', holders: [{ iss: ['x'], jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }] }] },
      ...['NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xt', 'x', 5].map((jkt) => ({ roots: [{ type: 'holder', holders: [{ iss: 'h', jkt }] }] })),
      // An issuer root's oneOf of `required`s (jwks, jwksUri: branches by requiredOf, through oneOfCalls): neither,
      // both, one; a root that is not an object passes both branches.
      { roots: [{ type: 'issuer', iss: 'https://a.example' }] }, { roots: [{ type: 'issuer', iss: 'https://a.example', jwks: { keys: [jwk] }, jwksUri: 'https://a.example/k' }] },
      { roots: [5] }, { roots: [null] }, { roots: [[{ jwks: 1 }]] },
      // An issuer root's jwksUri: the fetchable URI's bounds (8 to 2048) and pattern, reported by its literal.
      ...['https:/', 'https://', 'ftp://key.example', `https://${'k'.repeat(2040)}`, `https://${'k'.repeat(2041)}`, 5].map((jwksUri) => ({ roots: [{ type: 'issuer', iss: 'https://a.example', jwksUri }] })),
      { roots: [{ type: 'x509', anchors: ['AAAA'], identity: { type: 'spiffe', trustDomain: 'a'.repeat(256) } }] },
      { roots: [{ type: 'x509', anchors: ['AAAA'], identity: { type: 'spiffe', trustDomain: 5 } }] },
      // Each failure of an array with both item bounds, checked by one call per site (itemsWithin): not an
      // array, one item too few, at each bound, one too many; the roots, key sets, subject patterns, holders.
      ...[64, 'x', { 0: 1 }].map((roots) => ({ roots: typeof roots === 'number' ? Array.from({ length: roots }, () => ({ type: 'holder', thumbprintIssuers: true })) : roots })),
      ...[0, 1, 100, 101].map((n) => ({ roots: [{ type: 'issuer', iss: 'https://a.example', jwks: { keys: Array.from({ length: n }, () => jwk) } }] })),
      ...[{}, 'x'].map((keys) => ({ roots: [{ type: 'issuer', iss: 'https://a.example', jwks: { keys } }] })),
      ...[0, 1, 100, 101].map((n) => ({ roots: [{ type: 'holder', thumbprintIssuers: true }], delegateKeys: { keys: Array.from({ length: n }, () => jwk) } })),
      ...[[], ['urn:'], Array(10000).fill('urn:c'), Array(10001).fill('urn:c'), 'urn:', [7]].map((exact) => ({ roots: [{ type: 'issuer', iss: 'https://a.example', jwks: { keys: [jwk] }, subjects: { exact } }] })),
      ...[[], Array(100).fill('urn:'), Array(101).fill('urn:'), {}, ['']].map((prefixes) => ({ roots: [{ type: 'issuer', iss: 'https://a.example', jwks: { keys: [jwk] }, subjects: { prefixes } }] })),
      ...[[], Array(10000).fill({ iss: 'h', jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }), Array(10001).fill({ iss: 'h', jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }), 'h']
        .map((holders) => ({ roots: [{ type: 'holder', holders }] })),
      // The x509 part's anchors (1 to 32), through the whole check and the part's own validator below.
      ...[Array(32).fill('AAAA'), Array(33).fill('AAAA'), 'AAAA'].map((anchors) => ({ roots: [{ type: 'x509', anchors, identity: { type: 'uri' } }] })),
    ],
  };
  const files: Record<SchemaName, string> = { confirmation: 'confirmation.schema.json', linkClaims: 'link-claims.schema.json', trustConfig: 'trust-config.schema.json' };
  const trustId = id(files.trustConfig);
  // Each precompiled validator against ajv's compilation of its schema: the core trust configuration
  // only on samples its part definitions do not reach (those are the whole check's, below).
  // (The core trust configuration is generated from a derived schema, whose x509 root stub reports
  // other errors for a `oneOf` branch that fails: the first error, the one reported, is the same.)
  const agree = (precompiled: SchemaValidator, compiled: ValidateFunction, sample: unknown, instancePath: string, what: string): void => {
    const expected = compiled(sample, { instancePath, parentData: {}, parentDataProperty: '', rootData: {}, dynamicAnchors: {} }) as boolean;
    assert.equal(precompiled(sample, instancePath), expected, `${what}: ${JSON.stringify(sample).slice(0, 80)}`);
    // A success clears the errors, as ajv's does (a reader after a success sees none left from before).
    if (expected) return assert.equal(precompiled.errors, compiled.errors, `${what}: errors after a success`);
    // The generated code carries no messages (smaller bundles); describeSchemaError restores ajv's wording.
    const errors = compiled.errors?.map(({ message: _message, schemaPath: _schemaPath, ...rest }) => rest);
    assert.deepEqual(what === 'trustConfig' ? precompiled.errors?.[0] : precompiled.errors, what === 'trustConfig' ? errors?.[0] : errors);
    assert.equal(describeSchemaError(precompiled.errors), describeSchemaError(compiled.errors));
    assert.ok(compiled.errors?.[0]?.message !== undefined && describeSchemaError(precompiled.errors).endsWith(compiled.errors[0].message));
  };
  const reachesPart = (sample: unknown): boolean => {
    const config = sample as { roots?: unknown; delegateCertificates?: unknown; status?: unknown };
    return config.delegateCertificates !== undefined || config.status !== undefined || (Array.isArray(config.roots) && config.roots.some((root) => (root as { type?: unknown })?.type === 'x509'));
  };
  for (const name of Object.keys(samples) as SchemaName[]) {
    const compiled = ajv.getSchema(id(files[name]));
    assert.ok(compiled);
    for (const sample of samples[name]) {
      if (name === 'trustConfig' && reachesPart(sample)) continue;
      agree(validator(name), compiled, sample, '', name);
    }
  }
  const issuers = [{ uriPrefixes: ['https://status.example/lists/'], jwks: { keys: [jwk] } }];
  const base = { roots: [{ type: 'holder', thumbprintIssuers: true }] };
  const withStatus = [
    { ...base, status: { issuers } }, { ...base, status: { issuers, unavailable: 'accept', timeoutMs: 100 } },
    { ...base, status: { issuers: [] } }, { ...base, status: { issuers, unavailable: 'maybe' } }, { ...base, status: 'x' }, { ...base, status: null },
    { ...base, status: { issuers: [{ uris: ['ftp://status.example/1'], jwks: { keys: [jwk] } }] } },
    { ...base, status: { issuers: [{ uriPrefixes: ['https://status.example/lists'], jwks: { keys: [jwk] } }] } },
    { ...base, status: { issuers: [{ uris: ['https://status.example/1'], jwks: { keys: [jwk] }, jwksUri: 'https://status.example/k' }] } },
    { ...base, status: { issuers: [{ uris: ['https://status.example/1'] }] } }, { ...base, status: { issuers: [7] } },
    { ...base, status: { issuers: [{ uris: ['https://status.example/1'], jwksUri: 'https://status.example/k' }] } },
    { ...base, status: { issuers: [{ uris: ['https://status.example/1'], jwks: { keys: [{ ...jwk, d: 'x' }] } }] } },
    { ...base, status: { issuers, extra: 1 } }, { ...base, status: { issuers, failureCacheSeconds: 301 } },
    ...[0, 30001, 1.5, '1'].map((timeoutMs) => ({ ...base, status: { issuers, timeoutMs } })), { ...base, status: { issuers, maxCacheSeconds: -1 } },
    { roots: [], status: { issuers: [] } },
    // The issuers' item bounds (1 to 64, itemsWithin).
    ...[Array(64).fill(issuers[0]), Array(65).fill(issuers[0]), issuers[0]].map((many) => ({ ...base, status: { issuers: many } })),
  ];
  // Each part's validators against ajv's compilation of the definition they are generated from,
  // given the section where the trust configuration has it.
  const x509Roots = samples.trustConfig.flatMap((sample) => { const { roots } = sample as { roots?: unknown }; return Array.isArray(roots) ? (roots as { type?: string }[]).filter((root) => root?.type === 'x509') : []; });
  const profiles = samples.trustConfig.flatMap((sample) => ((sample as { delegateCertificates?: unknown }).delegateCertificates === undefined ? [] : [(sample as { delegateCertificates: unknown }).delegateCertificates]));
  const parts: [SchemaValidator, string, string, unknown[]][] = [
    [x509Support.configValidators.x509Root, 'x509Root', '/roots/0', [...x509Roots, { type: 'x509', anchors: ['AAAA'], identity: { type: 'uri' } }, { type: 'x509' }, { type: 'x509', anchors: ['AAAA'], identity: { type: 'uri' }, extra: 1 }]],
    [x509Support.configValidators.certificateProfile, 'certificateProfile', '/delegateCertificates', [...profiles, { anchors: ['AAAA'], identity: { type: 'spiffe', trustDomain: 'a.example' } }, {}, 'x']],
    [statusSupport.configValidator, 'status', '/status', withStatus.map((sample) => sample.status)],
  ];
  assert.ok(x509Roots.length >= 5 && profiles.length >= 1, 'the samples reach the part definitions');
  for (const [precompiled, def, instancePath, sections] of parts) {
    const compiled = ajv.getSchema(`${trustId}#/$defs/${def}`);
    assert.ok(compiled);
    for (const section of sections) agree(precompiled, compiled, section, instancePath, def);
  }
  // The whole check: the core, then each part's validator on its sections (assertTrustConfigSchema)
  // gives the whole schema's verdict, and its first violation, but where an x509 root is wrong: the
  // whole schema's `oneOf` then reports its first branch's miss (an issuer root's), the part what
  // is wrong with the x509 root. (No sample has a second violation besides one in a part's section.)
  const trustSchema = ajv.getSchema(trustId);
  const x509RootSchema = ajv.getSchema(`${trustId}#/$defs/x509Root`);
  assert.ok(trustSchema && x509RootSchema);
  let partReported = 0;
  for (const sample of [...samples.trustConfig, ...withStatus]) {
    const expected = trustSchema(sample) as boolean;
    let thrown: unknown;
    try {
      assertTrustConfigSchema(sample, { status: statusSupport, x509: x509Support });
    } catch (error) {
      thrown = error;
    }
    assert.equal(thrown === undefined, expected, `trustConfig: ${JSON.stringify(sample).slice(0, 120)}`);
    if (expected) continue;
    assert.ok(thrown instanceof TransitiveProofError && thrown.code === 'invalid_argument');
    const roots = (sample as { roots?: unknown }).roots;
    const wrongRoot = Array.isArray(roots) ? roots.findIndex((root) => (root as { type?: unknown })?.type === 'x509' && !x509RootSchema(root)) : -1;
    if (wrongRoot >= 0) {
      partReported++;
      x509RootSchema((roots as unknown[])[wrongRoot], { instancePath: `/roots/${wrongRoot}`, parentData: {}, parentDataProperty: '', rootData: {}, dynamicAnchors: {} });
      assert.equal(thrown.message, `trust configuration: ${describeSchemaError(x509RootSchema.errors)}`);
    } else {
      assert.equal(thrown.message, `trust configuration: ${describeSchemaError(trustSchema.errors)}`);
    }
  }
  assert.ok(partReported >= 5, 'the samples hold wrong x509 roots');
  const error = { code: 'expired', message: 'm', oauthError: 'invalid_grant' };
  const compiledError = ajv.getSchema(id('error.schema.json'));
  assert.ok(compiledError);
  for (const sample of [error, { ...error, code: 7 }, {}]) assert.equal(documentValidator('error')(sample), compiledError(sample));
});

/**
 * Random edits of valid documents (a member replaced by any JSON value, removed, or one added; an
 * array element likewise), each precompiled validator against ajv compiling the same schema at run
 * time: the same verdict and the same errors. The generator rewrites ajv's code (its passes in
 * scripts/build-validators.mjs); this is what holds every rewrite to ajv's own answers on inputs no
 * one wrote by hand. VALIDATOR_FUZZ_RUNS sets the cases per validator (default 300).
 */
test('precompiled and run-time-compiled validators agree on random edits of valid documents', async () => {
  const fc = (await import('fast-check')).default;
  const runs = Number(process.env.VALIDATOR_FUZZ_RUNS ?? 300);
  const { compiledOf } = runTimeSchemas();
  const readJson = (...path: string[]): unknown => JSON.parse(readFileSync(join(repoRoot(), ...path), 'utf8'));
  const ec = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
  const okp = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
  const rsa = { kty: 'RSA', n: 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw', e: 'AQAB' };
  const claims = {
    iss: 'https://a.example', sub: 'urn:c', aud: 'https://as.example', iat: 1, nbf: 1, exp: 2, jti: 'j', scope: 'read write',
    tmb: { jwk: ec }, may_act: { sub: 'b', cnf: { jwk: okp } }, depth: 3, prev: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
    status: { status_list: { idx: 4, uri: 'https://status.example/1' } },
  };
  const trust = {
    roots: [{ type: 'issuer', iss: 'https://a.example', jwks: { keys: [okp, ec] }, subjects: { prefixes: ['urn:'] }, algorithms: ['EdDSA'] },
      { type: 'holder', holders: [{ iss: 'https://h.example', jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }], thumbprintIssuers: true }],
    delegateKeys: { keys: [rsa] }, algorithms: ['EdDSA', 'ES256'], clockToleranceSeconds: 30, maxLifetimeSeconds: 3600, limits: { maxLinks: 8 },
  };
  const vectorFiles = readdirSync(join(repoRoot(), 'vectors', 'positive')).filter((f) => f.endsWith('.json')).slice(0, 3);
  const asFiles = readdirSync(join(repoRoot(), 'vectors', 'as')).filter((f) => f.endsWith('.json') && f !== 'index.json').slice(0, 3);
  const vectors = vectorFiles.map((f) => readJson('vectors', 'positive', f));
  const cases: [string, SchemaValidator, ValidateFunction, unknown[], boolean][] = [
    ['linkClaims', validator('linkClaims'), compiledOf('link-claims.schema.json'), [claims, { ...claims, tmb: { jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }, may_act: { sub: 'b', cnf: { jwk: rsa } } }], false],
    ['confirmation', validator('confirmation'), compiledOf('confirmation.schema.json'), [{ jwk: ec }, { jwk: okp }, { jwk: rsa }, { jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }, { 'x5t#S256': 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }], false],
    // The core trust configuration on edits its part definitions do not reach; the first error (see above).
    ['trustConfig', validator('trustConfig'), compiledOf('trust-config.schema.json'), [trust], true],
    ['status', statusSupport.configValidator, compiledOf('trust-config.schema.json', '#/$defs/status'), [{ issuers: [{ uriPrefixes: ['https://status.example/lists/'], jwks: { keys: [okp] }, algorithms: ['EdDSA'] }], unavailable: 'reject', timeoutMs: 100 }], false],
    ['x509Root', x509Support.configValidators.x509Root, compiledOf('trust-config.schema.json', '#/$defs/x509Root'), [{ type: 'x509', anchors: ['AAAA'], identity: { type: 'spiffe', trustDomain: 'a.example' }, requiredEku: '1.3.6.1.5.5.7.3.2', algorithms: ['ES256'], subjects: 'self' }], false],
    ['vector', documentValidator('vector'), compiledOf('vector.schema.json'), vectors, false],
    ['vectorIndex', documentValidator('vectorIndex'), compiledOf('vector.schema.json', '#/$defs/index'), [readJson('vectors', 'index.json')], false],
    ['asVector', documentValidator('asVector'), compiledOf('as-vector.schema.json'), asFiles.map((f) => readJson('vectors', 'as', f)), false],
    ['chain', documentValidator('chain'), compiledOf('chain.schema.json'), vectors.flatMap((v) => { const { compact, json } = (v as { chain: { compact: unknown; json: unknown } }).chain; return [compact, json]; }), false],
    ['error', documentValidator('error'), compiledOf('error.schema.json'), [{ code: 'scope_escalation', message: 'm', linkIndex: 1, step: '13', oauthError: 'invalid_grant' }], false],
  ];
  for (const [name, precompiled, compiled, seeds, firstOnly] of cases) {
    assert.ok(seeds.length > 0 && seeds.every((seed) => compiled(seed)), `${name}: the seeds are valid`);
    const arbitrary = fc.nat(seeds.length - 1).chain((i) => fc.tuple(fc.constant(seeds[i]), fc.constantFrom(...memberPaths(seeds[i])), fc.nat(2), fc.jsonValue({ maxDepth: 2 })));
    fc.assert(fc.property(arbitrary, ([seed, path, action, value]) => {
      const sample = edited(seed, path, action, value);
      if (name === 'trustConfig' && JSON.stringify(sample).includes('"x509"')) return; // an x509 root is the part's (above)
      const expected = compiled(sample) as boolean;
      assert.equal(precompiled(sample), expected, `${name}: ${JSON.stringify(sample).slice(0, 200)}`);
      if (expected) return assert.equal(precompiled.errors, compiled.errors, `${name}: errors after a success`);
      const errors = compiled.errors?.map(({ message: _message, schemaPath: _schemaPath, ...rest }) => rest);
      assert.deepEqual(firstOnly ? precompiled.errors?.[0] : precompiled.errors, firstOnly ? errors?.[0] : errors, `${name}: ${JSON.stringify(sample).slice(0, 200)}`);
    }), { numRuns: runs, seed: Number(process.env.VALIDATOR_FUZZ_SEED ?? 27) });
  }
});

test('a oneOf of nested calls (oneOfCalls) reports what ajv reports: none, one, two passing branches, and the list before it', async () => {
  const { oneOfCalls } = (await import('../../lib/model/validators.generated.js')) as { oneOfCalls: (validate: { errors?: unknown }, before: unknown[] | null, data: unknown, instancePath: string, branches: ValidateFunction[]) => boolean };
  const ajv = new Ajv2020({ allErrors: false, strict: true, inlineRefs: false });
  const branchSchemas = [{ type: 'string', maxLength: 3 }, { type: 'string', minLength: 2 }, { type: 'number' }];
  const branches = branchSchemas.map((schema) => ajv.compile(schema));
  const whole = ajv.compile({ type: 'array', items: { oneOf: branchSchemas } });
  for (const data of ['x', 'ab', 'abcd', 7, true, null]) {
    const validate: { errors?: unknown } = {};
    const before = [{ instancePath: '/0', keyword: 'earlier', params: {} }];
    const valid = oneOfCalls(validate, before, data, '/1', branches);
    const expected = whole([0, data]) as boolean;
    assert.equal(valid, expected, JSON.stringify(data));
    const bare = (errors: unknown): unknown => (errors as { message?: unknown; schemaPath?: unknown }[]).map(({ message: _message, schemaPath: _schemaPath, ...rest }) => rest);
    if (!expected) assert.deepEqual(bare(validate.errors), [...before, ...(bare(whole.errors) as unknown[])], JSON.stringify(data));
  }
});
