/**
 * What `x509Support` (lib/rules/x509-support.ts, the object that enables X.509-identified signers in
 * a verifier) has from this folder: the configuration's X.509 validators and path validation.
 * Passed explicitly, so that only programs that use certificates load the ASN.1 schemas
 * (@peculiar/asn1-x509, asn1js) and the validators of the configuration's X.509 sections.
 */
import { assertTrustSection, type SchemaValidator } from '../model/schemas.js';
import { certificateProfile, x509Root } from '../model/x509-validators.generated.js';
import type { X509Support, X509TrustSections } from '../ports.js';
import { loadTrustAnchors } from './anchors.js';
import { PathCache } from './cache.js';
import { assertIdentity } from './identity.js';
import { validateCertificatePath } from './path.js';

export const x509PathSupport: Omit<X509Support, 'resolveRootSigner' | 'resolveDelegateSigner'> = Object.freeze({
  configValidators: Object.freeze({ x509Root: x509Root as SchemaValidator, certificateProfile: certificateProfile as SchemaValidator }),
  assertTrustConfig,
  compileCertificateProfile: async (profile, narrow) => ({
    anchors: profile.anchors,
    trustAnchors: await loadTrustAnchors(profile.anchors),
    identity: profile.identity,
    ...(profile.requiredEku === undefined ? {} : { requiredEku: profile.requiredEku }),
    algorithms: narrow(profile.algorithms),
  }),
  createPathCache: () => new PathCache(),
  validateCertificatePath,
  assertIdentity,
});

/** The configuration's X.509 sections against their validators: the x509 roots in order, then `delegateCertificates`. */
function assertTrustConfig({ roots, delegateCertificates }: X509TrustSections): void {
  roots.forEach((root, i) => {
    if (root.type === 'x509') assertTrustSection(x509Root as SchemaValidator, root, `/roots/${i}`);
  });
  if (delegateCertificates !== undefined) assertTrustSection(certificateProfile as SchemaValidator, delegateCertificates, '/delegateCertificates');
}
