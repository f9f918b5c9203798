/**
 * Explicit typing (RFC 8725 §3.11), the one rule for every signed object the verifier reads: links
 * (step 4.1), Status List Tokens and DPoP proofs. SPEC-NOTES §3.2: a `typ` is the expected media type
 * when, after removing an optional `application/` prefix (itself matched case-insensitively: media
 * type names are case-insensitive, RFC 9110 §8.3.1, and RFC 7515 §4.1.9 lets `typ` omit the prefix),
 * it equals the expected name compared case-insensitively in ASCII only (A–Z with a–z; no Unicode
 * case mapping, so the KELVIN SIGN U+212A is not `k`). Anything but a string is not the type.
 */
const PREFIX = 'application/';

/** Whether `typ` names the media type `expected` (given lower case, without `application/`). */
export function typMatches(typ: unknown, expected: string): boolean {
  if (typeof typ !== 'string') return false;
  if (typ === expected) return true; // its usual spelling: lower case already, no prefix
  const lower = typ.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
  return (lower.startsWith(PREFIX) ? lower.slice(PREFIX.length) : lower) === expected;
}
