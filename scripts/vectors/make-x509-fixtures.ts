/**
 * One-off: `node --import tsx scripts/vectors/make-x509-fixtures.ts` writes x509-fixtures.json, the
 * fixed test PKI of the X.509 vectors (certificates and their TEST KEYS — NEVER USE). Certificates
 * are committed rather than re-made on each generation because key generation is random; with them
 * fixed, every X.509 vector (Ed25519 leaves) is byte-reproducible.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type PrivateJwk } from '../../lib/index.js';
import { createCertificateAuthority, createIntermediate, createLeaf, type IssuedCertificate } from '../../lib/x509/issue.js';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  Extension,
  X509Certificate,
  KeyUsageFlags,
  KeyUsagesExtension,
  nodeCrypto,
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
      extensions: [
        new BasicConstraintsExtension(false, undefined, true),
        new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
        new SubjectAlternativeNameExtension([{ type: 'url', value: 'spiffe://example.org/issuer' }], false),
        await SubjectKeyIdentifierExtension.create(keys.publicKey as never, false, nodeCrypto),
      ],
    },
    nodeCrypto,
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
  const spiffe = new SubjectAlternativeNameExtension([{ type: 'url', value: 'spiffe://example.org/issuer' }], false);
  const leafExtensions = async (keys: webcrypto.CryptoKeyPair, usage: number) => [
    new BasicConstraintsExtension(false, undefined, true),
    new KeyUsagesExtension(usage, true),
    spiffe,
    await SubjectKeyIdentifierExtension.create(keys.publicKey as never, false, nodeCrypto),
  ];
  const withAki = async (issuer: Fixture) => new AuthorityKeyIdentifierExtension((await ski(issuer)) as string, false);
  if (certificates.leafWithoutAki === undefined) {
    const keys = await ed25519();
    certificates.leafWithoutAki = await issue(certificates.intermediate as Fixture, 'CN=Leaf without AKI', keys, await leafExtensions(keys, KeyUsageFlags.digitalSignature), '0a5e1f52');
  }
  if (certificates.leafWithKeyCertSign === undefined) {
    const keys = await ed25519();
    const extensions = [...(await leafExtensions(keys, KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign)), await withAki(certificates.intermediate as Fixture)];
    certificates.leafWithKeyCertSign = await issue(certificates.intermediate as Fixture, 'CN=Leaf asserting keyCertSign', keys, extensions, '0a5e1f53');
  }
  if (certificates.intermediateWithoutKeyUsage === undefined) {
    const keys = await ed25519();
    const extensions = [
      new BasicConstraintsExtension(true, undefined, true),
      await SubjectKeyIdentifierExtension.create(keys.publicKey as never, false, nodeCrypto),
      await withAki(certificates.root as Fixture),
    ];
    certificates.intermediateWithoutKeyUsage = await issue(certificates.root as Fixture, 'CN=Intermediate without keyUsage', keys, extensions, '0a5e1f54');
    const leafKeys = await ed25519();
    const leafExtras = [...(await leafExtensions(leafKeys, KeyUsageFlags.digitalSignature)), await withAki(certificates.intermediateWithoutKeyUsage)];
    certificates.leafOfNoKeyUsage = await issue(certificates.intermediateWithoutKeyUsage, 'CN=Leaf below an intermediate without keyUsage', leafKeys, leafExtras, '0a5e1f55');
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
    nodeCrypto,
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
