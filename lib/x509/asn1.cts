/**
 * `#asn1` under the `node` condition (Node, Deno, Bun): lib/x509/asn1.ts's list as a CommonJS
 * module, so that the ASN.1 packages, CommonJS themselves, are loaded by `require` and not lexed by
 * Node for the names an ES module imports (lib/x509/asn1.ts says why; BENCHMARKS.md, issue #27
 * target 2). The same names, bound to the same objects (test/x509/asn1-entry.test.ts); the compiler
 * checks importers against asn1.ts's declaration (package.json `imports`, `types`).
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
