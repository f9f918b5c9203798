/**
 * The one reading of an injected time (a `now`, or what a clock returns): the milliseconds of a Date
 * that is a valid instant. Anything else is a configuration fault (`invalid_argument`), never a
 * time: NaN makes every comparison false, so an expiry, an age or a replay window would pass.
 */
import { invalidArgument } from '../errors.js';

export function instantMillis(at: unknown, what: string): number {
  const millis = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(millis)) throw invalidArgument(`${what} must be a valid Date`);
  return millis;
}
