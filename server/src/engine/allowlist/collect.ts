// The egress allowlist of values files: from the effective values of each file's layer stack
// and its chart knowledge, the hosts and ports the install will reach, by feature, each with
// why and the value that turns it on (research: egress-and-image-lists.md §4).
//
// What is listed, in this order:
// 1. the HTTP(S) proxy the pods are told to use (they must reach it; credentials dropped);
// 2. each feature the chart knowledge annotates whose condition holds (with `features: all`,
//    the others too, marked "only if …"), host by host as the vendor lists them, wildcards with
//    the exact hosts under them, hosts taken from values (`hostFrom`, `egressUrl`);
// 3. "other": every external URL or host in the values that no annotation explains, with its
//    key path (webhook URLs, LLM endpoints, SaaS URLs, OTLP endpoints);
// 4. the registries of every image not served by `mirror.registry`, with the redirect hosts a
//    pull really reaches, as node egress (the container runtime pulls, not the pods).
// Hosts inside the cluster are never listed. Nothing but host, port and key paths is ever taken
// from a value: URL paths (Slack webhook secrets), user info and query strings are dropped.
import * as nodePath from 'node:path';
import type { ResolvedConfig } from '../config';
import type { ValuesDocument } from '../document';
import { deployedOnly, discoverInLayers } from '../images/discover';
import { mirrorReference } from '../images/mirror';
import { imageStack, type ImageStackSource } from '../images/stack';
import { describeCondition, holds, matchesPattern, valuesAt, witnesses, type ChartKnowledge, type Condition, type EgressFeature } from '../knowledge';
import { mergeLayers, type MergedLayers } from '../layers';
import { discoverProxySettings } from '../proxy/discover';
import { isAddressKey } from '../proxy/urls';
import type { JsonValue, ValuePath } from '../types';
import { pathText } from '../value-path';
import { endpointOf, redactedValue, type ClusterNetwork } from './endpoints';
import { registryHosts } from './registries';
import type { Allowlist, AllowlistEntry, SkippedValue, SourceLine } from './types';

export interface AllowlistSource extends ImageStackSource {
  configFor(path: string): ResolvedConfig;
  knowledgeFor(path: string): ChartKnowledge;
}

export interface CollectAllowlistOptions {
  /** `enabled` (default): features that are on; `all`: the others too, marked "only if …". */
  features?: 'enabled' | 'all';
  displayPath?: (absPath: string) => string;
}

const OTHER = 'other';
const PROXY = 'HTTP(S) proxy';
/** Keys whose URLs are links for people, not endpoints the install reaches. */
const NOT_ENDPOINT_KEY = /(?:^|[^a-z])(?:doc|docs|documentation|link|links|home|homepage|icon|logo|source|sources|website|readme|help|support|repository|repo|registry|image|schema|\$schema|chart)s?$/i;
const URL_PREFIX = /^[a-z][a-z0-9+.-]{1,20}:\/\//i;
const MAX_WALK = 200_000;

class Builder {
  readonly entries: AllowlistEntry[] = [];
  readonly skipped: SkippedValue[] = [];
  private readonly seen = new Map<string, AllowlistEntry>();

  add(entry: AllowlistEntry): void {
    const key = `${entry.feature}\u0000${entry.host}\u0000${entry.port}\u0000${entry.protocol}`;
    const prior = this.seen.get(key);
    if (prior) {
      for (const s of entry.sources) if (!prior.sources.some((o) => o.path === s.path && o.line === s.line)) prior.sources.push(s);
      if (prior.onlyIf && !entry.onlyIf) {
        delete prior.onlyIf;
        prior.enabledBy = entry.enabledBy;
      }
      return;
    }
    this.seen.set(key, entry);
    this.entries.push(entry);
  }

  /** Whether a host:port is already listed under some feature (an annotation explains it). */
  has(host: string, port: number): boolean {
    return this.entries.some((e) => e.host === host && e.port === port);
  }

  skip(value: string, at: SourceLine, key: ValuePath, reason: string): void {
    if (this.skipped.length < 1000) this.skipped.push({ value: redactedValue(value), path: at.path, line: at.line, key: pathText(key), reason });
  }
}

interface Context {
  doc: ValuesDocument;
  config: ResolvedConfig;
  knowledge: ChartKnowledge;
  merged: MergedLayers;
  values: JsonValue;
  display: (p: string) => string;
  cluster: ClusterNetwork;
  all: boolean;
}

function lineOf(ctx: Context, path: ValuePath): SourceLine | null {
  const where = ctx.merged.locate(path);
  const node = where?.location?.key ?? where?.location?.node;
  if (!where || !node) return null;
  return { path: ctx.display(where.doc.path), line: where.doc.rangeOf(node).start.line + 1 };
}

/** Whether a feature or endpoint is on; for one that is off, "only if …" (or undefined to leave it out). */
function state(ctx: Context, when: Condition | undefined): { on: boolean; onlyIf?: string; enabledBy: SourceLine | null } | undefined {
  if (!when) return { on: true, enabledBy: null };
  if (holds(when, ctx.values)) {
    const w = witnesses(when, ctx.values)[0];
    return { on: true, enabledBy: w ? lineOf(ctx, w) : null };
  }
  return ctx.all ? { on: false, onlyIf: describeCondition(when), enabledBy: null } : undefined;
}

function addFeature(b: Builder, ctx: Context, feature: EgressFeature): void {
  const fs = state(ctx, feature.when);
  if (!fs) return;
  for (const ep of feature.endpoints) {
    const es = state(ctx, ep.when);
    if (!es) continue;
    const onlyIf = [fs.onlyIf, es.onlyIf].filter(Boolean).join(' and ') || undefined;
    const base = {
      feature: feature.feature,
      reason: ep.why ?? feature.why ?? feature.feature,
      egress: 'pod' as const,
      protocol: ep.protocol,
      enabledBy: es.enabledBy ?? fs.enabledBy,
      ...(onlyIf ? { onlyIf } : {}),
      ...(feature.source ? { source: feature.source } : {}),
      ...(feature.component ? { component: feature.component } : {}),
    };
    if (ep.host) {
      b.add({ ...base, host: ep.host, port: ep.port, wildcard: ep.host.startsWith('*.'), expands: ep.expands ?? [], sources: [] });
      continue;
    }
    for (const m of valuesAt(ctx.values, ep.hostFrom!, 200)) {
      if (typeof m.value !== 'string') continue;
      const at = lineOf(ctx, m.path) ?? { path: ctx.display(ctx.doc.path), line: 1 };
      const found = endpointOf(m.value, ep.port, ctx.cluster);
      if ('skip' in found) b.skip(m.value, at, m.path, found.skip);
      else b.add({ ...base, host: found.host, port: found.port, wildcard: false, expands: [], sources: [at] });
    }
  }
}

/** Values the chart knowledge says hold an external URL (`x-airgap.egressUrl`). */
function addEgressUrls(b: Builder, ctx: Context): void {
  for (const placed of ctx.knowledge.egressUrls()) {
    const s = state(ctx, placed.facts.when);
    if (!s) continue;
    for (const m of valuesAt(ctx.values, placed.pattern, 200)) {
      if (typeof m.value !== 'string' || m.value.trim() === '') continue;
      const at = lineOf(ctx, m.path) ?? { path: ctx.display(ctx.doc.path), line: 1 };
      const found = endpointOf(m.value, placed.facts.port ?? 443, ctx.cluster);
      if ('skip' in found) {
        b.skip(m.value, at, m.path, found.skip);
        continue;
      }
      if (b.has(found.host, found.port)) continue; // a feature already lists it, with its reason
      b.add({
        host: found.host,
        port: found.port,
        protocol: 'tcp',
        feature: placed.facts.feature,
        reason: placed.facts.why ?? `from ${pathText(m.path)}`,
        egress: 'pod',
        wildcard: false,
        expands: [],
        enabledBy: s.enabledBy,
        sources: [at],
        ...(s.onlyIf ? { onlyIf: s.onlyIf } : {}),
        ...(placed.facts.source ? { source: placed.facts.source } : {}),
      });
    }
  }
}

/** The proxy the env sets of the stack point at. */
function addProxies(b: Builder, ctx: Context, docs: ValuesDocument[]): void {
  for (const d of docs) {
    for (const set of discoverProxySettings(d, ctx.config.cluster.clusterDomain).sets) {
      for (const v of set.vars) {
        if (v.role === 'no' || v.source !== 'value' || !v.value?.trim() || !v.valueNode) continue;
        const at = { path: ctx.display(d.path), line: d.rangeOf(v.valueNode).start.line + 1 };
        const found = endpointOf(v.value, 3128, ctx.cluster);
        if ('skip' in found) continue; // an in-cluster proxy is reached without the firewall
        b.add({ host: found.host, port: found.port, protocol: 'tcp', feature: PROXY, reason: `the forward proxy of ${set.pathText}: every pod that uses it must reach it`, egress: 'pod', wildcard: false, expands: [], enabledBy: null, sources: [at] });
      }
    }
  }
}

/** Every URL or host in the values that no annotation explains: "other", with its key path. */
function addOthers(b: Builder, ctx: Context, skipPatterns: string[][]): void {
  let budget = MAX_WALK;
  const path: ValuePath = [];
  const visit = (v: JsonValue, key: string): void => {
    if (budget-- <= 0) return;
    if (typeof v === 'string') {
      if (NOT_ENDPOINT_KEY.test(key) || skipPatterns.some((p) => matchesPattern(p, path))) return;
      const isUrl = URL_PREFIX.test(v.trim());
      if (!isUrl && !(isAddressKey(key) && v.includes('.'))) return;
      const found = endpointOf(v, 443, ctx.cluster);
      const at = lineOf(ctx, path);
      if ('skip' in found) {
        // Only URLs are worth a note: a bare word under an address key was never an endpoint.
        if (isUrl && at && !/^in the cluster/.test(found.skip)) b.skip(v, at, path, found.skip);
        return;
      }
      if (b.has(found.host, found.port)) return;
      b.add({ host: found.host, port: found.port, protocol: 'tcp', feature: OTHER, reason: pathText(path), egress: 'pod', wildcard: false, expands: [], enabledBy: null, sources: at ? [at] : [] });
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        path.push(i);
        visit(item, key);
        path.pop();
      });
      return;
    }
    if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        path.push(k);
        visit(child, k);
        path.pop();
      }
    }
  };
  visit(ctx.values, '');
}

/** The registries of images not served by the mirror, with their redirect hosts: node egress. */
function addRegistries(b: Builder, ctx: Context, discovery: ReturnType<typeof discoverInLayers>): void {
  const byRegistry = new Map<string, { images: string[]; sources: SourceLine[]; onlyIf?: string }>();
  for (const img of discovery.images) {
    if (img.shape === 'partial' || img.placeholder || !img.parsed.ok) continue;
    if (ctx.config.mirror.parsed) {
      const t = mirrorReference(img.parsed, { registry: ctx.config.mirror.parsed, layout: ctx.config.mirror.layout });
      if (t.ok && t.alreadyMirrored) continue;
    }
    const off = img.optional && !holds(img.optional.when, ctx.values) ? describeCondition(img.optional.when) : undefined;
    const registry = img.parsed.domain;
    const row = byRegistry.get(registry) ?? { images: [], sources: [], ...(off ? { onlyIf: off } : {}) };
    if (!off) delete row.onlyIf;
    row.images.push(img.composed?.name ?? img.parsed.path);
    const f = img.registryField ?? img.fields.repository ?? img.fields.reference;
    const at = f?.origin?.node ? { path: ctx.display(f.origin.doc.path), line: f.origin.doc.rangeOf(f.origin.node).start.line + 1 } : undefined;
    if (at && !row.sources.some((s) => s.path === at.path && s.line === at.line)) row.sources.push(at);
    byRegistry.set(registry, row);
  }
  for (const [registry, row] of byRegistry) {
    const { hosts, caveat } = registryHosts(registry);
    const listed = row.images.slice(0, 5).join(', ') + (row.images.length > 5 ? ` and ${row.images.length - 5} more` : '');
    for (const h of hosts) {
      b.add({
        host: h.host,
        port: 443,
        protocol: 'tcp',
        feature: `Image registry ${registry}`,
        reason: `${h.why}; the nodes pull ${row.images.length} image${row.images.length === 1 ? '' : 's'} from it (${listed})${caveat && h === hosts[0] ? `. ${caveat}` : ''}`,
        egress: 'node',
        wildcard: h.host.startsWith('*.'),
        expands: [],
        enabledBy: null,
        sources: row.sources.slice(0, 10),
        ...(row.onlyIf ? { onlyIf: row.onlyIf } : {}),
      });
    }
  }
}

export function collectAllowlist(paths: string[], source: AllowlistSource, options: CollectAllowlistOptions = {}): Allowlist {
  const display = options.displayPath ?? ((p: string) => p);
  const b = new Builder();
  const files: string[] = [];
  let chart: string | undefined;
  for (const path of paths) {
    const doc = source.getDocument(nodePath.resolve(path));
    if (!doc) continue;
    const config = source.configFor(doc.path);
    const knowledge = source.knowledgeFor(doc.path);
    const stack = imageStack(doc, config, source, { schemaDefaults: 'always' });
    const merged = mergeLayers(stack.docs);
    const layerDocs = stack.docs.filter((d) => !d.path.endsWith('.json'));
    for (const d of layerDocs) if (!files.includes(display(d.path))) files.push(display(d.path));
    chart ??= knowledge.chartName;
    const ctx: Context = {
      doc,
      config,
      knowledge,
      merged,
      values: merged.values,
      display,
      cluster: { clusterDomain: config.cluster.clusterDomain, podCIDR: config.cluster.podCIDR, serviceCIDR: config.cluster.serviceCIDR },
      all: options.features === 'all',
    };
    addProxies(b, ctx, layerDocs);
    for (const feature of knowledge.egressFeatures()) addFeature(b, ctx, feature.facts);
    addEgressUrls(b, ctx);
    // Values the annotations already explain, and image fields (their registries come next).
    const explained = [
      ...knowledge.egressFeatures().flatMap((f) => f.facts.endpoints.flatMap((e) => (e.hostFrom ? [e.hostFrom] : []))),
      ...knowledge.egressUrls().map((u) => u.pattern),
    ];
    addOthers(b, ctx, explained);
    const all = discoverInLayers(merged, stack.chart, knowledge.empty ? undefined : knowledge);
    addRegistries(b, ctx, ctx.all ? all : deployedOnly(all, merged.values));
  }
  const list: Allowlist = { entries: order(b.entries), skipped: b.skipped, files };
  if (chart) list.chart = chart;
  return list;
}

/** The proxy first, then features as found, then "other", then the registries; hosts sorted within a feature. */
function order(entries: AllowlistEntry[]): AllowlistEntry[] {
  const features: string[] = [];
  for (const e of entries) if (!features.includes(e.feature)) features.push(e.feature);
  const rank = (f: string) => (f === PROXY ? 0 : f === OTHER ? 2 : f.startsWith('Image registry ') ? 3 : 1);
  const sortedFeatures = features.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map((x) => x.f);
  const out: AllowlistEntry[] = [];
  for (const f of sortedFeatures) {
    const group = entries.filter((e) => e.feature === f);
    // Registries keep their order (the registry, then its redirect hosts); others by host.
    if (!f.startsWith('Image registry ')) group.sort((a, b) => Number(Boolean(a.onlyIf)) - Number(Boolean(b.onlyIf)) || a.host.localeCompare(b.host) || a.port - b.port);
    out.push(...group);
  }
  return out;
}
