/**
 * One-off: `node --import tsx scripts/vectors/make-x509-fixtures.ts` writes x509-fixtures.json, the
 * fixed test PKI of the X.509 vectors (certificates and their TEST KEYS — NEVER USE). Certificates
 * are committed rather than re-made on each generation because key generation is random; with them
 * fixed, every X.509 vector (Ed25519 leaves) is byte-reproducible.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCertificateAuthority, createIntermediate, createLeaf, type IssuedCertificate } from '../../lib/index.js';
import { NOW } from './builder.js';
import { repositoryRoot } from './generate.js';

const YEAR = 365 * 86_400;
const valid = { notBefore: NOW - YEAR, notAfter: NOW + YEAR, keyAlg: 'Ed25519' as const };

/** Only when run directly: importing this module must never overwrite the committed fixtures. */
export async function makeX509Fixtures(): Promise<void> {
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
  const fixtures = {
    warning: 'TEST KEYS — NEVER USE',
    certificates: Object.fromEntries(Object.entries(all).map(([name, cert]) => [name, { subject: cert.subject, der: Buffer.from(cert.certificate).toString('base64'), privateJwk: cert.privateJwk }])),
  };
  writeFileSync(join(repositoryRoot(), 'scripts/vectors/x509-fixtures.json'), `${JSON.stringify(fixtures, null, 2)}\n`);
  process.stdout.write('wrote scripts/vectors/x509-fixtures.json\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await makeX509Fixtures();
