// Reads the chart knowledge out of one annotated schema: `x-airgap-chart` on the root and every
// `x-airgap` with the values path it sits at. A schema is read once per content (the result
// is cached by text), whoever asks: proxy rules, image rules, hover, the allowlist.
//
// Where an annotation sits gives its values path: `properties.K` → K, `items` / `prefixItems`
// → any index, `additionalProperties` / `patternProperties` → any key; local `$ref`s are
// followed (each definition at most once per path, so recursive schemas end), and the branches
// of `allOf`/`anyOf`/`oneOf`/`if`/`then`/`else` are read as if merged. Bounded for hostile
// schemas (depth, visits).
import type { JsonValue } from '../types';
import { checkCondition, conditionPaths } from './conditions';
import { ANY, parsePath, patternText } from './paths';
import { readChartFacts, readValueFacts, type ChartFacts, type ValueFacts, type VocabularyProblem } from './vocabulary';

export interface LocatedFacts {
  /** Values path pattern (`*` = any key or index). */
  pattern: string[];
  /** JSON pointer of the `x-airgap` object in the schema. */
  pointer: string;
  facts: ValueFacts;
}

export interface SchemaKnowledge {
  chart: ChartFacts;
  /** Whether the root carries `x-airgap-chart` (a chart schema rather than a plain one). */
  hasChartFacts: boolean;
  values: LocatedFacts[];
  problems: VocabularyProblem[];
}

type JsonMap = { [k: string]: JsonValue };
const isMap = (v: JsonValue | undefined): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

const MAX_DEPTH = 64;
const MAX_VISITS = 100_000;
const MAX_ANNOTATIONS = 20_000;

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function resolveLocalRef(root: JsonValue, ref: string): { node: JsonValue; pointer: string } | undefined {
  if (ref === '#') return { node: root, pointer: '' };
  if (!ref.startsWith('#/')) return undefined;
  let node: JsonValue | undefined = root;
  for (const raw of ref.slice(2).split('/')) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (isMap(node) && Object.prototype.hasOwnProperty.call(node, seg)) node = node[seg];
    else if (Array.isArray(node) && /^\d+$/.test(seg)) node = node[Number(seg)];
    else return undefined;
  }
  return node === undefined ? undefined : { node, pointer: ref.slice(1) };
}

/**
 * Reads a parsed schema. Never throws. The chart facts (`x-airgap-chart`) are read at once: they
 * decide which chart a schema describes. The values' annotations are walked on first use, so a
 * catalog of schemas costs only their roots until one of them applies.
 */
export function readSchemaKnowledge(schema: JsonValue): SchemaKnowledge {
  const rootProblems: VocabularyProblem[] = [];
  const rootFacts = isMap(schema) ? schema['x-airgap-chart'] : undefined;
  const chart = readChartFacts(rootFacts, '/x-airgap-chart', rootProblems);
  let walked: { values: LocatedFacts[]; problems: VocabularyProblem[] } | undefined;
  const walk = () => (walked ??= walkAnnotations(schema, rootFacts, rootProblems));
  return {
    chart,
    hasChartFacts: rootFacts !== undefined,
    get values() {
      return walk().values;
    },
    get problems() {
      return walk().problems;
    },
  };
}

function walkAnnotations(schema: JsonValue, rootFacts: JsonValue | undefined, rootProblems: VocabularyProblem[]): { values: LocatedFacts[]; problems: VocabularyProblem[] } {
  const problems: VocabularyProblem[] = [...rootProblems];
  const values: LocatedFacts[] = [];
  let visits = 0;
  let truncated = false;
  const visit = (node: JsonValue, pointer: string, path: string[], refs: ReadonlySet<string>, depth: number): void => {
    if (!isMap(node)) return;
    if (++visits > MAX_VISITS || depth > MAX_DEPTH || values.length >= MAX_ANNOTATIONS) {
      truncated = true;
      return;
    }
    if (node['x-airgap'] !== undefined) {
      const facts = readValueFacts(node['x-airgap'], `${pointer}/x-airgap`, problems);
      if (Object.keys(facts).length) values.push({ pattern: path, pointer: `${pointer}/x-airgap`, facts });
    }
    const ref = node.$ref;
    if (typeof ref === 'string' && !refs.has(ref)) {
      const target = resolveLocalRef(schema, ref);
      if (target) visit(target.node, target.pointer, path, new Set([...refs, ref]), depth + 1);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = node[key];
      if (Array.isArray(list)) list.forEach((branch, i) => visit(branch, `${pointer}/${key}/${i}`, path, refs, depth + 1));
    }
    for (const key of ['if', 'then', 'else'] as const) if (isMap(node[key])) visit(node[key], `${pointer}/${key}`, path, refs, depth + 1);
    const props = node.properties;
    if (isMap(props)) for (const [k, sub] of Object.entries(props)) visit(sub, `${pointer}/properties/${escape(k)}`, [...path, k], refs, depth + 1);
    const pattern = node.patternProperties;
    if (isMap(pattern)) for (const [k, sub] of Object.entries(pattern)) visit(sub, `${pointer}/patternProperties/${escape(k)}`, [...path, ANY], refs, depth + 1);
    if (isMap(node.additionalProperties)) visit(node.additionalProperties, `${pointer}/additionalProperties`, [...path, ANY], refs, depth + 1);
    const items = node.items;
    if (isMap(items)) visit(items, `${pointer}/items`, [...path, ANY], refs, depth + 1);
    else if (Array.isArray(items)) items.forEach((it, i) => visit(it, `${pointer}/items/${i}`, [...path, ANY], refs, depth + 1));
    if (Array.isArray(node.prefixItems)) node.prefixItems.forEach((it, i) => visit(it, `${pointer}/prefixItems/${i}`, [...path, ANY], refs, depth + 1));
  };

  // Only a schema that mentions the vocabulary is walked: most charts' own schemas do not.
  if (isMap(schema)) visit(schema, '', [], new Set(), 0);
  // Paths inside annotations must name values the chart has, where the schema says so.
  if (rootFacts !== undefined) checkAnnotationPaths(schema, rootFacts, '/x-airgap-chart', problems);
  for (const v of values) checkAnnotationPaths(schema, annotationAt(schema, v.pointer), v.pointer, problems);
  if (truncated) problems.push({ pointer: '', message: `the schema is too large or too deep to read all of its annotations (read ${values.length})` });
  return { values, problems };
}

function annotationAt(schema: JsonValue, pointer: string): JsonValue | undefined {
  let node: JsonValue | undefined = schema;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (isMap(node)) node = node[seg];
    else if (Array.isArray(node)) node = node[Number(seg)];
    else return undefined;
  }
  return node;
}

/**
 * False only when the schema certainly has no value at `path`: a level that lists its
 * `properties` and forbids others (`additionalProperties: false`). Composition and `$ref` make
 * it uncertain, and an uncertain path is accepted (a permissive schema says nothing).
 */
function pathMayExist(schema: JsonValue, path: readonly string[]): boolean {
  let node: JsonValue | undefined = schema;
  for (const seg of path) {
    if (!isMap(node)) return true;
    if (node.$ref !== undefined || node.allOf || node.anyOf || node.oneOf || node.if) return true;
    const props: JsonMap | undefined = isMap(node.properties) ? node.properties : undefined;
    if (seg !== ANY && props && Object.prototype.hasOwnProperty.call(props, seg)) node = props[seg];
    else if ((seg === ANY || /^\d+$/.test(seg)) && isMap(node.items)) node = node.items;
    else if (isMap(node.additionalProperties)) node = node.additionalProperties;
    else if (node.additionalProperties === false && !node.patternProperties && seg !== ANY) return false;
    else return true;
  }
  return true;
}

/** Every `when` and `hostFrom` inside an annotation, checked against the schema's own structure. */
function checkAnnotationPaths(schema: JsonValue, annotation: JsonValue | undefined, pointer: string, problems: VocabularyProblem[]): void {
  let budget = 10_000;
  const check = (path: string[] | undefined, at: string, what: string) => {
    if (path && !pathMayExist(schema, path)) problems.push({ pointer: at, message: `${what}: ${patternText(path)} does not exist in this schema (no such key where the schema allows no others)` });
  };
  const walk = (node: JsonValue | undefined, at: string, depth: number): void => {
    if (budget-- <= 0 || depth > 32) return;
    if (Array.isArray(node)) node.forEach((x, i) => walk(x, `${at}/${i}`, depth + 1));
    else if (isMap(node)) {
      for (const [k, v] of Object.entries(node)) {
        const here = `${at}/${escape(k)}`;
        if (k === 'when') {
          const c = checkCondition(v).condition;
          if (c) for (const p of conditionPaths(c)) check(p, here, 'when');
        } else if (k === 'hostFrom' && typeof v === 'string') check(parsePath(v), here, 'hostFrom');
        else walk(v, here, depth + 1);
      }
    }
  };
  walk(annotation, pointer, 0);
}

const byObject = new WeakMap<object, SchemaKnowledge>();

/** The knowledge of an already parsed schema (the shipped ones), cached by the object. */
export function schemaKnowledgeOfObject(schema: object): SchemaKnowledge {
  let k = byObject.get(schema);
  if (!k) {
    k = readSchemaKnowledge(schema as JsonValue);
    byObject.set(schema, k);
  }
  return k;
}

const cache = new Map<string, SchemaKnowledge | undefined>();
const CACHE_MAX = 64;

/** The knowledge of a schema text (cached by content); undefined when the text has no annotations or is not JSON. */
export function schemaKnowledgeOfText(text: string): SchemaKnowledge | undefined {
  if (cache.has(text)) return cache.get(text);
  let result: SchemaKnowledge | undefined;
  // A cheap test first: a chart's own values.schema.json rarely carries annotations.
  if (text.includes('"x-airgap')) {
    try {
      result = readSchemaKnowledge(JSON.parse(text) as JsonValue);
    } catch {
      result = undefined; // not JSON: the schema rules report that
    }
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(text, result);
  return result;
}
