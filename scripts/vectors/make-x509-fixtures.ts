/**
 * One-off: `node --import tsx scripts/vectors/make-x509-fixtures.ts` writes x509-fixtures.json, the
 * fixed test PKI of the X.509 vectors (certificates and their TEST KEYS — NEVER USE). Certificates
 * are committed rather than re-made on each generation because key generation is random; with them
 * fixed, every X.509 vector (Ed25519 leaves) is byte-reproducible.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync, sign as signWithNode, webcrypto } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as asn1js from 'asn1js';
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints } from '@peculiar/asn1-x509';
import { type PrivateJwk } from '../../lib/index.js';
import { createCertificateAuthority, createIntermediate, createLeaf, type IssuedCertificate } from '../../lib/x509/issue.js';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  Extension,
  X509Certificate,
  KeyUsageFlags,
  KeyUsagesExtension,
  webCrypto,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
} from '../../lib/x509/peculiar.js';
import { NOW } from './builder.js';
import { repositoryRoot } from './generate.js';

const YEAR = 365 * 86_400;
const valid = { notBefore: NOW - YEAR, notAfter: NOW + YEAR, keyAlg: 'Ed25519' as const };

interface Fixture {
  subject: string;
  der: string;
  privateJwk: PrivateJwk;
}

const FILE = join(repositoryRoot(), 'scripts/vectors/x509-fixtures.json');

/**
 * Only when run directly: importing this module must never overwrite the committed fixtures. The
 * base PKI is made only when the file does not exist; certificates added later (extras) are made
 * only when missing, so existing vectors keep their certificates.
 */
export async function makeX509Fixtures(): Promise<void> {
  const existing = existsSync(FILE) ? (JSON.parse(readFileSync(FILE, 'utf8')) as { certificates: Record<string, Fixture> }).certificates : undefined;
  const certificates = existing ?? (await basePki());
  if (certificates.selfSignedLeaf === undefined) certificates.selfSignedLeaf = await selfSignedLeaf();
  await profileExtras(certificates);
  await readingExtras(certificates);
  await ecdsaExtras(certificates);
  await keyEncodingExtras(certificates);
  await modulusExtras(certificates);
  await independentReadingExtras(certificates);
  writeFileSync(FILE, `${JSON.stringify({ warning: 'TEST KEYS — NEVER USE', certificates }, null, 2)}\n`);
  process.stdout.write(`wrote ${FILE}\n`);
}

/** An end-entity certificate (cA false, SPIFFE ID of the issuer) signed by its own key. */
async function selfSignedLeaf(): Promise<Fixture> {
  const keys = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const certificate = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: '0a5e1f51',
      name: 'CN=Self-signed leaf',
      notBefore: new Date((NOW - YEAR) * 1000),
      notAfter: new Date((NOW + YEAR) * 1000),
      keys: keys as never,
      signingAlgorithm: { name: 'Ed25519' } as never,
      extensions: await leafExtensions(keys),
    },
    webCrypto,
  );
  return {
    subject: certificate.subject,
    der: Buffer.from(certificate.rawData).toString('base64'),
    privateJwk: (await webcrypto.subtle.exportKey('jwk', keys.privateKey)) as PrivateJwk,
  };
}

/**
 * Certificates that break one RFC 5280 profile rule each (issue #12), issued with the committed keys
 * of `intermediate` / `root`: a leaf without authorityKeyIdentifier (rule 2), a leaf asserting
 * keyCertSign (rule 8), an intermediate without keyUsage and a leaf below it (rule 7).
 */
async function profileExtras(certificates: Record<string, Fixture>): Promise<void> {
  if (certificates.leafWithoutAki === undefined) {
    const keys = await ed25519();
    certificates.leafWithoutAki = await issue(certificates.intermediate as Fixture, 'CN=Leaf without AKI', keys, await leafExtensions(keys, { usage: KeyUsageFlags.digitalSignature }), '0a5e1f52');
  }
  if (certificates.leafWithKeyCertSign === undefined) {
    const keys = await ed25519();
    const extensions = await leafExtensions(keys, { usage: KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign, issuer: certificates.intermediate as Fixture });
    certificates.leafWithKeyCertSign = await issue(certificates.intermediate as Fixture, 'CN=Leaf asserting keyCertSign', keys, extensions, '0a5e1f53');
  }
  if (certificates.intermediateWithoutKeyUsage === undefined) {
    const keys = await ed25519();
    const extensions = [
      new BasicConstraintsExtension(true, undefined, true),
      await SubjectKeyIdentifierExtension.create(keys.publicKey as never, false, webCrypto),
      await authorityKeyIdentifier(certificates.root as Fixture),
    ];
    certificates.intermediateWithoutKeyUsage = await issue(certificates.root as Fixture, 'CN=Intermediate without keyUsage', keys, extensions, '0a5e1f54');
    const leafKeys = await ed25519();
    const leafExtras = await leafExtensions(leafKeys, { issuer: certificates.intermediateWithoutKeyUsage });
    certificates.leafOfNoKeyUsage = await issue(certificates.intermediateWithoutKeyUsage, 'CN=Leaf below an intermediate without keyUsage', leafKeys, leafExtras, '0a5e1f55');
  }
}

/** A CA's extensions: basicConstraints cA (critical unless said), keyCertSign and cRLSign (unless said), its subjectKeyIdentifier. */
async function caExtensions(keys: webcrypto.CryptoKeyPair, options: { bcCritical?: boolean; keyUsage?: boolean } = {}): Promise<Extension[]> {
  return [
    new BasicConstraintsExtension(true, undefined, options.bcCritical ?? true),
    ...(options.keyUsage === false ? [] : [new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true)]),
    await SubjectKeyIdentifierExtension.create(keys.publicKey as never, false, webCrypto),
  ];
}

/**
 * A SPIFFE leaf's extensions: basicConstraints cA false, keyUsage (digitalSignature unless said), the
 * URI SAN (the issuer's SPIFFE ID unless said), its subjectKeyIdentifier, and the issuer's
 * authorityKeyIdentifier when an issuer is given.
 */
async function leafExtensions(keys: webcrypto.CryptoKeyPair, options: { usage?: number; uri?: string; issuer?: Fixture } = {}): Promise<Extension[]> {
  return [
    new BasicConstraintsExtension(false, undefined, true),
    new KeyUsagesExtension(options.usage ?? KeyUsageFlags.digitalSignature, true),
    new SubjectAlternativeNameExtension([{ type: 'url', value: options.uri ?? 'spiffe://example.org/issuer' }], false),
    await SubjectKeyIdentifierExtension.create(keys.publicKey as never, false, webCrypto),
    ...(options.issuer === undefined ? [] : [await authorityKeyIdentifier(options.issuer)]),
  ];
}

/** The authorityKeyIdentifier naming `issuer`'s subjectKeyIdentifier. */
async function authorityKeyIdentifier(issuer: Fixture): Promise<Extension> {
  return new AuthorityKeyIdentifierExtension((await ski(issuer)) as string, false);
}

/** A certificate made from explicit parts: names as the issuer's Name object where given, any key pair, any extensions. */
async function make(parts: {
  subject: string | X509Certificate['subjectName'];
  issuer: string | X509Certificate['subjectName'];
  keys: webcrypto.CryptoKeyPair;
  signingKey: webcrypto.CryptoKey;
  extensions: Extension[];
  serialNumber: string;
  /** The issuer's signature algorithm (default Ed25519). */
  signingAlgorithm?: object;
}): Promise<Fixture> {
  const certificate = await X509CertificateGenerator.create(
    {
      serialNumber: parts.serialNumber,
      subject: parts.subject,
      issuer: parts.issuer,
      notBefore: new Date((NOW - YEAR) * 1000),
      notAfter: new Date((NOW + YEAR) * 1000),
      publicKey: parts.keys.publicKey as never,
      signingKey: parts.signingKey as never,
      signingAlgorithm: (parts.signingAlgorithm ?? { name: 'Ed25519' }) as never,
      extensions: parts.extensions,
    },
    webCrypto,
  );
  return {
    subject: certificate.subject,
    der: Buffer.from(certificate.rawData).toString('base64'),
    privateJwk: (await webcrypto.subtle.exportKey('jwk', parts.keys.privateKey)) as PrivateJwk,
  };
}

function certificateOf(fixture: Fixture): X509Certificate {
  return new X509Certificate(Buffer.from(fixture.der, 'base64'));
}

/** The key pair of a committed fixture (its public key from the certificate). */
async function keysOf(fixture: Fixture): Promise<webcrypto.CryptoKeyPair> {
  const privateKey = await webcrypto.subtle.importKey('jwk', fixture.privateJwk as webcrypto.JsonWebKey, { name: 'Ed25519' }, true, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', certificateOf(fixture).publicKey.rawData, { name: 'Ed25519' }, true, ['verify']);
  return { privateKey, publicKey };
}

/** A critical nameConstraints extension; an empty list is written as an empty GeneralSubtrees. */
function nameConstraints(permitted: GeneralName[] | undefined, excluded: GeneralName[] | undefined): Extension {
  const value = new NameConstraints({});
  if (permitted !== undefined) value.permittedSubtrees = new GeneralSubtrees(permitted.map((base) => new GeneralSubtree({ base })));
  if (excluded !== undefined) value.excludedSubtrees = new GeneralSubtrees(excluded.map((base) => new GeneralSubtree({ base })));
  return new Extension('2.5.29.30', true, AsnConvert.serialize(value));
}

const uri = (value: string) => new GeneralName({ uniformResourceIdentifier: value });
const dns = (value: string) => new GeneralName({ dNSName: value });

/** The name-constrained intermediates of the rule 9 vectors: one key and one name, these constraints each. */
export const URI_CONSTRAINT_CASES = {
  ncUriEmptyPermitted: { permitted: [uri('')] },
  ncUriEmptyExcluded: { excluded: [uri('')] },
  ncUriIpAddress: { permitted: [uri('example.org'), uri('192.0.2.1')] },
  ncUriPort: { permitted: [uri('example.org:443')] },
  ncUriUserinfo: { permitted: [uri('user@example.org')] },
  ncUriDomainNotHost: { permitted: [uri('.example.org')] },
  ncUriHostNotDomain: { permitted: [uri('org')] },
  ncUriHost: { permitted: [uri('example.org')] },
  ncDnsLeadingPeriod: { permitted: [dns('.example.org')] },
  ncEmptyPermittedList: { permitted: [], excluded: [uri('evil.example')] },
} as const satisfies Record<string, { permitted?: GeneralName[]; excluded?: GeneralName[] }>;

/**
 * Certificates of the vectors that pin one reading of §7.2 rules 3, 7 and 9 (issue #11), made only
 * when missing: an impostor root with the anchor's name and key identifier (rule 3 (d)); CAs with
 * two faults (rule 7's order); intermediates sharing one key and name under different URI
 * constraints, with one leaf below them all (rule 9); a name-constrained root with a self-issued
 * rollover certificate outside its constraints (rule 9 (c)).
 */
async function readingExtras(certificates: Record<string, Fixture>): Promise<void> {
  const root = certificates.root as Fixture;
  const rootKeys = await keysOf(root);
  const rootName = certificateOf(root).subjectName;
  const rootSki = (await ski(root)) as string;
  const leafBelow = async (issuer: Fixture, subject: string, serialNumber: string, uri?: string) => {
    const keys = await ed25519();
    return make({
      subject,
      issuer: certificateOf(issuer).subjectName,
      keys,
      signingKey: (await keysOf(issuer)).privateKey,
      extensions: await leafExtensions(keys, { issuer, uri }),
      serialNumber,
    });
  };

  if (certificates.impostorRoot === undefined) {
    // Self-issued with the root's Name, its subjectKeyIdentifier copied, signed by its own key.
    const keys = await ed25519();
    certificates.impostorRoot = await make({
      subject: rootName,
      issuer: rootName,
      keys,
      signingKey: keys.privateKey,
      extensions: [
        new BasicConstraintsExtension(true, undefined, true),
        new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
        new SubjectKeyIdentifierExtension(rootSki, false),
        new AuthorityKeyIdentifierExtension(rootSki, false),
      ],
      serialNumber: '0a5e1f60',
    });
  }

  if (certificates.upperNotCritical === undefined) {
    const upperKeys = await ed25519();
    certificates.upperNotCritical = await make({
      subject: 'CN=Upper CA with non-critical basicConstraints',
      issuer: rootName,
      keys: upperKeys,
      signingKey: rootKeys.privateKey,
      extensions: [...(await caExtensions(upperKeys, { bcCritical: false })), new AuthorityKeyIdentifierExtension(rootSki, false)],
      serialNumber: '0a5e1f61',
    });
    const lowerKeys = await ed25519();
    certificates.lowerWithoutKeyUsage = await make({
      subject: 'CN=Lower CA without keyUsage',
      issuer: certificateOf(certificates.upperNotCritical).subjectName,
      keys: lowerKeys,
      signingKey: upperKeys.privateKey,
      extensions: [...(await caExtensions(lowerKeys, { keyUsage: false })), new AuthorityKeyIdentifierExtension((await ski(certificates.upperNotCritical)) as string, false)],
      serialNumber: '0a5e1f62',
    });
    certificates.leafOfLowerWithoutKeyUsage = await leafBelow(certificates.lowerWithoutKeyUsage, 'CN=Leaf below two faulty CAs', '0a5e1f63');
  }

  if (certificates.caNotCriticalWithoutKeyUsage === undefined) {
    const keys = await ed25519();
    certificates.caNotCriticalWithoutKeyUsage = await make({
      subject: 'CN=CA with non-critical basicConstraints and no keyUsage',
      issuer: rootName,
      keys,
      signingKey: rootKeys.privateKey,
      extensions: [...(await caExtensions(keys, { bcCritical: false, keyUsage: false })), new AuthorityKeyIdentifierExtension(rootSki, false)],
      serialNumber: '0a5e1f64',
    });
    certificates.leafOfCaWithTwoFaults = await leafBelow(certificates.caNotCriticalWithoutKeyUsage, 'CN=Leaf below a CA with two faults', '0a5e1f65');
  }

  let serial = 0x0a5e1f70;
  let ncKeys: webcrypto.CryptoKeyPair | undefined;
  for (const [name, constraints] of Object.entries(URI_CONSTRAINT_CASES)) {
    if (certificates[name] !== undefined) continue;
    // One key and one Name for them all, so the one leaf below (leafOfNc) chains to each.
    ncKeys ??= certificates.ncUriHost === undefined ? await ed25519() : await keysOf(certificates.ncUriHost);
    const c = constraints as { permitted?: GeneralName[]; excluded?: GeneralName[] };
    certificates[name] = await make({
      subject: 'CN=Name-constrained CA',
      issuer: rootName,
      keys: ncKeys,
      signingKey: rootKeys.privateKey,
      extensions: [...(await caExtensions(ncKeys)), new AuthorityKeyIdentifierExtension(rootSki, false), nameConstraints(c.permitted, c.excluded)],
      serialNumber: (serial++).toString(16),
    });
  }
  if (certificates.leafOfNc === undefined) certificates.leafOfNc = await leafBelow(certificates.ncUriHost as Fixture, 'CN=Leaf below the name-constrained CAs', '0a5e1f80');

  if (certificates.constrainedRoot === undefined) {
    const keys = await ed25519();
    const extensions = [...(await caExtensions(keys)), nameConstraints([uri('example.org')], undefined)];
    const certificate = await X509CertificateGenerator.createSelfSigned(
      { serialNumber: '0a5e1f81', name: 'CN=Name-constrained Vector Root CA', notBefore: new Date((NOW - YEAR) * 1000), notAfter: new Date((NOW + YEAR) * 1000), keys: keys as never, signingAlgorithm: { name: 'Ed25519' } as never, extensions },
      webCrypto,
    );
    certificates.constrainedRoot = { subject: certificate.subject, der: Buffer.from(certificate.rawData).toString('base64'), privateJwk: (await webcrypto.subtle.exportKey('jwk', keys.privateKey)) as PrivateJwk };
    // Key rollover: the root's Name, a new key, signed by the root; its own name is outside the root's constraints.
    const rolloverKeys = await ed25519();
    const rootCertName = certificate.subjectName;
    certificates.constrainedRootRollover = await make({
      subject: rootCertName,
      issuer: rootCertName,
      keys: rolloverKeys,
      signingKey: keys.privateKey,
      extensions: [
        ...(await caExtensions(rolloverKeys)),
        new AuthorityKeyIdentifierExtension((await ski(certificates.constrainedRoot)) as string, false),
        new SubjectAlternativeNameExtension([{ type: 'url', value: 'spiffe://elsewhere.example/rollover' }], false),
      ],
      serialNumber: '0a5e1f82',
    });
    certificates.leafOfRollover = await leafBelow(certificates.constrainedRootRollover, 'CN=Leaf below a self-issued rollover', '0a5e1f83');
  }
  // §7.1 `uri` rule: a URI name with no scheme, which an iss can equal byte for byte.
  if (certificates.leafRelativeUri === undefined) {
    certificates.leafRelativeUri = await leafBelow(certificates.intermediate as Fixture, 'CN=Leaf with a relative URI', '0a5e1f90', 'example.org/issuer');
  }
}

/**
 * §7.2 rule 4 (issue #23): an ECDSA P-256 intermediate under the root, an Ed25519 leaf it signs
 * with ECDSA/SHA-256, and that leaf with its signature value re-encoded in BER (r with a superfluous
 * leading zero octet; the TBS and the envelope stay DER).
 */
async function ecdsaExtras(certificates: Record<string, Fixture>): Promise<void> {
  if (certificates.ecdsaIntermediate !== undefined) return;
  const root = certificates.root as Fixture;
  const caKeys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const intermediate = await make({
    subject: 'CN=ECDSA P-256 Intermediate CA',
    issuer: certificateOf(root).subjectName,
    keys: caKeys,
    signingKey: (await keysOf(root)).privateKey,
    extensions: [...(await caExtensions(caKeys)), await authorityKeyIdentifier(root)],
    serialNumber: '0a5e1fa0',
  });
  const leafKeys = await ed25519();
  const leaf = await make({
    subject: 'CN=Leaf below the ECDSA intermediate',
    issuer: certificateOf(intermediate).subjectName,
    keys: leafKeys,
    signingKey: caKeys.privateKey,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: await leafExtensions(leafKeys, { issuer: intermediate }),
    serialNumber: '0a5e1fa1',
  });
  // The signatureValue BIT STRING's content, SEQUENCE { r, s }, rewritten with r = 00 || r.
  const decoded = asn1js.fromBER(Buffer.from(leaf.der, 'base64'));
  const envelope = decoded.result as asn1js.Sequence;
  const signature = envelope.valueBlock.value[2] as asn1js.BitString;
  const value = asn1js.fromBER(signature.valueBlock.valueHexView).result as asn1js.Sequence;
  const r = value.valueBlock.value[0] as asn1js.Integer;
  const s = value.valueBlock.value[1] as asn1js.Integer;
  const rBytes = new Uint8Array(r.valueBlock.valueHexView);
  const sBytes = new Uint8Array(s.valueBlock.valueHexView);
  const content = [0x02, rBytes.length + 1, 0x00, ...rBytes, 0x02, sBytes.length, ...sBytes];
  envelope.valueBlock.value[2] = new asn1js.BitString({ valueHex: new Uint8Array([0x30, content.length, ...content]) });
  certificates.ecdsaIntermediate = intermediate;
  certificates.leafOfEcdsa = leaf;
  certificates.leafOfEcdsaBerSignature = { ...leaf, der: Buffer.from(envelope.toBER()).toString('base64') };
}

/**
 * An RSA intermediate CA (RSASSA-PKCS1-v1_5, 2048 bits) whose subjectPublicKey is not the DER of
 * RSAPublicKey (the modulus carries a redundant leading zero octet), re-signed by the root over that
 * TBSCertificate, and an Ed25519 leaf it signs: node:crypto imports such a key, browsers refuse it.
 */
async function keyEncodingExtras(certificates: Record<string, Fixture>): Promise<void> {
  if (certificates.rsaKeyNotDerIntermediate !== undefined) return;
  const root = certificates.root as Fixture;
  const rootKeys = await keysOf(root);
  const caKeys = (await webcrypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const intermediate = await make({
    subject: 'CN=RSA Intermediate CA with a non-DER key',
    issuer: certificateOf(root).subjectName,
    keys: caKeys,
    signingKey: rootKeys.privateKey,
    extensions: [...(await caExtensions(caKeys)), await authorityKeyIdentifier(root)],
    serialNumber: '0a5e1fb0',
  });
  // The subjectPublicKey's RSAPublicKey rewritten with n = 00 || n (its first octet already 00: a
  // positive modulus with its high bit set), the TBSCertificate signed again by the root.
  const envelope = asn1js.fromBER(Buffer.from(intermediate.der, 'base64')).result as asn1js.Sequence;
  const tbs = envelope.valueBlock.value[0] as asn1js.Sequence;
  const spki = tbs.valueBlock.value[6] as asn1js.Sequence;
  const rsaPublicKey = asn1js.fromBER((spki.valueBlock.value[1] as asn1js.BitString).valueBlock.valueHexView).result as asn1js.Sequence;
  const [n, e] = rsaPublicKey.valueBlock.value as [asn1js.Integer, asn1js.Integer];
  const padded = new asn1js.Sequence({ value: [new asn1js.Integer({ valueHex: new Uint8Array([0, ...new Uint8Array(n.valueBlock.valueHexView)]) }), new asn1js.Integer({ valueHex: new Uint8Array(e.valueBlock.valueHexView) })] });
  spki.valueBlock.value[1] = new asn1js.BitString({ valueHex: padded.toBER() });
  const signature = await webcrypto.subtle.sign({ name: 'Ed25519' }, rootKeys.privateKey, tbs.toBER());
  envelope.valueBlock.value[2] = new asn1js.BitString({ valueHex: signature });
  const nonDer: Fixture = { ...intermediate, der: Buffer.from(envelope.toBER()).toString('base64') };
  const leafKeys = await ed25519();
  const leaf = await make({
    subject: 'CN=Leaf below the RSA intermediate with a non-DER key',
    issuer: certificateOf(nonDer).subjectName,
    keys: leafKeys,
    signingKey: caKeys.privateKey,
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    extensions: await leafExtensions(leafKeys, { issuer: intermediate }),
    serialNumber: '0a5e1fb1',
  });
  certificates.rsaKeyNotDerIntermediate = nonDer;
  certificates.leafOfRsaKeyNotDer = leaf;
}

/**
 * The issuer leaf (below the intermediate) with its subjectPublicKey replaced by an RSA key of 16 392
 * bits (an odd number of that length, no real key: rule 1 refuses it before anything reads it as a
 * key), re-signed by the intermediate over that TBSCertificate. It keeps the issuer leaf's Ed25519
 * private key, so a link can still be signed: the refusal is the certificate's, not the signature's.
 */
async function modulusExtras(certificates: Record<string, Fixture>): Promise<void> {
  if (certificates.leafRsaModulusTooLong !== undefined) return;
  const base = certificates.issuerLeaf as Fixture;
  const envelope = asn1js.fromBER(Buffer.from(base.der, 'base64')).result as asn1js.Sequence;
  const tbs = envelope.valueBlock.value[0] as asn1js.Sequence;
  const modulus = Uint8Array.from({ length: 16_392 / 8 }, (_, i) => (i === 0 ? 0x80 : 0xff));
  const rsaPublicKey = new asn1js.Sequence({ value: [new asn1js.Integer({ valueHex: Uint8Array.of(0, ...modulus) }), new asn1js.Integer({ valueHex: Uint8Array.of(1, 0, 1) })] });
  tbs.valueBlock.value[6] = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.1.1' }), new asn1js.Null()] }),
      new asn1js.BitString({ valueHex: rsaPublicKey.toBER() }),
    ],
  });
  const signature = await webcrypto.subtle.sign({ name: 'Ed25519' }, (await keysOf(certificates.intermediate as Fixture)).privateKey, tbs.toBER());
  envelope.valueBlock.value[2] = new asn1js.BitString({ valueHex: signature });
  certificates.leafRsaModulusTooLong = { ...base, der: Buffer.from(envelope.toBER()).toString('base64') };
}

/**
 * The issuer leaf (below the intermediate) with one edit to its TBSCertificate, re-signed by the
 * intermediate. It keeps the issuer leaf's Ed25519 private key, so a link can still be signed.
 */
async function editedIssuerLeaf(certificates: Record<string, Fixture>, edit: (tbs: asn1js.Sequence) => void): Promise<Fixture> {
  const base = certificates.issuerLeaf as Fixture;
  const envelope = asn1js.fromBER(Buffer.from(base.der, 'base64')).result as asn1js.Sequence;
  const tbs = envelope.valueBlock.value[0] as asn1js.Sequence;
  edit(tbs);
  // asn1js keeps a decoded length's long form: an edit that shrinks a value below 128 octets must not
  // leave its enclosing lengths non-minimal (asn1js itself takes the long form from 128 octets on).
  const minimalLengths = (node: asn1js.AsnType): void => {
    const block = node as unknown as { lenBlock?: { longFormUsed: boolean }; valueBlock?: { value?: unknown } };
    if (block.lenBlock !== undefined) block.lenBlock.longFormUsed = false;
    if (Array.isArray(block.valueBlock?.value)) for (const child of block.valueBlock.value as asn1js.AsnType[]) minimalLengths(child);
  };
  minimalLengths(envelope);
  const signature = await webcrypto.subtle.sign({ name: 'Ed25519' }, (await keysOf(certificates.intermediate as Fixture)).privateKey, tbs.toBER());
  envelope.valueBlock.value[2] = new asn1js.BitString({ valueHex: signature });
  return { ...base, der: Buffer.from(envelope.toBER()).toString('base64') };
}

/**
 * The readings an independent X.509 implementation took otherwise (impl10): a subject Name ending in
 * a RelativeDistinguishedName of no attribute (rule 1: SET SIZE (1..MAX)); an Ed448 leaf key, which
 * node:crypto imports and the key import of rule 1 does not (an Ed448 public key of 57 octets, no real
 * key); a leaf below the URI-constrained CA with a wildcard dNSName beside its SPIFFE ID (rule 9 (d):
 * a form the CA does not constrain is not read); an intermediate with a secp256k1 key signing the
 * issuer leaf with ECDSA/SHA-256 (rule 4: the issuer key's curve); the issuer leaf with a keyUsage
 * BIT STRING with an unused bit set, with one in GnuTLS's form, and with an empty subjectAltName (rule 1).
 */
async function independentReadingExtras(certificates: Record<string, Fixture>): Promise<void> {
  if (certificates.leafEmptyRdn === undefined) {
    certificates.leafEmptyRdn = await editedIssuerLeaf(certificates, (tbs) => {
      (tbs.valueBlock.value[5] as asn1js.Sequence).valueBlock.value.push(new asn1js.Set({ value: [] }));
    });
  }
  if (certificates.leafRdnOutOfOrder === undefined) {
    // The subject given one RDN of two attributes (CN=leaf, O=o) in descending order of their
    // encodings: a SET OF out of DER's order (X.690 §11.6).
    certificates.leafRdnOutOfOrder = await editedIssuerLeaf(certificates, (tbs) => {
      const attribute = (oid: string, value: string) => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), new asn1js.Utf8String({ value })] });
      const both = [attribute('2.5.4.3', 'leaf'), attribute('2.5.4.10', 'o')].sort((x, y) => Buffer.compare(Buffer.from(y.toBER()), Buffer.from(x.toBER())));
      (tbs.valueBlock.value[5] as asn1js.Sequence).valueBlock.value.push(new asn1js.Set({ value: both }));
    });
  }
  if (certificates.leafEd448 === undefined) {
    certificates.leafEd448 = await editedIssuerLeaf(certificates, (tbs) => {
      tbs.valueBlock.value[6] = new asn1js.Sequence({
        value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.3.101.113' })] }), new asn1js.BitString({ valueHex: Uint8Array.from({ length: 57 }, (_, i) => (i * 37 + 11) & 0xff) })],
      });
    });
  }
  if (certificates.secp256k1Intermediate === undefined) {
    // The intermediate with its key replaced by a secp256k1 key (re-signed by the root; its
    // subjectKeyIdentifier kept, so the leaf's AKI still names it), and the issuer leaf signed by that
    // key with ECDSA/SHA-256: a signature node:crypto verifies, of a curve rule 4 does not accept.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    const base = certificates.intermediate as Fixture;
    const envelope = asn1js.fromBER(Buffer.from(base.der, 'base64')).result as asn1js.Sequence;
    const tbs = envelope.valueBlock.value[0] as asn1js.Sequence;
    tbs.valueBlock.value[6] = asn1js.fromBER(publicKey.export({ format: 'der', type: 'spki' })).result;
    const signature = await webcrypto.subtle.sign({ name: 'Ed25519' }, (await keysOf(certificates.root as Fixture)).privateKey, tbs.toBER());
    envelope.valueBlock.value[2] = new asn1js.BitString({ valueHex: signature });
    certificates.secp256k1Intermediate = { ...base, der: Buffer.from(envelope.toBER()).toString('base64'), privateJwk: privateKey.export({ format: 'jwk' }) as unknown as PrivateJwk };
    const leaf = asn1js.fromBER(Buffer.from((certificates.issuerLeaf as Fixture).der, 'base64')).result as asn1js.Sequence;
    const leafTbs = leaf.valueBlock.value[0] as asn1js.Sequence;
    const ecdsaWithSha256 = () => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.10045.4.3.2' })] });
    leafTbs.valueBlock.value[2] = ecdsaWithSha256();
    leaf.valueBlock.value[1] = ecdsaWithSha256();
    leaf.valueBlock.value[2] = new asn1js.BitString({ valueHex: signWithNode('sha256', new Uint8Array(leafTbs.toBER()), privateKey) });
    certificates.leafOfSecp256k1 = { ...(certificates.issuerLeaf as Fixture), der: Buffer.from(leaf.toBER()).toString('base64') };
  }
  // The issuer leaf with one extension value replaced (the extension keeps its OID and criticality).
  const withExtensionValue = (oid: string, value: number[]) => editedIssuerLeaf(certificates, (tbs) => {
    const extensions = ((tbs.valueBlock.value[7] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence).valueBlock.value as asn1js.Sequence[];
    const extension = extensions.find((e) => (e.valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString() === oid) as asn1js.Sequence;
    const parts = extension.valueBlock.value;
    parts[parts.length - 1] = new asn1js.OctetString({ valueHex: Uint8Array.from(value) });
  });
  // keyUsage digitalSignature with an unused bit set (03 02 07 81), and as GnuTLS writes it (03 03 07 80 00).
  certificates.leafKeyUsageUnusedBit ??= await withExtensionValue('2.5.29.15', [0x03, 0x02, 0x07, 0x81]);
  certificates.leafKeyUsageTrailingOctet ??= await withExtensionValue('2.5.29.15', [0x03, 0x03, 0x07, 0x80, 0x00]);
  // An empty subjectAltName (30 00): GeneralNames is SIZE (1..MAX).
  certificates.leafSanEmpty ??= await withExtensionValue('2.5.29.17', [0x30, 0x00]);
  if (certificates.leafOfNcWithWildcard === undefined) {
    const issuer = certificates.ncUriHost as Fixture;
    const keys = await ed25519();
    certificates.leafOfNcWithWildcard = await make({
      subject: 'CN=Leaf with a wildcard dNSName below a URI-constrained CA',
      issuer: certificateOf(issuer).subjectName,
      keys,
      signingKey: (await keysOf(issuer)).privateKey,
      extensions: [
        new BasicConstraintsExtension(false, undefined, true),
        new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
        new SubjectAlternativeNameExtension([{ type: 'url', value: 'spiffe://example.org/issuer' }, { type: 'dns', value: '*.example.org' }], false),
        await SubjectKeyIdentifierExtension.create(keys.publicKey as never, false, webCrypto),
        await authorityKeyIdentifier(issuer),
      ],
      serialNumber: '0a5e1fa0',
    });
  }
}

async function ed25519(): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}

async function ski(fixture: Fixture): Promise<string | undefined> {
  return new X509Certificate(Buffer.from(fixture.der, 'base64')).getExtension(SubjectKeyIdentifierExtension)?.keyId;
}

async function issue(issuer: Fixture, subject: string, keys: webcrypto.CryptoKeyPair, extensions: Extension[], serialNumber: string): Promise<Fixture> {
  const signingKey = await webcrypto.subtle.importKey('jwk', issuer.privateJwk as webcrypto.JsonWebKey, { name: 'Ed25519' }, false, ['sign']);
  const certificate = await X509CertificateGenerator.create(
    {
      serialNumber,
      subject,
      issuer: new X509Certificate(Buffer.from(issuer.der, 'base64')).subjectName,
      notBefore: new Date((NOW - YEAR) * 1000),
      notAfter: new Date((NOW + YEAR) * 1000),
      publicKey: keys.publicKey as never,
      signingKey: signingKey as never,
      signingAlgorithm: { name: 'Ed25519' } as never,
      extensions,
    },
    webCrypto,
  );
  return {
    subject: certificate.subject,
    der: Buffer.from(certificate.rawData).toString('base64'),
    privateJwk: (await webcrypto.subtle.exportKey('jwk', keys.privateKey)) as PrivateJwk,
  };
}

async function basePki(): Promise<Record<string, Fixture>> {
  const root = await createCertificateAuthority({ ...valid, subject: 'CN=Vector Root CA' });
  const intermediate = await createIntermediate({ ...valid, subject: 'CN=Vector Intermediate CA', issuer: root });
  const issuerLeaf = await createLeaf({ ...valid, issuer: intermediate, spiffeId: 'spiffe://example.org/issuer' });
  const agentLeaf = await createLeaf({ ...valid, issuer: intermediate, spiffeId: 'spiffe://example.org/agent' });
  // Faults, one each.
  const otherRoot = await createCertificateAuthority({ ...valid, subject: 'CN=Unconfigured Root CA' });
  const otherIntermediate = await createIntermediate({ ...valid, subject: 'CN=Unconfigured Intermediate CA', issuer: otherRoot });
  const unanchoredLeaf = await createLeaf({ ...valid, issuer: otherIntermediate, spiffeId: 'spiffe://example.org/issuer' });
  const expiredIntermediate = await createIntermediate({ ...valid, notBefore: NOW - 2 * YEAR, notAfter: NOW - YEAR / 2, subject: 'CN=Expired Intermediate CA', issuer: root });
  const leafOfExpired = await createLeaf({ ...valid, issuer: expiredIntermediate, spiffeId: 'spiffe://example.org/issuer' });
  const pathLenRoot = await createCertificateAuthority({ ...valid, subject: 'CN=PathLen0 Root CA', pathLength: 0 });
  const pathLenIntermediate = await createIntermediate({ ...valid, subject: 'CN=Intermediate under PathLen0', issuer: pathLenRoot });
  const leafOfPathLen = await createLeaf({ ...valid, issuer: pathLenIntermediate, spiffeId: 'spiffe://example.org/issuer' });
  const constrainedIntermediate = await createIntermediate({ ...valid, subject: 'CN=Constrained Intermediate CA', issuer: root, nameConstraints: { permitted: [{ uri: 'other.example' }] } });
  const leafOutsideConstraints = await createLeaf({ ...valid, issuer: constrainedIntermediate, spiffeId: 'spiffe://example.org/issuer' });

  const all: Record<string, IssuedCertificate> = {
    root, intermediate, issuerLeaf, agentLeaf, otherRoot, otherIntermediate, unanchoredLeaf,
    expiredIntermediate, leafOfExpired, pathLenRoot, pathLenIntermediate, leafOfPathLen, constrainedIntermediate, leafOutsideConstraints,
  };
  return Object.fromEntries(Object.entries(all).map(([name, cert]) => [name, { subject: cert.subject, der: Buffer.from(cert.certificate).toString('base64'), privateJwk: cert.privateJwk }]));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await makeX509Fixtures();
