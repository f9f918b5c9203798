/**
 * JSON Schema validation. The schemas in schemas/ are the single source of truth for the shapes
 * users and other implementations see; scripts/build-validators.mjs precompiles them with ajv's
 * standalone mode into validators.generated.ts, so nothing is compiled (or eval'd) at run time.
 */
import type { ErrorObject } from 'ajv';
import * as generated from './validators.generated.js';

/** A precompiled validator: true when `data` matches; else `errors` holds the first violation. */
export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const VALIDATORS = {
  confirmation: generated.confirmation as SchemaValidator,
  linkClaims: generated.linkClaims as SchemaValidator,
  trustConfig: generated.trustConfig as SchemaValidator,
};

export type SchemaName = keyof typeof VALIDATORS;

export function validator(name: SchemaName): SchemaValidator {
  return VALIDATORS[name];
}

/** A one-line description of the first schema violation. */
export function describeSchemaError(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return 'does not match the schema';
  const where = first.instancePath === '' ? '(root)' : first.instancePath;
  return `${where} ${first.message ?? 'is invalid'}`;
}
