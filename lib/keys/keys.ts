/**
 * Keys: which algorithms a key may be used with, public-key hygiene, thumbprints, and import
 * caching (importing a key costs about as much as a signature check, so it is done once per key).
 */
import { generateKeyPair as generateRuntimeKeyPair, importPrivateJwk, importPublicJwk, sha256Base64url, sign } from '#runtime';
import { TransitiveProofError, invalidArgument } from '../errors.js';
import type { CryptoKey, PrivateJwk, PublicJwk, SignatureAlgorithm } from '../model/types.js';
import { keyInfoFromAlgorithm, type RuntimeKey, type WebCryptoKey } from '../runtime/types.js';
import { KeyMemberCache } from './member-cache.js';
import { algorithmEntry, linkAlgorithmsForKeyType, sameOperationAs, signatureParamsFor, type AlgorithmEntry } from '../runtime/algorithms.js';
import { keyMaterialProblem } from './validate.js';
import { withoutUsageMembers } from '../runtime/private-keys.js';

/** A verification key as the rules hand it to a codec. */
export interface VerificationKey {
  /** The public JWK (for algorithm/key-type checks and thumbprints). */
  jwk: PublicJwk;
  /** Imported once and cached by lib/keys: the runtime's key (a KeyObject on Node, a CryptoKey elsewhere). */
  key: RuntimeKey;
}

export { isCanonicalBase64url, keyMaterialProblem } from './validate.js';

/**
 * The link algorithms a key may be used with (RFC 8725 §3.1: one key, one algorithm family): those
 * of its type and curve in the algorithm table, and when the JWK has an `alg`, only the operation
 * it names, under either of its names (EdDSA/Ed25519, ES256/ESP256: RFC 9864), RFC 7517 §4.4,
 * SPEC-NOTES.md §3.3. Empty for a key no link algorithm fits.
 */
export function algorithmsForKey(jwk: PublicJwk): SignatureAlgorithm[] {
  const fitting = linkAlgorithmsForKeyType(jwk.kty, jwk.crv) as readonly SignatureAlgorithm[];
  if (jwk.alg === undefined) return [...fitting];
  const named = sameOperationAs(jwk.alg);
  return fitting.filter((alg) => named.includes(alg));
}

/** Whether `alg` is one of algorithmsForKey(jwk), without building the list (the per-link question). */
export function keyAllows(jwk: PublicJwk, alg: SignatureAlgorithm): boolean {
  return linkAlgorithmsForKeyType(jwk.kty, jwk.crv).includes(alg) && (jwk.alg === undefined || sameOperationAs(jwk.alg).includes(alg));
}

/** The default algorithm for a key: the first of algorithmsForKey, undefined for unsupported keys. */
export function algorithmForKey(jwk: PublicJwk): SignatureAlgorithm | undefined {
  return algorithmsForKey(jwk)[0];
}

/**
 * Throws unless `value` is a public JWK of a supported type, with no private members, whose
 * members say it verifies signatures with an algorithm that fits it (SPEC-NOTES.md §3.3): the one
 * key check, for every key from every source.
 */
export function assertPublicJwk(value: unknown, what = 'key'): asserts value is PublicJwk {
  const problem = publicJwkProblem(value);
  if (problem !== undefined) throw new TransitiveProofError('claims_invalid', `${what}${problem}`);
}

/** What assertPublicJwk refuses `value` for, worded to follow the key's name; undefined for a key it accepts. */
function publicJwkProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ' is not a JWK object';
  const jwk = value as Record<string, unknown>;
  const member = privateMember(jwk);
  if (member !== undefined) return ` contains private member "${member}"`;
  const fitting = linkAlgorithmsForKeyType(jwk.kty, jwk.crv);
  if (fitting.length === 0) return ' has an unsupported key type (kty/crv)';
  // Then the members' use, and canonical members, RSA size and exponent by value, EC points on their
  // curve, no small-order Ed25519 point: refused where the key appears, not later (or never, for a
  // tmb key an issuer root never imports).
  const problem = keyUsageProblem(jwk, fitting) ?? keyMaterialProblem(jwk);
  return problem === undefined ? undefined : `: ${problem}`;
}

/**
 * The first private member `jwk` has, own or inherited: EC and OKP `d`, RSA's `p`, `q`, `dp`, `dq`,
 * `qi`, `oth`, a symmetric key's `k`, and `priv`. Spelt out name by name: `in` with a constant name
 * is one inline-cached check at its site, where a loop over a list of names (a keyed `in` with
 * another name each time) went to the runtime for every name and was most of the key check's cost.
 */
function privateMember(jwk: object): string | undefined {
  // One conditional expression (a minifier keeps it shorter than nine if-returns; the same tests).
  return 'd' in jwk ? 'd'
    : 'p' in jwk ? 'p'
      : 'q' in jwk ? 'q'
        : 'dp' in jwk ? 'dp'
          : 'dq' in jwk ? 'dq'
            : 'qi' in jwk ? 'qi'
              : 'oth' in jwk ? 'oth'
                : 'k' in jwk ? 'k'
                  : 'priv' in jwk ? 'priv' : undefined;
}

/**
 * The JWK members that restrict a key's use (RFC 7517 §4.2–4.4): `alg`, when present, names a link
 * algorithm that fits the key's type and curve (a P-256 key that says ES512 or ES224 is not a key
 * of this profile, not a P-256 key with its `alg` ignored); `use`, when present, is "sig";
 * `key_ops`, when present, includes "verify".
 */
function keyUsageProblem(jwk: Readonly<Record<string, unknown>>, fitting: readonly string[]): string | undefined {
  if (jwk.alg !== undefined && !(typeof jwk.alg === 'string' && fitting.includes(jwk.alg))) {
    return `its "alg" ${JSON.stringify(jwk.alg)} is not a link algorithm for a ${String(jwk.kty)}${jwk.crv === undefined ? '' : `/${String(jwk.crv)}`} key (${fitting.join(', ')})`;
  }
  if (jwk.use !== undefined && jwk.use !== 'sig') return `its "use" is ${JSON.stringify(jwk.use)}, not "sig"`;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) return 'its "key_ops" do not include "verify"';
  return undefined;
}

/** The public part of a JWK: only the members RFC 7638 and RFC 7517 need, never private ones. */
export function toPublicJwk(jwk: PublicJwk | PrivateJwk): PublicJwk {
  const out: PublicJwk = { kty: jwk.kty };
  for (const member of ['crv', 'x', 'y', 'n', 'e', 'kid', 'alg'] as const) {
    const value = jwk[member];
    if (typeof value === 'string') out[member] = value;
  }
  return out;
}

/**
 * RFC 7638 JWK SHA-256 thumbprint, base64url, of an EC, OKP or RSA key (a plain object with its
 * required members, non-empty ASCII strings), hashed through the runtime seam (synchronously on
 * Node: an async WebCrypto digest cost verification about as much CPU as a signature check). The
 * input is RFC 7638 §3.2's (the required members in lexicographic order). Any other value is refused
 * (`invalid_argument`): no key of this profile has another type.
 */
export function jwkThumbprint(jwk: PublicJwk): Promise<string> {
  return Promise.resolve(jwkThumbprintMaybeSync(jwk));
}

/** jwkThumbprint without a promise where the runtime digests synchronously (Node), for per-link paths. */
export function jwkThumbprintMaybeSync(jwk: PublicJwk): string | Promise<string> {
  // A key whose required members pass jwkThumbprintInput's checks one by one (a plain object of a
  // supported kty, its required members own, non-empty ASCII strings) is looked up by its members:
  // no thumbprint input built and hashed as a Map key per call. Anything else takes the input way.
  const cacheable = sameJwkThumbprintInput(jwk, jwk);
  if (cacheable) {
    const known = thumbprints.lookup(jwk);
    if (known !== undefined) return known.value;
  }
  const input = jwkThumbprintInput(jwk);
  if (input === undefined) {
    return Promise.reject(invalidArgument('no JWK thumbprint: not an EC, OKP or RSA key with non-empty ASCII string members'));
  }
  const digest = sha256Base64url(input);
  // Kept under a copy of the members: the caller's object may change after this call.
  if (cacheable && typeof digest === 'string') thumbprints.set({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, n: jwk.n, e: jwk.e }, digest);
  return digest;
}

/**
 * Thumbprints by the key members they were digested from (KeyMemberCache: all of kty, crv, x, y,
 * n, e equal, so never another key's): the requester's key and the holder's are thumbprinted on
 * every verification. Bounded (the oldest goes first), so attacker-chosen keys cannot grow memory.
 */
const thumbprints = new KeyMemberCache<string>(1024);

/** RFC 7638 §3.2: the required members of each key type, in lexicographic order. */
const THUMBPRINT_MEMBERS: ReadonlyMap<unknown, readonly string[]> = new Map([
  ['EC', ['crv', 'kty', 'x', 'y']],
  ['OKP', ['crv', 'kty', 'x']],
  ['RSA', ['e', 'kty', 'n']],
]);

/**
 * The RFC 7638 thumbprint input (the JSON of the required members) of a plain-object JWK of type
 * EC, OKP or RSA whose required members are non-empty ASCII strings; undefined otherwise. Two
 * keys with the same input have the same thumbprint, so it also serves to compare keys unhashed.
 */
export function jwkThumbprintInput(jwk: unknown): string | undefined {
  const members = thumbprintMembers(jwk);
  if (members === undefined) return undefined;
  const required: Record<string, string> = {};
  for (const name of members) {
    const value = ownMember(jwk as object, name);
    if (typeof value !== 'string' || value.length === 0) return undefined;
    required[name] = value;
  }
  const input = JSON.stringify(required);
  // jose encodes the input as ASCII and refuses anything else; leave such keys to it.
  return NON_ASCII.test(input) ? undefined : input;
}

/**
 * True when jwkThumbprint would hash one and the same input for `a` and `b` (so their thumbprints
 * are equal), decided member by member without building or hashing anything; false when that is
 * not certain, and the caller hashes. Same object: only its own validity is checked.
 */
export function sameJwkThumbprintInput(a: unknown, b: unknown): boolean {
  const members = thumbprintMembers(a);
  // `b`'s own kty is compared with `a`'s below (every kty's members include it), so its members
  // are the same list without looking them up again.
  if (members === undefined || (a !== b && !isPlainObject(b))) return false;
  for (const name of members) {
    const value = ownMember(a as object, name);
    // Non-empty and ASCII (so the JSON input is ASCII, as jose requires) and equal in both.
    if (typeof value !== 'string' || value.length === 0 || NON_ASCII.test(value)) return false;
    if (a !== b && value !== ownMember(b as object, name)) return false;
  }
  return true;
}

/** The thumbprint members of a plain-object JWK of a supported `kty` (one array per kty), else undefined. */
function thumbprintMembers(jwk: unknown): readonly string[] | undefined {
  return isPlainObject(jwk) ? THUMBPRINT_MEMBERS.get(ownMember(jwk, 'kty')) : undefined;
}

/** An object whose prototype is Object.prototype or null and that says it is a plain Object. */
function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Object.prototype.toString.call(value) !== '[object Object]') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Own enumerable members only: what a copy of the key (and so jose) sees. */
function ownMember(jwk: object, name: string): unknown {
  return Object.prototype.propertyIsEnumerable.call(jwk, name) ? (jwk as Record<string, unknown>)[name] : undefined;
}

/**
 * Imports public keys once. Keys are cached by their thumbprint-relevant members plus algorithm,
 * with a bound so that attacker-chosen delegate keys cannot grow memory without limit.
 */
export class KeyImportCache {
  /** A pending import, then (once it succeeded) the key itself, so later links skip the promise. Tag: the algorithm. */
  readonly #entries: KeyMemberCache<Promise<RuntimeKey> | RuntimeKey>;

  constructor(maxEntries = 1024) {
    this.#entries = new KeyMemberCache(maxEntries);
  }

  async import(jwk: PublicJwk, alg: SignatureAlgorithm): Promise<VerificationKey> {
    return this.importMaybeSync(jwk, alg);
  }

  /** import(), without a promise when the key is already cached. */
  importMaybeSync(jwk: PublicJwk, alg: SignatureAlgorithm): VerificationKey | Promise<VerificationKey> {
    const entries = this.#entries;
    const entry = entries.get(jwk, alg);
    if (entry !== undefined && !(entry instanceof Promise)) return { jwk, key: entry };
    let pending = entry;
    if (pending === undefined) {
      const started = importVerificationKey(jwk, alg);
      pending = started;
      // The members are copied: the caller's object may change after this call; the entry may not.
      const members = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, n: jwk.n, e: jwk.e };
      entries.set(members, started, alg);
      started.then(
        (key) => {
          if (entries.get(members, alg) === started) entries.set(members, key, alg);
        },
        () => {
          if (entries.get(members, alg) === started) entries.delete(members, alg);
        },
      );
    }
    return pending.then((key) => ({ jwk, key }));
  }
}

async function importVerificationKey(jwk: PublicJwk, alg: SignatureAlgorithm): Promise<RuntimeKey> {
  try {
    // The caller's alg decides; the JWK's own kid/alg/use/key_ops are dropped so they cannot conflict.
    const { kid: _kid, alg: _alg, use: _use, key_ops: _ops, ext: _ext, ...material } = jwk;
    return await importPublicJwk(material, (algorithmEntry(alg) as AlgorithmEntry).importParams);
  } catch (cause) {
    throw new TransitiveProofError('claims_invalid', `key cannot be imported for ${alg}`, { cause });
  }
}

/** Import a private key for signing. */
export async function importSigningKey(key: CryptoKey | PrivateJwk, alg: SignatureAlgorithm): Promise<CryptoKey> {
  if (!isPlainJwk(key)) return key;
  if (!algorithmsForKey(key).includes(alg)) {
    throw invalidArgument(`a ${key.kty}${key.crv ? `/${key.crv}` : ''} key cannot sign ${alg}`);
  }
  try {
    // The caller's alg decides (checked above against the JWK's own alg).
    return (await importPrivateJwk(withoutUsageMembers(key), (algorithmEntry(alg) as AlgorithmEntry).importParams)) as unknown as CryptoKey;
  } catch (cause) {
    throw invalidArgument(`private key cannot be imported for ${alg}`, cause);
  }
}

/**
 * Sign `data` as a link signed with `alg` (the algorithm table's operation), through the runtime
 * seam: the one signer of both encodings. A key that does not fit `alg` (another type or curve, an
 * RSA-PSS key made for another hash, RSA under MIN_RSA_MODULUS_BITS) is refused, not used.
 */
export async function signForAlgorithm(alg: SignatureAlgorithm, key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  const entry = algorithmEntry(alg);
  const described = keyInfoFromAlgorithm(key.type, key.usages, key.algorithm as unknown as Record<string, unknown>);
  const params = entry === undefined || !entry.link ? undefined : signatureParamsFor(entry, described);
  if (params === undefined) throw invalidArgument(`the key (${key.algorithm.name}) cannot sign ${alg}`);
  try {
    return await sign(params, key as unknown as WebCryptoKey, data);
  } catch (cause) {
    throw invalidArgument(`signing with ${alg} failed`, cause);
  }
}

function isPlainJwk(key: CryptoKey | PrivateJwk): key is PrivateJwk {
  return typeof (key as { kty?: unknown }).kty === 'string';
}

export type KeyAlgorithmName = 'EdDSA' | 'ES256' | 'ES384' | 'PS256';

/** Generate a key pair as JWKs (used by `tproof keygen`, the demo and tests). */
export async function generateKeyPair(alg: KeyAlgorithmName): Promise<{ privateJwk: PrivateJwk; publicJwk: PublicJwk }> {
  const pair = await generateRuntimeKeyPair((algorithmEntry(alg) as AlgorithmEntry).importParams);
  return { privateJwk: pair.privateJwk as unknown as PrivateJwk, publicJwk: toPublicJwk(pair.publicJwk as unknown as PublicJwk) };
}
