/** basicConstraints (RFC 5280 §4.2.1.9): whether the subject is a CA, and its pathLenConstraint. */
import type { BasicConstraints as BasicConstraintsValue } from '@peculiar/asn1-x509';

export interface BasicConstraints {
  ca: boolean;
  pathLength: number | undefined;
}

export function readBasicConstraints(value: BasicConstraintsValue): BasicConstraints {
  return { ca: value.cA === true, pathLength: value.pathLenConstraint };
}
