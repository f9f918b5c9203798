/**
 * Step 6 for signers identified by an X.509 chain carried in the link (`x5c` / `x5chain`),
 * validated to a configured anchor (SPEC-NOTES.md §7). Path validation itself is lib/x509/.
 */
import { atLink, LinkError, TransitiveProofError, X509Error } from '../errors.js';
import type { DecodedLink } from '../codecs/codec.js';
import type { CompiledTrust, CompiledX509Root } from '../trust/trust.js';
import type { LinkClaims } from '../model/types.js';
import { validateCertificatePath } from '../x509/path.js';
import { assertIdentity } from '../x509/identity.js';
import type { ValidatedPath } from '../x509/types.js';
import type { SignerCandidate } from './signer.js';

export interface X509SignerContext {
  now: number;
  toleranceSeconds: number;
}

/**
 * The signer of a link that carries a certificate path. For link 0 the leaf's identity must be the
 * link's `iss`; for a later link the leaf must also be the certificate the parent committed to
 * (`pinnedLeafThumbprint` = the parent's `may_act.cnf["x5t#S256"]`).
 */
export async function resolveX509Signer(
  link: DecodedLink,
  claims: LinkClaims,
  trust: CompiledTrust,
  context: X509SignerContext,
  pinnedLeafThumbprint: string | undefined,
): Promise<SignerCandidate> {
  const index = link.index;
  const x5c = link.header.x5c;
  if (x5c === undefined) {
    throw new LinkError('delegate_key_unresolved', index, `link ${index - 1} names its delegate by certificate thumbprint but link ${index} carries no certificate`);
  }
  const roots = trust.roots.filter((root): root is CompiledX509Root => root.type === 'x509');
  if (roots.length === 0) {
    throw new LinkError('header_forbidden', index, `link ${index} carries a certificate chain but no X.509 anchor is configured`);
  }
  const { root, path } = await validateAgainstRoots(x5c, roots, trust, context, index);
  if (pinnedLeafThumbprint !== undefined && path.leafThumbprintS256 !== pinnedLeafThumbprint) {
    throw new X509Error('x5c_identity_mismatch', `link ${index} is signed with a certificate other than the one link ${index - 1} names`, { linkIndex: index });
  }
  try {
    assertIdentity(path, claims.iss);
  } catch (error) {
    throw atLink(error, index);
  }
  return {
    kind: 'x509',
    key: path.leafPublicJwk,
    algorithms: pinnedLeafThumbprint === undefined ? root.algorithms : trust.algorithms,
    certificate: { identity: path.identity, subjects: [...path.subjects] },
  };
}

/**
 * The first X.509 root whose anchors validate the path. When none does, the error reported is that
 * of a root whose anchor the path reached (its failure is specific), else `x5c_untrusted`.
 */
async function validateAgainstRoots(
  x5c: Uint8Array[],
  roots: CompiledX509Root[],
  trust: CompiledTrust,
  context: X509SignerContext,
  index: number,
): Promise<{ root: CompiledX509Root; path: ValidatedPath }> {
  let reported: TransitiveProofError | undefined;
  for (const root of roots) {
    try {
      const path = await validateCertificatePath(x5c, {
        anchors: root.trustAnchors,
        now: context.now,
        clockToleranceSeconds: context.toleranceSeconds,
        maxCertificates: trust.limits.maxCertificates,
        identity: root.identity.type === 'spiffe' && root.identity.trustDomain !== undefined
          ? { type: 'spiffe', trustDomain: root.identity.trustDomain }
          : { type: root.identity.type },
        ...(root.requiredEku === undefined ? {} : { requiredEku: root.requiredEku }),
        cache: trust.pathCache,
      });
      return { root, path };
    } catch (error) {
      if (!(error instanceof TransitiveProofError)) throw atLink(error, index);
      if (reported === undefined || (reported.code === 'x5c_untrusted' && error.code !== 'x5c_untrusted')) reported = error;
    }
  }
  throw atLink(reported, index);
}
