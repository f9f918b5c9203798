/** basicConstraints (RFC 5280 §4.2.1.9): whether the subject is a CA, and its pathLenConstraint. */
import { AsnConvert } from '@peculiar/asn1-schema';
import type { Extension } from '@peculiar/asn1-x509';
import { BasicConstraintsExtension } from '../peculiar.js';

export interface BasicConstraints {
  ca: boolean;
  pathLength: number | undefined;
}

export function readBasicConstraints(extension: Extension): BasicConstraints {
  const bc = new BasicConstraintsExtension(AsnConvert.serialize(extension));
  return { ca: bc.ca === true, pathLength: bc.pathLength };
}
