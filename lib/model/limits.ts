/**
 * Size and count bounds (SPEC-NOTES.md §6.1). Every bound is checked before the work it protects.
 */
import { TransitiveProofError, invalidArgument } from '../errors.js';

export interface Limits {
  /** Maximum length of a chain's text form, in UTF-8 bytes (SPEC-NOTES.md §6.2 step 1). */
  maxChainBytes: number;
  /** Maximum bytes of one link. */
  maxLinkBytes: number;
  /** Maximum number of links in a chain. */
  maxLinks: number;
  /** Maximum nesting of JSON / CBOR containers inside one header or claims set. */
  maxNesting: number;
  /** Maximum certificates in one `x5c` / `x5chain`. */
  maxCertificates: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxChainBytes: 65_536,
  maxLinkBytes: 16_384,
  maxLinks: 8,
  maxNesting: 8,
  maxCertificates: 4,
});

/** Ceilings no configuration may exceed, so a typo cannot switch a bound off. */
export const LIMIT_CEILINGS: Readonly<Limits> = Object.freeze({
  maxChainBytes: 1_048_576,
  maxLinkBytes: 65_536,
  maxLinks: 64,
  maxNesting: 32,
  maxCertificates: 10,
});

/**
 * An option that bounds something (a size, a count, a wait): \`fallback\` when undefined, else a safe
 * integer of at least \`min\` (1 unless a zero bound means something) and at most \`max\` (where a
 * larger bound would defeat what it bounds). Anything else is a configuration fault
 * (\`invalid_argument\`), never a lifted bound: \`size > NaN\` is false.
 */
export function boundOption(name: string, value: unknown, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max < Number.MAX_SAFE_INTEGER ? `an integer between ${min} and ${max}` : min === 0 ? 'a non-negative integer' : 'a positive integer';
    throw invalidArgument(`${name} must be ${range}`);
  }
  return value;
}

export function resolveLimits(overrides: Partial<Limits> | undefined): Limits {
  const limits: Limits = { ...DEFAULT_LIMITS };
  if (!overrides) return limits;
  for (const name of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    const value = overrides[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1 || value > LIMIT_CEILINGS[name]) {
      throw invalidArgument(`limit ${name} must be an integer between 1 and ${LIMIT_CEILINGS[name]}`);
    }
    limits[name] = value;
  }
  return limits;
}

/**
 * The refusal of a chain with more links than `limits.maxLinks` (`chain_too_long`, step 2): one
 * wording for every reader of a chain (the chain forms, each codec's chain reader).
 */
export function tooManyLinks(limits: Limits): TransitiveProofError {
  return new TransitiveProofError('chain_too_long', `chain has more than ${limits.maxLinks} links`);
}

/** The refusal of a chain of more than `limits.maxChainBytes` bytes (`chain_too_large`, step 1), with its size where it is known. */
export function chainTooLarge(limits: Limits, size?: number): TransitiveProofError {
  return new TransitiveProofError('chain_too_large', size === undefined ? `chain is more than ${limits.maxChainBytes} bytes` : `chain is ${size} bytes, more than ${limits.maxChainBytes}`);
}
