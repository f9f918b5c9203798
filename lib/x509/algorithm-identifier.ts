/**
 * A certificate's AlgorithmIdentifiers in WebCrypto's terms: its signature algorithm (rule 4 looks
 * the result up in the kernel's table, lib/runtime/algorithms.ts) and its subject key's algorithm
 * (what the key is imported as). Reading is not judging: an algorithm not named here keeps its OID as
 * its name, which no table accepts; parameters that do not parse as their algorithm's structure throw
 * (the parse error, `x5c_malformed`, rule 1), as does an EC key without its curve or an RSA key whose
 * RSAPublicKey does not parse.
 */
import type { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { AsnConvert, ecSchemas, rsaSchemas } from '#asn1';
import { bytesEqual } from './bytes.js';
import { MAX_RSA_EXPONENT_OCTETS, MAX_RSA_MODULUS_BITS } from '../runtime/algorithms.js';

/** WebCrypto's description of an algorithm (RsaHashedKeyAlgorithm, EcKeyAlgorithm, RsaPssParams, …). */
export interface WebAlgorithm {
  readonly name: string;
  readonly hash?: { readonly name: string };
  readonly saltLength?: number;
  readonly namedCurve?: string;
  readonly modulusLength?: number;
}

const HASHES: ReadonlyMap<string, string> = new Map([
  ['1.3.14.3.2.26', 'SHA-1'],
  ['2.16.840.1.101.3.4.2.1', 'SHA-256'],
  ['2.16.840.1.101.3.4.2.2', 'SHA-384'],
  ['2.16.840.1.101.3.4.2.3', 'SHA-512'],
]);

/** Signature algorithms with a fixed hash (RFC 3279, RFC 4055, RFC 5758) and the EdDSA ones (RFC 8410). */
const FIXED: ReadonlyMap<string, WebAlgorithm> = new Map<string, WebAlgorithm>([
  ['1.2.840.10045.4.1', { name: 'ECDSA', hash: { name: 'SHA-1' } }],
  ['1.2.840.10045.4.3.2', { name: 'ECDSA', hash: { name: 'SHA-256' } }],
  ['1.2.840.10045.4.3.3', { name: 'ECDSA', hash: { name: 'SHA-384' } }],
  ['1.2.840.10045.4.3.4', { name: 'ECDSA', hash: { name: 'SHA-512' } }],
  ['1.2.840.113549.1.1.5', { name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-1' } }],
  ['1.2.840.113549.1.1.11', { name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } }],
  ['1.2.840.113549.1.1.12', { name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-384' } }],
  ['1.2.840.113549.1.1.13', { name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-512' } }],
  ['1.3.101.112', { name: 'Ed25519' }],
  ['1.3.101.113', { name: 'EdDSA', namedCurve: 'Ed448' }],
  ['1.3.101.110', { name: 'X25519' }],
  ['1.3.101.111', { name: 'ECDH-ES', namedCurve: 'X448' }],
  ...[...HASHES].map(([oid, name]): [string, WebAlgorithm] => [oid, { name }]),
]);

const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const RSASSA_PSS = '1.2.840.113549.1.1.10';

/** Named curves (RFC 5480 §2.1.1.1) by WebCrypto name; others keep their OID and no import accepts them. */
const CURVES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.10045.3.1.7', 'P-256'],
  ['1.3.132.0.34', 'P-384'],
  ['1.3.132.0.35', 'P-521'],
]);

/** An AlgorithmIdentifier in WebCrypto's terms; throws when its parameters cannot be read. */
export function webAlgorithm(identifier: AlgorithmIdentifier): WebAlgorithm {
  const fixed = FIXED.get(identifier.algorithm);
  if (fixed !== undefined) return fixed;
  switch (identifier.algorithm) {
    case RSA_ENCRYPTION:
      return { name: 'RSASSA-PKCS1-v1_5' };
    case RSASSA_PSS: {
      // RFC 4055 §3.1: absent parameters name no hash (so no table accepts the algorithm).
      if (identifier.parameters === null || identifier.parameters === undefined) return { name: 'RSA-PSS' };
      const params = AsnConvert.parse(identifier.parameters, rsaSchemas().RsaSaPssParams);
      const hash = params.hashAlgorithm.algorithm;
      return { name: 'RSA-PSS', hash: { name: HASHES.get(hash) ?? hash }, saltLength: params.saltLength };
    }
    case EC_PUBLIC_KEY: {
      if (identifier.parameters === null || identifier.parameters === undefined) throw new TypeError('an EC key without its curve');
      const { namedCurve } = AsnConvert.parse(identifier.parameters, ecSchemas().ECParameters);
      return { name: 'ECDSA', namedCurve: namedCurve === undefined ? 'unnamed' : (CURVES.get(namedCurve) ?? namedCurve) };
    }
    default:
      return { name: identifier.algorithm };
  }
}

/**
 * The subject key's algorithm; an RSA key also gives its modulus length (rule 4's RSA floor). The
 * key's own encoding is held to DER here, where it is read (SPEC-NOTES.md §7.2 rule 1): an RSA key
 * (rsaEncryption, with its NULL parameters, or id-RSASSA-PSS) is the DER of RSAPublicKey (RFC 3279
 * §2.3.1: minimal positive INTEGERs, nothing after the SEQUENCE), an EC point is uncompressed or compressed, never the hybrid
 * form (RFC 5480 §2.2). node:crypto imports either anyway, browsers (BoringSSL) refuse them: without
 * this a path validated on Node and failed in a browser.
 */
export function keyAlgorithm(info: SubjectPublicKeyInfo): WebAlgorithm {
  const algorithm = webAlgorithm(info.algorithm);
  const oid = info.algorithm.algorithm;
  if (oid === EC_PUBLIC_KEY) {
    const form = new Uint8Array(info.subjectPublicKey)[0];
    if (form !== 0x04 && form !== 0x02 && form !== 0x03) throw new TypeError('an EC point neither uncompressed nor compressed (the hybrid form is not used, RFC 5480 §2.2)');
    return algorithm;
  }
  if (oid !== RSA_ENCRYPTION && oid !== RSASSA_PSS) return algorithm;
  // RFC 3279 §2.3.1: rsaEncryption's parameters MUST be NULL (absent, they are refused by browsers).
  if (oid === RSA_ENCRYPTION && info.algorithm.parameters !== null) throw new TypeError('an rsaEncryption key without its NULL parameters');
  const received = new Uint8Array(info.subjectPublicKey);
  const key = AsnConvert.parse(received, rsaSchemas().RSAPublicKey);
  const modulus = new Uint8Array(key.modulus);
  // The schema keeps each INTEGER's content octets as received, and AsnConvert writes them back as
  // they are: their minimal form is checked apart; the re-encoding catches lengths and trailing bytes.
  const exponent = new Uint8Array(key.publicExponent);
  if (!isMinimalInteger(modulus) || !isMinimalInteger(exponent) || ((modulus[0] as number) & 0x80) !== 0 ||
    !bytesEqual(new Uint8Array(AsnConvert.serialize(key)), received)) {
    throw new TypeError('the RSAPublicKey is not DER (a positive modulus, minimal INTEGERs, nothing after them)');
  }
  // The kernel's exponent ceiling (lib/runtime/algorithms.ts): a larger one imports on Node only.
  const exponentOctets = exponent[0] === 0 ? exponent.byteLength - 1 : exponent.byteLength;
  if (exponentOctets > MAX_RSA_EXPONENT_OCTETS) throw new TypeError(`an RSA public exponent of more than ${MAX_RSA_EXPONENT_OCTETS} octets (browsers refuse such keys)`);
  // And its modulus ceiling: a longer modulus imports on Node (which verifies nothing with it) only.
  const modulusLength = (modulus[0] === 0 ? modulus.byteLength - 1 : modulus.byteLength) * 8;
  if (modulusLength > MAX_RSA_MODULUS_BITS) throw new TypeError(`an RSA modulus of more than ${MAX_RSA_MODULUS_BITS} bits (browsers refuse such keys)`);
  if (oid !== RSA_ENCRYPTION) return algorithm;
  return { ...algorithm, modulusLength };
}

/** Whether an INTEGER's content octets are its minimal two's complement (X.690 §8.3.2): no redundant leading 00 or FF octet. */
export function isMinimalInteger(content: Uint8Array): boolean {
  if (content.byteLength === 0) return false;
  if (content.byteLength === 1) return true;
  const [first, second] = content as unknown as [number, number];
  return !((first === 0x00 && (second & 0x80) === 0) || (first === 0xff && (second & 0x80) !== 0));
}
