/**
 * SPEC-NOTES.md §7.2 rule 4, signatures: each certificate verifies with its issuer's key, under an
 * accepted algorithm and RSA key size (the tables: lib/runtime/algorithms.ts).
 */
import { X509Error } from '../../errors.js';
import { CERTIFICATE_SIGNATURE_ALGORITHMS, MIN_RSA_MODULUS_BITS } from '../../runtime/algorithms.js';
import type { HashName } from '../../runtime/types.js';
import type { ParsedCertificate } from '../certificate.js';
import type { ReceivedPath } from '../candidate-path.js';
import { webCrypto } from '../peculiar.js';

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
  const algorithm = child.certificate.signatureAlgorithm as { name?: unknown; hash?: { name?: unknown } };
  const name = typeof algorithm.name === 'string' ? algorithm.name : '?';
  const hashes = CERTIFICATE_SIGNATURE_ALGORITHMS.get(name);
  const hash = typeof algorithm.hash?.name === 'string' ? algorithm.hash.name : undefined;
  if (hashes === undefined || (hashes !== null && (hash === undefined || !hashes.has(hash as HashName)))) {
    return `signature algorithm ${name}${hash === undefined ? '' : `/${hash}`} is not accepted`;
  }
  const parentKey = parent.certificate.publicKey.algorithm as { name?: unknown; modulusLength?: unknown };
  if (typeof parentKey.modulusLength === 'number' && parentKey.modulusLength < MIN_RSA_MODULUS_BITS) {
    return `the issuer's RSA key has ${parentKey.modulusLength} bits; at least ${MIN_RSA_MODULUS_BITS} are required`;
  }
  try {
    const ok = await child.certificate.verify({ publicKey: parent.certificate.publicKey, signatureOnly: true }, webCrypto);
    return ok ? undefined : 'signature does not verify';
  } catch {
    return 'signature cannot be verified';
  }
}
