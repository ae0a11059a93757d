// Completion inside a NO_PROXY value: first the entries this value is missing (the smallest
// set that covers every required destination), then what the cluster profile in effect implies
// (its pod and service CIDRs, apiserver IP, cluster domain, extraNoProxy), then the usual
// portable entries (loopback, `.svc`, the metadata endpoints of the profile's cloud).
//
// Only the profile in effect is offered: a k3s cluster gets 10.42.0.0/16, never kubeadm's
// 10.96.0.0/12. With no profile at all, the distributions' default ranges are offered, each
// labelled with the distributions that use it (one item per range), after the missing entries.
// A pure function of (document, config, position); the language server maps the items to LSP
// CompletionItems (a `,` trigger character makes it pop up after each comma).
import type { ClusterProfile, ResolvedConfig } from '../config';
import type { ValuesDocument } from '../document';
import { PRESETS } from '../config/presets';
import type { ChartKnowledge } from '../knowledge';
import type { Dialect } from '../noproxy';
import { analyzeProxies, configDialects, coverageOf, noProxyAt } from '../proxy/analyze';
import { requiredDestinations, type RequiredDestination } from '../proxy/destinations';
import { computeMissing } from '../proxy/missing';
import { valueIndexAt, valueSpan } from '../edits/scalar';
import type { Position, Range } from '../types';

export interface NoProxyCompletion {
  label: string;
  /**
   * `missing`: needed by this value under the active runtimes; `profile`: implied by the cluster
   * profile in effect; `preset`: a distribution default (only when no profile is set);
   * `common`: a usual portable entry.
   */
  group: 'missing' | 'profile' | 'preset' | 'common';
  detail: string;
  documentation?: string;
  insertText: string;
  /** What the item replaces: the part of the current entry before the cursor. */
  range: Range;
  /** Missing entries sort first. */
  sortText: string;
}

/** Portable entries; `cloud` ties an entry to one cloud (offered on that cloud, or when the cloud is unknown). */
const COMMON: Array<{ entry: string; detail: string; cloud?: ClusterProfile['cloud'] | 'any' }> = [
  { entry: 'localhost', detail: 'loopback by name (curl and Python do not bypass it on their own)' },
  { entry: '127.0.0.1', detail: 'loopback IPv4' },
  { entry: '::1', detail: 'loopback IPv6 (bare, for Go and curl)' },
  { entry: '.svc', detail: 'names ending in .svc (short Service names with namespace)' },
  { entry: '169.254.169.254', detail: 'cloud instance metadata (AWS, GCP, Azure, OCI, OpenStack)', cloud: 'any' },
  { entry: 'metadata.google.internal', detail: 'GCP metadata server by name', cloud: 'gcp' },
  { entry: '169.254.170.23', detail: 'EKS Pod Identity agent', cloud: 'aws' },
  { entry: '100.100.100.200', detail: 'Alibaba Cloud metadata', cloud: 'alibaba' },
];

const NO_PROFILE_NOTE =
  'No cluster network profile is set, so these are distributions\' defaults. Set yours (*Air-Gap Lint: Set Cluster Network Profile*, or `cluster:` in `.airgap-lint.yaml`) to be offered only its ranges.';

/** Whether a portable entry fits the cloud of the profile (an unknown cloud keeps them all but the tied ones of a known profile). */
function fitsCloud(tag: (typeof COMMON)[number]['cloud'], cluster: ClusterProfile): boolean {
  if (tag === undefined) return true;
  if (cluster.cloud === 'none') return false;
  if (tag === 'any') return true;
  // A known profile without a cloud (k3s on premises) gets no cloud-specific name; no profile gets all, labelled.
  return cluster.cloud === undefined ? !cluster.known : cluster.cloud === tag;
}

/** The NO_PROXY entry that exempts a required destination as the profile states it. */
function entryFor(r: RequiredDestination): string | undefined {
  if (r.entry) return r.entry;
  if (r.kind === 'cluster-domain') return r.dest.kind === 'host' ? r.dest.text.replace(/^kubernetes\.default\.svc/, '') : undefined;
  return r.dest.text;
}

const PROFILE_KINDS: Record<string, string> = {
  'pod-cidr': 'pod CIDR',
  'service-cidr': 'service CIDR',
  apiserver: 'apiserver ClusterIP',
  'cluster-domain': 'cluster domain',
  extra: 'extraNoProxy',
};

/**
 * The entries the profile in effect implies, each with what it is ("k3s pod CIDR"), left out
 * when the value already covers that destination under every active runtime.
 */
function profileEntries(cluster: ClusterProfile, rest: string, dialects: Dialect[]): Array<{ entry: string; detail: string }> {
  const required = requiredDestinations(cluster).filter((r) => r.kind in PROFILE_KINDS);
  const covered = new Set(
    dialects.length ? coverageOf(rest, dialects, required).results.filter((x) => x.c.failing.length === 0).map((x) => x.r) : [],
  );
  const owner = cluster.distribution ?? 'custom';
  const out: Array<{ entry: string; detail: string }> = [];
  for (const r of required) {
    const entry = entryFor(r);
    if (!entry || covered.has(r)) continue;
    const what = PROFILE_KINDS[r.kind];
    const detail = r.kind === 'extra' ? `${what} in the configuration` : r.kind === 'cluster-domain' ? `${what} (Service names)` : `${owner} ${what}`;
    out.push({ entry, detail });
  }
  return out;
}

/** With no profile: each distinct default range once, labelled with every distribution that uses it. */
function presetRanges(): Array<{ entry: string; detail: string }> {
  const owners = new Map<string, { kind: string; ids: string[] }>();
  for (const preset of Object.values(PRESETS)) {
    const add = (cidr: string, kind: string) => {
      const key = `${kind}|${cidr}`;
      const o = owners.get(key) ?? { kind, ids: [] };
      o.ids.push(preset.id);
      owners.set(key, o);
    };
    for (const c of preset.podCIDR) add(c, 'pod CIDR');
    for (const c of preset.serviceCIDR) add(c, 'service CIDR');
  }
  return [...owners].map(([key, o]) => ({ entry: key.slice(key.indexOf('|') + 1), detail: `${o.kind} of ${o.ids.join(', ')}` }));
}

export function noProxyCompletions(doc: ValuesDocument, config: ResolvedConfig, position: Position, knowledge?: ChartKnowledge): NoProxyCompletion[] {
  if (!doc.root) return [];
  const offset = doc.offsetAt(position);
  const analysis = analyzeProxies(doc, config, knowledge && !knowledge.empty ? knowledge : undefined);
  const hit = noProxyAt(analysis, offset);
  if (!hit || !hit.reading.v.valueNode) return [];
  const node = hit.reading.v.valueNode;
  const value = hit.reading.value ?? '';
  let range: Range;
  let current = '';
  // The value without the entry being typed (it is not finished yet).
  let rest = value;
  if (typeof node.value === 'string') {
    const index = valueIndexAt(doc, node, offset);
    if (index === undefined) return [];
    // The current entry runs from after the previous comma (and blanks) to the cursor.
    let start = value.lastIndexOf(',', index - 1) + 1;
    while (start < index && /\s/.test(value[start])) start++;
    current = value.slice(start, index);
    const span = valueSpan(doc, node, start, index);
    if (!span) return [];
    range = doc.spanRange(span[0], span[1]);
    const comma = value.indexOf(',', index);
    rest = value.slice(0, start) + (comma < 0 ? '' : value.slice(comma + 1));
  } else {
    range = doc.spanRange(offset, offset); // `value:` with nothing yet
  }
  const present = new Set(
    rest
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .filter((e) => e !== ''),
  );
  const items: NoProxyCompletion[] = [];
  const seen = new Set<string>();
  const push = (label: string, group: NoProxyCompletion['group'], detail: string, documentation?: string) => {
    const key = label.toLowerCase();
    if (seen.has(key) || present.has(key)) return;
    seen.add(key);
    const rank = group === 'missing' ? 0 : group === 'common' ? 2 : 1;
    items.push({ label, group, detail, documentation, insertText: label, range, sortText: `${rank}-${String(items.length).padStart(4, '0')}` });
  };

  const dialects = hit.reading.dialects.length ? hit.reading.dialects : hit.sa.dialects;
  if (dialects.length) {
    const missing = computeMissing(rest, dialects, analysis.required, config.cluster.clusterDomain);
    for (const e of missing.entries) {
      const covered = missing.covers.get(e) ?? [];
      const texts = missing.items.filter((m) => covered.includes(m.r)).map((m) => `- ${m.text}`);
      push(e, 'missing', `missing: ${covered.map((r) => r.label).join(', ') || 'a required destination'}`, texts.join('\n') || undefined);
    }
  }
  const { cluster } = config;
  if (cluster.known) {
    for (const p of profileEntries(cluster, rest, dialects.length ? dialects : configDialects(config))) push(p.entry, 'profile', p.detail);
  } else {
    const domain = cluster.clusterDomain.replace(/^\.+|\.+$/g, '') || 'cluster.local';
    push(`.${domain}`, 'common', 'names under the cluster domain (Services)');
    for (const p of presetRanges()) push(p.entry, 'preset', p.detail, NO_PROFILE_NOTE);
  }
  for (const c of COMMON) if (fitsCloud(c.cloud, cluster)) push(c.entry, 'common', c.detail);
  return items;
}
