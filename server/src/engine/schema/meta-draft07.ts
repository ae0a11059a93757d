// A fast yes-or-don't-know answer to "is this schema valid against the draft-07 meta-schema?".
//
// Every chart schema is checked against its meta-schema (schema/invalid-schema). Validating a
// large chart schema through the general interpreter costs ~15 ms on a cold process, almost
// all of it spent on the meta-schema's generality; this walk asks the same questions directly.
// It answers `true` only when the meta-schema would accept the schema; on anything it is not
// sure of (a format it cannot decide cheaply, deep nesting, a failed check) it answers `false`
// and compile.ts runs the full validator, which also words the message. So a `true` here can
// never hide a problem ajv would report: test/schema-interpret.test.ts compares both on
// thousands of generated schemas and fails if this walk accepts one the meta-schema rejects.
import { fullFormats } from 'ajv-formats/dist/formats';
import { equal, QUICK_ACCEPT } from './interpret';
import { isObject } from './prepare';

type Check = (value: unknown, depth: number) => boolean;

const MAX_DEPTH = 200;
const SIMPLE_TYPES = new Set(['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']);

const isString = (v: unknown): boolean => typeof v === 'string';
const isNumber = (v: unknown): boolean => typeof v === 'number';
const isNonNegativeInteger = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isRegex = (v: unknown): boolean => typeof v === 'string' && (fullFormats.regex as (s: string) => boolean)(v);
/** Only the quick regexps: a string they do not accept is "don't know", not "invalid". */
const isUri = (v: unknown): boolean => typeof v === 'string' && QUICK_ACCEPT.uri.test(v);
const isUriReference = (v: unknown): boolean => typeof v === 'string' && QUICK_ACCEPT['uri-reference'].test(v);

/** No two items deep-equal (ajv's `equal`), the meta-schema's uniqueItems. */
function allDistinct(items: unknown[]): boolean {
  if (items.every((x) => x === null || typeof x !== 'object')) return new Set(items).size === items.length;
  for (let i = 0; i < items.length; i++) for (let j = 0; j < i; j++) if (equal(items[i], items[j])) return false;
  return true;
}

const isStringArray = (v: unknown): boolean => Array.isArray(v) && v.every(isString) && allDistinct(v);

const isSchemaArray = (v: unknown, depth: number): boolean => Array.isArray(v) && v.length > 0 && v.every((s) => isSchema(s, depth + 1));

const isSchemaMap = (v: unknown, depth: number): boolean => {
  if (!isObject(v)) return false;
  for (const k in v) if (!isSchema(v[k], depth + 1)) return false;
  return true;
};

const isType = (v: unknown): boolean =>
  typeof v === 'string' ? SIMPLE_TYPES.has(v) : Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === 'string' && SIMPLE_TYPES.has(t)) && allDistinct(v);

/** The meta-schema's `properties`, keyword by keyword; keywords it does not list accept anything. */
export const DRAFT07_KEYWORD_CHECKS: Readonly<Record<string, Check>> = {
  $id: isUriReference,
  $schema: isUri,
  $ref: isUriReference,
  $comment: isString,
  title: isString,
  description: isString,
  default: () => true,
  readOnly: (v) => typeof v === 'boolean',
  examples: Array.isArray,
  multipleOf: (v) => typeof v === 'number' && v > 0,
  maximum: isNumber,
  exclusiveMaximum: isNumber,
  minimum: isNumber,
  exclusiveMinimum: isNumber,
  maxLength: isNonNegativeInteger,
  minLength: isNonNegativeInteger,
  pattern: isRegex,
  additionalItems: (v, d) => isSchema(v, d + 1),
  items: (v, d) => (Array.isArray(v) ? isSchemaArray(v, d) : isSchema(v, d + 1)),
  maxItems: isNonNegativeInteger,
  minItems: isNonNegativeInteger,
  uniqueItems: (v) => typeof v === 'boolean',
  contains: (v, d) => isSchema(v, d + 1),
  maxProperties: isNonNegativeInteger,
  minProperties: isNonNegativeInteger,
  required: isStringArray,
  additionalProperties: (v, d) => isSchema(v, d + 1),
  definitions: isSchemaMap,
  properties: isSchemaMap,
  patternProperties: (v, d) => isSchemaMap(v, d) && Object.keys(v as object).every(isRegex),
  dependencies: (v, d) => {
    if (!isObject(v)) return false;
    for (const k in v) if (!(isSchema(v[k], d + 1) || isStringArray(v[k]))) return false;
    return true;
  },
  propertyNames: (v, d) => isSchema(v, d + 1),
  const: () => true,
  enum: (v) => Array.isArray(v) && v.length > 0 && allDistinct(v),
  type: isType,
  format: isString,
  contentMediaType: isString,
  contentEncoding: isString,
  if: (v, d) => isSchema(v, d + 1),
  then: (v, d) => isSchema(v, d + 1),
  else: (v, d) => isSchema(v, d + 1),
  allOf: isSchemaArray,
  anyOf: isSchemaArray,
  oneOf: isSchemaArray,
  not: (v, d) => isSchema(v, d + 1),
};

function isSchema(schema: unknown, depth: number): boolean {
  if (typeof schema === 'boolean') return true;
  if (!isObject(schema) || depth > MAX_DEPTH) return false;
  for (const k in schema) {
    const check = Object.prototype.hasOwnProperty.call(DRAFT07_KEYWORD_CHECKS, k) ? DRAFT07_KEYWORD_CHECKS[k] : undefined;
    // The meta-schema's `properties` skip a value that is undefined (ajv: `data[name] !== undefined`).
    if (check && schema[k] !== undefined && !check(schema[k], depth)) return false;
  }
  return true;
}

/** True when the draft-07 meta-schema certainly accepts `schema`; false when the full check must decide. */
export function surelyValidDraft07(schema: unknown): boolean {
  return isSchema(schema, 0);
}
