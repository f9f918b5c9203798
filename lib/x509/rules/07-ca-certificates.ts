/**
 * SPEC-NOTES.md §7.2 rule 7, CA certificates: x5c[1], x5c[2], ..., then the anchor, each through
 * (a)-(c) before the next, so the fault nearest the leaf wins; then (d), the caller's bound.
 */
import { X509Error } from '../../errors.js';
import type { AnchoredPath, PlacedCa } from '../candidate-path.js';
import { OID } from '../extensions/oid.js';
import { KeyUsageFlags } from '#asn1';

export function checkCaCertificates(path: AnchoredPath, maxPathLength: number | undefined): void {
  for (const ca of path.cas) {
    isCa(ca);
    mayIssueCertificates(ca);
    withinPathLenConstraint(ca, path);
  }
  withinMaxPathLength(path, maxPathLength);
}

/**
 * Rule 7 (a): basicConstraints present, critical (RFC 5280 §4.2.1.9) and cA TRUE → else `x5c_not_ca`.
 * (A CA with an empty subject, §4.1.2.6, issues certificates with an empty issuer, which rule 1 refuses.)
 */
function isCa({ cert, where }: PlacedCa): void {
  if (cert.basicConstraints?.ca !== true) throw new X509Error('x5c_not_ca', `${where} issues certificates but is not a CA (basicConstraints cA)`, { rule: '7a' });
  if (!cert.extensions.some((e) => e.oid === OID.basicConstraints && e.critical)) {
    throw new X509Error('x5c_not_ca', `${where}: basicConstraints is not critical`, { rule: '7a' });
  }
}

/** Rule 7 (b): RFC 5280 §4.2.1.3, a CA certificate MUST carry keyUsage, and keyCertSign to sign certificates → else `x5c_key_usage`. */
function mayIssueCertificates({ cert, where }: PlacedCa): void {
  if (cert.keyUsage === undefined) throw new X509Error('x5c_key_usage', `${where}: a CA certificate without keyUsage`, { rule: '7b' });
  if ((cert.keyUsage & KeyUsageFlags.keyCertSign) === 0) throw new X509Error('x5c_key_usage', `${where}: keyUsage lacks keyCertSign`, { rule: '7b' });
}

/**
 * Rule 7 (c): RFC 5280 §4.2.1.9, at most pathLenConstraint non-self-issued intermediates below this
 * CA; the leaf does not count → else `x5c_path_len`.
 */
function withinPathLenConstraint({ cert, where, position }: PlacedCa, path: AnchoredPath): void {
  const limit = cert.basicConstraints?.pathLength;
  const below = path.chain.slice(1, position).filter((c) => !c.selfIssued).length;
  if (limit !== undefined && below > limit) {
    throw new X509Error('x5c_path_len', `${where}: pathLenConstraint ${limit} but ${below} intermediate certificate(s) follow it`, { rule: '7c' });
  }
}

/**
 * Rule 7 (d): the caller's own bound (RFC 5280 §6.1.1 (k) max_path_length), counted like
 * pathLenConstraint, after every CA has passed (a)-(c) → else `x5c_path_len`.
 */
function withinMaxPathLength(path: AnchoredPath, maxPathLength: number | undefined): void {
  if (maxPathLength === undefined) return;
  const intermediates = path.chain.slice(1).filter((c) => !c.selfIssued).length;
  if (intermediates > maxPathLength) {
    throw new X509Error('x5c_path_len', `the path has ${intermediates} non-self-issued intermediate certificate(s); maxPathLength is ${maxPathLength}`, { rule: '7d' });
  }
}
