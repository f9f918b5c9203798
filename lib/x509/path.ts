/**
 * RFC 5280 §6 certification path validation for `x5c` / `x5chain` (the subset in SPEC-NOTES.md §7):
 * leaf first, each certificate issued by the next, the last issued by (or equal to) a configured
 * trust anchor. This file runs the rules of §7.2, one call per rule with its number beside it, in
 * the order of the text (which decides the error of a path with several faults); each rule is a file
 * of lib/x509/rules/ named after it. Every failure is an X509Error with its own `x5c_*` code and the
 * rule that raised it (`rule`, SPEC-NOTES.md §9), so one input always yields one code and one rule.
 */
import { atRule, invalidArgument, TransitiveProofError, type X509Rule } from '../errors.js';
import { boundOption, DEFAULT_LIMITS, LIMIT_CEILINGS } from '../model/limits.js';
import { anchorSetId, parsedAnchor } from './anchors.js';
import { PathCache } from './cache.js';
import { receivedPath } from './candidate-path.js';
import { sha256Base64url as runtimeSha256Base64url } from '#runtime';
import { knownFingerprint, rememberFingerprint } from './fingerprints.js';
import type { ParsedCertificate } from './certificate.js';
import { checkIdentityRule } from './identity.js';
import { pathResult } from './result.js';
import { checkBounds, checkSerialNumbers, parseEach, privateCopies } from './rules/01-bounds.js';
import { checkNameChaining } from './rules/02-name-chaining.js';
import { anchorCopy, findAnchor } from './rules/03-anchor.js';
import { checkSignatures } from './rules/04-signatures.js';
import { checkCriticalExtensions } from './rules/05-critical-extensions.js';
import { checkValidity } from './rules/06-validity.js';
import { checkCaCertificates } from './rules/07-ca-certificates.js';
import { checkLeaf } from './rules/08-leaf.js';
import { checkNameConstraints } from './rules/09-name-constraints.js';
import { checkIdentity } from './rules/10-identity.js';
import type { IdentityRule, TrustAnchor, ValidatedChain, ValidatedPath, X509ChainOptions, X509PathOptions } from '../ports.js';

export const DEFAULT_MAX_CERTIFICATE_BYTES = 8192;
const MAX_CERTIFICATE_BYTES_CEILING = 65_536;
const MAX_CLOCK_TOLERANCE_SECONDS = 86_400;

interface ResolvedOptions {
  anchors: ParsedCertificate[];
  /** The anchor set's id in the cache key (SPEC-NOTES.md §7.4); '' without a cache. */
  anchorSetId: string;
  now: number;
  tolerance: number;
  maxCertificates: number;
  maxCertificateBytes: number;
  requiredEku: string | undefined;
  maxPathLength: number | undefined;
  /** undefined: chain validation only (rule 10 is the caller's, through the identity matchers). */
  identity: IdentityRule | undefined;
  cache: PathCache | undefined;
}

/**
 * Validate `x5c` (DER certificates, leaf first) against the configured anchors, identity rule
 * included (rules 1-10). Resolves to the validated leaf facts; rejects with X509Error (`x5c_*`) for
 * a bad path and with TransitiveProofError `invalid_argument` for bad options.
 */
export function validateCertificatePath(x5c: readonly Uint8Array[], options: X509PathOptions): Promise<ValidatedPath> {
  let opts: ResolvedOptions;
  try {
    if (typeof options !== 'object' || options === null) throw badOption('validateCertificatePath', 'options are required');
    opts = resolveOptions(options, checkIdentityRule(options.identity), 'validateCertificatePath');
  } catch (error) {
    return Promise.reject(error);
  }
  // With an identity rule, rule 10 ran and set identity/identityType (the cache key includes the rule).
  return validate(x5c, opts) as Promise<ValidatedPath>;
}

/**
 * Rules 1-9 only: path validation without an identity rule. The caller decides what the leaf names
 * must be, with `matchDnsName`, `matchUri` or `matchSpiffeId` on the result's `leafNames`.
 */
export function validateCertificateChain(x5c: readonly Uint8Array[], options: X509ChainOptions): Promise<ValidatedChain> {
  let opts: ResolvedOptions;
  try {
    opts = resolveOptions(options, undefined, 'validateCertificateChain');
  } catch (error) {
    return Promise.reject(error);
  }
  return validate(x5c, opts);
}

/** What a validation that missed the cache stores there once the path is valid. */
interface CacheEntry {
  cache: PathCache;
  key: string;
  /** base64url SHA-256 of each certificate, in x5c order. */
  fingerprints: readonly string[];
  /** The fingerprints that were known before this validation (the others are remembered once it succeeds). */
  known: readonly (string | undefined)[];
}

/**
 * Rule 1's bounds, then the cache, then the rest. A hit is answered without an async function or an
 * await (one settled promise): it costs a few microseconds, and each promise of a chain of them a
 * fraction of one.
 */
function validate(x5c: readonly Uint8Array[], opts: ResolvedOptions): Promise<ValidatedChain> {
  try {
    // The caller's list read once: a list whose entries change from one read to the next (a Proxy,
    // getters) gives every later step the same certificates.
    const list: readonly Uint8Array[] = Array.isArray(x5c) ? Array.from(x5c) : x5c;
    checkBounds(list, opts); // before any parsing, and before the cache
    const cache = opts.cache;
    if (cache === undefined) return validateRules(privateCopies(list), opts, undefined);

    // What keys the cache is exactly what gets validated. A certificate whose fingerprint is known
    // (lib/x509/fingerprints.ts: its bytes equal, in full, to a copy kept with it) is not hashed
    // again. Where every other one can be hashed synchronously (Node), the key is computed over the
    // caller's bytes and, on a miss, they are copied in the same turn, nothing running between: a
    // hit copies nothing. Otherwise the copies are taken first and hashed, as the caller's bytes
    // could change while a digest is awaited.
    const known = list.map(knownFingerprint);
    if (!hashesSynchronously && known.includes(undefined)) return digestThenValidate(privateCopies(list), known, opts, cache);
    const fingerprints = list.map((der, i) => known[i] ?? (runtimeSha256Base64url(der) as string));
    const key = cache.keyOf(fingerprints, opts);
    const hit = cache.get(key, opts.now, opts.tolerance);
    if (hit !== undefined) {
      rememberFingerprints(list, fingerprints, known);
      return Promise.resolve(hit);
    }
    return validateRules(privateCopies(list), opts, { cache, key, fingerprints, known });
  } catch (error) {
    return Promise.reject(atRule(error, '1'));
  }
}

/** The cache lookup where a fingerprint is digested asynchronously (WebCrypto), over private copies. */
async function digestThenValidate(ders: Uint8Array[], known: readonly (string | undefined)[], opts: ResolvedOptions, cache: PathCache): Promise<ValidatedChain> {
  let fingerprints: string[];
  try {
    fingerprints = await Promise.all(ders.map((der, i) => known[i] ?? runtimeSha256Base64url(der)));
  } catch (error) {
    throw atRule(error, '1');
  }
  const key = cache.keyOf(fingerprints, opts);
  const hit = cache.get(key, opts.now, opts.tolerance);
  if (hit !== undefined) {
    rememberFingerprints(ders, fingerprints, known);
    return hit;
  }
  return validateRules(ders, opts, { cache, key, fingerprints, known });
}

/** Rules 1-10 over this validation's private copies; a valid path is stored in `entry`'s cache. */
async function validateRules(ders: Uint8Array[], opts: ResolvedOptions, entry: CacheEntry | undefined): Promise<ValidatedChain> {
  // The rule running now, recorded on the error that leaves it (SPEC-NOTES.md §9, `rule`); a rule with
  // lettered sub-rules names its letter itself. One function and one try (no closure, no promise per rule).
  let at: X509Rule = '1';
  try {
    at = '1'; const certs = parseEach(ders);
    // Rule 3 (a)'s test, asked once: rules 1 and 2 exempt a trailing copy of an anchor.
    const received = receivedPath(certs, anchorCopy(certs, opts.anchors));
    at = '1'; checkSerialNumbers(received);
    at = '2'; checkNameChaining(received);
    at = '3'; const path = await findAnchor(received, opts.anchors);
    at = '4'; await checkSignatures(path);
    at = '5'; checkCriticalExtensions(path);
    at = '6'; checkValidity(path, opts.now, opts.tolerance);
    at = '7'; checkCaCertificates(path, opts.maxPathLength);
    at = '8'; checkLeaf(path, opts.identity, opts.requiredEku);
    at = '9'; checkNameConstraints(path);
    at = '10'; const identity = checkIdentity(path, opts.identity);
    // The result (§7.3). The leaf key is imported here, last, as only the result uses it; a key
    // that cannot be imported is a malformed certificate, rule 1's.
    at = '1'; const result = await pathResult(path, identity);

    if (entry !== undefined) {
      entry.cache.set(entry.key, result);
      rememberFingerprints(ders, entry.fingerprints, entry.known);
    }
    return result;
  } catch (error) {
    throw atRule(error, at);
  }
}

/** Whether the runtime hashes without a promise (Node: yes; WebCrypto: no), asked once by hashing nothing. */
const hashesSynchronously = typeof runtimeSha256Base64url(new Uint8Array(0)) === 'string';

/**
 * The fingerprints just computed (not already known) of a path that is in the cache, with the bytes
 * they were computed from: the caller's in this same turn, or this validation's private copies.
 */
function rememberFingerprints(ders: readonly Uint8Array[], fingerprints: readonly string[], known: readonly (string | undefined)[]): void {
  for (let i = 0; i < ders.length; i++) {
    const fingerprint = fingerprints[i];
    if (known[i] === undefined && fingerprint !== undefined) rememberFingerprint(ders[i] as Uint8Array, fingerprint);
  }
}

/** The size bound of one certificate, one reading for path validation and `orderCertificates`. */
export function certificateBytesOption(fn: string, value: number | undefined): number {
  return boundOption(`${fn}: maxCertificateBytes`, value, DEFAULT_MAX_CERTIFICATE_BYTES, 1, MAX_CERTIFICATE_BYTES_CEILING);
}

function badOption(fn: string, message: string): TransitiveProofError {
  return invalidArgument(`${fn}: ${message}`);
}

function resolveOptions(options: X509ChainOptions, identity: IdentityRule | undefined, fn: string): ResolvedOptions {
  const bad = (message: string) => badOption(fn, message);
  if (typeof options !== 'object' || options === null) throw bad('options are required');
  // Each option read once: what is validated and what keys the cache are the same values.
  const anchorList = options.anchors;
  if (!Array.isArray(anchorList) || anchorList.length === 0) throw bad('anchors must be a non-empty array from loadTrustAnchors()');
  const members: readonly TrustAnchor[] = Array.from(anchorList);
  const anchors = members.map(parsedAnchor);
  const now = options.now;
  if (typeof now !== 'number' || !Number.isFinite(now)) throw bad('now must be a finite number of seconds');
  const tolerance = options.clockToleranceSeconds;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0 || tolerance > MAX_CLOCK_TOLERANCE_SECONDS) {
    throw bad(`clockToleranceSeconds must be between 0 and ${MAX_CLOCK_TOLERANCE_SECONDS}`);
  }
  const maxCertificates = boundOption(`${fn}: maxCertificates`, options.maxCertificates, DEFAULT_LIMITS.maxCertificates, 1, LIMIT_CEILINGS.maxCertificates);
  const maxCertificateBytes = certificateBytesOption(fn, options.maxCertificateBytes);
  const requiredEku = options.requiredEku;
  if (requiredEku !== undefined && !(typeof requiredEku === 'string' && /^[0-2](\.(0|[1-9][0-9]*))+$/.test(requiredEku))) {
    throw bad('requiredEku must be a dotted OID');
  }
  const pathLength = options.maxPathLength;
  const maxPathLength = pathLength === undefined ? undefined : boundOption(`${fn}: maxPathLength`, pathLength, 0, 0);
  const cache = options.cache;
  if (cache !== undefined && !(cache instanceof PathCache)) throw bad('cache must be a PathCache');
  return {
    anchors,
    anchorSetId: cache === undefined ? '' : anchorSetId(members, anchorList),
    now,
    tolerance,
    maxCertificates,
    maxCertificateBytes,
    requiredEku,
    maxPathLength,
    identity,
    cache,
  };
}
