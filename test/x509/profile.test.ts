/**
 * Issue #12: the RFC 5280 profile checks added to SPEC-NOTES §7.2 (each test fails without its
 * check), chain validation without identity rule, maxPathLength, the identity matchers and the
 * ordering of an unordered certificate set.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, RelativeDistinguishedName, type TBSCertificate } from '@peculiar/asn1-x509';
import { TransitiveProofError } from '../../lib/errors.js';
import { Extension, KeyUsageFlags } from '../../lib/x509/peculiar.js';
import {
  loadTrustAnchors,
  matchDnsName,
  matchSpiffeId,
  matchUri,
  orderCertificates,
  PathCache,
  validateCertificateBag,
  validateCertificateChain,
  validateCertificatePath,
  type LeafNames,
  type TrustAnchor,
} from '../../lib/x509/index.js';
import { DAY, DEFAULT_SPIFFE_ID, NOW, dnsSubtree, makeCert, makePath, rejectsWith, validate, type TestCert } from './pki.js';

function chain(x5c: Uint8Array[], anchors: TrustAnchor[], extra: { maxPathLength?: number; maxCertificates?: number } = {}) {
  return validateCertificateChain(x5c, { anchors, now: NOW, clockToleranceSeconds: 0, ...extra });
}

/** A copy of an Ed25519-signed certificate with its TBS edited and signed again by `signer`. */
async function resign(cert: TestCert, signer: TestCert, edit: (tbs: TBSCertificate) => void): Promise<Uint8Array> {
  assert.equal(signer.key.alg, 'Ed25519');
  const asn = AsnConvert.parse(cert.der, Certificate);
  edit(asn.tbsCertificate);
  const tbs = AsnConvert.serialize(asn.tbsCertificate);
  asn.signatureValue = await webcrypto.subtle.sign('Ed25519', signer.key.keys.privateKey, tbs);
  return new Uint8Array(AsnConvert.serialize(asn));
}

describe('§7.2 profile checks (RFC 5280)', () => {
  test('rule 1: a serial number of zero or over 20 octets → x5c_malformed; an anchor is exempt', async () => {
    const p = await makePath({ root: { keyAlg: 'Ed25519' }, intermediate: null });
    const zero = await resign(p.leaf, p.root, (tbs) => (tbs.serialNumber = new Uint8Array([0]).buffer));
    await rejectsWith(validate([zero], p.anchors), 'x5c_malformed', /serialNumber is zero/);
    const long = await makePath({ leaf: { serialNumber: `01${'ab'.repeat(20)}` } });
    await rejectsWith(validate(long.x5c, long.anchors), 'x5c_malformed', /21 octets/);
    // 20 octets with a sign-keeping zero octet in front is still 20 octets.
    const twenty = await makePath({ leaf: { serialNumber: 'ff'.repeat(20) } });
    assert.equal((await validate(twenty.x5c, twenty.anchors)).identity, DEFAULT_SPIFFE_ID);
    // A configured root with serial 0 (real ones exist) is accepted, also when x5c repeats it.
    const root = await makeCert({ subject: 'CN=Zero Root', keyAlg: 'Ed25519' });
    const rootZero = await resign(root, root, (tbs) => (tbs.serialNumber = new Uint8Array([0]).buffer));
    const leaf = await makeCert({ subject: 'CN=Leaf', issuer: { ...root, der: rootZero }, basicConstraints: { ca: false }, san: [{ type: 'url', value: DEFAULT_SPIFFE_ID }] });
    const anchors = await loadTrustAnchors([rootZero]);
    assert.equal((await validate([leaf.der], anchors)).identity, DEFAULT_SPIFFE_ID);
    assert.equal((await validate([leaf.der, rootZero], anchors)).identity, DEFAULT_SPIFFE_ID);
  });

  test('rule 1: an empty issuer Name, an empty extKeyUsage, an empty subject with a non-critical SAN → x5c_malformed', async () => {
    const p = await makePath({ root: { keyAlg: 'Ed25519' }, intermediate: null });
    const noIssuer = await resign(p.leaf, p.root, (tbs) => tbs.issuer.splice(0));
    await rejectsWith(validate([noIssuer], p.anchors), 'x5c_malformed', /empty issuer/);
    const emptyEku = await makePath({ leaf: { extraExtensions: [new Extension('2.5.29.37', false, new Uint8Array([0x30, 0x00]).buffer)] } });
    await rejectsWith(validate(emptyEku.x5c, emptyEku.anchors), 'x5c_malformed', /empty extendedKeyUsage/);
    const nonCritical = await makePath({ leaf: { subject: '', sanCritical: false } });
    await rejectsWith(validate(nonCritical.x5c, nonCritical.anchors), 'x5c_malformed', /empty subject/);
    const critical = await makePath({ leaf: { subject: '', sanCritical: true } });
    assert.equal((await validate(critical.x5c, critical.anchors)).identity, DEFAULT_SPIFFE_ID);
  });

  test('rule 1: a Name with a RelativeDistinguishedName of no attribute (SET SIZE (1..MAX)) → x5c_malformed, subject or issuer, anchor included', async () => {
    const p = await makePath({ root: { keyAlg: 'Ed25519' }, intermediate: null });
    const emptyRdn = (name: TBSCertificate['subject']) => name.push(new RelativeDistinguishedName());
    // The subject CN=Leaf followed by an empty RDN: a non-empty Name, so no other rule 1 check applies.
    const subject = await resign(p.leaf, p.root, (tbs) => emptyRdn(tbs.subject));
    await rejectsWith(validate([subject], p.anchors), 'x5c_malformed', /empty RelativeDistinguishedName/);
    // The subject is only an empty RDN (30 02 31 00): not the empty Name, so the SAN need not be critical.
    const only = await resign(p.leaf, p.root, (tbs) => tbs.subject.splice(0, tbs.subject.length, new RelativeDistinguishedName()));
    await rejectsWith(validate([only], p.anchors), 'x5c_malformed', /empty RelativeDistinguishedName/);
    const issuer = await resign(p.leaf, p.root, (tbs) => emptyRdn(tbs.issuer));
    await rejectsWith(validate([issuer], p.anchors), 'x5c_malformed', /empty RelativeDistinguishedName/);
    const root = await resign(p.root, p.root, (tbs) => emptyRdn(tbs.subject));
    await assert.rejects(loadTrustAnchors([root]), (error: unknown) => error instanceof TransitiveProofError && error.code === 'invalid_argument');
    // The same edit without the empty RDN validates: the resigning changes nothing else.
    assert.equal((await validate([await resign(p.leaf, p.root, () => undefined)], p.anchors)).identity, DEFAULT_SPIFFE_ID);
  });

  test('rule 5: a critical subjectKeyIdentifier or authorityKeyIdentifier → x5c_critical_extension', async () => {
    const ski = await makePath({ leaf: { subjectKeyIdCritical: true } });
    await rejectsWith(validate(ski.x5c, ski.anchors), 'x5c_critical_extension', /2\.5\.29\.14 must not be critical/);
    const rootSki = await makePath({ root: { subjectKeyIdCritical: true } });
    await rejectsWith(validate(rootSki.x5c, rootSki.anchors), 'x5c_critical_extension', /trust anchor/);
    const aki = await makePath({ intermediate: { authorityKeyIdCritical: true } });
    await rejectsWith(validate(aki.x5c, aki.anchors), 'x5c_critical_extension', /2\.5\.29\.35 must not be critical/);
  });

  test('rule 5: policyConstraints and inhibitAnyPolicy fail critical or not', async () => {
    for (const oid of ['2.5.29.36', '2.5.29.54']) {
      for (const critical of [false, true]) {
        // SEQUENCE { [0] 0 } for policyConstraints; INTEGER 0 for inhibitAnyPolicy.
        const value = oid === '2.5.29.36' ? [0x30, 0x03, 0x80, 0x01, 0x00] : [0x02, 0x01, 0x00];
        const p = await makePath({ intermediate: { extraExtensions: [new Extension(oid, critical, new Uint8Array(value).buffer)] } });
        await rejectsWith(validate(p.x5c, p.anchors), 'x5c_critical_extension', critical ? /unsupported critical/ : /not processed/);
      }
    }
  });

  test('rule 7: a CA with non-critical basicConstraints → x5c_not_ca', async () => {
    const bc = await makePath({ intermediate: { basicConstraintsCritical: false } });
    await rejectsWith(validate(bc.x5c, bc.anchors), 'x5c_not_ca', /x5c\[1\].*not critical/);
    const rootBc = await makePath({ root: { basicConstraintsCritical: false } });
    await rejectsWith(validate(rootBc.x5c, rootBc.anchors), 'x5c_not_ca', /trust anchor.*not critical/);
  });

  test('rule 8: keyCertSign in a leaf → x5c_key_usage', async () => {
    const p = await makePath({ leaf: { keyUsage: KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_key_usage', /keyCertSign in a certificate that is not a CA/);
  });

  test('rule 9: nameConstraints in a leaf, non-critical in a CA, or a leading-period dNSName → x5c_name_constraints', async () => {
    const leaf = await makePath({ leaf: { nameConstraints: { permitted: [dnsSubtree('example.com')] } } });
    await rejectsWith(validate(leaf.x5c, leaf.anchors), 'x5c_name_constraints', /not a CA/);
    const nonCritical = await makePath({ intermediate: { nameConstraints: { permitted: [dnsSubtree('example.com')], critical: false } } });
    await rejectsWith(validate(nonCritical.x5c, nonCritical.anchors), 'x5c_name_constraints', /not critical/);
    const period = await makePath({
      intermediate: { nameConstraints: { permitted: [dnsSubtree('.example.com')] } },
      leaf: { san: [{ type: 'dns', value: 'a.example.com' }] },
    });
    await rejectsWith(validate(period.x5c, period.anchors, { identity: { type: 'dns' } }), 'x5c_name_constraints', /invalid dNSName constraint/);
  });

  test('rule 10: a DNS identity is a host name: no underscore', async () => {
    const p = await makePath({ leaf: { san: [{ type: 'dns', value: 'foo_bar.example.com' }] } });
    await rejectsWith(validate(p.x5c, p.anchors, { identity: { type: 'dns' } }), 'x5c_identity_mismatch', /not a host name/);
  });

  test('rule 10: a DNS identity is not an IP address, as for matchDnsName (limbo rfc5280::san::ip-in-dns)', async () => {
    const p = await makePath({ leaf: { san: [{ type: 'dns', value: '8.8.8.8' }] } });
    await rejectsWith(validate(p.x5c, p.anchors, { identity: { type: 'dns' } }), 'x5c_identity_mismatch', /not a host name/);
    // A numeric label that is not the last one is a host name.
    const q = await makePath({ leaf: { san: [{ type: 'dns', value: '8.8.8.example' }] } });
    assert.equal((await validate(q.x5c, q.anchors, { identity: { type: 'dns' } })).identity, '8.8.8.example');
  });
});

describe('validateCertificateChain and maxPathLength', () => {
  test('rules 1-9 without identity rule: a leaf without any SAN validates; leafNames lists its names', async () => {
    const bare = await makePath({ leaf: { san: undefined } });
    const result = await chain(bare.x5c, bare.anchors);
    assert.deepEqual(result.leafNames, { dns: [], uri: [] });
    assert.equal('identity' in result, false);
    const named = await makePath({ leaf: { san: [{ type: 'dns', value: 'A.example.com' }, { type: 'url', value: DEFAULT_SPIFFE_ID }, { type: 'dns', value: 'b.example.com' }] } });
    assert.deepEqual((await chain(named.x5c, named.anchors)).leafNames, { dns: ['A.example.com', 'b.example.com'], uri: [DEFAULT_SPIFFE_ID] });
    // The structural rules still apply.
    const expired = await makePath({ leaf: { notAfter: NOW - 1 } });
    await rejectsWith(chain(expired.x5c, expired.anchors), 'x5c_expired');
  });

  test('maxPathLength bounds non-self-issued intermediates, independently of maxCertificates', async () => {
    const p = await makePath();
    assert.ok(await chain(p.x5c, p.anchors, { maxPathLength: 1 }));
    await rejectsWith(chain(p.x5c, p.anchors, { maxPathLength: 0 }), 'x5c_path_len', /maxPathLength is 0/);
    const direct = await makePath({ intermediate: null });
    assert.ok(await chain(direct.x5c, direct.anchors, { maxPathLength: 0 }));
    // A self-issued (key rollover) intermediate does not count; it does count towards maxCertificates.
    const rollover = await makeCert({ subject: 'CN=Test Root CA', issuer: direct.root, basicConstraints: { ca: true } });
    const leaf = await makeCert({ subject: 'CN=Leaf', issuer: rollover, san: [{ type: 'url', value: DEFAULT_SPIFFE_ID }] });
    assert.ok(await chain([leaf.der, rollover.der], direct.anchors, { maxPathLength: 0 }));
    await rejectsWith(chain([leaf.der, rollover.der], direct.anchors, { maxPathLength: 0, maxCertificates: 1 }), 'x5c_too_many');
    await assert.rejects(chain(p.x5c, p.anchors, { maxPathLength: -1 }), (e: unknown) => e instanceof TransitiveProofError && e.code === 'invalid_argument');
  });
});

describe('the path cache and the new options (SPEC-NOTES §7.4)', () => {
  test('maxPathLength and the absence of an identity rule are part of the key', async () => {
    const p = await makePath();
    const cache = new PathCache();
    const base = { anchors: p.anchors, now: NOW, clockToleranceSeconds: 0, cache };
    assert.ok(await validateCertificateChain(p.x5c, { ...base, maxPathLength: 1 }));
    await rejectsWith(validateCertificateChain(p.x5c, { ...base, maxPathLength: 0 }), 'x5c_path_len');
    // A chain-only entry carries no identity; the identity rule gets its own entry.
    const chained = await validateCertificateChain(p.x5c, base);
    assert.equal('identity' in chained, false);
    const path = await validateCertificatePath(p.x5c, { ...base, identity: { type: 'spiffe' } });
    assert.equal(path.identity, DEFAULT_SPIFFE_ID);
  });
});

describe('identity matchers', () => {
  const names = (dns: string[], uri: string[] = []): LeafNames => ({ dns, uri });

  test('matchDnsName: any of several dNSNames, ASCII case-insensitive', () => {
    const leaf = names(['a.example.com', 'B.Example.org']);
    assert.equal(matchDnsName(leaf, 'a.example.com'), true);
    assert.equal(matchDnsName(leaf, 'b.example.ORG'), true);
    assert.equal(matchDnsName(leaf, 'c.example.com'), false);
    assert.equal(matchDnsName(names([]), 'a.example.com'), false);
  });

  test('matchDnsName: a wildcard is a whole leftmost label over at least two labels and matches one label', () => {
    const leaf = names(['*.example.com']);
    assert.equal(matchDnsName(leaf, 'a.example.com'), true);
    assert.equal(matchDnsName(leaf, 'example.com'), false);
    assert.equal(matchDnsName(leaf, 'a.b.example.com'), false);
    for (const pattern of ['f*.example.com', '*oo.example.com', 'a.*.example.com', '*', '*.com', '**.example.com']) {
      assert.equal(matchDnsName(names([pattern]), 'foo.example.com'), false, pattern);
      assert.equal(matchDnsName(names([pattern]), 'a.com'), false, pattern);
    }
  });

  test('matchDnsName: presented names outside the host-name syntax never match; a bad reference is invalid_argument', () => {
    assert.equal(matchDnsName(names(['foo_bar.example.com']), 'foobar.example.com'), false);
    assert.equal(matchDnsName(names(['example.com.']), 'example.com'), false);
    for (const bad of ['foo_bar.example.com', '192.168.1.1', '', 'example.com.', '*.example.com', 'a..b']) {
      assert.throws(() => matchDnsName(names(['example.com']), bad), (e: unknown) => e instanceof TransitiveProofError && e.code === 'invalid_argument', bad);
    }
  });

  test('matchUri: exact comparison with any URI name', () => {
    const leaf = names([], ['https://a.example/x', 'urn:example:b']);
    assert.equal(matchUri(leaf, 'urn:example:b'), true);
    assert.equal(matchUri(leaf, 'https://A.example/x'), false);
    assert.throws(() => matchUri(leaf, 'not a uri'), TransitiveProofError);
  });

  test('matchSpiffeId: exactly one URI name, a SPIFFE ID; by ID or by trust domain', () => {
    const svid = names([], ['spiffe://example.org/workload']);
    assert.equal(matchSpiffeId(svid, 'spiffe://example.org/workload'), 'spiffe://example.org/workload');
    assert.equal(matchSpiffeId(svid, { trustDomain: 'example.org' }), 'spiffe://example.org/workload');
    assert.equal(matchSpiffeId(svid, { trustDomain: 'other.org' }), undefined);
    assert.equal(matchSpiffeId(svid, 'spiffe://example.org/other'), undefined);
    // Two URI names: no SVID, whichever they are (X509-SVID §2).
    assert.equal(matchSpiffeId(names([], ['spiffe://example.org/workload', 'https://a.example']), { trustDomain: 'example.org' }), undefined);
    assert.throws(() => matchSpiffeId(svid, 'https://example.org'), TransitiveProofError);
  });
});

describe('orderCertificates and validateCertificateBag (unordered sets, RFC 9360 x5bag)', () => {
  test('a shuffled bag with distractors is ordered leaf first, the anchor left out', async () => {
    const root = await makeCert({ subject: 'CN=Bag Root' });
    const upper = await makeCert({ subject: 'CN=Upper', issuer: root, basicConstraints: { ca: true } });
    const lower = await makeCert({ subject: 'CN=Lower', issuer: upper, basicConstraints: { ca: true } });
    const leaf = await makeCert({ subject: 'CN=Leaf', issuer: lower, basicConstraints: { ca: false }, san: [{ type: 'url', value: DEFAULT_SPIFFE_ID }] });
    const stranger = await makeCert({ subject: 'CN=Stranger', issuer: root, basicConstraints: { ca: true } });
    const anchors = await loadTrustAnchors([root.der]);
    const candidates = orderCertificates(leaf.der, [stranger.der, root.der, upper.der, lower.der, upper.der], { anchors });
    assert.deepEqual(candidates, [[leaf.der, lower.der, upper.der]]);
    const { x5c, chain: result } = await validateCertificateBag(leaf.der, [upper.der, stranger.der, lower.der], { anchors, now: NOW, clockToleranceSeconds: 0 });
    assert.deepEqual(x5c, [leaf.der, lower.der, upper.der]);
    assert.deepEqual(result.leafNames.uri, [DEFAULT_SPIFFE_ID]);
    // Too long for maxCertificates: no candidate.
    assert.deepEqual(orderCertificates(leaf.der, [upper.der, lower.der], { anchors, maxCertificates: 2 }), []);
    await rejectsWith(validateCertificateBag(leaf.der, [upper.der], { anchors, now: NOW, clockToleranceSeconds: 0 }), 'x5c_untrusted', /no path/);
  });

  test('the first candidate that validates wins; when none does, the first error', async () => {
    const root = await makeCert({ subject: 'CN=Bag Root' });
    // Two certificates for the same CA name and key: one expired, one valid (re-issuance).
    const caKey = (await makeCert({ subject: 'CN=CA' })).key;
    const expired = await makeCert({ subject: 'CN=CA', key: caKey, issuer: root, basicConstraints: { ca: true }, notBefore: NOW - 10 * DAY, notAfter: NOW - DAY });
    const current = await makeCert({ subject: 'CN=CA', key: caKey, issuer: root, basicConstraints: { ca: true } });
    const leaf = await makeCert({ subject: 'CN=Leaf', issuer: current, basicConstraints: { ca: false }, san: [{ type: 'url', value: DEFAULT_SPIFFE_ID }] });
    const anchors = await loadTrustAnchors([root.der]);
    const options = { anchors, now: NOW, clockToleranceSeconds: 0 };
    assert.equal(orderCertificates(leaf.der, [expired.der, current.der], { anchors }).length, 2);
    assert.deepEqual((await validateCertificateBag(leaf.der, [expired.der, current.der], options)).x5c, [leaf.der, current.der]);
    await rejectsWith(validateCertificateBag(leaf.der, [expired.der], options), 'x5c_expired');
  });

  test('bounded: at most 32 certificates in a bag; cycles end', async () => {
    const p = await makePath();
    const tooMany = Array.from({ length: 33 }, () => p.intermediate?.der as Uint8Array);
    await rejectsWith(validateCertificateBag(p.leaf.der, tooMany, { anchors: p.anchors, now: NOW, clockToleranceSeconds: 0 }), 'x5c_too_many');
    // A and B cross-signed (A issued by B, B issued by A), neither reaching the anchor.
    const keyA = (await makeCert({ subject: 'CN=A' })).key;
    const keyB = (await makeCert({ subject: 'CN=B' })).key;
    const a0 = await makeCert({ subject: 'CN=A', key: keyA });
    const b = await makeCert({ subject: 'CN=B', key: keyB, issuer: a0, basicConstraints: { ca: true } });
    const a = await makeCert({ subject: 'CN=A', key: keyA, issuer: b, basicConstraints: { ca: true } });
    const leaf = await makeCert({ subject: 'CN=Leaf', issuer: a, basicConstraints: { ca: false } });
    assert.deepEqual(orderCertificates(leaf.der, [a.der, b.der], { anchors: p.anchors, maxCertificates: 10 }), []);
  });

  test('every bag certificate is parsed (rule 1) before ordering: one that does not parse fails the set, used or not, an anchor copy too', async () => {
    const p = await makePath();
    const intermediate = p.intermediate?.der as Uint8Array;
    const options = { anchors: p.anchors, now: NOW, clockToleranceSeconds: 0 };
    // A stranger no candidate would use, made non-DER by one appended byte.
    const stranger = (await makeCert({ subject: 'CN=Stranger' })).der;
    const broken = new Uint8Array([...stranger, 0]);
    assert.equal((await validateCertificateBag(p.leaf.der, [intermediate, stranger], options)).x5c.length, 2);
    await rejectsWith(validateCertificateBag(p.leaf.der, [intermediate, broken], options), 'x5c_malformed', /certificate set \[1\]/);
    assert.throws(() => orderCertificates(p.leaf.der, [broken, intermediate], { anchors: p.anchors }), (e: unknown) => e instanceof TransitiveProofError && e.code === 'x5c_malformed' && e.rule === undefined);
    // A serial number over 20 octets is not a parse failure: the unused stranger does not fail the set.
    const longSerial = (await makeCert({ subject: 'CN=Stranger', serialNumber: `01${'ab'.repeat(20)}` })).der;
    assert.equal((await validateCertificateBag(p.leaf.der, [intermediate, longSerial], options)).x5c.length, 2);
  });

  test('its bounds are read as path validation reads them: each outside its range is invalid_argument', async () => {
    const p = await makePath();
    const bounds: Record<string, unknown>[] = [
      { maxCertificates: 0 },
      { maxCertificates: 11 },
      { maxCandidates: Number.NaN },
      { maxCandidates: 0 },
      { maxCertificateBytes: 1.5 },
      // the ceiling path validation has (65,536 bytes), which orderCertificates lacked
      { maxCertificateBytes: 65_537 },
    ];
    for (const override of bounds) {
      assert.throws(() => orderCertificates(p.leaf.der, [], { anchors: p.anchors, ...override }), (e: unknown) => e instanceof TransitiveProofError && e.code === 'invalid_argument', JSON.stringify(override));
    }
    assert.equal(orderCertificates(p.leaf.der, [], { anchors: p.anchors, maxCertificateBytes: 65_536 }).length, 0);
  });
});
