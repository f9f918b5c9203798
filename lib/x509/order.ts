/**
 * Ordering an unordered certificate set (RFC 9360 `x5bag`, x509-limbo's untrusted intermediates)
 * into leaf-first `x5c` candidates, and validating the first candidate that holds. SPEC-NOTES §7.2
 * ("Unordered certificates") is the normative text.
 *
 * Ordering only follows names and key identifiers; it never verifies a signature or trusts a
 * certificate. Each candidate then goes through the full path validation, so the ordering cannot
 * make a path acceptable that validation would refuse. Work is bounded: the bag size, the path length
 * (maxCertificates), the number of partial paths explored and the number of candidates tried.
 */
import { invalidArgument, X509Error } from '../errors.js';
import { boundOption, DEFAULT_LIMITS, LIMIT_CEILINGS } from '../model/limits.js';
import { parsedAnchor } from './anchors.js';
import type { TrustAnchor, ValidatedChain, X509ChainOptions } from '../ports.js';
import { bytesEqual } from './bytes.js';
import { parseCertificate, type ParsedCertificate } from './certificate.js';
import { certificateBytesOption, validateCertificateChain } from './path.js';

/** Most certificates an unordered set may hold (beyond: `x5c_too_many`). */
export const MAX_BAG_CERTIFICATES = 32;
/** Default and ceiling of candidate paths `validateCertificateBag` validates before giving up. */
export const DEFAULT_MAX_CANDIDATES = 4;
const MAX_CANDIDATES_CEILING = 16;
/** Partial paths the breadth-first search may create: bounds the work on hostile bags (cycles, fans). */
const MAX_PARTIAL_PATHS = 512;

export interface OrderOptions {
  anchors: readonly TrustAnchor[];
  /** Longest candidate, leaf included (as `maxCertificates` of path validation). Default 4, ceiling 10. */
  maxCertificates?: number;
  /** Most candidates returned. Default 4, ceiling 16. */
  maxCandidates?: number;
  /** Largest DER certificate accepted (as `maxCertificateBytes` of path validation). Default 8192, ceiling 65,536. */
  maxCertificateBytes?: number;
}

/**
 * Leaf-first `x5c` candidates made of `leaf` and certificates of `bag`: in each, every certificate's
 * issuer Name is the next one's subject (and their key identifiers agree when both are present), and
 * the last is named as issued by a configured anchor (same rule, against the anchor's subject and
 * key identifier). Anchors are never part of a candidate; a bag certificate byte-equal to an anchor
 * is ignored. No certificate appears twice in a candidate. Shortest candidates first; among equal
 * lengths, in the order of the bag. An empty list means no such path exists within the bounds.
 * Throws `x5c_malformed` for a certificate that does not parse, `x5c_too_many` for a bag larger than
 * MAX_BAG_CERTIFICATES, `invalid_argument` for bad options.
 */
export function orderCertificates(leaf: Uint8Array, bag: readonly Uint8Array[], options: OrderOptions): Uint8Array[][] {
  const { anchors, maxCertificates, maxCandidates, maxCertificateBytes } = resolve(options);
  if (!Array.isArray(bag)) throw new X509Error('x5c_malformed', 'the certificate set must be an array of DER certificates');
  if (bag.length > MAX_BAG_CERTIFICATES) {
    throw new X509Error('x5c_too_many', `the certificate set has ${bag.length} certificates; at most ${MAX_BAG_CERTIFICATES} are accepted`);
  }
  const parse = (der: Uint8Array, where: string): ParsedCertificate => {
    if (der instanceof Uint8Array && der.byteLength > maxCertificateBytes) {
      throw new X509Error('x5c_malformed', `${where} is ${der.byteLength} bytes; at most ${maxCertificateBytes} are accepted`);
    }
    return parseCertificate(der, where);
  };
  const start = parse(leaf, 'leaf');
  const pool = bag
    .map((der, i) => parse(der, `certificate set [${i}]`))
    .filter((c) => !anchors.some((a) => bytesEqual(a.der, c.der)))
    // Duplicates in the bag would only multiply the candidates.
    .filter((c, i, all) => all.findIndex((d) => bytesEqual(d.der, c.der)) === i && !bytesEqual(c.der, start.der));

  const candidates: Uint8Array[][] = [];
  let queue: ParsedCertificate[][] = [[start]];
  let created = 1;
  while (queue.length > 0 && candidates.length < maxCandidates) {
    const next: ParsedCertificate[][] = [];
    for (const path of queue) {
      const tip = path[path.length - 1] as ParsedCertificate;
      if (anchors.some((a) => issues(a, tip))) {
        candidates.push(path.map((c) => c.der));
        if (candidates.length >= maxCandidates) break;
      }
      if (path.length >= maxCertificates) continue;
      for (const parent of pool) {
        if (created >= MAX_PARTIAL_PATHS) break;
        if (path.includes(parent) || !issues(parent, tip)) continue;
        next.push([...path, parent]);
        created++;
      }
    }
    queue = next;
  }
  return candidates;
}

/** The outcome of `validateCertificateBag`: the candidate that validated and its result. */
export interface ValidatedBag {
  x5c: readonly Uint8Array[];
  chain: ValidatedChain;
}

/**
 * Orders `leaf` and `bag` (`orderCertificates`) and validates the candidates in that order with
 * `validateCertificateChain` (rules 1-9), returning the first that validates. When none does, the
 * error is that of the first candidate; with no candidate at all, `x5c_untrusted`.
 */
export async function validateCertificateBag(
  leaf: Uint8Array,
  bag: readonly Uint8Array[],
  options: X509ChainOptions & { maxCandidates?: number },
): Promise<ValidatedBag> {
  const candidates = orderCertificates(leaf, bag, {
    anchors: options.anchors,
    ...(options.maxCertificates === undefined ? {} : { maxCertificates: options.maxCertificates }),
    ...(options.maxCandidates === undefined ? {} : { maxCandidates: options.maxCandidates }),
    ...(options.maxCertificateBytes === undefined ? {} : { maxCertificateBytes: options.maxCertificateBytes }),
  });
  if (candidates.length === 0) {
    throw new X509Error('x5c_untrusted', 'no path from the leaf through the certificate set to a configured trust anchor');
  }
  let first: unknown;
  for (const x5c of candidates) {
    try {
      return { x5c, chain: await validateCertificateChain(x5c, options) };
    } catch (error) {
      if (!(error instanceof X509Error)) throw error;
      first ??= error;
    }
  }
  throw first;
}

/** `parent` is named as the issuer of `child`: Name chaining, and key identifiers when both have one. */
function issues(parent: ParsedCertificate, child: ParsedCertificate): boolean {
  if (!bytesEqual(parent.subjectDer, child.issuerDer)) return false;
  return child.authorityKeyId === undefined || parent.subjectKeyId === undefined || child.authorityKeyId === parent.subjectKeyId;
}

function resolve(options: OrderOptions): {
  anchors: ParsedCertificate[];
  maxCertificates: number;
  maxCandidates: number;
  maxCertificateBytes: number;
} {
  const bad = (message: string) => invalidArgument(`orderCertificates: ${message}`);
  if (typeof options !== 'object' || options === null) throw bad('options are required');
  if (!Array.isArray(options.anchors) || options.anchors.length === 0) throw bad('anchors must be a non-empty array from loadTrustAnchors()');
  const maxCertificates = boundOption('orderCertificates: maxCertificates', options.maxCertificates, DEFAULT_LIMITS.maxCertificates, 1, LIMIT_CEILINGS.maxCertificates);
  const maxCandidates = boundOption('orderCertificates: maxCandidates', options.maxCandidates, DEFAULT_MAX_CANDIDATES, 1, MAX_CANDIDATES_CEILING);
  const maxCertificateBytes = certificateBytesOption('orderCertificates', options.maxCertificateBytes);
  return { anchors: options.anchors.map(parsedAnchor), maxCertificates, maxCandidates, maxCertificateBytes };
}
