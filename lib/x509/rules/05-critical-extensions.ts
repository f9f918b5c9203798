/**
 * SPEC-NOTES.md §7.2 rule 5, critical extensions: every certificate, the anchor included, has no
 * critical extension we do not process (RFC 5280 §4.2), the key identifiers are not critical, and no
 * policy constraint is present.
 */
import { X509Error } from '../../errors.js';
import type { AnchoredPath } from '../candidate-path.js';
import { OID } from '../extensions/oid.js';

/**
 * Extensions whose semantics the validator enforces, so they may be critical. Anything else that is
 * critical is rejected (RFC 5280 §4.2), certificatePolicies included: policies are not processed.
 */
export const UNDERSTOOD_CRITICAL_EXTENSIONS: ReadonlySet<string> = new Set([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.nameConstraints,
  OID.authorityKeyIdentifier,
  OID.subjectKeyIdentifier,
]);

/** RFC 5280 §4.2.1.1 and §4.2.1.2: conforming CAs MUST mark the key identifiers non-critical. */
const NON_CRITICAL_EXTENSIONS: ReadonlySet<string> = new Set([OID.authorityKeyIdentifier, OID.subjectKeyIdentifier]);

/**
 * policyConstraints and inhibitAnyPolicy restrict the paths a CA vouches for and MUST be critical
 * (§4.2.1.11, §4.2.1.14); policies are not processed, so they are never accepted, critical or not.
 */
const POLICY_CONSTRAINT_EXTENSIONS: ReadonlySet<string> = new Set([OID.policyConstraints, OID.inhibitAnyPolicy]);

export function checkCriticalExtensions(path: AnchoredPath): void {
  for (const { cert, where } of path.everything) {
    const unknown = cert.extensions.find((e) => e.critical && !UNDERSTOOD_CRITICAL_EXTENSIONS.has(e.oid));
    if (unknown !== undefined) throw new X509Error('x5c_critical_extension', `${where}: unsupported critical extension ${unknown.oid}`);
    const keyId = cert.extensions.find((e) => e.critical && NON_CRITICAL_EXTENSIONS.has(e.oid));
    if (keyId !== undefined) throw new X509Error('x5c_critical_extension', `${where}: extension ${keyId.oid} must not be critical`);
    const policy = cert.extensions.find((e) => POLICY_CONSTRAINT_EXTENSIONS.has(e.oid));
    if (policy !== undefined) throw new X509Error('x5c_critical_extension', `${where}: policy constraint extension ${policy.oid} is not processed`);
  }
}
