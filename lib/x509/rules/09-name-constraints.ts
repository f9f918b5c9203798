/**
 * SPEC-NOTES.md §7.2 rule 9, name constraints (RFC 5280 §4.2.1.10), for the two name forms identities
 * use here: dNSName and uniformResourceIdentifier (matched on the URI's host). Any other constrained
 * form (directoryName, rfc822Name, iPAddress, otherName, ...) is not implemented and the whole path is
 * rejected when a CA carries one, critical or not: we cannot show the path satisfies a constraint we
 * do not evaluate. Every failure is `x5c_name_constraints`.
 */
import type { GeneralName, GeneralSubtree, NameConstraints } from '@peculiar/asn1-x509';
import { X509Error, quoted } from '../../errors.js';
import type { ParsedCertificate } from '../certificate.js';
import type { AnchoredPath, Placed, PlacedCa } from '../candidate-path.js';
import { OID } from '../extensions/oid.js';
import { dnsNameMatches, isDnsName, isNamedHost, uriHost, uriHostMatches } from '../name-constraints.js';

export function checkNameConstraints(path: AnchoredPath): void {
  leafHasNoNameConstraints(path);
  for (const ca of path.cas) {
    if (ca.cert.nameConstraints === undefined) continue;
    const compiled = readableConstraints(ca, ca.cert.nameConstraints);
    for (const { cert, where } of constrainedBelow(path, ca)) namesWithinConstraints(compiled, cert.subjectAltNames, where, ca.where);
  }
}

/** Rule 9 (a): the extension is for CA certificates only. */
function leafHasNoNameConstraints({ leaf, label }: AnchoredPath): void {
  if (leaf.nameConstraints !== undefined) {
    throw new X509Error('x5c_name_constraints', `${label(0)}: nameConstraints in a certificate that is not a CA`, { rule: '9a' });
  }
}

/** The constraints of one CA, compiled to lower-case strings per supported form. */
interface CompiledNameConstraints {
  /** undefined: the CA puts no permitted-subtree restriction on that form. */
  permittedDns: readonly string[] | undefined;
  permittedUriHosts: readonly string[] | undefined;
  excludedDns: readonly string[];
  excludedUriHosts: readonly string[];
}

/**
 * Rule 9 (b): one CA's nameConstraints as a whole, whatever names lie below it: critical, not empty,
 * no empty list of subtrees, minimum 0 and no maximum, only dNSName and URI bases, each a valid
 * constraint of its form. Compiled to lower-case strings per form; throws `x5c_name_constraints`.
 */
function readableConstraints({ cert, where: caLabel }: PlacedCa, nc: NameConstraints): CompiledNameConstraints {
  const fail = (message: string) => new X509Error('x5c_name_constraints', message, { rule: '9b' });
  // §4.2.1.10: MUST be critical.
  if (!cert.extensions.some((e) => e.oid === OID.nameConstraints && e.critical)) throw fail(`${caLabel}: nameConstraints is not critical`);
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
        if (c !== '' && !isDnsName(c)) throw fail(`${caLabel}: invalid dNSName constraint ${quoted(base.dNSName)}`);
        dns.push(c);
      } else if (base.uniformResourceIdentifier !== undefined) {
        const c = base.uniformResourceIdentifier.toLowerCase();
        const domain = c.startsWith('.') ? c.slice(1) : c;
        // RFC 5280: a URI constraint is a fully qualified domain name, a host or (leading period) a
        // domain: not empty, no scheme, userinfo, port or path, not an IP address (rule 9 (b)).
        if (!isNamedHost(domain)) throw fail(`${caLabel}: invalid URI constraint ${quoted(base.uniformResourceIdentifier)}`);
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

/**
 * Rule 9 (c): the certificates a CA's constraints apply to: every certificate below it, the leaf
 * always, an intermediate unless it is self-issued (RFC 5280 §6.1.3 (b)).
 */
function constrainedBelow(path: AnchoredPath, ca: PlacedCa): Placed[] {
  const below: Placed[] = [];
  for (let i = 0; i < ca.position; i++) {
    const cert = path.chain[i] as ParsedCertificate;
    if (i > 0 && cert.selfIssued) continue;
    below.push({ cert, where: path.label(i) });
  }
  return below;
}

/**
 * Rule 9 (d): the subjectAltName dNSName and URI entries of one certificate below the CA, each against
 * the constraints of its own form (matching: lib/x509/name-constraints.ts). Throws
 * `x5c_name_constraints` on a violation or on a name that cannot be checked.
 */
function namesWithinConstraints(
  constraints: CompiledNameConstraints,
  names: readonly GeneralName[] | undefined,
  subjectLabel: string,
  caLabel: string,
): void {
  const fail = (message: string) => new X509Error('x5c_name_constraints', message, { rule: '9d' });
  const dnsConstrained = constraints.permittedDns !== undefined || constraints.excludedDns.length > 0;
  const uriConstrained = constraints.permittedUriHosts !== undefined || constraints.excludedUriHosts.length > 0;
  for (const name of names ?? []) {
    if (name.dNSName !== undefined && dnsConstrained) {
      const dns = name.dNSName.toLowerCase();
      // Wildcards and odd syntax are refused rather than interpreted under constraints.
      if (!isDnsName(dns)) throw fail(`${subjectLabel}: dNSName ${quoted(name.dNSName)} cannot be checked against the constraints of ${caLabel}`);
      if (constraints.permittedDns !== undefined && !constraints.permittedDns.some((c) => dnsNameMatches(dns, c))) {
        throw fail(`${subjectLabel}: dNSName ${quoted(dns)} is outside the permitted subtrees of ${caLabel}`);
      }
      if (constraints.excludedDns.some((c) => dnsNameMatches(dns, c))) {
        throw fail(`${subjectLabel}: dNSName ${quoted(dns)} is in an excluded subtree of ${caLabel}`);
      }
    }
    if (name.uniformResourceIdentifier !== undefined && uriConstrained) {
      const host = uriHost(name.uniformResourceIdentifier);
      if (host === undefined) {
        throw fail(`${subjectLabel}: URI ${quoted(name.uniformResourceIdentifier)} has no host to check against the constraints of ${caLabel}`);
      }
      if (constraints.permittedUriHosts !== undefined && !constraints.permittedUriHosts.some((c) => uriHostMatches(host, c))) {
        throw fail(`${subjectLabel}: URI host ${quoted(host)} is outside the permitted subtrees of ${caLabel}`);
      }
      if (constraints.excludedUriHosts.some((c) => uriHostMatches(host, c))) {
        throw fail(`${subjectLabel}: URI host ${quoted(host)} is in an excluded subtree of ${caLabel}`);
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
