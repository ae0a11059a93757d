// Validates values against a prepared schema by walking it, without generating code, and
// reports exactly the errors ajv (allErrors, verbose, strict off) reports, in ajv's order.
//
// Why: ajv compiles a 200 KB chart schema into over a megabyte of JavaScript, about 300 ms
// before the first finding of a chart never seen before, where yaml-language-server, which
// interprets, shows its first findings in half that. The first validations of a schema are
// interpreted here while ajv's code is not yet available (compile.ts decides when); everything
// downstream (errors.ts, the layering rule) reads the same error objects either way, so the
// user sees the same findings. test/schema-interpret.test.ts checks the equivalence against
// ajv on the corpus schemas and on every keyword.
//
// Anything ajv does that is not reproduced here (dynamic and recursive refs, unevaluated*,
// format limits, a keyword value of the wrong type, which ajv rejects) makes `interpreterFor`
// return undefined, and ajv is used from the start.
import type { ErrorObject, ValidateFunction } from 'ajv';
import ajvEqual from 'ajv/dist/runtime/equal';
import ucs2length from 'ajv/dist/runtime/ucs2length';
import { fullFormats } from 'ajv-formats/dist/formats';
import { escapePointerSegment, isObject, type Dialect, type PreparedSchema } from './prepare';

type SchemaObject = Record<string, unknown>;
type Errors = ErrorObject[];
/** Validates `data` found at JSON pointer `path`, appending errors; a schema's whole check. */
type Check = (data: unknown, path: string, errors: Errors) => void;

/** A pattern as the compiler's regexp engine reads it (compile.ts `tolerantRegExp`). */
export type PatternEngine = (pattern: string, flags: string) => { test(s: string): boolean };

/** Annotation keywords of airgap-lint's chart schemas: ajv keeps them, validation ignores them. */
export const ANNOTATION_KEYWORDS = ['x-airgap', 'x-airgap-chart'];

class Unsupported extends Error {}

const NOOP: Check = () => {};
/** The deep equality ajv's generated code uses (fast-deep-equal); its typings do not say it is callable. */
export const equal = ajvEqual as unknown as (a: unknown, b: unknown) => boolean;

// Keywords of each type group, per dialect, as ajv's RULES order them (the test compares these
// lists with a live ajv instance). A group's keywords run only for data of the group's type.
const NUMBER_GROUP = ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'multipleOf', 'format'];
const STRING_GROUP = ['maxLength', 'minLength', 'pattern', 'format'];
const ARRAY_GROUP: Record<Dialect, string[]> = {
  'draft-07': ['maxItems', 'minItems', 'additionalItems', 'items', 'contains', 'uniqueItems'],
  '2019-09': ['maxItems', 'minItems', 'additionalItems', 'items', 'contains', 'uniqueItems', 'maxContains', 'minContains'],
  '2020-12': ['maxItems', 'minItems', 'prefixItems', 'items', 'contains', 'uniqueItems', 'maxContains', 'minContains'],
};
const OBJECT_GROUP_07 = ['maxProperties', 'minProperties', 'required', 'propertyNames', 'additionalProperties', 'dependencies', 'properties', 'patternProperties'];
const OBJECT_GROUP: Record<Dialect, string[]> = {
  'draft-07': OBJECT_GROUP_07,
  '2019-09': [...OBJECT_GROUP_07, 'dependentRequired', 'dependentSchemas'],
  '2020-12': [...OBJECT_GROUP_07, 'dependentRequired', 'dependentSchemas'],
};
/** Keywords without a type group, in ajv's order (`then`/`else` are run by `if`). */
const UNTYPED = ['$ref', 'const', 'enum', 'not', 'anyOf', 'oneOf', 'allOf', 'if'];
/** Exported for the test that compares them with ajv's RULES. */
export const KEYWORD_GROUPS = { NUMBER_GROUP, STRING_GROUP, ARRAY_GROUP, OBJECT_GROUP, UNTYPED };

/** Keywords ajv acts on that this interpreter does not reproduce. */
const NOT_INTERPRETED = new Set([
  '$dynamicRef', '$dynamicAnchor', '$recursiveRef', '$recursiveAnchor', 'unevaluatedProperties', 'unevaluatedItems',
  'formatMaximum', 'formatMinimum', 'formatExclusiveMaximum', 'formatExclusiveMinimum', 'id', '$async',
]);
/** Keywords that make a schema "not always valid" for ajv beyond the groups (see alwaysValid). */
const OTHER_RULE_KEYWORDS = ['$comment', 'type', 'nullable', 'then', 'else', ...ANNOTATION_KEYWORDS];

const JSON_TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);
type Shape = 'never' | 'number' | 'string' | 'boolean' | 'array' | 'schema' | 'map' | 'enum' | 'items' | 'requiredMap';
/** What each keyword's value must be for ajv to compile it ('never': not interpreted at all). */
const KEYWORD_SHAPES: Record<string, Shape> = Object.assign(Object.create(null) as Record<string, Shape>, {
  ...Object.fromEntries([...NOT_INTERPRETED].map((k) => [k, 'never'])),
  ...Object.fromEntries(
    ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'multipleOf', 'maxLength', 'minLength', 'maxItems', 'minItems', 'maxProperties', 'minProperties', 'maxContains', 'minContains'].map((k) => [k, 'number']),
  ),
  ...Object.fromEntries(['not', 'if', 'then', 'else', 'additionalProperties', 'additionalItems', 'contains', 'propertyNames'].map((k) => [k, 'schema'])),
  ...Object.fromEntries(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'required'].map((k) => [k, 'array'])),
  ...Object.fromEntries(['properties', 'patternProperties', 'dependentSchemas', 'dependencies'].map((k) => [k, 'map'])),
  pattern: 'string',
  format: 'string',
  $ref: 'string',
  uniqueItems: 'boolean',
  nullable: 'boolean',
  enum: 'enum',
  items: 'items',
  dependentRequired: 'requiredMap',
});

const COMPARISON: Record<string, string> = { maximum: '<=', minimum: '>=', exclusiveMaximum: '<', exclusiveMinimum: '>' };

type FormatDefinition = RegExp | ((s: string) => boolean) | { type?: string; validate: RegExp | ((s: unknown) => boolean) } | true;


/** ajv's JSON-pointer escaping of one instance path segment. */
const segment = (key: string | number): string => (typeof key === 'number' ? `/${key}` : `/${escapePointerSegment(key)}`);

/** ajv's type test for one JSON type (strictNumbers off: Infinity is a number and an integer). */
function hasType(type: string, data: unknown): boolean {
  switch (type) {
    case 'null':
      return data === null;
    case 'array':
      return Array.isArray(data);
    case 'object':
      return typeof data === 'object' && data !== null && !Array.isArray(data);
    case 'integer':
      return typeof data === 'number' && !((data as number) % 1) && !Number.isNaN(data);
    default:
      return typeof data === type;
  }
}

/** Property names of a `properties`-like map as ajv iterates them. */
const schemaProperties = (map: unknown): string[] => (isObject(map) ? Object.keys(map).filter((k) => k !== '__proto__') : []);

export interface Interpreter {
  /** A ValidateFunction-compatible validator for the root, or for a subschema object of it. */
  validatorFor(subschema: unknown): ValidateFunction | undefined;
  root: ValidateFunction;
}

/**
 * Small regexps that accept a common subset of a format's strings (`#/definitions/x`,
 * `https://host/path#`), tried before ajv-formats' own regexp, which is exact but so large that
 * its first two runs cost 2–4 ms each (V8 interprets, then compiles it): a cold meta-schema check
 * of one `$ref` and one `$schema` paid ~10 ms. Each only ever accepts what the full format
 * accepts (test/schema-interpret.test.ts checks that on generated strings), so a miss falls
 * through to the exact test and the result never differs from ajv's.
 */
const URI_FRAGMENT = "#(?:[a-z0-9\\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*";
const URI_PATH = '[a-z0-9\\-._~]+(?:/[a-z0-9\\-._~]*)*';
const SIMPLE_URI = `[a-z][a-z0-9+\\-.]*:(?://${URI_PATH}|[a-z0-9\\-._~]+(?::[a-z0-9\\-._~]+)*)(?:${URI_FRAGMENT})?`; // also `urn:x:y`
export const QUICK_ACCEPT: Readonly<Record<string, RegExp>> = {
  // `#/definitions/x`, `https://host/path#`, `urn:org:schema`, `common.json#/x`
  'uri-reference': new RegExp(`^(?:${SIMPLE_URI}|${URI_PATH}(?:${URI_FRAGMENT})?|${URI_FRAGMENT})$`, 'i'),
  uri: new RegExp(`^${SIMPLE_URI}$`, 'i'),
};

/**
 * An interpreter for `prepared`, or undefined when the schema uses something only ajv does
 * (the caller compiles with ajv then). Builds a check for every subschema reachable from the
 * root up front: a few milliseconds for a 200 KB schema.
 */
export function interpreterFor(prepared: PreparedSchema, regExp: PatternEngine): Interpreter | undefined {
  try {
    return new SchemaInterpreter(prepared, regExp).interpreter();
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

class SchemaInterpreter {
  private readonly checks = new WeakMap<object, Check>();
  private readonly patterns = new Map<string, { test(s: string): boolean }>();
  private readonly arrayGroup: string[];
  private readonly objectGroup: string[];
  /** Every keyword ajv acts on in this dialect (ajv's RULES.all). */
  private readonly ruleKeywords: Set<string>;
  /** Keyword → the type groups it belongs to (`format` is in two). */
  private readonly groupsOf = new Map<string, string[][]>();
  /** Each type with its keyword group, in ajv's order. */
  private readonly typeGroups: ReadonlyArray<[string, string[]]>;
  /** Each schema object whose check is being built (refs may cycle back to it). */
  private readonly pending = new Set<object>();

  constructor(
    private readonly prepared: PreparedSchema,
    private readonly regExp: PatternEngine,
  ) {
    this.arrayGroup = ARRAY_GROUP[prepared.dialect];
    this.objectGroup = OBJECT_GROUP[prepared.dialect];
    this.typeGroups = [
      ['number', NUMBER_GROUP],
      ['string', STRING_GROUP],
      ['array', this.arrayGroup],
      ['object', this.objectGroup],
    ];
    for (const [, group] of this.typeGroups) {
      for (const k of group) this.groupsOf.set(k, [...(this.groupsOf.get(k) ?? []), group]);
    }
    this.ruleKeywords = new Set([...UNTYPED, ...NUMBER_GROUP, ...STRING_GROUP, ...this.arrayGroup, ...this.objectGroup, ...OTHER_RULE_KEYWORDS, ...NOT_INTERPRETED]);
  }

  interpreter(): Interpreter {
    const rootCheck = this.check(this.prepared.root, '#');
    const validators = new WeakMap<object, ValidateFunction>();
    const validatorFor = (subschema: unknown): ValidateFunction | undefined => {
      if (!isObject(subschema)) return undefined;
      let v = validators.get(subschema);
      if (!v) {
        const check = this.checks.get(subschema);
        if (!check) return undefined;
        v = asValidateFunction(check, subschema);
        validators.set(subschema, v);
      }
      return v;
    };
    return { root: asValidateFunction(rootCheck, this.prepared.root), validatorFor };
  }

  private pattern(source: string): { test(s: string): boolean } {
    let re = this.patterns.get(source);
    if (!re) {
      re = this.regExp(source, 'u');
      this.patterns.set(source, re);
    }
    return re;
  }

  /** The check of a subschema; for a schema object, built once and shared by every use. */
  private check(schema: unknown, schemaPath: string): Check {
    if (schema === true) return NOOP;
    if (schema === false) return falseSchema(schemaPath);
    if (!isObject(schema)) throw new Unsupported();
    const known = this.checks.get(schema);
    if (known) return known;
    // A ref cycle: the check is built further up; call it through the map once it is there.
    if (this.pending.has(schema)) return (d, p, e) => (this.checks.get(schema) as Check)(d, p, e);
    this.pending.add(schema);
    const built = this.build(schema, schemaPath);
    this.pending.delete(schema);
    this.checks.set(schema, built);
    return built;
  }

  /** Whether ajv would skip this subschema as always valid (no keyword it acts on). */
  private alwaysValid(schema: unknown): boolean {
    if (typeof schema === 'boolean') return schema;
    if (!isObject(schema)) return false;
    for (const k in schema) if (this.ruleKeywords.has(k)) return false;
    return true;
  }

  private build(schema: SchemaObject, sp: string): Check {
    this.requireSupported(schema);
    const types = schemaTypes(schema);
    const steps: Check[] = [];
    // Which type groups have a keyword here, from one pass over the schema's own keys.
    const used = new Set<string[]>();
    for (const k in schema) {
      if (schema[k] === undefined) continue;
      for (const group of this.groupsOf.get(k) ?? []) used.add(group);
    }
    const groupUsed = (group: string[]): boolean => used.has(group);
    const groups = this.typeGroups;
    const groupOfType = groups.find(([t]) => t === types[0]);
    const typeFirst = types.length > 0 && !(types.length === 1 && groupOfType !== undefined && groupUsed(groupOfType[1]));
    if (typeFirst) steps.push(typeCheck(schema, types, sp));

    const onlyRef = schema.$ref !== undefined && !Object.keys(schema).some((k) => k !== '$ref' && this.ruleKeywords.has(k));
    for (const keyword of onlyRef ? ['$ref'] : UNTYPED) {
      if (schema[keyword] === undefined) continue;
      const step = this.untyped(keyword, schema, sp);
      if (step) steps.push(step);
    }
    if (!onlyRef) {
      for (const [type, group] of groups) {
        if (!groupUsed(group)) continue;
        const inner: Check[] = [];
        for (const keyword of group) {
          if (schema[keyword] === undefined) continue;
          const step = this.typed(keyword, type, schema, sp);
          if (step) inner.push(step);
        }
        const wrongType = types.length === 1 && types[0] === type && !typeFirst ? typeCheck(schema, types, sp) : undefined;
        steps.push(typeGuard(type, inner, wrongType));
      }
    }
    if (steps.length === 0) return NOOP;
    if (steps.length === 1) return steps[0];
    return (data, path, errors) => {
      for (const step of steps) step(data, path, errors);
    };
  }

  /** Throws Unsupported for what ajv would reject or what is not reproduced here. */
  private requireSupported(schema: SchemaObject): void {
    for (const k in schema) {
      const shape = KEYWORD_SHAPES[k];
      if (shape === undefined) continue;
      const v = schema[k];
      const ok =
        shape === 'never' ? false
        : shape === 'number' ? typeof v === 'number'
        : shape === 'string' ? typeof v === 'string'
        : shape === 'boolean' ? typeof v === 'boolean'
        : shape === 'array' ? Array.isArray(v)
        : shape === 'schema' ? typeof v === 'boolean' || isObject(v)
        : shape === 'map' ? isObject(v)
        : shape === 'enum' ? Array.isArray(v) && v.length > 0
        : shape === 'items' ? typeof v === 'boolean' || isObject(v) || (Array.isArray(v) && this.prepared.dialect !== '2020-12')
        : /* 'requiredMap' */ isObject(v) && Object.values(v).every(Array.isArray);
      if (!ok) throw new Unsupported();
    }
  }

  private untyped(keyword: string, schema: SchemaObject, sp: string): Check | undefined {
    const value = schema[keyword];
    const at = `${sp}/${keyword}`;
    switch (keyword) {
      case '$ref': {
        const target = this.prepared.resolveRef(schema, value as string);
        if (target === undefined) throw new Unsupported(); // a meta-schema: only ajv has it
        return this.check(target, at);
      }
      case 'const': {
        const deep = typeof value === 'object' && value !== null;
        return (data, path, errors) => {
          if (deep ? !equal(data, value) : value !== data) {
            errors.push(error(path, at, 'const', { allowedValue: value }, 'must be equal to constant', value, schema, data));
          }
        };
      }
      case 'enum': {
        const values = value as unknown[];
        return (data, path, errors) => {
          for (const v of values) if (typeof v === 'object' && v !== null ? equal(data, v) : data === v) return;
          errors.push(error(path, at, 'enum', { allowedValues: values }, 'must be equal to one of the allowed values', values, schema, data));
        };
      }
      case 'not': {
        const sub = this.check(value, at);
        return (data, path, errors) => {
          if (validQuietly(sub, data, path, errors)) errors.push(error(path, at, 'not', {}, 'must NOT be valid', value, schema, data));
        };
      }
      case 'anyOf': {
        const branches = (value as unknown[]).map((b, i) => this.check(b, `${at}/${i}`));
        if ((value as unknown[]).some((b) => this.alwaysValid(b))) return undefined;
        return (data, path, errors) => {
          const before = errors.length;
          for (const branch of branches) {
            const n = errors.length;
            branch(data, path, errors);
            if (errors.length === n) {
              errors.length = before;
              return;
            }
          }
          errors.push(error(path, at, 'anyOf', {}, 'must match a schema in anyOf', value, schema, data));
        };
      }
      case 'oneOf': {
        const branches = (value as unknown[]).map((b, i) => this.check(b, `${at}/${i}`));
        return (data, path, errors) => {
          const before = errors.length;
          let valid = false;
          let passing: number | [number, number] | null = null;
          for (let i = 0; i < branches.length; i++) {
            const n = errors.length;
            branches[i](data, path, errors);
            const branchValid = errors.length === n;
            if (i > 0 && branchValid && valid) {
              // ajv's generated code stops at the second passing branch: later ones are not run.
              valid = false;
              passing = [passing as number, i];
              break;
            }
            if (branchValid) {
              valid = true;
              passing = i;
            }
          }
          if (valid) errors.length = before;
          else errors.push(error(path, at, 'oneOf', { passingSchemas: passing }, 'must match exactly one schema in oneOf', value, schema, data));
        };
      }
      case 'allOf': {
        const branches = (value as unknown[]).map((b, i) => this.check(b, `${at}/${i}`));
        return (data, path, errors) => {
          for (const branch of branches) branch(data, path, errors);
        };
      }
      case 'if': {
        const hasThen = schema.then !== undefined && !this.alwaysValid(schema.then);
        const hasElse = schema.else !== undefined && !this.alwaysValid(schema.else);
        const condition = this.check(value, at);
        // Built even when skipped, so validatorFor knows them.
        const thenCheck = schema.then === undefined ? undefined : this.check(schema.then, `${sp}/then`);
        const elseCheck = schema.else === undefined ? undefined : this.check(schema.else, `${sp}/else`);
        if (!hasThen && !hasElse) return undefined;
        return (data, path, errors) => {
          const clause = validQuietly(condition, data, path, errors) ? (hasThen ? 'then' : undefined) : hasElse ? 'else' : undefined;
          if (!clause) return;
          const n = errors.length;
          (clause === 'then' ? (thenCheck as Check) : (elseCheck as Check))(data, path, errors);
          if (errors.length !== n) {
            errors.push(error(path, at, 'if', { failingKeyword: clause }, `must match "${clause}" schema`, value, schema, data));
          }
        };
      }
      default:
        return undefined;
    }
  }

  private typed(keyword: string, type: string, schema: SchemaObject, sp: string): Check | undefined {
    const value = schema[keyword];
    const at = `${sp}/${keyword}`;
    switch (keyword) {
      case 'maximum':
      case 'minimum':
      case 'exclusiveMaximum':
      case 'exclusiveMinimum': {
        const limit = value as number;
        const comparison = COMPARISON[keyword];
        const fails =
          keyword === 'maximum'
            ? (d: number) => d > limit
            : keyword === 'minimum'
              ? (d: number) => d < limit
              : keyword === 'exclusiveMaximum'
                ? (d: number) => d >= limit
                : (d: number) => d <= limit;
        return (data, path, errors) => {
          if (fails(data as number) || Number.isNaN(data)) {
            errors.push(error(path, at, keyword, { comparison, limit }, `must be ${comparison} ${limit}`, limit, schema, data));
          }
        };
      }
      case 'multipleOf': {
        const m = value as number;
        return (data, path, errors) => {
          const res = (data as number) / m;
          if (m === 0 || res !== parseInt(res as unknown as string)) {
            errors.push(error(path, at, keyword, { multipleOf: m }, `must be multiple of ${m}`, m, schema, data));
          }
        };
      }
      case 'maxLength':
      case 'minLength':
      case 'maxItems':
      case 'minItems':
      case 'maxProperties':
      case 'minProperties': {
        const limit = value as number;
        const max = keyword.startsWith('max');
        const unit = keyword.endsWith('Length') ? 'characters' : keyword.endsWith('Items') ? 'items' : 'properties';
        const size = keyword.endsWith('Length')
          ? (d: unknown) => ucs2length(d as string)
          : keyword.endsWith('Items')
            ? (d: unknown) => (d as unknown[]).length
            : (d: unknown) => Object.keys(d as object).length;
        const message = `must NOT have ${max ? 'more' : 'fewer'} than ${limit} ${unit}`;
        return (data, path, errors) => {
          const n = size(data);
          if (max ? n > limit : n < limit) errors.push(error(path, at, keyword, { limit }, message, limit, schema, data));
        };
      }
      case 'pattern': {
        const re = this.pattern(value as string);
        return (data, path, errors) => {
          if (!re.test(data as string)) errors.push(error(path, at, keyword, { pattern: value }, `must match pattern "${value}"`, value, schema, data));
        };
      }
      case 'format':
        return this.format(value as string, type, schema, at);
      case 'required': {
        const names = value as string[];
        if (names.length === 0) return undefined;
        return (data, path, errors) => {
          const obj = data as Record<string, unknown>;
          for (const name of names) {
            if (obj[name] === undefined) {
              errors.push(error(path, at, keyword, { missingProperty: name }, `must have required property '${name}'`, names, schema, data));
            }
          }
        };
      }
      case 'propertyNames': {
        const sub = this.check(value, at);
        if (this.alwaysValid(value)) return undefined;
        return (data, path, errors) => {
          for (const key in data as object) {
            const n = errors.length;
            sub(key, path, errors);
            if (errors.length === n) continue;
            for (let k = n; k < errors.length; k++) errors[k] = { ...errors[k], propertyName: key } as ErrorObject;
            errors.push(error(path, at, keyword, { propertyName: key }, 'property name must be valid', value, schema, data));
          }
        };
      }
      case 'additionalProperties':
        return this.additionalProperties(schema, value, at);
      case 'dependencies':
      case 'dependentRequired':
      case 'dependentSchemas':
        return this.dependencies(keyword, schema, value as SchemaObject, at);
      case 'properties':
        return this.properties(value as SchemaObject, at);
      case 'patternProperties': {
        const entries = schemaProperties(value).map((p) => [this.pattern(p), this.check((value as SchemaObject)[p], `${at}/${escapePointer(p)}`)] as const);
        return (data, path, errors) => {
          const obj = data as Record<string, unknown>;
          for (const [re, check] of entries) {
            for (const key in obj) if (re.test(key)) check(obj[key], path + segment(key), errors);
          }
        };
      }
      case 'items':
        return this.items(schema, value, at);
      case 'prefixItems': {
        const tuple = (value as unknown[]).map((s, i) => this.check(s, `${at}/${i}`));
        return tupleCheck(tuple);
      }
      case 'additionalItems': {
        if (!Array.isArray(schema.items)) return undefined; // ajv ignores it then
        return this.extraItems(schema.items.length, value, schema, keyword, at);
      }
      case 'contains':
        return this.contains(schema, value, at);
      case 'uniqueItems':
        return value === true ? uniqueItemsCheck(schema, at) : undefined;
      default:
        return undefined;
    }
  }

  /**
   * Each declared property the data has, in the schema's order (ajv's order of errors). A data
   * object with few keys against a long property list (a meta-schema check) is looked up by its
   * own keys; names an object inherits (`constructor`…) force ajv's full scan, which sees them.
   */
  private properties(map: SchemaObject, at: string): Check {
    const names = schemaProperties(map);
    const segments = names.map(segment);
    const checks = names.map((name) => this.check(map[name], `${at}/${escapePointer(name)}`));
    const indexOf = new Map(names.map((name, i) => [name, i]));
    const byKeys = names.length > 8 && !names.some((name) => name in Object.prototype);
    const hits: number[] = [];
    return (data, path, errors) => {
      const obj = data as Record<string, unknown>;
      if (byKeys) {
        hits.length = 0;
        for (const key in obj) {
          const i = indexOf.get(key);
          if (i !== undefined && obj[key] !== undefined) hits.push(i);
        }
        if (hits.length < names.length) {
          const found = hits.length > 1 ? [...hits].sort((a, b) => a - b) : [...hits];
          for (const i of found) checks[i](obj[names[i]], path + segments[i], errors);
          return;
        }
      }
      for (let i = 0; i < names.length; i++) {
        const v = obj[names[i]];
        if (v !== undefined) checks[i](v, path + segments[i], errors);
      }
    };
  }

  private format(name: string, type: string, schema: SchemaObject, at: string): Check | undefined {
    const def = (fullFormats as Record<string, FormatDefinition>)[name];
    // ajv ignores an unknown format (strict mode off) and a format that accepts everything.
    if (def === undefined || def === true) return undefined;
    const isDefinition = typeof def === 'object' && !(def instanceof RegExp);
    const formatType = isDefinition ? (def.type ?? 'string') : 'string';
    if (formatType !== type) return undefined;
    const test = isDefinition ? def.validate : def;
    const full = typeof test === 'function' ? (d: unknown) => (test as (s: unknown) => boolean)(d) : (d: unknown) => test.test(d as string);
    const quick = QUICK_ACCEPT[name];
    const valid = quick ? (d: unknown) => quick.test(d as string) || full(d) : full;
    return (data, path, errors) => {
      if (!valid(data)) errors.push(error(path, at, 'format', { format: name }, `must match format "${name}"`, name, schema, data));
    };
  }

  private additionalProperties(schema: SchemaObject, value: unknown, at: string): Check | undefined {
    const sub = this.check(value, at);
    if (this.alwaysValid(value)) return undefined;
    const declared = schema.properties;
    const props = schemaProperties(declared);
    const patterns = schemaProperties(schema.patternProperties).map((p) => this.pattern(p));
    // ajv's generated code: an own-property test beyond eight names, else a list of names.
    const isDeclared =
      props.length > 8 ? (key: string) => Object.prototype.hasOwnProperty.call(declared, key) : (key: string) => props.includes(key);
    return (data, path, errors) => {
      const obj = data as Record<string, unknown>;
      for (const key in obj) {
        if (isDeclared(key) || patterns.some((re) => re.test(key))) continue;
        if (value === false) {
          errors.push(error(path, at, 'additionalProperties', { additionalProperty: key }, 'must NOT have additional properties', false, schema, data));
        } else {
          sub(obj[key], path + segment(key), errors);
        }
      }
    };
  }

  private dependencies(keyword: string, schema: SchemaObject, map: SchemaObject, at: string): Check | undefined {
    const propertyDeps: Array<[string, string[]]> = [];
    const schemaDeps: Array<[string, Check]> = [];
    for (const prop in map) {
      if (prop === '__proto__') continue;
      const dep = map[prop];
      if (keyword !== 'dependentSchemas' && Array.isArray(dep)) {
        if (dep.length) propertyDeps.push([prop, dep as string[]]);
      } else if (keyword !== 'dependentRequired') {
        const check = this.check(dep, `${at}/${escapePointer(prop)}`);
        if (!this.alwaysValid(dep)) schemaDeps.push([prop, check]);
      }
    }
    return (data, path, errors) => {
      const obj = data as Record<string, unknown>;
      for (const [property, deps] of propertyDeps) {
        if (obj[property] === undefined) continue;
        for (const missingProperty of deps) {
          if (obj[missingProperty] !== undefined) continue;
          const params = { property, missingProperty, depsCount: deps.length, deps: deps.join(', ') };
          const message = `must have ${deps.length === 1 ? 'property' : 'properties'} ${params.deps} when property ${property} is present`;
          errors.push(error(path, at, keyword, params, message, map, schema, data));
        }
      }
      for (const [property, check] of schemaDeps) if (obj[property] !== undefined) check(data, path, errors);
    };
  }

  private items(schema: SchemaObject, value: unknown, at: string): Check | undefined {
    if (Array.isArray(value)) return tupleCheck(value.map((s, i) => this.check(s, `${at}/${i}`)));
    if (this.prepared.dialect === '2020-12' && Array.isArray(schema.prefixItems)) {
      this.check(value, at);
      return this.alwaysValid(value) ? undefined : this.extraItems(schema.prefixItems.length, value, schema, 'items', at);
    }
    const each = this.check(value, at);
    if (this.alwaysValid(value)) return undefined;
    return (data, path, errors) => {
      const list = data as unknown[];
      for (let i = 0; i < list.length; i++) each(list[i], path + segment(i), errors);
    };
  }

  /** Items past a tuple of `count`: `false` limits the length, a schema checks each one. */
  private extraItems(count: number, value: unknown, schema: SchemaObject, keyword: string, at: string): Check | undefined {
    const each = this.check(value, at);
    if (value === false) {
      return (data, path, errors) => {
        if ((data as unknown[]).length > count) {
          errors.push(error(path, at, keyword, { limit: count }, `must NOT have more than ${count} items`, false, schema, data));
        }
      };
    }
    if (this.alwaysValid(value)) return undefined;
    return (data, path, errors) => {
      const list = data as unknown[];
      for (let i = count; i < list.length; i++) each(list[i], path + segment(i), errors);
    };
  }

  private contains(schema: SchemaObject, value: unknown, at: string): Check | undefined {
    const modern = this.prepared.dialect !== 'draft-07';
    const min = modern && typeof schema.minContains === 'number' ? schema.minContains : 1;
    const max = modern && typeof schema.maxContains === 'number' ? schema.maxContains : undefined;
    const params = max === undefined ? { minContains: min } : { minContains: min, maxContains: max };
    const message = max === undefined ? `must contain at least ${min} valid item(s)` : `must contain at least ${min} and no more than ${max} valid item(s)`;
    const fail = (data: unknown, path: string, errors: Errors) => errors.push(error(path, at, 'contains', params, message, value, schema, data));
    const each = this.check(value, at);
    if (max === undefined && min === 0) return undefined;
    if (max !== undefined && min > max) return fail;
    if (this.alwaysValid(value)) {
      return (data, path, errors) => {
        const len = (data as unknown[]).length;
        if (!(len >= min && (max === undefined || len <= max))) fail(data, path, errors);
      };
    }
    return (data, path, errors) => {
      const list = data as unknown[];
      const before = errors.length;
      let valid: boolean;
      if (max === undefined && min === 1) {
        valid = false;
        for (let i = 0; i < list.length; i++) {
          const n = errors.length;
          each(list[i], path + segment(i), errors);
          if (errors.length === n) {
            valid = true;
            break;
          }
        }
      } else {
        valid = min === 0;
        if (min !== 0 || list.length > 0) {
          let count = 0;
          for (let i = 0; i < list.length; i++) {
            const n = errors.length;
            each(list[i], path + segment(i), errors);
            if (errors.length !== n) continue;
            count++;
            if (max === undefined) {
              if (count >= min) {
                valid = true;
                break;
              }
            } else {
              if (count > max) {
                valid = false;
                break;
              }
              if (min === 1 || count >= min) valid = true;
            }
          }
        }
      }
      if (valid) errors.length = before;
      else fail(data, path, errors);
    };
  }
}

/** A schema path segment as ajv writes it: JSON-pointer escaped, then URI-encoded. */
function escapePointer(s: string): string {
  return encodeURIComponent(escapePointerSegment(s));
}

/** ajv's reading of `type` (and OpenAPI's `nullable`); throws Unsupported where ajv throws. */
function schemaTypes(schema: SchemaObject): string[] {
  const t = schema.type;
  const types = Array.isArray(t) ? [...t] : t ? [t] : [];
  if (!types.every((x) => typeof x === 'string' && JSON_TYPES.has(x))) throw new Unsupported();
  if (types.includes('null')) {
    if (schema.nullable === false) throw new Unsupported();
  } else {
    if (!types.length && schema.nullable !== undefined) throw new Unsupported();
    if (schema.nullable === true) types.push('null');
  }
  return types as string[];
}

function typeCheck(schema: SchemaObject, types: string[], sp: string): Check {
  const at = `${sp}/type`;
  const declared = schema.type;
  const message = `must be ${String(declared)}`;
  return (data, path, errors) => {
    for (const t of types) if (hasType(t, data)) return;
    errors.push(error(path, at, 'type', { type: declared }, message, declared, schema, data));
  };
}

/** Runs a group's keywords on data of its type; otherwise reports the type error, if any. */
function typeGuard(type: string, inner: Check[], wrongType: Check | undefined): Check {
  return (data, path, errors) => {
    if (hasType(type, data)) {
      for (const step of inner) step(data, path, errors);
    } else if (wrongType) {
      wrongType(data, path, errors);
    }
  };
}

function tupleCheck(tuple: Check[]): Check {
  return (data, path, errors) => {
    const list = data as unknown[];
    for (let i = 0; i < tuple.length && i < list.length; i++) tuple[i](list[i], path + segment(i), errors);
  };
}

function uniqueItemsCheck(schema: SchemaObject, at: string): Check {
  const items = schema.items;
  const itemTypes = items && typeof items === 'object' && !Array.isArray(items) ? schemaTypesLenient(items as SchemaObject) : [];
  const report = (data: unknown, path: string, errors: Errors, i: number, j: number) =>
    errors.push(error(path, at, 'uniqueItems', { i, j }, `must NOT have duplicate items (items ## ${j} and ${i} are identical)`, true, schema, data));
  // ajv's two loops, kept as they are: they name the duplicate pair differently.
  if (itemTypes.length > 0 && !itemTypes.some((t) => t === 'object' || t === 'array')) {
    return (data, path, errors) => {
      const list = data as unknown[];
      if (list.length <= 1) return;
      const indices: Record<string, number> = {};
      for (let i = list.length; i--; ) {
        let item = list[i];
        if (!itemTypes.some((t) => hasType(t, item))) continue;
        if (itemTypes.length > 1 && typeof item === 'string') item += '_';
        const key = item as string;
        if (typeof indices[key] === 'number') {
          report(data, path, errors, i, indices[key]);
          return;
        }
        indices[key] = i;
      }
    };
  }
  return (data, path, errors) => {
    const list = data as unknown[];
    if (list.length <= 1) return;
    for (let i = list.length; i--; ) {
      for (let j = i; j--; ) {
        if (equal(list[i], list[j])) {
          report(data, path, errors, i, j);
          return;
        }
      }
    }
  };
}

function schemaTypesLenient(schema: SchemaObject): string[] {
  try {
    return schemaTypes(schema);
  } catch {
    return [];
  }
}

function falseSchema(sp: string): Check {
  return (data, path, errors) => errors.push(error(path, sp, 'false schema', {}, 'boolean schema is false', false, false, data));
}

/** Runs `check` for its verdict only: its errors are not kept (ajv: createErrors false). */
function validQuietly(check: Check, data: unknown, path: string, errors: Errors): boolean {
  const n = errors.length;
  check(data, path, errors);
  const valid = errors.length === n;
  errors.length = n;
  return valid;
}

function error(instancePath: string, schemaPath: string, keyword: string, params: Record<string, unknown>, message: string, schema: unknown, parentSchema: unknown, data: unknown): ErrorObject {
  return { instancePath, schemaPath, keyword, params, message, schema, parentSchema: parentSchema as ErrorObject['parentSchema'], data };
}

function asValidateFunction(check: Check, schema: unknown): ValidateFunction {
  const validate = ((data: unknown) => {
    const errors: Errors = [];
    check(data, '', errors);
    validate.errors = errors.length ? errors : null;
    return errors.length === 0;
  }) as ValidateFunction;
  validate.errors = null;
  validate.schema = schema as ValidateFunction['schema'];
  return validate;
}
