/**
 * Reading token-request parameters from the wire (RFC 6749 §3.1–3.2, SPEC-NOTES.md §8.3 step 3):
 * empty values treated as omitted, bounded in count and size, duplicates rejected except for the
 * parameters defined as repeatable. Collecting never throws, so that steps 1 (the client) and 2
 * (the grant type) answer before any parameter fault; checking raises `request_invalid`.
 */
import { TransitiveProofError, invalidArgument } from '../errors.js';
import { boundOption } from '../model/limits.js';
import { REPEATABLE_PARAMETERS } from './profile.js';

/** Parameters as a server framework hands them over: a parsed form body or a record. */
export type TokenRequestParams = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface ParameterLimits {
  /** Most distinct parameter names in one request (every name with a non-empty value). Default 64. */
  maxParameters: number;
  /** Longest value of any parameter, in UTF-8 bytes of the decoded value. Default 65 536. */
  maxValueLength: number;
  /** Most values of one repeatable parameter (`resource`, `audience`). Default 8. */
  maxRepeats: number;
}

export const DEFAULT_PARAMETER_LIMITS: Readonly<ParameterLimits> = Object.freeze({
  maxParameters: 64,
  maxValueLength: 65_536,
  maxRepeats: 8,
});

/**
 * The limits step 3 applies: each default replaced by the caller's value where one is given (a member
 * that is undefined gives none). A given value must be a positive safe integer and every member a
 * limit this module knows: anything else is a configuration fault (`invalid_argument`), never a
 * limit silently lifted (`length > undefined` and `length > NaN` are false).
 */
export function resolveParameterLimits(given: Partial<ParameterLimits> | undefined): Readonly<ParameterLimits> {
  if (given === undefined || given === DEFAULT_PARAMETER_LIMITS) return DEFAULT_PARAMETER_LIMITS;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw invalidArgument('parameterLimits must be an object');
  }
  const limits: ParameterLimits = { ...DEFAULT_PARAMETER_LIMITS };
  for (const [name, value] of Object.entries(given)) {
    if (!Object.hasOwn(DEFAULT_PARAMETER_LIMITS, name)) {
      throw invalidArgument(`parameterLimits has no member ${JSON.stringify(name)} (${Object.keys(DEFAULT_PARAMETER_LIMITS).join(', ')})`);
    }
    limits[name as keyof ParameterLimits] = boundOption(`parameterLimits.${name}`, value, limits[name as keyof ParameterLimits]);
  }
  return Object.freeze(limits);
}

/** Every parameter name with its non-empty values, in arrival order; a value that is not a string is kept as is (step 3 refuses it). */
export type CollectedParameters = ReadonlyMap<string, readonly unknown[]>;

/** The request's parameters after step 3: single-valued ones and the repeatable ones, each as a list. */
export interface ReadParameters {
  single: ReadonlyMap<string, string>;
  repeated: ReadonlyMap<string, readonly string[]>;
}

function invalid(message: string): TransitiveProofError {
  return new TransitiveProofError('request_invalid', message);
}

/** The parameters by name, empty values dropped (RFC 6749 §3.1: sent without a value = omitted). Never throws. */
export function collectParameters(input: TokenRequestParams): CollectedParameters {
  const values = new Map<string, unknown[]>();
  const add = (name: string, value: unknown): void => {
    if (value === '' || value === undefined) return;
    let list = values.get(name);
    if (list === undefined) {
      list = [];
      values.set(name, list);
    }
    list.push(value);
  };
  if (input instanceof URLSearchParams) {
    for (const [name, value] of input) add(name, value);
  } else if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    for (const [name, value] of Object.entries(input)) {
      if (Array.isArray(value)) for (const entry of value as readonly unknown[]) add(name, entry);
      else add(name, value);
    }
  }
  return values;
}

/** The string values of one parameter, for steps 1–2 (which run before step 3 checks the rest). */
export function stringValues(collected: CollectedParameters, name: string): string[] {
  return (collected.get(name) ?? []).filter((value): value is string => typeof value === 'string');
}

/**
 * Step 3: type, size and repetition of the parameters `names` (the profile's; default every one
 * received). First, as a resource guard of this library rather than a protocol rule, at most
 * `maxParameters` distinct names received at all.
 */
export function checkParameters(collected: CollectedParameters, given?: Partial<ParameterLimits>, names?: readonly string[]): ReadParameters {
  const limits = resolveParameterLimits(given);
  if (collected.size > limits.maxParameters) throw invalid(`more than ${limits.maxParameters} request parameters`);
  const single = new Map<string, string>();
  const repeated = new Map<string, readonly string[]>();
  for (const [name, list] of collected) {
    if (names !== undefined && !names.includes(name)) continue;
    for (const value of list) {
      if (typeof value !== 'string') throw invalid(`parameter "${printable(name)}" is not a string`);
      if (utf8LengthAbove(value, limits.maxValueLength)) throw invalid(`parameter "${printable(name)}" is longer than ${limits.maxValueLength} bytes`);
    }
    const values = list as readonly string[];
    if (REPEATABLE_PARAMETERS.has(name)) {
      if (values.length > limits.maxRepeats) throw invalid(`parameter "${printable(name)}" is repeated more than ${limits.maxRepeats} times`);
      repeated.set(name, values);
    } else if (values.length > 1) {
      // RFC 6749 §3.2: request parameters MUST NOT be included more than once.
      throw invalid(`parameter "${printable(name)}" is included more than once`);
    } else {
      single.set(name, values[0] as string);
    }
  }
  return { single, repeated };
}

/** Steps of §8.3 that read parameters, in one call: collect, then check (no step 1–2 in between). */
export function readParameters(input: TokenRequestParams, limits?: Partial<ParameterLimits>): ReadParameters {
  const resolved = resolveParameterLimits(limits);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw invalid('request parameters are missing');
  return checkParameters(collectParameters(input), resolved);
}

const encoder = new TextEncoder();

/** Whether the UTF-8 encoding of `text` is longer than `max` bytes (a UTF-16 code unit is 1–3 bytes). */
function utf8LengthAbove(text: string, max: number): boolean {
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  return encoder.encode(text).length > max;
}

/**
 * Text made safe for an error_description (RFC 6749 §5.2 character set) and at most `max`
 * characters, by the rule of SPEC-NOTES.md §8.6: `"` becomes `'`, `\\` becomes `/`, every other code
 * point outside the set (a lone surrogate included) one `?`; then a result longer than `max` is its
 * first `max` − 3 characters and `...`.
 */
export function printable(text: string, max = 64): string {
  const cleaned = text.replace(/"/g, "'").replace(/\\/g, '/').replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/gu, '?');
  return cleaned.length > max ? `${cleaned.slice(0, max - 3)}...` : cleaned;
}
