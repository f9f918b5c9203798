/**
 * The Wycheproof files the tests run (../shared/conformance/wycheproof, see ../shared/README.md),
 * named once: the Node conformance test (test/conformance/wycheproof.test.ts) and the Node-against-
 * Chromium audit (test/audit/wycheproof-browser.test.ts) read the same list.
 */

/** Link signatures (SPEC-NOTES.md §6.2 step 7): the file and the link algorithm its groups are read as. */
export const LINK_SIGNATURE_FILES: readonly [string, string][] = [
  ['ecdsa_secp256r1_sha256_p1363_test.json', 'ES256'],
  ['ecdsa_secp384r1_sha384_p1363_test.json', 'ES384'],
  ['ed25519_test.json', 'EdDSA'],
  ['rsa_pss_2048_sha256_mgf1_32_test.json', 'PS256'],
  ['rsa_pss_3072_sha256_mgf1_32_test.json', 'PS256'],
  ['rsa_pss_4096_sha256_mgf1_32_test.json', 'PS256'],
];

/**
 * Files run through the certificate signature check of X.509 rule 4 (SPEC-NOTES.md §7.2): the
 * group's SPKI as the issuer key, `msg` as the TBS bytes, `sig` as the signatureValue (DER for ECDSA).
 */
export const CERTIFICATE_SIGNATURE_FILES: readonly [string, { name: string; hash: { name: string } }][] = [
  ['ecdsa_secp256r1_sha256_test.json', { name: 'ECDSA', hash: { name: 'SHA-256' } }],
  ['ecdsa_secp384r1_sha384_test.json', { name: 'ECDSA', hash: { name: 'SHA-384' } }],
  ['rsa_signature_2048_sha256_test.json', { name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } }],
  ['rsa_signature_3072_sha256_test.json', { name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } }],
];
