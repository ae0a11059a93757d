// The `x-airgap-chart` and `x-airgap` vocabulary (schemas/README.md), checked as it is read.
// Annotations come from files users write (their own schemas, a chart's values.schema.json),
// so nothing here trusts its input: every key is checked, unknown keywords and wrong types
// become problems (reported as `schema/invalid-schema` on the values files of that chart) and
// the rest of the annotation is still used.
import type { JsonValue } from '../types';
import { checkCondition, type Condition } from './conditions';
import { parsePath } from './paths';

/** Runtimes a component can have: the NO_PROXY dialects, and `java` (which reads no NO_PROXY env). */
export const RUNTIMES = ['go', 'python', 'curl', 'node', 'java'] as const;
export type Runtime = (typeof RUNTIMES)[number];

export interface Sourced {
  /** Where the fact comes from (a vendor document, a chart template at a commit). */
  source?: string;
  why?: string;
}

export interface ComponentFacts extends Sourced {
  name?: string;
  runtime?: Runtime;
  when?: Condition;
}

export interface EnvSetFacts extends Sourced {
  component?: string;
  runtime?: Runtime;
  renderedInto?: string[];
}

export const IMAGE_SHAPES = ['split', 'string', 'name'] as const;

export interface ImageFacts extends Sourced {
  /** How the value holds the image, for values whose key does not say so (`split`, `string`, `name`). */
  shape?: (typeof IMAGE_SHAPES)[number];
  component?: string;
  when?: Condition;
  registryKeys?: string[][];
  /** The tag the templates use when the value's tag is empty; `{appVersion}` is the chart's appVersion. */
  defaultTag?: string;
}

export type ProxyKeyRole = 'http' | 'https' | 'both' | 'no';

export interface ProxyKeyFacts extends Sourced {
  role: ProxyKeyRole;
  renderedAs: string[];
  /** Values path of the matching no-proxy key; null: the chart has none; undefined: not said. */
  noProxy?: string[] | null;
  components?: string[];
}

export interface EgressUrlFacts extends Sourced {
  feature: string;
  port?: number;
  when?: Condition;
}

/** Everything `x-airgap` can say about one value. */
export interface ValueFacts extends Sourced {
  component?: ComponentFacts;
  envSet?: EnvSetFacts;
  image?: ImageFacts;
  notImage?: boolean;
  pinsVersion?: Sourced;
  pullSecrets?: boolean;
  proxy?: ProxyKeyFacts;
  egressUrl?: EgressUrlFacts;
  secret?: boolean;
}

export interface Endpoint {
  host?: string;
  hostFrom?: string[];
  port: number;
  protocol: 'tcp' | 'udp';
  why?: string;
  expands?: string[];
  when?: Condition;
}

export interface EgressFeature extends Sourced {
  feature: string;
  when?: Condition;
  component?: string;
  endpoints: Endpoint[];
}

/** A piece of a composed image template: literal text, a values path (with a fallback), or `{name}`. */
export type TemplatePart = { text: string } | { path: string[]; fallback?: string } | { name: true };

export interface ComposedName extends Sourced {
  name: string;
  when?: Condition;
  component?: string;
}

export interface ComposedImages extends Sourced {
  reference: TemplatePart[];
  tag?: string[];
  digest?: string[];
  /** `appVersion`, or a literal tag. */
  defaultTag?: string;
  names: ComposedName[];
}

export interface SubchartFacts extends Sourced {
  chart?: string;
  /** When the subchart is deployed (Chart.yaml's `condition`, when the parent does not say). */
  when?: Condition;
  inheritsGlobalPullSecrets: boolean;
  pullSecretsKey: string;
  inheritsProxy: boolean;
  runtime?: Runtime;
}

export interface ChartFacts {
  name?: string;
  detect: { chartNames: string[]; dependencies: string[]; keys: string[][] };
  runtime?: Runtime;
  runtimeSource?: string;
  subcharts: Record<string, SubchartFacts>;
  registryKeys: string[][];
  /** The registry the templates use when every registry key is empty (Datadog: registry.datadoghq.com). */
  registryDefault?: string;
  pullSecretsKeys: string[][];
  composedImages: ComposedImages[];
  egress: EgressFeature[];
}

export interface VocabularyProblem {
  /** JSON pointer of the offending annotation in the schema. */
  pointer: string;
  message: string;
}

/** Every keyword the engine reads, by where it sits: the vocabulary test checks README.md against these. */
export const CHART_KEYWORDS = ['name', 'detect', 'runtime', 'runtimeSource', 'subcharts', 'registryKeys', 'registryDefault', 'pullSecretsKeys', 'composedImages', 'egress', 'source', 'why', '$comment'] as const;
export const VALUE_KEYWORDS = ['component', 'envSet', 'image', 'notImage', 'pinsVersion', 'pullSecrets', 'proxy', 'egressUrl', 'secret', 'source', 'why'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects problems while reading one annotation object. */
class Reader {
  constructor(
    readonly problems: VocabularyProblem[],
    readonly pointer: string,
  ) {}

  at(key: string | number): Reader {
    return new Reader(this.problems, `${this.pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`);
  }

  problem(message: string): undefined {
    this.problems.push({ pointer: this.pointer, message });
    return undefined;
  }

  object(v: unknown, what: string, allowed: readonly string[]): Obj | undefined {
    if (!isObj(v)) return this.problem(`${what} must be an object`);
    for (const k of Object.keys(v)) if (!allowed.includes(k)) this.at(k).problem(`unknown keyword "${k}" in ${what} (known: ${allowed.join(', ')})`);
    return v;
  }

  string(v: unknown, what: string): string | undefined {
    if (v === undefined) return undefined;
    return typeof v === 'string' ? v : this.problem(`${what} must be a string`);
  }

  strings(v: unknown, what: string): string[] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) return this.problem(`${what} must be a list of strings`) ?? [];
    return v.filter((s, i) => (typeof s === 'string' ? true : this.at(i).problem(`${what} must hold strings only`)));
  }

  boolean(v: unknown, what: string): boolean | undefined {
    if (v === undefined) return undefined;
    return typeof v === 'boolean' ? v : this.problem(`${what} must be true or false`);
  }

  path(v: unknown, what: string): string[] | undefined {
    if (v === undefined) return undefined;
    const p = typeof v === 'string' ? parsePath(v) : undefined;
    return p ?? this.problem(`${what} must be a values path such as "global.image.registry" (got ${JSON.stringify(v)?.slice(0, 80)})`);
  }

  paths(v: unknown, what: string): string[][] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) return this.problem(`${what} must be a list of values paths`) ?? [];
    return v.map((x, i) => this.at(i).path(x, what)).filter((p): p is string[] => p !== undefined);
  }

  runtime(v: unknown, what: string): Runtime | undefined {
    if (v === undefined) return undefined;
    return RUNTIMES.includes(v as Runtime) ? (v as Runtime) : this.problem(`${what} must be one of ${RUNTIMES.join(', ')} (got ${JSON.stringify(v)?.slice(0, 40)})`);
  }

  port(v: unknown): number | undefined {
    if (v === undefined) return undefined;
    return Number.isInteger(v) && (v as number) > 0 && (v as number) < 65536 ? (v as number) : this.problem('port must be a whole number from 1 to 65535');
  }

  condition(v: unknown): Condition | undefined {
    if (v === undefined) return undefined;
    const r = checkCondition(v);
    return r.problem ? this.problem(`when: ${r.problem}`) : r.condition;
  }

  sourced<T extends object>(o: Obj, out: T): T & Sourced {
    const result: T & Sourced = out;
    const source = this.at('source').string(o.source, 'source');
    const why = this.at('why').string(o.why, 'why');
    if (source !== undefined) result.source = source;
    if (why !== undefined) result.why = why;
    return result;
  }
}

// ---------------------------------------------------------------- x-airgap

export function readValueFacts(raw: JsonValue, pointer: string, problems: VocabularyProblem[]): ValueFacts {
  const r = new Reader(problems, pointer);
  const o = r.object(raw, 'x-airgap', VALUE_KEYWORDS);
  if (!o) return {};
  const out: ValueFacts = r.sourced(o, {});
  if (o.component !== undefined) {
    const c = r.at('component').object(o.component, 'component', ['name', 'runtime', 'when', 'source', 'why']);
    if (c) {
      const cr = r.at('component');
      const facts: ComponentFacts = cr.sourced(c, {});
      const name = cr.at('name').string(c.name, 'component.name');
      if (name) facts.name = name;
      const runtime = cr.at('runtime').runtime(c.runtime, 'component.runtime');
      if (runtime) facts.runtime = runtime;
      const when = cr.at('when').condition(c.when);
      if (when) facts.when = when;
      out.component = facts;
    }
  }
  if (o.envSet !== undefined) {
    const er = r.at('envSet');
    const e = er.object(o.envSet, 'envSet', ['component', 'runtime', 'renderedInto', 'source', 'why']);
    if (e) {
      const facts: EnvSetFacts = er.sourced(e, {});
      const component = er.at('component').string(e.component, 'envSet.component');
      if (component) facts.component = component;
      const runtime = er.at('runtime').runtime(e.runtime, 'envSet.runtime');
      if (runtime) facts.runtime = runtime;
      if (e.renderedInto !== undefined) facts.renderedInto = er.at('renderedInto').strings(e.renderedInto, 'envSet.renderedInto');
      out.envSet = facts;
    }
  }
  if (o.image !== undefined) {
    const ir = r.at('image');
    const i = ir.object(o.image, 'image', ['shape', 'component', 'when', 'registryKeys', 'defaultTag', 'source', 'why']);
    if (i) {
      const facts: ImageFacts = ir.sourced(i, {});
      if (i.shape !== undefined) {
        if (IMAGE_SHAPES.includes(i.shape as ImageFacts['shape'] & string)) facts.shape = i.shape as ImageFacts['shape'];
        else ir.at('shape').problem(`image.shape must be one of ${IMAGE_SHAPES.join(', ')}`);
      }
      const component = ir.at('component').string(i.component, 'image.component');
      if (component) facts.component = component;
      const when = ir.at('when').condition(i.when);
      if (when) facts.when = when;
      if (i.registryKeys !== undefined) facts.registryKeys = ir.at('registryKeys').paths(i.registryKeys, 'image.registryKeys');
      const defaultTag = ir.at('defaultTag').string(i.defaultTag, 'image.defaultTag');
      if (defaultTag) facts.defaultTag = defaultTag;
      out.image = facts;
    }
  }
  if (o.notImage !== undefined && r.at('notImage').boolean(o.notImage, 'notImage')) out.notImage = true;
  if (o.pinsVersion !== undefined) {
    if (o.pinsVersion === true) out.pinsVersion = { ...(out.why ? { why: out.why } : {}), ...(out.source ? { source: out.source } : {}) };
    else if (isObj(o.pinsVersion)) {
      const pr = r.at('pinsVersion');
      const p = pr.object(o.pinsVersion, 'pinsVersion', ['source', 'why']);
      if (p) out.pinsVersion = pr.sourced(p, {});
    } else if (o.pinsVersion !== false) r.at('pinsVersion').problem('pinsVersion must be true or an object with why/source');
  }
  if (o.pullSecrets !== undefined && r.at('pullSecrets').boolean(o.pullSecrets, 'pullSecrets')) out.pullSecrets = true;
  if (o.secret !== undefined && r.at('secret').boolean(o.secret, 'secret')) out.secret = true;
  if (o.proxy !== undefined) {
    const pr = r.at('proxy');
    const p = pr.object(o.proxy, 'proxy', ['role', 'renderedAs', 'noProxy', 'components', 'source', 'why']);
    if (p) {
      const role = p.role;
      if (role !== 'http' && role !== 'https' && role !== 'both' && role !== 'no') pr.at('role').problem('proxy.role must be http, https, both or no');
      else {
        const facts: ProxyKeyFacts = pr.sourced(p, { role, renderedAs: pr.at('renderedAs').strings(p.renderedAs, 'proxy.renderedAs') });
        if (p.noProxy === null) facts.noProxy = null;
        else if (p.noProxy !== undefined) {
          const np = pr.at('noProxy').path(p.noProxy, 'proxy.noProxy');
          if (np) facts.noProxy = np;
        }
        if (p.components !== undefined) facts.components = pr.at('components').strings(p.components, 'proxy.components');
        out.proxy = facts;
      }
    }
  }
  if (o.egressUrl !== undefined) {
    const ur = r.at('egressUrl');
    const u = ur.object(o.egressUrl, 'egressUrl', ['feature', 'port', 'when', 'source', 'why']);
    if (u) {
      const feature = ur.at('feature').string(u.feature, 'egressUrl.feature');
      if (!feature) ur.problem('egressUrl needs a feature name');
      else {
        const facts: EgressUrlFacts = ur.sourced(u, { feature });
        const port = ur.at('port').port(u.port);
        if (port) facts.port = port;
        const when = ur.at('when').condition(u.when);
        if (when) facts.when = when;
        out.egressUrl = facts;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- x-airgap-chart

function readTemplate(text: string, r: Reader): TemplatePart[] | undefined {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{', i);
    if (open < 0) {
      parts.push({ text: text.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: text.slice(i, open) });
    const close = text.indexOf('}', open);
    if (close < 0) return r.problem(`reference template "${text}" has an unclosed {`);
    const inner = text.slice(open + 1, close);
    if (inner === 'name') parts.push({ name: true });
    else {
      const bar = inner.indexOf('|');
      const pathText = bar < 0 ? inner : inner.slice(0, bar);
      const path = parsePath(pathText);
      if (!path) return r.problem(`reference template "${text}": {${inner}} is not a values path`);
      parts.push(bar < 0 ? { path } : { path, fallback: inner.slice(bar + 1) });
    }
    i = close + 1;
  }
  return parts;
}

function readComposed(raw: unknown, r: Reader): ComposedImages | undefined {
  const o = r.object(raw, 'composedImages entry', ['reference', 'tag', 'digest', 'defaultTag', 'names', 'source', 'why']);
  if (!o) return undefined;
  if (typeof o.reference !== 'string') return r.at('reference').problem('composedImages.reference must be a template string');
  const reference = readTemplate(o.reference, r.at('reference'));
  if (!reference) return undefined;
  const names: ComposedName[] = [];
  if (!Array.isArray(o.names) || o.names.length === 0) r.at('names').problem('composedImages.names must be a non-empty list');
  else {
    o.names.forEach((n, i) => {
      const nr = r.at('names').at(i);
      if (typeof n === 'string') names.push({ name: n });
      else {
        const no = nr.object(n, 'composedImages name', ['name', 'when', 'why', 'component', 'source']);
        const name = no && nr.at('name').string(no.name, 'name');
        if (!no || !name) return void (no && nr.problem('a composedImages name needs "name"'));
        const entry: ComposedName = nr.sourced(no, { name });
        const when = nr.at('when').condition(no.when);
        if (when) entry.when = when;
        const component = nr.at('component').string(no.component, 'component');
        if (component) entry.component = component;
        names.push(entry);
      }
    });
  }
  const out: ComposedImages = r.sourced(o, { reference, names });
  const tag = r.at('tag').path(o.tag, 'composedImages.tag');
  if (tag) out.tag = tag;
  const digest = r.at('digest').path(o.digest, 'composedImages.digest');
  if (digest) out.digest = digest;
  const defaultTag = r.at('defaultTag').string(o.defaultTag, 'composedImages.defaultTag');
  if (defaultTag) out.defaultTag = defaultTag;
  return out;
}

function readEndpoint(raw: unknown, r: Reader): Endpoint | undefined {
  const o = r.object(raw, 'endpoint', ['host', 'hostFrom', 'port', 'protocol', 'why', 'expands', 'when', 'source']);
  if (!o) return undefined;
  const host = r.at('host').string(o.host, 'host');
  const hostFrom = r.at('hostFrom').path(o.hostFrom, 'hostFrom');
  if ((host === undefined) === (hostFrom === undefined)) return r.problem('an endpoint has exactly one of host or hostFrom');
  if (host !== undefined && !/^(\*\.)?[A-Za-z0-9_.:-]+(\/\d{1,3})?$/.test(host)) return r.at('host').problem(`"${host}" is not a host name, *.wildcard, IP or CIDR`);
  const protocol = o.protocol === undefined ? 'tcp' : o.protocol;
  if (protocol !== 'tcp' && protocol !== 'udp') return r.at('protocol').problem('protocol must be tcp or udp');
  const out: Endpoint = { port: r.at('port').port(o.port) ?? 443, protocol };
  if (host !== undefined) out.host = host.toLowerCase();
  if (hostFrom) out.hostFrom = hostFrom;
  const why = r.at('why').string(o.why, 'why');
  if (why) out.why = why;
  if (o.expands !== undefined) out.expands = r.at('expands').strings(o.expands, 'expands').map((h) => h.toLowerCase());
  const when = r.at('when').condition(o.when);
  if (when) out.when = when;
  return out;
}

function readFeature(raw: unknown, r: Reader): EgressFeature | undefined {
  const o = r.object(raw, 'egress entry', ['feature', 'when', 'component', 'endpoints', 'source', 'why']);
  if (!o) return undefined;
  const feature = r.at('feature').string(o.feature, 'feature');
  if (!feature) return r.problem('an egress entry needs "feature"');
  const endpoints: Endpoint[] = [];
  if (!Array.isArray(o.endpoints)) r.at('endpoints').problem('endpoints must be a list');
  else o.endpoints.forEach((e, i) => {
    const ep = readEndpoint(e, r.at('endpoints').at(i));
    if (ep) endpoints.push(ep);
  });
  const out: EgressFeature = r.sourced(o, { feature, endpoints });
  const when = r.at('when').condition(o.when);
  if (when) out.when = when;
  const component = r.at('component').string(o.component, 'component');
  if (component) out.component = component;
  return out;
}

function readSubchart(raw: unknown, r: Reader): SubchartFacts | undefined {
  const o = r.object(raw, 'subchart', ['chart', 'when', 'inheritsGlobalPullSecrets', 'pullSecretsKey', 'inheritsProxy', 'runtime', 'source', 'why']);
  if (!o) return undefined;
  const out: SubchartFacts = r.sourced(o, {
    inheritsGlobalPullSecrets: r.at('inheritsGlobalPullSecrets').boolean(o.inheritsGlobalPullSecrets, 'inheritsGlobalPullSecrets') ?? true,
    pullSecretsKey: r.at('pullSecretsKey').string(o.pullSecretsKey, 'pullSecretsKey') ?? 'imagePullSecrets',
    inheritsProxy: r.at('inheritsProxy').boolean(o.inheritsProxy, 'inheritsProxy') ?? true,
  });
  const chart = r.at('chart').string(o.chart, 'chart');
  if (chart) out.chart = chart;
  const runtime = r.at('runtime').runtime(o.runtime, 'runtime');
  if (runtime) out.runtime = runtime;
  const when = r.at('when').condition(o.when);
  if (when) out.when = when;
  return out;
}

export function readChartFacts(raw: JsonValue | undefined, pointer: string, problems: VocabularyProblem[]): ChartFacts {
  const facts: ChartFacts = { detect: { chartNames: [], dependencies: [], keys: [] }, subcharts: {}, registryKeys: [], pullSecretsKeys: [], composedImages: [], egress: [] };
  if (raw === undefined) return facts;
  const r = new Reader(problems, pointer);
  const o = r.object(raw, 'x-airgap-chart', CHART_KEYWORDS);
  if (!o) return facts;
  const name = r.at('name').string(o.name, 'name');
  if (name) facts.name = name;
  if (o.detect !== undefined) {
    const dr = r.at('detect');
    const d = dr.object(o.detect, 'detect', ['chartNames', 'dependencies', 'keys']);
    if (d) {
      facts.detect.chartNames = dr.at('chartNames').strings(d.chartNames, 'detect.chartNames');
      facts.detect.dependencies = dr.at('dependencies').strings(d.dependencies, 'detect.dependencies');
      facts.detect.keys = dr.at('keys').paths(d.keys, 'detect.keys');
      if (facts.detect.keys.length === 1) dr.at('keys').problem('detect.keys needs at least two values paths: one key alone matches too many charts');
    }
  }
  const runtime = r.at('runtime').runtime(o.runtime, 'runtime');
  if (runtime) facts.runtime = runtime;
  const runtimeSource = r.at('runtimeSource').string(o.runtimeSource, 'runtimeSource');
  if (runtimeSource) facts.runtimeSource = runtimeSource;
  if (o.subcharts !== undefined) {
    const sr = r.at('subcharts');
    if (!isObj(o.subcharts)) sr.problem('subcharts must be an object keyed by the subchart values key');
    else for (const [key, v] of Object.entries(o.subcharts)) {
      const s = readSubchart(v, sr.at(key));
      if (s) facts.subcharts[key] = s;
    }
  }
  facts.registryKeys = r.at('registryKeys').paths(o.registryKeys, 'registryKeys');
  const registryDefault = r.at('registryDefault').string(o.registryDefault, 'registryDefault');
  if (registryDefault) facts.registryDefault = registryDefault;
  facts.pullSecretsKeys = r.at('pullSecretsKeys').paths(o.pullSecretsKeys, 'pullSecretsKeys');
  if (o.composedImages !== undefined) {
    if (!Array.isArray(o.composedImages)) r.at('composedImages').problem('composedImages must be a list');
    else o.composedImages.forEach((c, i) => {
      const ci = readComposed(c, r.at('composedImages').at(i));
      if (ci) facts.composedImages.push(ci);
    });
  }
  if (o.egress !== undefined) {
    if (!Array.isArray(o.egress)) r.at('egress').problem('egress must be a list');
    else o.egress.forEach((e, i) => {
      const f = readFeature(e, r.at('egress').at(i));
      if (f) facts.egress.push(f);
    });
  }
  if (!facts.name && facts.detect.chartNames.length) facts.name = facts.detect.chartNames[0];
  return facts;
}
