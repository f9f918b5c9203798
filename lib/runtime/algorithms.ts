/**
 * The one algorithm table: everything the library knows about a signature algorithm, written once.
 * For each link algorithm (SPEC-NOTES.md §3.2): its JOSE name and COSE label, the key it takes
 * (JWK `kty`/`crv`), its hash, the seam's import and signature parameters (WebCrypto terms, which
 * both backends speak) and the minimum RSA modulus; and which signature algorithms a certificate
 * may carry (§7.2). The JOSE and COSE codecs, the key checks (lib/keys), X.509 certificate
 * signatures, Status List Tokens and DPoP proofs all read it; none keeps a table of its own.
 *
 * It lives beside the seam (lib/runtime) because it is the ground floor: pure data that imports
 * only the seam's types, so the backends (curve sizes) and everything above them can read it
 * without an upward dependency.
 */
import type { HashName, KeyImportParams, KeyInfo, NamedCurve, SignatureParams } from './types.js';
import type { SignatureAlgorithm } from '../model/types.js';

/** RFC 7518 §3.5 and RFC 8230 §2 (and SPEC-NOTES.md §3.3): an RSA key of at least 2048 bits. */
export const MIN_RSA_MODULUS_BITS = 2048;

/**
 * The largest RSA modulus, in bits, for every RSA key a link, a request or a certificate names
 * (SPEC-NOTES.md §3.3, §7.2 rule 1): node:crypto imports a longer one and verifies nothing with it
 * (OpenSSL's limit), browsers' WebCrypto refuses to import it; refused where the key appears, one
 * code on every runtime.
 */
export const MAX_RSA_MODULUS_BITS = 16384;

/**
 * The longest RSA public exponent, in octets (e < 2^32), for every RSA key a link or a certificate
 * names (SPEC-NOTES.md §3.3, §7.2 rule 1): browsers' WebCrypto (BoringSSL) refuses to import a key
 * whose exponent has more than 33 bits, which node:crypto verifies with.
 */
export const MAX_RSA_EXPONENT_OCTETS = 4;

/** Byte length of one coordinate, so half an IEEE P1363 (JOSE/COSE) ECDSA signature, per curve. */
export const CURVE_BYTES: Readonly<Record<NamedCurve, number>> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };

export interface AlgorithmEntry {
  /** The JOSE name (RFC 7518, RFC 8037, RFC 9864). */
  readonly name: string;
  /** The COSE label (RFC 9053, RFC 9864). */
  readonly label: number;
  /** The JWK key type and curve the algorithm takes (RSA: any modulus of at least the minimum). */
  readonly kty: 'OKP' | 'EC' | 'RSA';
  readonly crv?: 'Ed25519' | NamedCurve;
  /** How a public key for it is imported, and the verification operation, in the seam's terms. */
  readonly importParams: KeyImportParams;
  readonly signatureParams: SignatureParams;
  /** A name that fixes the curve by itself (RFC 9864), rather than leaving it to the key. */
  readonly fullySpecified: boolean;
  /** In the link profile (§3.2); the others are known only to the COSE interoperability runner. */
  readonly link: boolean;
  /** The encodings whose links may carry it (ESP256 is registered for COSE only here, §3.2). */
  readonly encodings: readonly ('jwt' | 'cwt')[];
}

const ED25519 = { importParams: { name: 'Ed25519' }, signatureParams: { name: 'Ed25519' } } as const;
const ecdsa = (namedCurve: NamedCurve, hash: HashName) => ({ importParams: { name: 'ECDSA', namedCurve }, signatureParams: { name: 'ECDSA', hash } }) as const;
const BOTH = ['jwt', 'cwt'] as const;

/** One row of the table, its members in AlgorithmEntry's order (a key type without a curve: `crv` undefined; readers compare it with undefined). */
const row = (name: string, label: number, kty: AlgorithmEntry['kty'], crv: AlgorithmEntry['crv'], parameters: Pick<AlgorithmEntry, 'importParams' | 'signatureParams'>,
  fullySpecified: boolean, link: boolean, encodings: AlgorithmEntry['encodings'] = BOTH): AlgorithmEntry =>
  ({ name, label, kty, crv, ...parameters, fullySpecified, link, encodings });

export const ALGORITHMS: readonly AlgorithmEntry[] = [
  // name, COSE label, kty, crv, import and signature parameters, fully specified, link algorithm, encodings
  row('EdDSA', -8, 'OKP', 'Ed25519', ED25519, false, true),
  row('Ed25519', -19, 'OKP', 'Ed25519', ED25519, true, true),
  row('ES256', -7, 'EC', 'P-256', ecdsa('P-256', 'SHA-256'), false, true),
  row('ESP256', -9, 'EC', 'P-256', ecdsa('P-256', 'SHA-256'), true, true, ['cwt']),
  row('ES384', -35, 'EC', 'P-384', ecdsa('P-384', 'SHA-384'), false, true),
  row('ES512', -36, 'EC', 'P-521', ecdsa('P-521', 'SHA-512'), false, false, []),
  // RFC 7518 §3.5 / RFC 8230 §2: SHA-256 for the digest and MGF1, salt length = hash length.
  row('PS256', -37, 'RSA', undefined, { importParams: { name: 'RSA-PSS', hash: 'SHA-256' }, signatureParams: { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 } }, false, true),
];

const byName = new Map(ALGORITHMS.map((entry) => [entry.name, entry]));
// Read by the COSE codec only: pure, so a bundle without it drops the table.
const byLabel = /* @__PURE__ */ new Map(/* @__PURE__ */ ALGORITHMS.map((entry) => [entry.label, entry]));

/** The entry of a JOSE name, or undefined. */
export function algorithmEntry(name: string): AlgorithmEntry | undefined {
  return byName.get(name);
}

/** The entry of a COSE label, or undefined. */
export function algorithmEntryByLabel(label: number): AlgorithmEntry | undefined {
  return byLabel.get(label);
}

/** The link algorithms, in table order. */
export const LINK_ALGORITHM_NAMES: readonly string[] = ALGORITHMS.filter((entry) => entry.link).map((entry) => entry.name);
/** The link algorithms of the table, in its order, as the model's SignatureAlgorithm names. */
export const SIGNATURE_ALGORITHMS = LINK_ALGORITHM_NAMES as readonly SignatureAlgorithm[];

/** The link algorithms an encoding carries. */
export function linkAlgorithmsOf(encoding: 'jwt' | 'cwt'): string[] {
  return ALGORITHMS.filter((entry) => entry.link && entry.encodings.includes(encoding)).map((entry) => entry.name);
}

/**
 * The link algorithms a JWK of this type and curve can be used with (the key's own `alg` aside).
 * One frozen array per type and curve of the table, shared: asked for every key of every link,
 * and a fresh array each time was most of what the key check allocated. Empty (frozen) otherwise.
 */
export function linkAlgorithmsForKeyType(kty: unknown, crv: unknown): readonly string[] {
  const curves = byKeyType.get(kty);
  // A type whose entries name no curve (RSA) fits whatever `crv` says, as before.
  return curves === undefined ? NONE : curves.get(crv) ?? curves.get(undefined) ?? NONE;
}

const NONE: readonly string[] = Object.freeze([]);
/** kty → crv (undefined for RSA) → the link algorithms, for the types and curves the table names. */
const byKeyType = new Map<unknown, Map<unknown, readonly string[]>>();
for (const entry of ALGORITHMS) {
  if (!entry.link) continue;
  const curves = byKeyType.get(entry.kty) ?? new Map<unknown, readonly string[]>();
  byKeyType.set(entry.kty, curves);
  const crv = entry.crv;
  if (!curves.has(crv)) {
    curves.set(crv, Object.freeze(ALGORITHMS.filter((other) => other.link && other.kty === entry.kty && (other.crv === undefined || other.crv === crv)).map((other) => other.name)));
  }
}

/**
 * The link algorithms that perform the same operation as `name` on the same key: the name itself
 * and its RFC 9864 twin (EdDSA on Ed25519 and Ed25519; ES256 and ESP256). Empty for an unknown name.
 */
export function sameOperationAs(name: string): readonly string[] {
  return sameOperation.get(name) ?? NONE;
}

const sameOperation = new Map<string, readonly string[]>();
for (const entry of ALGORITHMS) {
  const operation = JSON.stringify(entry.signatureParams);
  sameOperation.set(entry.name, Object.freeze(ALGORITHMS.filter((other) => other.link && other.kty === entry.kty && other.crv === entry.crv && JSON.stringify(other.signatureParams) === operation).map((other) => other.name)));
}

/**
 * The verification operation for `entry` with a key the seam describes as `key`, or undefined when
 * the key does not fit: a public key usable for verification, of the algorithm's type and (when the
 * algorithm fixes one) curve, of its hash for RSA-PSS, RSA of at least MIN_RSA_MODULUS_BITS.
 */
export function signatureParamsFor(entry: AlgorithmEntry, key: Omit<KeyInfo, 'canVerify'>): SignatureParams | undefined {
  const wanted = entry.importParams;
  if (key.name !== wanted.name) return undefined;
  if (wanted.name === 'ECDSA' && key.namedCurve !== wanted.namedCurve) return undefined;
  if (wanted.name === 'RSA-PSS' && (key.hash !== wanted.hash || (key.modulusLength ?? 0) < MIN_RSA_MODULUS_BITS)) return undefined;
  return entry.signatureParams;
}

/**
 * Signature algorithms a certificate may be signed with (§7.2 rule 5), by WebCrypto name, with
 * the hashes each may use (null: the algorithm fixes its own); SHA-1 and MD5 are not among them.
 * An RSA issuer key needs MIN_RSA_MODULUS_BITS as well.
 */
export const CERTIFICATE_SIGNATURE_ALGORITHMS: ReadonlyMap<string, ReadonlySet<HashName> | null> = new Map<string, ReadonlySet<HashName> | null>([
  ['ECDSA', new Set<HashName>(['SHA-256', 'SHA-384', 'SHA-512'])],
  ['RSA-PSS', new Set<HashName>(['SHA-256', 'SHA-384', 'SHA-512'])],
  ['RSASSA-PKCS1-v1_5', new Set<HashName>(['SHA-256', 'SHA-384', 'SHA-512'])],
  ['Ed25519', null],
]);

/**
 * The seam's verification operation for a certificate signature algorithm (WebCrypto name, hash,
 * RSA-PSS salt length, as the certificate's AlgorithmIdentifier gives them), or undefined when the
 * table above does not accept it.
 */
export function certificateSignatureParams(name: string, hash: string | undefined, saltLength: unknown): SignatureParams | undefined {
  const hashes = CERTIFICATE_SIGNATURE_ALGORITHMS.get(name);
  if (hashes === undefined) return undefined;
  if (hashes === null) return name === 'Ed25519' ? { name: 'Ed25519' } : undefined;
  if (hash === undefined || !hashes.has(hash as HashName)) return undefined;
  const h = hash as HashName;
  switch (name) {
    case 'ECDSA':
      return { name: 'ECDSA', hash: h };
    case 'RSASSA-PKCS1-v1_5':
      return { name: 'RSASSA-PKCS1-v1_5', hash: h };
    case 'RSA-PSS':
      return typeof saltLength === 'number' && Number.isSafeInteger(saltLength) && saltLength >= 0 ? { name: 'RSA-PSS', hash: h, saltLength } : undefined;
    default:
      return undefined;
  }
}
