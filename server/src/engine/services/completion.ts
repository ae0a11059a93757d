// Completion inside a NO_PROXY value: first the entries this value is missing (the smallest
// set that covers every required destination), then the distributions' CIDRs and the usual
// portable entries. A pure function of (document, config, position); the language server maps
// the items to LSP CompletionItems (a `,` trigger character makes it pop up after each comma).
import type { ResolvedConfig } from '../config';
import type { ValuesDocument } from '../document';
import { PRESETS } from '../config/presets';
import type { ChartKnowledge } from '../knowledge';
import { analyzeProxies, noProxyAt } from '../proxy/analyze';
import { computeMissing } from '../proxy/missing';
import { valueIndexAt, valueSpan } from '../edits/scalar';
import type { Position, Range } from '../types';

export interface NoProxyCompletion {
  label: string;
  /** `missing`: needed by this value under the active runtimes; `preset`: a distribution default; `common`: a usual entry. */
  group: 'missing' | 'preset' | 'common';
  detail: string;
  documentation?: string;
  insertText: string;
  /** What the item replaces: the part of the current entry before the cursor. */
  range: Range;
  /** Missing entries sort first. */
  sortText: string;
}

const COMMON: Array<[string, string]> = [
  ['localhost', 'loopback by name (curl and Python do not bypass it on their own)'],
  ['127.0.0.1', 'loopback IPv4'],
  ['::1', 'loopback IPv6 (bare, for Go and curl)'],
  ['.svc', 'names ending in .svc (short Service names with namespace)'],
  ['169.254.169.254', 'cloud instance metadata (AWS, GCP, Azure, OCI, OpenStack)'],
  ['metadata.google.internal', 'GCP metadata server by name'],
  ['169.254.170.23', 'EKS Pod Identity agent'],
  ['100.100.100.200', 'Alibaba Cloud metadata'],
];

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
    const rank = group === 'missing' ? 0 : group === 'preset' ? 1 : 2;
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
  for (const preset of Object.values(PRESETS)) {
    for (const c of preset.podCIDR) push(c, 'preset', `${preset.label} pod CIDR`);
    for (const c of preset.serviceCIDR) push(c, 'preset', `${preset.label} service CIDR`);
  }
  const domain = config.cluster.clusterDomain.replace(/^\.+|\.+$/g, '') || 'cluster.local';
  push(`.${domain}`, 'common', 'names under the cluster domain (Services)');
  for (const [label, detail] of COMMON) push(label, 'common', detail);
  return items;
}
