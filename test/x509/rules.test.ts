/**
 * SPEC-NOTES §7.2 as files and as data: every rule has its file in lib/x509/rules/, named after it,
 * and every failing path carries the rule (and sub-rule) that refused it in `rule` (§9), also after
 * the verifier attaches the link index and step.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createVerifier, serializeChain, startChain, TransitiveProofError, type ErrorCode, type X509Rule } from '../../lib/index.js';
import { Extension } from '../../lib/x509/peculiar.js';
import { assertIdentity, loadTrustAnchors, x509Support, type ValidatedPath } from '../../lib/x509/index.js';
import { createCertificateAuthority, createLeaf } from '../../lib/x509/issue.js';
import { repoRoot, schemaValidator } from '../helpers/fixtures.js';
import { DEFAULT_SPIFFE_ID, EKU_CLIENT_AUTH, EKU_SERVER_AUTH, HOUR, NOW, generateKey, makeCert, makePath, uriSubtree, validate } from './pki.js';

/** The numbered rules of §7.2 and their titles, read from SPEC-NOTES.md. */
function specRules(): { number: number; title: string }[] {
  const text = readFileSync(join(repoRoot(), 'SPEC-NOTES.md'), 'utf8');
  const start = text.indexOf('### 7.2 Path validation');
  const end = text.indexOf('### 7.3 ', start);
  assert.ok(start >= 0 && end > start, 'SPEC-NOTES.md has §7.2 followed by §7.3');
  return [...text.slice(start, end).matchAll(/^(\d+)\. \*\*([^*]+)\*\*/gm)].map((m) => ({
    number: Number(m[1]),
    title: (m[2] as string).replace(/\.$/, ''),
  }));
}

describe('lib/x509/rules/: one file per §7.2 rule, named after it', () => {
  test('the files are exactly NN-<rule title>.ts for the rules SPEC-NOTES §7.2 numbers, 1 to the last', () => {
    const rules = specRules();
    assert.deepEqual(rules.map((r) => r.number), rules.map((_, i) => i + 1), '§7.2 numbers its rules 1, 2, 3, ...');
    assert.ok(rules.length >= 10, `expected the ten rules of §7.2, read ${rules.length}`);
    const expected = rules.map((r) => `${String(r.number).padStart(2, '0')}-${r.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.ts`);
    const files = readdirSync(join(repoRoot(), 'lib', 'x509', 'rules')).filter((f) => f.endsWith('.ts')).sort();
    assert.deepEqual(files, expected);
  });
});

/** The error a promise rejects with, which must be a TransitiveProofError. */
async function failure(promise: Promise<unknown>): Promise<TransitiveProofError> {
  const error = await promise.then(
    () => assert.fail('expected the path to be refused'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof TransitiveProofError, `expected a TransitiveProofError, got ${String(error)}`);
  return error;
}

const otherSpiffeId = 'spiffe://other.org/workload';

/** One failing path per rule and per sub-rule that can fail, with the code and rule it must report. */
const CASES: { name: string; code: ErrorCode; rule: X509Rule; run: () => Promise<unknown> }[] = [
  { name: 'more certificates than maxCertificates', code: 'x5c_too_many', rule: '1', run: async () => {
    const p = await makePath();
    return validate([...p.x5c, p.root.der], p.anchors, { maxCertificates: 2 });
  } },
  { name: 'a certificate that is not DER', code: 'x5c_malformed', rule: '1', run: async () => {
    const p = await makePath();
    return validate([p.leaf.der, new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])], p.anchors);
  } },
  { name: 'a serial number over 20 octets', code: 'x5c_malformed', rule: '1', run: async () => {
    const p = await makePath({ leaf: { serialNumber: `01${'ab'.repeat(20)}` } });
    return validate(p.x5c, p.anchors);
  } },
  { name: 'a leaf without authorityKeyIdentifier', code: 'x5c_name_chaining', rule: '2', run: async () => {
    const p = await makePath({ leaf: { authorityKeyId: null } });
    return validate(p.x5c, p.anchors);
  } },
  { name: 'x5c holding only the anchor', code: 'x5c_leaf_is_ca', rule: '3a', run: async () => {
    const p = await makePath();
    return validate([p.root.der], p.anchors);
  } },
  { name: 'a path to an anchor that is not configured', code: 'x5c_untrusted', rule: '3b', run: async () => {
    const p = await makePath();
    const other = await makeCert({ subject: 'CN=Other Root CA' });
    return validate(p.x5c, await loadTrustAnchors([other.der]));
  } },
  { name: 'an intermediate the anchor names but did not sign', code: 'x5c_signature_invalid', rule: '3d', run: async () => {
    const p = await makePath({ intermediate: { signWith: await generateKey('ES256') } });
    return validate(p.x5c, p.anchors);
  } },
  { name: 'a leaf signed by a key other than the intermediate’s', code: 'x5c_signature_invalid', rule: '4', run: async () => {
    const p = await makePath({ leaf: { signWith: await generateKey('ES256') } });
    return validate(p.x5c, p.anchors);
  } },
  { name: 'an unknown critical extension', code: 'x5c_critical_extension', rule: '5', run: async () => {
    const p = await makePath({ leaf: { extraExtensions: [new Extension('1.3.6.1.4.1.99999.1', true, new Uint8Array([0x05, 0x00]).buffer)] } });
    return validate(p.x5c, p.anchors);
  } },
  { name: 'an expired leaf', code: 'x5c_expired', rule: '6', run: async () => {
    const p = await makePath({ leaf: { notAfter: NOW - HOUR } });
    return validate(p.x5c, p.anchors);
  } },
  { name: 'an intermediate that is not a CA', code: 'x5c_not_ca', rule: '7a', run: async () => {
    const p = await makePath({ intermediate: { basicConstraints: { ca: false } } });
    return validate(p.x5c, p.anchors);
  } },
  { name: 'an intermediate without keyUsage', code: 'x5c_key_usage', rule: '7b', run: async () => {
    const p = await makePath({ intermediate: { keyUsage: null } });
    return validate(p.x5c, p.anchors);
  } },
  { name: 'an intermediate below a root with pathLenConstraint 0', code: 'x5c_path_len', rule: '7c', run: async () => {
    const p = await makePath({ root: { basicConstraints: { ca: true, pathLength: 0 } } });
    return validate(p.x5c, p.anchors);
  } },
  { name: 'an intermediate beyond maxPathLength 0', code: 'x5c_path_len', rule: '7d', run: async () => {
    const p = await makePath();
    return validate(p.x5c, p.anchors, { maxPathLength: 0 });
  } },
  { name: 'a leaf without the required extKeyUsage', code: 'x5c_eku', rule: '8', run: async () => {
    const p = await makePath({ leaf: { extKeyUsage: [EKU_SERVER_AUTH] } });
    return validate(p.x5c, p.anchors, { requiredEku: EKU_CLIENT_AUTH });
  } },
  { name: 'nameConstraints in the leaf', code: 'x5c_name_constraints', rule: '9a', run: async () => {
    const p = await makePath({ leaf: { nameConstraints: { permitted: [uriSubtree('example.org')] } } });
    return validate(p.x5c, p.anchors);
  } },
  { name: 'a CA whose nameConstraints are not critical', code: 'x5c_name_constraints', rule: '9b', run: async () => {
    const p = await makePath({ intermediate: { nameConstraints: { permitted: [uriSubtree('example.org')], critical: false } } });
    return validate(p.x5c, p.anchors);
  } },
  { name: 'a leaf URI outside the permitted subtree', code: 'x5c_name_constraints', rule: '9d', run: async () => {
    const p = await makePath({ intermediate: { nameConstraints: { permitted: [uriSubtree('example.org')] } }, leaf: { san: [{ type: 'url', value: otherSpiffeId }] } });
    return validate(p.x5c, p.anchors);
  } },
  // Rule 9 runs CA by CA, (b) then (c)-(d) for each, nearest the leaf first: not (b) over every CA first.
  { name: 'a leaf URI outside x5c[1]\'s constraints, the anchor\'s unreadable (not critical): x5c[1] first', code: 'x5c_name_constraints', rule: '9d', run: async () => {
    const p = await makePath({
      root: { nameConstraints: { permitted: [uriSubtree('example.org')], critical: false } },
      intermediate: { nameConstraints: { permitted: [uriSubtree('example.org')] } },
      leaf: { san: [{ type: 'url', value: otherSpiffeId }] },
    });
    return validate(p.x5c, p.anchors);
  } },
  { name: 'x5c[1]\'s constraints unreadable, a leaf URI outside the anchor\'s: x5c[1] first', code: 'x5c_name_constraints', rule: '9b', run: async () => {
    const p = await makePath({
      root: { nameConstraints: { permitted: [uriSubtree('example.org')] } },
      intermediate: { nameConstraints: { permitted: [uriSubtree('example.org')], critical: false } },
      leaf: { san: [{ type: 'url', value: otherSpiffeId }] },
    });
    return validate(p.x5c, p.anchors);
  } },
  { name: 'a leaf without the dNSName the identity rule needs', code: 'x5c_identity_mismatch', rule: '10', run: async () => {
    const p = await makePath();
    return validate(p.x5c, p.anchors, { identity: { type: 'dns' } });
  } },
];

describe('every §7.2 rule reports itself in `rule`', () => {
  for (const { name, code, rule, run } of CASES) {
    test(`rule ${rule}: ${name} → ${code}`, async () => {
      const error = await failure(run());
      assert.deepEqual({ code: error.code, rule: error.rule }, { code, rule }, error.message);
      assert.equal(error.toJSON().rule, rule);
    });
  }

  test('the cases cover every rule SPEC-NOTES §7.2 numbers', () => {
    const covered = new Set(CASES.map((c) => Number.parseInt(c.rule, 10)));
    assert.deepEqual([...covered].sort((a, b) => a - b), specRules().map((r) => r.number));
  });

  test('rule 10, second half: assertIdentity refuses another iss with rule "10"', async () => {
    const p = await makePath();
    const path = (await validate(p.x5c, p.anchors)) as ValidatedPath;
    assert.equal(path.identity, DEFAULT_SPIFFE_ID);
    let error: unknown;
    try {
      assertIdentity(path, otherSpiffeId);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof TransitiveProofError);
    assert.deepEqual({ code: error.code, rule: error.rule }, { code: 'x5c_identity_mismatch', rule: '10' });
  });

  test('an invalid option is invalid_argument without a rule', async () => {
    const p = await makePath();
    const error = await failure(validate(p.x5c, p.anchors, { maxPathLength: -1 }));
    assert.deepEqual({ code: error.code, rule: error.rule }, { code: 'invalid_argument', rule: undefined });
  });
});

describe('the verifier keeps `rule` beside `step` and `linkIndex`', () => {
  const now = NOW;
  const validity = { notBefore: now - HOUR, notAfter: now + HOUR };
  const grant = { iss: 'https://a.example', sub: 'urn:c', aud: 'https://as.example', scope: 'read', tmb: { jkt: `${'x'.repeat(42)}A` }, delegate: { sub: 'client-b', cnf: { jkt: `${'y'.repeat(42)}A` } } };

  async function refusal(leafUri: string, anchorOf: 'issuer' | 'stranger'): Promise<TransitiveProofError> {
    const ca = await createCertificateAuthority({ ...validity, subject: 'CN=Rule CA' });
    const stranger = await createCertificateAuthority({ ...validity, subject: 'CN=Stranger CA' });
    const leaf = await createLeaf({ ...validity, issuer: ca, uri: leafUri });
    const chain = await startChain(grant, { privateKey: leaf.privateJwk, alg: 'ES256', x5c: [leaf.certificate] }, { now: new Date(now * 1000) });
    const anchor = (anchorOf === 'issuer' ? ca : stranger).certificate;
    const verifier = await createVerifier(
      { roots: [{ type: 'x509', anchors: [Buffer.from(anchor).toString('base64')], identity: { type: 'uri' }, subjects: 'any' }] },
      { x509: x509Support },
    );
    return failure(verifier.verify(serializeChain(chain), { audience: 'https://as.example', requester: { id: 'client-b' }, now: new Date(now * 1000) }));
  }

  test('a certificate from an unconfigured CA: step 6, rule 3b, link 0, and the JSON matches the error schema', async () => {
    const error = await refusal('https://a.example', 'stranger');
    assert.deepEqual({ code: error.code, step: error.step, rule: error.rule, linkIndex: error.linkIndex }, { code: 'x5c_untrusted', step: '6', rule: '3b', linkIndex: 0 });
    assert.ok(schemaValidator('error.schema.json')(error.toJSON()), 'toJSON with rule matches schemas/error.schema.json');
  });

  test('a certificate naming another issuer than iss: step 6, rule 10', async () => {
    const error = await refusal('https://b.example', 'issuer');
    assert.deepEqual({ code: error.code, step: error.step, rule: error.rule, linkIndex: error.linkIndex }, { code: 'x5c_identity_mismatch', step: '6', rule: '10', linkIndex: 0 });
  });
});
