// `--format text`: the allowlist for people, after Robusta's by-feature firewall list
// (vendor/robusta-proxies-firewall-airgap.txt: "# feature" headers, each wildcard followed by the
// exact hosts it stands for, indented, so a firewall that needs exact names can use those).
// The editor shows it in its own language, `egress-allowlist`, whose TextMate grammar relies on
// this layout staying simple and regular:
//
//   file      := header (NL section)*
//   header    := comment-line+                       the first lines: what, from which files, legend
//   section   := title-line (comment-line | host-line | expanded-line)*
//                                                     every section is preceded by one blank line
//   title     := "# " TITLE [" (" annotation ("; " annotation)* ")"]
//                 annotation: "enabled by PATH:LINE[, PATH:LINE…]" | "node egress: …"
//   comment-line := "#" TEXT                         one line; meaningful prefixes:
//                 "# why: "       the reason for the host line(s) that follow
//                 "# only if "    the feature is off in these values (listed with --features all)
//                 "# source: "    the values file lines the host was read from
//                 "# pattern: "   an expansion that is a pattern, not a host (never enforced)
//                 "# not listed: " a value that could not be listed, and why
//   host-line := HOST [":" PORT] ["/udp"]            at column 0; no suffix = HTTPS, TCP/443
//                 HOST: name | "*." name | IPv4 | IPv4-CIDR | IPv6 | IPv6-CIDR; an IPv6 address or
//                 prefix is written in brackets when a port follows: "[2001:db8::1]:8443"
//   expanded-line := "  " NAME [":" PORT] ["/udp"]   an exact host of the wildcard above it
//
// Comment text never holds a line break or a control character (oneLine()). Nothing but hosts,
// ports, features, reasons, conditions and values file paths is written: never a secret.
import type { Allowlist, AllowlistFormatOptions } from '../types';
import { formatSourceLine, groupByFeature, headerLines, hostWithPort, oneLine, onlyIfText, prepare, type FeatureGroup } from './common';

const NODE_NOTE = "node egress: the nodes' container runtime pulls, not the pods";

function title(group: FeatureGroup): string {
  const notes: string[] = [];
  const enabled: string[] = [];
  for (const h of group.hosts) {
    if (h.enabledBy) {
      const s = formatSourceLine(h.enabledBy);
      if (!enabled.includes(s)) enabled.push(s);
    }
  }
  if (enabled.length > 0) notes.push(`enabled by ${enabled.join(', ')}`);
  if (group.egress === 'node') notes.push(NODE_NOTE);
  const name = oneLine(group.feature, 160) || 'other';
  return `# ${name}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

export function formatText(list: Allowlist, _options: AllowlistFormatOptions = {}): string {
  const { items, invalid } = prepare(list);
  const out: string[] = headerLines(list, 'Egress allowlist').map((l) => `# ${l}`);
  out.push(
    '# Each host is reached over HTTPS (TCP/443) unless a :PORT or /udp suffix says otherwise.',
    '# "*.x" stands for names under x (x itself is listed apart where needed); the exact hosts it',
    '# covers are indented under it, for firewalls that need exact names.',
  );
  const groups = groupByFeature(items);
  // pod egress first, then node egress (image pulls), each in the order the features were found
  const ordered = [...groups.filter((g) => g.egress === 'pod'), ...groups.filter((g) => g.egress === 'node')];
  for (const group of ordered) {
    out.push('', title(group));
    const conditions = new Set(group.hosts.map((h) => (h.onlyIf === undefined ? '' : onlyIfText(h.onlyIf))));
    const shared = conditions.size === 1 ? [...conditions][0] : undefined;
    if (shared) out.push(`# only if ${shared}`);
    let lastWhy = '';
    for (const h of group.hosts) {
      if (shared === undefined && h.onlyIf !== undefined) out.push(`# only if ${onlyIfText(h.onlyIf)}`);
      const why = oneLine(h.reasons.join('; '), 300);
      if (why && why !== lastWhy) out.push(`# why: ${why}`);
      lastWhy = why;
      if (h.sources.length > 0) out.push(`# source: ${h.sources.map(formatSourceLine).join(', ')}`);
      out.push(hostWithPort(h.parsed, h.port, h.protocol));
      for (const e of h.expands) out.push(`  ${hostWithPort(e, h.port, h.protocol)}`);
      for (const p of h.patterns) out.push(`# pattern: ${p}`);
    }
  }
  const skipped = Array.isArray(list.skipped) ? list.skipped : [];
  if (skipped.length > 0 || invalid.length > 0) {
    out.push('', '# Not listed: values that look like endpoints but could not be read');
    for (const s of skipped) {
      const where = formatSourceLine({ path: s?.path, line: s?.line });
      out.push(`# not listed: ${oneLine(s?.key, 160)} (${where}): ${oneLine(s?.reason, 200)}`);
    }
    if (invalid.length > 0) out.push(`# not listed: ${invalid.length} entr${invalid.length === 1 ? 'y' : 'ies'} with a host or port that is not valid`);
  }
  return `${out.join('\n')}\n`;
}
