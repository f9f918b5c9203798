/** SPEC-NOTES.md §7.2 rule 6, validity: every certificate, the anchor included, is valid now. */
import { X509Error } from '../../errors.js';
import type { AnchoredPath } from '../candidate-path.js';

export function checkValidity(path: AnchoredPath, now: number, tolerance: number): void {
  for (const { cert, where } of path.everything) {
    if (!isWithinValidity(now, tolerance, cert.notBefore, cert.notAfter)) {
      const state = now < cert.notBefore - tolerance ? 'is not yet valid' : 'has expired';
      throw new X509Error(
        'x5c_expired',
        `${where} ${state} (valid ${iso(cert.notBefore)} to ${iso(cert.notAfter)}, now ${iso(now)}, tolerance ${tolerance}s)`,
      );
    }
  }
}

/**
 * RFC 5280 §4.1.2.5: valid from notBefore through notAfter inclusive, widened by the tolerance. The
 * path cache (§7.4) asks the same question of a cached path's window.
 */
export function isWithinValidity(now: number, clockToleranceSeconds: number, notBefore: number, notAfter: number): boolean {
  return now >= notBefore - clockToleranceSeconds && now <= notAfter + clockToleranceSeconds;
}

function iso(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}
