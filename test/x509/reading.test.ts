/**
 * lib/x509 reads certificates with the ASN.1 schemas alone (issue #27: /x509 no longer loads
 * @peculiar/x509). What it reads must be what @peculiar/x509 reads from the same bytes, which these
 * tests use as the oracle: names as text, the signature algorithm, the key's algorithm.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name as NameSchema } from '@peculiar/asn1-x509';
import { parseCertificate } from '../../lib/x509/certificate.js';
import { formatName } from '../../lib/x509/name.js';
import { CERTIFICATE_KEY_ALGORITHMS, createCertificateAuthority, createLeaf } from '../../lib/x509/issue.js';
import { Name, X509Certificate } from '../../lib/x509/peculiar.js';
import { NOW } from './pki.js';

const validity = { notBefore: NOW - 3600, notAfter: NOW + 86_400 };

describe('reading certificates without @peculiar/x509', () => {
  test('a distinguished name prints as @peculiar/x509 prints it (RFC 4514 escapes, multi-valued RDNs, unnamed types, non-string values)', () => {
    const names = [
      'CN=Test Leaf',
      'CN=Leaf, OU=Unit, O=Org, L=Town, ST=State, C=DE',
      'CN=a\\,b, O=x\\+y',
      'CN=\\#hash, O=trailing\\ ',
      'CN=quote\\"d\\<\\>\\;\\\\',
      'CN=multi+OU=valued, O=rdn',
      'E=a@example.org, DC=example, DC=org',
      'G=Given+SN=Surname+T=Title+I=I',
      '2.5.4.5=serial-number, CN=x',
      '2.5.4.3=#0c03616263',
      'CN=ünïcödé',
    ];
    for (const text of names) {
      const der = new Name(text).toArrayBuffer();
      assert.equal(formatName(AsnConvert.parse(der, NameSchema)), new Name(der).toString(), text);
    }
  });

  test('a control character in a value is written as \\XX', () => {
    const der = new Name([{ CN: ['a\nb\tc'] }]).toArrayBuffer();
    assert.equal(formatName(AsnConvert.parse(der, NameSchema)), 'CN=a\\0Ab\\09c');
  });

  for (const keyAlg of CERTIFICATE_KEY_ALGORITHMS) {
    test(`${keyAlg}: subject, issuer, validity, signature algorithm and key algorithm as @peculiar/x509 reads them`, async () => {
      const ca = await createCertificateAuthority({ subject: `CN=Reading Root ${keyAlg}, O=Example`, keyAlg, ...validity });
      const leaf = await createLeaf({ uri: 'https://leaf.example', issuer: ca, keyAlg, ...validity });
      for (const der of [ca.certificate, leaf.certificate]) {
        const ours = parseCertificate(der, 'x');
        const theirs = new X509Certificate(der);
        assert.equal(ours.subject, theirs.subject);
        assert.equal(ours.issuer, theirs.issuer);
        assert.equal(ours.notBefore, theirs.notBefore.getTime() / 1000);
        assert.equal(ours.notAfter, theirs.notAfter.getTime() / 1000);
        assert.deepEqual({ ...ours.signatureAlgorithm }, { ...theirs.signatureAlgorithm });
        const { publicExponent: _e, ...theirKey } = theirs.publicKey.algorithm as unknown as Record<string, unknown>;
        assert.deepEqual({ ...ours.publicKey.algorithm }, theirKey);
      }
    });
  }
});
