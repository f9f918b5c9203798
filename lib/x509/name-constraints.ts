/**
 * RFC 5280 §4.2.1.10 name constraints, for the two name forms identities use here: dNSName and
 * uniformResourceIdentifier (matched on the URI's host). Any other constrained form (directoryName,
 * rfc822Name, iPAddress, otherName, ...) is not implemented and the whole path is rejected when a
 * CA carries one, critical or not: we cannot show the path satisfies a constraint we do not evaluate.
 */
import type { GeneralName, GeneralSubtree, NameConstraints } from '@peculiar/asn1-x509';
import { X509Error } from '../errors.js';

/** The constraints of one CA, compiled to lower-case strings per supported form. */
export interface CompiledNameConstraints {
  /** undefined: the CA puts no permitted-subtree restriction on that form. */
  permittedDns: readonly string[] | undefined;
  permittedUriHosts: readonly string[] | undefined;
  excludedDns: readonly string[];
  excludedUriHosts: readonly string[];
}

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Letters, digits, '-' and '_' labels, 1–63 each, ≤ 253 in total, no empty label. */
export function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((label) => LABEL.test(label));
}

/** A DNS name whose last label is not all digits: an IPv4 address in any spelling (10.0.0.1, 127.1, 2130706433) is no host name. */
function isNamedHost(name: string): boolean {
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

function fail(message: string): X509Error {
  return new X509Error('x5c_name_constraints', message);
}

/** Compile one CA's NameConstraints; throws `x5c_name_constraints` for what we do not implement. */
export function compileNameConstraints(nc: NameConstraints, caLabel: string): CompiledNameConstraints {
  const permitted = nc.permittedSubtrees === undefined ? undefined : [...nc.permittedSubtrees];
  const excluded = nc.excludedSubtrees === undefined ? [] : [...nc.excludedSubtrees];
  // RFC 5280: "Conforming CAs MUST NOT issue certificates where name constraints is an empty sequence."
  if ((permitted?.length ?? 0) === 0 && excluded.length === 0) throw fail(`${caLabel}: empty nameConstraints`);
  // GeneralSubtrees is SIZE (1..MAX); an empty permitted list reads as "nothing" or "anything" (rule 9 (b)).
  if (permitted?.length === 0 || nc.excludedSubtrees?.length === 0) throw fail(`${caLabel}: an empty list of subtrees`);
  const compile = (subtrees: GeneralSubtree[], kind: string) => {
    const dns: string[] = [];
    const uri: string[] = [];
    for (const subtree of subtrees) {
      // RFC 5280: minimum MUST be zero and maximum MUST be absent; anything else is not understood.
      if (subtree.minimum !== 0 || subtree.maximum !== undefined) {
        throw fail(`${caLabel}: ${kind} subtree with minimum/maximum is not supported`);
      }
      const base = subtree.base;
      if (base.dNSName !== undefined) {
        const c = base.dNSName.toLowerCase();
        // RFC 5280 §4.2.1.10: a dNSName constraint is a DNS name (subdomains match by adding labels on
        // the left); unlike URI and rfc822Name constraints it has no leading-period form.
        if (c !== '' && !isDnsName(c)) throw fail(`${caLabel}: invalid dNSName constraint "${base.dNSName}"`);
        dns.push(c);
      } else if (base.uniformResourceIdentifier !== undefined) {
        const c = base.uniformResourceIdentifier.toLowerCase();
        const domain = c.startsWith('.') ? c.slice(1) : c;
        // RFC 5280: a URI constraint is a fully qualified domain name, a host or (leading period) a
        // domain: not empty, no scheme, userinfo, port or path, not an IP address (rule 9 (b)).
        if (!isNamedHost(domain)) throw fail(`${caLabel}: invalid URI constraint "${base.uniformResourceIdentifier}"`);
        uri.push(c);
      } else {
        throw fail(`${caLabel}: ${kind} ${formName(base)} name constraints are not supported`);
      }
    }
    return { dns, uri };
  };
  const p = permitted === undefined ? undefined : compile(permitted, 'permitted');
  const e = compile(excluded, 'excluded');
  return {
    // A permitted list only restricts the forms it mentions (RFC 5280 §4.2.1.10).
    permittedDns: p !== undefined && p.dns.length > 0 ? p.dns : undefined,
    permittedUriHosts: p !== undefined && p.uri.length > 0 ? p.uri : undefined,
    excludedDns: e.dns,
    excludedUriHosts: e.uri,
  };
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

/**
 * Check the subjectAltName entries of one subordinate certificate against one CA's constraints.
 * Throws `x5c_name_constraints` on a violation or on a name that cannot be checked.
 */
export function checkNameConstraints(
  constraints: CompiledNameConstraints,
  names: readonly GeneralName[] | undefined,
  subjectLabel: string,
  caLabel: string,
): void {
  const dnsConstrained = constraints.permittedDns !== undefined || constraints.excludedDns.length > 0;
  const uriConstrained = constraints.permittedUriHosts !== undefined || constraints.excludedUriHosts.length > 0;
  for (const name of names ?? []) {
    if (name.dNSName !== undefined && dnsConstrained) {
      const dns = name.dNSName.toLowerCase();
      // Wildcards and odd syntax are refused rather than interpreted under constraints.
      if (!isDnsName(dns)) throw fail(`${subjectLabel}: dNSName "${name.dNSName}" cannot be checked against the constraints of ${caLabel}`);
      if (constraints.permittedDns !== undefined && !constraints.permittedDns.some((c) => dnsNameMatches(dns, c))) {
        throw fail(`${subjectLabel}: dNSName "${dns}" is outside the permitted subtrees of ${caLabel}`);
      }
      if (constraints.excludedDns.some((c) => dnsNameMatches(dns, c))) {
        throw fail(`${subjectLabel}: dNSName "${dns}" is in an excluded subtree of ${caLabel}`);
      }
    }
    if (name.uniformResourceIdentifier !== undefined && uriConstrained) {
      const host = uriHost(name.uniformResourceIdentifier);
      if (host === undefined) {
        throw fail(`${subjectLabel}: URI "${name.uniformResourceIdentifier}" has no host to check against the constraints of ${caLabel}`);
      }
      if (constraints.permittedUriHosts !== undefined && !constraints.permittedUriHosts.some((c) => uriHostMatches(host, c))) {
        throw fail(`${subjectLabel}: URI host "${host}" is outside the permitted subtrees of ${caLabel}`);
      }
      if (constraints.excludedUriHosts.some((c) => uriHostMatches(host, c))) {
        throw fail(`${subjectLabel}: URI host "${host}" is in an excluded subtree of ${caLabel}`);
      }
    }
  }
}

function formName(name: GeneralName): string {
  if (name.directoryName !== undefined) return 'directoryName';
  if (name.rfc822Name !== undefined) return 'rfc822Name';
  if (name.iPAddress !== undefined) return 'iPAddress';
  if (name.otherName !== undefined) return 'otherName';
  if (name.registeredID !== undefined) return 'registeredID';
  if (name.x400Address !== undefined) return 'x400Address';
  if (name.ediPartyName !== undefined) return 'ediPartyName';
  return 'unknown';
}
