/**
 * SPEC-NOTES.md §7.2 rule 10, identity (validateCertificatePath only): the leaf identity under the
 * root's identity rule (§7.1) → else `x5c_identity_mismatch`. The rules are written once, in
 * lib/x509/identity.ts, beside the identity matchers that share them (§7.3); the rule's second half,
 * the identity equal to the link's `iss`, is `assertIdentity` there, which the verifier calls.
 */
import type { AnchoredPath } from '../candidate-path.js';
import { leafIdentity } from '../identity.js';
import type { IdentityRule, IdentityType } from '../../ports.js';

export function checkIdentity(path: AnchoredPath, identity: IdentityRule | undefined): { identity: string; type: IdentityType } | undefined {
  return identity === undefined ? undefined : leafIdentity(path.leaf.subjectAltNames, identity);
}
