/**
 * What a validated path yields (SPEC-NOTES.md §7.3): the leaf key as a public JWK and the algorithms
 * it may verify, the identity, the leaf thumbprint, the subjects, the validity window and the leaf's
 * names. Deeply frozen: one result is shared between cache hits.
 */
import { exportPublicJwk } from '#runtime';
import { X509Error } from '../errors.js';
import type { PublicJwk } from '../model/types.js';
import { algorithmsForKey, keyMaterialProblem } from '../keys/keys.js';
import type { AnchoredPath } from './candidate-path.js';
import { sha256Base64url, type ParsedCertificate } from './certificate.js';
import { importCertificateKey, ownImportParams } from './public-key.js';
import type { IdentityType, LeafNames, ValidatedChain } from '../ports.js';

export async function pathResult(path: AnchoredPath, selected: { identity: string; type: IdentityType } | undefined): Promise<ValidatedChain> {
  const { leaf } = path;
  const leafPublicJwk = await exportLeafKey(leaf);
  const all = path.everything.map(({ cert }) => cert);
  const leafNames: LeafNames = {
    dns: (leaf.subjectAltNames ?? []).flatMap((n) => (n.dNSName === undefined ? [] : [n.dNSName])),
    uri: (leaf.subjectAltNames ?? []).flatMap((n) => (n.uniformResourceIdentifier === undefined ? [] : [n.uniformResourceIdentifier])),
  };
  return deepFreeze({
    leafPublicJwk,
    leafKeyAlgorithms: keyMaterialProblem(leafPublicJwk) === undefined ? algorithmsForKey(leafPublicJwk) : [],
    ...(selected === undefined ? {} : { identity: selected.identity, identityType: selected.type }),
    leafThumbprintS256: await sha256Base64url(leaf.der),
    subjects: all.map((c) => c.subject),
    // Rounded inwards: the window reported (and cached) never exceeds the real one.
    notAfter: Math.floor(Math.min(...all.map((c) => c.notAfter))),
    notBefore: Math.ceil(Math.max(...all.map((c) => c.notBefore))),
    leafNames,
  });
}

/** The leaf key, public members only; one that the runtime cannot import is `x5c_malformed` (the runner marks it rule 1). */
async function exportLeafKey(leaf: ParsedCertificate): Promise<PublicJwk> {
  let jwk: { kty?: unknown; [member: string]: unknown };
  try {
    // The seam imports the SPKI under the key's own algorithm and exports the JWK.
    jwk = await exportPublicJwk(await importCertificateKey(leaf.publicKey, ownImportParams(leaf.publicKey.algorithm)));
  } catch (cause) {
    throw new X509Error('x5c_malformed', 'x5c[0]: the leaf public key cannot be imported', { cause });
  }
  if (typeof jwk.kty !== 'string') throw new X509Error('x5c_malformed', 'x5c[0]: the leaf public key cannot be exported');
  // Public members only: no alg/key_ops/ext that WebCrypto attaches for the import algorithm.
  const out: PublicJwk = { kty: jwk.kty };
  for (const member of ['crv', 'x', 'y', 'n', 'e'] as const) {
    const value = jwk[member];
    if (typeof value === 'string') out[member] = value;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
