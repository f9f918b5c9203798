/**
 * COSE signature algorithms (RFC 9053, RFC 9864) and their WebCrypto operations. COSE ECDSA
 * signatures are r || s, which is what WebCrypto produces and expects, so no conversion happens.
 */
import { verify, verifyParts } from '#runtime';
import { invalidArgument } from '../../errors.js';
import type { KeyInfo, MaybePromise, RuntimeKey, SignatureParams } from '../../runtime/types.js';
import { algorithmEntry, algorithmEntryByLabel, signatureParamsFor } from '../../runtime/algorithms.js';
import type { CryptoKey, PrivateJwk, SignatureAlgorithm } from '../../model/types.js';

/**
 * `link`: the algorithm names have their JOSE meaning, so ES256 means P-256 and EdDSA means
 * Ed25519, and only the model's algorithms exist. `interop`: plain COSE, where the ECDSA hash comes
 * from the algorithm and the curve from the key (RFC 9053 §2.1), and ES512 and Ed448 are known; used
 * by the COSE WG conformance runner only.
 */
export type Sign1Profile = 'link' | 'interop';

/** JOSE name of a COSE algorithm label; an unknown label is reported as its decimal text. */
export function algorithmName(label: number): string {
  return algorithmEntryByLabel(label)?.name ?? String(label);
}

export function algorithmLabel(alg: SignatureAlgorithm): number {
  const entry = algorithmEntry(alg);
  if (entry === undefined) throw invalidArgument(`no COSE label for ${alg}`);
  return entry.label;
}

/**
 * The operation for `label` with a key described by `keyAlgorithm`, or undefined when the key does
 * not fit. `link`: the table's link algorithms with their JOSE meaning (signatureParamsFor).
 * `interop`: plain COSE (RFC 9053 §2.1), where a non-fully-specified ECDSA algorithm takes its
 * curve from the key and EdDSA (-8) takes Ed25519 or Ed448.
 */
function operationParams(label: number, keyAlgorithm: Omit<KeyInfo, 'canVerify'>, profile: Sign1Profile): SignatureParams | undefined {
  const entry = algorithmEntryByLabel(label);
  if (entry === undefined || (profile === 'link' && !entry.link)) return undefined;
  if (profile === 'link' || entry.fullySpecified) return signatureParamsFor(entry, keyAlgorithm);
  const params = entry.signatureParams;
  if (params.name === 'ECDSA') return keyAlgorithm.name === 'ECDSA' ? params : undefined;
  if (params.name === 'Ed25519') return keyAlgorithm.name === 'Ed25519' || keyAlgorithm.name === 'Ed448' ? { name: keyAlgorithm.name } : undefined;
  return signatureParamsFor(entry, keyAlgorithm);
}

/**
 * Verify; false for a bad signature, a key that does not fit the algorithm, or an unknown algorithm.
 * `data` is the signed bytes, or the byte strings they are the concatenation of (sigStructureParts).
 */
export function verifyBytes(label: number, key: RuntimeKey, data: Uint8Array | readonly Uint8Array[], signature: Uint8Array, profile: Sign1Profile): MaybePromise<boolean> {
  const params = operationParams(label, key.info, profile);
  if (params === undefined) return false;
  return data instanceof Uint8Array ? verify(params, key, signature, data) : verifyParts(params, key, signature, data);
}
