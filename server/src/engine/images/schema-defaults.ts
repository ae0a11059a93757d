// A chart's JSON Schema `default`s as the lowest layer of a stack, for the image rules.
//
// Helm itself never applies schema defaults: `.Values` is values.yaml plus the -f files. Some
// charts do it in their templates, though. kubernaut (DD-PLATFORM-006 Decision Area 14) removed
// its image defaults from values.yaml and keeps them only as `default`s in values.schema.json;
// `hack/gen-helm-defaults` materialises them into templates/_generated_defaults.tpl
// ("kubernaut.defaults"), and every image is rendered through `kubernaut.mergedValues`:
// `mergeOverwrite (dict) <schema defaults> <.Values>`, user values winning. So on that chart
// `helm install -f values-airgap.yaml` renders `console.oauth2Proxy.image` and
// `hooks.tlsCerts.image` from the schema even though no values file names them, and an
// air-gap overlay is judged against those defaults or it misses them.
//
// When this is faithful: a chart whose schema defaults match its values.yaml (schemas
// generated from values.yaml, the common case) gains nothing and loses nothing, because every
// layer above wins over the defaults. Only keys that values.yaml leaves out come from the
// schema, and a chart keeps a default only in its schema when its templates apply it (as
// kubernaut's do, and as charts with `| default "…"` of the same value do). The layer is put
// under a stack only for an overlay (a chart's own values.yaml is never judged as an overlay
// of its schema), and only the image rules and the image hover read it.
//
// What is collected: `default` of each subschema reached through `properties`, local `$ref`s
// (`#/definitions/…`, `#/$defs/…`) and `allOf`, as gen-helm-defaults walks them; a property's
// own default wins over the same key inside its parent's object `default`. anyOf/oneOf
// branches are ambiguous and left alone.
import * as nodePath from 'node:path';
import { parseValuesDocument, type NodeLocation, type ValuesDocument } from '../document';
import { mergeValues } from '../layers';
import type { FileHost, JsonValue, ValuePath } from '../types';

type JsonMap = { [k: string]: JsonValue };

const isMap = (v: JsonValue | undefined): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

export const CHART_SCHEMA_NAME = 'values.schema.json';

/** Bounds for hostile schemas: nesting, $ref hops and subschemas visited. */
const MAX_DEPTH = 64;
const MAX_VISITS = 200_000;

interface Collected {
  values: JsonValue | undefined;
}

/** Path in the schema document of each default value (and of each map built from properties). */
type Origins = Map<string, ValuePath>;

const keyOf = (path: ValuePath) => JSON.stringify(path);

function resolvePointer(root: JsonValue, ref: string): { node: JsonValue; path: ValuePath } | undefined {
  if (!ref.startsWith('#/')) return undefined;
  const path: ValuePath = [];
  let node: JsonValue | undefined = root;
  for (const raw of ref.slice(2).split('/')) {
    const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (isMap(node) && Object.prototype.hasOwnProperty.call(node, seg)) {
      node = node[seg];
      path.push(seg);
    } else if (Array.isArray(node) && /^\d+$/.test(seg)) {
      node = node[Number(seg)];
      path.push(Number(seg));
    } else return undefined;
  }
  return node === undefined ? undefined : { node, path };
}

/** The defaults tree of a schema, and where each default is written in it. */
export function collectSchemaDefaults(schema: JsonValue): { values: JsonValue | undefined; origins: Origins } {
  const origins: Origins = new Map();
  let visits = 0;
  const walk = (node: JsonValue, valuesPath: ValuePath, schemaPath: ValuePath, refs: ReadonlySet<string>, depth: number): Collected => {
    if (!isMap(node) || depth > MAX_DEPTH || ++visits > MAX_VISITS) return { values: undefined };
    let result: JsonValue | undefined;
    const add = (more: JsonValue | undefined) => {
      if (more === undefined) return;
      result = result === undefined ? more : isMap(result) && isMap(more) ? mergeValues(result, more) : more;
    };
    if (typeof node.$ref === 'string' && !refs.has(node.$ref)) {
      const target = resolvePointer(schema, node.$ref);
      if (target) add(walk(target.node, valuesPath, target.path, new Set([...refs, node.$ref]), depth + 1).values);
    }
    if (Array.isArray(node.allOf)) {
      node.allOf.forEach((sub, i) => add(walk(sub, valuesPath, [...schemaPath, 'allOf', i], refs, depth + 1).values));
    }
    if (Object.prototype.hasOwnProperty.call(node, 'default')) {
      add(node.default);
      origins.set(keyOf(valuesPath), [...schemaPath, 'default']);
    }
    if (isMap(node.properties)) {
      let props: JsonMap | undefined;
      for (const [key, sub] of Object.entries(node.properties)) {
        const child = walk(sub, [...valuesPath, key], [...schemaPath, 'properties', key], refs, depth + 1).values;
        if (child !== undefined) (props ??= {})[key] = child;
      }
      if (props) {
        add(props);
        if (!origins.has(keyOf(valuesPath))) origins.set(keyOf(valuesPath), schemaPath);
      }
    }
    return { values: result };
  };
  const { values } = walk(schema, [], [], new Set(), 0);
  return { values, origins };
}

/**
 * A ValuesDocument whose values are the schema's defaults and whose `locate` answers with the
 * `default` node in the schema file: findings and hovers then say "values.schema.json line
 * 3330" for a value no values file sets.
 */
export function schemaDefaultsDocument(schemaDoc: ValuesDocument): ValuesDocument | undefined {
  if (!isMap(schemaDoc.values)) return undefined;
  const { values, origins } = collectSchemaDefaults(schemaDoc.values);
  if (!isMap(values) || Object.keys(values).length === 0) return undefined;
  const locate = (path: ValuePath): NodeLocation | undefined => {
    // The longest prefix that has an origin; the rest of the path goes inside that default value.
    for (let i = path.length; i >= 0; i--) {
      const at = origins.get(keyOf(path.slice(0, i)));
      if (!at) continue;
      const inside = at[at.length - 1] === 'default';
      if (!inside && i < path.length) return undefined; // a map built from properties: the key has no default
      return schemaDoc.locate([...at, ...path.slice(i)]);
    }
    return undefined;
  };
  return { ...schemaDoc, values, valuesIncomplete: false, problems: [], locate };
}

const cache = new Map<string, { text: string; doc: ValuesDocument | undefined }>();
const CACHE_MAX = 32;

/**
 * The defaults layer of the chart in `chartDir` (its values.schema.json), or undefined when
 * there is no schema, it does not parse, or it has no defaults. Cached per schema text.
 */
export function chartSchemaDefaults(chartDir: string, host: FileHost): ValuesDocument | undefined {
  const path = nodePath.join(chartDir, CHART_SCHEMA_NAME);
  const text = host.readFile(path);
  if (text === undefined) return undefined;
  const hit = cache.get(path);
  if (hit && hit.text === text) return hit.doc;
  // Most schemas set no default a template could render an image from. JSON.parse tells in a
  // millisecond; the YAML parse that gives each default its line costs ~50 ms on 175 KB.
  const doc = hasNoDefaults(text) ? undefined : parsedDefaults(path, text);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(path, { text, doc });
  return doc;
}

function hasNoDefaults(text: string): boolean {
  let schema: JsonValue;
  try {
    schema = JSON.parse(text) as JsonValue;
  } catch {
    return false; // the YAML parse below reports it unusable, or reads what JSON cannot
  }
  const { values } = collectSchemaDefaults(schema);
  return !isMap(values) || Object.keys(values).length === 0;
}

function parsedDefaults(path: string, text: string): ValuesDocument | undefined {
  const schemaDoc = parseValuesDocument(path, text);
  const usable = !schemaDoc.problems.some((p) => p.kind !== 'duplicate-key') && !schemaDoc.valuesIncomplete;
  return usable ? schemaDefaultsDocument(schemaDoc) : undefined;
}
