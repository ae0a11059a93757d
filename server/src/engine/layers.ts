// Layer stacks and Helm's merge. A values overlay means little alone: Helm installs
// `helm install -f values.yaml -f values-ocp.yaml -f values-airgap.yaml` as the merge of all
// three, and each rule that judges effective values must also say which file a value came from.
//
// Where a file's stack comes from:
// - `layers:` in the config: the first stack that lists the file; the file's stack is the
//   layers up to and including it (later layers are its overlays);
// - otherwise, by default, a `values-*.yaml` / `values.*.yaml` (or `.yml`) beside a
//   `Chart.yaml` and a `values.yaml` is stacked on that `values.yaml`: [values.yaml, file].
//   Sibling overlays are not stacked on each other (only the config can say they are);
//   the chart's `values.yaml` is then the base of each of them.
//
// The merge is Helm's: maps merge key by key, lists and scalars replace, and `null` in an
// overlay deletes the key (Helm's coalescing removes null-valued keys it merges over; a null
// in the base layer stays, as it does in a chart's defaults).
import * as nodePath from 'node:path';
import type { ResolvedConfig } from './config';
import type { NodeLocation, ValuesDocument } from './document';
import type { FileHost, JsonValue, ValuePath } from './types';

export interface LayerStack {
  /** Absolute paths, base first, ending with the file itself. */
  files: string[];
  /** Files layered above this one (its overlays), in order; for implicit stacks, the sibling overlays. */
  overlays: string[];
  /** Where the stack comes from: the config's `layers`, the chart convention, or none (a lone file). */
  source: 'config' | 'implicit' | 'single';
}

const OVERLAY_NAME = /^values(-.+|\..+)\.ya?ml$/i;
const BASE_NAMES = ['values.yaml', 'values.yml'];

function isOverlayName(name: string): boolean {
  return OVERLAY_NAME.test(name) && !BASE_NAMES.includes(name.toLowerCase());
}

/** The layer stack of `path` (absolute). Reads only Chart.yaml/values.yaml presence and, for a base, its folder listing. */
export function findStack(path: string, config: Pick<ResolvedConfig, 'layers'>, host: FileHost): LayerStack {
  const abs = nodePath.resolve(path);
  for (const stack of config.layers) {
    const files = dedupe(stack.map((p) => nodePath.resolve(p)));
    const i = files.indexOf(abs);
    if (i >= 0) return { files: files.slice(0, i + 1), overlays: files.slice(i + 1), source: 'config' };
  }
  const dir = nodePath.dirname(abs);
  const name = nodePath.basename(abs);
  const isChart = () => host.readFile(nodePath.join(dir, 'Chart.yaml')) !== undefined;
  if (isOverlayName(name)) {
    const base = nodePath.join(dir, 'values.yaml');
    if (isChart() && host.readFile(base) !== undefined) return { files: [base, abs], overlays: [], source: 'implicit' };
  } else if (BASE_NAMES.includes(name) && isChart()) {
    const overlays = (host.listDir?.(dir) ?? [])
      .filter(isOverlayName)
      .sort()
      .map((n) => nodePath.join(dir, n));
    if (overlays.length && name === 'values.yaml') return { files: [abs], overlays, source: 'implicit' };
  }
  return { files: [abs], overlays: [], source: 'single' };
}

/**
 * Files whose stack includes `path` below them: what to re-lint when `path` changes. Covers
 * config stacks and the chart convention (a chart's values.yaml → its sibling overlays).
 */
export function dependentsOf(path: string, config: Pick<ResolvedConfig, 'layers'>, host: FileHost): string[] {
  const abs = nodePath.resolve(path);
  const out = new Set<string>();
  for (const stack of config.layers) {
    const files = dedupe(stack.map((p) => nodePath.resolve(p)));
    const i = files.indexOf(abs);
    if (i >= 0) for (const f of files.slice(i + 1)) out.add(f);
  }
  if (!out.size) for (const f of findStack(abs, config, host).overlays) out.add(f);
  return [...out];
}

function dedupe(files: string[]): string[] {
  return [...new Set(files)];
}

// ---------------------------------------------------------------- merge

type JsonMap = { [k: string]: JsonValue };

function isMap(v: JsonValue | undefined): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An overlay subtree with no counterpart below: its null-valued keys delete nothing and vanish. */
function withoutNulls(v: JsonValue): JsonValue {
  if (!isMap(v)) return v;
  let out: JsonMap | undefined;
  for (const [k, child] of Object.entries(v)) {
    const stripped = child === null ? undefined : withoutNulls(child);
    if (stripped !== child) {
      out ??= { ...v };
      if (stripped === undefined) delete out[k];
      else out[k] = stripped;
    }
  }
  return out ?? v;
}

/** Helm's merge of an overlay onto lower values; shares unchanged subtrees, never mutates inputs. */
export function mergeValues(lower: JsonValue, upper: JsonValue): JsonValue {
  if (!isMap(upper)) return upper === null ? lower : upper;
  if (!isMap(lower)) return withoutNulls(upper);
  const out: JsonMap = { ...lower };
  for (const [k, v] of Object.entries(upper)) {
    if (v === null) delete out[k];
    else if (isMap(v) && isMap(out[k])) out[k] = mergeValues(out[k], v);
    else out[k] = withoutNulls(v);
  }
  return out;
}

/** Values as Helm reads a file: an empty file is an empty map. */
export function effectiveValues(doc: ValuesDocument): JsonValue {
  return doc.values ?? {};
}

function valueAt(values: JsonValue, path: ValuePath): JsonValue | undefined {
  let node: JsonValue | undefined = values;
  for (const seg of path) {
    if (Array.isArray(node) && typeof seg === 'number') node = node[seg];
    else if (isMap(node) && Object.prototype.hasOwnProperty.call(node, String(seg))) node = node[String(seg)];
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

export interface MergedLayers {
  /** The documents of the stack, base first. */
  docs: ValuesDocument[];
  /** The effective values. */
  values: JsonValue;
  /**
   * Index in `docs` of the layer a value comes from: the topmost layer that sets `path`. For a
   * map merged from several layers that is the highest one contributing; for anything inside a
   * list, the layer whose list won. undefined when no layer sets it.
   */
  originOf(path: ValuePath): number | undefined;
  /** Where the value at `path` is written: the origin layer's document and the node in it. */
  locate(path: ValuePath): { doc: ValuesDocument; layer: number; location: NodeLocation | undefined } | undefined;
}

const mergeCache = new WeakMap<ValuesDocument, { docs: ValuesDocument[]; merged: MergedLayers }>();

/** Merges a stack of parsed documents (base first). Cached while every document is unchanged. */
export function mergeLayers(docs: ValuesDocument[]): MergedLayers {
  const top = docs[docs.length - 1];
  const cached = top ? mergeCache.get(top) : undefined;
  if (cached && cached.docs.length === docs.length && cached.docs.every((d, i) => d === docs[i])) return cached.merged;
  let values: JsonValue = docs.length ? effectiveValues(docs[0]) : {};
  for (const doc of docs.slice(1)) values = mergeValues(values, effectiveValues(doc));
  const originOf = (path: ValuePath): number | undefined => {
    for (let i = docs.length - 1; i >= 0; i--) {
      const v = valueAt(effectiveValues(docs[i]), path);
      // A null in an overlay deleted the key: it is not where a value comes from.
      if (v !== undefined && !(v === null && i > 0)) return i;
    }
    return undefined;
  };
  const merged: MergedLayers = {
    docs,
    values,
    originOf,
    locate(path) {
      const layer = originOf(path);
      if (layer === undefined) return undefined;
      const doc = docs[layer];
      return { doc, layer, location: doc.locate(path) };
    },
  };
  if (top) mergeCache.set(top, { docs: [...docs], merged });
  return merged;
}

// ---------------------------------------------------------------- a file's effective values

/** What the effective values need from an Engine (the Engine and a LintContext satisfy it). */
export interface StackSource {
  readonly host: FileHost;
  getDocument(path: string): ValuesDocument | undefined;
}

/**
 * The merged values of a file's layer stack, with provenance: one engine function that every
 * reader of a stack uses (schema validation, image rules, proxy lookups of lower layers, the
 * hovers, "Show Effective Values", the allowlist and the image list).
 */
export interface EffectiveStack {
  stack: LayerStack;
  /** The readable layers whose values Helm can merge (a map, or an empty file), base first, ending with the file. */
  docs: ValuesDocument[];
  /** Layer files that cannot be read (missing, a folder, too large). */
  missing: string[];
  /** Layers whose top level is a list or a scalar: Helm cannot merge them, so they are left out. */
  unusable: string[];
  /** The merged values, each value located in the layer it comes from. */
  readonly merged: MergedLayers;
}

const isMergeable = (values: JsonValue): boolean => values === null || (typeof values === 'object' && !Array.isArray(values));

const stackCache = new WeakMap<ValuesDocument, { config: object; docs: ValuesDocument[]; result: EffectiveStack }>();

/**
 * The effective stack of `doc` (a document the source returned for its path). Cached per
 * document and configuration while every layer is the same parsed document (the engine
 * re-parses a layer only when its text changes).
 */
export function effectiveStack(doc: ValuesDocument, config: Pick<ResolvedConfig, 'layers'>, source: StackSource): EffectiveStack {
  const stack = findStack(doc.path, config, source.host);
  const docs: ValuesDocument[] = [];
  const missing: string[] = [];
  const unusable: string[] = [];
  for (const file of stack.files.slice(0, -1)) {
    const layer = source.getDocument(file);
    if (!layer) missing.push(file);
    else if (!isMergeable(layer.values)) unusable.push(file);
    else docs.push(layer);
  }
  docs.push(doc);
  const hit = stackCache.get(doc);
  if (hit && hit.config === config && hit.docs.length === docs.length && hit.docs.every((d, i) => d === docs[i])) return hit.result;
  let merged: MergedLayers | undefined;
  const result: EffectiveStack = {
    stack,
    docs,
    missing,
    unusable,
    get merged() {
      merged ??= mergeLayers(docs);
      return merged;
    },
  };
  stackCache.set(doc, { config, docs, result });
  return result;
}
