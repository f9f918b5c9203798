/**
 * The ASN.1 schemas lib/x509 reads certificates with: every run-time import of asn1js and
 * @peculiar/asn1-* by path validation goes through `#asn1` (type-only imports excepted: they are
 * erased), one list of what path validation loads (test/package/entries.test.ts holds it).
 *
 * `#asn1` (package.json `imports`) is this module for bundlers, browsers and workerd, and
 * lib/x509/asn1.cts, the same list as CommonJS, under the `node` condition (Node, Deno and Bun).
 * The packages are CommonJS on Node (none has `exports`, so Node takes its `main`: about a hundred
 * files). An ES module that imports a CommonJS module by name makes Node lex that module's source
 * for its export names, and every module it re-exports, recursively (`cjs-module-lexer`): most of
 * what importing `transitive-proof/x509` cost (BENCHMARKS.md, issue #27 target 2). CommonJS
 * requiring CommonJS is not lexed; Node lexes asn1.cjs alone. Bundlers keep this ES module and the
 * packages' ES builds (their `module` field). The compiler sees this module's declaration for both
 * (`types`); test/x509/asn1-entry.test.ts holds the two lists to the same names and objects. The
 * key-parameter schemas are functions (`ecSchemas`, `rsaSchemas`): on Node they load on first use.
 *
 * They are not bundled into this package: a copy of an ASN.1 parser frozen at our release would not
 * get the parser's security fixes through `npm update`, and `npm audit` would judge the installed
 * copy, not the one running. The demo PKI (lib/x509/issue.ts) and the inspector keep @peculiar/x509
 * and its packages: they hand lib/x509 bytes only, never parsed objects.
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
import { ECParameters } from '@peculiar/asn1-ecc';
import { RSAPublicKey, RsaSaPssParams } from '@peculiar/asn1-rsa';

/**
 * The schemas of key parameters, read only for an EC key (RFC 5480 ECParameters), an RSA key (RFC
 * 8017 RSAPublicKey) or an RSASSA-PSS AlgorithmIdentifier (RFC 4055 RSASSA-PSS-params): functions,
 * so that asn1.cts loads each package on first use (@peculiar/asn1-rsa encodes its default
 * parameters at load); here, for bundlers, they are imported with the rest.
 */
export function ecSchemas(): { readonly ECParameters: typeof ECParameters } {
  return { ECParameters };
}
/** See `ecSchemas`. */
export function rsaSchemas(): { readonly RSAPublicKey: typeof RSAPublicKey; readonly RsaSaPssParams: typeof RsaSaPssParams } {
  return { RSAPublicKey, RsaSaPssParams };
}
