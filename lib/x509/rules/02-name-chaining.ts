/** SPEC-NOTES.md §7.2 rule 2, name chaining: each certificate names the next as its issuer and its key. */
import { X509Error, quoted } from '../../errors.js';
import { bytesEqual } from '../bytes.js';
import type { ParsedCertificate } from '../certificate.js';
import type { ReceivedPath } from '../candidate-path.js';

/**
 * x5c[i] names x5c[i+1] as its issuer and its key. RFC 5280 §4.2.1.1 and §4.2.1.2: every issued
 * certificate carries an authorityKeyIdentifier keyIdentifier and every CA certificate a
 * subjectKeyIdentifier, so the two are required and must be equal. Only a self-issued certificate (a
 * self-signed one MAY omit it) and a trailing copy of an anchor (which is the anchor, rule 3) may
 * lack the authorityKeyIdentifier.
 */
export function checkNameChaining(path: ReceivedPath): void {
  const { certs, label } = path;
  for (let i = 0; i + 1 < certs.length; i++) {
    const child = certs[i] as ParsedCertificate;
    const parent = certs[i + 1] as ParsedCertificate;
    if (!bytesEqual(child.issuerDer, parent.subjectDer)) {
      throw new X509Error('x5c_name_chaining', `${label(i)}: issuer ${quoted(child.issuer)} is not the subject of x5c[${i + 1}]`);
    }
    if (child.authorityKeyId === undefined && !child.selfIssued) throw new X509Error('x5c_name_chaining', `${label(i)}: no authorityKeyIdentifier keyIdentifier`);
    if (parent.subjectKeyId === undefined) throw new X509Error('x5c_name_chaining', `${label(i + 1)}: a CA certificate without subjectKeyIdentifier`);
    if (child.authorityKeyId !== undefined && child.authorityKeyId !== parent.subjectKeyId) {
      throw new X509Error('x5c_name_chaining', `${label(i)}: authorityKeyIdentifier does not match the subjectKeyIdentifier of x5c[${i + 1}]`);
    }
  }
  const last = certs[certs.length - 1] as ParsedCertificate;
  if (path.anchorCopy === undefined && last.authorityKeyId === undefined && !last.selfIssued) {
    throw new X509Error('x5c_name_chaining', `${label(certs.length - 1)}: no authorityKeyIdentifier keyIdentifier`);
  }
}
