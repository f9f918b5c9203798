/**
 * The schemas compiled by ajv at run time with the generator's options (scripts/build-validators.mjs:
 * first violation only, strict, Unicode-aware patterns, each $ref a call), so that the precompiled
 * validators' verdicts and errors can be compared with ajv's own (but for `schemaPath` and `message`,
 * which the generated code does not carry).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { repoRoot } from './repo.js';

export interface RunTimeSchemas {
  readonly ajv: Ajv2020;
  readonly schemas: readonly { $id: string }[];
  /** The `$id` of schemas/`file`. */
  id(file: string): string;
  /** ajv's validator of schemas/`file`, or of the subschema at `pointer` (a `#/…` fragment) in it. */
  compiledOf(file: string, pointer?: string): ValidateFunction;
}

export function runTimeSchemas(): RunTimeSchemas {
  const schemas = readdirSync(join(repoRoot(), 'schemas')).filter((f) => f.endsWith('.schema.json')).map((f) => JSON.parse(readFileSync(join(repoRoot(), 'schemas', f), 'utf8')) as { $id: string });
  const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false, unicodeRegExp: true, inlineRefs: false, schemas });
  const id = (file: string): string => (schemas.find((s) => s.$id.endsWith(`/${file}`)) as { $id: string }).$id;
  return {
    ajv,
    schemas,
    id,
    compiledOf(file, pointer = '') {
      const compiled = ajv.getSchema(`${id(file)}${pointer}`);
      assert.ok(compiled, file + pointer);
      return compiled;
    },
  };
}
