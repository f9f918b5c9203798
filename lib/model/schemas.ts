/**
 * JSON Schema validation. The schemas in schemas/ are the single source of truth for the shapes
 * users and other implementations see; scripts/build-validators.mjs precompiles them with ajv's
 * standalone mode into validators.generated.ts, so nothing is compiled (or eval'd) at run time.
 */
import type { ErrorObject } from 'ajv';
import { invalidArgument } from '../errors.js';
import * as generated from './validators.generated.js';

/**
 * A schema violation as the precompiled validators report it: ajv's error object without its
 * schemaPath (the generator drops it: no reader uses it, and it was a tenth of the code).
 */
export type SchemaError = Omit<ErrorObject, 'schemaPath'>;

/**
 * A precompiled validator: true when `data` matches; else `errors` holds the first violation. A
 * section validated apart from its document (a part's, compileTrust) passes its `instancePath`,
 * the JSON pointer its errors are reported at (default "": the document).
 */
export interface SchemaValidator {
  (data: unknown, instancePath?: string): boolean;
  errors?: SchemaError[] | null;
}

const VALIDATORS = {
  confirmation: generated.confirmation as SchemaValidator,
  linkClaims: generated.linkClaims as SchemaValidator,
  /**
   * The trust configuration but for the definitions a part validates (`status`, `x509Root`,
   * `certificateProfile`: only "an object" here, an x509 root "an object of type x509");
   * compileTrust runs the part's validator on each (scripts/build-validators.mjs PART_DEFS).
   */
  trustConfig: generated.trustConfig as SchemaValidator,
};

export type SchemaName = keyof typeof VALIDATORS;

export function validator(name: SchemaName): SchemaValidator {
  return VALIDATORS[name];
}

/** A one-line description of the first schema violation, in ajv's words. */
export function describeSchemaError(errors: readonly SchemaError[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return 'does not match the schema';
  const where = first.instancePath === '' ? '(root)' : first.instancePath;
  return `${where} ${first.message ?? schemaErrorMessage(first)}`;
}

/**
 * One validator on the trust configuration or one of its sections (at `instancePath`: compileTrust
 * and the parts that check their sections): `invalid_argument` naming the first violation.
 */
export function assertTrustSection(validate: SchemaValidator, section: unknown, instancePath: string): void {
  if (!validate(section, instancePath)) {
    throw invalidArgument(`trust configuration: ${describeSchemaError(validate.errors)}`);
  }
}

/**
 * ajv's English message for the keywords the schemas use. The validators are generated without
 * messages (scripts/build-validators.mjs: 10 KB less in every bundle); this puts them back for the
 * one error that is reported. test/model/validators.test.ts holds it to ajv's own wording.
 */
function schemaErrorMessage({ keyword, params }: SchemaError): string {
  const p = params as Record<string, unknown>;
  // minLength, maxItems, ...: a bound on a count, in one sentence for the six.
  const bound = /^(min|max)(Length|Items|Properties)$/.exec(keyword);
  if (bound !== null) return `must NOT have ${bound[1] === 'min' ? 'fewer' : 'more'} than ${p.limit} ${bound[2] === 'Length' ? 'characters' : (bound[2] as string).toLowerCase()}`;
  if (!Object.hasOwn(MESSAGES, keyword)) return `must pass "${keyword}" keyword validation`;
  // Each {name} is the parameter's value, as a template literal writes it.
  return (MESSAGES[keyword] as string).replace(/\{(\w+)\}/g, (_, name: string) => `${p[name]}`);
}

/** The other keywords' messages, a parameter written {name}. */
const MESSAGES: Readonly<Record<string, string>> = {
  required: "must have required property '{missingProperty}'",
  additionalProperties: 'must NOT have additional properties',
  type: 'must be {type}',
  const: 'must be equal to constant',
  enum: 'must be equal to one of the allowed values',
  minimum: 'must be {comparison} {limit}',
  maximum: 'must be {comparison} {limit}',
  pattern: 'must match pattern "{pattern}"',
  oneOf: 'must match exactly one schema in oneOf',
  anyOf: 'must match a schema in anyOf',
  not: 'must NOT be valid',
  if: 'must match "{failingKeyword}" schema',
  // a member that must be absent (a private JWK member)
  'false schema': 'boolean schema is false',
  uniqueItems: 'must NOT have duplicate items (items ## {j} and {i} are identical)',
};
