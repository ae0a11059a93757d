// JSON Schema support for values files: discovery (modeline, chart schema, config, bundled),
// compilation with ajv once per schema content, and validation of (possibly merged) values
// into readable, deduplicated errors. The rule family that turns these into findings with
// ranges is rules/schema.ts; other rules may use `schemaForDocument` to read a chart
// schema's `x-airgap` annotations.
import * as nodePath from 'node:path';
import type { ErrorObject } from 'ajv';
import type { ResolvedConfig } from '../config';
import type { ValuesDocument } from '../document';
import { compileSchema, type CompiledSchema } from './compile';
import { discoverSchema, type Discovery } from './discovery';
import { refineErrors, type RefinedError } from './errors';
import type { FileHost, JsonValue } from '../types';

export { clearSchemaCache, schemaCompileCount, type CompiledSchema } from './compile';
export { discoverSchema, findModeline, type Discovery, type SchemaSource } from './discovery';
export { describeError, formatPath, pointerToPath, type RefinedError } from './errors';
export { registerBundledSchema, clearBundledSchemas } from './bundled';
export { suggestNames, editDistance } from './did-you-mean';

export interface DocumentSchema {
  discovery: Discovery;
  /** Compiled schema, when one was found (it may carry `error`). */
  compiled?: CompiledSchema;
}

/** Finds and compiles (or takes from the cache) the schema that applies to a values document. */
export function schemaForDocument(
  doc: ValuesDocument,
  config: Pick<ResolvedConfig, 'schemas' | 'baseDir'> & Partial<Pick<ResolvedConfig, 'schemaModeline'>>,
  host: FileHost,
): DocumentSchema {
  const discovery = discoverSchema(doc.path, doc.text, config, host);
  if (!discovery.source) return { discovery };
  return { discovery, compiled: compileSchema(discovery.source.path, discovery.source.text, host) };
}

const results = new WeakMap<CompiledSchema, WeakMap<object, RefinedError[]>>();

/**
 * Validates values and returns refined errors (composites resolved, `if` noise dropped).
 * Cached per values object: documents and merged stacks keep their identity while unchanged,
 * so re-linting an unchanged stack costs a lookup.
 */
export function validateValues(compiled: CompiledSchema, data: JsonValue): RefinedError[] {
  const validate = compiled.validate;
  if (!validate) return [];
  const cacheable = typeof data === 'object' && data !== null;
  let perSchema = results.get(compiled);
  if (cacheable) {
    const hit = perSchema?.get(data);
    if (hit) return hit;
  }
  const raw: ErrorObject[] = validate(data) ? [] : [...(validate.errors ?? [])];
  const refined = raw.length ? refineErrors(raw, compiled) : [];
  if (cacheable) {
    if (!perSchema) {
      perSchema = new WeakMap();
      results.set(compiled, perSchema);
    }
    perSchema.set(data, refined);
  }
  return refined;
}

/** A stable identity for an error, to tell whether two validations report the same thing. */
export function errorKey(err: ErrorObject): string {
  return `${err.keyword}|${err.instancePath}|${JSON.stringify(err.params)}`;
}

/** How a schema is named in messages: relative to the values file when nearby, else its path. */
export function schemaDisplayName(schemaPath: string, valuesPath: string): string {
  const rel = nodePath.relative(nodePath.dirname(valuesPath), schemaPath);
  return rel && !rel.startsWith('../../..') ? rel.split(nodePath.sep).join('/') : schemaPath;
}
