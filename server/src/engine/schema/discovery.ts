// Which schema validates a values file, without configuration and without the network:
//   1. the yaml-language-server modeline `# yaml-language-server: $schema=<path>` (relative to
//      the file; a remote URL is never fetched and is reported instead);
//   2. the chart's own `values.schema.json` beside its `Chart.yaml` (the values file's folder,
//      or up to two folders above it, e.g. a chart's `ci/` values), as `helm lint` uses it;
//   3. `schemas:` in the config (`files` globs relative to the config's folder);
//   4. a bundled chart schema whose `x-airgap-chart.detect.chartNames` names the chart.
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';
import { parse as parseYaml } from 'yaml';
import type { ResolvedConfig } from '../config';
import type { FileHost, Range } from '../types';
import { bundledSchemas } from './bundled';

export type SchemaSourceKind = 'modeline' | 'chart' | 'config' | 'bundled';

export interface SchemaSource {
  kind: SchemaSourceKind;
  /** Absolute path (for bundled schemas: where it lives in the extension, for messages). */
  path: string;
  text: string;
}

export interface Modeline {
  /** The `$schema=` value as written. */
  value: string;
  /** Range of the value in the values file. */
  range: Range;
}

export interface DiscoveryNote {
  /** `schema/unresolved-ref`: the modeline or a configured schema cannot be used. */
  message: string;
  /** Where to report it: the modeline, or undefined for the first values line. */
  range?: Range;
}

export interface Discovery {
  source?: SchemaSource;
  modeline?: Modeline;
  notes: DiscoveryNote[];
}

const MODELINE = /^[ \t]*#[ \t]*yaml-language-server[ \t]*:(.*)$/gm;

/** The `$schema=` of a yaml-language-server modeline, with its range. */
export function findModeline(text: string): Modeline | undefined {
  // The multi-line regexp costs milliseconds on a large file; most files have no modeline at all.
  if (!text.includes('yaml-language-server')) return undefined;
  MODELINE.lastIndex = 0;
  for (let m = MODELINE.exec(text); m; m = MODELINE.exec(text)) {
    const settings = m[1];
    const s = /\$schema=(\S+)/.exec(settings);
    if (!s) continue;
    const start = m.index + m[0].length - settings.length + s.index + '$schema='.length;
    const before = text.slice(0, start);
    const line = (before.match(/\r\n|\r|\n/g) ?? []).length;
    const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
    const character = start - lineStart;
    return { value: s[1], range: { start: { line, character }, end: { line, character: character + s[1].length } } };
  }
  return undefined;
}

/** Redacts user:password in a URL before it goes into a message. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');
}

function modelinePath(value: string, dir: string): string | undefined {
  if (/^file:/i.test(value)) {
    try {
      return fileURLToPath(value);
    } catch {
      return undefined;
    }
  }
  if (/^[a-z][a-z0-9+.-]+:/i.test(value) && !/^[a-z]:[\\/]/i.test(value)) return undefined; // a URL, not a path
  return nodePath.resolve(dir, value);
}

/** The nearest folder at or above `dir` (at most two levels up) that holds a Chart.yaml. */
export function chartDirOf(dir: string, host: FileHost): string | undefined {
  let d = dir;
  for (let i = 0; i < 3; i++) {
    if (host.readFile(nodePath.join(d, 'Chart.yaml')) !== undefined) return d;
    const parent = nodePath.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  return undefined;
}

/** The chart name from Chart.yaml; undefined if it is missing or not YAML (templated Chart.yaml files exist). */
export function chartNameOf(chartDir: string, host: FileHost): string | undefined {
  const text = host.readFile(nodePath.join(chartDir, 'Chart.yaml'));
  if (text === undefined) return undefined;
  try {
    const parsed = parseYaml(text, { logLevel: 'silent' }) as { name?: unknown } | null;
    return parsed && typeof parsed.name === 'string' ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}

export function discoverSchema(
  valuesPath: string,
  text: string,
  config: Pick<ResolvedConfig, 'schemas' | 'baseDir'> & Partial<Pick<ResolvedConfig, 'schemaModeline'>>,
  host: FileHost,
): Discovery {
  const dir = nodePath.dirname(valuesPath);
  const notes: DiscoveryNote[] = [];
  const modeline = findModeline(text);
  // The YAML extension validates this file against its modeline schema already.
  if (modeline && config.schemaModeline === 'defer') return { modeline, notes };
  if (modeline) {
    const target = modelinePath(modeline.value, dir);
    if (!target) {
      notes.push({
        message: `The modeline names the remote schema ${redactUrl(modeline.value)}; airgap-lint never fetches schemas, so it is not used. Point it at a local copy (a path relative to this file).`,
        range: modeline.range,
      });
    } else {
      const schemaText = host.readFile(target);
      if (schemaText !== undefined) return { source: { kind: 'modeline', path: target, text: schemaText }, modeline, notes };
      notes.push({ message: `The modeline's schema ${modeline.value} does not exist (looked for ${target}).`, range: modeline.range });
    }
  }

  const chartDir = chartDirOf(dir, host);
  if (chartDir) {
    const schemaPath = nodePath.join(chartDir, 'values.schema.json');
    const schemaText = host.readFile(schemaPath);
    if (schemaText !== undefined) return { source: { kind: 'chart', path: schemaPath, text: schemaText }, modeline, notes };
  }

  const rel = nodePath.relative(config.baseDir, valuesPath).split(nodePath.sep).join('/');
  for (const entry of config.schemas) {
    if (!entry.files.some((pattern) => minimatch(rel, pattern, { dot: true, matchBase: !pattern.includes('/') }))) continue;
    const schemaText = host.readFile(entry.path);
    if (schemaText !== undefined) return { source: { kind: 'config', path: entry.path, text: schemaText }, modeline, notes };
    notes.push({ message: `The schema configured for this file in .airgap-lint.yaml, ${entry.path}, cannot be read.` });
  }

  const bundled = bundledSchemas();
  if (bundled.length && chartDir) {
    const name = chartNameOf(chartDir, host);
    const match = name === undefined ? undefined : bundled.find((b) => b.chartNames.includes(name));
    if (match) return { source: { kind: 'bundled', path: match.path, text: match.text }, modeline, notes };
  }
  return { modeline, notes };
}
