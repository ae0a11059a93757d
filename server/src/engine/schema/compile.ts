// Makes values schemas ready to validate, once per content: interpreted (interpret.ts) where
// the schema allows, else compiled with ajv. The cache is keyed by the SHA-1 of the schema text
// (the dialect is a function of that text) and lives as long as the process, so the language
// server reads a 200 KB chart schema once and then validates in milliseconds per keystroke.
// Compiling never throws: a broken schema becomes a CompiledSchema
// with `error` set, which the rule reports as one `schema/invalid-schema` finding.
import { createHash } from 'node:crypto';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import type AjvCore from 'ajv/dist/core';
import addFormats from 'ajv-formats';
import draft06Meta from 'ajv/dist/refs/json-schema-draft-06.json';
import draft07MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json';
import { version as ajvVersion } from 'ajv/package.json';
import { version as ajvFormatsVersion } from 'ajv-formats/package.json';
import type { FileHost } from '../types';
import { loadStandalone, readCachedCode, REGEXP_MODULE, schemaCodeCacheDir, standaloneSource, writeCachedCode, writeV8Data } from './code-cache';
import { ANNOTATION_KEYWORDS, interpreterFor } from './interpret';
import { surelyValidDraft07 } from './meta-draft07';
import { parseSchemaText, prepareSchema, type Dialect, type PreparedSchema } from './prepare';

export { ANNOTATION_KEYWORDS };

export interface CompiledSchema {
  /** Absolute path of the schema file. */
  path: string;
  hash: string;
  dialect: Dialect;
  /** The schema as written (parsed), for readers of `x-airgap` annotations; undefined if unparsable. */
  schema?: unknown;
  /** undefined when the schema could not be compiled (`error` says why). */
  validate?: ValidateFunction;
  /** Why the schema is unusable (bad JSON, ajv rejects it); validation is skipped. */
  error?: string;
  /** The schema breaks its meta-schema (validation still runs with what ajv accepted). */
  metaProblem?: string;
  /** Refs (and an unknown `$schema`) that were not resolved; validation ran without them. */
  unresolved: string[];
  /** Patterns no regular-expression dialect could read; they accept every string. */
  unsupportedPatterns: string[];
  /** Other files the schema refers to, with the hash of the text compiled. */
  deps: Array<{ path: string; hash: string }>;
  prepared?: PreparedSchema;
  /** Validation walks the schema (interpret.ts) instead of running ajv's generated code. */
  interpreted?: boolean;
  /** A validator for one subschema object of `prepared` (a oneOf/anyOf branch), cached. */
  validatorFor(subschema: unknown): ValidateFunction | undefined;
}

let compileCount = 0;
/** How many schemas were compiled since the process started (tests assert the cache works). */
export function schemaCompileCount(): number {
  return compileCount;
}

const MAX_CACHED = 24;
const byText = new Map<string, CompiledSchema>();

/** Forgets compiled schemas (tests; a long session that wants its memory back). */
export function clearSchemaCache(): void {
  byText.clear();
  lastByPath.clear();
}

export function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function cacheKey(hash: string, path: string, pathDependent: boolean): string {
  return pathDependent ? `${hash}|${path}` : hash;
}

function remember(key: string, compiled: CompiledSchema): void {
  byText.delete(key);
  byText.set(key, compiled);
  while (byText.size > MAX_CACHED) byText.delete(byText.keys().next().value as string);
}

/**
 * The compiled form of the schema at `path` whose text is `text`. Files the schema refers to
 * are read through `host`; an entry that depends on them is reused only while they are unchanged.
 */
export function compileSchema(path: string, text: string, host: FileHost): CompiledSchema {
  // Same path, same text as last time (the usual case while typing in a values file): no
  // hashing of a 200 KB schema per keystroke. Files it refers to are still checked.
  const last = lastByPath.get(path);
  if (last && last.text === text && last.compiled.deps.length === 0 && byText.get(cacheKey(last.compiled.hash, path, false)) === last.compiled) {
    return last.compiled;
  }
  const compiled = compileByHash(path, text, host);
  lastByPath.set(path, { text, compiled });
  if (lastByPath.size > MAX_CACHED) lastByPath.delete(lastByPath.keys().next().value as string);
  return compiled;
}

const lastByPath = new Map<string, { text: string; compiled: CompiledSchema }>();

function compileByHash(path: string, text: string, host: FileHost): CompiledSchema {
  const hash = sha1(text);
  const shared = byText.get(cacheKey(hash, path, false));
  if (shared) {
    remember(cacheKey(hash, path, false), shared);
    return shared;
  }
  const own = byText.get(cacheKey(hash, path, true));
  if (own && own.deps.every((d) => {
    const t = host.readFile(d.path);
    return t !== undefined && sha1(t) === d.hash;
  })) {
    remember(cacheKey(hash, path, true), own);
    return own;
  }
  const compiled = compileUncached(path, text, hash, host);
  remember(cacheKey(hash, path, compiled.deps.length > 0), compiled);
  return compiled;
}

function newAjv(dialect: Dialect, regExp: RegExpEngine, source = false): AjvCore {
  const options = {
    strict: false,
    allErrors: true,
    verbose: true,
    validateSchema: false,
    logger: false as const,
    // Measured on the 208 KB Cloudzero schema: about half the compile time of the defaults,
    // same validation time once warm.
    inlineRefs: false,
    // `source` keeps the generated code for the on-disk cache (code-cache.ts).
    code: { optimize: false, regExp, source },
  };
  let ajv: AjvCore;
  if (dialect === '2020-12') ajv = new Ajv2020(options);
  else if (dialect === '2019-09') ajv = new Ajv2019(options);
  else ajv = new Ajv(options);
  if (dialect !== 'draft-07') ajv.addMetaSchema(draft07MetaSchema, undefined, false);
  ajv.addMetaSchema(draft06Meta, undefined, false);
  addFormats(ajv);
  // Any value is accepted: a malformed annotation must not make the schema unusable.
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword });
  return ajv;
}

function ajvKnows(ajv: AjvCore, uri: string): boolean {
  const internal = ajv as unknown as { refs: Record<string, unknown>; schemas: Record<string, unknown> };
  const key = uri.replace(/#$/, '');
  return Boolean(internal.refs[key] ?? internal.schemas[key]);
}

interface RegExpEngine {
  (pattern: string, u: string): { test(s: string): boolean };
  code: string;
}

/**
 * Chart schemas are often written for Go's regexp (RE2): accept what JavaScript can read with
 * or without the `u` flag, translate the common RE2-only spellings, and let a pattern that is
 * still unreadable match everything rather than make the whole schema unusable.
 */
function tolerantRegExp(unsupported: string[]): RegExpEngine {
  const engine = ((pattern: string, u: string): { test(s: string): boolean } => {
    // RE2 spellings first: `[[:alpha:]]` or `\z` are valid without the `u` flag but mean something else.
    const [re2, re2Flags] = translateRe2(pattern);
    const readings: Array<[string, string]> = [[pattern, u], [re2, re2Flags + u], [pattern, ''], [re2, re2Flags]];
    for (const [p, flags] of readings) {
      try {
        return new RegExp(p, flags);
      } catch {
        // try the next reading
      }
    }
    // Once per pattern: ajv asks again at each use, the cached code once per distinct pattern.
    if (!unsupported.includes(pattern)) unsupported.push(pattern);
    const acceptAll = { test: () => true, toString: () => `/(unsupported) ${pattern}/` };
    return acceptAll;
  }) as unknown as RegExpEngine;
  // Standalone code (the on-disk cache) gets this engine back through its require shim.
  engine.code = `require(${JSON.stringify(REGEXP_MODULE)}).engine`;
  return engine;
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: '\\s',
  xdigit: '0-9a-fA-F', word: '\\w', punct: '!-\\/:-@\\[-`{-~', blank: ' \\t', cntrl: '\\x00-\\x1f\\x7f',
};

/** Go's inline flags, `\A`/`\z` and POSIX classes in their JavaScript spelling: [pattern, flags]. */
function translateRe2(pattern: string): [string, string] {
  let p = pattern;
  let flags = '';
  const inline = /^\(\?([imsU]+)\)/.exec(p);
  if (inline) {
    p = p.slice(inline[0].length);
    flags = [...new Set(inline[1].replace('U', '').split(''))].join('');
  }
  p = p
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$')
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => (POSIX_CLASSES[name] && !neg ? POSIX_CLASSES[name] : m));
  return [p, flags];
}

function compileUncached(path: string, text: string, hash: string, host: FileHost): CompiledSchema {
  compileCount++;
  const unsupportedPatterns: string[] = [];
  const base: CompiledSchema = {
    path,
    hash,
    dialect: 'draft-07',
    unresolved: [],
    unsupportedPatterns,
    deps: [],
    validatorFor: () => undefined,
  };
  const parsed = parseSchemaText(text, path);
  if (parsed.schema === undefined) return { ...base, error: `it is not valid JSON (${parsed.error})` };
  base.schema = parsed.schema;
  if (typeof parsed.schema !== 'object' && typeof parsed.schema !== 'boolean') {
    return { ...base, error: 'a schema must be a JSON object or a boolean' };
  }
  if (Array.isArray(parsed.schema) || parsed.schema === null) return { ...base, error: 'a schema must be a JSON object or a boolean' };

  let compiler: AjvCore | undefined;
  const diskCache = schemaCodeCacheDir() !== null;
  const compilerFor = (dialect: Dialect): AjvCore => (compiler ??= newAjv(dialect, tolerantRegExp(unsupportedPatterns), diskCache));
  const hasMeta = (dialect: Dialect, uri: string): boolean => ajvKnows(compilerFor(dialect), uri);
  let prepared: PreparedSchema;
  try {
    prepared = prepareSchema({ schema: parsed.schema, text, path, host, hasMeta });
  } catch (err) {
    return { ...base, error: `it could not be read (${(err as Error).message})` };
  }
  const result: CompiledSchema = {
    ...base,
    dialect: prepared.dialect,
    unresolved: prepared.unresolved,
    deps: prepared.externals.map((e) => ({ path: e.path, hash: sha1(e.text) })),
    prepared,
  };
  // A schema its meta-schema rejects is interpreted too: what ajv would refuse to compile,
  // interpret.ts refuses as well, and ajv reports it.
  const interpreter = validatorPolicy() !== 'ajv' ? interpreterFor(prepared, tolerantRegExp(unsupportedPatterns)) : undefined;
  if (interpreter) {
    result.metaProblem = metaProblemOf(prepared);
    result.validate = interpreter.root;
    result.validatorFor = interpreter.validatorFor;
    result.interpreted = true;
    return result;
  }
  // Only what ajv compiles goes through the on-disk cache of its code.
  const diskKey = diskCache ? codeCacheKey(prepared, hash) : undefined;
  const fromDisk = diskKey ? loadFromDisk(diskKey, result, prepared) : undefined;
  if (fromDisk) return fromDisk;
  result.metaProblem = metaProblemOf(prepared);
  return compileWithAjv(result, prepared, compilerFor(prepared.dialect), diskKey);
}

function compileWithAjv(result: CompiledSchema, prepared: PreparedSchema, ajv: AjvCore, diskKey: string | undefined): CompiledSchema {
  try {
    for (const ext of prepared.externals) {
      if (!ajvKnows(ajv, ext.key)) ajv.addSchema(ext.schema as object, ext.key);
    }
    ajv.addSchema(prepared.root as object, prepared.rootKey);
    const validate = ajv.getSchema(prepared.rootKey);
    if (!validate) return { ...result, error: 'ajv could not compile it' };
    result.validate = validate;
    if (diskKey) saveToDisk(diskKey, ajv, validate, prepared, result.metaProblem);
  } catch (err) {
    // The meta-schema says more precisely what is wrong than ajv's compiler does.
    const error = result.metaProblem ? `it is not a valid ${result.dialect} schema (${result.metaProblem})` : cleanAjvMessage((err as Error).message);
    return { ...result, error, metaProblem: undefined };
  }
  result.validatorFor = branchValidators(prepared, () => ajv);
  return result;
}

/** `AIRGAP_LINT_SCHEMA_VALIDATOR`: `ajv` or `interpreter` forces one (tests, benchmarks). */
function validatorPolicy(): 'ajv' | 'interpreter' | 'auto' {
  const v = process.env.AIRGAP_LINT_SCHEMA_VALIDATOR;
  return v === 'ajv' || v === 'interpreter' ? v : 'auto';
}

/**
 * Validators for subschema objects of `prepared` (oneOf/anyOf branches), compiled on first use
 * in the ajv instance `ajvFor` gives (undefined: none).
 */
function branchValidators(prepared: PreparedSchema, ajvFor: () => AjvCore | undefined): CompiledSchema['validatorFor'] {
  const branchValidators = new WeakMap<object, ValidateFunction | null>();
  return (subschema: unknown) => {
    if (typeof subschema !== 'object' || subschema === null) return undefined;
    const cached = branchValidators.get(subschema);
    if (cached !== undefined) return cached ?? undefined;
    const loc = prepared.locations.get(subschema);
    let v: ValidateFunction | null = null;
    if (loc) {
      // The pointer's segments are already JSON-pointer escaped; ajv URI-decodes each one.
      const fragment = loc.pointer.split('/').slice(1).map(encodeURIComponent).join('/');
      try {
        v = ajvFor()?.getSchema(`${loc.docKey}#${fragment ? '/' + fragment : ''}`) ?? null;
      } catch {
        v = null;
      }
    }
    branchValidators.set(subschema, v);
    return v ?? undefined;
  };
}

// ---------------------------------------------------------------------------- on-disk code cache

/** What the generated code depends on besides the schema: ajv, its options, our regexp engine. */
let codeVersion: string | undefined;
function ourCodeVersion(): string {
  codeVersion ??= createHash('sha256')
    .update(`v1|ajv ${ajvVersion}|ajv-formats ${ajvFormatsVersion}|${String(newAjv)}|${String(tolerantRegExp)}|${String(translateRe2)}|${JSON.stringify(POSIX_CLASSES)}|${ANNOTATION_KEYWORDS}`)
    .digest('hex');
  return codeVersion;
}

/** The cache key: the schema text, the files it refers to, where it lives, dialect, versions. */
function codeCacheKey(prepared: PreparedSchema, hash: string): string {
  const parts = [ourCodeVersion(), prepared.dialect, prepared.rootKey, hash, ...prepared.externals.map((e) => `${e.key} ${sha1(e.text)}`)];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** The subschema object of `prepared` at `pointer` in document `docKey`, if it is the one recorded there. */
function resolveLocation(prepared: PreparedSchema, docKey: string, pointer: string): object | undefined {
  let node: unknown = docKey === prepared.rootKey ? prepared.root : prepared.externals.find((e) => e.key === docKey)?.schema;
  for (const seg of pointer.split('/').slice(1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    const key = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  if (typeof node !== 'object' || node === null) return undefined;
  const loc = prepared.locations.get(node);
  return loc && loc.docKey === docKey && loc.pointer === pointer ? node : undefined;
}

let diskLoads = 0;
/** How many compiled schemas were loaded from the on-disk cache (tests). */
export function schemaDiskLoadCount(): number {
  return diskLoads;
}

function loadFromDisk(key: string, result: CompiledSchema, prepared: PreparedSchema): CompiledSchema | undefined {
  const cached = readCachedCode(key);
  if (!cached) return undefined;
  // Loading evaluates the patterns, so the engine records the unreadable ones as a compile would.
  const unsupported: string[] = [];
  const loaded = loadStandalone(cached.source, cached.meta.schemas, (d, p) => resolveLocation(prepared, d, p), tolerantRegExp(unsupported), cached.v8);
  if (!loaded) return undefined;
  const validate = loaded.validate;
  if (loaded.v8Rejected && cached.bodyHash) {
    // After this lint's validation, V8 holds the compiled functions it needed: keep them too.
    const bodyHash = cached.bodyHash;
    queueWrite(() => writeV8Data(key, bodyHash, loaded.codeCache()));
  }
  diskLoads++;
  result.unsupportedPatterns.push(...unsupported);
  result.validate = validate;
  result.metaProblem = typeof cached.meta.metaProblem === 'string' ? cached.meta.metaProblem : undefined;
  // Branch validators (oneOf/anyOf error analysis) are rare: an ajv is built only for them.
  let lazy: AjvCore | null | undefined;
  const ajvFor = (): AjvCore | undefined => {
    if (lazy === undefined) {
      try {
        lazy = newAjv(prepared.dialect, tolerantRegExp([]));
        for (const ext of prepared.externals) if (!ajvKnows(lazy, ext.key)) lazy.addSchema(ext.schema as object, ext.key);
        lazy.addSchema(prepared.root as object, prepared.rootKey);
      } catch {
        lazy = null;
      }
    }
    return lazy ?? undefined;
  };
  result.validatorFor = branchValidators(prepared, ajvFor);
  return result;
}

/**
 * Generates and writes the code after the lint that needed the schema (off the path to the first
 * diagnostics), or when the process exits, whichever comes first.
 */
function saveToDisk(key: string, ajv: AjvCore, validate: ValidateFunction, prepared: PreparedSchema, metaProblem: string | undefined): void {
  queueWrite(() => {
    const locate = (obj: object) => {
      const loc = prepared.locations.get(obj);
      return loc && resolveLocation(prepared, loc.docKey, loc.pointer) === obj ? loc : undefined;
    };
    const generated = standaloneSource(ajv, validate, locate);
    if (generated) writeCachedCode(key, { source: generated.source, meta: { metaProblem, schemas: generated.schemas } });
  });
}

function queueWrite(write: () => void): void {
  pendingWrites.push(write);
  if (pendingWrites.length === 1) setImmediate(flushSchemaCodeCache).unref();
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', flushSchemaCodeCache);
  }
}

const pendingWrites: Array<() => void> = [];
let exitHookInstalled = false;

/** Writes compiled code still waiting for the disk cache (tests; processes about to exit). */
export function flushSchemaCodeCache(): void {
  for (const write of pendingWrites.splice(0)) {
    try {
      write();
    } catch {
      // the cache is an optimisation
    }
  }
}

/**
 * The first meta-schema violation of the prepared schema, as a short sentence; undefined when
 * it is valid. draft-07 (most chart schemas) is checked by the interpreter: compiling the
 * meta-schema with ajv costs about 25 ms on the first schema a process sees.
 */
function metaProblemOf(prepared: PreparedSchema): string | undefined {
  if (prepared.dialect === 'draft-07' && validatorPolicy() !== 'ajv') {
    if (surelyValidDraft07(prepared.root)) return undefined; // the common case, without the general validator
    const validate = draft07MetaValidator();
    if (validate) return firstMetaError(validate(prepared.root) ? null : validate.errors);
  }
  return checkAgainstMeta(metaChecker(prepared.dialect), prepared.root);
}

let draft07Meta: ValidateFunction | null | undefined;
function draft07MetaValidator(): ValidateFunction | undefined {
  if (draft07Meta === undefined) draft07Meta = builtInValidator(draft07MetaSchema, '/airgap-lint/meta/draft-07.json') ?? null;
  return draft07Meta ?? undefined;
}

/**
 * An interpreted validator for a schema we ship (self-contained: it reads no file), or undefined
 * if the interpreter cannot take it. It reports what ajv with allErrors reports, without ajv's
 * compile: ~35 ms on a cold process for the config schema.
 */
export function builtInValidator(schema: object, path: string): ValidateFunction | undefined {
  const noFiles: FileHost = { readFile: () => undefined };
  const prepared = prepareSchema({ schema: schema as Parameters<typeof prepareSchema>[0]['schema'], text: '', path, host: noFiles, hasMeta: () => false });
  return interpreterFor(prepared, tolerantRegExp([]))?.root;
}

const metaCheckers = new Map<Dialect, AjvCore>();
/** One ajv per dialect for meta-schema checks: the meta-schema is compiled once per process. */
function metaChecker(dialect: Dialect): AjvCore {
  let ajv = metaCheckers.get(dialect);
  if (!ajv) {
    ajv = newAjv(dialect, tolerantRegExp([]));
    metaCheckers.set(dialect, ajv);
  }
  return ajv;
}

function checkAgainstMeta(ajv: AjvCore, schema: unknown): string | undefined {
  try {
    return firstMetaError(ajv.validateSchema(schema as object) ? null : ajv.errors);
  } catch (e) {
    return (e as Error).message;
  }
}

function firstMetaError(errors: ErrorObject[] | null | undefined): string | undefined {
  if (!errors?.length) return undefined;
  const err = errors.find((e) => e.keyword !== 'if' && e.keyword !== 'anyOf' && e.keyword !== 'oneOf') ?? errors[0];
  return `${err.instancePath || '(root)'} ${err.message ?? 'is invalid'}`;
}

function cleanAjvMessage(message: string): string {
  return message.split('\n')[0].replace(/^schema is invalid: /, '');
}

