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
type X509 = typeof import('@peculiar/asn1-x509');
/**
 * One name of @peculiar/asn1-x509, required from the file of the package that defines it: the
 * package's index requires all 43 of its files (CRLs, attribute certificates' extensions, policies),
 * 23 of which path validation never uses (about a third of what requiring the package costs,
 * BENCHMARKS.md, issue #27 target 2). If a later release moves the name, hides its files or stops
 * publishing them, the name comes from the index instead: slower, never another object
 * (test/x509/asn1-entry.test.ts holds each to the index's).
 */
function x509<K extends keyof X509>(file: string, name: K): X509[K] {
  let found: unknown;
  try {
    found = (require(`@peculiar/asn1-x509/build/cjs/${file}.js`) as Partial<X509>)[name];
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error;
  }
  return (found ?? (require('@peculiar/asn1-x509') as X509)[name]) as X509[K];
}
export const AlgorithmIdentifier = x509('algorithm_identifier', 'AlgorithmIdentifier');
export const AuthorityKeyIdentifier = x509('extensions/authority_key_identifier', 'AuthorityKeyIdentifier');
export const BasicConstraints = x509('extensions/basic_constraints', 'BasicConstraints');
export const Certificate = x509('certificate', 'Certificate');
export const ExtendedKeyUsage = x509('extensions/extended_key_usage', 'ExtendedKeyUsage');
export const KeyUsage = x509('extensions/key_usage', 'KeyUsage');
export const KeyUsageFlags = x509('extensions/key_usage', 'KeyUsageFlags');
export const NameConstraints = x509('extensions/name_constraints', 'NameConstraints');
export const SubjectAlternativeName = x509('extensions/subject_alternative_name', 'SubjectAlternativeName');
export const SubjectKeyIdentifier = x509('extensions/subject_key_identifier', 'SubjectKeyIdentifier');
export const SubjectPublicKeyInfo = x509('subject_public_key_info', 'SubjectPublicKeyInfo');

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
