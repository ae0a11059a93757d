// Chart.yaml beside a values file: the facts image rules need from it (name, version,
// appVersion for an empty image tag, dependencies = subchart keys, Bitnami's `images`
// annotation). Tolerant by design: a Chart.yaml in a source tree is often not valid YAML
// before the release tooling runs (rancher: `version: %VERSION%`), and a broken Chart.yaml
// must never break linting of its values files.
import * as nodePath from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Scalar } from 'yaml';
import type { FileHost } from './types';

export interface ChartDependency {
  name: string;
  /** The key the subchart's values live under (alias, else name). */
  key: string;
  alias?: string;
  version?: string;
  repository?: string;
  condition?: string;
}

export interface ChartImageAnnotation {
  name?: string;
  image: string;
}

export interface ChartInfo {
  /** Absolute path of the Chart.yaml. */
  path: string;
  name?: string;
  version?: string;
  /** What Helm's `.Chart.AppVersion` renders (source text, so `1.10` stays `1.10`). */
  appVersion?: string;
  dependencies: ChartDependency[];
  /** String-valued annotations. */
  annotations: Record<string, string>;
  /** Bitnami's `annotations.images` (also read by Hauler): the chart's known-good image list. */
  annotatedImages: ChartImageAnnotation[];
  /** True when build-time tokens (`%VERSION%`) had to be quoted before the file parsed. */
  repaired: boolean;
  /** Why some facts could not be read (never fatal). */
  problems: string[];
}

export const CHART_FILE_NAMES = ['Chart.yaml', 'Chart.yml'];

const cache = new Map<string, { text: string; info: ChartInfo }>();
const CACHE_MAX = 256;

/** The Chart.yaml in the folder of a values file, or undefined when there is none. */
export function readChartBeside(valuesPath: string, host: FileHost): ChartInfo | undefined {
  const dir = nodePath.dirname(nodePath.resolve(valuesPath));
  for (const name of CHART_FILE_NAMES) {
    const path = nodePath.join(dir, name);
    const chartText = host.readFile(path);
    if (chartText === undefined) continue;
    // Helm 2 charts (apiVersion v1) list their dependencies in requirements.yaml (Datadog's still does).
    const requirements = host.readFile(nodePath.join(dir, 'requirements.yaml'));
    const text = requirements === undefined ? chartText : `${chartText}\0${requirements}`;
    const hit = cache.get(path);
    if (hit && hit.text === text) return hit.info;
    const info = parseChartYaml(path, chartText);
    if (requirements !== undefined && info.dependencies.length === 0) info.dependencies = parseChartYaml(nodePath.join(dir, 'requirements.yaml'), requirements).dependencies;
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(path, { text, info });
    return info;
  }
  return undefined;
}

// A plain scalar may not start with `%` (a directive indicator) or `@`/`` ` `` (reserved), which
// is exactly what release templating leaves behind: quote such values so the rest still parses.
const TEMPLATED_VALUE = /^(\s*(?:-\s+)?[A-Za-z0-9_.-]+:[ \t]+)([%@`][^\s#]*)(.*)$/;

function repairTemplatedValues(text: string): { text: string; changed: boolean } {
  let changed = false;
  const lines = text.split(/(\r?\n)/);
  for (let i = 0; i < lines.length; i += 2) {
    const m = TEMPLATED_VALUE.exec(lines[i]);
    if (m) {
      lines[i] = `${m[1]}'${m[2].replace(/'/g, "''")}'${m[3]}`;
      changed = true;
    }
  }
  return { text: lines.join(''), changed };
}

function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const s = node as Scalar;
  if (s.value === null || s.value === undefined) return undefined;
  // Numbers keep their written form: `appVersion: 1.10` renders as 1.10 in Helm (it reads
  // Chart.yaml into a string field), not 1.1.
  if (typeof s.value === 'number' && typeof s.source === 'string') return s.source;
  return String(s.value);
}

export function parseChartYaml(path: string, text: string): ChartInfo {
  const info: ChartInfo = { path, dependencies: [], annotations: {}, annotatedImages: [], repaired: false, problems: [] };
  let doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length) {
    const repaired = repairTemplatedValues(text);
    if (repaired.changed) {
      const second = parseDocument(repaired.text, { uniqueKeys: false, prettyErrors: false });
      if (!second.errors.length) {
        doc = second;
        info.repaired = true;
      }
    }
  }
  if (doc.errors.length) {
    info.problems.push(`Chart.yaml is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
    // Still take what a line scan can see: name and appVersion are what the image rules need.
    for (const line of text.split(/\r?\n/)) {
      const m = /^(name|version|appVersion):[ \t]*["']?([^"'#\s]+)["']?/.exec(line);
      if (m && !m[2].startsWith('%')) (info as unknown as Record<string, string>)[m[1]] = m[2];
    }
    return info;
  }
  const root = doc.contents;
  if (!isMap(root)) return info;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String((pair.key as Scalar).value) : undefined;
    if (key === 'name' || key === 'version' || key === 'appVersion') {
      const v = scalarText(pair.value);
      if (v !== undefined && !/^%.*%$/.test(v)) info[key] = v;
    } else if (key === 'dependencies' && isSeq(pair.value)) {
      for (const item of pair.value.items) {
        if (!isMap(item)) continue;
        const get = (k: string) => scalarText(item.get(k, true));
        const name = get('name');
        if (!name) continue;
        const alias = get('alias');
        const dep: ChartDependency = { name, key: alias ?? name };
        if (alias) dep.alias = alias;
        const version = get('version');
        if (version) dep.version = version;
        const repository = get('repository');
        if (repository) dep.repository = repository;
        const condition = get('condition');
        if (condition) dep.condition = condition;
        info.dependencies.push(dep);
      }
    } else if (key === 'annotations' && isMap(pair.value)) {
      for (const a of pair.value.items) {
        const k = isScalar(a.key) ? String((a.key as Scalar).value) : undefined;
        const v = scalarText(a.value);
        if (k !== undefined && v !== undefined) info.annotations[k] = v;
      }
    }
  }
  const images = info.annotations.images;
  if (images) info.annotatedImages = parseImagesAnnotation(images, info.problems);
  return info;
}

/** Bitnami's `images` annotation: a YAML list of `{name, image}` inside a string. */
function parseImagesAnnotation(text: string, problems: string[]): ChartImageAnnotation[] {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length || !isSeq(doc.contents)) {
    problems.push('annotations.images is not a YAML list of {name, image}');
    return [];
  }
  const out: ChartImageAnnotation[] = [];
  for (const item of doc.contents.items) {
    if (!isMap(item)) continue;
    const image = scalarText(item.get('image', true));
    if (!image) continue;
    const name = scalarText(item.get('name', true));
    out.push(name ? { name, image } : { image });
  }
  return out;
}

/** The dependency whose values live under `key` (a top-level key of the parent's values). */
export function dependencyForKey(chart: ChartInfo | undefined, key: string | number | undefined): ChartDependency | undefined {
  if (!chart || typeof key !== 'string') return undefined;
  return chart.dependencies.find((d) => d.key === key);
}
