/**
 * Reading token-request parameters from the wire (RFC 6749 §3.1–3.2): bounded in count and size,
 * duplicates rejected except for the parameters defined as repeatable, empty values treated as
 * omitted. Everything here raises `request_invalid` (invalid_request).
 */
import { TransitiveProofError } from '../errors.js';
import { REPEATABLE_PARAMETERS } from './profile.js';

/** Parameters as a server framework hands them over: a parsed form body or a record. */
export type TokenRequestParams = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface ParameterLimits {
  /** Most distinct parameters in one request. Default 64. */
  maxParameters: number;
  /** Longest value of any parameter, in characters. Default 65 536. */
  maxValueLength: number;
  /** Most values of one repeatable parameter (`resource`, `audience`). Default 8. */
  maxRepeats: number;
}

export const DEFAULT_PARAMETER_LIMITS: Readonly<ParameterLimits> = Object.freeze({
  maxParameters: 64,
  maxValueLength: 65_536,
  maxRepeats: 8,
});

/** The request's parameters: single-valued ones and the repeatable ones, each as a list. */
export interface ReadParameters {
  single: ReadonlyMap<string, string>;
  repeated: ReadonlyMap<string, readonly string[]>;
}

function invalid(message: string): TransitiveProofError {
  return new TransitiveProofError('request_invalid', message);
}

export function readParameters(input: TokenRequestParams, limits: ParameterLimits = DEFAULT_PARAMETER_LIMITS): ReadParameters {
  const values = new Map<string, string[]>();
  const add = (name: unknown, value: unknown): void => {
    if (typeof name !== 'string' || typeof value !== 'string') throw invalid('request parameters must be strings');
    if (value.length > limits.maxValueLength) throw invalid(`parameter "${printable(name)}" is too long`);
    // RFC 6749 §3.1: a parameter sent without a value is treated as omitted.
    if (value === '') return;
    let list = values.get(name);
    if (list === undefined) {
      if (values.size >= limits.maxParameters) throw invalid('too many request parameters');
      list = [];
      values.set(name, list);
    }
    list.push(value);
  };

  if (input instanceof URLSearchParams) {
    for (const [name, value] of input) add(name, value);
  } else if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    for (const [name, value] of Object.entries(input)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) {
        if (value.length > limits.maxValueLength) throw invalid(`parameter "${printable(name)}" has too many values`);
        for (const entry of value as readonly unknown[]) add(name, entry);
      } else {
        add(name, value);
      }
    }
  } else {
    throw invalid('request parameters are missing');
  }

  const single = new Map<string, string>();
  const repeated = new Map<string, readonly string[]>();
  for (const [name, list] of values) {
    if (REPEATABLE_PARAMETERS.has(name)) {
      if (list.length > limits.maxRepeats) throw invalid(`parameter "${name}" is repeated more than ${limits.maxRepeats} times`);
      repeated.set(name, list);
    } else if (list.length > 1) {
      // RFC 6749 §3.2: request parameters MUST NOT be included more than once.
      throw invalid(`parameter "${printable(name)}" is included more than once`);
    } else {
      single.set(name, list[0] as string);
    }
  }
  return { single, repeated };
}

/** A parameter name made safe for an error_description (RFC 6749 §5.2 character set), bounded. */
export function printable(text: string, max = 64): string {
  const cleaned = text.replace(/"/g, "'").replace(/\\/g, '/').replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '?');
  return cleaned.length > max ? `${cleaned.slice(0, max)}...` : cleaned;
}
