/**
 * Validators of the documents tools and tests read (chains as JSON, verify results, errors, test
 * vectors), precompiled like those of schemas.ts but kept apart, so the verifier does not load them.
 */
import * as generated from './document-validators.generated.js';
import type { SchemaValidator } from './schemas.js';

const VALIDATORS = {
  chain: generated.chain as SchemaValidator,
  verifyResult: generated.verifyResult as SchemaValidator,
  error: generated.error as SchemaValidator,
  vector: generated.vector as SchemaValidator,
  vectorIndex: generated.vectorIndex as SchemaValidator,
  asVector: generated.asVector as SchemaValidator,
  asVectorIndex: generated.asVectorIndex as SchemaValidator,
  deferredBindingRecord: generated.deferredBindingRecord as SchemaValidator,
  disclosurePolicy: generated.disclosurePolicy as SchemaValidator,
};

export type DocumentSchemaName = keyof typeof VALIDATORS;

export function documentValidator(name: DocumentSchemaName): SchemaValidator {
  return VALIDATORS[name];
}
