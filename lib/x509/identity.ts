/**
 * The leaf's identity, from its subjectAltName only (never the subject CN), and the check that it is
 * the link's issuer.
 */
import type { GeneralName } from '@peculiar/asn1-x509';
import { TransitiveProofError, X509Error } from '../errors.js';
import { isDnsName } from './name-constraints.js';
import type { IdentityRule, IdentityType, ValidatedPath } from './types.js';

const SPIFFE_MAX_LENGTH = 2048;
const TRUST_DOMAIN = /^[a-z0-9._-]{1,255}$/;
const PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;

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

/** Throws `invalid_argument` for a rule the calling program got wrong. */
export function checkIdentityRule(rule: IdentityRule): void {
  const type = (rule as { type?: unknown } | undefined)?.type;
  if (type !== 'uri' && type !== 'spiffe' && type !== 'dns') {
    throw new TransitiveProofError('invalid_argument', 'identity rule must be { type: "uri" | "spiffe" | "dns" }');
  }
  if (rule.type === 'spiffe' && rule.trustDomain !== undefined && !(typeof rule.trustDomain === 'string' && TRUST_DOMAIN.test(rule.trustDomain))) {
    throw new TransitiveProofError('invalid_argument', 'identity rule trustDomain is not a valid SPIFFE trust domain');
  }
}

/** The identity a leaf's subjectAltName carries under `rule`; throws `x5c_identity_mismatch`. */
export function leafIdentity(names: readonly GeneralName[] | undefined, rule: IdentityRule): { identity: string; type: IdentityType } {
  const fail = (message: string) => new X509Error('x5c_identity_mismatch', `leaf identity: ${message}`);
  if (names === undefined) throw fail('the leaf has no subjectAltName (the subject CN is never used)');
  if (rule.type === 'dns') {
    const dns = names.flatMap((n) => (n.dNSName === undefined ? [] : [n.dNSName]));
    if (dns.length !== 1) throw fail(`expected exactly one dNSName subjectAltName, found ${dns.length}`);
    const name = (dns[0] as string).toLowerCase();
    if (!isDnsName(name)) throw fail(`dNSName "${dns[0]}" is not a host name`);
    return { identity: name, type: 'dns' };
  }
  const uris = names.flatMap((n) => (n.uniformResourceIdentifier === undefined ? [] : [n.uniformResourceIdentifier]));
  if (uris.length !== 1) throw fail(`expected exactly one URI subjectAltName, found ${uris.length}`);
  const uri = uris[0] as string;
  if (rule.type === 'uri') {
    // Compared byte for byte with `iss` later, so only require an absolute URI in printable ASCII.
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7e]+$/.test(uri)) throw fail(`URI "${uri}" is not an absolute URI`);
    return { identity: uri, type: 'uri' };
  }
  const spiffe = parseSpiffeId(uri);
  if (spiffe === undefined) throw fail(`URI "${uri}" is not a valid SPIFFE ID`);
  if (rule.trustDomain !== undefined && spiffe.trustDomain !== rule.trustDomain) {
    throw fail(`SPIFFE trust domain "${spiffe.trustDomain}" is not the required "${rule.trustDomain}"`);
  }
  return { identity: uri, type: 'spiffe' };
}

/**
 * Throws `x5c_identity_mismatch` unless the validated leaf identity is the link's `iss`: exact
 * comparison for URIs and SPIFFE IDs, case-insensitive for DNS names.
 */
export function assertIdentity(path: ValidatedPath, expectedIss: string): void {
  const matches =
    typeof expectedIss === 'string' &&
    (path.identityType === 'dns' ? path.identity === expectedIss.toLowerCase() : path.identity === expectedIss);
  if (!matches) {
    throw new X509Error('x5c_identity_mismatch', `the certificate identity "${path.identity}" is not the link issuer "${String(expectedIss)}"`);
  }
}
