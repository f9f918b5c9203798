/**
 * The leaf's identity, from its subjectAltName only (never the subject CN), and the check that it is
 * the link's issuer.
 */
import type { GeneralName } from '@peculiar/asn1-x509';
import { invalidArgument, X509Error, quoted } from '../errors.js';
import { isHostName } from './name-constraints.js';
import type { IdentityRule, IdentityType, LeafNames, ValidatedPath } from '../ports.js';

const SPIFFE_MAX_LENGTH = 2048;
const TRUST_DOMAIN = /^[a-z0-9._-]{1,255}$/;
const PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;
/** An absolute URI in printable ASCII: what the `uri` rule and `matchUri` accept. */
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7e]+$/;

export interface SpiffeId {
  trustDomain: string;
  /** "" or "/segment/..." */
  path: string;
}

/**
 * Parse a SPIFFE ID per the SPIFFE-ID specification §2: lower-case `spiffe` scheme, a trust domain
 * of [a-z0-9._-], no userinfo/port/query/fragment/percent-encoding, path segments of
 * [A-Za-z0-9._-] that are neither empty, "." nor "..", no trailing slash. undefined when invalid.
 */
export function parseSpiffeId(id: string): SpiffeId | undefined {
  if (typeof id !== 'string' || id.length > SPIFFE_MAX_LENGTH || !id.startsWith('spiffe://')) return undefined;
  const rest = id.slice('spiffe://'.length);
  const slash = rest.indexOf('/');
  const trustDomain = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash);
  if (!TRUST_DOMAIN.test(trustDomain)) return undefined;
  if (path !== '') {
    const segments = path.slice(1).split('/');
    if (!segments.every((s) => PATH_SEGMENT.test(s) && s !== '.' && s !== '..')) return undefined;
  }
  return { trustDomain, path };
}

/**
 * A DNS identity (SPEC-NOTES §7.3): a host name in the preferred name syntax (`isHostName`, given in
 * lower case) whose last label is not all digits, so an IPv4 literal such as `8.8.8.8` is not one.
 * The one rule for both the `dns` identity rule and `matchDnsName`'s reference name.
 */
export function isDnsHostName(name: string): boolean {
  return isHostName(name) && !/^[0-9]+$/.test(name.slice(name.lastIndexOf('.') + 1));
}

/**
 * The rule as read, once (a fresh object: what rule 10 applies and what keys the path cache are the
 * same); throws `invalid_argument` for a rule the calling program got wrong.
 */
export function checkIdentityRule(rule: IdentityRule): IdentityRule {
  const type = (rule as { type?: unknown } | undefined)?.type;
  if (type !== 'uri' && type !== 'spiffe' && type !== 'dns') {
    throw invalidArgument('identity rule must be { type: "uri" | "spiffe" | "dns" }');
  }
  if (type !== 'spiffe') return { type };
  const trustDomain = (rule as { trustDomain?: unknown }).trustDomain;
  if (trustDomain === undefined) return { type };
  if (!(typeof trustDomain === 'string' && TRUST_DOMAIN.test(trustDomain))) {
    throw invalidArgument('identity rule trustDomain is not a valid SPIFFE trust domain');
  }
  return { type, trustDomain };
}

/** The identity a leaf's subjectAltName carries under `rule`; throws `x5c_identity_mismatch`. */
export function leafIdentity(names: readonly GeneralName[] | undefined, rule: IdentityRule): { identity: string; type: IdentityType } {
  const fail = (message: string) => new X509Error('x5c_identity_mismatch', `leaf identity: ${message}`);
  if (names === undefined) throw fail('the leaf has no subjectAltName (the subject CN is never used)');
  if (rule.type === 'dns') {
    const dns = names.flatMap((n) => (n.dNSName === undefined ? [] : [n.dNSName]));
    if (dns.length !== 1) throw fail(`expected exactly one dNSName subjectAltName, found ${dns.length}`);
    const name = (dns[0] as string).toLowerCase();
    // The same rule as matchDnsName's reference name: an IP address (`8.8.8.8`) is not a DNS identity.
    if (!isDnsHostName(name)) throw fail(`dNSName ${quoted(String(dns[0]))} is not a host name`);
    return { identity: name, type: 'dns' };
  }
  const uris = names.flatMap((n) => (n.uniformResourceIdentifier === undefined ? [] : [n.uniformResourceIdentifier]));
  if (uris.length !== 1) throw fail(`expected exactly one URI subjectAltName, found ${uris.length}`);
  const uri = uris[0] as string;
  if (rule.type === 'uri') {
    // Compared byte for byte with `iss` later, so only require an absolute URI in printable ASCII.
    if (!ABSOLUTE_URI.test(uri)) throw fail(`URI ${quoted(uri)} is not an absolute URI`);
    return { identity: uri, type: 'uri' };
  }
  const spiffe = parseSpiffeId(uri);
  if (spiffe === undefined) throw fail(`URI ${quoted(uri)} is not a valid SPIFFE ID`);
  if (rule.trustDomain !== undefined && spiffe.trustDomain !== rule.trustDomain) {
    throw fail(`SPIFFE trust domain ${quoted(spiffe.trustDomain)} is not the required ${quoted(rule.trustDomain)}`);
  }
  return { identity: uri, type: 'spiffe' };
}

/**
 * Throws `x5c_identity_mismatch` (SPEC-NOTES.md §7.2 rule 10, its second half: `rule` "10") unless
 * the validated leaf identity is the link's `iss`: exact comparison for URIs and SPIFFE IDs,
 * case-insensitive for DNS names.
 */
export function assertIdentity(path: ValidatedPath, expectedIss: string): void {
  const matches =
    typeof expectedIss === 'string' &&
    (path.identityType === 'dns' ? path.identity === expectedIss.toLowerCase() : path.identity === expectedIss);
  if (!matches) {
    throw new X509Error('x5c_identity_mismatch', `the certificate identity ${quoted(path.identity)} is not the link issuer ${quoted(String(expectedIss))}`, { rule: '10' });
  }
}

/**
 * Identity matchers for a chain validated without identity rule (`validateCertificateChain`), given
 * its `leafNames`. Unlike the identity rules, which select one identity to compare with a link's
 * `iss`, a matcher answers "is the leaf certificate valid for this name?". SPEC-NOTES §7.1 defines them.
 */

/**
 * RFC 9525 §6.3 DNS host name matching. `host` (the reference identifier) is a host name in the
 * preferred name syntax (`isHostName`, case-insensitive; a numeric top label, i.e. an IPv4 literal,
 * is not a host name) → else `invalid_argument`. Every dNSName of the leaf is a presented
 * identifier (several are normal: one certificate, several names); the leaf matches when one of them
 * - equals `host`, ASCII case-insensitively; or
 * - is a wildcard `*.` + a host name of at least two labels, and `host` is exactly one label (any
 *   label) followed by that name: `*.example.com` matches `a.example.com`, not `example.com` nor
 *   `a.b.example.com`. A `*` anywhere else (`f*.example.com`, `a.*.example.com`, `*`, `*.com`)
 *   never matches. No public suffix list is consulted (see §7.5).
 * The subject CN is never read.
 */
export function matchDnsName(names: LeafNames, host: string): boolean {
  if (typeof host !== 'string' || !isDnsHostName(host.toLowerCase())) {
    throw invalidArgument(`matchDnsName: ${quoted(String(host))} is not a DNS host name`);
  }
  const reference = host.toLowerCase();
  return leafNameList(names, 'dns').some((presented) => {
    const name = presented.toLowerCase();
    if (isHostName(name)) return name === reference;
    if (!name.startsWith('*.')) return false;
    const base = name.slice(2);
    if (!isHostName(base) || !base.includes('.')) return false;
    const dot = reference.indexOf('.');
    return dot > 0 && reference.slice(dot + 1) === base;
  });
}

/**
 * URI matching: the leaf has a uniformResourceIdentifier subjectAltName equal to `uri`, byte for
 * byte (no normalisation: a link's `iss` is compared the same way). `uri` must be an absolute URI in
 * printable ASCII → else `invalid_argument`. Any one of several URI names may match.
 */
export function matchUri(names: LeafNames, uri: string): boolean {
  if (typeof uri !== 'string' || !ABSOLUTE_URI.test(uri)) throw invalidArgument(`matchUri: ${quoted(String(uri))} is not an absolute URI`);
  return leafNameList(names, 'uri').includes(uri);
}

/**
 * X509-SVID matching. The leaf is an SVID only with exactly one URI subjectAltName (X509-SVID §2),
 * a valid SPIFFE ID; a leaf with several URI names matches nothing, whichever they are. `expected`
 * is a SPIFFE ID (equal to it) or `{ trustDomain }` (any ID in that trust domain) → else
 * `invalid_argument`. Returns the leaf's SPIFFE ID when it matches, else undefined. The X509-SVID
 * keyUsage requirement (§7.2 rule 8) is checked by the `spiffe` identity rule only.
 */
export function matchSpiffeId(names: LeafNames, expected: string | { trustDomain: string }): string | undefined {
  const wanted = typeof expected === 'string' ? parseSpiffeId(expected) : undefined;
  const trustDomain = typeof expected === 'string' ? wanted?.trustDomain : (expected as { trustDomain?: unknown } | null)?.trustDomain;
  if ((typeof expected === 'string' && wanted === undefined) || typeof trustDomain !== 'string' || !TRUST_DOMAIN.test(trustDomain)) {
    throw invalidArgument('matchSpiffeId: expected a SPIFFE ID or { trustDomain }');
  }
  const uris = leafNameList(names, 'uri');
  if (uris.length !== 1) return undefined;
  const id = uris[0] as string;
  const parsed = parseSpiffeId(id);
  if (parsed === undefined || parsed.trustDomain !== trustDomain) return undefined;
  if (typeof expected === 'string' && id !== expected) return undefined;
  return id;
}

function leafNameList(names: LeafNames, form: 'dns' | 'uri'): readonly string[] {
  const list = (names as Partial<LeafNames> | null | undefined)?.[form];
  if (!Array.isArray(list) || !list.every((n) => typeof n === 'string')) {
    throw invalidArgument('leaf names must come from a validated chain (leafNames)');
  }
  return list;
}
