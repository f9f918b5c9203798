/**
 * The demo PKI (lib/x509/issue.ts) issues paths the validator accepts, for every key algorithm.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { TransitiveProofError } from '../../lib/errors.js';
import { loadTrustAnchors, validateCertificatePath } from '../../lib/x509/index.js';
import { CERTIFICATE_KEY_ALGORITHMS, createCertificateAuthority, createIntermediate, createLeaf, type CertificateKeyAlgorithm } from '../../lib/x509/issue.js';
import { X509Certificate } from '../../lib/x509/peculiar.js';
import { NOW, rejectsWith } from './pki.js';

const validity = { notBefore: NOW - 3600, notAfter: NOW + 86_400 };

const EXPECTED_ALGORITHMS: Record<CertificateKeyAlgorithm, string[]> = {
  Ed25519: ['EdDSA', 'Ed25519'],
  ES256: ['ES256', 'ESP256'],
  ES384: ['ES384'],
  PS256: ['PS256'],
};

const SIGN: Record<CertificateKeyAlgorithm, { import: webcrypto.Algorithm | webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams; sign: webcrypto.Algorithm }> = {
  Ed25519: { import: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
  ES256: { import: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } as webcrypto.EcdsaParams },
  ES384: { import: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } as webcrypto.EcdsaParams },
  PS256: { import: { name: 'RSA-PSS', hash: 'SHA-256' }, sign: { name: 'RSA-PSS', saltLength: 32 } as webcrypto.RsaPssParams },
};

describe('demo PKI', () => {
  for (const keyAlg of CERTIFICATE_KEY_ALGORITHMS) {
    test(`${keyAlg}: CA → intermediate → SPIFFE leaf validates, and the leaf private JWK matches the reported key`, async () => {
      const ca = await createCertificateAuthority({ subject: `CN=Demo Root ${keyAlg}`, keyAlg, pathLength: 1, ...validity });
      const intermediate = await createIntermediate({ subject: 'CN=Demo Intermediate', issuer: ca, keyAlg, pathLength: 0, ...validity });
      const leaf = await createLeaf({ spiffeId: 'spiffe://example.org/agent', issuer: intermediate, keyAlg, ...validity });
      const result = await validateCertificatePath([leaf.certificate, intermediate.certificate], {
        anchors: await loadTrustAnchors([ca.pem]),
        now: NOW,
        clockToleranceSeconds: 0,
        identity: { type: 'spiffe', trustDomain: 'example.org' },
      });
      assert.equal(result.identity, 'spiffe://example.org/agent');
      assert.deepEqual(result.leafKeyAlgorithms, EXPECTED_ALGORITHMS[keyAlg]);
      assert.deepEqual(result.leafPublicJwk, leaf.publicJwk);
      assert.equal(result.subjects.at(-1), `CN=Demo Root ${keyAlg}`);
      // A signature by the issued private key verifies under the key the validator reports.
      const { import: importAlg, sign } = SIGN[keyAlg];
      const data = new TextEncoder().encode('link bytes');
      const privateKey = await webcrypto.subtle.importKey('jwk', leaf.privateJwk, importAlg, false, ['sign']);
      const publicKey = await webcrypto.subtle.importKey('jwk', result.leafPublicJwk, importAlg, false, ['verify']);
      assert.ok(await webcrypto.subtle.verify(sign, publicKey, await webcrypto.subtle.sign(sign, privateKey, data), data));
    });
  }

  test('uri and dns leaves, EKU, and mixed key algorithms', async () => {
    const ca = await createCertificateAuthority({ subject: 'CN=Demo Root', keyAlg: 'PS256', ...validity });
    const anchors = await loadTrustAnchors([ca.certificate]);
    const uriLeaf = await createLeaf({ uri: 'https://agent.example.com', issuer: ca, keyAlg: 'Ed25519', extKeyUsage: ['1.3.6.1.5.5.7.3.2'], ...validity });
    const byUri = await validateCertificatePath([uriLeaf.certificate], { anchors, now: NOW, clockToleranceSeconds: 0, identity: { type: 'uri' }, requiredEku: '1.3.6.1.5.5.7.3.2' });
    assert.equal(byUri.identity, 'https://agent.example.com');
    const dnsLeaf = await createLeaf({ dns: 'agent.example.com', issuer: ca, subject: 'CN=agent', ...validity });
    const byDns = await validateCertificatePath([dnsLeaf.certificate], { anchors, now: NOW, clockToleranceSeconds: 0, identity: { type: 'dns' } });
    assert.equal(byDns.identity, 'agent.example.com');
  });

  test('name constraints given to the CA are enforced on its leaves', async () => {
    const ca = await createCertificateAuthority({ subject: 'CN=Constrained Root', nameConstraints: { permitted: [{ uri: 'example.org' }] }, ...validity });
    const anchors = await loadTrustAnchors([ca.pem]);
    const options = { anchors, now: NOW, clockToleranceSeconds: 0, identity: { type: 'spiffe' as const } };
    const inside = await createLeaf({ spiffeId: 'spiffe://example.org/a', issuer: ca, ...validity });
    assert.equal((await validateCertificatePath([inside.certificate], options)).identity, 'spiffe://example.org/a');
    const outside = await createLeaf({ spiffeId: 'spiffe://other.org/a', issuer: ca, ...validity });
    await rejectsWith(validateCertificatePath([outside.certificate], options), 'x5c_name_constraints');
  });

  test('PEM output is the DER certificate', async () => {
    const ca = await createCertificateAuthority({ subject: 'CN=Demo Root', ...validity });
    const body = ca.pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
    assert.deepEqual(new Uint8Array(Buffer.from(body, 'base64')), ca.certificate);
    assert.equal(ca.subject, 'CN=Demo Root');
    assert.equal(typeof ca.privateJwk.d, 'string');
    assert.equal(ca.publicJwk.d, undefined);
  });

  test('a given serial number is used; the default one is positive and 16 bytes', async () => {
    const given = await createCertificateAuthority({ subject: 'CN=Demo Root', serialNumber: '0a1b', ...validity });
    assert.equal(new X509Certificate(given.certificate).serialNumber, '0a1b');
    const derived = new X509Certificate((await createCertificateAuthority({ subject: 'CN=Demo Root', ...validity })).certificate).serialNumber;
    assert.match(derived, /^[4-7][0-9a-f]{31}$/);
  });

  test('bad arguments are invalid_argument', async () => {
    const ca = await createCertificateAuthority({ subject: 'CN=Demo Root', ...validity });
    const attempts: (() => Promise<unknown>)[] = [
      () => createCertificateAuthority({ subject: 'CN=x', notBefore: NOW, notAfter: NOW }),
      () => createCertificateAuthority({ subject: 'CN=x', keyAlg: 'RS256' as CertificateKeyAlgorithm, ...validity }),
      () => createCertificateAuthority({ subject: 'CN=x', pathLength: -1, ...validity }),
      () => createCertificateAuthority({ subject: 'CN=x', serialNumber: '00', ...validity }),
      () => createCertificateAuthority({ subject: '', ...validity }),
      () => createLeaf({ spiffeId: 'spiffe://Example.org/a', issuer: ca, ...validity }),
      () => createLeaf({ spiffeId: 'spiffe://example.org/a', uri: 'https://x', issuer: ca, ...validity } as never),
      () => createLeaf({ issuer: ca, ...validity } as never),
    ];
    for (const attempt of attempts) {
      await assert.rejects(attempt(), (e: unknown) => e instanceof TransitiveProofError && e.code === 'invalid_argument');
    }
  });
});
