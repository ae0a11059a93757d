// Hover on a NO_PROXY entry: what it matches under each active runtime, which required
// destinations it covers, and the size of a CIDR. A pure function of (document, config,
// position); the language server only wraps the result in an LSP Hover.
import type { ResolvedConfig } from '../config';
import type { ValuesDocument } from '../document';
import { DIALECT_LABEL, NoProxyChecker, cidrInfo, describeEntry, entryAt, formatCount, listDialects, type NoProxyEntry } from '../noproxy';
import { formatRange, rangeSize } from '../noproxy/cidr';
import { formatIP } from '../noproxy/ip';
import type { ChartKnowledge } from '../knowledge';
import { analyzeProxies, noProxyAt } from '../proxy/analyze';
import { valueIndexAt, valuePartRange } from '../edits/scalar';
import type { Position, Range } from '../types';

export interface HoverResult {
  /** Markdown for the hover. */
  markdown: string;
  /** The entry the hover is about (its characters inside the YAML scalar). */
  range: Range;
}

function kindLine(e: NoProxyEntry): string {
  switch (e.kind) {
    case 'cidr': {
      if (!e.range) return 'CIDR';
      const first = formatIP({ family: e.range.family, value: e.range.start });
      const last = formatIP({ family: e.range.family, value: e.range.end });
      const canonical = formatRange(e.range);
      const info = cidrInfo(canonical);
      const size = info ? info.size : rangeSize(e.range);
      const note = canonical !== e.text ? ` (means ${canonical})` : '';
      return `IPv${e.range.family} CIDR${note}: ${formatCount(size)} address${size === 1n ? '' : 'es'}, ${first} – ${last}`;
    }
    case 'ipv4':
    case 'ipv6':
      return `IPv${e.kind === 'ipv4' ? 4 : 6} address${e.bracketed ? ' in brackets' : ''}`;
    case 'domain':
      return e.form === 'dot' ? `domain suffix .${e.host}` : e.form === 'star-dot' ? `wildcard *.${e.host}` : `host name ${e.host}`;
    case 'host-port':
      return `${e.family ? 'address' : 'host'} ${e.host} restricted to port ${e.port}`;
    case 'url':
      return 'a URL (NO_PROXY wants host names, IPs or CIDRs)';
    case 'multiple':
      return `${e.words?.length ?? 0} entries separated by whitespace instead of commas`;
    case 'wildcard':
      return '`*`: every host';
    case 'invalid':
      return 'not a host name, IP address or CIDR';
    default:
      return '';
  }
}

/** The hover for a position inside a NO_PROXY value, or undefined anywhere else. */
export function noProxyHover(doc: ValuesDocument, config: ResolvedConfig, position: Position, knowledge?: ChartKnowledge): HoverResult | undefined {
  if (!doc.root) return undefined;
  const offset = doc.offsetAt(position);
  const analysis = analyzeProxies(doc, config, knowledge && !knowledge.empty ? knowledge : undefined);
  const hit = noProxyAt(analysis, offset);
  if (!hit || hit.reading.value === undefined || !hit.reading.v.valueNode) return undefined;
  const node = hit.reading.v.valueNode;
  const index = valueIndexAt(doc, node, offset);
  if (index === undefined) return undefined;
  const dialects = hit.reading.dialects.length ? hit.reading.dialects : hit.sa.dialects;
  const checker = new NoProxyChecker(hit.reading.value, dialects);
  const entry = entryAt(checker.parsed, index);
  if (!entry) return undefined;

  const lines: string[] = [];
  lines.push(`**NO_PROXY entry \`${entry.text.length > 100 ? entry.text.slice(0, 97) + '…' : entry.text}\`** — ${kindLine(entry)}`);
  if (hit.reading.dialects.length === 0) {
    lines.push('', `No active runtime reads this variable (${hit.reading.v.name}): the other case form is the one they read.`);
  }
  if (dialects.length) {
    lines.push('', '| runtime | matches |', '|---|---|');
    for (const d of dialects) lines.push(`| ${DIALECT_LABEL[d]} | ${describeEntry(checker, entry, d).text.replace(/\|/g, '\\|')} |`);
  }
  const full: string[] = [];
  const partial: string[] = [];
  for (const r of analysis.required) {
    const yes = dialects.filter((d) => checker.explainEntry(entry, r.dest, d).matches);
    if (yes.length === 0) continue;
    if (yes.length === dialects.length) full.push(r.label);
    else partial.push(`${r.label} (under ${listDialects(yes)} only)`);
  }
  lines.push('');
  if (full.length || partial.length) {
    lines.push('Covers required destinations:');
    for (const t of [...full, ...partial]) lines.push(`- ${t}`);
  } else {
    lines.push('Covers none of the required destinations of this cluster profile.');
  }
  if (!config.cluster.known) lines.push('', '_No cluster network profile is set: pod and service CIDRs are not among the required destinations._');
  const runtime = knowledge && !config.runtimesExplicit ? knowledge.runtimeAt(hit.sa.set.path) : undefined;
  if (runtime) {
    const who = runtime.component ? `${runtime.component} is` : 'this component is';
    lines.push('', `Runtime from the chart knowledge: ${who} ${runtime.runtime}${runtime.source ? ` (${runtime.source})` : ''}; \`runtimes:\` in .airgap-lint.yaml overrides it.`);
  }
  return { markdown: lines.join('\n'), range: valuePartRange(doc, node, entry.start, entry.end) };
}
