// `--format json`: product.md's CLI contract,
//   {"version":1,"entries":[{"host","port","feature","reason","egress":"pod|node","wildcard":bool,
//     "expands":[host…],"enabledBy":{"path","line"}|null,"sources":[{"path","line"}]}]}
// plus, per entry, "protocol" ("tcp"|"udp", for UDP entries such as NTP) and "onlyIf" (null, or
// the condition of a feature that is off in these values), and at the top "files" and "skipped"
// (values that could not be listed: key, path, line and reason; never the value).
// Each host:port appears once per feature (reasons joined with "; ", sources and expansions
// merged). Strings are JSON-escaped as they are; hosts are canonical (lower case, RFC 5952 IPv6).
import type { Allowlist, AllowlistFormatOptions, SourceLine } from '../types';
import { groupByFeature, prepare } from './common';

export interface AllowlistJsonEntry {
  host: string;
  port: number;
  feature: string;
  reason: string;
  egress: 'pod' | 'node';
  wildcard: boolean;
  expands: string[];
  enabledBy: SourceLine | null;
  sources: SourceLine[];
  protocol: 'tcp' | 'udp';
  onlyIf: string | null;
}

export interface AllowlistJson {
  version: 1;
  entries: AllowlistJsonEntry[];
  files: string[];
  skipped: Array<{ key: string; path: string; line: number; reason: string }>;
}

function line(s: SourceLine): SourceLine {
  return { path: s.path, line: s.line };
}

export function toAllowlistJson(list: Allowlist): AllowlistJson {
  const { items } = prepare(list);
  const entries: AllowlistJsonEntry[] = [];
  for (const group of groupByFeature(items)) {
    for (const h of group.hosts) {
      entries.push({
        host: h.parsed.host,
        port: h.port,
        feature: group.feature,
        reason: h.reasons.join('; '),
        egress: h.egress,
        wildcard: h.parsed.kind === 'wildcard',
        expands: [...h.expands],
        enabledBy: h.enabledBy ? line(h.enabledBy) : null,
        sources: h.sources.map(line),
        protocol: h.protocol,
        onlyIf: h.onlyIf ?? null,
      });
    }
  }
  const skipped = (Array.isArray(list.skipped) ? list.skipped : []).map((s) => ({
    key: String(s?.key ?? ''),
    path: String(s?.path ?? ''),
    line: typeof s?.line === 'number' ? s.line : 0,
    reason: String(s?.reason ?? ''),
  }));
  return { version: 1, entries, files: (Array.isArray(list.files) ? list.files : []).map(String), skipped };
}

export function formatJson(list: Allowlist, _options: AllowlistFormatOptions = {}): string {
  return `${JSON.stringify(toAllowlistJson(list), null, 2)}\n`;
}
