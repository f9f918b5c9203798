/**
 * JSON Schema validation with ajv. The schemas in schemas/ are the single source of truth for the
 * shapes users and other implementations see; each is compiled once, on first use.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import confirmationSchema from '../../schemas/confirmation.schema.json' with { type: 'json' };
import linkClaimsSchema from '../../schemas/link-claims.schema.json' with { type: 'json' };
import trustConfigSchema from '../../schemas/trust-config.schema.json' with { type: 'json' };
import chainSchema from '../../schemas/chain.schema.json' with { type: 'json' };
import verifyResultSchema from '../../schemas/verify-result.schema.json' with { type: 'json' };
import errorSchema from '../../schemas/error.schema.json' with { type: 'json' };
import vectorSchema from '../../schemas/vector.schema.json' with { type: 'json' };
import deferredBindingRecordSchema from '../../schemas/deferred-binding-record.schema.json' with { type: 'json' };

export const SCHEMA_IDS = {
  confirmation: confirmationSchema.$id,
  linkClaims: linkClaimsSchema.$id,
  trustConfig: trustConfigSchema.$id,
  chain: chainSchema.$id,
  verifyResult: verifyResultSchema.$id,
  error: errorSchema.$id,
  // The shared test vectors (lib/vectors) and their index.
  vector: vectorSchema.$id,
  vectorIndex: `${vectorSchema.$id}#/$defs/index`,
  // The record an issued token carries about its deferred binding (SPEC-NOTES §8.4.1).
  deferredBindingRecord: deferredBindingRecordSchema.$id,
} as const;

export type SchemaName = keyof typeof SCHEMA_IDS;

let ajv: Ajv2020 | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

function instance(): Ajv2020 {
  // allErrors off: the first violation is enough and bounds the work on hostile input.
  ajv ??= new Ajv2020({ allErrors: false, strict: true, strictRequired: false, unicodeRegExp: true, schemas: [confirmationSchema, linkClaimsSchema, trustConfigSchema, chainSchema, verifyResultSchema, errorSchema, vectorSchema, deferredBindingRecordSchema] });
  return ajv;
}

export function validator(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (validate === undefined) {
    validate = instance().getSchema(SCHEMA_IDS[name]);
    if (validate === undefined) throw new Error(`schema ${name} is not registered`);
    compiled.set(name, validate);
  }
  return validate;
}

/** A one-line description of the first schema violation. */
export function describeSchemaError(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return 'does not match the schema';
  const where = first.instancePath === '' ? '(root)' : first.instancePath;
  return `${where} ${first.message ?? 'is invalid'}`;
}
