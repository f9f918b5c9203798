/**
 * SPEC-NOTES.md §7.2 rule 3, anchor: the path ends at a configured anchor, either as a byte-for-byte
 * copy of it at the end of x5c (a) or issued by it (b)-(d).
 */
import { X509Error, quoted } from '../../errors.js';
import { bytesEqual } from '../bytes.js';
import type { ParsedCertificate } from '../certificate.js';
import { anchoredPath, type AnchoredPath, type ReceivedPath } from '../candidate-path.js';
import { signatureProblem } from './04-signatures.js';

/** Rule 3: the anchor, and the path without a trailing copy of it. */
export async function findAnchor(path: ReceivedPath, anchors: readonly ParsedCertificate[]): Promise<AnchoredPath> {
  if (path.anchorCopy !== undefined) return anchoredPath(path, pathBelowAnchorCopy(path), path.anchorCopy);
  const last = path.certs.length - 1;
  return anchoredPath(path, path.certs, await issuingAnchor(path.certs[last] as ParsedCertificate, path.label(last), anchors));
}

/**
 * Rule 3 (a), the test: the anchor that x5c's last certificate is byte-for-byte equal to. Rules 1 and
 * 2 need the answer too (a copy of an anchor is exempt from their serial and key-identifier checks),
 * so it is asked once, before rule 1's serial numbers.
 */
export function anchorCopy(certs: readonly ParsedCertificate[], anchors: readonly ParsedCertificate[]): ParsedCertificate | undefined {
  const last = certs[certs.length - 1] as ParsedCertificate;
  return anchors.find((a) => bytesEqual(a.der, last.der));
}

/** Rule 3 (a): a trailing copy of the anchor is the anchor, not an intermediate; what is left must hold a leaf. */
function pathBelowAnchorCopy(path: ReceivedPath): ParsedCertificate[] {
  const chain = path.certs.slice(0, -1);
  if (chain.length === 0) throw new X509Error('x5c_leaf_is_ca', 'x5c holds only a trust anchor: there is no leaf certificate', { rule: '3a' });
  return chain;
}

/**
 * Rule 3 (b)-(d): the anchor that issued x5c's last certificate. Also verifies that certificate's
 * signature (rule 4).
 */
async function issuingAnchor(cert: ParsedCertificate, where: string, anchors: readonly ParsedCertificate[]): Promise<ParsedCertificate> {
  const candidates = anchorCandidates(cert, where, anchors);
  const { anchor, problem } = await firstVerifyingCandidate(cert, candidates);
  if (anchor !== undefined) return anchor;
  throw noCandidateVerifies(cert, where, problem);
}

/**
 * Rule 3 (b): the anchors named as the certificate's issuer, with a subjectKeyIdentifier equal to its
 * authorityKeyIdentifier; none → `x5c_untrusted`.
 */
function anchorCandidates(cert: ParsedCertificate, where: string, anchors: readonly ParsedCertificate[]): ParsedCertificate[] {
  const byName = anchors.filter((a) => bytesEqual(a.subjectDer, cert.issuerDer));
  const candidates = byName.filter((a) => a.subjectKeyId !== undefined && a.subjectKeyId === cert.authorityKeyId);
  if (candidates.length === 0) {
    const why = cert.selfIssued
      ? 'is self-issued and not a configured trust anchor'
      : byName.length === 0
        ? `was issued by ${quoted(cert.issuer)}, which is not a configured trust anchor`
        : `names a key (authorityKeyIdentifier) that no configured trust anchor ${quoted(cert.issuer)} has (an anchor needs a subjectKeyIdentifier)`;
    throw new X509Error('x5c_untrusted', `${where} ${why}`, { rule: '3b' });
  }
  return candidates;
}

/** Rule 3 (c): the first candidate, in configuration order, whose key verifies the signature under rule 4. */
async function firstVerifyingCandidate(cert: ParsedCertificate, candidates: readonly ParsedCertificate[]): Promise<{ anchor?: ParsedCertificate; problem?: string }> {
  let problem: string | undefined;
  for (const candidate of candidates) {
    problem = await signatureProblem(cert, candidate);
    if (problem === undefined) return { anchor: candidate };
  }
  return problem === undefined ? {} : { problem };
}

/**
 * Rule 3 (d): no candidate's key verifies. The self-issued case first: a copied name and key
 * identifier make no anchor (`x5c_untrusted`); any other certificate carries a bad signature by the
 * anchor (`x5c_signature_invalid`).
 */
function noCandidateVerifies(cert: ParsedCertificate, where: string, problem: string | undefined): X509Error {
  if (cert.selfIssued) {
    return new X509Error('x5c_untrusted', `${where} is self-issued with a trust anchor's name but not signed by it: not a configured trust anchor`, { rule: '3d' });
  }
  return new X509Error('x5c_signature_invalid', `${where}: ${problem ?? 'signature does not verify'} (trust anchor key)`, { rule: '3d' });
}
