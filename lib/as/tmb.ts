/**
 * The `tmb` token-request parameter: a confirmation method as JSON text, read strictly (no
 * duplicate members, bounded size and nesting) and checked against schemas/confirmation.schema.json
 * plus the key hygiene a schema cannot express (no private members, supported key type).
 */
import { TransitiveProofError } from '../errors.js';
import { assertPublicJwk } from '../keys/keys.js';
import { describeSchemaError, validator } from '../model/schemas.js';
import type { Confirmation } from '../model/types.js';
import { parseStrictJson, StrictJsonError } from '../model/strict-json.js';

/** Longest accepted `tmb` value, in UTF-8 bytes: room for a 4096-bit RSA JWK with its optional members. */
export const MAX_TMB_LENGTH = 4096;
const MAX_TMB_DEPTH = 4;

const encoder = new TextEncoder();

export function parseTmbParameter(text: string, maxLength = MAX_TMB_LENGTH): Confirmation {
  // Counted in UTF-8 bytes, like every parameter limit (SPEC-NOTES §8.3 steps 3 and 6).
  if (text.length > maxLength || encoder.encode(text).length > maxLength) {
    throw new TransitiveProofError('request_invalid', `tmb is longer than ${maxLength} bytes`);
  }
  let value: unknown;
  try {
    value = parseStrictJson(text, { maxDepth: MAX_TMB_DEPTH });
  } catch (cause) {
    const detail = cause instanceof StrictJsonError ? `: ${cause.message}` : '';
    throw new TransitiveProofError('request_invalid', `tmb is not valid JSON${detail}`, { cause });
  }
  // Back to ordinary objects (the strict reader builds prototype-less ones).
  const confirmation = JSON.parse(JSON.stringify(value)) as unknown;
  const validate = validator('confirmation');
  if (!validate(confirmation)) {
    throw new TransitiveProofError('request_invalid', `tmb is not a confirmation method: ${describeSchemaError(validate.errors)}`);
  }
  const cnf = confirmation as Confirmation;
  if ('jwk' in cnf) {
    try {
      assertPublicJwk(cnf.jwk, 'tmb.jwk');
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : 'tmb.jwk is not acceptable';
      throw new TransitiveProofError('request_invalid', message, { cause });
    }
  }
  return cnf;
}
