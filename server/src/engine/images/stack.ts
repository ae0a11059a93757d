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
