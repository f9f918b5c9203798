/**
 * A certificate's subject public key as the runtime seam imports it (lib/runtime, `importPublicSpki`):
 * for rule 4, an issuer's key under the signature algorithm of each certificate it signed, and for
 * the path result (§7.3), the leaf's key. Each import is made once per certificate and parameters:
 * an anchor, parsed once when loaded, has its key imported once for every path that reaches it.
 */
import * as seam from '#runtime';
import { AlgorithmIdentifier, AsnConvert, SubjectPublicKeyInfo } from '#asn1';
import type { RuntimeBackend, RuntimeKey, SpkiImportParams } from '../runtime/types.js';

/** PKCS #1 (RFC 8017 Appendix C): an RSA key, and an RSA key restricted to RSASSA-PSS. */
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const RSASSA_PSS = '1.2.840.113549.1.1.10';

/** What a certificate says of its key: WebCrypto's description (name, namedCurve, modulusLength). */
export interface CertificateKeyAlgorithm {
  readonly name?: unknown;
  readonly namedCurve?: unknown;
  readonly modulusLength?: unknown;
  /** An RSA-PSS key's hash, where the certificate restricts the key to one. */
  readonly hash?: unknown;
}

export interface CertificatePublicKey {
  /**
   * The SubjectPublicKeyInfo imported: the received one, but an id-RSASSA-PSS key is presented as
   * rsaEncryption, the one RSA key OID WebCrypto imports (its PSS parameters are not enforced on the
   * key; the signature algorithm of each certificate decides, rule 4).
   */
  readonly spki: Uint8Array;
  readonly algorithm: CertificateKeyAlgorithm;
}

/**
 * The key of a certificate: its parsed SubjectPublicKeyInfo, that structure's DER, and the algorithm
 * read from it (lib/x509/algorithm-identifier.ts, `keyAlgorithm`).
 */
export function certificatePublicKey(info: SubjectPublicKeyInfo, der: ArrayBuffer, algorithm: CertificateKeyAlgorithm): CertificatePublicKey {
  const spki = info.algorithm.algorithm === RSASSA_PSS
    ? AsnConvert.serialize(new SubjectPublicKeyInfo({ algorithm: new AlgorithmIdentifier({ algorithm: RSA_ENCRYPTION, parameters: null }), subjectPublicKey: info.subjectPublicKey }))
    : der;
  return { spki: new Uint8Array(spki), algorithm };
}

/**
 * The parameters the leaf key is imported with for the path result (§7.3): the key's own algorithm,
 * with SHA-256 where an RSA key names no hash (the hash is not part of the exported JWK).
 */
export function ownImportParams(algorithm: CertificateKeyAlgorithm): SpkiImportParams {
  const hash = typeof algorithm.hash === 'string' ? algorithm.hash : (algorithm.hash as { name?: unknown } | undefined)?.name;
  return {
    name: typeof algorithm.name === 'string' ? algorithm.name : '',
    ...(typeof algorithm.namedCurve === 'string' ? { namedCurve: algorithm.namedCurve } : {}),
    hash: typeof hash === 'string' ? hash : 'SHA-256',
  };
}

/** The seam operation used here (a backend module, `#runtime` by default: tests pass each backend). */
export type KeyImportRuntime = Pick<RuntimeBackend, 'name' | 'importPublicSpki'>;

/** Imports made, per key object, by backend and parameters (failures included: the same bytes fail the same way). */
const IMPORTED = new WeakMap<CertificatePublicKey, Map<string, Promise<RuntimeKey>>>();

/** The key imported for verification with `params` (WebCrypto's importKey('spki', …) semantics); rejects when it cannot be. */
export function importCertificateKey(key: CertificatePublicKey, params: SpkiImportParams, runtime: KeyImportRuntime = seam): Promise<RuntimeKey> {
  let imports = IMPORTED.get(key);
  if (imports === undefined) {
    imports = new Map();
    IMPORTED.set(key, imports);
  }
  const id = `${runtime.name}|${params.name}|${params.namedCurve ?? ''}|${params.hash ?? ''}`;
  let imported = imports.get(id);
  if (imported === undefined) {
    imported = runtime.importPublicSpki(key.spki, params);
    imports.set(id, imported);
  }
  return imported;
}
