#!/usr/bin/env node
/**
 * Precompiles the JSON Schemas of schemas/ into standalone validator code (ajv's `standalone`
 * module), so that no schema is compiled at run time: no `new Function` (pages whose
 * Content-Security-Policy lacks 'unsafe-eval' refuse it), no compile cost at import.
 *
 * The output, lib/model/*validators.generated.ts, is checked in: it is reviewed like code, the
 * sources build without a generation step, and the test suite (test/model/validators.test.ts)
 * fails when it no longer matches the schemas (`--check`). `npm run build` regenerates it first.
 *
 *   node scripts/build-validators.mjs           write the file if it changed
 *   node scripts/build-validators.mjs --check   exit 1 if the file is out of date
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Definitions of the trust configuration that only a part uses, and that the part's own validator
 * checks when the part is given (lib/trust/trust.ts assertTrustConfigSchema): in the core validator,
 * which every verifier carries, every `{ "$ref": "#/$defs/<def>" }` becomes the definition's stub
 * and the definition leaves the core schema. A stub accepts everything its definition accepts and
 * keeps what tells the definition apart where it is one branch of a `oneOf` (an x509 root's
 * `type`), so the core's verdict and the part's on each place the stub accepted are together the
 * whole schema's. Checked below: a stub is an object type, with `required` names the definition
 * requires and `properties` the definition has, equal.
 */
const PART_DEFS = {
  // statusSupport (transitive-proof/status): the `status` section.
  status: { type: 'object' },
  // x509Support (transitive-proof/x509): x509 roots (told from the other roots by their type) and `delegateCertificates`.
  x509Root: { type: 'object', required: ['type'], properties: { type: { const: 'x509' } } },
  certificateProfile: { type: 'object' },
};

/**
 * Part definitions whose stub is a definition of its own (`<def>Stub`), referred to where the
 * definition was: the x509 root is a branch of the roots' `oneOf`, which withOneOfCalls writes as
 * one call when every branch is a call. The stub's checks and errors are the same either way.
 */
const STUB_DEFS = new Set(['x509Root']);

/** The derived schema the core validator is compiled from (not a file: registered under this name). */
const CORE_TRUST_CONFIG = 'trust-config.core';

function coreTrustConfig(full) {
  for (const [def, stub] of Object.entries(PART_DEFS)) {
    const schema = full.$defs[def];
    const sound = schema?.type === 'object' && Object.keys(stub).every((key) => ['type', 'required', 'properties'].includes(key))
      && (stub.required ?? []).every((name) => schema.required?.includes(name))
      && Object.entries(stub.properties ?? {}).every(([name, member]) => JSON.stringify(schema.properties?.[name]) === JSON.stringify(member));
    if (!sound) throw new Error(`build-validators: the stub of trust-config's ${def} does not accept all the definition accepts`);
  }
  const replaced = new Set();
  const withStubs = (value) => {
    if (Array.isArray(value)) return value.map(withStubs);
    if (value === null || typeof value !== 'object') return value;
    const def = typeof value.$ref === 'string' ? /^#\/\$defs\/(\w+)$/.exec(value.$ref)?.[1] : undefined;
    if (def !== undefined && Object.hasOwn(PART_DEFS, def)) {
      if (Object.keys(value).length !== 1) throw new Error(`build-validators: a $ref to the part definition ${def} has siblings`);
      replaced.add(def);
      return STUB_DEFS.has(def) ? { $ref: `#/$defs/${def}Stub` } : PART_DEFS[def];
    }
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, withStubs(member)]));
  };
  // The part definitions stay, as written, in the core schema's $defs: nothing of the core refers to
  // them (so its validator carries no code for them), and each part's validator is compiled from
  // there, so that the definitions it shares with the core are the core's own functions.
  const $defs = Object.fromEntries(Object.entries(full.$defs).map(([name, schema]) => [name, Object.hasOwn(PART_DEFS, name) ? schema : withStubs(schema)]));
  for (const def of STUB_DEFS) {
    if (Object.hasOwn($defs, `${def}Stub`)) throw new Error(`build-validators: trust-config already has a definition ${def}Stub`);
    $defs[`${def}Stub`] = PART_DEFS[def];
  }
  const { $defs: _whole, ...document } = full;
  const core = { ...withStubs(document), $defs };
  for (const def of Object.keys(PART_DEFS)) {
    if (!replaced.has(def)) throw new Error(`build-validators: nothing in trust-config refers to the part definition ${def}`);
  }
  return { ...core, $id: full.$id.replace('trust-config.schema.json', 'trust-config.core.schema.json') };
}

/**
 * Output file → validator name → schema file (and JSON pointer inside it). One file per reader, so
 * that a program loads (and a bundle carries) only the validators it uses: the verifier's core, each
 * part's definitions, and the documents' validators (results, errors, vectors: for tools and tests).
 */
const OUTPUTS = {
  'lib/model/validators.generated.ts': {
    confirmation: ['confirmation.schema.json'],
    linkClaims: ['link-claims.schema.json'],
    // The trust configuration without the definitions a part validates (PART_DEFS).
    trustConfig: [CORE_TRUST_CONFIG],
  },
  // The part definitions' own validators (PART_DEFS), each file loaded by its part only:
  // statusSupport (transitive-proof/status), x509Support (transitive-proof/x509).
  'lib/model/status-validators.generated.ts': {
    statusConfig: [CORE_TRUST_CONFIG, '#/$defs/status'],
  },
  'lib/model/x509-validators.generated.ts': {
    x509Root: [CORE_TRUST_CONFIG, '#/$defs/x509Root'],
    certificateProfile: [CORE_TRUST_CONFIG, '#/$defs/certificateProfile'],
  },
  'lib/model/document-validators.generated.ts': {
    chain: ['chain.schema.json'],
    verifyResult: ['verify-result.schema.json'],
    error: ['error.schema.json'],
    vector: ['vector.schema.json'],
    vectorIndex: ['vector.schema.json', '#/$defs/index'],
    asVector: ['as-vector.schema.json'],
    asVectorIndex: ['as-vector.schema.json', '#/$defs/index'],
    // Read by resource servers (lib/as, lib/dpop), never by the verifier.
    deferredBindingRecord: ['deferred-binding-record.schema.json'],
    // Read by authorization servers (lib/as) when a disclosure policy is configured.
    disclosurePolicy: ['disclosure-policy.schema.json'],
  },
};

/** ajv's runtime helpers are CommonJS (`require`); the output is ESM, so they are imported (or, ESM_HELPERS, written here). */
const RUNTIME_HELPERS = /const (\w+) = require\("(ajv\/dist\/runtime\/[\w-]+)"\)\.default;/g;

/**
 * Helpers given as ES module code, so that importing the root loads no CommonJS module (issue
 * #27): the length of a string in Unicode code points, as minLength/maxLength count it (JSON
 * Schema 2020-12 §6.3.1: a surrogate pair is one character, a lone surrogate one).
 * test/model/validators.test.ts holds it to ajv's own helper.
 */
const ESM_HELPERS = {
  'ajv/dist/runtime/ucs2length': (name) => `function ${name}(text) {
  let count = 0;
  for (let i = 0; i < text.length; i++, count++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return count;
}`,
};

/** The schemaPath member of every error object the generated code builds (a JSON pointer: no quote or backslash in it unescaped). */
const SCHEMA_PATH = /schemaPath:"(?:[^"\\]|\\.)*",/g;

/** Keywords whose evaluation needs the state tracking that generate() turns off. */
const UNTRACKED_KEYWORDS = /"(?:unevaluatedProperties|unevaluatedItems|\$dynamicRef|\$dynamicAnchor|\$recursiveRef|\$recursiveAnchor)"\s*:/;

/** Annotation keywords do not validate; the code carries the schema objects, so they would only add bytes to every bundle. */
const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples']);

function withoutAnnotations(value) {
  if (Array.isArray(value)) return value.map(withoutAnnotations);
  if (value === null || typeof value !== 'object') return value;
  // Keys of `properties`, `$defs` and `patternProperties` are names, not keywords: kept whatever they are.
  return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, NAMED.has(key) ? namedMembers(member) : withoutAnnotations(member)]).filter(([key]) => !ANNOTATIONS.has(key)));
}

const NAMED = new Set(['properties', '$defs', 'patternProperties', 'dependentSchemas']);

function namedMembers(members) {
  return Object.fromEntries(Object.entries(members).map(([name, schema]) => [name, withoutAnnotations(schema)]));
}

/**
 * Every schema, registered in one ajv instance for every output file: the same (sub)schema is then
 * the same function, by name and code, in each file that reaches it, so a part's file imports it
 * from the core's instead of carrying a copy (withSharedDeclarations).
 */
function schemaCompiler() {
  const files = readdirSync(join(root, 'schemas')).filter((file) => file.endsWith('.schema.json')).sort();
  const schemas = Object.fromEntries(files.map((file) => [file, withoutAnnotations(JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8')))]));
  schemas[CORE_TRUST_CONFIG] = coreTrustConfig(schemas['trust-config.schema.json']);
  // The same options the validators always had: first violation only (bounds the work on hostile
  // input), strict schemas, Unicode-aware patterns; ESM output.
  const ajv = new Ajv2020({
    allErrors: false, strict: true, strictRequired: false, unicodeRegExp: true,
    // Each $ref a call, not a copy: the JWK and identifier schemas are referenced from many places.
    inlineRefs: false,
    messages: false,
    schemas: Object.values(schemas),
    code: { source: true, esm: true, lines: true },
  });
  // Ajv2020 turns on the bookkeeping of unevaluatedProperties/Items and $dynamicRef in every
  // generated function; no schema uses them (checked here, so a schema that starts to fails the
  // build rather than being checked without them), and off they cost no code.
  const dynamic = files.filter((file) => UNTRACKED_KEYWORDS.test(JSON.stringify(schemas[file])));
  if (dynamic.length > 0) throw new Error(`${dynamic.join(', ')}: unevaluated*/$dynamic*/$recursive* keywords need Ajv2020's tracking, which this generator turns off`);
  ajv.opts.unevaluated = false;
  ajv.opts.dynamicRef = false;
  return { ajv, schemas };
}

/** The module code of the validators SCHEMAS names (one output file), without its header. */
function generate({ ajv, schemas }, SCHEMAS, perLink) {
  const refs = Object.fromEntries(Object.entries(SCHEMAS).map(([name, [file, pointer]]) => [name, `${schemas[file].$id}${pointer ?? ''}`]));
  const imports = [];
  const code = standaloneCode(ajv, refs)
    // No reader uses an error's schemaPath (describeSchemaError reads instancePath, keyword and
    // params): a tenth of the code, gone from every bundle.
    .replace(SCHEMA_PATH, '')
    .replace(RUNTIME_HELPERS, (_, name, module) => {
      if (ESM_HELPERS[module] !== undefined) return ESM_HELPERS[module](name);
      imports.push(`import * as ${name}Module from '${module}.js';`);
      // Node and bundlers disagree on what a CommonJS module's default import is; accept both shapes.
      return `const ${name} = typeof ${name}Module.default === 'function' ? ${name}Module.default : ${name}Module.default.default;`;
    });
  // Each pass rewrites ajv's code into code that computes the same verdicts and errors (each says why).
  const passes = [withoutSchemaObjects, withInstancePathOnly, withErrorHelper, withSharedHelpers, withKeywordFailures, withPatternSources, withoutDiscardedErrors, withRelativePaths, withIfBranchReturns, withOneOfCalls, withReturnOnNestedFailure, withConstantCount, withoutUnchangedCounts, withConstantTail,
    withTestsAsFunctions, withMemberConditions, withConstantCount, withBoundChecks, withStringChecks, withOptionalMemberCalls, (text) => withItemBounds(text, perLink), withKeywordHelpers, withSingleRequired, withoutDeadVerdicts, withoutKnownPresenceTests, (text) => withAllowedMemberLists(text, perLink), withPassedCalls, withoutBareBlocks, withoutDeadElseErrors, (text) => withOptionalMemberChecks(text, perLink), withEarlyReturns, (text) => withOptionalIntegerMembers(text, perLink)];
  const compact = passes.reduce((text, pass) => pass(text), code);
  if (/\brequire\(|new Function|\beval\(/.test(compact)) throw new Error('standalone validator code still loads or compiles code at run time');
  return { imports, code: compact };
}

/** `const schemaN = {...};`: ajv's copy of a (sub)schema object, emitted where the code reads a member of it. */
const SCHEMA_OBJECT = /^const (schema\d+) = (.*);$/gm;
/** A member read from one: `schema21.oneOf[1].properties.crv.enum`. */
const SCHEMA_MEMBER = /\b(schema\d+)((?:\.[A-Za-z_$][\w$]*|\[\d+\])+)/g;

/**
 * ajv keeps each schema as an object in the code and reads two things from it: an enum's values
 * (for the error's `allowedValues`) and a `properties` object (whose keys the additionalProperties
 * check looks up with hasOwnProperty). Those are written out instead, the enum as its values and
 * the properties as their names, so the copies of whole schemas (4 kB of the trust configuration's
 * alone) leave the code. Both stand for exactly what was read: same values, same own keys.
 */
function withoutSchemaObjects(code) {
  const objects = new Map([...code.matchAll(SCHEMA_OBJECT)].map(([, name, json]) => [name, JSON.parse(json)]));
  const hoisted = new Map();
  const replaced = code.replace(SCHEMA_MEMBER, (whole, name, path) => {
    if (!objects.has(name)) return whole;
    let value = objects.get(name);
    for (const [, key, index] of path.matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]/g)) value = value?.[key ?? Number(index)];
    if (Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object')) return JSON.stringify(value);
    // ("__proto__" in an object literal would set the prototype, not a key: refused.)
    if (path.endsWith('.properties') && value !== null && typeof value === 'object' && !Array.isArray(value) && !Object.hasOwn(value, '__proto__')) {
      // Named after what it stands for, so that the same member is the same constant in every output file.
      const constant = `${name}${path.slice(0, -'.properties'.length).replace(/[^\w$]+/g, '_')}Properties`;
      hoisted.set(constant, `const ${constant} = ${JSON.stringify(Object.fromEntries(Object.keys(value).map((key) => [key, true])))};`);
      return constant;
    }
    throw new Error(`build-validators: the generated code reads ${name}${path}, which the generator does not know how to write out`);
  });
  const withoutObjects = replaced.replace(SCHEMA_OBJECT, '');
  if (/\bschema\d+\b/.test(withoutObjects.replace(/\bschema\d+\w*Properties\b/g, '').replace(/sourceURL="[^"]*"/g, ''))) throw new Error('build-validators: a schema object is still read by the generated code');
  return `${[...hoisted.values()].join('\n')}\n${withoutObjects}`;
}

/**
 * ajv's calling convention passes every validator (instancePath, parentData, parentDataProperty,
 * rootData) in one object; with no $data reference and no dynamic scope (checked above), only
 * instancePath is ever read. It is passed alone, as the second argument: `validate(data,
 * instancePath = "")`, and the others leave the signature and every call: 3 kB of each bundle. A
 * function that still read one would fail the build here, not at run time.
 */
function withInstancePathOnly(code) {
  const rewritten = code
    .replace(/\{instancePath="", parentData, parentDataProperty, rootData=data\}=\{\}/g, 'instancePath=""')
    .replace(/,parentData:data\d*,parentDataProperty:(?:"(?:[^"\\]|\\.)*"|\w+),rootData\}/g, '}')
    .replace(/\{instancePath,parentData,parentDataProperty,rootData\}/g, 'instancePath');
  const out = withoutCallContexts(rewritten);
  if (/\b(?:parentData|parentDataProperty|rootData)\b/.test(out)) throw new Error('build-validators: the generated code reads parentData, parentDataProperty or rootData');
  if (/, \{instancePath\b/.test(out)) throw new Error('build-validators: a validator is still called with a context object');
  return out;
}

/**
 * A call's context object, its one member left, `validateN(data.x, {instancePath:<path>})`, becomes
 * the path expression, `validateN(data.x, <path>)`. The expression is read up to the object's
 * closing brace outside string literals and parentheses (a document validator's escapes a key with
 * `.replace(...)` calls).
 */
function withoutCallContexts(code) {
  const OPEN = ', {instancePath:';
  let out = '';
  let at = 0;
  for (let start = code.indexOf(OPEN); start >= 0; start = code.indexOf(OPEN, at)) {
    let end = start + OPEN.length;
    for (let depth = 0; !(depth === 0 && code[end] === '}'); end++) {
      const char = code[end];
      if (char === undefined || char === '\n' || char === '{') throw new Error(`build-validators: a call's context object is not a path expression: ${code.slice(start, start + 120)}`);
      if (char === '"') {
        for (end++; code[end] !== '"'; end++) if (code[end] === '\\') end++;
      } else if (char === '(') {
        depth++;
      } else if (char === ')') {
        depth--;
      }
    }
    if (code[end + 1] !== ')') throw new Error(`build-validators: a call's context object has more members: ${code.slice(start, end + 40)}`);
    out += `${code.slice(at, start)}, ${code.slice(start + OPEN.length, end)}`;
    at = end + 1;
  }
  return out + code.slice(at);
}

/** An error object as ajv writes it, up to its params: `{instancePath:<path>,keyword:"<k>",params:`. */
const ERROR_OBJECT = /\{instancePath(?::([^,{}\n]*))?,keyword:("(?:[^"\\]|\\.)*"),params:/g;

/**
 * Every error object ajv writes, `{instancePath, keyword, params}` with its three member names, is
 * built by one helper instead, `E(instancePath, keyword, params)`, which returns the same object
 * (members in the same order): 187 sites, 5 kB of the verifier's bundle. The params object is
 * copied as written, found by matching its braces outside string literals. An error whose path
 * expression has a comma or brace in it (a few document validators') is left as ajv wrote it.
 */
function withErrorHelper(code) {
  let out = '';
  let at = 0;
  ERROR_OBJECT.lastIndex = 0;
  for (let match; (match = ERROR_OBJECT.exec(code)) !== null;) {
    const start = ERROR_OBJECT.lastIndex;
    if (code[start] !== '{') throw new Error(`build-validators: an error's params is not an object literal: ${code.slice(match.index, start + 40)}`);
    let end = start;
    for (let depth = 0; end < code.length; end++) {
      const char = code[end];
      if (char === '"') {
        for (end++; code[end] !== '"'; end++) if (code[end] === '\\') end++;
      } else if (char === '{' || char === '[') {
        depth++;
      } else if (char === '}' || char === ']') {
        depth--;
        if (depth === 0) break;
      }
    }
    if (code[end + 1] !== '}') throw new Error(`build-validators: an error object has members beyond params: ${code.slice(match.index, end + 40)}`);
    out += `${code.slice(at, match.index)}errorObject(${match[1] ?? 'instancePath'},${match[2]},${code.slice(start, end + 1)})`;
    at = end + 2;
    ERROR_OBJECT.lastIndex = at;
  }
  out += code.slice(at);
  return `${out}\nfunction errorObject(instancePath, keyword, params) {\n  return { instancePath, keyword, params };\n}`;
}

/**
 * Statements ajv writes at every failure, each given one function that computes the same:
 * [what ajv writes, the call that replaces it, the function]. `$1` is the errors appended or the
 * error pushed; each touches only its operands, as the statement did. Only failure paths run them.
 * (The tests ajv writes for "an object" and "an integer" stay inline: as functions, 1.6 kB less,
 * V8 did not inline them in the larger validators and a valid link's claims took 8-11 % longer to
 * validate, measured paired in one process.)
 */
const SHARED_HELPERS = [
  // A called validator's errors appended to this one's.
  [/vErrors = vErrors === null \? (validate\d+)\.errors : vErrors\.concat\(\1\.errors\);/g, 'vErrors = appendErrors(vErrors, $1.errors);',
    'function appendErrors(list, more) {\n  return list === null ? more : list.concat(more);\n}'],
  // The one error of a failing validator, set and returned (allErrors is off: the first violation ends it).
  [/^(validate\d+)\.errors = \[errorObject\((.*)\)\];\nreturn false;$/gm, 'return fail($1,$2);',
    'function fail(validate, instancePath, keyword, params) {\n  validate.errors = [errorObject(instancePath, keyword, params)];\n  return false;\n}'],
  // The commonest of those, a value of the wrong type (a third of them).
  [/\breturn fail\((validate\d+),([^;\n]*),"type",\{type: ("[a-z]+")\}\);/g, 'return failType($1,$2,$3);',
    'function failType(validate, instancePath, type) {\n  return fail(validate, instancePath, "type", { type });\n}'],
  // maxProperties/minProperties (every public JWK has a maxProperties): the count of own enumerable
  // string-keyed members, as Object.keys counts them, without building the array of their names.
  [/\bObject\.keys\((data\d*)\)\.length\b/g, 'propertyCount($1)',
    'function propertyCount(value) {\n  let count = 0;\n  for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) count++;\n  return count;\n}'],
  // One error pushed onto this one's list.
  [/if\(vErrors === null\)\{\nvErrors = \[(err\d+)\];\n\}\nelse \{\nvErrors\.push\(\1\);\n\}/g, 'vErrors = pushError(vErrors, $1);',
    'function pushError(list, error) {\n  if (list === null) return [error];\n  list.push(error);\n  return list;\n}'],
];

/**
 * Each [pattern, call, helper] of `table` applied to `code`: what matches becomes the call, and the
 * helper's source is listed when it was used. A call's name must not be one ajv's code has already.
 */
function replaceWithHelpers(code, table) {
  let out = code;
  const used = [];
  for (const [pattern, call, helper] of table) {
    const name = call.slice(0, call.indexOf('('));
    if (new RegExp(`\\b${name}\\b`).test(code)) throw new Error(`build-validators: ajv's code already has an identifier ${name}`);
    const next = out.replace(pattern, call);
    if (next !== out) used.push(helper);
    out = next;
  }
  return { out, used };
}

function withSharedHelpers(code) {
  const { out, used } = replaceWithHelpers(code, SHARED_HELPERS);
  return `${out}\n${used.join('\n')}`;
}

/**
 * The one parameter ajv's error of each of these keywords carries, by name; `maximum` and
 * `minimum` carry their comparison too (JSON Schema's inclusive bounds: "<=", ">=").
 */
const KEYWORD_PARAMS = {
  required: 'missingProperty', additionalProperties: 'additionalProperty', const: 'allowedValue', enum: 'allowedValues', pattern: 'pattern',
  minLength: 'limit', maxLength: 'limit', minItems: 'limit', maxItems: 'limit', minProperties: 'limit', maxProperties: 'limit',
};
const BOUNDS = { maximum: '<=', minimum: '>=' };
/** A failure that returns, as withSharedHelpers leaves it: `return fail(validateN,<path>,"<keyword>",{<name>: <value>});`. */
const KEYWORD_FAILURE = /^return fail\((validate\d+),(.*),"(\w+)",\{(\w+): (.*)\}\);$/gm;

/**
 * A returning failure of those keywords passes its parameter's value alone, `failOn(validateN,
 * <path>, "maxLength", 2048)`, and one function builds the params object ajv wrote (same member
 * names, in the same order): the member names and the comparisons leave each of about 400 sites.
 * Where the params are not exactly that one member (or comparison and limit), ajv's call stays.
 * The generated table leaves out the six count bounds' `limit` (minLength … maxProperties): a keyword
 * failOn is called with and the table does not name is one of them (only KEYWORD_PARAMS' keywords
 * and BOUNDS' reach failOn).
 */
function withKeywordFailures(code) {
  if (/\b(?:failOn|KEYWORD_PARAM)\b/.test(code)) throw new Error("build-validators: ajv's code already has an identifier failOn or KEYWORD_PARAM");
  let used = false;
  const out = code.replace(KEYWORD_FAILURE, (whole, validate, path, keyword, name, value) => {
    let argument = value;
    if (Object.hasOwn(BOUNDS, keyword) && name === 'comparison') {
      const bound = new RegExp(`^"${BOUNDS[keyword]}", limit: ([\\w.]+)$`).exec(value);
      if (bound === null) return whole;
      argument = bound[1];
    } else if (KEYWORD_PARAMS[keyword] !== name) {
      return whole;
    }
    used = true;
    return `return failOn(${validate},${path},"${keyword}",${argument});`;
  });
  // A false subschema's failure (a public JWK's private members) has no parameter at all.
  const falseSchema = out.replace(/^return fail\((validate\d+),(.*),"false schema",\{\}\);$/gm, 'return failFalse($1,$2);');
  if (falseSchema !== out && /\bfailFalse\b/.test(code)) throw new Error("build-validators: ajv's code already has an identifier failFalse");
  const withFalse = falseSchema === out ? out : `${falseSchema}\nfunction failFalse(validate, instancePath) {\n  return fail(validate, instancePath, "false schema", {});\n}`;
  if (!used) return withFalse;
  return `${withFalse}
const KEYWORD_PARAM = ${JSON.stringify(Object.fromEntries(Object.entries(KEYWORD_PARAMS).filter(([, name]) => name !== 'limit')))};
function failOn(validate, instancePath, keyword, value) {
  const comparison = ${JSON.stringify(BOUNDS)}[keyword];
  return fail(validate, instancePath, keyword, comparison === undefined ? { [KEYWORD_PARAM[keyword] ?? "limit"]: value } : { comparison, limit: value });
}`;
}

/** A pattern as ajv compiles it, once per file: `const patternN = new RegExp("<pattern>", "u");`. */
const PATTERN_DECLARATION = /^const (pattern\d+) = new RegExp\(("(?:[^"\\]|\\.)*"), "u"\);$/gm;

/**
 * A `pattern` failure reports the schema's pattern text, which ajv writes out again at each
 * failure: where the compiled RegExp's `source` is that very text (no `/` or line break for
 * RegExp to escape, checked here), the failure reads it, `patternN.source`.
 */
function withPatternSources(code) {
  const sources = new Map();
  for (const [, name, literal] of code.matchAll(PATTERN_DECLARATION)) {
    const text = JSON.parse(literal);
    if (new RegExp(text, 'u').source === text) sources.set(literal, name);
  }
  return code.replace(/^(return failOn\(validate\d+,.*,"pattern",)("(?:[^"\\]|\\.)*")\);$/gm, (whole, call, literal) => (sources.has(literal) ? `${call}${sources.get(literal)}.source);` : whole));
}

/**
 * An `if` keyword's condition as ajv writes it: the error count before, the condition's code, its
 * verdict, and the count and list put back as they were (the condition's errors are never reported).
 */
const IF_CONDITION = /^const (_errs\d+) = errors;\nlet valid\d+ = true;\nconst (_errs\d+) = errors;\n([\s\S]*?)^var (_valid\d+) = \2 === errors;\nerrors = \1;\nif\(vErrors !== null\)\{\nif\(\1\)\{\nvErrors\.length = \1;\n\}\nelse \{\nvErrors = null;\n\}\n\}$/gm;
/** The error a condition records (ajv's `createErrors: false`: an empty object), pushed and counted. */
const DISCARDED_ERROR = /^const (err\d+) = \{\};\nvErrors = pushError\(vErrors, \1\);\nerrors\+\+;$/gm;

/**
 * Inside an `if` keyword's condition ajv records each miss as an empty error object pushed onto the
 * list (an object and an array allocated when a valid key is not an OKP key, or a confirmation has
 * no `jkt`), and throws the list back to its length before the condition once it has its verdict.
 * Where the condition's code reads nothing of the list but those pushes (no nested call appends to
 * it and sets the count from its length, no return), only the count decides: the miss is counted,
 * `errors++`, and nothing is built. The verdict, read from the count, is the same, and the list
 * after the condition is what ajv's reset leaves.
 */
function withoutDiscardedErrors(code) {
  return code.replace(IF_CONDITION, (whole, before, start, condition) => {
    const counted = condition.replace(DISCARDED_ERROR, 'errors++;');
    if (counted === condition || /\bvErrors\b|\breturn\b|\berrors = /.test(counted)) return whole;
    return whole.replace(condition, () => counted);
  });
}

/** Where a validator calls another (a `$ref`), up to the callee's arguments: `if(!(validateN(`. */
const NESTED_CALL = /if\(!\((validate\d+)\(/g;

/**
 * ajv's nested call passes the callee the instance path of the value it checks, `validateN(data.x,
 * instancePath+"/x")`: a string built on every call, valid data or not (most of what a valid link's
 * claims allocated). The callee is called without it instead, so its errors are relative to the
 * value it was given, and the caller prefixes them with that same path expression only when the
 * callee fails, `appendErrors(vErrors, atPath(validateN.errors, instancePath+"/x"))`: the reported
 * paths are the ones ajv builds (each level prefixes its callee's errors once, on their way up).
 * The error objects so prefixed are the callee's fresh ones of that call (no error object is shared
 * between calls). A top-level call still takes an instance path, as SchemaValidator says.
 */
function withRelativePaths(code) {
  if (/\batPath\b/.test(code)) throw new Error("build-validators: ajv's code already has an identifier atPath");
  let out = '';
  let at = 0;
  let calls = 0;
  NESTED_CALL.lastIndex = 0;
  for (let match; (match = NESTED_CALL.exec(code)) !== null;) {
    const [, callee] = match;
    const open = NESTED_CALL.lastIndex;
    // The arguments, up to the call's closing parenthesis, and the top-level comma between the two.
    let comma = -1;
    let end = open;
    for (let depth = 0; ; end++) {
      const char = code[end];
      if (char === undefined || char === '\n') throw new Error(`build-validators: a nested call's arguments do not close: ${code.slice(match.index, match.index + 120)}`);
      if (char === '"') {
        for (end++; code[end] !== '"'; end++) if (code[end] === '\\') end++;
      } else if (char === '(' || char === '[') {
        depth++;
      } else if (char === ']') {
        depth--;
      } else if (char === ')') {
        if (depth === 0) break;
        depth--;
      } else if (char === ',' && depth === 0) {
        if (comma >= 0) throw new Error(`build-validators: a nested call has more than two arguments: ${code.slice(match.index, end + 40)}`);
        comma = end;
      }
    }
    if (comma < 0) throw new Error(`build-validators: a nested call has no instance path: ${code.slice(match.index, end + 40)}`);
    const data = code.slice(open, comma);
    const path = code.slice(comma + 1, end).trim();
    const failure = `))){\nvErrors = appendErrors(vErrors, ${callee}.errors);\n`;
    if (!code.startsWith(failure, end)) throw new Error(`build-validators: a nested call's failure is not the one appendErrors: ${code.slice(match.index, end + 80)}`);
    out += `${code.slice(at, match.index)}if(!(${callee}(${data}))){\nvErrors = appendErrors(vErrors, atPath(${callee}.errors, ${path}));\n`;
    at = end + failure.length;
    NESTED_CALL.lastIndex = at;
    calls++;
  }
  out += code.slice(at);
  // Every call of a validator is one of those: no other call site passes (or builds) a path.
  const sites = [...out.matchAll(/\b(validate\d+)\(/g)].length - [...out.matchAll(/^function validate\d+\(/gm)].length;
  if (sites !== calls) throw new Error(`build-validators: ${sites - calls} validator call(s) not of the nested-call form`);
  return calls === 0 ? out : `${out}\nfunction atPath(errors, instancePath) {\n  for (const error of errors) error.instancePath = instancePath + error.instancePath;\n  return errors;\n}`;
}

/**
 * An `if` keyword at the start of a validator (the public JWK's `kty` choice, the confirmation's
 * choice of member; and an `if` at the start of another's `else`), written by ajv as: the condition,
 * which counts its misses and puts the count back; the branch taken, in which a direct keyword's
 * failure returns at once and a nested call's failure is appended to the list (empty there: nothing
 * before it recorded an error and went on) and skips the branch's later checks; at the branch's end,
 * if the count moved, the `if` error (`failingKeyword`: "then" or "else") is pushed and the list
 * returned. A nested call's failure in a branch therefore returns the callee's errors at their path
 * followed by that `if` error, and nothing else: it does so at once, `return failIf(validateF,
 * validateN, <path>, <if path>, "then")`, the very list ajv built (the callee's array, prefixed in
 * place, the `if` error pushed onto it). After that, nothing in the validator records an error and
 * goes on: the count never moves past a condition, so each branch's end test, the `if` error and
 * its clause variable, and the condition's putting back of an empty list are dead, and go. Where a
 * validator is not exactly of that form (checked: the `if` first; every nested failure of a branch
 * rewritten; no other write of the list left), ajv's code stays as it is.
 */
const IF_FAILURE = /^if\(!(valid\d+)\)\{\nconst (err\d+) = errorObject\(([^\n]*),"if",\{failingKeyword: (ifClause\d+)\}\);\nvErrors = pushError\(vErrors, \2\);\nerrors\+\+;\n(validate\d+)\.errors = vErrors;\nreturn false;\n\}\n/gm;
const BRANCH_NESTED_FAILURE = /^const (_errs\d+) = errors;\nif\(!\((validate\d+)\(([^\n]*)\)\)\)\{\nvErrors = appendErrors\(vErrors, atPath\(\2\.errors, ([^\n]*)\)\);\nerrors = vErrors\.length;\n\}\nvar (valid\d+) = \1 === errors;$/;
const IF_START = /^(function (validate\d+)\(data, instancePath=""\)\{\n(?:\/\*# sourceURL=[^\n]*\n)?let vErrors = null;\nlet errors = 0;\n)const (_errs\d+) = errors;\nlet (valid\d+) = true;\nconst (_errs\d+) = errors;\n/;

/** An `if` keyword's condition: from the count it starts from to its test and the count put back. */
const IF_CONDITION_REGION = /^const (_errs\d+) = errors;\n(?:(?!^var )[\s\S])*?^var _valid\d+ = \1 === errors;\nerrors = _errs\d+;$/gm;

function withIfBranchReturns(code) {
  const functions = [...declarations(code).entries()].filter(([name, { statement }]) => ts.isFunctionDeclaration(statement) && /^validate\d+$/.test(name)).sort((a, b) => b[1].start - a[1].start);
  let out = code;
  let used = false;
  for (const [name, { text, start }] of functions) {
    if (!/^let ifClause\d+;$/m.test(text) || !IF_START.test(text)) continue;
    const ifPaths = new Map([...text.matchAll(IF_FAILURE)].map((match) => [match[4], match[3]]));
    // Each line's branch: the innermost `if` (its clause variable) and which of its branches.
    const lines = text.split('\n');
    const stack = [];
    let depth = 0;
    let sites = 0;
    const rewritten = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const clause = /^let (ifClause\d+);$/.exec(line)?.[1];
      if (clause !== undefined && /^if\(_valid\d+\)\{$/.test(lines[i + 1] ?? '')) stack.push({ clause, branch: 'then', depth });
      // (A nested failure past the `if` is withReturnOnNestedFailure's, as before.)
      const site = stack.length === 0 ? null : BRANCH_NESTED_FAILURE.exec(lines.slice(i, i + 6).join('\n'));
      if (site !== null) {
        const [, , callee, argument, path, valid] = site;
        const { clause, branch } = stack.at(-1);
        if (!ifPaths.has(clause)) throw new Error(`build-validators: ${name}: the if of ${clause} has no error of its own`);
        rewritten.push(`if(!(${callee}(${argument}))){`, `return failIf(${name}, ${callee}, ${path}, ${ifPaths.get(clause)}, "${branch}");`, '}', `var ${valid} = true;`);
        sites++;
        i += 5;
        continue;
      }
      if (stack.length > 0 && /\bappendErrors\(/.test(line)) throw new Error(`build-validators: ${name}: a nested failure in an if branch not of the form withIfBranchReturns reads`);
      rewritten.push(line);
      // Braces outside string literals (the generated code writes one statement a line).
      for (const char of line.replace(/"(?:[^"\\]|\\.)*"/g, '')) {
        if (char === '{') depth++;
        else if (char === '}') depth--;
      }
      const top = stack.at(-1);
      if (top !== undefined && depth === top.depth && line === '}') {
        if (top.branch === 'then' && lines[i + 1] === 'else {') top.branch = 'else';
        else stack.pop();
      }
    }
    let body = rewritten.join('\n');
    // Every other write of the count or the list is a condition's (counted misses, put back) or an `if` error's.
    const conditions = [...body.matchAll(IF_CONDITION_REGION)].map((match) => match[0]);
    const increments = (text) => (text.match(/^errors\+\+;$/gm) ?? []).length;
    if ((body.match(/\bpushError\(/g) ?? []).length !== ifPaths.size || increments(body) !== ifPaths.size + conditions.reduce((sum, text) => sum + increments(text), 0)) {
      throw new Error(`build-validators: ${name}: its if keywords record errors withIfBranchReturns does not know`);
    }
    // Nothing records an error and goes on now: the branch ends' tests, the `if` errors, the clause variables and the put-back lists are dead.
    body = body.replace(IF_FAILURE, '')
      .replace(/^var (_valid\d+) = _errs\d+ === errors;\n(valid\d+) = \1;\nifClause\d+ = "(?:then|else)";\n/gm, '')
      .replace(/^let ifClause\d+;\n/gm, '')
      .replace(/^errors = (_errs\d+);\nif\(vErrors !== null\)\{\nif\(\1\)\{\nvErrors\.length = \1;\n\}\nelse \{\nvErrors = null;\n\}\n\}\n/gm, 'errors = $1;\n');
    // The branch starts' counts and the `if` verdicts, now read by nothing.
    for (const [, variable] of [...body.matchAll(/^(?:const (_errs\d+) = errors;|let (valid\d+) = true;)$/gm)].map((match) => [match[0], match[1] ?? match[2]])) {
      if (new RegExp(`\\b${variable}\\b`, 'g').exec(body) !== null && body.match(new RegExp(`\\b${variable}\\b`, 'g')).length === 1) {
        body = body.replace(new RegExp(`^(?:const ${variable} = errors;|let ${variable} = true;)\\n`, 'm'), '');
      }
    }
    if (/\bifClause\d+\b|\bpushError\(/.test(body)) throw new Error(`build-validators: ${name}: an if branch left a recorded error behind`);
    used = true;
    out = out.slice(0, start) + body + out.slice(start + text.length);
  }
  if (!used) return out;
  if (/\bfailIf\b/.test(code)) throw new Error("build-validators: ajv's code already has an identifier failIf");
  return `${out}\nfunction failIf(validate, callee, instancePath, ifPath, failingKeyword) {\n  const errors = atPath(callee.errors, instancePath);\n  errors.push(errorObject(ifPath, "if", { failingKeyword }));\n  validate.errors = errors;\n  return false;\n}`;
}

/**
 * A `oneOf` whose every branch is a nested call (a `$ref`), as ajv writes it: each branch's failure
 * appended to the list; the first passing branch's index kept; at a second passing one the
 * indices of both and no further branch; if not exactly one passed, the `oneOf` error
 * (`passingSchemas`) pushed and the list returned; else the count and the list put back to what
 * they were before the keyword. The same, as one call of a function that runs the branches in that
 * order and builds the same errors in the same order (each callee's own array, prefixed in place),
 * and on failure returns the list before the keyword followed by them, as ajv's code did:
 * `if(!(oneOfCalls(validateF, vErrors, <data>, <path>, [validateA, validateB]))){ return false; }`.
 * A branch that is one `required` member (an issuer root's, or a status issuer's, `jwks` or
 * `jwksUri`) is a call too, of `requiredOf(name)`: it fails, with the one `required` error relative
 * to its value, exactly where ajv's inline branch did (an object without the member). A oneOf with
 * another inline branch stays as ajv wrote it.
 */
const ONE_OF_START = /^const (_errs\d+) = errors;\nlet (valid\d+) = false;\nlet (passing\d+) = null;\n/gm;

function withOneOfCalls(code) {
  let out = '';
  let at = 0;
  let used = false;
  let usedRequired = false;
  for (const start of [...code.matchAll(ONE_OF_START)]) {
    if (start.index < at) continue;
    const [head, before, valid, passing] = start;
    const e = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    let cursor = start.index + head.length;
    const callees = [];
    let data;
    let path;
    let nesting = 0;
    for (let k = 0; ; k++) {
      const branch = new RegExp(`const (_errs\\d+) = errors;\\nif\\(!\\((validate\\d+)\\(([^\\n]*)\\)\\)\\)\\{\\nvErrors = appendErrors\\(vErrors, atPath\\(\\2\\.errors, ([^\\n]*)\\)\\);\\nerrors = vErrors\\.length;\\n\\}\\nvar (_valid\\d+) = \\1 === errors;\\n`, 'y');
      // or a branch of one `required` member: the same as a call of `requiredOf(name)`, whose one
      // error is relative to the value it is given.
      const required = /const (_errs\d+) = errors;\nif\((data\d*) && typeof \2 == "object" && !Array\.isArray\(\2\)\)\{\nlet (missing\d+);\nif\(\(\2\.([A-Za-z_$][\w$]*) === undefined\) && \(\3 = "\4"\)\)\{\nconst (err\d+) = errorObject\(([^\n]*),"required",\{missingProperty: \3\}\);\nvErrors = pushError\(vErrors, \5\);\nerrors\+\+;\n\}\n\}\nvar (_valid\d+) = \1 === errors;\n/y;
      branch.lastIndex = cursor;
      required.lastIndex = cursor;
      const called = branch.exec(code);
      const member = called === null ? required.exec(code) : null;
      const call = called ?? (member === null ? null : [member[0], member[1], `requiredOf("${member[4]}")`, member[2], member[6], member[7]]);
      if (call === null || (data !== undefined && (call[3] !== data || call[4] !== path))) break;
      [, , , data, path] = call;
      callees.push(call[2]);
      if (member !== null) usedRequired = true;
      cursor = called === null ? required.lastIndex : branch.lastIndex;
      const verdict = call[5];
      const tally = k === 0
        ? new RegExp(`if\\(${verdict}\\)\\{\\n${valid} = true;\\n${passing} = 0;\\n\\}\\n`, 'y')
        : new RegExp(`if\\(${verdict} && ${valid}\\)\\{\\n${valid} = false;\\n${passing} = \\[${passing}, ${k}\\];\\n\\}\\nelse \\{\\nif\\(${verdict}\\)\\{\\n${valid} = true;\\n${passing} = ${k};\\n\\}\\n`, 'y');
      tally.lastIndex = cursor;
      if (tally.exec(code) === null) { callees.length = 0; break; }
      cursor = tally.lastIndex;
      if (k > 0) nesting++;
    }
    if (callees.length < 2) continue;
    const tail = new RegExp(`${'\\}\\n'.repeat(nesting)}if\\(!${valid}\\)\\{\\nconst (err\\d+) = errorObject\\(${e(path)},"oneOf",\\{passingSchemas: ${passing}\\}\\);\\nvErrors = pushError\\(vErrors, \\1\\);\\nerrors\\+\\+;\\n(validate\\d+)\\.errors = vErrors;\\nreturn false;\\n\\}\\nelse \\{\\nerrors = ${before};\\nif\\(vErrors !== null\\)\\{\\nif\\(${before}\\)\\{\\nvErrors\\.length = ${before};\\n\\}\\nelse \\{\\nvErrors = null;\\n\\}\\n\\}\\n\\}\\n`, 'y');
    tail.lastIndex = cursor;
    const end = tail.exec(code);
    if (end === null) continue;
    out += `${code.slice(at, start.index)}if(!(oneOfCalls(${end[2]}, vErrors, ${data}, ${path}, [${callees.join(', ')}]))){\nreturn false;\n}\n`;
    at = tail.lastIndex;
    used = true;
  }
  out += code.slice(at);
  if (!used) return out;
  if (/\boneOfCalls\b|\brequiredOf\b/.test(code)) throw new Error("build-validators: ajv's code already has an identifier oneOfCalls or requiredOf");
  return `${out}${usedRequired ? `
function requiredOf(name) {
  const branch = (data) => {
    if (data && typeof data == "object" && !Array.isArray(data) && data[name] === undefined) {
      branch.errors = [errorObject("", "required", { missingProperty: name })];
      return false;
    }
    return true;
  };
  return branch;
}` : ''}
function oneOfCalls(validate, before, data, instancePath, branches) {
  let errors = null;
  let passing = null;
  let valid = false;
  for (let i = 0; i < branches.length; i++) {
    if (!branches[i](data)) {
      errors = appendErrors(errors, atPath(branches[i].errors, instancePath));
    } else if (valid) {
      valid = false;
      passing = [passing, i];
      break;
    } else {
      valid = true;
      passing = i;
    }
  }
  if (valid) return true;
  validate.errors = appendErrors(before, pushError(errors, errorObject(instancePath, "oneOf", { passingSchemas: passing })));
  return false;
}`;
}

/** A nested call's failure as withRelativePaths leaves it: the callee's errors appended, the count set from the list. */
const NESTED_FAILURE = /^vErrors = appendErrors\(vErrors, atPath\((validate\d+)\.errors, ([^\n]*)\)\);\nerrors = vErrors\.length;$/gm;

/**
 * What records an error and goes on, or puts the count back: a composite keyword's code (`if`,
 * `oneOf`, `anyOf`, `not`: a miss pushed or counted, the count and list reset) — anything that
 * writes the count or the list but a nested failure (NESTED_FAILURE) and the function's first line.
 */
const COMPOSITE_WRITE = /(?<![\w.$]|let )errors(?:\+\+| = (?!vErrors\.length;))|\bvErrors(?:\.length)? = (?!null;\nlet errors = 0;|appendErrors\(vErrors, atPath\()|\bpushError\(/g;

/**
 * ajv's code with allErrors off checks nothing more after a first violation outside a composite
 * keyword: a direct keyword returns at once (`return fail(...)`), and a nested call's failure is
 * appended to the list (empty there: a composite keyword's code ends by putting it back or by
 * returning) and skips every later check down to the end, which returns that list and false. Past
 * the last composite write of a validator (each composite keyword's code ends with one, so no
 * nested call after it is inside one; a validator with none: all of it) the call returns it at
 * once instead, `return failAt(validateF, validateN, <path>)`: sets the callee's errors, at that
 * path, as validateF's and returns false (withConstantCount and
 * withoutUnchangedCounts then drop the bookkeeping the count no longer needs). Before that point,
 * in a composite keyword's branches, nested failures stay as ajv wrote them.
 */
function withReturnOnNestedFailure(code) {
  const functions = [...declarations(code).entries()].filter(([, { statement }]) => ts.isFunctionDeclaration(statement)).sort((a, b) => b[1].start - a[1].start);
  let out = code;
  for (const [name, { text, start }] of functions) {
    if (!/^validate\d+$/.test(name)) continue;
    const from = Math.max(0, ...[...text.matchAll(COMPOSITE_WRITE)].map((match) => match.index + match[0].length));
    const tail = text.slice(from).replace(NESTED_FAILURE, (_, callee, path) => `return failAt(${name}, ${callee}, ${path});`);
    if (/\bvErrors = (?!null;\nlet errors = 0;)/.test(tail)) throw new Error(`build-validators: ${name} still writes its error list past its composite keywords`);
    out = out.slice(0, start) + text.slice(0, from) + tail + out.slice(start + text.length);
  }
  if (out === code) return out;
  if (/\bfailAt\b/.test(code)) throw new Error("build-validators: ajv's code already has an identifier failAt");
  return `${out}\nfunction failAt(validate, callee, instancePath) {\n  validate.errors = atPath(callee.errors, instancePath);\n  return false;\n}`;
}

/**
 * Where a validator's error count never moves (nothing in it records an error and goes on: every
 * failure returns, withReturnOnNestedFailure), the count is 0 throughout, and ajv's bookkeeping of
 * it is constant: `_errsK` (the count before a check) is 0, every `_errsK === errors` and
 * `errors === 0` is true, so each `validN` is true and its `if` always taken, and the end returns
 * true with no errors. Written out as those constants: the tests and variables go, the checks they
 * guarded stay, as blocks. Checked after: no name of the bookkeeping is left in the function.
 */
function withConstantCount(code) {
  const functions = [...declarations(code).entries()].filter(([, { statement }]) => ts.isFunctionDeclaration(statement)).sort((a, b) => b[1].start - a[1].start);
  let out = code;
  for (const [name, { text, start }] of functions) {
    if (!/^validate\d+$/.test(name)) continue;
    const head = 'let vErrors = null;\nlet errors = 0;\n';
    const end = `${name}.errors = vErrors;\nreturn errors === 0;\n}`;
    if (text.split(head).length !== 2 || !text.endsWith(end) || /(?<![\w.$]|let )errors(?:\+\+| = )|\bvErrors = (?!null;\nlet errors = 0;)/.test(text)) continue;
    const body = text
      .replace(head, '')
      .replace(/^const _errs\d+ = errors;\n/gm, '')
      .replace(/^if\((?:errors === (?:_errs\d+|0)|_errs\d+ === errors)\)\{$/gm, '{')
      .replace(/^var valid\d+ = (?:_errs\d+ === errors|true);\n/gm, '')
      .replace(/^var valid\d+ = false;\n(?=return )/gm, '')
      .replace(/^if\(valid\d+\)\{$/gm, '{')
      .replace(/^if\(!valid\d+\)\{\nbreak;\n\}\n/gm, '')
      // (the list before a oneOf of calls, withOneOfCalls: empty throughout)
      .replace(/\boneOfCalls\((validate\d+), vErrors, /g, 'oneOfCalls($1, null, ')
      .replace(end, `${name}.errors = null;\nreturn true;\n}`);
    if (/\b(?:errors|vErrors|_errs\d+|valid\d+)\b(?<!\.errors)/.test(body)) throw new Error(`build-validators: ${name}'s error count is constant, yet its bookkeeping is still read: ${body.match(/.*\b(?:errors|vErrors|_errs\d+|valid\d+)\b(?<!\.errors).*/)?.[0]}`);
    out = out.slice(0, start) + body + out.slice(start + text.length);
  }
  return out;
}

/** A property's check as ajv closes it: valid if the error count did not move, valid if the property is absent, then the rest. */
const PROPERTY_VERDICT = /var (valid\d+) = (_errs\d+) === errors;\n\}\nelse \{\nvar \1 = true;\n\}\nif\(\1\)\{/g;
/** A statement that moves a function's error count (`errors` is a local of each validator). */
const COUNT_MOVES = /(?<![\w.$])errors(?:\+\+| = )/;

/**
 * ajv closes each property's check by comparing the error count with its count before the check,
 * `const _errsK = errors; <check> var validN = _errsK === errors;`, and runs the next property's
 * only if they are equal (or the property is absent). Where the check cannot move the count (it
 * returns on its failure, as a direct keyword does: no nested call, no condition), the two are
 * always equal: the count before, the comparison and the `if` go, and the rest runs as a block.
 * Only where every read of `validN` is such a closing's `if` (each right after its two writes) and
 * `_errsK` is read by nothing else.
 */
function withoutUnchangedCounts(code) {
  const functions = [...declarations(code).values()].filter(({ statement }) => ts.isFunctionDeclaration(statement)).sort((a, b) => b.statement.pos - a.statement.pos);
  let out = code;
  for (const { text, start } of functions) {
    let body = text;
    for (const [verdict, valid, before] of [...text.matchAll(PROPERTY_VERDICT)]) {
      const mentions = (name) => body.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;
      // Every read of validN is one of these closings' own `if` (the name is reused by sibling properties).
      const writes = (name) => body.match(new RegExp(`\\bvar ${name} = `, 'g'))?.length ?? 0;
      const verdicts = (name) => [...body.matchAll(PROPERTY_VERDICT)].filter((match) => match[1] === name).length;
      const start = `const ${before} = errors;\n`;
      const from = body.indexOf(start);
      const to = body.indexOf(verdict);
      if (from < 0 || to < from || body.indexOf(start, from + 1) >= 0 || mentions(before) !== 2 || mentions(valid) - writes(valid) !== verdicts(valid)) continue;
      if (COUNT_MOVES.test(body.slice(from + start.length, to))) continue;
      body = `${body.slice(0, from)}${body.slice(from + start.length, to)}}\n{${body.slice(to + verdict.length)}`;
    }
    out = out.slice(0, start) + body + out.slice(start + text.length);
  }
  return out;
}

/**
 * Past a validator's last composite write (withReturnOnNestedFailure), every failure returns, so
 * the code there runs with the count at 0 (each composite keyword's code puts it back or returns)
 * and nothing moves it: as in withConstantCount, a count taken there (`const _errsK = errors;`) is
 * 0, its comparisons with the count and `errors === 0` are true. Written out as those constants.
 */
function withConstantTail(code) {
  const functions = [...declarations(code).entries()].filter(([, { statement }]) => ts.isFunctionDeclaration(statement)).sort((a, b) => b[1].start - a[1].start);
  let out = code;
  for (const [name, { text, start }] of functions) {
    if (!/^validate\d+$/.test(name)) continue;
    const from = Math.max(0, ...[...text.matchAll(COMPOSITE_WRITE)].map((match) => match.index + match[0].length));
    let tail = text.slice(from);
    // (None: withConstantCount's. A count moved past them, by a call it could not return from: left as it is.)
    if (from === 0 || /(?<![\w.$])errors(?:\+\+| = )/.test(tail)) continue;
    const counts = [...tail.matchAll(/^const (_errs\d+) = errors;$/gm)].map((match) => match[1]);
    for (const count of counts) {
      tail = tail.replace(`const ${count} = errors;\n`, '').replaceAll(`${count} === errors`, 'true').replaceAll(`errors === ${count}`, 'true');
      if (new RegExp(`\\b${count}\\b`).test(tail)) throw new Error(`build-validators: ${name} reads ${count} otherwise`);
    }
    tail = tail.replace(/^if\((?:errors === 0|true)\)\{$/gm, '{');
    // A check's verdict now always true, read only right after its writes: the verdict goes.
    // (A verdict written false right before a return is never read.)
    let body = text.slice(0, from) + tail.replace(/^var valid\d+ = false;\n(?=return )/gm, '');
    for (const valid of new Set([...tail.matchAll(/^var (valid\d+) = true;$/gm)].map((match) => match[1]))) {
      // Written true on both branches (or the present branch returns) and read at once; written true and tested for a break.
      const constant = new RegExp(`^(?:var ${valid} = true;|return [^\\n]*;)\\n\\}\\nelse \\{\\nvar ${valid} = true;\\n\\}\\nif\\(${valid}\\)\\{$|^var ${valid} = true;\\nif\\(!${valid}\\)\\{\\nbreak;\\n\\}$`, 'gm');
      const reads = (body.match(new RegExp(`\\b${valid}\\b`, 'g'))?.length ?? 0) - (body.match(new RegExp(`\\bvar ${valid} = `, 'g'))?.length ?? 0);
      const ownReads = (body.match(constant)?.length ?? 0) + [...body.matchAll(PROPERTY_VERDICT)].filter((match) => match[1] === valid).length;
      if (reads === ownReads) body = body.replace(constant, (whole) => (!whole.endsWith('{') ? '' : whole.startsWith('return ') ? `${whole.slice(0, whole.indexOf('\n'))}\n}\n{` : '}\n{'));
    }
    out = out.slice(0, start) + body + out.slice(start + text.length);
  }
  return out;
}

/** The validators every link runs (its claims, and the confirmation and public-JWK validators they call). */
const PER_LINK = ['link-claims.schema.json', 'confirmation.schema.json'];

/** The names of the functions PER_LINK's validators are made of (one ajv instance: the same names in every output file). */
function perLinkValidators({ ajv, schemas }) {
  const code = standaloneCode(ajv, Object.fromEntries(PER_LINK.map((file, i) => [`v${i}`, schemas[file].$id])));
  return new Set([...code.matchAll(/^function (validate\d+)\(/gm)].map((match) => match[1]));
}

/** ajv's tests for "an object" and "an integer", inline at every use, and a function for each. */
const TYPE_TESTS = [
  [/\b(data\d*) && typeof \1 == "object" && !Array\.isArray\(\1\)/g, 'isObject($1)',
    'function isObject(value) {\n  return value && typeof value == "object" && !Array.isArray(value);\n}'],
  [/\(\(typeof (data\d*) == "number"\) && \(!\(\1 % 1\) && !isNaN\(\1\)\)\) && \(isFinite\(\1\)\)/g, 'isInteger($1)',
    'function isInteger(value) {\n  return ((typeof value == "number") && (!(value % 1) && !isNaN(value))) && (isFinite(value));\n}'],
];

/**
 * The "is an object" and "is an integer" tests as functions, in every validator. Same expression,
 * same truth value. (Issue #27's second round kept them inline in PER_LINK's validators, where V8
 * did not inline the calls then and a link's claims took 8-11 % longer; in its sixth round, with
 * the string and integer sites as calls, a link's claims took 3-8 % longer with them than without,
 * still 8-14 % less than before that round, for 0.6 kB less in a verifier's bundle.)
 */
function withTestsAsFunctions(code) {
  const functions = [...declarations(code).entries()].filter(([name, { statement }]) => ts.isFunctionDeclaration(statement) && /^validate\d+$/.test(name));
  let out = code;
  const used = new Set();
  for (const [, { text, start }] of functions.sort((a, b) => b[1].start - a[1].start)) {
    let body = text;
    for (const [pattern, call, helper] of TYPE_TESTS) {
      const next = body.replace(pattern, call);
      if (next !== body) used.add(helper);
      body = next;
    }
    out = out.slice(0, start) + body + out.slice(start + text.length);
  }
  for (const [, call] of TYPE_TESTS) if (new RegExp(`\\b${call.slice(0, call.indexOf('('))}\\b`).test(code)) throw new Error(`build-validators: ajv's code already has an identifier ${call.slice(0, call.indexOf('('))}`);
  return used.size === 0 ? out : `${out}\n${[...used].join('\n')}`;
}

/**
 * The condition of an `if` that withIfBranchReturns leaves (the public JWK's choice by `kty`, the
 * confirmation's by member): its errors are only counted, and the count put back, to learn one
 * truth value. Where the condition is one `required` member, with or without a `const` on it, that
 * value is a test: `!isObject(data) || data.m !== undefined`, or `!isObject(data) || data.m ===
 * "OKP"` (a string constant is never undefined, so the member's presence is in the comparison). The
 * region becomes `if(<that test>){`; taken only where none of its variables is read elsewhere.
 * Where that leaves a validator's count constant, withConstantCount runs again to drop it.
 */
const IF_MEMBER_CONDITION = /^const (_errs\d+) = errors;\nconst (_errs\d+) = errors;\nif\(isObject\((data\d*)\)\)\{\nlet (missing\d+);\nif\(\(\3\.([A-Za-z_$][\w$]*) === undefined\) && \(\4 = "\5"\)\)\{\nerrors\+\+;\n\}\n(?:else \{\nif\(\3\.\5 !== undefined\)\{\nif\(("(?:[^"\\\n]|\\.)*") !== \3\.\5\)\{\nerrors\+\+;\n\}\n\}\n\}\n)?\}\nvar (_valid\d+) = \2 === errors;\nerrors = \1;\nif\(\7\)\{$/gm;

function withMemberConditions(code) {
  const functions = [...declarations(code).entries()].filter(([name, { statement }]) => ts.isFunctionDeclaration(statement) && /^validate\d+$/.test(name));
  let out = code;
  for (const [, { text, start }] of functions.sort((a, b) => b[1].start - a[1].start)) {
    const body = text.replace(IF_MEMBER_CONDITION, (whole, before, inner, data, missing, member, constant, verdict) => {
      const rest = text.replace(whole, '');
      if ([before, inner, missing, verdict].some((name) => new RegExp(`\\b${name}\\b`).test(rest))) return whole;
      return `if(!isObject(${data}) || ${data}.${member} ${constant === undefined ? '!== undefined' : `=== ${constant}`}){`;
    });
    out = out.slice(0, start) + body + out.slice(start + text.length);
  }
  return out;
}

/**
 * ajv's check of a bounded integer (`type: integer` with `minimum` and `maximum`), as
 * withKeywordFailures leaves it: the value's type test, then each bound with its own returning
 * failure. The checks are the same at every such site but for the value, the path and the bounds
 * (seven bounded integers in the trust configuration's limits and lifetimes alone; a link's times,
 * depth and status index), so a site becomes one call, `if(!(integerWithin(validateN, x, <path>, 1,
 * 64))){ return false; }`, of a function that runs those very tests in that order and fails as they
 * did. An integer is a finite number that is not NaN, which ajv tests again before each bound:
 * always true there, left out. In PER_LINK's validators too (issue #27, sixth round: a link's
 * claims validated as fast with the call, 0.99-1.01 of the inline code, paired).
 */
const BOUND_CHECKS = [
  [/^if\(!\(isInteger\((data\d*)\)\)\)\{\nreturn failType\((validate\d+),([^\n]*),"integer"\);\n\}\n\{\nif\(\(typeof \1 == "number"\) && \(isFinite\(\1\)\)\)\{\nif\(\1 > (\d+) \|\| isNaN\(\1\)\)\{\nreturn failOn\(\2,\3,"maximum",\4\);\n\}\nelse \{\nif\(\1 < (\d+) \|\| isNaN\(\1\)\)\{\nreturn failOn\(\2,\3,"minimum",\5\);\n\}\n\}\n\}\n\}$/gm,
    'integerWithin', 'function integerWithin(validate, value, instancePath, minimum, maximum) {\n  if (!isInteger(value)) return failType(validate, instancePath, "integer");\n  if (value > maximum) return failOn(validate, instancePath, "maximum", maximum);\n  if (value < minimum) return failOn(validate, instancePath, "minimum", minimum);\n  return true;\n}'],
];

function withBoundChecks(code) {
  for (const [, name] of BOUND_CHECKS) if (new RegExp(`\\b${name}\\b`).test(code)) throw new Error(`build-validators: ajv's code already has an identifier ${name}`);
  const functions = [...declarations(code).entries()].filter(([name, { statement }]) => ts.isFunctionDeclaration(statement) && /^validate\d+$/.test(name));
  let out = code;
  const used = new Set();
  for (const [, { text, start }] of functions.sort((a, b) => b[1].start - a[1].start)) {
    let body = text;
    for (const [pattern, name, helper] of BOUND_CHECKS) {
      body = body.replace(pattern, (whole, value, validate, path, maximum, minimum) => {
        used.add(helper);
        return `if(!(${name}(${validate}, ${value}, ${path}, ${minimum}, ${maximum}))){\nreturn false;\n}`;
      });
    }
    out = out.slice(0, start) + body + out.slice(start + text.length);
  }
  return used.size === 0 ? out : `${out}\n${[...used].join('\n')}`;
}

/**
 * ajv's check of a string with any of `maxLength`, `minLength` and `pattern`, as withKeywordFailures
 * leaves it: the type test, then each keyword present, in that order (ajv's), each with its own
 * returning failure, each nested in the `else` of the one before. The same at every such site but
 * for the value, the path, the bounds and the pattern (identifiers, URIs, key members, thumbprints,
 * scope), so a site becomes one call, `if(!(stringWithin(validateN, x, <path>, 1, 2048,
 * patternK))){ return false; }`, of a function that runs those tests in that order and fails as they
 * did: an absent bound is 0 / Infinity (no length is counted when both are), an absent pattern
 * undefined, and the reported pattern the schema's text (`patternK.source` where that is it, which
 * withPatternSources checked, else the literal ajv wrote, passed last). A length is counted once (ajv
 * counted it for each bound: the same number). A site of another shape is left as ajv wrote it.
 */
const STRING_SITE = /^if\(typeof (data\d*) === "string"\)\{\n([\s\S]*?)\n\}\nelse \{\nreturn failType\((validate\d+),([^\n]*),"string"\);\n\}$/gm;

const STRING_WITHIN = 'function stringWithin(validate, value, instancePath, minimum, maximum, pattern, source) {\n  if (typeof value !== "string") return failType(validate, instancePath, "string");\n  if (minimum !== 0 || maximum !== Infinity) {\n    const length = LENGTH(value);\n    if (length > maximum) return failOn(validate, instancePath, "maxLength", maximum);\n    if (length < minimum) return failOn(validate, instancePath, "minLength", minimum);\n  }\n  if (pattern !== undefined && !pattern.test(value)) return failOn(validate, instancePath, "pattern", source ?? pattern.source);\n  return true;\n}';

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The checks of one STRING_SITE body, in order, or undefined where the body is anything else. */
function stringChecks(body, value, validate, path) {
  const at = (fail) => `return failOn\\(${escape(validate)},${escape(path)},${fail}\\);`;
  const kinds = [
    ['maximum', new RegExp(`if\\((func\\d+)\\(${value}\\) > (\\d+)\\)\\{\\n${at('"maxLength",(\\d+)')}\\n\\}`, 'y')],
    ['minimum', new RegExp(`if\\((func\\d+)\\(${value}\\) < (\\d+)\\)\\{\\n${at('"minLength",(\\d+)')}\\n\\}`, 'y')],
    ['pattern', new RegExp(`if\\(!(pattern\\d+)\\.test\\(${value}\\)\\)\\{\\n${at('"pattern",((?:pattern\\d+\\.source)|"(?:[^"\\\\\\n]|\\\\.)*")')}\\n\\}`, 'y')],
  ];
  const found = {};
  let pos = 0;
  let count = 0;
  // One check, then (nested in its `else`) the next of the later kinds, and so on.
  for (let next = 0; ; ) {
    let match = null;
    for (; next < kinds.length && match === null; next++) {
      const [kind, pattern] = kinds[next];
      pattern.lastIndex = pos;
      match = pattern.exec(body);
      if (match === null) continue;
      const [, first, second, third] = match;
      if (kind === 'pattern') {
        // (the pattern, the text reported: its source, or the literal withPatternSources left)
        if (second !== `${first}.source`) found.source = second;
        found.pattern = first;
      } else {
        if (second !== third || (found.length !== undefined && found.length !== first)) return undefined;
        found[kind] = second;
        found.length = first;
      }
      pos = pattern.lastIndex;
      count++;
    }
    if (match === null) return undefined;
    if (!body.startsWith('\nelse {\n', pos)) break;
    pos += '\nelse {\n'.length;
  }
  if (count === 0 || body.slice(pos) !== '\n}'.repeat(count - 1)) return undefined;
  return found;
}

function withStringChecks(code) {
  if (/\bstringWithin\b/.test(code)) throw new Error("build-validators: ajv's code already has an identifier stringWithin");
  let length;
  const out = code.replace(STRING_SITE, (whole, value, body, validate, path) => {
    const found = stringChecks(body, value, validate, path);
    if (found === undefined) return whole;
    if (found.length !== undefined) {
      if (length !== undefined && length !== found.length) throw new Error('build-validators: two code-point length functions in one file');
      length = found.length;
    }
    const args = [validate, value, path, found.minimum ?? '0', found.maximum ?? 'Infinity', found.pattern ?? 'undefined', found.source];
    while (args.at(-1) === undefined || (args.length > 5 && args.at(-1) === 'undefined')) args.pop();
    return `if(!(stringWithin(${args.join(', ')}))){\nreturn false;\n}`;
  });
  if (out === code) return out;
  // A file whose string sites count no length still declares the helper with some function: ajv's.
  if (length === undefined) length = code.match(/^function (func\d+)\(text\) \{$/m)?.[1] ?? '((text) => [...text].length)';
  return `${out}\n${STRING_WITHIN.replaceAll('LENGTH', length)}`;
}

/**
 * An optional member checked by one call (stringWithin, integerWithin): ajv tests that the member is
 * there, names it (`let dataN = data.m;`) and runs the check on that name. The same as one test,
 * `if(data.m !== undefined && !(stringWithin(validateN, data.m, ...))){ return false; }`: the member
 * is read twice either way (ajv's test and its name). Taken only where the name is read by the call
 * alone and no `else` follows but an empty one (another would run on a passing check too).
 */
const OPTIONAL_MEMBER_CALL = /^if\(((data\d*)(?:\.[A-Za-z_$][\w$]*|\["[^"\\\n]*"\])) !== undefined\)\{\nlet (data\d+) = \1;\n(\{\n)?if\(!\((stringWithin|integerWithin)\((validate\d+), \3, ([^\n]*)\)\)\)\{\nreturn false;\n\}\n(\}\n)?\}\n(?:else \{\n\}\n)?(?!else)/gm;

function withOptionalMemberCalls(code) {
  return code.replace(OPTIONAL_MEMBER_CALL, (whole, member, data, name, open, helper, validate, rest, close) => {
    if ((open === undefined) !== (close === undefined) || new RegExp(`\\b${name}\\b`).test(rest)) return whole;
    return `if(${member} !== undefined && !(${helper}(${validate}, ${member}, ${rest}))){\nreturn false;\n}\n`;
  });
}

/**
 * ajv's check of an array with both item bounds (`type: array` with `minItems` and `maxItems`), as
 * withKeywordFailures leaves it: the type test, then each bound with its own returning failure,
 * then the items' loop inside both `else` branches. The same at every such site but for the value,
 * the path and the bounds (the roots, key sets, holders, issuer and subject patterns), so the tests
 * become one call, `if(!(itemsWithin(validateN, x, <path>, 1, 64))){ return false; }`, of a function
 * that runs them in that order and fails as they did, and the loop follows in a block of its own.
 * Taken only where the loop's braces balance (what the closing `else` of the type test closes is
 * then that very test); not in PER_LINK's validators, like the other bound checks.
 */
const ITEM_BOUNDS = /^if\(Array\.isArray\((data\d*)\)\)\{\nif\(\1\.length > (\d+)\)\{\nreturn failOn\((validate\d+),([^\n]*),"maxItems",\2\);\n\}\nelse \{\nif\(\1\.length < (\d+)\)\{\nreturn failOn\(\3,\4,"minItems",\5\);\n\}\nelse \{\n([\s\S]*?)\n\}\n\}\n\}\nelse \{\nreturn failType\(\3,\4,"array"\);\n\}$/gm;

const ITEMS_WITHIN = 'function itemsWithin(validate, value, instancePath, minimum, maximum) {\n  if (!Array.isArray(value)) return failType(validate, instancePath, "array");\n  if (value.length > maximum) return failOn(validate, instancePath, "maxItems", maximum);\n  if (value.length < minimum) return failOn(validate, instancePath, "minItems", minimum);\n  return true;\n}';

/** Whether `code`'s braces balance outside string literals (ajv's paths are the only strings in a loop). */
function bracesBalance(code) {
  let depth = 0;
  for (const [token] of code.matchAll(/"(?:[^"\\]|\\.)*"|[{}]/g)) {
    if (token === '{') depth++;
    else if (token === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * Each validator outside the per-link ones rewritten by `rewrite(text)`, back to front so that the
 * offsets of those before it hold.
 */
function rewriteConfigValidators(code, perLink, rewrite) {
  const functions = [...declarations(code).entries()].filter(([name, { statement }]) => ts.isFunctionDeclaration(statement) && /^validate\d+$/.test(name) && !perLink.has(name));
  let out = code;
  for (const [, { text, start }] of functions.sort((a, b) => b[1].start - a[1].start)) {
    out = out.slice(0, start) + rewrite(text) + out.slice(start + text.length);
  }
  return out;
}

function withItemBounds(code, perLink) {
  if (/\bitemsWithin\b/.test(code)) throw new Error("build-validators: ajv's code already has an identifier itemsWithin");
  let used = false;
  const out = rewriteConfigValidators(code, perLink, (text) => text.replace(ITEM_BOUNDS, (whole, value, maximum, validate, path, minimum, loop) => {
    if (!bracesBalance(loop)) return whole;
    used = true;
    return `if(!(itemsWithin(${validate}, ${value}, ${path}, ${minimum}, ${maximum}))){\nreturn false;\n}\n{\n${loop}\n}`;
  }));
  return used ? `${out}\n${ITEMS_WITHIN}` : out;
}

/**
 * The failures that recur most (a missing or an extra member; a value that is not an object or not
 * a string) each through a function of their own that names the keyword or the type, so that the
 * keyword's name is written once, not at each of the 15-30 sites of each: `failRequired(validateN,
 * <path>, missing0)` is `failOn(validateN, <path>, "required", missing0)`.
 */
const KEYWORD_HELPERS = [
  [/\bfailOn\((validate\d+),([^\n]*?),"required",/g, 'failRequired($1,$2,', 'function failRequired(validate, instancePath, name) {\n  return failOn(validate, instancePath, "required", name);\n}'],
  [/\bfailOn\((validate\d+),([^\n]*?),"additionalProperties",/g, 'failAdditional($1,$2,', 'function failAdditional(validate, instancePath, name) {\n  return failOn(validate, instancePath, "additionalProperties", name);\n}'],
  [/\bfailType\((validate\d+),([^\n]*?),"object"\)/g, 'failObject($1,$2)', 'function failObject(validate, instancePath) {\n  return failType(validate, instancePath, "object");\n}'],
  [/\bfailType\((validate\d+),([^\n]*?),"string"\)/g, 'failString($1,$2)', 'function failString(validate, instancePath) {\n  return failType(validate, instancePath, "string");\n}'],
];

function withKeywordHelpers(code) {
  const { out, used } = replaceWithHelpers(code, KEYWORD_HELPERS);
  return used.length === 0 ? out : `${out}\n${used.join('\n')}`;
}

/**
 * A `required` of one member that returns its failure: ajv names the missing member in a variable
 * (`let missing0; if((data.m === undefined) && (missing0 = "m")){ return failRequired(..., missing0); }`),
 * which for one member is always that member's name: `if(data.m === undefined){ return
 * failRequired(..., "m"); }`. Taken only where the variable is read nowhere else.
 */
const SINGLE_REQUIRED = /^let (missing\d+);\nif\(\(((data\d*)(?:\.([A-Za-z_$][\w$]*)|\[("[^"\\\n]*")\])) === undefined\) && \(\1 = ("[^"\\\n]*")\)\)\{\nreturn failRequired\((validate\d+),([^\n]*),\1\);\n\}$/gm;

function withSingleRequired(code) {
  const functions = [...declarations(code).entries()].filter(([name, { statement }]) => ts.isFunctionDeclaration(statement) && /^validate\d+$/.test(name));
  let out = code;
  for (const [, { text, start }] of functions.sort((a, b) => b[1].start - a[1].start)) {
    const body = text.replace(SINGLE_REQUIRED, (whole, missing, member, data, name, quoted, named, validate, path) => {
      if ((name !== undefined ? JSON.stringify(name) : quoted) !== named || text.split(new RegExp(`\\b${missing}\\b`)).length !== 4) return whole;
      return `if(${member} === undefined){\nreturn failRequired(${validate},${path},${named});\n}`;
    });
    out = out.slice(0, start) + body + out.slice(start + text.length);
  }
  return out;
}

/**
 * ajv's `var validN = true;` (or `false`) where the other passes have removed every read of
 * `validN` (the holder root's, after its members' checks return at once): a store nothing reads,
 * dropped. Taken per function, only for a name that occurs in such statements alone.
 */
function withoutDeadVerdicts(code) {
  const functions = [...declarations(code).entries()].filter(([name, { statement }]) => ts.isFunctionDeclaration(statement) && /^validate\d+$/.test(name));
  let out = code;
  for (const [, { text, start }] of functions.sort((a, b) => b[1].start - a[1].start)) {
    let body = text;
    for (const name of new Set([...text.matchAll(/^var (valid\d+) = (?:true|false);$/gm)].map((match) => match[1]))) {
      const stores = new RegExp(`^var ${name} = (?:true|false);\\n`, 'gm');
      if (text.match(new RegExp(`\\b${name}\\b`, 'g')).length === text.match(stores).length) body = body.replace(stores, '');
    }
    out = out.slice(0, start) + body + out.slice(start + text.length);
  }
  return out;
}

/**
 * ajv tests a member's presence before checking it (`if(data.iss !== undefined){ … }`, or
 * `data.iss !== undefined && !(…)` after the passes above) also where a `required` check of the same
 * object has already returned its failure when the member is absent: there the test is always true.
 * Such a test is dropped in the statements the returning `required` check dominates (those after it
 * in its block, and its `else`), for the same object (the same identifier: ajv's `data`, `dataN`
 * are assigned once): the same verdicts and errors, one test fewer per required member.
 */
function withoutKnownPresenceTests(code) {
  const source = ts.createSourceFile('generated.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const cuts = [];
  const bare = (node) => (ts.isParenthesizedExpression(node) ? bare(node.expression) : node);
  // `data.m` or `data["m"]` → "data\0m"; anything else → undefined
  const memberOf = (node) => {
    const e = bare(node);
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) return `${e.expression.text}\0${e.name.text}`;
    if (ts.isElementAccessExpression(e) && ts.isIdentifier(e.expression) && ts.isStringLiteral(e.argumentExpression)) return `${e.expression.text}\0${e.argumentExpression.text}`;
    return undefined;
  };
  // `<member> <operator> undefined` → the member
  const comparedWithUndefined = (node, operator) => {
    const e = bare(node);
    if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== operator || !ts.isIdentifier(e.right) || e.right.text !== 'undefined') return undefined;
    return memberOf(e.left);
  };
  // A `required` condition: `m === undefined`, or `(m1 === undefined) && (missingN = "m1") || …`
  const requiredMembers = (node) => {
    const e = bare(node);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.BarBarToken) {
      const left = requiredMembers(e.left);
      const right = requiredMembers(e.right);
      return left && right ? [...left, ...right] : undefined;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
      const assigned = bare(e.right);
      const member = comparedWithUndefined(e.left, ts.SyntaxKind.EqualsEqualsEqualsToken);
      return member !== undefined && ts.isBinaryExpression(assigned) && assigned.operatorToken.kind === ts.SyntaxKind.EqualsToken && /^missing\d+$/.test(assigned.left.getText(source)) ? [member] : undefined;
    }
    const member = comparedWithUndefined(e, ts.SyntaxKind.EqualsEqualsEqualsToken);
    return member === undefined ? undefined : [member];
  };
  const returns = (statement) => ts.isReturnStatement(statement) || (ts.isBlock(statement) && statement.statements.length > 0 && ts.isReturnStatement(statement.statements.at(-1)));
  const emptyElse = (statement) => statement.elseStatement === undefined || (ts.isBlock(statement.elseStatement) && statement.elseStatement.statements.length === 0);
  const visit = (node, known) => {
    if (ts.isIfStatement(node)) {
      const tested = comparedWithUndefined(node.expression, ts.SyntaxKind.ExclamationEqualsEqualsToken);
      if (tested !== undefined && known.has(tested) && emptyElse(node)) {
        cuts.push([node.getStart(source), node.thenStatement.getStart(source)], [node.thenStatement.end, node.end]);
        visit(node.thenStatement, known);
        return known;
      }
      const required = requiredMembers(node.expression);
      if (required !== undefined && returns(node.thenStatement)) {
        const after = new Set([...known, ...required]);
        visit(node.expression, known);
        visit(node.thenStatement, known);
        if (node.elseStatement !== undefined) visit(node.elseStatement, after);
        return after;
      }
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
      const tested = comparedWithUndefined(node.left, ts.SyntaxKind.ExclamationEqualsEqualsToken);
      if (tested !== undefined && known.has(tested)) {
        cuts.push([node.left.getStart(source), node.right.getStart(source)]);
        visit(node.right, known);
        return known;
      }
    }
    if (ts.isBlock(node) || ts.isSourceFile(node)) {
      let inBlock = known;
      for (const statement of node.statements) inBlock = visit(statement, inBlock);
      return known;
    }
    if (ts.isFunctionLike(node)) {
      ts.forEachChild(node, (child) => void visit(child, new Set()));
      return known;
    }
    ts.forEachChild(node, (child) => void visit(child, known));
    return known;
  };
  visit(source, new Set());
  let out = code;
  for (const [start, end] of cuts.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + out.slice(end);
  return out.replace(/\n{3,}/g, '\n\n');
}

/**
 * `additionalProperties: false` outside the per-link validators: ajv's loop over the members with a
 * test of each allowed name (`if(!((key0 === "a") || (key0 === "b"))){ return failAdditional(…, key0); }`)
 * is a call, `onlyMembers(validateN, data, <path>, ["a", "b"])`, that runs the same loop over the
 * list (the first member not in it fails, as before). The per-link validators keep the inline tests
 * (a keyed search per member on every link; the configuration's are run once per compileTrust).
 */
const ALLOWED_MEMBERS = /^for\(const (key\d+) in (data\d*)\)\{\nif\(!\(([^\n]*)\)\)\{\nreturn failAdditional\((validate\d+),([^\n]*),\1\);\nbreak;\n\}\n\}$/gm;

const ONLY_MEMBERS = 'function onlyMembers(validate, data, instancePath, names) {\n  for (const key in data) if (!names.includes(key)) return failAdditional(validate, instancePath, key);\n  return true;\n}';

function withAllowedMemberLists(code, perLink) {
  if (/\bonlyMembers\b/.test(code)) throw new Error("build-validators: ajv's code already has an identifier onlyMembers");
  let used = false;
  const out = rewriteConfigValidators(code, perLink, (text) => text.replace(ALLOWED_MEMBERS, (whole, key, data, condition, validate, path) => {
    const tests = [...condition.matchAll(new RegExp(`\\(${key} === ("(?:[^"\\\\\\n]|\\\\.)*")\\)`, 'g'))];
    // Only a condition made of these tests joined by ||, in ajv's parentheses.
    if (tests.length === 0 || condition.replace(new RegExp(`\\(${key} === "(?:[^"\\\\\\n]|\\\\.)*"\\)|\\|\\||[() ]`, 'g'), '') !== '') return whole;
    used = true;
    return `if(!(onlyMembers(${validate}, ${data}, ${path}, [${tests.map((test) => test[1]).join(', ')}]))){\nreturn false;\n}`;
  }));
  return used ? `${out}\n${ONLY_MEMBERS}` : out;
}

/**
 * Every validator ends its success the same way, `validateN.errors = null; return true;`: a call,
 * `return passed(validateN);`, that does the same (written once, not at each of the 16-30 validators).
 */
const PASSED = /^(validate\d+)\.errors = null;\nreturn true;\n\}$/gm;

function withPassedCalls(code) {
  if (/\bpassed\b/.test(code)) throw new Error("build-validators: ajv's code already has an identifier passed");
  const out = code.replace(PASSED, 'return passed($1);\n}');
  return out === code ? out : `${out}\nfunction passed(validate) {\n  validate.errors = null;\n  return true;\n}`;
}

/**
 * An `if` with an `else` and no `then` (the holder root's "`holders`, unless `thumbprintIssuers`
 * is true"), as ajv writes it: the condition run counting its misses (no error built), the count and
 * the list put back, then the `else` branch, then the `if` error pushed when the branch counted a
 * failure. When the branch, after the passes above, counts nothing (each of its failures returns
 * there and then, as ajv's own code without allErrors returns its first), the `if` error is never
 * reached; and the list put back is a list the condition did not touch (it pushed nothing). Both go:
 * the condition, then the branch run where it missed, the count put back as before.
 */
const DEAD_ELSE_ERROR = /^const (_errs\d+) = errors;\nlet (valid\d+) = true;\nconst (_errs\d+) = errors;\n(if\(isObject\(data\)\)\{\n[^]*?\n\}\n)var (_valid\d+) = \3 === errors;\nerrors = \1;\nif\(vErrors !== null\)\{\nif\(\1\)\{\nvErrors\.length = \1;\n\}\nelse \{\nvErrors = null;\n\}\n\}\nif\(!\5\)\{\nconst (_errs\d+) = errors;\n([^]*?)var \5 = \6 === errors;\n\2 = \5;\n\}\nif\(!\2\)\{\nconst (err\d+) = errorObject\(instancePath,"if",\{failingKeyword: "else"\}\);\nvErrors = pushError\(vErrors, \8\);\nerrors\+\+;\n(validate\d+)\.errors = vErrors;\nreturn false;\n\}\n/gm;

function withoutDeadElseErrors(code) {
  return code.replace(DEAD_ELSE_ERROR, (whole, before, _valid, start, condition, missed, _branchStart, branch) => {
    if (/\bvErrors\b|\bpushError\(/.test(condition) || /\berrors\b|\bvErrors\b|\bpushError\(/.test(branch)) {
      throw new Error('build-validators: an if/else whose branch records an error or whose condition builds one: withoutDeadElseErrors does not know it');
    }
    return `const ${before} = errors;\nconst ${start} = errors;\n${condition}var ${missed} = ${start} === errors;\nerrors = ${before};\nif(!${missed}){\n${branch}}\n`;
  });
}

/**
 * ajv opens a block for each keyword it writes inside another (`{ if(data.x !== undefined){ … } { … } }`),
 * and the passes above leave many of them holding no declaration of their own; a block in a block
 * that declares nothing (no `let`, `const`, function or class of its own) scopes nothing, so its
 * statements stand in the enclosing block the same, without the two braces (bundlers keep them).
 */
function withoutBareBlocks(code) {
  const source = ts.createSourceFile('generated.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const cuts = [];
  const declares = (statement) =>
    ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || (ts.isVariableStatement(statement) && (statement.declarationList.flags & ts.NodeFlags.BlockScoped) !== 0);
  const visit = (node) => {
    if (ts.isBlock(node) && ts.isBlock(node.parent) && !node.statements.some(declares)) cuts.push(node.getStart(source), node.end - 1);
    ts.forEachChild(node, visit);
  };
  visit(source);
  let out = code;
  for (const at of cuts.sort((a, b) => b - a)) {
    if (out[at] !== '{' && out[at] !== '}') throw new Error(`withoutBareBlocks: no brace at ${at}`);
    out = out.slice(0, at) + out.slice(at + 1);
  }
  return out;
}

/**
 * An optional integer member of a configuration object (`data.maxLinks !== undefined &&
 * !(integerWithin(validateN, data.maxLinks, <path>+"/maxLinks", 1, 64))`: the trust configuration's
 * clock tolerance, lifetime and limits) is a call, `integerMember(validateN, data, <path>, "maxLinks",
 * 1, 64)`, that reads the member once by name, passes when it is undefined and otherwise runs the same
 * check at the same path. The per-link validators keep the inline form (their members are read by name).
 */
const OPTIONAL_INTEGER = /(data\d*)\.([A-Za-z_$][\w$]*) !== undefined && !\(integerWithin\((validate\d+), \1\.\2, (instancePath)\+"((?:\/[A-Za-z_$][\w$]*)*)\/\2", (-?\d+), (-?\d+)\)\)/g;

const INTEGER_MEMBER = 'function integerMember(validate, data, instancePath, name, minimum, maximum) {\n  const value = data[name];\n  return value === undefined || integerWithin(validate, value, instancePath + "/" + name, minimum, maximum);\n}';

function withOptionalIntegerMembers(code, perLink) {
  if (/\bintegerMember\b/.test(code)) throw new Error("build-validators: ajv's code already has an identifier integerMember");
  let used = false;
  const out = rewriteConfigValidators(code, perLink, (text) => text.replace(OPTIONAL_INTEGER, (whole, data, name, validate, path, under, minimum, maximum) => {
    used = true;
    return `!(integerMember(${validate}, ${data}, ${under === '' ? path : `${path}+${JSON.stringify(under)}`}, ${JSON.stringify(name)}, ${minimum}, ${maximum}))`;
  }));
  return used ? `${out}\n${INTEGER_MEMBER}` : out;
}

/**
 * An optional member of a configuration object checked by another validator (`if(data.jwks !==
 * undefined){ if(!(validate78(data.jwks))){ return failAt(validateN, validate78, <path>+"/jwks"); } }`:
 * an issuer root's key set, key set URI, subjects and algorithms, the trust configuration's delegate
 * keys and algorithms) is a call, `memberValid(validateN, data, <path>, "jwks", validate78)`, that reads
 * the member once by name, passes when it is undefined and otherwise calls the same validator and
 * reports its errors at the same path. The per-link validators keep the inline form.
 */
const OPTIONAL_CALL = /^if\((data\d*)\.([A-Za-z_$][\w$]*) !== undefined\)\{\nif\(!\((validate\d+)\(\1\.\2\)\)\)\{\nreturn failAt\((validate\d+), \3, (instancePath)\+"((?:\/[A-Za-z_$][\w$]*)*)\/\2"\);\n\}\n\}\n(?:else \{\n\}\n)?/gm;

const MEMBER_VALID = 'function memberValid(validate, data, instancePath, name, check) {\n  const value = data[name];\n  return value === undefined || check(value) || failAt(validate, check, instancePath + "/" + name);\n}';

function withOptionalMemberChecks(code, perLink) {
  if (/\bmemberValid\b/.test(code)) throw new Error("build-validators: ajv's code already has an identifier memberValid");
  let used = false;
  const out = rewriteConfigValidators(code, perLink, (text) => text.replace(OPTIONAL_CALL, (whole, data, name, check, validate, path, under) => {
    used = true;
    return `if(!(memberValid(${validate}, ${data}, ${under === '' ? path : `${path}+${JSON.stringify(under)}`}, ${JSON.stringify(name)}, ${check}))){\nreturn false;\n}\n`;
  }));
  return used ? `${out}\n${MEMBER_VALID}` : out;
}

/**
 * `if(<test>){ … } else { return <failure>; }` (ajv's type tests: an object, an array, a string):
 * the failure returned first, `if(!(<test>)){ return <failure>; } …`, and the statements of the
 * `then` block standing in the enclosing block after it: the same statements in the same order when
 * the test holds, the same failure otherwise, and what follows the `if` runs after them as before.
 * A minifier then joins the `if(…) return …;` that end a block with the return after it into one
 * conditional return. Taken only where the moved statements declare no name the enclosing block
 * declares or mentions elsewhere (no clash, no shadowing); innermost first, until none is left.
 */
function withEarlyReturns(code) {
  let out = code;
  for (;;) {
    const source = ts.createSourceFile('generated.js', out, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    const edits = [];
    const declared = (statements) => statements.flatMap((statement) => {
      if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) return statement.name ? [statement.name.text] : ['\0'];
      if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.map((d) => (ts.isIdentifier(d.name) ? d.name.text : '\0'));
      return [];
    });
    const candidate = (node) => ts.isIfStatement(node) && ts.isBlock(node.parent) && ts.isBlock(node.thenStatement) && node.elseStatement !== undefined
      && ((ts.isBlock(node.elseStatement) && node.elseStatement.statements.length === 1 && ts.isReturnStatement(node.elseStatement.statements[0])) || ts.isReturnStatement(node.elseStatement));
    const containsCandidate = (node) => {
      let found = false;
      const walk = (child) => {
        if (found || candidate(child)) found = true;
        else ts.forEachChild(child, walk);
      };
      ts.forEachChild(node, walk);
      return found;
    };
    const visit = (node) => {
      if (!ts.isBlock(node) && !ts.isSourceFile(node)) return void ts.forEachChild(node, visit);
      for (const statement of node.statements) {
        if (!candidate(statement) || containsCandidate(statement.thenStatement)) {
          visit(statement);
          continue;
        }
        const names = declared(statement.thenStatement.statements);
        const rest = out.slice(node.getStart(source), statement.thenStatement.getStart(source)) + out.slice(statement.thenStatement.end, node.end);
        if (names.some((name) => name === '\0' || new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(rest))) continue;
        const failure = ts.isBlock(statement.elseStatement) ? statement.elseStatement.statements[0] : statement.elseStatement;
        edits.push([statement.getStart(source), statement.end,
          `if(!(${statement.expression.getText(source)})){\n${failure.getText(source)}\n}\n${out.slice(statement.thenStatement.getStart(source) + 1, statement.thenStatement.end - 1)}`]);
      }
    };
    visit(source);
    if (edits.length === 0) return out;
    // Disjoint by construction (each is innermost); cut from the end.
    for (const [s0, e0, text] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, s0) + text + out.slice(e0);
  }
}

/**
 * The top-level declarations of a generated module (functions, and constants of one declarator):
 * name → source text. Read with the TypeScript parser, as the build already has it.
 */
function declarations(code) {
  const source = ts.createSourceFile('generated.js', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const found = new Map();
  for (const statement of source.statements) {
    const start = statement.getStart(source);
    const text = code.slice(start, statement.end);
    if (ts.isFunctionDeclaration(statement) && statement.name !== undefined) found.set(statement.name.text, { text, statement, start });
    else if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1 && !statement.modifiers?.length) {
      const [declaration] = statement.declarationList.declarations;
      if (ts.isIdentifier(declaration.name)) found.set(declaration.name.text, { text, statement });
    }
  }
  return found;
}

/**
 * Every output file but the core's takes from the core's module the declarations it shares with it
 * (the same function or constant: same name, same text, since one ajv instance compiled them all;
 * the public JWK's validator, the shared definitions, the helpers) instead of declaring a copy: a
 * program that loads a part's validators loads each shared one once. The core exports them.
 */
function withSharedDeclarations(modules) {
  const [coreFile, core] = Object.entries(modules)[0];
  const coreDeclarations = declarations(core.code);
  const exported = new Set();
  const out = {};
  for (const [file, module] of Object.entries(modules).slice(1)) {
    const shared = [...declarations(module.code)].filter(([name, { text }]) => coreDeclarations.get(name)?.text === text);
    let code = module.code;
    // Cut from the end, so that the offsets of the earlier ones hold.
    for (const [name, { statement }] of [...shared].sort((a, b) => b[1].statement.pos - a[1].statement.pos)) {
      code = code.slice(0, statement.pos) + code.slice(statement.end);
      exported.add(name);
    }
    const names = shared.map(([name]) => name).sort();
    const from = `./${coreFile.split('/').pop().replace(/\.ts$/, '.js')}`;
    out[file] = { imports: [...module.imports, ...(names.length === 0 ? [] : [`import { ${names.join(', ')} } from '${from}';`])], code };
  }
  out[coreFile] = { imports: core.imports, code: exported.size === 0 ? core.code : `${core.code}\nexport { ${[...exported].sort().join(', ')} };` };
  return out;
}

const compiler = schemaCompiler();
const perLink = perLinkValidators(compiler);
const modules = withSharedDeclarations(Object.fromEntries(Object.entries(OUTPUTS).map(([file, schemas]) => [file, generate(compiler, schemas, perLink)])));
let stale = false;
for (const [file, { imports, code: body }] of Object.entries(modules)) {
  const out = join(root, file);
  const code = `// @ts-nocheck\n// Generated by scripts/build-validators.mjs from schemas/*.json. Do not edit.\n/* eslint-disable */\n${imports.join('\n')}\n${body}\n`;
  const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
  if (current === code) continue;
  stale = true;
  if (!process.argv.includes('--check')) {
    writeFileSync(out, code);
    console.log(`wrote ${file}`);
  }
}
if (stale && process.argv.includes('--check')) {
  console.error('the generated validators are out of date: run `node scripts/build-validators.mjs`');
  process.exit(1);
}
