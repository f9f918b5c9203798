/**
 * COSE header parameters (RFC 9052 §3, RFC 9596, RFC 9360): the bucket rules and the values the
 * rules need, reported with JOSE names.
 */
import { sha256 } from '#runtime';
import { CoseError, quoted, TransitiveProofError, X509Error } from '../../errors.js';
import type { Limits } from '../../model/limits.js';
import type { Sign1Profile } from './algorithms.js';
import { bytesEqual, type CborKey, type CborMap, type CborValue } from './cbor.js';

export const HeaderLabel = {
  alg: 1,
  crit: 2,
  contentType: 3,
  kid: 4,
  kcwt: 13,
  kccs: 14,
  typ: 16,
  x5bag: 32,
  x5chain: 33,
  x5t: 34,
  x5u: 35,
} as const;

/** Labels a `crit` list may name: the ones this code processes, reported by their JOSE names. */
const UNDERSTOOD: ReadonlyMap<CborKey, string> = new Map<CborKey, string>([
  [HeaderLabel.alg, 'alg'],
  [HeaderLabel.contentType, 'cty'],
  [HeaderLabel.kid, 'kid'],
  [HeaderLabel.typ, 'typ'],
  [HeaderLabel.x5chain, 'x5c'],
  [HeaderLabel.x5t, 'x5t'],
]);

/** Parameters that would supply a key or certificates (or where to fetch them): reported, never used. */
const KEY_PARAMETERS: ReadonlyMap<CborKey, string> = new Map<CborKey, string>([
  [HeaderLabel.kcwt, 'kcwt'],
  [HeaderLabel.kccs, 'kccs'],
  [HeaderLabel.x5bag, 'x5bag'],
  [HeaderLabel.x5u, 'x5u'],
]);

const SHA256_LABEL = -16;

export interface CoseHeaders {
  /** The algorithm label; undefined when a link has none (step 4.4 refuses it, after 4.1–4.3). */
  alg: number | undefined;
  typ: string | undefined;
  kid: string | undefined;
  /** x5chain, leaf first. */
  x5chain: Uint8Array[] | undefined;
  keyParameters: string[];
  crit: string[] | undefined;
  /**
   * The x5t digest comparison when the runtime's SHA-256 is asynchronous (WebCrypto); on Node it
   * happens in place and this is undefined. Rejects with the same error the comparison would throw.
   */
  ready?: Promise<void>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function invalid(message: string): never {
  throw new CoseError('cose_header_invalid', message);
}

function labelText(label: CborKey): string {
  return typeof label === 'string' ? quoted(label) : String(label);
}

/**
 * Validate both buckets and extract what the rules use. `link` additionally requires alg and typ
 * to be protected; `interop` follows RFC 9052, where alg may be unprotected.
 */
export function readHeaders(protectedMap: CborMap, unprotectedMap: CborMap, profile: Sign1Profile, limits: Limits): CoseHeaders {
  for (const label of unprotectedMap.keys()) {
    if (protectedMap.has(label)) invalid(`header label ${labelText(label)} is in both the protected and the unprotected bucket`);
  }
  const get = (label: CborKey): CborValue | undefined => (protectedMap.has(label) ? protectedMap.get(label) : unprotectedMap.get(label));
  const mustBeProtected = (label: number, name: string): void => {
    if (unprotectedMap.has(label)) invalid(`header "${name}" must be in the protected bucket`);
  };

  if (profile === 'link') mustBeProtected(HeaderLabel.alg, 'alg');
  const alg = get(HeaderLabel.alg);
  // A link without alg is refused by step 4.4, after typ, key parameters and crit (SPEC-NOTES.md §6.2).
  if (alg === undefined && profile !== 'link') throw new TransitiveProofError('alg_not_allowed', 'header "alg" is missing');
  // Text algorithm names are not registered for signatures; reporting one could alias a JOSE name.
  if (alg !== undefined && typeof alg !== 'number') invalid('header "alg" is not an integer algorithm label');

  mustBeProtected(HeaderLabel.crit, 'crit');
  const crit = readCrit(protectedMap);

  if (profile === 'link') mustBeProtected(HeaderLabel.typ, 'typ');
  const typ = get(HeaderLabel.typ);
  if (typ !== undefined && typeof typ !== 'string' && !(typeof typ === 'number' && typ >= 0)) {
    invalid('header "typ" is neither a text string nor a content-format number');
  }

  const kid = get(HeaderLabel.kid);
  if (kid !== undefined && !(kid instanceof Uint8Array)) invalid('header "kid" is not a byte string');
  let kidText: string | undefined;
  if (kid !== undefined) {
    try {
      kidText = utf8.decode(kid);
    } catch {
      // A link's kid is text (§3.2); plain COSE allows any bytes, which the rules never need.
      if (profile === 'link') invalid('header "kid" is not UTF-8 text');
    }
  }

  const x5chain = readX5chain(get(HeaderLabel.x5chain), limits);
  let ready: Promise<void> | undefined;
  if (x5chain !== undefined || protectedMap.has(HeaderLabel.x5t) || unprotectedMap.has(HeaderLabel.x5t)) {
    ready = checkLeafProtection(x5chain, protectedMap, unprotectedMap);
  }

  const keyParameters: string[] = [];
  for (const [label, name] of KEY_PARAMETERS) {
    if (protectedMap.has(label) || unprotectedMap.has(label)) keyParameters.push(name);
  }

  return {
    alg: alg as number | undefined,
    typ: typ === undefined ? undefined : String(typ),
    kid: kidText,
    x5chain,
    keyParameters,
    crit,
    ...(ready === undefined ? {} : { ready }),
  };
}

function readCrit(protectedMap: CborMap): string[] | undefined {
  const crit = protectedMap.get(HeaderLabel.crit);
  if (crit === undefined) return undefined;
  if (!Array.isArray(crit) || crit.length === 0) invalid('header "crit" is not a non-empty array');
  const names: string[] = [];
  for (const label of crit) {
    if (typeof label !== 'number' && typeof label !== 'string') invalid('header "crit" holds something other than labels');
    const name = UNDERSTOOD.get(label);
    if (name === undefined) throw new TransitiveProofError('crit_unsupported', `critical header ${labelText(label)} is not understood`);
    if (!protectedMap.has(label)) invalid(`critical header ${labelText(label)} is not in the protected bucket`);
    names.push(name);
  }
  return names;
}

/** RFC 9360 COSE_X509 = bstr / [2* bstr]: one certificate is a bare byte string. */
function readX5chain(value: CborValue | undefined, limits: Limits): Uint8Array[] | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Uint8Array) return [value];
  // Counted before any entry is looked at, as for a JWT x5c (SPEC-NOTES §7.2 rule 1).
  if (Array.isArray(value) && value.length > limits.maxCertificates) {
    throw new X509Error('x5c_too_many', `x5chain has ${value.length} items, more than ${limits.maxCertificates} certificates`);
  }
  if (!Array.isArray(value) || value.length < 2 || !value.every((entry) => entry instanceof Uint8Array)) {
    throw new X509Error('x5c_malformed', 'x5chain is neither a certificate nor an array of two or more certificates');
  }
  return value as Uint8Array[];
}

/**
 * The leaf certificate names the signing key, so it must be covered by the signature: either
 * x5chain is protected, or a protected x5t (SHA-256) matches the leaf. Any x5t present must match.
 */
function checkLeafProtection(x5chain: Uint8Array[] | undefined, protectedMap: CborMap, unprotectedMap: CborMap): Promise<void> | undefined {
  const x5t = protectedMap.has(HeaderLabel.x5t) ? protectedMap.get(HeaderLabel.x5t) : unprotectedMap.get(HeaderLabel.x5t);
  if (x5t !== undefined) {
    if (!Array.isArray(x5t) || x5t.length !== 2 || !(x5t[1] instanceof Uint8Array) || (typeof x5t[0] !== 'number' && typeof x5t[0] !== 'string')) {
      invalid('header "x5t" is not [hash algorithm, hash]');
    }
  }
  if (x5chain === undefined) return undefined;
  const leaf = x5chain[0] as Uint8Array;
  let pending: Promise<void> | undefined;
  if (x5t !== undefined) {
    const [hashAlg, hash] = x5t as [CborValue, Uint8Array];
    if (hashAlg !== SHA256_LABEL) invalid('header "x5t" uses a hash algorithm other than SHA-256 (-16)');
    const compare = (digest: Uint8Array): void => {
      if (!bytesEqual(hash, digest)) invalid('header "x5t" does not match the x5chain leaf');
    };
    const digest = sha256(leaf);
    if (digest instanceof Promise) pending = digest.then(compare);
    else compare(digest);
  }
  if (!protectedMap.has(HeaderLabel.x5chain) && !protectedMap.has(HeaderLabel.x5t)) {
    invalid('x5chain is unprotected and no protected x5t binds its leaf certificate');
  }
  return pending;
}
