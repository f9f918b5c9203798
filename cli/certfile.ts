/**
 * PEM certificate files for `mint --x5c` and the trust file's anchors.
 */
import { readFileSync } from 'node:fs';
import { PemConverter } from '../lib/x509/peculiar.js';
import { UsageError } from './io.js';

/** DER certificates from a PEM file, in file order (leaf first for x5c). */
export function readCertificateChain(path: string): Uint8Array[] {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read certificate file "${path}"`);
  }
  const ders = PemConverter.decode(pem).map((buffer) => new Uint8Array(buffer));
  if (ders.length === 0) throw new UsageError(`"${path}" holds no PEM certificate`);
  return ders;
}
