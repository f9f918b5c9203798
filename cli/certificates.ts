/**
 * Certificate summaries for display: subject DN and SANs, parsed with @peculiar/x509.
 */
import { SubjectAlternativeNameExtension, X509Certificate } from '../lib/x509/peculiar.js';
import type { CertificateSummary } from './render.js';

export function summarizeCertificates(ders: Uint8Array[]): CertificateSummary[] {
  return ders.map((der) => {
    try {
      const certificate = new X509Certificate(der);
      const san = certificate.getExtension(SubjectAlternativeNameExtension);
      const sans = san?.names.items.map((name) => `${name.type}:${name.value}`) ?? [];
      return { subject: certificate.subject, sans };
    } catch {
      return { subject: '(unparseable certificate)', sans: [] };
    }
  });
}
