/**
 * The object that enables X.509-identified signers in a verifier:
 * `createVerifier(trust, { x509: x509Support })` or `compileTrust(config, { x509: x509Support })`.
 * Passed explicitly, so that only programs that use certificates load the ASN.1 schemas
 * (@peculiar/asn1-x509, asn1js).
 */
import type { X509Support } from '../ports.js';
import { loadTrustAnchors } from './anchors.js';
import { PathCache } from './cache.js';
import { assertIdentity } from './identity.js';
import { validateCertificatePath } from './path.js';

export const x509Support: X509Support = Object.freeze({
  loadTrustAnchors,
  createPathCache: () => new PathCache(),
  validateCertificatePath,
  assertIdentity,
});
