/**
 * The ASN.1 schemas lib/x509 reads certificates with: every run-time import of asn1js and
 * @peculiar/asn1-* by path validation goes through this module (type-only imports excepted: they
 * are erased), one list of what path validation loads (test/package/entries.test.ts holds it).
 *
 * Loaded as packages, these are about a hundred CommonJS files (the packages have no `exports`, so
 * Node takes their `main`), each read, lexed and compiled on its own: most of what importing
 * `transitive-proof/x509` costs (BENCHMARKS.md, issue #27 target 2). They are not bundled into this
 * package: a copy of an ASN.1 parser frozen at our release would not get the parser's security fixes
 * through `npm update`, and `npm audit` would judge the installed copy, not the one running.
 * The demo PKI (lib/x509/issue.ts) and the inspector
 * keep @peculiar/x509 and its packages: they hand lib/x509 bytes only, never parsed objects.
 */
export { fromBER } from 'asn1js';
export { AsnConvert, AsnIntegerBigIntConverter, AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
export {
  AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  KeyUsage,
  KeyUsageFlags,
  NameConstraints,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
} from '@peculiar/asn1-x509';
export { ECParameters } from '@peculiar/asn1-ecc';
export { RSAPublicKey, RsaSaPssParams } from '@peculiar/asn1-rsa';
