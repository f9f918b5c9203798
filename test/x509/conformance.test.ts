/**
 * External conformance data (never copied into the repository): the directory comes from
 * TPROOF_CONFORMANCE_DIR, else <repository root>/../shared/conformance. Tests skip with a message
 * when it is absent.
 *
 * There is no X.509 path-validation suite there yet; the COSE working group examples ship a real
 * two-certificate PKI (x509-examples/: ca.der, a self-signed P-256 CA, and alice.der, an end-entity
 * certificate it issued), made with GnuTLS certtool rather than our generator. `openssl x509 -text`:
 *   ca.der    CN=Sample COSE Certificate Authority, self-signed, 2020-12-02T17:23:32Z..2053-10-10T17:23:32Z,
 *             basicConstraints critical cA:TRUE, keyUsage critical keyCertSign+cRLSign, SKI 1E:6F:...
 *   alice.der CN=Alice Lovelace, issuer the CA, 2020-12-02T17:27:25Z..2053-10-10T17:27:25Z,
 *             basicConstraints critical cA:FALSE, keyUsage critical digitalSignature, SKI, AKI = CA's SKI,
 *             NO subjectAltName, no extendedKeyUsage.
 * So every structural rule passes, and the identity rule must fail: the only name is the subject CN,
 * which is never an identity. Because the rules run in a fixed order with identity last,
 * `x5c_identity_mismatch` shows that all earlier rules (chaining, signature, validity, CA and leaf
 * constraints, critical extensions) accepted the path.
 */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, webcrypto } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTrustAnchors, validateCertificatePath, type TrustAnchor, type X509PathOptions } from '../../lib/x509/index.js';
import { X509Certificate, webCrypto } from '../../lib/x509/peculiar.js';
import { flipLastByte, makeCert, makePath, rejectsWith, type TestCert } from './pki.js';
import { conformanceDir as conformanceDirectory } from '../helpers/repo.js';


const conformanceDir = conformanceDirectory();
const x509Examples = join(conformanceDir, 'cose-wg-examples', 'x509-examples');
const SKIP = `COSE WG x509-examples not found at ${x509Examples}: set TPROOF_CONFORMANCE_DIR`;

/** 2030-01-01T00:00:00Z, inside both certificates' validity. */
const INSIDE = Date.UTC(2030, 0, 1) / 1000;
const CA_NOT_BEFORE = Date.UTC(2020, 11, 2, 17, 23, 32) / 1000;
const ALICE_NOT_BEFORE = Date.UTC(2020, 11, 2, 17, 27, 25) / 1000;
const CA_NOT_AFTER = Date.UTC(2053, 9, 10, 17, 23, 32) / 1000;
const ALICE_NOT_AFTER = Date.UTC(2053, 9, 10, 17, 27, 25) / 1000;

async function load(t: TestContext): Promise<{ alice: Uint8Array; ca: Uint8Array; anchors: TrustAnchor[] } | undefined> {
  if (!existsSync(join(x509Examples, 'alice.der')) || !existsSync(join(x509Examples, 'ca.der'))) {
    t.skip(SKIP);
    return undefined;
  }
  const alice = new Uint8Array(readFileSync(join(x509Examples, 'alice.der')));
  const ca = new Uint8Array(readFileSync(join(x509Examples, 'ca.der')));
  return { alice, ca, anchors: await loadTrustAnchors([ca]) };
}

function options(anchors: TrustAnchor[], extra: Partial<X509PathOptions> = {}): X509PathOptions {
  return { anchors, now: INSIDE, clockToleranceSeconds: 0, identity: { type: 'uri' }, ...extra };
}

describe('conformance: COSE WG x509-examples (alice.der issued by ca.der)', () => {
  test('the path passes every structural rule and fails identity: alice has no subjectAltName', async (t) => {
    const data = await load(t);
    if (data === undefined) return;
    for (const identity of [{ type: 'uri' as const }, { type: 'spiffe' as const }, { type: 'dns' as const }]) {
      await rejectsWith(validateCertificatePath([data.alice], options(data.anchors, { identity })), 'x5c_identity_mismatch', /no subjectAltName/);
    }
    // The same with the anchor appended to x5c, as senders often do.
    await rejectsWith(validateCertificatePath([data.alice, data.ca], options(data.anchors)), 'x5c_identity_mismatch');
  });

  test('the validity windows are read from the certificates (UTCTime and GeneralizedTime)', async (t) => {
    const data = await load(t);
    if (data === undefined) return;
    // notAfter 2053 is encoded as GeneralizedTime, notBefore 2020 as UTCTime. The CA expires four
    // minutes before alice: from then on the path is invalid although alice itself is not.
    await rejectsWith(validateCertificatePath([data.alice], options(data.anchors, { now: CA_NOT_AFTER })), 'x5c_identity_mismatch');
    await rejectsWith(validateCertificatePath([data.alice], options(data.anchors, { now: CA_NOT_AFTER + 1 })), 'x5c_expired', /trust anchor.*has expired/);
    await rejectsWith(validateCertificatePath([data.alice], options(data.anchors, { now: ALICE_NOT_AFTER + 1 })), 'x5c_expired', /x5c\[0\].*has expired/);
    await rejectsWith(validateCertificatePath([data.alice], options(data.anchors, { now: ALICE_NOT_BEFORE })), 'x5c_identity_mismatch');
    await rejectsWith(validateCertificatePath([data.alice], options(data.anchors, { now: ALICE_NOT_BEFORE - 1 })), 'x5c_expired', /not yet valid/);
    // Alice's notBefore is later than the CA's, so before the CA's the leaf fails first.
    await rejectsWith(validateCertificatePath([data.alice], options(data.anchors, { now: CA_NOT_BEFORE - 1 })), 'x5c_expired', /x5c\[0\]/);
  });

  test('no extendedKeyUsage: a required EKU fails before identity', async (t) => {
    const data = await load(t);
    if (data === undefined) return;
    await rejectsWith(validateCertificatePath([data.alice], options(data.anchors, { requiredEku: '1.3.6.1.5.5.7.3.2' })), 'x5c_eku');
  });

  test('a flipped bit in alice’s ECDSA signature → x5c_signature_invalid', async (t) => {
    const data = await load(t);
    if (data === undefined) return;
    const tampered = flipLastByte(data.alice); // last byte of the ECDSA s INTEGER: still DER, wrong value
    await rejectsWith(validateCertificatePath([tampered], options(data.anchors)), 'x5c_signature_invalid');
  });

  test('alice under another anchor → x5c_untrusted; the CA itself as a leaf → x5c_leaf_is_ca', async (t) => {
    const data = await load(t);
    if (data === undefined) return;
    const other = await makePath();
    await rejectsWith(validateCertificatePath([data.alice], options(other.anchors)), 'x5c_untrusted');
    await rejectsWith(validateCertificatePath([data.ca], options(data.anchors)), 'x5c_leaf_is_ca');
  });

  test('a leaf we issue under the published CA key validates against ca.der', async (t) => {
    const data = await load(t);
    if (data === undefined) return;
    const ca = await externalIssuer(data.ca, 'ca.key');
    const leaf = await makeCert({ subject: 'CN=Agent', issuer: ca, notBefore: INSIDE - 3600, notAfter: INSIDE + 3600, san: [{ type: 'url', value: 'spiffe://example.org/agent' }] });
    const result = await validateCertificatePath([leaf.der], options(data.anchors, { identity: { type: 'spiffe' } }));
    assert.equal(result.identity, 'spiffe://example.org/agent');
    assert.deepEqual(result.subjects, ['CN=Agent', 'CN=Sample COSE Certificate Authority']);
  });

  test('alice (cA:FALSE, keyUsage digitalSignature only) cannot act as an intermediate → x5c_not_ca', async (t) => {
    const data = await load(t);
    if (data === undefined) return;
    const alice = await externalIssuer(data.alice, 'alice.key');
    const leaf = await makeCert({ subject: 'CN=Agent', issuer: alice, notBefore: INSIDE - 3600, notAfter: INSIDE + 3600, san: [{ type: 'url', value: 'spiffe://example.org/agent' }] });
    await rejectsWith(validateCertificatePath([leaf.der, data.alice], options(data.anchors)), 'x5c_not_ca', /x5c\[1\]/);
  });
});

/** A TestCert for an external certificate whose SEC1 PEM private key sits beside it. */
async function externalIssuer(der: Uint8Array, keyFile: string): Promise<TestCert> {
  const pkcs8 = createPrivateKey(readFileSync(join(x509Examples, keyFile))).export({ format: 'der', type: 'pkcs8' });
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const certificate = new X509Certificate(der);
  const publicKey = (await certificate.publicKey.export(webCrypto)) as unknown as webcrypto.CryptoKey;
  return { der, subject: certificate.subject, certificate, key: { alg: 'ES256', keys: { privateKey, publicKey } } };
}
