/**
 * Step 6 for signers identified by an X.509 chain carried in the link (`x5c` / `x5chain`),
 * validated to configured anchors (SPEC-NOTES.md §7). Path validation itself is lib/x509/.
 * Link 0's certificate validates against the anchors of the x509 roots that claim it; a
 * certificate-named delegate against `delegateCertificates` only, so enabling certificate
 * delegates never makes a delegate's certificate a root, nor a root's anchors a delegate's.
 */
import { atLink, LinkError, TransitiveProofError, X509Error } from '../errors.js';
import type { CertificateProfile, CertificateSigner, CertificateSignerContext, DecodedLink, ValidatedPath } from '../ports.js';
import type { LinkClaims } from '../model/types.js';
import { keyMaterialProblem } from '../keys/keys.js';
import { certificateThumbprint } from '../x509/fingerprints.js';

/**
 * The signer of link 0 when it carries a certificate path: the first of `roots` (the claiming,
 * subject-admitting x509 roots, in configuration order) whose anchors validate it, with the leaf's
 * identity equal to `iss`. When none does, the error of the first root whose failure is not
 * `x5c_untrusted` (its anchor was reached: the failure is specific), else `x5c_untrusted`.
 */
export async function resolveX509RootSigner(link: DecodedLink, claims: LinkClaims, roots: readonly CertificateProfile[], context: CertificateSignerContext): Promise<CertificateSigner> {
  const x5c = link.header.x5c as Uint8Array[];
  let reported: TransitiveProofError | undefined;
  for (const root of roots) {
    try {
      const path = await validatePath(x5c, root, context);
      context.x509.assertIdentity(path, claims.iss);
      return candidate(path, root.algorithms);
    } catch (error) {
      if (!(error instanceof TransitiveProofError)) throw atLink(error, 0);
      if (reported === undefined || (reported.code === 'x5c_untrusted' && error.code !== 'x5c_untrusted')) reported = error;
    }
  }
  throw atLink(reported ?? new LinkError('untrusted_root', 0, 'no X.509 root claims link 0'), 0);
}

/**
 * The signer of link i > 0 whose parent names its delegate by certificate thumbprint, the link
 * carrying a certificate and `delegateCertificates` configured (lib/rules/signer.ts checks both):
 * the leaf must be that very certificate (checked first, on the bytes, before any validation work),
 * then validate to `delegateCertificates` with the leaf's identity equal to the link's `iss`.
 */
export async function resolveX509DelegateSigner(link: DecodedLink, claims: LinkClaims, pinnedLeafThumbprint: string, profile: CertificateProfile, context: CertificateSignerContext): Promise<CertificateSigner> {
  const index = link.index;
  const x5c = link.header.x5c as Uint8Array[];
  // The fingerprint table's entry for exactly these bytes (compared in full), else their SHA-256:
  // once the delegate's path is cached, its certificate is not hashed again.
  const thumbprint = certificateThumbprint(x5c[0] as Uint8Array);
  const leafThumbprint = typeof thumbprint === 'string' ? thumbprint : await thumbprint;
  if (leafThumbprint !== pinnedLeafThumbprint) {
    throw new X509Error('x5c_identity_mismatch', `link ${index} is signed with a certificate other than the one link ${index - 1} names`, { linkIndex: index });
  }
  try {
    const path = await validatePath(x5c, profile, context);
    context.x509.assertIdentity(path, claims.iss);
    return candidate(path, profile.algorithms);
  } catch (error) {
    throw atLink(error, index);
  }
}

function validatePath(x5c: Uint8Array[], profile: CertificateProfile, context: CertificateSignerContext): Promise<ValidatedPath> {
  // One literal (an absent requiredEku or cache reads as undefined, as an omitted one): two
  // conditional spreads cost more than the rest of the call on a cache hit.
  return context.x509.validateCertificatePath(x5c, {
    anchors: profile.trustAnchors,
    now: context.now,
    clockToleranceSeconds: context.toleranceSeconds,
    maxCertificates: context.maxCertificates,
    identity: profile.identity.type === 'spiffe' && profile.identity.trustDomain !== undefined
      ? { type: 'spiffe', trustDomain: profile.identity.trustDomain }
      : { type: profile.identity.type },
    requiredEku: profile.requiredEku,
    cache: context.pathCache,
  });
}

/** The validated leaf as a signer, its key held to the key checks of §3.3 like every other key. */
function candidate(path: ValidatedPath, algorithms: CertificateProfile['algorithms']): CertificateSigner {
  const problem = keyMaterialProblem(path.leafPublicJwk);
  if (problem !== undefined) throw new X509Error('x5c_malformed', `x5c[0]: the leaf public key is not acceptable (SPEC-NOTES.md §3.3): ${problem}`);
  return { kind: 'x509', key: path.leafPublicJwk, algorithms, certificate: { identity: path.identity, subjects: [...path.subjects] } };
}
