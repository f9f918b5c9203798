/**
 * A demo PKI for `tproof cert` and tests: a root CA, intermediates and leaf certificates whose
 * profile passes `validateCertificatePath` (SKI/AKI, critical basicConstraints and keyUsage,
 * identity in the subjectAltName). Not a production CA: keys live in memory and are returned as JWK.
 */
import { sha256 } from '#runtime';
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints } from '@peculiar/asn1-x509';
import { TransitiveProofError, invalidArgument } from '../errors.js';
import type { PrivateJwk, PublicJwk } from '../model/types.js';
import { parseCertificate } from './certificate.js';
import { OID } from './extensions/oid.js';
import { parseSpiffeId } from './identity.js';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
  X509CertificateGenerator,
  webCrypto,
} from './peculiar.js';

export type CertificateKeyAlgorithm = 'Ed25519' | 'ES256' | 'ES384' | 'PS256';
export const CERTIFICATE_KEY_ALGORITHMS: readonly CertificateKeyAlgorithm[] = ['Ed25519', 'ES256', 'ES384', 'PS256'];

/** A permitted or excluded subtree: a DNS name/domain or a URI host/domain (".example.com"). */
export type SubtreeSpec = { dns: string } | { uri: string };
export interface NameConstraintsSpec {
  permitted?: SubtreeSpec[];
  excluded?: SubtreeSpec[];
}

export interface IssuedCertificate {
  /** DER bytes (what goes into x5c). */
  certificate: Uint8Array;
  pem: string;
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
  keyAlg: CertificateKeyAlgorithm;
  /** Subject DN. */
  subject: string;
}

export interface ValidityOptions {
  /** Seconds since the epoch. */
  notBefore: number;
  notAfter: number;
  /** Default ES256. */
  keyAlg?: CertificateKeyAlgorithm;
  /** Hex serial number; default derived from the subject and key (deterministic per key). */
  serialNumber?: string;
}

export interface CertificateAuthorityOptions extends ValidityOptions {
  /** Distinguished name, e.g. "CN=Demo Root CA". */
  subject: string;
  pathLength?: number;
  nameConstraints?: NameConstraintsSpec;
}

export interface IntermediateOptions extends CertificateAuthorityOptions {
  issuer: IssuedCertificate;
}

export type LeafIdentitySpec =
  | { spiffeId: string; uri?: never; dns?: never }
  | { uri: string; spiffeId?: never; dns?: never }
  | { dns: string; spiffeId?: never; uri?: never };

export type LeafOptions = ValidityOptions &
  LeafIdentitySpec & {
    issuer: IssuedCertificate;
    /** Default: an empty subject, the subjectAltName then being critical (RFC 5280 §4.2.1.6). */
    subject?: string;
    /** Extended key usage OIDs; default none (no extendedKeyUsage extension). */
    extKeyUsage?: string[];
  };

/** WebCrypto algorithm parameters (the global Web Crypto API of Node >= 20 and browsers). */
type AlgorithmParams = { name: string; [parameter: string]: unknown };
type WebCryptoKey = Awaited<ReturnType<typeof webCrypto.subtle.importKey>>;
interface WebCryptoKeyPair {
  publicKey: WebCryptoKey;
  privateKey: WebCryptoKey;
}

interface AlgorithmProfile {
  generate: AlgorithmParams;
  import: AlgorithmParams;
  sign: AlgorithmParams;
}

const PROFILES: Record<CertificateKeyAlgorithm, AlgorithmProfile> = {
  Ed25519: { generate: { name: 'Ed25519' }, import: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
  ES256: {
    generate: { name: 'ECDSA', namedCurve: 'P-256' },
    import: { name: 'ECDSA', namedCurve: 'P-256' },
    sign: { name: 'ECDSA', hash: 'SHA-256' },
  },
  ES384: {
    generate: { name: 'ECDSA', namedCurve: 'P-384' },
    import: { name: 'ECDSA', namedCurve: 'P-384' },
    sign: { name: 'ECDSA', hash: 'SHA-384' },
  },
  PS256: {
    generate: { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    import: { name: 'RSA-PSS', hash: 'SHA-256' },
    sign: { name: 'RSA-PSS', saltLength: 32, hash: 'SHA-256' },
  },
};

/** A self-signed root CA. */
export async function createCertificateAuthority(options: CertificateAuthorityOptions): Promise<IssuedCertificate> {
  return issueCa(options, undefined);
}

/** An intermediate CA issued by `options.issuer`. */
export async function createIntermediate(options: IntermediateOptions): Promise<IssuedCertificate> {
  if (options.issuer === undefined) throw bad('createIntermediate: issuer is required');
  return issueCa(options, options.issuer);
}

/** An end-entity certificate naming its holder by SPIFFE ID, URI or DNS name in the subjectAltName. */
export async function createLeaf(options: LeafOptions): Promise<IssuedCertificate> {
  const keyAlg = checkCommon(options, 'createLeaf');
  if (options.issuer === undefined) throw bad('createLeaf: issuer is required');
  const identities = [options.spiffeId, options.uri, options.dns].filter((v) => v !== undefined);
  if (identities.length !== 1) throw bad('createLeaf: give exactly one of spiffeId, uri, dns');
  let san: { type: 'url' | 'dns'; value: string };
  if (options.spiffeId !== undefined) {
    if (parseSpiffeId(options.spiffeId) === undefined) throw bad(`createLeaf: "${options.spiffeId}" is not a valid SPIFFE ID`);
    san = { type: 'url', value: options.spiffeId };
  } else if (options.uri !== undefined) {
    san = { type: 'url', value: checkText(options.uri, 'uri') };
  } else {
    san = { type: 'dns', value: checkText(options.dns as string, 'dns') };
  }
  const subject = options.subject ?? '';
  const keys = await generateKeys(keyAlg);
  const extensions: Extension[] = [
    new BasicConstraintsExtension(false, undefined, true),
    new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
    new SubjectAlternativeNameExtension([san], subject === ''),
    await SubjectKeyIdentifierExtension.create(keys.publicKey, false, webCrypto),
  ];
  if (options.extKeyUsage !== undefined && options.extKeyUsage.length > 0) {
    extensions.push(new ExtendedKeyUsageExtension(options.extKeyUsage.map((o) => checkText(o, 'extKeyUsage')), false));
  }
  return issue({ ...options, keyAlg, subject, keys, extensions, issuer: options.issuer });
}

async function issueCa(options: CertificateAuthorityOptions, issuer: IssuedCertificate | undefined): Promise<IssuedCertificate> {
  const keyAlg = checkCommon(options, issuer === undefined ? 'createCertificateAuthority' : 'createIntermediate');
  checkText(options.subject, 'subject');
  if (options.pathLength !== undefined && !(Number.isSafeInteger(options.pathLength) && options.pathLength >= 0)) {
    throw bad('pathLength must be a non-negative integer');
  }
  const keys = await generateKeys(keyAlg);
  const extensions: Extension[] = [
    new BasicConstraintsExtension(true, options.pathLength, true),
    new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
    await SubjectKeyIdentifierExtension.create(keys.publicKey, false, webCrypto),
  ];
  if (options.nameConstraints !== undefined) extensions.push(nameConstraintsExtension(options.nameConstraints));
  return issue({ ...options, keyAlg, keys, extensions, issuer });
}

async function issue(params: {
  subject: string;
  keyAlg: CertificateKeyAlgorithm;
  keys: WebCryptoKeyPair;
  extensions: Extension[];
  issuer: IssuedCertificate | undefined;
  notBefore: number;
  notAfter: number;
  serialNumber?: string;
}): Promise<IssuedCertificate> {
  const { keys, issuer } = params;
  const serialNumber = params.serialNumber ?? (await deterministicSerial(params.subject, keys.publicKey));
  let certificate: X509Certificate;
  try {
    const common = {
      serialNumber,
      notBefore: new Date(params.notBefore * 1000),
      notAfter: new Date(params.notAfter * 1000),
      extensions: params.extensions,
    };
    // `as never` below: @peculiar/x509's typings name the DOM CryptoKey/Algorithm types, which this
    // project's lib settings do not load; the values are Node WebCrypto objects it accepts.
    if (issuer === undefined) {
      certificate = await X509CertificateGenerator.createSelfSigned(
        { ...common, name: params.subject, keys: keys as never, signingAlgorithm: PROFILES[params.keyAlg].sign as never },
        webCrypto,
      );
    } else {
      const issuerCert = new X509Certificate(issuer.certificate);
      const issuerKeyId = parseCertificate(issuer.certificate, 'issuer').subjectKeyId;
      const aki =
        issuerKeyId !== undefined
          ? new AuthorityKeyIdentifierExtension(issuerKeyId, false)
          : await AuthorityKeyIdentifierExtension.create(issuerCert.publicKey, false, webCrypto);
      const signingKey = await webCrypto.subtle.importKey('jwk', issuer.privateJwk, PROFILES[issuer.keyAlg].import, false, ['sign']);
      certificate = await X509CertificateGenerator.create(
        {
          ...common,
          extensions: [...params.extensions, aki],
          subject: params.subject,
          // The issuer's Name object, not its string form: the encoded DN must be byte-identical.
          issuer: issuerCert.subjectName,
          publicKey: keys.publicKey as never,
          signingKey: signingKey as never,
          signingAlgorithm: PROFILES[issuer.keyAlg].sign as never,
        },
        webCrypto,
      );
    }
  } catch (cause) {
    if (cause instanceof TransitiveProofError) throw cause;
    throw invalidArgument(`cannot issue certificate for "${params.subject}": ${String(cause)}`, cause);
  }
  const der = new Uint8Array(certificate.rawData);
  return {
    certificate: der,
    pem: certificate.toString('pem'),
    privateJwk: (await exportJwk(keys.privateKey)) as PrivateJwk,
    publicJwk: await exportJwk(keys.publicKey),
    keyAlg: params.keyAlg,
    subject: certificate.subject,
  };
}

function nameConstraintsExtension(spec: NameConstraintsSpec): Extension {
  const subtrees = (list: SubtreeSpec[] | undefined) =>
    list === undefined || list.length === 0
      ? undefined
      : new GeneralSubtrees(
          list.map(
            (s) =>
              new GeneralSubtree({
                base: new GeneralName('dns' in s ? { dNSName: checkText(s.dns, 'dns') } : { uniformResourceIdentifier: checkText(s.uri, 'uri') }),
              }),
          ),
        );
  const permittedSubtrees = subtrees(spec.permitted);
  const excludedSubtrees = subtrees(spec.excluded);
  if (permittedSubtrees === undefined && excludedSubtrees === undefined) throw bad('nameConstraints needs permitted or excluded subtrees');
  const value = new NameConstraints({});
  if (permittedSubtrees !== undefined) value.permittedSubtrees = permittedSubtrees;
  if (excludedSubtrees !== undefined) value.excludedSubtrees = excludedSubtrees;
  // RFC 5280 §4.2.1.10: conforming CAs mark nameConstraints critical.
  return new Extension(OID.nameConstraints, true, AsnConvert.serialize(value));
}

async function generateKeys(keyAlg: CertificateKeyAlgorithm): Promise<WebCryptoKeyPair> {
  return (await webCrypto.subtle.generateKey(PROFILES[keyAlg].generate, true, ['sign', 'verify'])) as WebCryptoKeyPair;
}

const JWK_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;

async function exportJwk(key: WebCryptoKey): Promise<PublicJwk> {
  const jwk = (await webCrypto.subtle.exportKey('jwk', key)) as { kty?: unknown; [member: string]: unknown };
  const out: PublicJwk = { kty: String(jwk.kty) };
  for (const member of JWK_MEMBERS) {
    const value = jwk[member];
    if (typeof value === 'string') out[member] = value;
  }
  return out;
}

/** 16 bytes of SHA-256(subject, SPKI), first bit cleared so the INTEGER is positive (RFC 5280 §4.1.2.2). */
async function deterministicSerial(subject: string, publicKey: WebCryptoKey): Promise<string> {
  const spki = new Uint8Array((await webCrypto.subtle.exportKey('spki', publicKey)) as ArrayBuffer);
  const subjectBytes = new TextEncoder().encode(subject);
  const input = new Uint8Array(subjectBytes.length + spki.length);
  input.set(subjectBytes);
  input.set(spki, subjectBytes.length);
  const digest = (await sha256(input)).subarray(0, 16);
  digest[0] = ((digest[0] ?? 0) & 0x7f) | 0x40;
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function checkCommon(options: ValidityOptions, fn: string): CertificateKeyAlgorithm {
  if (typeof options !== 'object' || options === null) throw bad(`${fn}: options are required`);
  const keyAlg = options.keyAlg ?? 'ES256';
  if (!CERTIFICATE_KEY_ALGORITHMS.includes(keyAlg)) throw bad(`${fn}: keyAlg must be one of ${CERTIFICATE_KEY_ALGORITHMS.join(', ')}`);
  const { notBefore, notAfter } = options;
  if (!Number.isSafeInteger(notBefore) || !Number.isSafeInteger(notAfter) || notBefore < 0 || notAfter <= notBefore) {
    throw bad(`${fn}: notBefore and notAfter must be integer seconds with notBefore < notAfter`);
  }
  if (options.serialNumber !== undefined && (!/^[0-7][0-9a-fA-F]{1,39}$/.test(options.serialNumber) || /^0+$/.test(options.serialNumber))) {
    throw bad(`${fn}: serialNumber must be a positive hex integer of at most 20 bytes`);
  }
  return keyAlg;
}

function checkText(value: string, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw bad(`${what} must be a non-empty string`);
  return value;
}

function bad(message: string): TransitiveProofError {
  return invalidArgument(message);
}
