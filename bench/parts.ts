/**
 * Where the time goes: the pieces verify-chain runs, each timed alone over the same chain (8 links,
 * EdDSA), against the same bare signature baseline. Not a substitute for a profile, but it says
 * which step to look at; `node --cpu-prof dist/bench/profile.js` gives the profile.
 */
import type { CryptoKey as JoseCryptoKey } from 'jose';
import { parseChain } from '../lib/chain.js';
import { codecFor } from '../lib/codecs/registry.js';
import { validateLinkClaims } from '../lib/rules/claims.js';
import { confirmationEquals } from '../lib/keys/confirmation.js';
import type { LinkClaims, PublicJwk, SignatureAlgorithm } from '../lib/model/types.js';
import { checkAlgorithmAllowed, checkCrit, checkNoKeyParameters, checkTyp } from '../lib/rules/header.js';
import { linkHashMaybeSync } from '../lib/rules/linkage.js';
import { serializeChain } from '../lib/chain.js';
import type { ChainVerifier } from '../lib/verify.js';
import { bareCompactVerify } from './baseline.js';
import { contextFor, mintChain, verifierKeyOf, type BenchWorld } from './chains.js';
import type { Stats, Task } from './harness.js';
import { measured, type BenchIO } from './report.js';

export const PARTS_N = 8;

export async function componentGroup(world: BenchWorld, verifier: ChainVerifier, io: BenchIO): Promise<void> {
  const n = PARTS_N;
  const alg = world.alg as SignatureAlgorithm;
  const chain = await mintChain(world, n);
  const text = serializeChain(chain);
  const context = contextFor(world, n);
  const { trust, services } = verifier;
  const { limits } = trust;
  const codec = codecFor('jwt');
  const jws = chain.links.map((link) => Buffer.from(link).toString('latin1'));
  const keys: JoseCryptoKey[] = Array.from({ length: n }, (_, i) => verifierKeyOf(world, i));
  const decoded = chain.links.map((bytes, index) => codec.decodeLink(bytes, index, limits));
  const claims = decoded.map((link, index) => validateLinkClaims(link.claims, index));
  // Link 0 is signed by the issuer root's key, link i by the jwk link i − 1 names.
  const signerJwks: PublicJwk[] = Array.from({ length: n }, (_, i) => (i === 0 ? world.issuer.publicJwk : ((claims[i - 1] as LinkClaims).may_act.cnf as { jwk: PublicJwk }).jwk));
  const imported = await Promise.all(signerJwks.map((jwk) => services.keyCache.import(jwk, alg)));

  const parts: [string, Task][] = [
    ['steps 1–2: parseChain (bound, split)', async () => parseChain(text, { limits })],
    ['step 3: codec.decodeLink × N', async () => chain.links.map((bytes, index) => codec.decodeLink(bytes, index, limits))],
    ['step 4: header rules × N', async () => decoded.map((link) => {
      checkTyp(link, codec);
      checkNoKeyParameters(link);
      checkCrit(link);
      return checkAlgorithmAllowed(link, codec, trust.algorithms);
    })],
    ['step 5: validateLinkClaims × N', async () => decoded.map((link, index) => validateLinkClaims(link.claims, index))],
    ['steps 6–7: keyCache.import × N (cache hits)', async () => {
      for (const jwk of signerJwks) await services.keyCache.import(jwk, alg);
    }],
    ['step 7: codec.verifySignature × N', async () => {
      for (let i = 0; i < n; i++) if (!(await codec.verifySignature(decoded[i]!, imported[i]!))) throw new Error('signature');
    }],
    ['step 8: linkHash × (N−1)', async () => {
      for (let i = 1; i < n; i++) linkHashMaybeSync(chain.links[i - 1]!);
    }],
    ['step 11: confirmationEquals(tmb, root tmb) × N', async () => {
      for (const link of claims) if (!(await confirmationEquals(link.tmb, claims[0]!.tmb))) throw new Error('tmb');
    }],
    ['full createVerifier().verify', () => verifier.verify(text, context)],
  ];
  const result = await io.group([bareCompactVerify(jws, keys, alg), ...parts.map(([, task]) => task)]);
  const base = `bare jose.compactVerify × ${n}`;
  io.rows.push({ group: 'parts', case: base, alg, n, ...measured(result, 0) });
  parts.forEach(([name], k) => {
    io.rows.push({ group: 'parts', case: name, alg, n, ...measured(result, k + 1), baseline: base });
  });
  io.progress(`parts: ${parts.map(([name], k) => `${name.split(':')[0]} ${(result.cpuRatios[k + 1] as Stats).median.toFixed(3)}`).join('; ')}`);
}
