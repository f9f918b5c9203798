/**
 * `#asn1` under the `node` condition (Node, Deno, Bun): lib/x509/asn1.ts's list as a CommonJS
 * module, so that the ASN.1 packages, CommonJS themselves, are loaded by `require` and not lexed by
 * Node for the names an ES module imports (lib/x509/asn1.ts says why; BENCHMARKS.md, issue #27
 * target 2). The same names, bound to the same objects (test/x509/asn1-entry.test.ts); the compiler
 * checks importers against asn1.ts's declaration (package.json `imports`, `types`). The key-parameter
 * packages (@peculiar/asn1-ecc, -rsa) are required on first use: a chain of Ed25519 certificates
 * never loads them.
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

type Ecc = typeof import('@peculiar/asn1-ecc');
type Rsa = typeof import('@peculiar/asn1-rsa');
let ecc: Ecc | undefined;
let rsa: Rsa | undefined;

/** The EC key-parameter schema, its package loaded on the first call (asn1.ts's `ecSchemas`). */
export function ecSchemas(): { readonly ECParameters: Ecc['ECParameters'] } {
  ecc ??= require('@peculiar/asn1-ecc') as Ecc;
  return { ECParameters: ecc.ECParameters };
}
/** The RSA key and RSASSA-PSS parameter schemas, their package loaded on the first call (asn1.ts's `rsaSchemas`). */
export function rsaSchemas(): { readonly RSAPublicKey: Rsa['RSAPublicKey']; readonly RsaSaPssParams: Rsa['RsaSaPssParams'] } {
  rsa ??= require('@peculiar/asn1-rsa') as Rsa;
  return { RSAPublicKey: rsa.RSAPublicKey, RsaSaPssParams: rsa.RsaSaPssParams };
}
