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
import { createCertificateAuthority, createIntermediate, createLeaf, type IssuedCertificate, type PrivateJwk } from '../../lib/index.js';
import {
  BasicConstraintsExtension,
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
