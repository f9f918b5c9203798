/**
 * `x5c` as the §7.2 rules see it: the parsed certificates with the labels messages name them by,
 * before rule 3 (`ReceivedPath`) and after it, once the anchor is known (`AnchoredPath`).
 */
import type { ParsedCertificate } from './certificate.js';

export interface ReceivedPath {
  /** x5c as received, parsed, leaf first. */
  readonly certs: readonly ParsedCertificate[];
  /** The anchor x5c's last certificate is a byte-for-byte copy of (rule 3 (a)), if any. */
  readonly anchorCopy: ParsedCertificate | undefined;
  /** `x5c[i] (subject)`, for messages. */
  label(i: number): string;
}

/** A certificate of the path with the label messages name it by. */
export interface Placed {
  readonly cert: ParsedCertificate;
  readonly where: string;
}

/** A CA certificate of the path: `position` is its index in `chain` (the anchor: chain.length). */
export interface PlacedCa extends Placed {
  readonly position: number;
}

export interface AnchoredPath extends ReceivedPath {
  /** x5c without a trailing copy of the anchor: the path, leaf first. */
  readonly chain: readonly ParsedCertificate[];
  readonly leaf: ParsedCertificate;
  readonly anchor: ParsedCertificate;
  /** The path then the anchor: every certificate rules 5 and 6 look at. */
  readonly everything: readonly Placed[];
  /** x5c[1], x5c[2], ..., then the anchor: the CA certificates, nearest the leaf first. */
  readonly cas: readonly PlacedCa[];
}

export function receivedPath(certs: readonly ParsedCertificate[], anchorCopy: ParsedCertificate | undefined): ReceivedPath {
  return { certs, anchorCopy, label: (i) => `x5c[${i}] (${certs[i]?.subject ?? ''})` };
}

export function anchoredPath(received: ReceivedPath, chain: readonly ParsedCertificate[], anchor: ParsedCertificate): AnchoredPath {
  const anchorLabel = `trust anchor (${anchor.subject})`;
  return {
    ...received,
    chain,
    leaf: chain[0] as ParsedCertificate,
    anchor,
    everything: [...chain.map((cert, i): Placed => ({ cert, where: received.label(i) })), { cert: anchor, where: anchorLabel }],
    cas: [
      ...chain.slice(1).map((cert, k): PlacedCa => ({ cert, where: received.label(k + 1), position: k + 1 })),
      { cert: anchor, where: anchorLabel, position: chain.length },
    ],
  };
}
