/**
 * The same chains minted with `format: 'cwt'` (COSE_Sign1 links), verified in full vs N raw
 * WebCrypto verifications of the same Sig_structures (computed once, outside the timed loop).
 */
import { webcrypto } from 'node:crypto';
import { serializeChain } from '../lib/chain.js';
import { codecFor } from '../lib/codecs/registry.js';
import { decodeSign1, sigStructure } from '../lib/codecs/cose/sign1.js';
import type { KeyAlgorithmName } from '../lib/keys/keys.js';
import { DEFAULT_LIMITS } from '../lib/model/limits.js';
import type { SignatureAlgorithm } from '../lib/model/types.js';
import { createVerifier } from '../lib/verify.js';
import { bareSubtleVerify, type RawSignature } from './baseline.js';
import { contextFor, mintChain, trustFor, verifierKeyOf, type BenchWorld } from './chains.js';
import type { Stats } from './harness.js';
import { measured, type BenchIO } from './report.js';
import { SIZES } from './sizes.js';

/** Returns notes for BENCHMARKS.md (e.g. why the group was skipped). */
export async function cwtGroups(worlds: Map<KeyAlgorithmName, BenchWorld>, io: BenchIO): Promise<string[]> {
  try {
    codecFor('cwt');
  } catch (error) {
    return [`TODO(cwt): not measured: no codec for 'cwt' in lib/codecs/registry.ts (${(error as Error).message})`];
  }
  const notes: string[] = [];
  for (const [alg, world] of worlds) {
    const verifier = await createVerifier(trustFor(world));
    for (const n of SIZES) {
      const chain = await mintChain(world, n, 'cwt');
      const text = serializeChain(chain);
      const context = contextFor(world, n);
      await verifier.verify(text, context);
      const inputs: RawSignature[] = chain.links.map((bytes) => {
        const message = decodeSign1(bytes, 'link', DEFAULT_LIMITS);
        return { data: sigStructure(message), signature: message.signature };
      });
      const keys = Array.from({ length: n }, (_, i) => verifierKeyOf(world, i) as unknown as webcrypto.CryptoKey);
      const result = await io.group([bareSubtleVerify(inputs, keys, alg as SignatureAlgorithm), () => verifier.verify(text, context)]);
      const base = `bare crypto.subtle.verify × N over Sig_structures`;
      io.rows.push({ group: 'cwt', case: `bare crypto.subtle.verify × ${n} (Sig_structure)`, alg, n, ...measured(result, 0) });
      io.rows.push({ group: 'cwt', case: `verify, ${n} CWT link(s)`, alg, n, ...measured(result, 1), baseline: base });
      io.progress(`cwt ${alg} N=${n}: wall ${(result.ratios[1] as Stats).median.toFixed(3)}×, CPU ${(result.cpuRatios[1] as Stats).median.toFixed(3)}×`);
    }
  }
  return notes;
}
