/**
 * Certificate summaries for display: subject DN and SANs, parsed with @peculiar/x509. The identity
 * shown is what a trust rule would most likely match (a URI SAN, then a DNS SAN, else the subject);
 * the rule that decides is the trust configuration's, at verification (SPEC-NOTES.md §7.1).
 */
import { SubjectAlternativeNameExtension, X509Certificate } from '../x509/peculiar.js';

export interface CertificateSummary {
  subject: string;
  /** Subject alternative names as `type:value` (`url:spiffe://…`, `dns:…`). */
  sans: string[];
  /** The name the certificate most plausibly stands for (see above); unverified. */
  identity: string;
}

export function summarizeCertificates(ders: readonly Uint8Array[]): CertificateSummary[] {
  return ders.map((der) => {
    try {
      const certificate = new X509Certificate(der);
      const names = certificate.getExtension(SubjectAlternativeNameExtension)?.names.items ?? [];
      const sans = names.map((name) => `${name.type}:${name.value}`);
      const preferred = names.find((name) => name.type === 'url') ?? names.find((name) => name.type === 'dns');
      return { subject: certificate.subject, sans, identity: preferred?.value ?? certificate.subject };
    } catch {
      return { subject: '(unparseable certificate)', sans: [], identity: '(unparseable certificate)' };
    }
  });
}
