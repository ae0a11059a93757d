// The documents an image of a values file is composed from: the file's layer stack (layers.ts),
// with the chart's schema defaults underneath when the file is an overlay (schema-defaults.ts).
// Shared by the layered image rules and the image hover, so both see the same images.
import * as nodePath from 'node:path';
import { type ChartInfo, readChartBeside } from '../chart';
import type { ResolvedConfig } from '../config';
import type { ValuesDocument } from '../document';
import { effectiveStack, mergeLayers, type MergedLayers } from '../layers';
import type { FileHost, JsonValue } from '../types';
import { chartSchemaDefaults } from './schema-defaults';

export interface ImageStackSource {
  readonly host: FileHost;
  getDocument(path: string): ValuesDocument | undefined;
}

export interface ImageStack {
  /** Base first, ending with the document itself. */
  docs: ValuesDocument[];
  /** The chart of the stack's base (else of the file). */
  chart?: ChartInfo;
  /** docs[0] is the chart's schema defaults (not a values file). */
  schemaDefaults: boolean;
  /** The merged values of `docs`: what Helm renders the images from. */
  readonly values: JsonValue;
}

export interface ImageStackOptions {
  /**
   * When the chart's schema defaults go underneath: for overlays only (the rules: a chart's own
   * values.yaml is never judged against its schema), or always (lists of what a chart pulls).
   */
  schemaDefaults?: 'overlays' | 'always';
  /** Leave out layers this says no to (the image list drops air-gap overlays to find the sources). */
  keepLayer?: (path: string) => boolean;
}

export function imageStack(doc: ValuesDocument, config: Pick<ResolvedConfig, 'layers'>, source: ImageStackSource, options: ImageStackOptions = {}): ImageStack {
  const effective = effectiveStack(doc, config, source);
  const docs = options.keepLayer ? effective.docs.filter((d) => options.keepLayer!(d.path)) : [...effective.docs];
  const chart = readChartBeside(effective.stack.files[0], source.host) ?? readChartBeside(doc.path, source.host);
  let schemaDefaults = false;
  if ((docs.length > 1 || options.schemaDefaults === 'always') && chart) {
    const defaults = chartSchemaDefaults(nodePath.dirname(chart.path), source.host);
    if (defaults) {
      docs.unshift(defaults);
      schemaDefaults = true;
    }
  }
  // A list of what the chart pulls also takes its subcharts' own defaults (charts/<name>/values.yaml),
  // under their keys and beneath the chart's values, as Helm merges them.
  if (options.schemaDefaults === 'always' && chart) {
    const subs = subchartDefaults(chart, source);
    if (subs.length) docs.splice(schemaDefaults ? 1 : 0, 0, ...subs);
  }
  let merged: MergedLayers | undefined;
  const out: ImageStack = {
    docs,
    schemaDefaults,
    get values() {
      if (docs.length === 1) return docs[0].values;
      merged ??= mergeLayers(docs);
      return merged.values;
    },
  };
  if (chart) out.chart = chart;
  return out;
}

const mounted = new WeakMap<ValuesDocument, { key: string; doc: ValuesDocument }>();

/** A subchart's values.yaml seen from its parent: its values under the dependency's key. */
function mountUnder(key: string, sub: ValuesDocument): ValuesDocument {
  const hit = mounted.get(sub);
  if (hit && hit.key === key) return hit.doc;
  const values = sub.values !== null && typeof sub.values === 'object' && !Array.isArray(sub.values) ? { [key]: sub.values } : {};
  const doc: ValuesDocument = { ...sub, values, locate: (path) => (path[0] === key ? sub.locate(path.slice(1)) : undefined) };
  mounted.set(sub, { key, doc });
  return doc;
}

/** The unpacked subcharts of a chart (`charts/<name>/values.yaml`), mounted under their keys. */
export function subchartDefaults(chart: ChartInfo, source: ImageStackSource): ValuesDocument[] {
  const out: ValuesDocument[] = [];
  const dir = nodePath.dirname(chart.path);
  for (const dep of chart.dependencies.slice(0, 50)) {
    const sub = source.getDocument(nodePath.join(dir, 'charts', dep.name, 'values.yaml'));
    if (sub) out.push(mountUnder(dep.key, sub));
  }
  return out;
}
