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
  switch (keyword) {
    case 'required': return `must have required property '${p.missingProperty}'`;
    case 'additionalProperties': return 'must NOT have additional properties';
    case 'type': return `must be ${p.type}`;
    case 'const': return 'must be equal to constant';
    case 'enum': return 'must be equal to one of the allowed values';
    // minLength, maxItems, ...: a bound on a count, in one sentence for the six.
    case 'minLength': case 'maxLength': case 'minItems': case 'maxItems': case 'minProperties': case 'maxProperties': {
      const counted = keyword.slice(3).toLowerCase();
      return `must NOT have ${keyword.startsWith('min') ? 'fewer' : 'more'} than ${p.limit} ${counted === 'length' ? 'characters' : counted}`;
    }
    case 'minimum': case 'maximum': return `must be ${p.comparison} ${p.limit}`;
    case 'pattern': return `must match pattern "${p.pattern}"`;
    case 'oneOf': return 'must match exactly one schema in oneOf';
    case 'anyOf': return 'must match a schema in anyOf';
    case 'not': return 'must NOT be valid';
    case 'if': return `must match "${p.failingKeyword}" schema`;
    case 'false schema': return 'boolean schema is false'; // a member that must be absent (a private JWK member)
    case 'uniqueItems': return `must NOT have duplicate items (items ## ${p.j} and ${p.i} are identical)`;
    default: return `must pass "${keyword}" keyword validation`;
  }
}
