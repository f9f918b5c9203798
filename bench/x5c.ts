/**
 * x5c: the same chain with link 0 signed by a certificate key (x5c = [leaf, intermediate], trusted
 * through an 'x509' root) and without (link 0 signed by an issuer root key), verified warm (the
 * verifier's path cache holds the path), cold (path cache cleared before each verification) and
 * cold with a new verifier per chain (trust compiled each time).
 */
import { serializeChain } from '../lib/chain.js';
import type { KeyAlgorithmName } from '../lib/keys/keys.js';
import { appendLink, startChain } from '../lib/mint.js';
import type { Chain } from '../lib/model/types.js';
import type { TrustConfig } from '../lib/trust/trust.js';
import { createVerifier, type ChainVerifier } from '../lib/verify.js';
import { createCertificateAuthority, createIntermediate, createLeaf, type CertificateKeyAlgorithm } from '../lib/x509/issue.js';
import { BENCH_PARTS, contextFor, ISSUER, linkInput, makeWorld, mintChain, NOW, NOW_S, signerOf, SUBJECT, trustFor, type BenchWorld } from './chains.js';
import type { Stats } from './harness.js';
import { measured, type BenchIO } from './report.js';

const X5C_SIZES = [1, 8] as const;
const CERT_ALG: Record<KeyAlgorithmName, CertificateKeyAlgorithm | undefined> = { EdDSA: 'Ed25519', ES256: 'ES256', ES384: 'ES384', PS256: 'PS256' };

interface Pki {
  anchor: string;
  x5c: Uint8Array[];
  leafPrivateJwk: import('../lib/model/types.js').PrivateJwk;
}

async function pki(alg: KeyAlgorithmName): Promise<Pki> {
  const keyAlg = CERT_ALG[alg] as CertificateKeyAlgorithm;
  const validity = { notBefore: NOW_S - 86_400, notAfter: NOW_S + 365 * 86_400, keyAlg };
  const root = await createCertificateAuthority({ subject: 'CN=Bench Root CA', ...validity });
  const intermediate = await createIntermediate({ subject: 'CN=Bench Intermediate CA', issuer: root, ...validity });
  const leaf = await createLeaf({ uri: ISSUER, issuer: intermediate, ...validity });
  return { anchor: Buffer.from(root.certificate).toString('base64'), x5c: [leaf.certificate, intermediate.certificate], leafPrivateJwk: leaf.privateJwk };
}

/** The chain of mintChain, except that link 0 is signed by the leaf certificate's key and carries x5c. */
async function mintX5cChain(world: BenchWorld, n: number, certs: Pki): Promise<Chain> {
  let chain = await startChain(linkInput(world, 0, n), { privateKey: certs.leafPrivateJwk, alg: world.alg, x5c: certs.x5c }, { now: NOW });
  for (let i = 1; i < n; i++) chain = await appendLink(chain, linkInput(world, i, n), signerOf(world, i), { now: NOW, ...BENCH_PARTS });
  return chain;
}

function clearPathCache(verifier: ChainVerifier): void {
  verifier.services.pathCache?.clear();
}

export async function x5cGroups(io: BenchIO, algs: readonly KeyAlgorithmName[] = ['EdDSA', 'ES256']): Promise<string[]> {
  const notes: string[] = [];
  for (const alg of algs) {
    const world = await makeWorld(alg, Math.max(...X5C_SIZES));
    const certs = await pki(alg);
    // The leaf vouches for the chain's subject: x509 roots speak only for themselves unless `subjects` says more.
    const x5cTrust: TrustConfig = trustFor(world, { roots: [{ type: 'x509', anchors: [certs.anchor], identity: { type: 'uri' }, subjects: { exact: [SUBJECT] } }] });
    const plainVerifier = await createVerifier(trustFor(world));
    const warm = await createVerifier(x5cTrust, BENCH_PARTS);
    const cold = await createVerifier(x5cTrust, BENCH_PARTS);
    for (const n of X5C_SIZES) {
      const context = contextFor(world, n);
      const plain = serializeChain(await mintChain(world, n));
      const withX5c = serializeChain(await mintX5cChain(world, n, certs));
      try {
        await plainVerifier.verify(plain, context);
        await warm.verify(withX5c, context);
        clearPathCache(cold);
      } catch (error) {
        const reason = `${(error as { code?: string }).code ?? ''} ${(error as Error).message}`.trim();
        return [`TODO(x5c): not measured: an x5c link does not verify against an 'x509' root yet (${reason})`];
      }
      const result = await io.group([
        () => plainVerifier.verify(plain, context),
        () => warm.verify(withX5c, context),
        async () => {
          clearPathCache(cold);
          return cold.verify(withX5c, context);
        },
        async () => (await createVerifier(x5cTrust, BENCH_PARTS)).verify(withX5c, context),
      ]);
      const base = 'verify without x5c (issuer root)';
      io.rows.push({ group: 'x5c', case: `${base}, ${n} link(s)`, alg, n, ...measured(result, 0) });
      io.rows.push({ group: 'x5c', case: `x5c warm (path cached), ${n} link(s)`, alg, n, ...measured(result, 1), baseline: base });
      io.rows.push({ group: 'x5c', case: `x5c cold (path cache cleared), ${n} link(s)`, alg, n, ...measured(result, 2), baseline: base });
      io.rows.push({ group: 'x5c', case: `x5c cold (new verifier each time), ${n} link(s)`, alg, n, ...measured(result, 3), baseline: base });
      io.progress(`x5c ${alg} N=${n}: warm ${(result.ratios[1] as Stats).median.toFixed(3)}×, cold ${(result.ratios[2] as Stats).median.toFixed(3)}×, new verifier ${(result.ratios[3] as Stats).median.toFixed(3)}×`);
    }
  }
  return notes;
}
