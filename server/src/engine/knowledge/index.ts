// Chart knowledge for a values file: which chart it belongs to, and what that chart's annotated
// schemas say (schemas/README.md). Read once per schema content (read.ts), resolved once per
// file and configuration, and served to every rule family, the hovers and the generators, so
// that none of them reads annotations itself.
//
// Which chart a file is, in order: `charts:` in the config; the name in the Chart.yaml beside
// it (or up to two folders above); a chart schema's `detect.keys` fingerprint on the values.
// Then, mounted on top of that chart's knowledge:
// - the chart's own values.schema.json, when it carries annotations;
// - convention schemas whose `detect.dependencies` name a dependency of the Chart.yaml
//   (Bitnami's `common`);
// - each subchart's own knowledge under its values key (`holmes.*`), from the chart schema's
//   `subcharts` and the Chart.yaml dependencies; `global.*` is shared and stays unprefixed.
import * as nodePath from 'node:path';
import { minimatch } from 'minimatch';
import { readChartBeside, type ChartInfo } from '../chart';
import type { ResolvedConfig } from '../config';
import { bundledSchemas } from '../schema/bundled';
import { chartDirOf } from '../schema/discovery';
import type { FileHost, JsonValue, ValuePath } from '../types';
import { evaluate, mountCondition, type Condition } from './conditions';
import { matchesPattern, matchesPrefix, mountPattern, parsePath, valueAtPattern } from './paths';
import { schemaKnowledgeOfObject, schemaKnowledgeOfText, type LocatedFacts, type SchemaKnowledge } from './read';
import type {
  ComponentFacts,
  ComposedImages,
  EgressFeature,
  EgressUrlFacts,
  ImageFacts,
  ProxyKeyFacts,
  Runtime,
  Sourced,
  SubchartFacts,
  TemplatePart,
} from './vocabulary';

export * from './vocabulary';
export { describeCondition, evaluate, isTruthy, witnesses, conditionPaths, type Condition } from './conditions';
export { parsePath, patternText, matchesPattern, valuesAt, type PathPattern } from './paths';
export { readSchemaKnowledge, schemaKnowledgeOfText, type SchemaKnowledge, type LocatedFacts } from './read';

export type ChartMatch = 'config' | 'chart-yaml' | 'fingerprint' | 'dependency' | 'own-schema' | 'subchart';

/** One annotated schema applied to a file, at a mount point. */
export interface AppliedSchema {
  chartName?: string;
  /** Where the schema comes from, for messages and hover: `schemas/charts/robusta.schema.json`. */
  origin: string;
  /** How it was matched to the file. */
  match: ChartMatch;
  /** Values key of the subchart it describes; [] for the file's own chart. */
  prefix: string[];
  knowledge: SchemaKnowledge;
  /** When the subchart is deployed at all (its Chart.yaml condition), in the parent's values. */
  when?: Condition;
}

/** An annotation at its place in this file's values (mounted under its subchart's key). */
export interface Placed<T> {
  pattern: string[];
  facts: T;
  applied: AppliedSchema;
}

export interface KnowledgeProblem {
  origin: string;
  pointer: string;
  message: string;
}

/** A composed image spec with its paths mounted for this file. */
export interface PlacedComposedImages extends Placed<ComposedImages> {}

export interface RuntimeFact {
  runtime: Runtime;
  /** What says so: the component or chart, and the source of the fact. */
  component?: string;
  source?: string;
  origin: string;
}

const EMPTY: readonly never[] = [];

export class ChartKnowledge {
  readonly problems: KnowledgeProblem[] = [];
  private readonly located: Array<Placed<LocatedFacts['facts']>> = [];

  constructor(
    /** The file's chart name, when known. */
    readonly chartName: string | undefined,
    readonly applied: AppliedSchema[],
    problems: KnowledgeProblem[] = [],
  ) {
    this.problems.push(...problems);
    for (const a of applied) {
      for (const p of a.knowledge.problems) this.problems.push({ origin: a.origin, pointer: p.pointer, message: p.message });
      for (const v of a.knowledge.values) this.located.push({ pattern: mountPattern(a.prefix, v.pattern), facts: mountFacts(v.facts, a.prefix), applied: a });
    }
  }

  /** True when no annotated schema applies: every rule works by shape alone. */
  get empty(): boolean {
    return this.applied.length === 0;
  }

  /** Annotations by the last segment of their pattern (`*` under ANY): rules ask for every key they walk. */
  private byLastKey?: Map<string, Array<Placed<LocatedFacts['facts']>>>;

  /** Cheap pre-check for walkers: whether any annotation may sit at a path ending in `key`. */
  mayHaveFactsAt(key: string | number): boolean {
    if (this.located.length === 0) return false;
    this.indexByLastKey();
    return this.byLastKey!.has(String(key)) || this.byLastKey!.has('*');
  }

  private indexByLastKey(): void {
    if (this.byLastKey) return;
    this.byLastKey = new Map();
    for (const l of this.located) {
      const last = l.pattern[l.pattern.length - 1] ?? '';
      this.byLastKey.set(last, [...(this.byLastKey.get(last) ?? []), l]);
    }
  }

  /** Annotations at exactly this values path. */
  factsAt(path: ValuePath): Array<Placed<LocatedFacts['facts']>> {
    if (this.located.length === 0 || path.length === 0) return EMPTY as never[];
    if (!this.byLastKey) {
      this.byLastKey = new Map();
      for (const l of this.located) {
        const last = l.pattern[l.pattern.length - 1] ?? '';
        this.byLastKey.set(last, [...(this.byLastKey.get(last) ?? []), l]);
      }
    }
    const exact = this.byLastKey.get(String(path[path.length - 1]));
    const wild = this.byLastKey.get('*');
    if (!exact && !wild) return EMPTY as never[];
    return [...(exact ?? []), ...(wild ?? [])].filter((l) => matchesPattern(l.pattern, path));
  }

  /** The innermost `component` annotation at or above a path. */
  componentAt(path: ValuePath): Placed<ComponentFacts> | undefined {
    let best: Placed<ComponentFacts> | undefined;
    for (const l of this.located) {
      if (!l.facts.component || !matchesPrefix(l.pattern, path)) continue;
      if (!best || l.pattern.length > best.pattern.length) best = { pattern: l.pattern, facts: l.facts.component, applied: l.applied };
    }
    return best;
  }

  /**
   * The runtime of the component a value belongs to: an `envSet` annotation at the path, else the
   * innermost `component`, else its subchart's runtime, else the chart's (the deepest mount wins).
   */
  runtimeAt(path: ValuePath): RuntimeFact | undefined {
    for (const l of this.factsAt(path)) {
      if (l.facts.envSet?.runtime) return { runtime: l.facts.envSet.runtime, component: l.facts.envSet.component, source: l.facts.envSet.source ?? l.facts.source, origin: l.applied.origin };
    }
    const component = this.componentAt(path);
    if (component?.facts.runtime) return { runtime: component.facts.runtime, component: component.facts.name, source: component.facts.source, origin: component.applied.origin };
    const sub = this.subchartAt(path);
    if (sub?.facts.runtime) return { runtime: sub.facts.runtime, component: sub.key, source: sub.facts.source, origin: sub.origin };
    const chart = this.deepestChartAt(path);
    if (chart?.knowledge.chart.runtime) {
      return { runtime: chart.knowledge.chart.runtime, component: chart.prefix.length ? chart.prefix.join('.') : chart.chartName, source: chart.knowledge.chart.runtimeSource, origin: chart.origin };
    }
    return undefined;
  }

  /** The chart schema mounted deepest above a path (a subchart's own, else the file's chart). */
  private deepestChartAt(path: ValuePath): AppliedSchema | undefined {
    let best: AppliedSchema | undefined;
    for (const a of this.applied) {
      if (!a.knowledge.hasChartFacts || !matchesPrefix(a.prefix, path)) continue;
      if (!best || a.prefix.length > best.prefix.length) best = a;
    }
    return best;
  }

  /** Subchart facts for the subchart whose values hold a path. */
  subchartAt(path: ValuePath): { key: string; facts: SubchartFacts; origin: string } | undefined {
    const top = path[0];
    if (typeof top !== 'string') return undefined;
    return this.subcharts().find((s) => s.key === top);
  }

  /** What the file's chart says of each subchart, by values key. */
  subcharts(): Array<{ key: string; facts: SubchartFacts; origin: string }> {
    const out: Array<{ key: string; facts: SubchartFacts; origin: string }> = [];
    for (const a of this.applied) {
      for (const [key, facts] of Object.entries(a.knowledge.chart.subcharts)) {
        const mounted = [...a.prefix, key].join('.');
        if (!out.some((o) => o.key === mounted)) out.push({ key: mounted, facts, origin: a.origin });
      }
    }
    return out;
  }

  /** Chart proxy keys (`x-airgap.proxy`), at their mounted paths. */
  proxyKeys(): Array<Placed<ProxyKeyFacts>> {
    return this.pick((f) => f.proxy);
  }

  /** The proxy key annotation at exactly this path. */
  proxyKeyAt(path: ValuePath): Placed<ProxyKeyFacts> | undefined {
    const l = this.factsAt(path).find((x) => x.facts.proxy);
    return l ? { pattern: l.pattern, facts: inheritSource(l.facts.proxy!, l.facts), applied: l.applied } : undefined;
  }

  /** Every `pinsVersion` annotation, at its mounted pattern. */
  pinsVersionFacts(): Array<Placed<Sourced>> {
    return this.pick((f) => f.pinsVersion);
  }

  pinsVersionAt(path: ValuePath): Placed<Sourced> | undefined {
    const l = this.factsAt(path).find((x) => x.facts.pinsVersion);
    return l ? { pattern: l.pattern, facts: l.facts.pinsVersion!, applied: l.applied } : undefined;
  }

  /** Whether a value (or anything above it) is annotated as a secret. */
  isSecret(path: ValuePath): boolean {
    return this.located.some((l) => l.facts.secret && matchesPrefix(l.pattern, path));
  }

  notImageAt(path: ValuePath): boolean {
    return this.factsAt(path).some((l) => l.facts.notImage);
  }

  imageAt(path: ValuePath): Placed<ImageFacts> | undefined {
    const l = this.factsAt(path).find((x) => x.facts.image);
    return l ? { pattern: l.pattern, facts: l.facts.image!, applied: l.applied } : undefined;
  }

  /** The condition an image or value is deployed under: its own, else its component's. */
  conditionAt(path: ValuePath): { when: Condition; applied: AppliedSchema } | undefined {
    // A subchart that is off takes its images with it, whatever they say themselves.
    const sub = this.applied.find((a) => a.when && a.prefix.length && matchesPrefix(a.prefix, path));
    const image = this.imageAt(path);
    if (image?.facts.when) return { when: both(sub?.when, image.facts.when)!, applied: image.applied };
    let component: Placed<ComponentFacts> | undefined;
    for (const l of this.located) {
      if (l.facts.component?.when && matchesPrefix(l.pattern, path) && (!component || l.pattern.length > component.pattern.length)) {
        component = { pattern: l.pattern, facts: l.facts.component, applied: l.applied };
      }
    }
    if (component) return { when: both(sub?.when, component.facts.when)!, applied: component.applied };
    return sub?.when ? { when: sub.when, applied: sub } : undefined;
  }

  /** Pull-secret list paths: chart-level `pullSecretsKeys`, `x-airgap.pullSecrets`, subcharts' keys. */
  pullSecretPatterns(): string[][] {
    const out: string[][] = [];
    for (const a of this.applied) for (const p of a.knowledge.chart.pullSecretsKeys) out.push(mountPattern(a.prefix, p));
    for (const l of this.located) if (l.facts.pullSecrets) out.push(l.pattern);
    return out;
  }

  /** Registry keys an image's empty registry falls back to: its own annotation, else its chart's. */
  registryKeysFor(path: ValuePath): string[][] {
    const own = this.imageAt(path)?.facts.registryKeys;
    if (own?.length) return own;
    const chart = this.deepestChartAt(path);
    return chart ? chart.knowledge.chart.registryKeys.map((k) => mountPattern(chart.prefix, k)) : [];
  }

  /** The registry the chart's templates use when all of an image's registry keys are empty. */
  registryDefaultFor(path: ValuePath): string | undefined {
    if (this.imageAt(path)?.facts.registryKeys?.length) return undefined; // the image names its own keys
    return this.deepestChartAt(path)?.knowledge.chart.registryDefault;
  }

  composedImages(): PlacedComposedImages[] {
    const out: PlacedComposedImages[] = [];
    for (const a of this.applied) {
      for (const c of a.knowledge.chart.composedImages) {
        const facts = mountComposed(c, a.prefix);
        out.push({ pattern: a.prefix, facts: a.when ? { ...facts, names: facts.names.map((n) => ({ ...n, when: both(a.when, n.when) })) } : facts, applied: a });
      }
    }
    return out;
  }

  egressFeatures(): Array<Placed<EgressFeature>> {
    const out: Array<Placed<EgressFeature>> = [];
    for (const a of this.applied) {
      for (const f of a.knowledge.chart.egress) {
        const facts = mountFeature(f, a.prefix);
        const when = both(a.when, facts.when);
        out.push({ pattern: a.prefix, facts: when ? { ...facts, when } : facts, applied: a });
      }
    }
    return out;
  }

  egressUrls(): Array<Placed<EgressUrlFacts>> {
    return this.pick((f) => f.egressUrl).map((p) => {
      const when = both(p.applied.when, p.facts.when);
      return when ? { ...p, facts: { ...p.facts, when } } : p;
    });
  }

  /** One kind of annotation; `source` and `why` written beside it on the `x-airgap` object count for it. */
  private pick<T>(get: (f: LocatedFacts['facts']) => T | undefined): Array<Placed<T>> {
    const out: Array<Placed<T>> = [];
    for (const l of this.located) {
      const facts = get(l.facts);
      if (facts !== undefined) out.push({ pattern: l.pattern, facts: inheritSource(facts, l.facts), applied: l.applied });
    }
    return out;
  }
}

/** An annotation with the `source`/`why` of its `x-airgap` object when it has none of its own. */
function inheritSource<T>(facts: T, outer: Sourced): T {
  if (typeof facts !== 'object' || facts === null) return facts;
  const own = facts as Sourced;
  if ((own.source || !outer.source) && (own.why || !outer.why)) return facts;
  return { ...facts, ...(own.source || !outer.source ? {} : { source: outer.source }), ...(own.why || !outer.why ? {} : { why: outer.why }) };
}

// ---------------------------------------------------------------- mounting under a subchart key

/** Both conditions (either may be absent). */
function both(a: Condition | undefined, b: Condition | undefined): Condition | undefined {
  if (!a) return b;
  if (!b) return a;
  return { op: 'all', of: [a, b] };
}

function mountWhen<T extends { when?: Condition }>(x: T, prefix: string[]): T {
  return x.when && prefix.length ? { ...x, when: mountCondition(x.when, prefix) } : x;
}

function mountFacts(f: LocatedFacts['facts'], prefix: string[]): LocatedFacts['facts'] {
  if (prefix.length === 0) return f;
  const out = { ...f };
  if (f.component) out.component = mountWhen(f.component, prefix);
  if (f.image) out.image = { ...mountWhen(f.image, prefix), ...(f.image.registryKeys ? { registryKeys: f.image.registryKeys.map((k) => mountPattern(prefix, k)) } : {}) };
  if (f.egressUrl) out.egressUrl = mountWhen(f.egressUrl, prefix);
  if (f.proxy?.noProxy) out.proxy = { ...f.proxy, noProxy: mountPattern(prefix, f.proxy.noProxy) };
  return out;
}

function mountTemplate(parts: TemplatePart[], prefix: string[]): TemplatePart[] {
  return parts.map((p) => ('path' in p ? { ...p, path: mountPattern(prefix, p.path) } : p));
}

function mountComposed(c: ComposedImages, prefix: string[]): ComposedImages {
  if (prefix.length === 0) return c;
  const out: ComposedImages = { ...c, reference: mountTemplate(c.reference, prefix), names: c.names.map((n) => mountWhen(n, prefix)) };
  if (c.tag) out.tag = mountPattern(prefix, c.tag);
  if (c.digest) out.digest = mountPattern(prefix, c.digest);
  return out;
}

function mountFeature(f: EgressFeature, prefix: string[]): EgressFeature {
  if (prefix.length === 0) return f;
  return {
    ...mountWhen(f, prefix),
    endpoints: f.endpoints.map((e) => ({ ...mountWhen(e, prefix), ...(e.hostFrom ? { hostFrom: mountPattern(prefix, e.hostFrom) } : {}) })),
  };
}

// ---------------------------------------------------------------- the catalog of chart schemas

interface CatalogEntry {
  origin: string;
  from: 'config' | 'bundled';
  knowledge: SchemaKnowledge;
  names: string[];
}

function catalogFor(config: Pick<ResolvedConfig, 'schemas'>, host: FileHost): { entries: CatalogEntry[]; problems: KnowledgeProblem[] } {
  const entries: CatalogEntry[] = [];
  const problems: KnowledgeProblem[] = [];
  const add = (origin: string, from: CatalogEntry['from'], text: string | object) => {
    const knowledge = typeof text === 'string' ? schemaKnowledgeOfText(text) : schemaKnowledgeOfObject(text);
    if (!knowledge?.hasChartFacts) return;
    const names = [...new Set([...knowledge.chart.detect.chartNames, ...(knowledge.chart.name ? [knowledge.chart.name] : [])])];
    for (const name of names) {
      const rival = entries.find((e) => e.from === from && e.names.includes(name));
      if (rival) problems.push({ origin, pointer: '/x-airgap-chart', message: `claims the chart "${name}", which ${rival.origin} already describes; ${rival.origin} is used and this schema's knowledge of it is ignored` });
    }
    const taken = new Set(entries.filter((e) => e.from === from).flatMap((e) => e.names));
    const own = names.filter((n) => !taken.has(n));
    if (own.length || (names.length === 0 && knowledge.chart.detect.dependencies.length)) entries.push({ origin, from, knowledge, names: own });
  };
  for (const s of config.schemas) {
    const text = host.readFile(s.path);
    if (text !== undefined) add(s.path, 'config', text);
  }
  for (const b of bundledSchemas()) add(b.path, 'bundled', b.schema ?? b.text);
  return { entries, problems };
}

/** The config's schema first: a user's own annotated schema replaces the shipped one for that chart. */
function byName(entries: CatalogEntry[], name: string): CatalogEntry | undefined {
  return entries.find((e) => e.from === 'config' && e.names.includes(name)) ?? entries.find((e) => e.names.includes(name));
}

function fingerprintMatch(entries: CatalogEntry[], values: JsonValue): CatalogEntry | undefined {
  let best: CatalogEntry | undefined;
  for (const e of entries) {
    const keys = e.knowledge.chart.detect.keys;
    if (keys.length < 2) continue;
    if (!keys.every((k) => valueAtPattern(values, k) !== undefined)) continue;
    if (!best || keys.length > best.knowledge.chart.detect.keys.length) best = e;
  }
  return best;
}

function configuredChart(path: string, config: Pick<ResolvedConfig, 'charts' | 'baseDir'>): string | undefined {
  if (!config.charts?.length) return undefined;
  const rel = nodePath.relative(config.baseDir, path).split(nodePath.sep).join('/');
  return config.charts.find((c) => c.files.some((p) => minimatch(rel, p, { dot: true, matchBase: !p.includes('/') })))?.chart;
}

export interface KnowledgeInput {
  path: string;
  /** The file's values (for the fingerprint). */
  values: JsonValue;
}

const MAX_SUBCHART_DEPTH = 3;

/**
 * Resolves the chart knowledge of a values file. Pure but for reads through the host; never
 * throws. Cached by everything it depends on (see `knowledgeFor`).
 */
export function resolveKnowledge(input: KnowledgeInput, config: Pick<ResolvedConfig, 'schemas' | 'charts' | 'baseDir'>, host: FileHost): ChartKnowledge {
  const { entries, problems } = catalogFor(config, host);
  const applied: AppliedSchema[] = [];
  const dir = nodePath.dirname(nodePath.resolve(input.path));
  const chartDir = chartDirOf(dir, host);
  const chartInfo: ChartInfo | undefined = chartDir ? readChartBeside(nodePath.join(chartDir, 'values.yaml'), host) : undefined;

  let name = configuredChart(input.path, config);
  let match: ChartMatch = 'config';
  if (!name && chartInfo?.name) {
    name = chartInfo.name;
    match = 'chart-yaml';
  }
  let main = name ? byName(entries, name) : undefined;
  if (!name && entries.length) {
    main = fingerprintMatch(entries, input.values);
    if (main) {
      name = main.names[0];
      match = 'fingerprint';
    }
  }
  // Helm's `condition:` of a dependency: the subchart is on when the value is true or absent.
  const dependencyWhen = (key: string): Condition | undefined => {
    const dep = chartInfo?.dependencies.find((d) => d.key === key);
    const first = dep?.condition?.split(',')[0]?.trim();
    const path = first ? parsePath(first) : undefined;
    return path ? { op: 'truthy', path, default: true } : undefined;
  };
  const mount = (entry: CatalogEntry, prefix: string[], how: ChartMatch, chartName: string | undefined, depth: number, seen: Set<CatalogEntry>, when?: Condition) => {
    if (seen.has(entry) || depth > MAX_SUBCHART_DEPTH) return;
    seen.add(entry);
    const a: AppliedSchema = { chartName, origin: entry.origin, match: how, prefix, knowledge: entry.knowledge };
    if (when) a.when = when;
    applied.push(a);
    for (const [key, sub] of Object.entries(entry.knowledge.chart.subcharts)) {
      const subEntry = byName(entries, sub.chart ?? key);
      const subWhen = sub.when ? mountCondition(sub.when, prefix) : depth === 0 ? dependencyWhen(key) : undefined;
      if (subEntry) mount(subEntry, [...prefix, key], 'subchart', sub.chart ?? key, depth + 1, new Set(seen), both(when, subWhen));
    }
  };
  if (main) mount(main, [], match, name, 0, new Set());

  // The chart's own values.schema.json may be annotated too.
  if (chartDir) {
    const ownPath = nodePath.join(chartDir, 'values.schema.json');
    const text = host.readFile(ownPath);
    const own = text !== undefined ? schemaKnowledgeOfText(text) : undefined;
    if (own) applied.push({ chartName: name, origin: ownPath, match: 'own-schema', prefix: [], knowledge: own });
  }
  if (chartInfo) {
    // Conventions shared by a family of charts (Bitnami's `common` library).
    const deps = new Set(chartInfo.dependencies.map((d) => d.name));
    for (const e of entries) {
      if (e.knowledge.chart.detect.dependencies.some((d) => deps.has(d)) && !applied.some((a) => a.knowledge === e.knowledge)) {
        applied.push({ chartName: name, origin: e.origin, match: 'dependency', prefix: [], knowledge: e.knowledge });
      }
    }
    // Subcharts the Chart.yaml declares that the chart schema did not name.
    for (const dep of chartInfo.dependencies) {
      if (applied.some((a) => a.prefix.length === 1 && a.prefix[0] === dep.key)) continue;
      const e = byName(entries, dep.name);
      if (!e || e === main) continue;
      const a: AppliedSchema = { chartName: dep.name, origin: e.origin, match: 'subchart', prefix: [dep.key], knowledge: e.knowledge };
      const when = dependencyWhen(dep.key);
      if (when) a.when = when;
      applied.push(a);
    }
  }
  return new ChartKnowledge(name, applied, problems);
}

interface Memo {
  stamp: unknown[];
  knowledge: ChartKnowledge;
}
const memo = new WeakMap<object, Map<string, Memo>>();

/**
 * The chart knowledge of a file, cached per configuration and file while the inputs it was
 * resolved from (Chart.yaml, the config's schemas, the chart's own schema, the fingerprint's
 * values) are unchanged.
 */
export function knowledgeFor(input: KnowledgeInput, config: Pick<ResolvedConfig, 'schemas' | 'charts' | 'baseDir'>, host: FileHost): ChartKnowledge {
  const dir = nodePath.dirname(nodePath.resolve(input.path));
  const chartDir = chartDirOf(dir, host);
  const stamp: unknown[] = [
    chartDir ? readChartBeside(nodePath.join(chartDir, 'values.yaml'), host) : undefined,
    chartDir ? host.readFile(nodePath.join(chartDir, 'values.schema.json')) : undefined,
    ...config.schemas.map((s) => host.readFile(s.path)),
    bundledSchemas().length,
    // The fingerprint depends on the values only when no Chart.yaml or config names the chart.
    chartDir || configuredChart(input.path, config) ? undefined : input.values,
  ];
  let perConfig = memo.get(config);
  if (!perConfig) {
    perConfig = new Map();
    memo.set(config, perConfig);
  }
  const key = nodePath.resolve(input.path);
  const hit = perConfig.get(key);
  if (hit && hit.stamp.length === stamp.length && hit.stamp.every((s, i) => s === stamp[i])) return hit.knowledge;
  const knowledge = resolveKnowledge(input, config, host);
  if (perConfig.size > 512) perConfig.clear();
  perConfig.set(key, { stamp, knowledge });
  return knowledge;
}

/** The knowledge of the file a rule is linting. */
export function knowledgeOf(ctx: { doc: { path: string; values: JsonValue }; config: ResolvedConfig; host: FileHost; knowledge?(): ChartKnowledge }): ChartKnowledge {
  return ctx.knowledge ? ctx.knowledge() : knowledgeFor({ path: ctx.doc.path, values: ctx.doc.values }, ctx.config, ctx.host);
}

/** Whether a condition holds on values; no condition holds always. */
export function holds(when: Condition | undefined, values: JsonValue): boolean {
  return when === undefined || evaluate(when, values);
}
