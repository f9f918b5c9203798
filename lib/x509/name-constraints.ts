/**
 * The name syntax and matching of RFC 5280 §4.2.1.10 name constraints, for the two name forms
 * identities use here: dNSName and uniformResourceIdentifier (matched on the URI's host). Rule 9
 * (lib/x509/rules/09-name-constraints.ts) applies them; the identity rules (lib/x509/identity.ts)
 * share the host-name syntax.
 */

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Letters, digits, '-' and '_' labels, 1–63 each, ≤ 253 in total, no empty label. */
export function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((label) => LABEL.test(label));
}

/** A DNS name whose last label is not all digits: an IPv4 address in any spelling (10.0.0.1, 127.1, 2130706433) is no host name. */
export function isNamedHost(name: string): boolean {
  return isDnsName(name) && !/(?:^|\.)[0-9]+$/.test(name);
}

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A host name in the preferred name syntax that RFC 5280 §4.2.1.6 requires of a dNSName (RFC 1034
 * §3.5 as relaxed by RFC 1123 §2.1): lower-case letters, digits and inner hyphens, labels of 1–63,
 * at most 253 in total. No underscore, no wildcard, no trailing dot. Call with a lower-cased name.
 */
export function isHostName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((label) => HOST_LABEL.test(label));
}

/** dNSName matching: "" matches all; "example.com" itself and its subdomains. */
export function dnsNameMatches(name: string, constraint: string): boolean {
  if (constraint === '') return true;
  return name === constraint || name.endsWith(`.${constraint}`);
}

/** URI host matching (RFC 5280 §4.2.1.10): ".example.com" matches subdomains only; else the exact host. */
export function uriHostMatches(host: string, constraint: string): boolean {
  return constraint.startsWith('.') ? host.endsWith(constraint) : host === constraint;
}

/**
 * The host of an absolute hierarchical URI (`scheme://host[:port]/...`), lower case; for a SPIFFE ID
 * this is the trust domain. undefined when there is no reg-name host we can match safely: no
 * authority, userinfo, an IP literal or an IPv4 address in any spelling (last label all digits),
 * percent-encoding, or non-ASCII.
 */
export function uriHost(uri: string): string | undefined {
  // Printable ASCII only: parser differentials start where encodings do.
  if (!/^[\x21-\x7e]+$/.test(uri)) return undefined;
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(uri);
  if (match === null) return undefined;
  const authority = match[1] ?? '';
  if (authority.includes('@') || authority.startsWith('[')) return undefined;
  const host = authority.replace(/:[0-9]*$/, '').toLowerCase();
  if (!isNamedHost(host)) return undefined;
  return host;
}
