/**
 * Test PKI: builds root / intermediate / leaf certificates with @peculiar/x509's generator, with a
 * knob to break each property the validator checks. Defaults give a valid path
 * root → intermediate → leaf (SPIFFE ID spiffe://example.org/workload) valid around NOW.
 */
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints } from '@peculiar/asn1-x509';
import { TransitiveProofError, X509Error, type ErrorCode } from '../../lib/errors.js';
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
} from '../../lib/x509/peculiar.js';
import { loadTrustAnchors, validateCertificatePath, type TrustAnchor, type ValidatedPath, type X509PathOptions } from '../../lib/x509/index.js';

/** The fixed validation time of the tests (2027-01-15T08:00:00Z). */
export const NOW = 1_800_000_000;
export const HOUR = 3600;
export const DAY = 86_400;

export const EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
export const EKU_ANY = '2.5.29.37.0';

export type TestKeyAlg = 'Ed25519' | 'ES256' | 'ES384' | 'PS256' | 'RSA1024';

export interface TestKeyPair {
  alg: TestKeyAlg;
  keys: webcrypto.CryptoKeyPair;
}

const GENERATE: Record<TestKeyAlg, webcrypto.Algorithm | webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams> = {
  Ed25519: { name: 'Ed25519' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' } as webcrypto.EcKeyGenParams,
  ES384: { name: 'ECDSA', namedCurve: 'P-384' } as webcrypto.EcKeyGenParams,
  PS256: { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as webcrypto.RsaHashedKeyGenParams,
  RSA1024: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as webcrypto.RsaHashedKeyGenParams,
};

export async function generateKey(alg: TestKeyAlg = 'ES256'): Promise<TestKeyPair> {
  return { alg, keys: (await webcrypto.subtle.generateKey(GENERATE[alg], true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair };
}

function signingAlgorithm(alg: TestKeyAlg, hash?: string): webcrypto.Algorithm {
  switch (alg) {
    case 'Ed25519':
      return { name: 'Ed25519' };
    case 'ES256':
      return { name: 'ECDSA', hash: hash ?? 'SHA-256' } as webcrypto.EcdsaParams;
    case 'ES384':
      return { name: 'ECDSA', hash: hash ?? 'SHA-384' } as webcrypto.EcdsaParams;
    case 'PS256':
      return { name: 'RSA-PSS', saltLength: 32, hash: hash ?? 'SHA-256' } as webcrypto.RsaPssParams;
    case 'RSA1024':
      return { name: 'RSASSA-PKCS1-v1_5', hash: hash ?? 'SHA-256' } as webcrypto.Algorithm;
  }
}

export interface TestCert {
  der: Uint8Array;
  subject: string;
  key: TestKeyPair;
  certificate: X509Certificate;
}

export type SanSpec = { type: 'url' | 'dns' | 'email' | 'ip'; value: string };

export interface CertSpec {
  subject: string;
  /** Self-signed when absent. */
  issuer?: TestCert;
  keyAlg?: TestKeyAlg;
  /** Reuse a key (e.g. a second certificate for the same CA key). */
  key?: TestKeyPair;
  notBefore?: number;
  notAfter?: number;
  /** null omits the extension. */
  basicConstraints?: { ca: boolean; pathLength?: number } | null;
  /** Criticality overrides (defaults: basicConstraints critical, AKI and SKI not). */
  basicConstraintsCritical?: boolean;
  authorityKeyIdCritical?: boolean;
  subjectKeyIdCritical?: boolean;
  /** KeyUsageFlags; null omits the extension. */
  keyUsage?: number | null;
  extKeyUsage?: string[];
  san?: SanSpec[];
  sanCritical?: boolean;
  nameConstraints?: { permitted?: GeneralName[]; excluded?: GeneralName[]; critical?: boolean; minimum?: number };
  extraExtensions?: Extension[];
  /** Issuer DN written into the certificate (default: the issuer's subject Name object). */
  issuerName?: string;
  /** Hex; null omits AKI. Default: the issuer's SKI. */
  authorityKeyId?: string | null;
  /** Hex; null omits SKI. Default: computed from the key. */
  subjectKeyId?: string | null;
  /** Sign with this key instead of the issuer's. */
  signWith?: TestKeyPair;
  /** Override the signature hash (e.g. 'SHA-1'). */
  signatureHash?: string;
  serialNumber?: string;
}

let serial = 1;

export async function makeCert(spec: CertSpec): Promise<TestCert> {
  const key = spec.key ?? (await generateKey(spec.keyAlg ?? 'ES256'));
  const isCa = spec.basicConstraints === undefined ? spec.issuer === undefined : spec.basicConstraints?.ca === true;
  const extensions: Extension[] = [];
  if (spec.basicConstraints !== null) {
    const bc = spec.basicConstraints ?? { ca: isCa };
    extensions.push(new BasicConstraintsExtension(bc.ca, bc.pathLength, spec.basicConstraintsCritical ?? true));
  }
  if (spec.keyUsage !== null) {
    const ku = spec.keyUsage ?? (isCa ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign : KeyUsageFlags.digitalSignature);
    extensions.push(new KeyUsagesExtension(ku, true));
  }
  if (spec.extKeyUsage !== undefined) extensions.push(new ExtendedKeyUsageExtension(spec.extKeyUsage, false));
  if (spec.san !== undefined) extensions.push(new SubjectAlternativeNameExtension(spec.san, spec.sanCritical ?? false));
  if (spec.subjectKeyId !== null) {
    extensions.push(
      spec.subjectKeyId === undefined
        ? await SubjectKeyIdentifierExtension.create(key.keys.publicKey as never, spec.subjectKeyIdCritical ?? false, webCrypto)
        : new SubjectKeyIdentifierExtension(spec.subjectKeyId, spec.subjectKeyIdCritical ?? false),
    );
  }
  if (spec.nameConstraints !== undefined) extensions.push(nameConstraints(spec.nameConstraints));
  extensions.push(...(spec.extraExtensions ?? []));

  const signer = spec.signWith ?? spec.issuer?.key ?? key;
  const common = {
    serialNumber: (serial++).toString(16).padStart(4, '0'),
    notBefore: new Date((spec.notBefore ?? NOW - DAY) * 1000),
    notAfter: new Date((spec.notAfter ?? NOW + 30 * DAY) * 1000),
    signingAlgorithm: signingAlgorithm(signer.alg, spec.signatureHash) as never,
  };
  if (spec.serialNumber !== undefined) common.serialNumber = spec.serialNumber;
  let certificate: X509Certificate;
  if (spec.issuer === undefined && spec.signWith === undefined && spec.issuerName === undefined && spec.authorityKeyId === undefined) {
    certificate = await X509CertificateGenerator.createSelfSigned({ ...common, name: spec.subject, keys: key.keys as never, extensions }, webCrypto);
  } else {
    const issuerSki = spec.issuer === undefined ? undefined : new X509Certificate(spec.issuer.der).getExtension(SubjectKeyIdentifierExtension)?.keyId;
    const aki = spec.authorityKeyId === undefined ? issuerSki : spec.authorityKeyId ?? undefined;
    if (aki !== undefined) extensions.push(new AuthorityKeyIdentifierExtension(aki, spec.authorityKeyIdCritical ?? false));
    certificate = await X509CertificateGenerator.create(
      {
        ...common,
        extensions,
        subject: spec.subject,
        issuer: spec.issuerName ?? (spec.issuer === undefined ? spec.subject : spec.issuer.certificate.subjectName),
        publicKey: key.keys.publicKey as never,
        signingKey: signer.keys.privateKey as never,
      },
      webCrypto,
    );
  }
  return { der: new Uint8Array(certificate.rawData), subject: certificate.subject, key, certificate };
}

function nameConstraints(spec: NonNullable<CertSpec['nameConstraints']>): Extension {
  const subtrees = (names: GeneralName[] | undefined) =>
    names === undefined ? undefined : new GeneralSubtrees(names.map((base) => new GeneralSubtree({ base, minimum: spec.minimum ?? 0 })));
  const value = new NameConstraints({});
  const permitted = subtrees(spec.permitted);
  const excluded = subtrees(spec.excluded);
  if (permitted !== undefined) value.permittedSubtrees = permitted;
  if (excluded !== undefined) value.excludedSubtrees = excluded;
  return new Extension('2.5.29.30', spec.critical ?? true, AsnConvert.serialize(value));
}

export const dnsSubtree = (dNSName: string) => new GeneralName({ dNSName });
export const uriSubtree = (uniformResourceIdentifier: string) => new GeneralName({ uniformResourceIdentifier });

export const DEFAULT_SPIFFE_ID = 'spiffe://example.org/workload';

export interface PathSpec {
  root?: Partial<CertSpec>;
  /** null: the leaf is issued by the root directly. */
  intermediate?: Partial<CertSpec> | null;
  leaf?: Partial<CertSpec>;
}

export interface TestPath {
  root: TestCert;
  intermediate: TestCert | undefined;
  leaf: TestCert;
  /** leaf, intermediate (the anchor is not included). */
  x5c: Uint8Array[];
  anchors: TrustAnchor[];
}

/** root → [intermediate] → leaf, each level overridable. */
export async function makePath(spec: PathSpec = {}): Promise<TestPath> {
  const root = await makeCert({ subject: 'CN=Test Root CA', ...spec.root });
  const intermediate =
    spec.intermediate === null
      ? undefined
      : await makeCert({ subject: 'CN=Test Intermediate CA', issuer: root, basicConstraints: { ca: true }, ...spec.intermediate });
  const leaf = await makeCert({
    subject: 'CN=Test Leaf',
    issuer: intermediate ?? root,
    basicConstraints: { ca: false },
    san: [{ type: 'url', value: DEFAULT_SPIFFE_ID }],
    ...spec.leaf,
  });
  return {
    root,
    intermediate,
    leaf,
    x5c: intermediate === undefined ? [leaf.der] : [leaf.der, intermediate.der],
    anchors: await loadTrustAnchors([root.der]),
  };
}

/** Validate with test defaults: now = NOW, no tolerance, URI identity. */
export function validate(x5c: Uint8Array[], anchors: TrustAnchor[], options: Partial<X509PathOptions> = {}): Promise<ValidatedPath> {
  return validateCertificatePath(x5c, { anchors, now: NOW, clockToleranceSeconds: 0, identity: { type: 'uri' }, ...options });
}

/** Assert an X509Error (a TransitiveProofError) with exactly this code. */
export async function rejectsWith(promise: Promise<unknown>, code: ErrorCode, messagePattern?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TransitiveProofError, `expected a TransitiveProofError, got ${String(error)}`);
    if (code.startsWith('x5c_')) assert.ok(error instanceof X509Error, `expected X509Error, got ${error.name}`);
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
    if (messagePattern !== undefined) assert.match(error.message, messagePattern);
    return true;
  });
}

/** A copy of `der` with the lowest bit of its last byte (inside the signature value) flipped. */
export function flipLastByte(der: Uint8Array): Uint8Array {
  const copy = new Uint8Array(der);
  copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0x01;
  return copy;
}
