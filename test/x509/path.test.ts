/**
 * validateCertificatePath: one passing path, and for every rule a path that breaks only that rule.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, GeneralName } from '@peculiar/asn1-x509';
import { TransitiveProofError } from '../../lib/errors.js';
import { Extension, KeyUsageFlags, SubjectKeyIdentifierExtension } from '../../lib/x509/peculiar.js';
import { assertIdentity, loadTrustAnchors, PathCache, validateCertificatePath } from '../../lib/x509/index.js';
import {
  DAY,
  DEFAULT_SPIFFE_ID,
  EKU_ANY,
  EKU_CLIENT_AUTH,
  EKU_SERVER_AUTH,
  HOUR,
  NOW,
  dnsSubtree,
  flipLastByte,
  generateKey,
  makeCert,
  makePath,
  rejectsWith,
  uriSubtree,
  validate,
} from './pki.js';

/** A DER-encoded extension value that is just an ASN.1 NULL. */
const NULL_VALUE = new Uint8Array([0x05, 0x00]);
const UNKNOWN_OID = '1.3.6.1.4.1.99999.1';

describe('valid path', () => {
  test('leaf → intermediate → anchor validates and reports the leaf', async () => {
    const p = await makePath();
    const result = await validate(p.x5c, p.anchors);
    assert.equal(result.identity, DEFAULT_SPIFFE_ID);
    assert.equal(result.identityType, 'uri');
    assert.deepEqual(result.leafKeyAlgorithms, ['ES256', 'ESP256']);
    assert.equal(result.leafThumbprintS256, createHash('sha256').update(p.leaf.der).digest('base64url'));
    assert.deepEqual(result.subjects, ['CN=Test Leaf', 'CN=Test Intermediate CA', 'CN=Test Root CA']);
    const expected = await webcrypto.subtle.exportKey('jwk', p.leaf.key.keys.publicKey);
    assert.deepEqual(result.leafPublicJwk, { kty: 'EC', crv: 'P-256', x: expected.x, y: expected.y });
    assert.equal(result.notAfter, NOW + 30 * DAY);
    assert.equal(result.notBefore, NOW - DAY);
    assert.ok(Object.isFrozen(result) && Object.isFrozen(result.leafPublicJwk) && Object.isFrozen(result.subjects));
  });

  test('notAfter is the earliest notAfter over the path, anchor included', async () => {
    const p = await makePath({ root: { notAfter: NOW + 5 * DAY }, leaf: { notAfter: NOW + 9 * DAY } });
    assert.equal((await validate(p.x5c, p.anchors)).notAfter, NOW + 5 * DAY);
  });

  test('a leaf issued directly by the anchor validates', async () => {
    const p = await makePath({ intermediate: null });
    assert.equal((await validate(p.x5c, p.anchors)).identity, DEFAULT_SPIFFE_ID);
  });

  test('the anchor may end x5c: it is used as the anchor, not validated as an intermediate', async () => {
    // pathLen 0 on the root would fail if the root copy in x5c counted as an intermediate below it.
    const p = await makePath({ root: { basicConstraints: { ca: true, pathLength: 0 } }, intermediate: null });
    const result = await validate([p.leaf.der, p.root.der], p.anchors);
    assert.deepEqual(result.subjects, ['CN=Test Leaf', 'CN=Test Root CA']);
  });
});

describe('§7.2 rule 1: bounds and parsing (x5c_too_many, x5c_malformed)', () => {
  test('more certificates than maxCertificates → x5c_too_many', async () => {
    const p = await makePath();
    const x5c = [...p.x5c, p.root.der];
    assert.equal((await validate(x5c, p.anchors, { maxCertificates: 3 })).identity, DEFAULT_SPIFFE_ID);
    await rejectsWith(validate(x5c, p.anchors, { maxCertificates: 2 }), 'x5c_too_many');
  });

  test('the default bound is 4 certificates, checked before parsing', async () => {
    const p = await makePath();
    const junk = new Uint8Array([1, 2, 3]);
    await rejectsWith(validate([p.leaf.der, junk, junk, junk, junk], p.anchors), 'x5c_too_many');
  });

  test('a certificate above maxCertificateBytes → x5c_malformed', async () => {
    const p = await makePath();
    await rejectsWith(validate(p.x5c, p.anchors, { maxCertificateBytes: p.leaf.der.byteLength - 1 }), 'x5c_malformed', /bytes/);
  });

  test('empty x5c → x5c_malformed', async () => {
    const p = await makePath();
    await rejectsWith(validate([], p.anchors), 'x5c_malformed');
  });

  test('garbage, truncated and non-byte entries → x5c_malformed, never a TypeError', async () => {
    const p = await makePath();
    const cases: unknown[] = [
      new Uint8Array([0x30, 0x03, 0x02, 0x01]),
      new Uint8Array([0xff, 0xff, 0xff]),
      p.leaf.der.subarray(0, p.leaf.der.byteLength - 10),
      new Uint8Array([0x30, 0x00]),
      new Uint8Array(0),
      'MIIB',
      null,
      undefined,
      42,
    ];
    for (const bad of cases) await rejectsWith(validate([bad as Uint8Array, ...p.x5c.slice(1)], p.anchors), 'x5c_malformed');
    await rejectsWith(validate('not an array' as unknown as Uint8Array[], p.anchors), 'x5c_malformed');
  });

  test('trailing bytes after the certificate → x5c_malformed', async () => {
    const p = await makePath();
    const trailing = new Uint8Array([...p.leaf.der, 0x00]);
    await rejectsWith(validate([trailing, ...p.x5c.slice(1)], p.anchors), 'x5c_malformed', /trailing/);
  });

  test('a duplicated extension → x5c_malformed', async () => {
    const p = await makePath({ leaf: { extraExtensions: [new Extension(UNKNOWN_OID, false, NULL_VALUE), new Extension(UNKNOWN_OID, false, NULL_VALUE)] } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_malformed', /duplicate/);
  });

  test('outer signatureAlgorithm differing from tbsCertificate.signature → x5c_malformed', async () => {
    const p = await makePath();
    const asn = AsnConvert.parse(p.leaf.der, Certificate);
    asn.signatureAlgorithm.algorithm = '1.2.840.10045.4.3.3'; // ecdsa-with-SHA384; the TBS says SHA256
    const altered = new Uint8Array(AsnConvert.serialize(asn));
    await rejectsWith(validate([altered, ...p.x5c.slice(1)], p.anchors), 'x5c_malformed', /signatureAlgorithm/);
  });
});

describe('§7.2 rule 3: the path ends at a configured anchor (x5c_untrusted)', () => {
  test('a path to a root that is not configured → x5c_untrusted', async () => {
    const p = await makePath({ root: { subject: 'CN=Unknown Root CA' } });
    const other = await makePath();
    await rejectsWith(validate(p.x5c, other.anchors), 'x5c_untrusted', /not a configured trust anchor/);
  });

  test('a root with the anchor’s name but another key (AKI says so) → x5c_untrusted', async () => {
    const p = await makePath();
    const other = await makePath();
    await rejectsWith(validate(p.x5c, other.anchors), 'x5c_untrusted', /authorityKeyIdentifier/);
  });

  test('authorityKeyIdentifier of the top certificate differs from the anchor’s SKI → x5c_untrusted', async () => {
    const p = await makePath({ intermediate: { authorityKeyId: 'aabbccddeeff00112233445566778899aabbccdd' } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_untrusted', /authorityKeyIdentifier/);
  });

  test('a self-signed root inside x5c never becomes an anchor', async () => {
    const p = await makePath();
    const other = await makePath();
    await rejectsWith(validate([...p.x5c, p.root.der], other.anchors), 'x5c_untrusted', /self-issued and not a configured trust anchor/);
  });

  test('a self-signed impostor with the anchor’s name → x5c_untrusted', async () => {
    const p = await makePath();
    const impostor = await makeCert({ subject: 'CN=Test Root CA' });
    const leaf = await makeCert({ subject: 'CN=Leaf', issuer: impostor, san: [{ type: 'url', value: DEFAULT_SPIFFE_ID }] });
    await rejectsWith(validate([leaf.der, impostor.der], p.anchors), 'x5c_untrusted');
  });

  test('an intermediate missing from x5c → x5c_untrusted', async () => {
    const p = await makePath();
    await rejectsWith(validate([p.leaf.der], p.anchors), 'x5c_untrusted', /not a configured trust anchor/);
  });

  test('x5c holding only the anchor has no leaf → x5c_leaf_is_ca', async () => {
    const p = await makePath();
    await rejectsWith(validate([p.root.der], p.anchors), 'x5c_leaf_is_ca');
  });

  test('a self-issued impostor copying the anchor’s name and key identifier → x5c_untrusted, not x5c_signature_invalid (rule 3 (d))', async () => {
    const p = await makePath();
    const anchorKeyId = p.root.certificate.getExtension(SubjectKeyIdentifierExtension)?.keyId as string;
    // Same name, same key identifiers as the anchor, its own key: the intermediate below names it as its issuer.
    const impostor = await makeCert({ subject: 'CN=Test Root CA', issuerName: 'CN=Test Root CA', authorityKeyId: anchorKeyId, subjectKeyId: anchorKeyId, basicConstraints: { ca: true } });
    await rejectsWith(validate([...p.x5c, impostor.der], p.anchors), 'x5c_untrusted', /self-issued/);
    // Not self-issued, the same name and key identifier, the signature not the anchor's: a bad signature.
    const forged = await makeCert({ subject: 'CN=Forged CA', issuer: p.root, signWith: await generateKey(), basicConstraints: { ca: true } });
    const leaf = await makeCert({ subject: 'CN=Leaf', issuer: forged, san: [{ type: 'url', value: DEFAULT_SPIFFE_ID }] });
    await rejectsWith(validate([leaf.der, forged.der], p.anchors), 'x5c_signature_invalid', /trust anchor key/);
  });

  test('rule 2: a self-issued certificate that is not self-signed may lack the authorityKeyIdentifier too (its signature is still checked, rule 4)', async () => {
    const p = await makePath();
    const intermediate = p.intermediate as NonNullable<typeof p.intermediate>;
    // The intermediate's Name, a new key, signed by the intermediate's key, no AKI.
    const rollover = await makeCert({ subject: 'CN=Test Intermediate CA', issuer: intermediate, basicConstraints: { ca: true }, authorityKeyId: null });
    const leaf = await makeCert({ subject: 'CN=Leaf', issuer: rollover, san: [{ type: 'url', value: DEFAULT_SPIFFE_ID }] });
    assert.equal((await validate([leaf.der, rollover.der, intermediate.der], p.anchors)).identity, DEFAULT_SPIFFE_ID);
    const forged = await makeCert({ subject: 'CN=Test Intermediate CA', issuer: intermediate, basicConstraints: { ca: true }, authorityKeyId: null, signWith: await generateKey('ES256') });
    const leaf2 = await makeCert({ subject: 'CN=Leaf', issuer: forged, san: [{ type: 'url', value: DEFAULT_SPIFFE_ID }] });
    await rejectsWith(validate([leaf2.der, forged.der, intermediate.der], p.anchors), 'x5c_signature_invalid');
  });

  test('a self-issued key-rollover certificate signed by the anchor is accepted', async () => {
    const p = await makePath();
    // Same DN as the root, new key, signed by the root's key: self-issued but not self-signed.
    const rollover = await makeCert({ subject: 'CN=Test Root CA', issuer: p.root, basicConstraints: { ca: true } });
    const leaf = await makeCert({ subject: 'CN=Leaf', issuer: rollover, san: [{ type: 'url', value: DEFAULT_SPIFFE_ID }] });
    assert.equal((await validate([leaf.der, rollover.der], p.anchors)).identity, DEFAULT_SPIFFE_ID);
  });
});

describe('§7.2 rule 2: name chaining (x5c_name_chaining)', () => {
  test('issuer DN of the leaf differs from the intermediate’s subject', async () => {
    const p = await makePath({ leaf: { issuerName: 'CN=Somebody Else' } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_name_chaining', /issuer/);
  });

  test('authorityKeyIdentifier of the leaf differs from the intermediate’s SKI', async () => {
    const p = await makePath({ leaf: { authorityKeyId: '0102030405060708090a0b0c0d0e0f1011121314' } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_name_chaining', /authorityKeyIdentifier/);
  });

  test('a trailing anchor copy whose subject is not the issuer of the certificate before it', async () => {
    const p = await makePath();
    const other = await makeCert({ subject: 'CN=Other Root CA' });
    await rejectsWith(validate([...p.x5c, other.der], await loadTrustAnchors([p.root.der, other.der])), 'x5c_name_chaining', /x5c\[1\]/);
  });

  test('certificates out of order', async () => {
    const p = await makePath();
    await rejectsWith(validate([p.x5c[1] as Uint8Array, p.x5c[0] as Uint8Array], p.anchors), 'x5c_name_chaining');
  });

  test('AKI and SKI are required (RFC 5280 §4.2.1.1, §4.2.1.2), not only compared', async () => {
    const noAki = await makePath({ leaf: { authorityKeyId: null } });
    await rejectsWith(validate(noAki.x5c, noAki.anchors), 'x5c_name_chaining', /x5c\[0\].*no authorityKeyIdentifier/);
    const intermediateNoAki = await makePath({ intermediate: { authorityKeyId: null } });
    await rejectsWith(validate(intermediateNoAki.x5c, intermediateNoAki.anchors), 'x5c_name_chaining', /x5c\[1\].*no authorityKeyIdentifier/);
    const noSki = await makePath({ intermediate: { subjectKeyId: null }, leaf: { authorityKeyId: 'bb'.repeat(20) } });
    await rejectsWith(validate(noSki.x5c, noSki.anchors), 'x5c_name_chaining', /x5c\[1\].*without subjectKeyIdentifier/);
    // An anchor without SKI cannot be matched to the AKI that names it.
    const rootNoSki = await makePath({ root: { subjectKeyId: null }, intermediate: { authorityKeyId: 'aa'.repeat(20) } });
    await rejectsWith(validate(rootNoSki.x5c, rootNoSki.anchors), 'x5c_untrusted', /subjectKeyIdentifier/);
  });
});

describe('§7.2 rule 4: signatures (x5c_signature_invalid)', () => {
  test('leaf signed by a key other than the intermediate’s', async () => {
    const p = await makePath({ leaf: { signWith: await generateKey('ES256') } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_signature_invalid');
  });

  test('intermediate signed by a key other than the anchor’s', async () => {
    const p = await makePath({ intermediate: { signWith: await generateKey('ES256') } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_signature_invalid', /trust anchor/);
  });

  test('intermediate not signed by the anchor copy that ends x5c', async () => {
    const p = await makePath({ intermediate: { signWith: await generateKey('ES256') } });
    await rejectsWith(validate([...p.x5c, p.root.der], p.anchors), 'x5c_signature_invalid', /x5c\[1\]/);
  });

  test('a flipped bit in the signature', async () => {
    const p = await makePath({ root: { keyAlg: 'Ed25519' }, intermediate: { keyAlg: 'Ed25519' } });
    const tampered = flipLastByte(p.leaf.der); // last byte of the raw Ed25519 signature
    await rejectsWith(validate([tampered, ...p.x5c.slice(1)], p.anchors), 'x5c_signature_invalid');
  });

  test('a SHA-1 signature is refused even though it verifies', async () => {
    const p = await makePath({ leaf: { signatureHash: 'SHA-1' } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_signature_invalid', /SHA-1/);
  });

  test('an RSA issuer key under 2048 bits is refused', async () => {
    const p = await makePath({ intermediate: { keyAlg: 'RSA1024' } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_signature_invalid', /1024 bits/);
  });
});

describe('§7.2 rule 6: validity (x5c_expired)', () => {
  test('an expired leaf', async () => {
    const p = await makePath({ leaf: { notAfter: NOW - HOUR } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_expired', /x5c\[0\].*has expired/);
  });

  test('a not-yet-valid intermediate (same code, says so)', async () => {
    const p = await makePath({ intermediate: { notBefore: NOW + HOUR } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_expired', /x5c\[1\].*not yet valid/);
  });

  test('an expired anchor', async () => {
    const p = await makePath({ root: { notAfter: NOW - 1 } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_expired', /trust anchor.*has expired/);
  });

  test('bounds are inclusive and widened by the tolerance', async () => {
    const p = await makePath({ leaf: { notBefore: NOW - 100, notAfter: NOW + 100 } });
    const at = (now: number, clockToleranceSeconds: number) => validate(p.x5c, p.anchors, { now, clockToleranceSeconds });
    await at(NOW + 100, 0);
    await at(NOW - 100, 0);
    await at(NOW + 130, 30);
    await at(NOW - 130, 30);
    await rejectsWith(at(NOW + 101, 0), 'x5c_expired', /has expired/);
    await rejectsWith(at(NOW - 101, 0), 'x5c_expired', /not yet valid/);
    await rejectsWith(at(NOW + 131, 30), 'x5c_expired');
    await rejectsWith(at(NOW - 131, 30), 'x5c_expired');
  });
});

describe('§7.2 rule 7: CA certificates (x5c_not_ca, x5c_key_usage, x5c_path_len)', () => {
  test('an intermediate without basicConstraints → x5c_not_ca', async () => {
    const p = await makePath({ intermediate: { basicConstraints: null } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_not_ca');
  });

  test('an intermediate with cA=false → x5c_not_ca', async () => {
    const p = await makePath({ intermediate: { basicConstraints: { ca: false }, keyUsage: KeyUsageFlags.keyCertSign } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_not_ca');
  });

  test('an anchor certificate that is not a CA → x5c_not_ca', async () => {
    const p = await makePath({ root: { basicConstraints: { ca: false }, keyUsage: KeyUsageFlags.keyCertSign } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_not_ca', /trust anchor/);
  });

  test('an intermediate whose keyUsage lacks keyCertSign → x5c_key_usage', async () => {
    const p = await makePath({ intermediate: { keyUsage: KeyUsageFlags.digitalSignature | KeyUsageFlags.cRLSign } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_key_usage', /keyCertSign/);
  });

  test('an anchor whose keyUsage lacks keyCertSign → x5c_key_usage', async () => {
    const p = await makePath({ root: { keyUsage: KeyUsageFlags.cRLSign } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_key_usage', /trust anchor/);
  });

  test('a CA certificate without keyUsage → x5c_key_usage (RFC 5280 §4.2.1.3 MUST), the anchor included', async () => {
    const p = await makePath({ intermediate: { keyUsage: null } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_key_usage', /x5c\[1\].*without keyUsage/);
    const root = await makePath({ root: { keyUsage: null } });
    await rejectsWith(validate(root.x5c, root.anchors), 'x5c_key_usage', /trust anchor.*without keyUsage/);
  });

  test('anchor pathLen 0 with one intermediate → x5c_path_len', async () => {
    const ok = await makePath({ root: { basicConstraints: { ca: true, pathLength: 1 } } });
    assert.equal((await validate(ok.x5c, ok.anchors)).identity, DEFAULT_SPIFFE_ID);
    const p = await makePath({ root: { basicConstraints: { ca: true, pathLength: 0 } } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_path_len', /trust anchor/);
  });

  test('intermediate pathLen 0 with another intermediate below → x5c_path_len', async () => {
    const p = await makePath({ intermediate: { basicConstraints: { ca: true, pathLength: 0 } } });
    const lower = await makeCert({ subject: 'CN=Lower CA', issuer: p.intermediate, basicConstraints: { ca: true } });
    const leaf = await makeCert({ subject: 'CN=Leaf', issuer: lower, san: [{ type: 'url', value: DEFAULT_SPIFFE_ID }] });
    const x5c = [leaf.der, lower.der, p.intermediate?.der as Uint8Array];
    await rejectsWith(validate(x5c, p.anchors), 'x5c_path_len', /x5c\[2\]/);
  });

  test('order: the CA nearest the leaf first: x5c[1] without keyUsage below an x5c[2] that is not a CA → x5c_key_usage', async () => {
    const root = await makeCert({ subject: 'CN=Test Root CA' });
    const upper = await makeCert({ subject: 'CN=Upper CA', issuer: root, basicConstraints: { ca: true }, basicConstraintsCritical: false });
    const lower = await makeCert({ subject: 'CN=Lower CA', issuer: upper, basicConstraints: { ca: true }, keyUsage: null });
    const leaf = await makeCert({ subject: 'CN=Leaf', issuer: lower, san: [{ type: 'url', value: DEFAULT_SPIFFE_ID }] });
    await rejectsWith(validate([leaf.der, lower.der, upper.der], await loadTrustAnchors([root.der])), 'x5c_key_usage', /x5c\[1\]/);
  });

  test('order: one CA failing basicConstraints and keyUsage → x5c_not_ca (checks in the order written)', async () => {
    const p = await makePath({ intermediate: { basicConstraintsCritical: false, keyUsage: null } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_not_ca', /x5c\[1\]/);
  });

  test('order: maxPathLength is checked after every CA (rule 7 (d))', async () => {
    const p = await makePath({ root: { keyUsage: null } });
    await rejectsWith(validate(p.x5c, p.anchors, { maxPathLength: 0 }), 'x5c_key_usage', /trust anchor/);
  });

  test('self-issued intermediates do not count towards pathLen', async () => {
    const p = await makePath({ root: { basicConstraints: { ca: true, pathLength: 0 } }, intermediate: null });
    const rollover = await makeCert({ subject: 'CN=Test Root CA', issuer: p.root, basicConstraints: { ca: true } });
    const leaf = await makeCert({ subject: 'CN=Leaf', issuer: rollover, san: [{ type: 'url', value: DEFAULT_SPIFFE_ID }] });
    assert.equal((await validate([leaf.der, rollover.der], p.anchors)).identity, DEFAULT_SPIFFE_ID);
  });
});

describe('§7.2 rule 8: the leaf (x5c_leaf_is_ca, x5c_key_usage, x5c_eku)', () => {
  test('a CA leaf → x5c_leaf_is_ca', async () => {
    const p = await makePath({ leaf: { basicConstraints: { ca: true }, keyUsage: KeyUsageFlags.digitalSignature } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_leaf_is_ca');
  });

  test('a leaf keyUsage without digitalSignature → x5c_key_usage', async () => {
    const p = await makePath({ leaf: { keyUsage: KeyUsageFlags.keyAgreement } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_key_usage', /digitalSignature/);
  });

  test('an X509-SVID leaf must carry keyUsage (spiffe rule only)', async () => {
    const p = await makePath({ leaf: { keyUsage: null } });
    assert.equal((await validate(p.x5c, p.anchors)).identity, DEFAULT_SPIFFE_ID);
    await rejectsWith(validate(p.x5c, p.anchors, { identity: { type: 'spiffe' } }), 'x5c_key_usage', /X509-SVID/);
  });

  test('an X509-SVID leaf must not carry cRLSign (keyCertSign: no leaf may, RFC 5280 §4.2.1.3)', async () => {
    const p = await makePath({ leaf: { keyUsage: KeyUsageFlags.digitalSignature | KeyUsageFlags.cRLSign } });
    await rejectsWith(validate(p.x5c, p.anchors, { identity: { type: 'spiffe' } }), 'x5c_key_usage', /X509-SVID/);
    assert.equal((await validate(p.x5c, p.anchors, { identity: { type: 'uri' } })).identity, DEFAULT_SPIFFE_ID);
    const certSign = await makePath({ leaf: { keyUsage: KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign } });
    await rejectsWith(validate(certSign.x5c, certSign.anchors, { identity: { type: 'uri' } }), 'x5c_key_usage', /keyCertSign in a certificate that is not a CA/);
  });

  test('requiredEku listed by the leaf passes', async () => {
    const p = await makePath({ leaf: { extKeyUsage: [EKU_SERVER_AUTH, EKU_CLIENT_AUTH] } });
    assert.equal((await validate(p.x5c, p.anchors, { requiredEku: EKU_CLIENT_AUTH })).identity, DEFAULT_SPIFFE_ID);
  });

  test('requiredEku not listed → x5c_eku', async () => {
    const p = await makePath({ leaf: { extKeyUsage: [EKU_SERVER_AUTH] } });
    await rejectsWith(validate(p.x5c, p.anchors, { requiredEku: EKU_CLIENT_AUTH }), 'x5c_eku');
  });

  test('requiredEku with no extendedKeyUsage at all → x5c_eku', async () => {
    const p = await makePath();
    await rejectsWith(validate(p.x5c, p.anchors, { requiredEku: EKU_CLIENT_AUTH }), 'x5c_eku');
  });

  test('anyExtendedKeyUsage on the leaf does not satisfy requiredEku', async () => {
    const p = await makePath({ leaf: { extKeyUsage: [EKU_ANY] } });
    await rejectsWith(validate(p.x5c, p.anchors, { requiredEku: EKU_CLIENT_AUTH }), 'x5c_eku');
  });

  test('an intermediate whose extendedKeyUsage excludes requiredEku → x5c_eku', async () => {
    const p = await makePath({ intermediate: { extKeyUsage: [EKU_SERVER_AUTH] }, leaf: { extKeyUsage: [EKU_CLIENT_AUTH] } });
    await rejectsWith(validate(p.x5c, p.anchors, { requiredEku: EKU_CLIENT_AUTH }), 'x5c_eku', /x5c\[1\]/);
    const any = await makePath({ intermediate: { extKeyUsage: [EKU_ANY] }, leaf: { extKeyUsage: [EKU_CLIENT_AUTH] } });
    assert.equal((await validate(any.x5c, any.anchors, { requiredEku: EKU_CLIENT_AUTH })).identity, DEFAULT_SPIFFE_ID);
  });

  test('the anchor is held to requiredEku like any CA: an anchor whose extendedKeyUsage excludes it → x5c_eku', async () => {
    const p = await makePath({ root: { extKeyUsage: [EKU_SERVER_AUTH] }, leaf: { extKeyUsage: [EKU_CLIENT_AUTH] } });
    await rejectsWith(validate(p.x5c, p.anchors, { requiredEku: EKU_CLIENT_AUTH }), 'x5c_eku', /trust anchor/);
    assert.equal((await validate(p.x5c, p.anchors)).identity, DEFAULT_SPIFFE_ID);
  });
});

describe('§7.2 rule 5: critical extensions (x5c_critical_extension)', () => {
  test('an unknown critical extension on the leaf', async () => {
    const ok = await makePath({ leaf: { extraExtensions: [new Extension(UNKNOWN_OID, false, NULL_VALUE)] } });
    assert.equal((await validate(ok.x5c, ok.anchors)).identity, DEFAULT_SPIFFE_ID);
    const p = await makePath({ leaf: { extraExtensions: [new Extension(UNKNOWN_OID, true, NULL_VALUE)] } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_critical_extension', new RegExp(UNKNOWN_OID.replace(/\./g, '\\.')));
  });

  test('critical certificatePolicies on an intermediate (policies are not processed)', async () => {
    // certificatePolicies ::= SEQUENCE OF PolicyInformation; one policy: anyPolicy 2.5.29.32.0
    const anyPolicy = new Uint8Array([0x30, 0x08, 0x30, 0x06, 0x06, 0x04, 0x55, 0x1d, 0x20, 0x00]);
    const ok = await makePath({ intermediate: { extraExtensions: [new Extension('2.5.29.32', false, anyPolicy)] } });
    assert.equal((await validate(ok.x5c, ok.anchors)).identity, DEFAULT_SPIFFE_ID);
    const p = await makePath({ intermediate: { extraExtensions: [new Extension('2.5.29.32', true, anyPolicy)] } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_critical_extension', /2\.5\.29\.32/);
  });

  test('an unknown critical extension on the anchor', async () => {
    const p = await makePath({ root: { extraExtensions: [new Extension(UNKNOWN_OID, true, NULL_VALUE)] } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_critical_extension', /trust anchor/);
  });
});

describe('§7.2 rule 9: name constraints (x5c_name_constraints)', () => {
  test('URI constraint: exact host permitted, other trust domain refused', async () => {
    const root = { nameConstraints: { permitted: [uriSubtree('example.org')] } };
    const ok = await makePath({ root });
    assert.equal((await validate(ok.x5c, ok.anchors)).identity, DEFAULT_SPIFFE_ID);
    const p = await makePath({ root, leaf: { san: [{ type: 'url', value: 'spiffe://evil.org/workload' }] } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_name_constraints', /evil\.org/);
  });

  test('URI constraint without a leading dot does not match subdomains', async () => {
    const p = await makePath({ root: { nameConstraints: { permitted: [uriSubtree('example.org')] } }, leaf: { san: [{ type: 'url', value: 'spiffe://a.example.org/w' }] } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_name_constraints');
  });

  test('URI constraint with a leading dot matches subdomains only', async () => {
    const intermediate = { nameConstraints: { permitted: [uriSubtree('.example.org')] } };
    const ok = await makePath({ intermediate, leaf: { san: [{ type: 'url', value: 'https://api.example.org/x' }] } });
    assert.equal((await validate(ok.x5c, ok.anchors)).identity, 'https://api.example.org/x');
    const p = await makePath({ intermediate, leaf: { san: [{ type: 'url', value: 'https://example.org/x' }] } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_name_constraints');
  });

  test('excluded URI host', async () => {
    const p = await makePath({ intermediate: { nameConstraints: { excluded: [uriSubtree('example.org')] } } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_name_constraints', /excluded/);
  });

  test('a URI without a host under URI constraints', async () => {
    const p = await makePath({ root: { nameConstraints: { excluded: [uriSubtree('evil.org')] } }, leaf: { san: [{ type: 'url', value: 'urn:example:agent' }] } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_name_constraints', /no host/);
  });

  test('DNS constraint: the domain and its subdomains permitted, others refused', async () => {
    const intermediate = { nameConstraints: { permitted: [dnsSubtree('example.com')] } };
    for (const name of ['example.com', 'api.example.com']) {
      const ok = await makePath({ intermediate, leaf: { san: [{ type: 'dns', value: name }] } });
      assert.equal((await validate(ok.x5c, ok.anchors, { identity: { type: 'dns' } })).identity, name);
    }
    const p = await makePath({ intermediate, leaf: { san: [{ type: 'dns', value: 'notexample.com' }] } });
    await rejectsWith(validate(p.x5c, p.anchors, { identity: { type: 'dns' } }), 'x5c_name_constraints');
  });

  test('excluded DNS subtree', async () => {
    const p = await makePath({ root: { nameConstraints: { excluded: [dnsSubtree('internal.example.com')] } }, leaf: { san: [{ type: 'dns', value: 'db.internal.example.com' }] } });
    await rejectsWith(validate(p.x5c, p.anchors, { identity: { type: 'dns' } }), 'x5c_name_constraints', /excluded/);
  });

  test('an anchor’s constraints bind the intermediate’s own subjectAltName too', async () => {
    const p = await makePath({
      root: { nameConstraints: { permitted: [uriSubtree('example.org')] } },
      intermediate: { san: [{ type: 'url', value: 'spiffe://evil.org' }] },
    });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_name_constraints', /x5c\[1\]/);
  });

  test('self-issued intermediates are exempt, the leaf below them is not (RFC 5280 §6.1.3 (b))', async () => {
    const p = await makePath({ root: { nameConstraints: { permitted: [uriSubtree('example.org')] } }, intermediate: null });
    // A key-rollover certificate (self-issued) carrying a name outside the permitted subtree.
    const rollover = await makeCert({ subject: 'CN=Test Root CA', issuer: p.root, basicConstraints: { ca: true }, san: [{ type: 'url', value: 'spiffe://elsewhere.org' }] });
    const leaf = await makeCert({ subject: 'CN=Leaf', issuer: rollover, san: [{ type: 'url', value: DEFAULT_SPIFFE_ID }] });
    assert.equal((await validate([leaf.der, rollover.der], p.anchors)).identity, DEFAULT_SPIFFE_ID);
    const outside = await makeCert({ subject: 'CN=Leaf', issuer: rollover, san: [{ type: 'url', value: 'spiffe://elsewhere.org/w' }] });
    await rejectsWith(validate([outside.der, rollover.der], p.anchors), 'x5c_name_constraints', /x5c\[0\]/);
  });

  test('a self-issued intermediate’s own nameConstraints apply below it (rule 9 (c))', async () => {
    const p = await makePath({ intermediate: null });
    const rollover = await makeCert({ subject: 'CN=Test Root CA', issuer: p.root, basicConstraints: { ca: true }, nameConstraints: { permitted: [uriSubtree('other.org')] } });
    const leaf = await makeCert({ subject: 'CN=Leaf', issuer: rollover, san: [{ type: 'url', value: DEFAULT_SPIFFE_ID }] });
    await rejectsWith(validate([leaf.der, rollover.der], p.anchors), 'x5c_name_constraints', /x5c\[0\].*outside the permitted/);
  });

  test('an empty URI constraint is invalid, permitted or excluded, whatever names lie below (rule 9 (b))', async () => {
    for (const nameConstraints of [{ permitted: [uriSubtree('')] }, { excluded: [uriSubtree('')] }, { permitted: [uriSubtree('example.org'), uriSubtree('')] }]) {
      const p = await makePath({ intermediate: { nameConstraints } });
      await rejectsWith(validate(p.x5c, p.anchors), 'x5c_name_constraints', /invalid URI constraint ""/);
      // A leaf with no URI name at all: the CA's constraints are unreadable, so no path passes it.
      const dns = await makePath({ intermediate: { nameConstraints }, leaf: { san: [{ type: 'dns', value: 'svc.example.org' }] } });
      await rejectsWith(validate(dns.x5c, dns.anchors, { identity: { type: 'dns' } }), 'x5c_name_constraints', /invalid URI constraint/);
    }
  });

  test('a URI constraint is a fully qualified domain name: no scheme, userinfo, port, path, IP address or trailing period (rule 9 (b))', async () => {
    const ok = await makePath({ intermediate: { nameConstraints: { permitted: [uriSubtree('example.org'), uriSubtree('.example.net'), uriSubtree('a1.example.com')] } } });
    assert.equal((await validate(ok.x5c, ok.anchors)).identity, DEFAULT_SPIFFE_ID);
    for (const bad of ['example.org:443', 'user@example.org', 'spiffe://example.org', 'example.org/ns', '192.0.2.1', '127.1', '.10.0.0.1', '[2001:db8::1]', 'example.org.', '..example.org']) {
      const p = await makePath({ intermediate: { nameConstraints: { permitted: [uriSubtree('example.org'), uriSubtree(bad)] } } });
      await rejectsWith(validate(p.x5c, p.anchors), 'x5c_name_constraints', /invalid URI constraint/);
    }
  });

  test('an empty list of permitted subtrees beside excluded ones fails closed (rule 9 (b))', async () => {
    const p = await makePath({ intermediate: { nameConstraints: { permitted: [], excluded: [uriSubtree('evil.org')] } } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_name_constraints', /empty list of subtrees/);
  });

  test('a URI whose host is an IPv4 address in any spelling cannot be checked (rule 9 (d))', async () => {
    for (const uri of ['https://127.1/x', 'https://2130706433/x', 'https://10.0.0.1/x']) {
      const p = await makePath({ intermediate: { nameConstraints: { excluded: [uriSubtree('evil.org')] } }, leaf: { san: [{ type: 'url', value: uri }] } });
      await rejectsWith(validate(p.x5c, p.anchors), 'x5c_name_constraints', /no host/);
    }
  });

  test('constraints restrict only their own name form (RFC 5280 §4.2.1.10)', async () => {
    const p = await makePath({ root: { nameConstraints: { permitted: [dnsSubtree('example.com')] } } });
    assert.equal((await validate(p.x5c, p.anchors)).identity, DEFAULT_SPIFFE_ID);
  });

  test('an unsupported constraint form fails closed, critical or not', async () => {
    for (const critical of [true, false]) {
      const p = await makePath({ root: { nameConstraints: { permitted: [new GeneralName({ rfc822Name: 'example.org' })], critical } } });
      await rejectsWith(validate(p.x5c, p.anchors), 'x5c_name_constraints', critical ? /rfc822Name/ : /not critical/);
    }
  });

  test('subtrees with a non-zero minimum fail closed', async () => {
    const p = await makePath({ root: { nameConstraints: { permitted: [uriSubtree('example.org')], minimum: 1 } } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_name_constraints', /minimum/);
  });
});

describe('§7.2 rule 10: identity (x5c_identity_mismatch)', () => {
  test('uri: exactly one URI SAN', async () => {
    const two = await makePath({ leaf: { san: [{ type: 'url', value: 'https://a.example' }, { type: 'url', value: 'https://b.example' }] } });
    await rejectsWith(validate(two.x5c, two.anchors), 'x5c_identity_mismatch', /exactly one URI/);
    const none = await makePath({ leaf: { san: [{ type: 'dns', value: 'a.example' }] } });
    await rejectsWith(validate(none.x5c, none.anchors), 'x5c_identity_mismatch', /found 0/);
  });

  test('the subject CN is never the identity', async () => {
    const p = await makePath({ leaf: { subject: `CN=${'https://a.example'}`, san: undefined } });
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_identity_mismatch', /no subjectAltName/);
  });

  test('spiffe: a valid SPIFFE ID, trust domain enforced when configured', async () => {
    const p = await makePath();
    assert.equal((await validate(p.x5c, p.anchors, { identity: { type: 'spiffe', trustDomain: 'example.org' } })).identityType, 'spiffe');
    await rejectsWith(validate(p.x5c, p.anchors, { identity: { type: 'spiffe', trustDomain: 'example.com' } }), 'x5c_identity_mismatch', /trust domain/);
  });

  test('spiffe: an invalid SPIFFE ID', async () => {
    for (const value of ['https://example.org/workload', 'spiffe://Example.org/w', 'spiffe://example.org/a/../b', 'spiffe://example.org/w/', 'spiffe://u@example.org/w']) {
      const p = await makePath({ leaf: { san: [{ type: 'url', value }] } });
      await rejectsWith(validate(p.x5c, p.anchors, { identity: { type: 'spiffe' } }), 'x5c_identity_mismatch', /not a valid SPIFFE ID/);
    }
  });

  test('dns: exactly one DNS SAN, lower-cased', async () => {
    const one = await makePath({ leaf: { san: [{ type: 'dns', value: 'Agent.Example.com' }, { type: 'url', value: DEFAULT_SPIFFE_ID }] } });
    assert.equal((await validate(one.x5c, one.anchors, { identity: { type: 'dns' } })).identity, 'agent.example.com');
    const two = await makePath({ leaf: { san: [{ type: 'dns', value: 'a.example.com' }, { type: 'dns', value: 'b.example.com' }] } });
    await rejectsWith(validate(two.x5c, two.anchors, { identity: { type: 'dns' } }), 'x5c_identity_mismatch', /exactly one dNSName/);
    const none = await makePath();
    await rejectsWith(validate(none.x5c, none.anchors, { identity: { type: 'dns' } }), 'x5c_identity_mismatch');
  });

  test('assertIdentity compares the leaf identity with the link issuer', async () => {
    const p = await makePath();
    const path = await validate(p.x5c, p.anchors);
    assertIdentity(path, DEFAULT_SPIFFE_ID);
    assert.throws(() => assertIdentity(path, 'spiffe://example.org/other'), (e: unknown) => e instanceof TransitiveProofError && e.code === 'x5c_identity_mismatch');
    const dns = await makePath({ leaf: { san: [{ type: 'dns', value: 'agent.example.com' }] } });
    const dnsPath = await validate(dns.x5c, dns.anchors, { identity: { type: 'dns' } });
    assertIdentity(dnsPath, 'Agent.Example.COM');
    assert.throws(() => assertIdentity(dnsPath, 'other.example.com'), (e: unknown) => e instanceof TransitiveProofError && e.code === 'x5c_identity_mismatch');
  });
});

describe('options and trust anchors', () => {
  test('bad options are invalid_argument, not an x5c error', async () => {
    const p = await makePath();
    const bad: Record<string, unknown>[] = [
      { anchors: [] },
      { anchors: [{ der: p.root.der, fingerprintS256: 'x', subject: 'CN=Test Root CA' }] },
      { now: Number.NaN },
      { clockToleranceSeconds: -1 },
      { maxCertificates: 0 },
      { maxCertificates: 11 },
      { maxCertificateBytes: 1.5 },
      { requiredEku: 'clientAuth' },
      { identity: { type: 'cn' } },
      { identity: { type: 'spiffe', trustDomain: 'Bad Domain' } },
      { cache: new Map() },
    ];
    for (const override of bad) {
      await rejectsWith(validate(p.x5c, p.anchors, override), 'invalid_argument');
    }
  });

  test('loadTrustAnchors reads DER, base64, base64url and PEM bundles, and dedupes', async () => {
    const a = await makePath();
    const b = await makePath();
    const pem = `${a.root.certificate.toString('pem')}\n${b.root.certificate.toString('pem')}\n`;
    const anchors = await loadTrustAnchors([pem, a.root.der, Buffer.from(b.root.der).toString('base64'), Buffer.from(a.root.der).toString('base64url')]);
    assert.equal(anchors.length, 2);
    assert.equal((await validate(a.x5c, anchors)).identity, DEFAULT_SPIFFE_ID);
    assert.equal((await validate(b.x5c, anchors)).identity, DEFAULT_SPIFFE_ID);
  });

  test('loadTrustAnchors rejects garbage and an empty set with invalid_argument', async () => {
    for (const input of [[], ['not base64!'], [new Uint8Array([1, 2, 3])], ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'], [42]]) {
      await assert.rejects(loadTrustAnchors(input as (Uint8Array | string)[]), (e: unknown) => e instanceof TransitiveProofError && e.code === 'invalid_argument');
    }
  });

  test('the anchor bytes handed out cannot alter the configured anchor', async () => {
    // The root copy ending x5c must still be recognised as the anchor after the caller scribbles
    // over TrustAnchor.der; were it not, it would be validated as an intermediate and listed twice.
    const p = await makePath({ intermediate: null });
    (p.anchors[0] as { der: Uint8Array }).der.fill(0);
    assert.deepEqual((await validate([p.leaf.der, p.root.der], p.anchors)).subjects, ['CN=Test Leaf', 'CN=Test Root CA']);
  });

  test('validation with a cache option accepts a PathCache', async () => {
    const p = await makePath();
    const result = await validateCertificatePath(p.x5c, { anchors: p.anchors, now: NOW, clockToleranceSeconds: 0, identity: { type: 'uri' }, cache: new PathCache() });
    assert.equal(result.identity, DEFAULT_SPIFFE_ID);
  });
});
