/**
 * SPEC-NOTES.md §7.2 rule 4, signatures: each certificate verifies with its issuer's key, under an
 * accepted algorithm and RSA key size (the tables: lib/runtime/algorithms.ts), through the runtime
 * seam; an ECDSA signature value must be strict DER (lib/x509/signature-value.ts).
 */
import * as seam from '#runtime';
import { X509Error } from '../../errors.js';
import { CURVE_BYTES, MIN_RSA_MODULUS_BITS, certificateSignatureParams } from '../../runtime/algorithms.js';
import type { NamedCurve, RuntimeBackend, SignatureParams, SpkiImportParams } from '../../runtime/types.js';
import type { ParsedCertificate } from '../certificate.js';
import type { ReceivedPath } from '../candidate-path.js';
import { importCertificateKey, type CertificatePublicKey } from '../public-key.js';
import { ecdsaSignatureToP1363 } from '../signature-value.js';

/** The operations of the seam a certificate signature needs (a backend module, `#runtime` by default). */
export type SignatureRuntime = Pick<RuntimeBackend, 'name' | 'importPublicSpki' | 'verify'>;

/** Each signature inside x5c by the next certificate's key, a trailing anchor copy included. */
export async function checkSignatures(path: ReceivedPath): Promise<void> {
  const { certs } = path;
  for (let i = 0; i + 1 < certs.length; i++) {
    const problem = await signatureProblem(certs[i] as ParsedCertificate, certs[i + 1] as ParsedCertificate);
    if (problem !== undefined) throw new X509Error('x5c_signature_invalid', `${path.label(i)}: ${problem}`);
  }
}

/** undefined when `child` carries a valid signature by `parent`'s key with an accepted algorithm. */
export async function signatureProblem(child: ParsedCertificate, parent: ParsedCertificate): Promise<string | undefined> {
  return certificateSignatureProblem(child.signatureAlgorithm, parent.publicKey, child.signatureValue, child.tbs);
}

/**
 * The signature check of rule 4 on its own: `signature` (the signatureValue's bytes) over `tbs`
 * (the TBSCertificate exactly as received) by `issuerKey` under `algorithm` (the certificate's
 * signatureAlgorithm in WebCrypto's terms, lib/x509/algorithm-identifier.ts). undefined when it verifies; otherwise why not.
 */
export async function certificateSignatureProblem(
  algorithm: object,
  issuerKey: CertificatePublicKey,
  signature: Uint8Array,
  tbs: Uint8Array,
  runtime: SignatureRuntime = seam,
): Promise<string | undefined> {
  const { name, hash: hashObject, saltLength } = algorithm as { name?: unknown; hash?: { name?: unknown }; saltLength?: unknown };
  const algorithmName = typeof name === 'string' ? name : '?';
  const hash = typeof hashObject?.name === 'string' ? hashObject.name : undefined;
  const params = certificateSignatureParams(algorithmName, hash, saltLength);
  if (params === undefined) return `signature algorithm ${algorithmName}${hash === undefined ? '' : `/${hash}`} is not accepted`;
  const keyAlgorithm = issuerKey.algorithm as { name?: unknown; modulusLength?: unknown; namedCurve?: unknown };
  if (typeof keyAlgorithm.modulusLength === 'number' && keyAlgorithm.modulusLength < MIN_RSA_MODULUS_BITS) {
    return `the issuer's RSA key has ${keyAlgorithm.modulusLength} bits; at least ${MIN_RSA_MODULUS_BITS} are required`;
  }
  let key;
  try {
    // The issuer's SPKI imported by the seam for this operation (refused when it is not such a key),
    // once per issuer certificate and operation: an anchor's key is imported once, not per path.
    key = await importCertificateKey(issuerKey, importParams(params, keyAlgorithm.namedCurve), runtime);
  } catch {
    return "the issuer's key cannot verify this signature algorithm";
  }
  if (key.info.modulusLength !== undefined && key.info.modulusLength < MIN_RSA_MODULUS_BITS) {
    return `the issuer's RSA key has ${key.info.modulusLength} bits; at least ${MIN_RSA_MODULUS_BITS} are required`;
  }
  let value = signature;
  if (params.name === 'ECDSA') {
    const coordinate = CURVE_BYTES[key.info.namedCurve as NamedCurve] as number | undefined;
    if (coordinate === undefined) return "the issuer's key is not on an accepted curve";
    const p1363 = ecdsaSignatureToP1363(signature, coordinate);
    if (p1363 === undefined) return 'the ECDSA signature value is not DER';
    value = p1363;
  }
  return (await runtime.verify(params, key, value, tbs)) ? undefined : 'signature does not verify';
}

/** WebCrypto's import parameters for a verification: the operation's name and hash, the key's curve. */
function importParams(params: SignatureParams, namedCurve: unknown): SpkiImportParams {
  switch (params.name) {
    case 'ECDSA':
      return typeof namedCurve === 'string' ? { name: 'ECDSA', namedCurve } : { name: 'ECDSA' };
    case 'RSA-PSS':
    case 'RSASSA-PKCS1-v1_5':
      return { name: params.name, hash: params.hash };
    default:
      return { name: params.name };
  }
}
