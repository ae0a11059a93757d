// Chart schemas shipped with airgap-lint (`schemas/charts/`, listed in shipped-charts.ts) and
// any registered at run time (tests, embedders). A bundled schema is a normal JSON Schema whose
// root carries
//   "x-airgap-chart": { "detect": { "chartNames": ["kubernaut"] } }
// It validates the values files of a chart whose Chart.yaml `name` is listed, when neither a
// modeline nor the chart's own values.schema.json nor the config names a schema, and its
// annotations are the chart knowledge of that chart (knowledge/).
import { SHIPPED_CHART_SCHEMAS } from './shipped-charts';

export interface BundledSchema {
  /** Shown in messages, e.g. `schemas/charts/kubernaut.schema.json`. */
  path: string;
  /** The schema's text (made on first use for the shipped ones: most lints never need it). */
  readonly text: string;
  /** The parsed schema, when it was registered or shipped as an object. */
  schema?: object;
  chartNames: string[];
}

const registry: BundledSchema[] = [];
let shipped: BundledSchema[] | undefined;

function chartNamesOf(parsed: unknown): string[] {
  const facts = (parsed as { 'x-airgap-chart'?: { detect?: { chartNames?: unknown }; name?: unknown } })?.['x-airgap-chart'];
  const names = Array.isArray(facts?.detect?.chartNames) ? facts.detect.chartNames.filter((n): n is string => typeof n === 'string') : [];
  if (typeof facts?.name === 'string' && !names.includes(facts.name)) names.push(facts.name);
  return names;
}

/** Registered schemas first (they may replace a shipped one), then the shipped ones. */
export function bundledSchemas(): readonly BundledSchema[] {
  shipped ??= SHIPPED_CHART_SCHEMAS.map((s) => {
    let text: string | undefined;
    return {
      path: s.path,
      schema: s.schema,
      chartNames: chartNamesOf(s.schema),
      get text() {
        return (text ??= JSON.stringify(s.schema));
      },
    };
  });
  return registry.length ? [...registry, ...shipped] : shipped;
}

/** Adds a bundled schema (text or parsed JSON); returns false when it declares no chart names. */
export function registerBundledSchema(path: string, schema: string | object): boolean {
  const text = typeof schema === 'string' ? schema : JSON.stringify(schema);
  let parsed: unknown;
  try {
    parsed = typeof schema === 'string' ? JSON.parse(schema) : schema;
  } catch {
    return false;
  }
  const names = chartNamesOf(parsed);
  if (!names.length) return false;
  const existing = registry.findIndex((b) => b.path === path);
  if (existing >= 0) registry.splice(existing, 1);
  registry.push({ path, text, chartNames: names });
  return true;
}

/** Removes every schema registered at run time (tests); the shipped ones stay. */
export function clearBundledSchemas(): void {
  registry.length = 0;
}
