// One analysis per document and configuration, shared by the proxy rules, the hover and the
// completion: the env sets, which runtimes read which NO_PROXY variable, the required
// destinations, and each NO_PROXY value's coverage of them.
import type { ResolvedConfig } from '../config';
import type { ValuesDocument } from '../document';
import { isDialect, NoProxyChecker, type Coverage, type Dialect } from '../noproxy';
import type { Runtime } from '../config';
import type { ValuePath } from '../types';
import { discoverProxySettings, isProxied, type Discovery, type EnvSet, type ProxyVar } from './discover';
import { requiredDestinations, type RequiredDestination } from './destinations';

/** A NO_PROXY variable and the active runtimes that read it. */
export interface NoProxyReading {
  v: ProxyVar;
  /** The value the runtimes read ('' for `value:` with nothing); undefined for valueFrom. */
  value?: string;
  dialects: Dialect[];
}

export interface SetAnalysis {
  set: EnvSet;
  proxied: boolean;
  /** Active runtimes of the component (the config's `runtimes`, later a chart annotation's). */
  dialects: Dialect[];
  readings: NoProxyReading[];
}

export interface ProxyAnalysis {
  doc: ValuesDocument;
  config: ResolvedConfig;
  discovery: Discovery;
  sets: SetAnalysis[];
  /** Required destinations of the file's proxied env sets (rules.md "Terms"). */
  readonly required: RequiredDestination[];
}

/** The NO_PROXY dialects of the configuration (`java` reads no NO_PROXY and is dropped). */
export function configDialects(config: Pick<ResolvedConfig, 'runtimes'>): Dialect[] {
  return config.runtimes.filter(isDialect);
}

/**
 * Which runtime reads which NO_PROXY variable of a set (research/domain.md §1.10): Go takes
 * NO_PROXY and falls back to no_proxy when it is empty; curl, Python and Node take no_proxy when
 * it is set at all (an empty one wins) and NO_PROXY otherwise. A chart's own key (`noProxy`) is
 * rendered into the env by the chart, so every runtime reads it.
 */
export function noProxyReadings(set: EnvSet, dialects: Dialect[]): NoProxyReading[] {
  const noVars = set.vars.filter((v) => v.role === 'no');
  if (noVars.length === 0) return [];
  const valueOf = (v: ProxyVar) => (v.source === 'value' ? v.value : v.source === 'null' ? '' : undefined);
  const upper = noVars.find((v) => v.literal && v.case === 'upper');
  const lower = noVars.find((v) => v.literal && v.case === 'lower');
  if (!upper || !lower) {
    const v = noVars[0];
    return [{ v, value: valueOf(v), dialects: [...dialects] }];
  }
  const upperValue = valueOf(upper);
  const goReadsUpper = upper.source === 'valueFrom' || (upperValue !== undefined && upperValue !== '');
  const readers = new Map<ProxyVar, Dialect[]>([
    [upper, []],
    [lower, []],
  ]);
  for (const d of dialects) readers.get(d === 'go' ? (goReadsUpper ? upper : lower) : lower)!.push(d);
  return [upper, lower]
    .filter((v) => readers.get(v)!.length > 0)
    .sort((a, b) => noVars.indexOf(a) - noVars.indexOf(b))
    .map((v) => ({ v, value: valueOf(v), dialects: readers.get(v)! }));
}

/**
 * An env-set hint as tests and embedders write it: the values path of a set (`*` matches any
 * key or index) and the runtime of its component. Chart knowledge (knowledge/) answers the same
 * question from annotated schemas.
 */
export interface EnvSetHint {
  path: Array<string | number>;
  component?: string;
  runtime?: Dialect;
}

/** What the proxy analysis asks of chart knowledge: the runtime of the component at a path. */
export interface RuntimeLookup {
  runtimeAt(path: ValuePath): { runtime: Runtime } | undefined;
}

function hintLookup(hints: readonly EnvSetHint[]): RuntimeLookup {
  return {
    runtimeAt(path) {
      const h = hints.find((x) => x.path.length === path.length && x.path.every((p, i) => p === '*' || p === path[i]));
      return h?.runtime ? { runtime: h.runtime } : undefined;
    },
  };
}

/** The dialects a runtime checks: `java` reads no proxy environment variable, so none. */
function dialectsOfRuntime(runtime: Runtime): Dialect[] {
  return isDialect(runtime) ? [runtime] : [];
}

const cache = new WeakMap<ValuesDocument, { config: ResolvedConfig; lookup: RuntimeLookup | undefined; analysis: ProxyAnalysis }>();

/**
 * The proxy analysis of a document. `runtimes` (chart knowledge, or hints) gives each env set
 * the runtime of its component; the config's explicit `runtimes:` still wins over it.
 */
export function analyzeProxies(doc: ValuesDocument, config: ResolvedConfig, runtimes?: RuntimeLookup | readonly EnvSetHint[]): ProxyAnalysis {
  const lookup = Array.isArray(runtimes) ? (runtimes.length ? hintLookup(runtimes) : undefined) : (runtimes as RuntimeLookup | undefined);
  const hit = cache.get(doc);
  if (hit && hit.config === config && hit.lookup === lookup) return hit.analysis;
  const discovery = discoverProxySettings(doc, config.cluster.clusterDomain);
  const configured = configDialects(config);
  const sets = discovery.sets.map((set) => {
    // A component's runtime from the chart knowledge, unless the config's `runtimes:` overrides it.
    const runtime = lookup && !config.runtimesExplicit ? lookup.runtimeAt(set.path)?.runtime : undefined;
    const dialects = runtime ? dialectsOfRuntime(runtime) : configured;
    return { set, proxied: isProxied(set), dialects, readings: noProxyReadings(set, dialects) };
  });
  // Built on first use: most files have no proxied env set and never need them.
  let required: RequiredDestination[] | undefined;
  const analysis: ProxyAnalysis = {
    doc,
    config,
    discovery,
    sets,
    get required() {
      required ??= requiredDestinations(config.cluster, discovery.hosts);
      return required;
    },
  };
  cache.set(doc, { config, lookup, analysis });
  return analysis;
}

/** Coverage of every required destination by one NO_PROXY value under the given runtimes. */
export function coverageOf(value: string, dialects: Dialect[], required: readonly RequiredDestination[]): { checker: NoProxyChecker; results: Array<{ r: RequiredDestination; c: Coverage }> } {
  const checker = new NoProxyChecker(value, dialects);
  const results: Array<{ r: RequiredDestination; c: Coverage }> = [];
  for (const r of required) {
    const c = checker.check(r.dest);
    if (c) results.push({ r, c });
  }
  return { checker, results };
}

/** The analysis of the set whose NO_PROXY value node contains a document offset. */
export function noProxyAt(analysis: ProxyAnalysis, offset: number): { sa: SetAnalysis; reading: NoProxyReading } | undefined {
  for (const sa of analysis.sets) {
    for (const reading of sa.readings) {
      const node = reading.v.valueNode as { range?: [number, number, number] } | undefined;
      if (node?.range && offset >= node.range[0] && offset <= node.range[1]) return { sa, reading };
    }
    // A NO_PROXY read by no active runtime (e.g. NO_PROXY beside a set no_proxy): still hoverable.
    for (const v of sa.set.vars) {
      if (v.role !== 'no' || sa.readings.some((r) => r.v === v)) continue;
      const node = v.valueNode as { range?: [number, number, number] } | undefined;
      if (node?.range && offset >= node.range[0] && offset <= node.range[1]) {
        return { sa, reading: { v, value: v.source === 'value' ? v.value : v.source === 'null' ? '' : undefined, dialects: [] } };
      }
    }
  }
  return undefined;
}
