// The documents an image of a values file is composed from: the file's layer stack (layers.ts),
// with the chart's schema defaults underneath when the file is an overlay (schema-defaults.ts).
// Shared by the layered image rules and the image hover, so both see the same images.
import * as nodePath from 'node:path';
import { type ChartInfo, readChartBeside } from '../chart';
import type { ResolvedConfig } from '../config';
import type { ValuesDocument } from '../document';
import { findStack } from '../layers';
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
}

const usable = (values: JsonValue): boolean => values !== null && typeof values === 'object' && !Array.isArray(values);

export function imageStack(doc: ValuesDocument, config: Pick<ResolvedConfig, 'layers'>, source: ImageStackSource): ImageStack {
  const stack = findStack(doc.path, config, source.host);
  const docs: ValuesDocument[] = [];
  for (const file of stack.files.slice(0, -1)) {
    const layer = source.getDocument(file);
    // A missing or unusable layer is reported by the schema rules (config stacks) or its own lint.
    if (layer && usable(layer.values)) docs.push(layer);
  }
  const chart = readChartBeside(stack.files[0], source.host) ?? readChartBeside(doc.path, source.host);
  let schemaDefaults = false;
  if (docs.length && chart) {
    const defaults = chartSchemaDefaults(nodePath.dirname(chart.path), source.host);
    if (defaults) {
      docs.unshift(defaults);
      schemaDefaults = true;
    }
  }
  docs.push(doc);
  const out: ImageStack = { docs, schemaDefaults };
  if (chart) out.chart = chart;
  return out;
}
