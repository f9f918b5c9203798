/**
 * A link's claims as a CWT claims set (RFC 8392) and the mapping to the encoding-neutral model: the
 * decoded object has the same names, shapes and values the JWT codec yields for the same content.
 *
 * Registered claims use their integer keys: iss 1, sub 2, aud 3, exp 4, nbf 5, iat 6, cti 7 (the
 * model's `jti`, as the UTF-8 bytes of the text), scope 9 (RFC 9200). The link's own claims use
 * text keys: "tmb", "may_act", "depth", "prev" (a 32-byte bstr on the wire, base64url in the model).
 * `status` (Token Status List) uses the draft's key 65535, its members text keys as in JSON.
 * Nested maps (confirmations, JWKs) have text keys and text values, exactly as in JSON.
 */
import { TransitiveProofError, invalidArgument } from '../../errors.js';
import type { Limits } from '../../model/limits.js';
import { fromBase64url, toBase64url } from './base64url.js';
import { assertScannedDeterministic, decodeStrict, decodeStrictViews, encodeDeterministic, type CborMap, type CborValue } from './cbor.js';

// status: 65535, the Token Status List claim (draft-ietf-oauth-status-list, CWT Claims registry).
export const CWT_CLAIM_KEYS = { iss: 1, sub: 2, aud: 3, exp: 4, nbf: 5, iat: 6, jti: 7, scope: 9, status: 65535 } as const;

type IntegerClaim = keyof typeof CWT_CLAIM_KEYS;
const NAME_BY_KEY: ReadonlyMap<number, IntegerClaim> = new Map(
  Object.entries(CWT_CLAIM_KEYS).map(([name, key]) => [key, name as IntegerClaim]),
);
/** Text spellings of claims that have an integer key (and `cti`): refused, so each claim has one key. */
const RESERVED_TEXT_KEYS: ReadonlySet<string> = new Set([...Object.keys(CWT_CLAIM_KEYS), 'cti']);

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// ---------------------------------------------------------------------------------------------
// Model -> CWT

function argument(message: string): never {
  throw invalidArgument(message);
}

function jsonToCbor(value: unknown, path: string): CborValue {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) argument(`claim ${path} is not an integer; CWT links carry no floating-point values`);
    return value;
  }
  if (Array.isArray(value)) return value.map((entry, i) => jsonToCbor(entry, `${path}[${i}]`));
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) argument(`claim ${path} is not a plain object`);
    const map: CborMap = new Map();
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
      if (entry !== undefined) map.set(key, jsonToCbor(entry, `${path}.${key}`));
    }
    return map;
  }
  return argument(`claim ${path} has no CBOR form (${typeof value})`);
}

/** The CWT claims set for model claims. */
export function claimsToCwt(claims: Record<string, unknown>): CborMap {
  const map: CborMap = new Map();
  for (const [name, value] of Object.entries(claims)) {
    // As JSON.stringify does for the JWT encoding, an undefined member is absent.
    if (value === undefined) continue;
    if (name === 'jti') {
      if (typeof value !== 'string') argument('claim jti is not a string');
      map.set(CWT_CLAIM_KEYS.jti, utf8Encoder.encode(value));
    } else if (name === 'prev') {
      const digest = typeof value === 'string' ? fromBase64url(value) : undefined;
      if (digest === undefined) argument('claim prev is not base64url');
      map.set(name, digest);
    } else if (Object.hasOwn(CWT_CLAIM_KEYS, name)) {
      map.set(CWT_CLAIM_KEYS[name as IntegerClaim], jsonToCbor(value, name));
    } else if (RESERVED_TEXT_KEYS.has(name)) {
      argument(`claim ${name} has no place in the model`);
    } else {
      map.set(name, jsonToCbor(value, name));
    }
  }
  return map;
}

/** The payload bytes: the claims set in deterministic CBOR. */
export function encodeClaims(claims: Record<string, unknown>): Uint8Array {
  return encodeDeterministic(claimsToCwt(claims));
}

// ---------------------------------------------------------------------------------------------
// CWT -> model

function invalid(message: string): never {
  throw new TransitiveProofError('claims_invalid', message);
}

/**
 * Own, enumerable, writable: like JSON.parse, so a "__proto__" key is data, not a prototype.
 * Plain assignment creates exactly such a property for every other name (Object.prototype has no
 * other setter, and its data properties are writable), and is much cheaper than defineProperty.
 */
function setMember(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

/**
 * The JSON value of a claim's CBOR value; `parent` and `member` name it in an error. The path is
 * spelled only for what can fail or has members, not for every text, number and boolean.
 */
function cborToJson(value: CborValue, parent: string, member: string | number): unknown {
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number' || value === null) return value;
  const path = typeof member === 'number' ? `${parent}[${member}]` : parent === '' ? member : `${parent}.${member}`;
  if (typeof value === 'bigint') invalid(`claim ${path} is an integer beyond the JSON-safe range`);
  if (value instanceof Uint8Array) invalid(`claim ${path} is a byte string, which has no JSON form there`);
  if (Array.isArray(value)) {
    const array: unknown[] = [];
    for (let i = 0; i < value.length; i++) array.push(cborToJson(value[i] as CborValue, path, i));
    return array;
  }
  const object: Record<string, unknown> = {};
  // for-of over the Map, no callback: V8 elides the entry arrays; a closure per map cost more.
  for (const [key, entry] of value) {
    if (typeof key !== 'string') invalid(`claim ${path} has a non-text key ${String(key)}`);
    setMember(object, key, cborToJson(entry, path, key));
  }
  return object;
}

/** The model's claims object for a decoded CWT claims set. Unknown integer keys are refused (fail closed). */
export function cwtToClaims(value: CborValue): Record<string, unknown> {
  if (!(value instanceof Map)) throw new TransitiveProofError('link_malformed', 'payload is not a CWT claims set (a map)');
  const claims: Record<string, unknown> = {};
  for (const [key, entry] of value) {
    if (typeof key !== 'string') {
      const name = typeof key === 'number' ? NAME_BY_KEY.get(key) : undefined;
      if (name === undefined) invalid(`CWT claim key ${String(key)} is not understood`);
      if (name === 'jti') {
        if (!(entry instanceof Uint8Array)) invalid('claim cti (7) is not a byte string');
        try {
          setMember(claims, name, utf8Decoder.decode(entry));
        } catch {
          invalid('claim cti (7) is not UTF-8 text');
        }
      } else {
        setMember(claims, name, cborToJson(entry, '', name));
      }
    } else if (RESERVED_TEXT_KEYS.has(key)) {
      invalid(`claim "${key}" must use its CWT integer key`);
    } else if (key === 'prev') {
      if (!(entry instanceof Uint8Array)) invalid('claim prev is not a byte string');
      setMember(claims, key, toBase64url(entry));
    } else {
      setMember(claims, key, cborToJson(entry, '', key));
    }
  }
  return claims;
}

/**
 * Decode a link payload: CBOR profile, deterministic encoding, then the model mapping. The mapping
 * keeps no byte string of the decoded value (it makes text of `cti` and `prev` and refuses any
 * other), so the value is decoded with views of `payload` instead of a copy per byte string.
 */
export function decodeClaims(payload: Uint8Array, limits: Limits): Record<string, unknown> {
  return cwtToClaims(decodeCwtPayload(payload, limits, 'link payload', decodeStrictViews));
}

/**
 * The one reader of a signed CWT payload (a link's, a Status List Token's): the CBOR profile of
 * SPEC-NOTES §4.3.4 with `maxNesting`, then deterministic encoding, checked last. `decode` is
 * decodeStrictViews only for a caller that keeps no byte string of the value.
 */
export function decodeCwtPayload(payload: Uint8Array, limits: Limits, what: string, decode: typeof decodeStrict = decodeStrict): CborValue {
  const { value, span } = decode(payload, { maxDepth: limits.maxNesting });
  assertScannedDeterministic(span, what);
  return value;
}
