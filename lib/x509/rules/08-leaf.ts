/** SPEC-NOTES.md §7.2 rule 8, the leaf: not a CA, a keyUsage fit to sign links, the required extKeyUsage. */
import { X509Error } from '../../errors.js';
import type { AnchoredPath } from '../candidate-path.js';
import { OID } from '../extensions/oid.js';
import { KeyUsageFlags } from '#asn1';
import type { IdentityRule } from '../../ports.js';

export function checkLeaf(path: AnchoredPath, identity: IdentityRule | undefined, requiredEku: string | undefined): void {
  leafIsNotCa(path);
  leafKeyUsage(path);
  if (identity?.type === 'spiffe') svidKeyUsage(path);
  if (requiredEku !== undefined) hasRequiredEku(path, requiredEku);
}

/** basicConstraints cA is not TRUE (a deviation from RFC 5280, SPEC-NOTES §7.5) → else `x5c_leaf_is_ca`. */
function leafIsNotCa({ leaf, label }: AnchoredPath): void {
  if (leaf.basicConstraints?.ca === true) throw new X509Error('x5c_leaf_is_ca', `${label(0)}: the leaf is a CA certificate`);
}

/**
 * keyUsage, if present, has no keyCertSign (RFC 5280 §4.2.1.3: only with cA; a leaf asserting it
 * claims to be a CA without being one) and has digitalSignature → else `x5c_key_usage`.
 */
function leafKeyUsage({ leaf, label }: AnchoredPath): void {
  if (leaf.keyUsage !== undefined && (leaf.keyUsage & KeyUsageFlags.keyCertSign) !== 0) {
    throw new X509Error('x5c_key_usage', `${label(0)}: keyUsage keyCertSign in a certificate that is not a CA`);
  }
  if (leaf.keyUsage !== undefined && (leaf.keyUsage & KeyUsageFlags.digitalSignature) === 0) {
    throw new X509Error('x5c_key_usage', `${label(0)}: keyUsage lacks digitalSignature`);
  }
}

/** Under the `spiffe` rule, X509-SVID §4.3: keyUsage present, without keyCertSign or cRLSign → else `x5c_key_usage`. */
function svidKeyUsage({ leaf, label }: AnchoredPath): void {
  const forbidden = KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign;
  if (leaf.keyUsage === undefined || (leaf.keyUsage & forbidden) !== 0) {
    throw new X509Error('x5c_key_usage', `${label(0)}: an X509-SVID leaf needs keyUsage digitalSignature without keyCertSign/cRLSign`);
  }
}

/**
 * With `requiredEku`: the leaf lists it (anyExtendedKeyUsage does not satisfy it), and a CA that
 * restricts its own extendedKeyUsage lists it or anyExtendedKeyUsage (it cannot vouch for other
 * purposes) → else `x5c_eku`.
 */
function hasRequiredEku({ leaf, label, cas }: AnchoredPath, eku: string): void {
  if (leaf.extKeyUsage === undefined || !leaf.extKeyUsage.includes(eku)) {
    throw new X509Error('x5c_eku', `${label(0)}: extendedKeyUsage does not list ${eku}`);
  }
  for (const { cert, where } of cas) {
    if (cert.extKeyUsage !== undefined && !cert.extKeyUsage.includes(eku) && !cert.extKeyUsage.includes(OID.anyExtendedKeyUsage)) {
      throw new X509Error('x5c_eku', `${where}: extendedKeyUsage restricts issuance and does not list ${eku}`);
    }
  }
}
