/**
 * RFC 5280 §6 certification path validation for `x5c` / `x5chain` (the subset in SPEC-NOTES.md §7;
 * rule numbers below are those of §7.2):
 * leaf first, each certificate issued by the next, the last issued by (or equal to) a configured
 * trust anchor. Every failure is an X509Error with its own `x5c_*` code; the rules run in a fixed
 * order (bounds, parsing, name chaining, anchor, signatures, critical extensions, validity, CA
 * constraints, leaf constraints, name constraints, identity), so one input always yields one code.
 */
import { TransitiveProofError, X509Error } from '../errors.js';
import { DEFAULT_LIMITS, LIMIT_CEILINGS } from '../model/limits.js';
import type { PublicJwk } from '../model/types.js';
import { anchorSetId, parsedAnchor } from './anchors.js';
import type { TrustAnchor, IdentityRule, LeafNames, ValidatedChain, ValidatedPath, X509ChainOptions, X509PathOptions } from '../ports.js';
import { PathCache, pathCacheKey } from './cache.js';
import {
  NON_CRITICAL_EXTENSIONS,
  OID,
  POLICY_CONSTRAINT_EXTENSIONS,
  UNDERSTOOD_CRITICAL_EXTENSIONS,
  bytesEqual,
  isWithinValidity,
  parseCertificate,
  sha256Base64url,
  type ParsedCertificate,
} from './certificate.js';
import { checkIdentityRule, leafIdentity } from './identity.js';
import { checkNameConstraints, compileNameConstraints } from './name-constraints.js';
import { KeyUsageFlags, webCrypto } from './peculiar.js';
import { CERTIFICATE_SIGNATURE_ALGORITHMS, MIN_RSA_MODULUS_BITS } from '../runtime/algorithms.js';
import type { HashName } from '../runtime/types.js';
import { algorithmsForKey, keyMaterialProblem } from '../keys/keys.js';

export const DEFAULT_MAX_CERTIFICATE_BYTES = 8192;
const MAX_CERTIFICATE_BYTES_CEILING = 65_536;
const MAX_CLOCK_TOLERANCE_SECONDS = 86_400;
interface ResolvedOptions {
  anchors: ParsedCertificate[];
  anchorList: readonly TrustAnchor[];
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
export async function validateCertificatePath(x5c: readonly Uint8Array[], options: X509PathOptions): Promise<ValidatedPath> {
  if (typeof options !== 'object' || options === null) throw badOption('validateCertificatePath', 'options are required');
  checkIdentityRule(options.identity);
  // With an identity rule, rule 10 ran and set identity/identityType (the cache key includes the rule).
  return (await validate(x5c, resolveOptions(options, options.identity, 'validateCertificatePath'))) as ValidatedPath;
}

/**
 * Rules 1-9 only: path validation without an identity rule. The caller decides what the leaf names
 * must be, with `matchDnsName`, `matchUri` or `matchSpiffeId` on the result's `leafNames`.
 */
export async function validateCertificateChain(x5c: readonly Uint8Array[], options: X509ChainOptions): Promise<ValidatedChain> {
  return validate(x5c, resolveOptions(options, undefined, 'validateCertificateChain'));
}

async function validate(x5c: readonly Uint8Array[], opts: ResolvedOptions): Promise<ValidatedChain> {

  // Rule 1: bounds, before any parsing.
  if (!Array.isArray(x5c) || x5c.length === 0) throw new X509Error('x5c_malformed', 'x5c must be a non-empty array of DER certificates');
  if (x5c.length > opts.maxCertificates) {
    throw new X509Error('x5c_too_many', `x5c has ${x5c.length} certificates; at most ${opts.maxCertificates} are accepted`);
  }
  const ders = x5c.map((der, i) => {
    if (!(der instanceof Uint8Array) || der.byteLength === 0) throw new X509Error('x5c_malformed', `x5c[${i}] is not a non-empty byte string`);
    if (der.byteLength > opts.maxCertificateBytes) {
      throw new X509Error('x5c_malformed', `x5c[${i}] is ${der.byteLength} bytes; at most ${opts.maxCertificateBytes} are accepted`);
    }
    // Private copies: what is hashed for the cache key is exactly what gets validated.
    return new Uint8Array(der);
  });

  let cacheKey: string | undefined;
  if (opts.cache !== undefined) {
    cacheKey = pathCacheKey({
      fingerprints: await Promise.all(ders.map(sha256Base64url)),
      anchorSetId: anchorSetId(opts.anchorList),
      requiredEku: opts.requiredEku,
      identity: opts.identity,
      maxPathLength: opts.maxPathLength,
      maxCertificates: opts.maxCertificates,
      maxCertificateBytes: opts.maxCertificateBytes,
    });
    const hit = opts.cache.get(cacheKey, opts.now, opts.tolerance);
    if (hit !== undefined) return hit;
  }

  const result = await validateUncached(ders, opts);
  if (opts.cache !== undefined && cacheKey !== undefined) opts.cache.set(cacheKey, result);
  return result;
}

async function validateUncached(ders: Uint8Array[], opts: ResolvedOptions): Promise<ValidatedChain> {
  const certs = ders.map((der, i) => parseCertificate(der, `x5c[${i}]`));

  const label = (i: number) => `x5c[${i}] (${certs[i]?.subject ?? ''})`;
  const last = certs[certs.length - 1] as ParsedCertificate;
  const pinned = opts.anchors.find((a) => bytesEqual(a.der, last.der));

  // Rule 1 (end): RFC 5280 §4.1.2.2 serial numbers, for every certificate but a copy of an anchor (an
  // anchor is configured input, RFC 5280 §6.1.1 (d); real roots with serial 0 exist).
  certs.forEach((cert, i) => {
    if (cert.serialProblem !== undefined && !(pinned !== undefined && i === certs.length - 1)) {
      throw new X509Error('x5c_malformed', `${label(i)}: ${cert.serialProblem}`);
    }
  });

  // Rule 2: name chaining inside x5c: x5c[i] names x5c[i+1] as its issuer and its key. RFC 5280
  // §4.2.1.1 and §4.2.1.2: every issued certificate carries an authorityKeyIdentifier keyIdentifier
  // and every CA certificate a subjectKeyIdentifier, so the two are required and must be equal. Only
  // a self-issued certificate (a self-signed one MAY omit it) and a trailing copy of an anchor (which
  // is the anchor, rule 3) may lack the authorityKeyIdentifier.
  for (let i = 0; i + 1 < certs.length; i++) {
    const child = certs[i] as ParsedCertificate;
    const parent = certs[i + 1] as ParsedCertificate;
    if (!bytesEqual(child.issuerDer, parent.subjectDer)) {
      throw new X509Error('x5c_name_chaining', `${label(i)}: issuer "${child.certificate.issuer}" is not the subject of x5c[${i + 1}]`);
    }
    if (child.authorityKeyId === undefined && !child.selfIssued) throw new X509Error('x5c_name_chaining', `${label(i)}: no authorityKeyIdentifier keyIdentifier`);
    if (parent.subjectKeyId === undefined) throw new X509Error('x5c_name_chaining', `${label(i + 1)}: a CA certificate without subjectKeyIdentifier`);
    if (child.authorityKeyId !== undefined && child.authorityKeyId !== parent.subjectKeyId) {
      throw new X509Error('x5c_name_chaining', `${label(i)}: authorityKeyIdentifier does not match the subjectKeyIdentifier of x5c[${i + 1}]`);
    }
  }
  if (pinned === undefined && last.authorityKeyId === undefined && !last.selfIssued) {
    throw new X509Error('x5c_name_chaining', `${label(certs.length - 1)}: no authorityKeyIdentifier keyIdentifier`);
  }

  // Rule 3: the path ends at a configured anchor: x5c's last certificate is byte-equal to one (it
  // is then the anchor, not an intermediate: 3 (a)) or is issued by one (3 (b)-(d)). `chain` is x5c
  // without the anchor.
  let anchor: ParsedCertificate;
  let chain: ParsedCertificate[];
  if (pinned !== undefined) {
    anchor = pinned;
    chain = certs.slice(0, -1);
    if (chain.length === 0) throw new X509Error('x5c_leaf_is_ca', 'x5c holds only a trust anchor: there is no leaf certificate');
  } else {
    chain = certs;
    // Also verifies the signature of the anchor-issued certificate (rule 4).
    anchor = await findIssuingAnchor(last, label(certs.length - 1), opts.anchors);
  }
  const leaf = chain[0] as ParsedCertificate;
  const anchorLabel = `trust anchor (${anchor.subject})`;

  // Rule 4: each signature inside x5c by the next certificate's key (a trailing anchor copy included).
  for (let i = 0; i + 1 < certs.length; i++) {
    const problem = await signatureProblem(certs[i] as ParsedCertificate, certs[i + 1] as ParsedCertificate);
    if (problem !== undefined) throw new X509Error('x5c_signature_invalid', `${label(i)}: ${problem}`);
  }

  const everything: [ParsedCertificate, string][] = [...chain.map((c, i): [ParsedCertificate, string] => [c, label(i)]), [anchor, anchorLabel]];

  // Rule 5: no critical extension we do not process (RFC 5280 §4.2), the anchor included, and the
  // key identifiers, which conforming CAs MUST mark non-critical (§4.2.1.1, §4.2.1.2), not critical.
  for (const [cert, where] of everything) {
    const unknown = cert.extensions.find((e) => e.critical && !UNDERSTOOD_CRITICAL_EXTENSIONS.has(e.oid));
    if (unknown !== undefined) throw new X509Error('x5c_critical_extension', `${where}: unsupported critical extension ${unknown.oid}`);
    const keyId = cert.extensions.find((e) => e.critical && NON_CRITICAL_EXTENSIONS.has(e.oid));
    if (keyId !== undefined) throw new X509Error('x5c_critical_extension', `${where}: extension ${keyId.oid} must not be critical`);
    // Policy constraints restrict the paths a CA vouches for and MUST be critical (§4.2.1.11,
    // §4.2.1.14); policies are not processed, so a non-critical one is refused as well.
    const policy = cert.extensions.find((e) => POLICY_CONSTRAINT_EXTENSIONS.has(e.oid));
    if (policy !== undefined) throw new X509Error('x5c_critical_extension', `${where}: policy constraint extension ${policy.oid} is not processed`);
  }

  // Rule 6: validity of every certificate, the anchor included.
  for (const [cert, where] of everything) {
    if (!isWithinValidity(opts.now, opts.tolerance, cert.notBefore, cert.notAfter)) {
      const state = opts.now < cert.notBefore - opts.tolerance ? 'is not yet valid' : 'has expired';
      throw new X509Error(
        'x5c_expired',
        `${where} ${state} (valid ${iso(cert.notBefore)} to ${iso(cert.notAfter)}, now ${iso(opts.now)}, tolerance ${opts.tolerance}s)`,
      );
    }
  }

  // Rule 7: CA certificates (intermediates, then the anchor), each through (a)-(c) before the next, so
  // the fault nearest the leaf wins; then (d), the caller's bound.
  const cas: [ParsedCertificate, string, number][] = [
    ...chain.slice(1).map((c, k): [ParsedCertificate, string, number] => [c, label(k + 1), k + 1]),
    [anchor, anchorLabel, chain.length],
  ];
  for (const [ca, where, position] of cas) {
    // (a)
    if (ca.basicConstraints?.ca !== true) throw new X509Error('x5c_not_ca', `${where} issues certificates but is not a CA (basicConstraints cA)`);
    // RFC 5280 §4.2.1.9: MUST be critical in a CA certificate. (A CA with an empty subject, §4.1.2.6,
    // issues certificates with an empty issuer, which rule 1 refuses.)
    if (!isCritical(ca, OID.basicConstraints)) throw new X509Error('x5c_not_ca', `${where}: basicConstraints is not critical`);
    // (b) RFC 5280 §4.2.1.3: a CA certificate MUST carry keyUsage, and keyCertSign to sign certificates.
    if (ca.keyUsage === undefined) throw new X509Error('x5c_key_usage', `${where}: a CA certificate without keyUsage`);
    if ((ca.keyUsage & KeyUsageFlags.keyCertSign) === 0) throw new X509Error('x5c_key_usage', `${where}: keyUsage lacks keyCertSign`);
    const limit = ca.basicConstraints.pathLength;
    // (c) RFC 5280 §4.2.1.9: non-self-issued intermediates below this CA; the leaf does not count.
    const below = chain.slice(1, position).filter((c) => !c.selfIssued).length;
    if (limit !== undefined && below > limit) {
      throw new X509Error('x5c_path_len', `${where}: pathLenConstraint ${limit} but ${below} intermediate certificate(s) follow it`);
    }
  }
  // (d) The caller's own bound (RFC 5280 §6.1.1 (k)), counted like pathLenConstraint, after every CA.
  if (opts.maxPathLength !== undefined) {
    const intermediates = chain.slice(1).filter((c) => !c.selfIssued).length;
    if (intermediates > opts.maxPathLength) {
      throw new X509Error('x5c_path_len', `the path has ${intermediates} non-self-issued intermediate certificate(s); maxPathLength is ${opts.maxPathLength}`);
    }
  }

  // Rule 8: the leaf.
  if (leaf.basicConstraints?.ca === true) throw new X509Error('x5c_leaf_is_ca', `${label(0)}: the leaf is a CA certificate`);
  // RFC 5280 §4.2.1.3: keyCertSign only with cA; a leaf asserting it claims to be a CA without being one.
  if (leaf.keyUsage !== undefined && (leaf.keyUsage & KeyUsageFlags.keyCertSign) !== 0) {
    throw new X509Error('x5c_key_usage', `${label(0)}: keyUsage keyCertSign in a certificate that is not a CA`);
  }
  if (leaf.keyUsage !== undefined && (leaf.keyUsage & KeyUsageFlags.digitalSignature) === 0) {
    throw new X509Error('x5c_key_usage', `${label(0)}: keyUsage lacks digitalSignature`);
  }
  if (opts.identity?.type === 'spiffe') {
    // X509-SVID §4.3: a leaf SVID sets keyUsage with digitalSignature and not keyCertSign/cRLSign.
    const forbidden = KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign;
    if (leaf.keyUsage === undefined || (leaf.keyUsage & forbidden) !== 0) {
      throw new X509Error('x5c_key_usage', `${label(0)}: an X509-SVID leaf needs keyUsage digitalSignature without keyCertSign/cRLSign`);
    }
  }
  if (opts.requiredEku !== undefined) {
    const eku = opts.requiredEku;
    if (leaf.extKeyUsage === undefined || !leaf.extKeyUsage.includes(eku)) {
      throw new X509Error('x5c_eku', `${label(0)}: extendedKeyUsage does not list ${eku}`);
    }
    // A CA that restricts its own extendedKeyUsage cannot vouch for other purposes.
    for (const [ca, where] of cas) {
      if (ca.extKeyUsage !== undefined && !ca.extKeyUsage.includes(eku) && !ca.extKeyUsage.includes(OID.anyExtendedKeyUsage)) {
        throw new X509Error('x5c_eku', `${where}: extendedKeyUsage restricts issuance and does not list ${eku}`);
      }
    }
  }

  // Rule 9: name constraints of each CA on the SANs of every certificate below it. RFC 5280 §6.1.3(b):
  // self-issued intermediates are exempt, the leaf never is. §4.2.1.10: the extension is for CA
  // certificates only and MUST be critical.
  if (leaf.nameConstraints !== undefined) throw new X509Error('x5c_name_constraints', `${label(0)}: nameConstraints in a certificate that is not a CA`);
  for (const [ca, where, position] of cas) {
    if (ca.nameConstraints === undefined) continue;
    if (!isCritical(ca, OID.nameConstraints)) throw new X509Error('x5c_name_constraints', `${where}: nameConstraints is not critical`);
    const compiled = compileNameConstraints(ca.nameConstraints, where);
    for (let i = 0; i < position; i++) {
      const subject = chain[i] as ParsedCertificate;
      if (i > 0 && subject.selfIssued) continue;
      checkNameConstraints(compiled, subject.subjectAltNames, label(i), where);
    }
  }

  // Rule 10: the identity (validateCertificatePath only).
  const selected = opts.identity === undefined ? undefined : leafIdentity(leaf.subjectAltNames, opts.identity);

  const leafPublicJwk = await exportLeafKey(leaf);
  const all = everything.map(([c]) => c);
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

function isCritical(cert: ParsedCertificate, oid: string): boolean {
  return cert.extensions.some((e) => e.oid === oid && e.critical);
}

/**
 * Rule 3 (b)-(d): the anchor that issued x5c's last certificate: named as its issuer, with a
 * subjectKeyIdentifier equal to its authorityKeyIdentifier, and, first in configuration order,
 * whose key verifies the signature. When none verifies, a self-issued certificate is a substitute
 * root (x5c_untrusted, even with the anchor's name and key identifier); any other is a bad
 * signature by the anchor (x5c_signature_invalid).
 */
async function findIssuingAnchor(cert: ParsedCertificate, where: string, anchors: readonly ParsedCertificate[]): Promise<ParsedCertificate> {
  const byName = anchors.filter((a) => bytesEqual(a.subjectDer, cert.issuerDer));
  const candidates = byName.filter((a) => a.subjectKeyId !== undefined && a.subjectKeyId === cert.authorityKeyId);
  // (b)
  if (candidates.length === 0) {
    const why = cert.selfIssued
      ? 'is self-issued and not a configured trust anchor'
      : byName.length === 0
        ? `was issued by "${cert.certificate.issuer}", which is not a configured trust anchor`
        : `names a key (authorityKeyIdentifier) that no configured trust anchor "${cert.certificate.issuer}" has (an anchor needs a subjectKeyIdentifier)`;
    throw new X509Error('x5c_untrusted', `${where} ${why}`);
  }
  // (c)
  let problem: string | undefined;
  for (const candidate of candidates) {
    problem = await signatureProblem(cert, candidate);
    if (problem === undefined) return candidate;
  }
  // (d) The self-issued case first: a copied name and key identifier make no anchor.
  if (cert.selfIssued) throw new X509Error('x5c_untrusted', `${where} is self-issued with a trust anchor's name but not signed by it: not a configured trust anchor`);
  throw new X509Error('x5c_signature_invalid', `${where}: ${problem ?? 'signature does not verify'} (trust anchor key)`);
}

/** undefined when `child` carries a valid signature by `parent`'s key with an accepted algorithm. */
async function signatureProblem(child: ParsedCertificate, parent: ParsedCertificate): Promise<string | undefined> {
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

async function exportLeafKey(leaf: ParsedCertificate): Promise<PublicJwk> {
  let jwk: { kty?: unknown; [member: string]: unknown };
  try {
    const key = await leaf.certificate.publicKey.export(webCrypto);
    jwk = (await webCrypto.subtle.exportKey('jwk', key)) as typeof jwk;
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

function badOption(fn: string, message: string): TransitiveProofError {
  return new TransitiveProofError('invalid_argument', `${fn}: ${message}`);
}

function resolveOptions(options: X509ChainOptions, identity: IdentityRule | undefined, fn: string): ResolvedOptions {
  const bad = (message: string) => badOption(fn, message);
  if (typeof options !== 'object' || options === null) throw bad('options are required');
  if (!Array.isArray(options.anchors) || options.anchors.length === 0) throw bad('anchors must be a non-empty array from loadTrustAnchors()');
  const anchors = options.anchors.map(parsedAnchor);
  if (typeof options.now !== 'number' || !Number.isFinite(options.now)) throw bad('now must be a finite number of seconds');
  const tolerance = options.clockToleranceSeconds;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0 || tolerance > MAX_CLOCK_TOLERANCE_SECONDS) {
    throw bad(`clockToleranceSeconds must be between 0 and ${MAX_CLOCK_TOLERANCE_SECONDS}`);
  }
  const maxCertificates = options.maxCertificates ?? DEFAULT_LIMITS.maxCertificates;
  if (!Number.isSafeInteger(maxCertificates) || maxCertificates < 1 || maxCertificates > LIMIT_CEILINGS.maxCertificates) {
    throw bad(`maxCertificates must be an integer between 1 and ${LIMIT_CEILINGS.maxCertificates}`);
  }
  const maxCertificateBytes = options.maxCertificateBytes ?? DEFAULT_MAX_CERTIFICATE_BYTES;
  if (!Number.isSafeInteger(maxCertificateBytes) || maxCertificateBytes < 1 || maxCertificateBytes > MAX_CERTIFICATE_BYTES_CEILING) {
    throw bad(`maxCertificateBytes must be an integer between 1 and ${MAX_CERTIFICATE_BYTES_CEILING}`);
  }
  if (options.requiredEku !== undefined && !(typeof options.requiredEku === 'string' && /^[0-2](\.(0|[1-9][0-9]*))+$/.test(options.requiredEku))) {
    throw bad('requiredEku must be a dotted OID');
  }
  const maxPathLength = options.maxPathLength;
  if (maxPathLength !== undefined && !(Number.isSafeInteger(maxPathLength) && maxPathLength >= 0)) {
    throw bad('maxPathLength must be a non-negative integer');
  }
  if (options.cache !== undefined && !(options.cache instanceof PathCache)) throw bad('cache must be a PathCache');
  return {
    anchors,
    anchorList: options.anchors,
    now: options.now,
    tolerance,
    maxCertificates,
    maxCertificateBytes,
    requiredEku: options.requiredEku,
    maxPathLength,
    identity,
    cache: options.cache,
  };
}

function iso(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
