// Chart schemas shipped with airgap-lint (`schemas/charts/`). None ship yet; this is the hook:
// a bundled schema is a normal JSON Schema whose root carries
//   "x-airgap-chart": { "detect": { "chartNames": ["kubernaut"] } }
// and it validates the values files of a chart whose Chart.yaml `name` is listed, when neither
// a modeline nor the chart's own values.schema.json nor the config names a schema.
// The build can register them from JSON imports (esbuild inlines them), so nothing is read
// from the extension folder at run time.

export interface BundledSchema {
  /** Shown in messages, e.g. `schemas/charts/kubernaut.schema.json`. */
  path: string;
  text: string;
  chartNames: string[];
}

const registry: BundledSchema[] = [];

export function bundledSchemas(): readonly BundledSchema[] {
  return registry;
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
  const detect = (parsed as { 'x-airgap-chart'?: { detect?: { chartNames?: unknown } } })?.['x-airgap-chart']?.detect;
  const names = Array.isArray(detect?.chartNames) ? detect.chartNames.filter((n): n is string => typeof n === 'string') : [];
  if (!names.length) return false;
  const existing = registry.findIndex((b) => b.path === path);
  if (existing >= 0) registry.splice(existing, 1);
  registry.push({ path, text, chartNames: names });
  return true;
}

/** Removes every registered bundled schema (tests). */
export function clearBundledSchemas(): void {
  registry.length = 0;
}
