// Turns a parsed JSON Schema into what ajv compiles, without ever going online: picks the
// dialect from `$schema`, converts draft-04 spellings, finds every `$ref` and decides whether
// it resolves (same document, an `$id` inside the schema, a built-in meta-schema or a local
// file read through the FileHost). Unresolvable refs are removed from the copy, so that
// subschema validates everything, and reported once as `schema/unresolved-ref`.
import * as nodePath from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { FileHost } from '../types';

export type Dialect = 'draft-07' | '2019-09' | '2020-12';

const DIALECT_BY_META: Record<string, Dialect | 'draft-04'> = {
  'http://json-schema.org/draft-04/schema': 'draft-04',
  'http://json-schema.org/draft-06/schema': 'draft-07',
  'http://json-schema.org/draft-07/schema': 'draft-07',
  // The unversioned "latest" URI of the old drafts, as Bitnami charts write it.
  'http://json-schema.org/schema': 'draft-07',
  'https://json-schema.org/draft/2019-09/schema': '2019-09',
  'https://json-schema.org/draft/2020-12/schema': '2020-12',
};

/** `$schema` URI → dialect; undefined when unknown. Tolerates https/http and a trailing `#`. */
export function dialectOfMetaUri(uri: string): Dialect | 'draft-04' | undefined {
  const norm = uri.trim().replace(/#$/, '');
  return DIALECT_BY_META[norm] ?? DIALECT_BY_META[norm.replace(/^https:\/\/json-schema\.org\/(draft-0|schema)/, 'http://json-schema.org/$1')];
}

// Keywords whose value is one subschema, an array of subschemas, or a map of subschemas.
const SCHEMA_KEYWORDS = new Set([
  'additionalProperties', 'additionalItems', 'contains', 'propertyNames', 'not', 'if', 'then', 'else',
  'unevaluatedProperties', 'unevaluatedItems', 'contentSchema', 'items',
]);
const SCHEMA_ARRAY_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas']);
// Keywords whose value is data, never a schema: nothing inside them is a `$ref` or `$id`.
const DATA_KEYWORDS = new Set([
  'enum', 'const', 'default', 'examples', 'required', 'type', 'title', 'description', '$comment',
  'format', 'pattern', 'dependentRequired', '$vocabulary', 'deprecated', 'readOnly', 'writeOnly',
  'contentMediaType', 'contentEncoding',
]);
const REF_KEYWORDS = ['$ref', '$dynamicRef'];
/** Schemas referenced through files: at most this many are loaded (a cycle of files stops here too). */
const MAX_EXTERNAL_DOCUMENTS = 50;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type SchemaObject = { [k: string]: Json };

/** Where a subschema object of the prepared copy sits: which document, which JSON pointer. */
export interface SchemaLocation {
  docKey: string;
  pointer: string;
}

export interface ExternalDocument {
  path: string;
  /** URI the document is registered under in ajv. */
  key: string;
  text: string;
  schema: Json;
}

export interface PreparedSchema {
  dialect: Dialect;
  /** Key of the root document in ajv (its file URL). */
  rootKey: string;
  root: Json;
  externals: ExternalDocument[];
  /** Refs and `$schema` values that could not be resolved offline. */
  unresolved: string[];
  /** The `$schema` value when it names no known meta-schema. */
  unknownMeta?: string;
  locations: WeakMap<object, SchemaLocation>;
  /** Resolves a `$ref` met in the prepared copy, for callers walking subschemas (did-you-mean). */
  resolveRef(holder: object, ref: string): Json | undefined;
  /** Base URI in effect at a subschema object. */
  baseOf: WeakMap<object, string>;
}

interface RefRecord {
  holder: SchemaObject;
  keyword: string;
  ref: string;
  base: string;
  /** File URL of the document the ref is written in. */
  docKey: string;
}

export function isObject(v: unknown): v is SchemaObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stripFragment(uri: string): string {
  const i = uri.indexOf('#');
  return i < 0 ? uri : uri.slice(0, i);
}

function fragmentOf(uri: string): string {
  const i = uri.indexOf('#');
  return i < 0 ? '' : uri.slice(i + 1);
}

function resolveUri(ref: string, base: string): string {
  try {
    return new URL(ref, base).href;
  } catch {
    // A base that is not a URL (an `$id` like "my-schema"): only fragments can be resolved.
    return ref.startsWith('#') ? stripFragment(base) + ref : ref;
  }
}

export function escapePointerSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function resolvePointer(root: Json, fragment: string): Json | undefined {
  if (fragment === '' || fragment === '/') return fragment === '' ? root : undefined;
  let node: Json | undefined = root;
  for (const raw of fragment.slice(1).split('/')) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (Array.isArray(node)) node = /^\d+$/.test(seg) ? node[Number(seg)] : undefined;
    else if (isObject(node)) node = Object.prototype.hasOwnProperty.call(node, seg) ? node[seg] : undefined;
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Parses schema text: JSON, or YAML for `.yaml`/`.yml` schemas (as yaml-language-server allows). */
export function parseSchemaText(text: string, path: string): { schema?: Json; error?: string } {
  try {
    return { schema: JSON.parse(text.replace(/^\uFEFF/, '')) as Json };
  } catch (err) {
    if (/\.ya?ml$/i.test(path)) {
      try {
        return { schema: parseYaml(text) as Json };
      } catch (yamlErr) {
        return { error: (yamlErr as Error).message.split('\n')[0] };
      }
    }
    return { error: (err as Error).message };
  }
}

class Preparer {
  readonly locations = new WeakMap<object, SchemaLocation>();
  readonly baseOf = new WeakMap<object, string>();
  /** Absolute URI (no fragment) of each schema resource → its prepared copy. */
  readonly resources = new Map<string, Json>();
  readonly anchors = new Map<string, Json>();
  readonly refs: RefRecord[] = [];

  constructor(private readonly draft04: boolean) {}

  /** Copies a subschema, recording locations, ids, anchors and refs on the way. */
  schema(node: Json, base: string, docKey: string, pointer: string, depth: number): Json {
    if (!isObject(node) || depth > 200) return node;
    const out: SchemaObject = {};
    let here = base;
    const idValue = typeof node.$id === 'string' ? node.$id : this.draft04 && typeof node.id === 'string' ? node.id : undefined;
    if (idValue !== undefined) {
      if (idValue.startsWith('#')) this.anchors.set(stripFragment(base) + idValue, out);
      else {
        here = resolveUri(idValue, base);
        this.resources.set(stripFragment(here), out);
        const frag = fragmentOf(here);
        if (frag && !frag.startsWith('/')) this.anchors.set(stripFragment(here) + '#' + frag, out);
      }
    }
    for (const k of ['$anchor', '$dynamicAnchor']) {
      if (typeof node[k] === 'string') this.anchors.set(stripFragment(here) + '#' + node[k], out);
    }
    for (const [key, value] of Object.entries(node)) {
      const p = `${pointer}/${escapePointerSegment(key)}`;
      if (key === '$schema') continue; // the dialect is chosen once, from the root
      if (this.draft04 && key === 'id' && typeof value === 'string') {
        out.$id = value;
        continue;
      }
      if (REF_KEYWORDS.includes(key) && typeof value === 'string') {
        out[key] = value;
        this.refs.push({ holder: out, keyword: key, ref: value, base: here, docKey });
      } else if (DATA_KEYWORDS.has(key) || key.startsWith('x-')) {
        out[key] = value; // shared, never mutated
      } else if (SCHEMA_ARRAY_KEYWORDS.has(key) && Array.isArray(value)) {
        out[key] = value.map((v, i) => this.schema(v, here, docKey, `${p}/${i}`, depth + 1));
      } else if (SCHEMA_KEYWORDS.has(key)) {
        out[key] = this.schema(value, here, docKey, p, depth + 1);
      } else if (SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)) {
        const map: SchemaObject = {};
        for (const [name, sub] of Object.entries(value)) {
          map[name] = this.schema(sub, here, docKey, `${p}/${escapePointerSegment(name)}`, depth + 1);
        }
        out[key] = map;
      } else if (key === 'dependencies' && isObject(value)) {
        const map: SchemaObject = {};
        for (const [name, sub] of Object.entries(value)) {
          map[name] = Array.isArray(sub) ? sub : this.schema(sub, here, docKey, `${p}/${escapePointerSegment(name)}`, depth + 1);
        }
        out[key] = map;
      } else if (isObject(value) || Array.isArray(value)) {
        // An unknown keyword: a `$ref` may point into it (OpenAPI-style "components"), so
        // treat objects inside it as possible schemas.
        out[key] = this.unknown(value, here, docKey, p, depth + 1);
      } else out[key] = value;
    }
    if (this.draft04) convertDraft04Bounds(out);
    this.locations.set(out, { docKey, pointer });
    this.baseOf.set(out, here);
    return out;
  }

  private unknown(value: Json, base: string, docKey: string, pointer: string, depth: number): Json {
    if (depth > 200) return value;
    if (Array.isArray(value)) return value.map((v, i) => this.unknown(v, base, docKey, `${pointer}/${i}`, depth + 1));
    if (isObject(value)) return this.schema(value, base, docKey, pointer, depth);
    return value;
  }
}

/** Draft-04 wrote exclusive bounds as booleans beside minimum/maximum. */
function convertDraft04Bounds(s: SchemaObject): void {
  for (const [bound, exclusive] of [['maximum', 'exclusiveMaximum'], ['minimum', 'exclusiveMinimum']] as const) {
    if (typeof s[exclusive] === 'boolean') {
      if (s[exclusive] === true && typeof s[bound] === 'number') {
        s[exclusive] = s[bound];
        delete s[bound];
      } else delete s[exclusive];
    }
  }
}

/** Keywords that only 2019-09/2020-12 have: a schema without `$schema` that uses them is 2020-12. */
const MODERN_KEYWORD = /"(\$defs|prefixItems|unevaluatedProperties|unevaluatedItems|dependentRequired|dependentSchemas|\$anchor|\$dynamicRef)"\s*:/;

export interface PrepareInput {
  schema: Json;
  /** Raw text, for the dialect guess when `$schema` is absent. */
  text: string;
  path: string;
  host: FileHost;
  /** Whether ajv for a dialect knows a meta-schema URI (no fragment). */
  hasMeta(dialect: Dialect, uri: string): boolean;
}

export function prepareSchema(input: PrepareInput): PreparedSchema {
  const root = input.schema;
  let dialect: Dialect = 'draft-07';
  let draft04 = false;
  let unknownMeta: string | undefined;
  const declared = isObject(root) && typeof root.$schema === 'string' ? root.$schema : undefined;
  if (declared !== undefined) {
    const d = dialectOfMetaUri(declared);
    if (d === 'draft-04') draft04 = true;
    else if (d) dialect = d;
    else {
      unknownMeta = declared;
      if (MODERN_KEYWORD.test(input.text)) dialect = '2020-12';
    }
  } else if (MODERN_KEYWORD.test(input.text)) {
    // No `$schema`: Helm 3.18+ validates with a 2020-12 default; draft-07 schemas rarely use these.
    dialect = '2020-12';
  }

  const preparer = new Preparer(draft04);
  const rootKey = pathToFileURL(input.path).href;
  const preparedRoot = preparer.schema(root, rootKey, rootKey, '', 0);
  preparer.resources.set(rootKey, preparedRoot);
  if (isObject(preparedRoot) && typeof preparedRoot.$id === 'string') {
    preparer.resources.set(stripFragment(resolveUri(preparedRoot.$id, rootKey)), preparedRoot);
  }

  const externals: ExternalDocument[] = [];
  const unresolved: string[] = [];
  const failedFiles = new Set<string>();
  const fileOfDoc = new Map<string, string>();
  const check = (target: Json | undefined, fragment: string): boolean => {
    if (target === undefined) return false;
    if (fragment === '' || fragment.startsWith('/')) return resolvePointer(target, fragment) !== undefined;
    return false;
  };
  for (let i = 0; i < preparer.refs.length; i++) {
    const rec = preparer.refs[i];
    const abs = resolveUri(rec.ref, rec.base);
    const doc = stripFragment(abs);
    const frag = fragmentOf(abs);
    let ok = false;
    if (frag && !frag.startsWith('/')) {
      ok = preparer.anchors.has(`${doc}#${frag}`);
    } else if (preparer.resources.has(doc)) {
      ok = check(preparer.resources.get(doc), frag);
    } else if (input.hasMeta(dialect, doc)) {
      ok = true;
    } else if (!failedFiles.has(doc) && externals.length < MAX_EXTERNAL_DOCUMENTS) {
      // A local file: the ref resolves to one, or it is relative and resolves to a remote URL
      // only because the schema declares a remote `$id`; charts ship such sibling files beside
      // the schema, so the copy next to the referring file is used, under the URI ajv asks for.
      const referrerFile = fileOfDoc.get(rec.docKey) ?? rec.docKey;
      const fileUri = doc.startsWith('file:') ? doc : isRelativeRef(rec.ref) ? stripFragment(resolveUri(rec.ref, referrerFile)) : undefined;
      const loaded = fileUri?.startsWith('file:') ? loadExternal(fileUri, doc, input.host) : undefined;
      if (loaded) {
        externals.push(loaded);
        // Locations use the key ajv knows the document by; relative refs inside it fall back to
        // files beside the file it was read from.
        fileOfDoc.set(doc, fileUri as string);
        const prepared = preparer.schema(loaded.schema, doc, doc, '', 0);
        loaded.schema = prepared;
        preparer.resources.set(doc, prepared);
        ok = check(prepared, frag);
      } else failedFiles.add(doc);
    }
    if (!ok) {
      delete rec.holder[rec.keyword];
      unresolved.push(describeRef(rec.ref, abs));
    }
  }
  if (unknownMeta !== undefined) unresolved.unshift(`$schema ${unknownMeta}`);

  const resolveRef = (holder: object, ref: string): Json | undefined => {
    const base = preparer.baseOf.get(holder) ?? rootKey;
    const abs = resolveUri(ref, base);
    const doc = stripFragment(abs);
    const frag = fragmentOf(abs);
    if (frag && !frag.startsWith('/')) return preparer.anchors.get(`${doc}#${frag}`);
    const target = preparer.resources.get(doc);
    return target === undefined ? undefined : resolvePointer(target, frag);
  };

  return {
    dialect,
    rootKey,
    root: preparedRoot,
    externals,
    unresolved: [...new Set(unresolved)],
    unknownMeta,
    locations: preparer.locations,
    baseOf: preparer.baseOf,
    resolveRef,
  };
}

function describeRef(ref: string, abs: string): string {
  if (abs.startsWith('file:')) {
    try {
      return `${ref} (${nodePath.normalize(fileURLToPath(stripFragment(abs)))} is missing or has no such location)`;
    } catch {
      return ref;
    }
  }
  return ref;
}

function isRelativeRef(ref: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(ref) && !ref.startsWith('#');
}

/** Reads the schema file at `fileUri`, to be registered in ajv under `key`. */
function loadExternal(fileUri: string, key: string, host: FileHost): ExternalDocument | undefined {
  let path: string;
  try {
    path = fileURLToPath(fileUri);
  } catch {
    return undefined;
  }
  const text = host.readFile(path);
  if (text === undefined) return undefined;
  const parsed = parseSchemaText(text, path);
  if (parsed.schema === undefined) return undefined;
  return { path, key, text, schema: parsed.schema };
}
