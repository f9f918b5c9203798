/** basicConstraints (RFC 5280 §4.2.1.9): whether the subject is a CA, and its pathLenConstraint. */
import type { BasicConstraints as BasicConstraintsValue } from '@peculiar/asn1-x509';

export interface BasicConstraints {
  ca: boolean;
  pathLength: number | undefined;
}

/**
 * pathLenConstraint is INTEGER (0..MAX); one that is negative, or beyond 2^53 − 1 (not read exactly
 * as a number: some such values failed the DER re-encoding, others passed), is malformed (§7.2 rule 1).
 */
export function readBasicConstraints(value: BasicConstraintsValue, fail: (reason: string) => Error): BasicConstraints {
  // The schema's INTEGER converter gives a number, or from 2^31 on its decimal string.
  const read: unknown = value.pathLenConstraint;
  const pathLength = typeof read === 'string' && /^-?[0-9]+$/.test(read) ? Number(read) : read;
  if (pathLength !== undefined && !(typeof pathLength === 'number' && Number.isSafeInteger(pathLength) && pathLength >= 0)) {
    throw fail('basicConstraints pathLenConstraint is not an integer from 0 to 2^53 - 1');
  }
  return { ca: value.cA === true, pathLength };
}
