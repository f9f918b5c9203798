/**
 * Step 5, Claims (SPEC-NOTES.md §6.2): the decoded claims must match
 * schemas/link-claims.schema.json, plus the key checks a schema cannot express.
 */
import { LinkError, linkError, TransitiveProofError } from '../errors.js';
import { assertPublicJwk } from '../keys/keys.js';
import { describeSchemaError, validator } from '../model/schemas.js';
import type { Confirmation, LinkClaims } from '../model/types.js';

export function validateLinkClaims(claims: Record<string, unknown>, index: number): LinkClaims {
  const validate = validator('linkClaims');
  if (!validate(claims)) {
    throw linkError('claims_invalid', index, `claims: ${describeSchemaError(validate.errors)}`);
  }
  const valid = claims as unknown as LinkClaims;
  try {
    assertConfirmationKey(valid.tmb, 'tmb.jwk');
    assertConfirmationKey(valid.may_act.cnf, 'may_act.cnf.jwk');
  } catch (error) {
    if (error instanceof TransitiveProofError) throw new LinkError(error.code, index, `link ${index}: ${error.message}`);
    throw error;
  }
  return valid;
}

function assertConfirmationKey(cnf: Confirmation, what: string): void {
  if ('jwk' in cnf) assertPublicJwk(cnf.jwk, what);
}
