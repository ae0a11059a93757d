// `--format squid`: an ACL snippet for a Squid forward proxy (include it before
// `http_access deny all`; Debian's squid.conf includes /etc/squid/conf.d/*.conf there).
//
// Semantics (squid.conf.documented, `acl`; src/acl/DomainData.cc; checked with `squid -k parse`
// in test/allowlist-formats.test.ts):
// - `dstdomain .x.com` matches x.com and every name under it; `api.x.com` only that name. So a
//   `*.x.com` entry is written `.x.com`, which also opens the apex x.com (said in the header).
// - One ACL must not hold a name under another of its `.domain` values: squid refuses to start
//   ("ERROR: 'api.x.com' is a subdomain of '.x.com'", FATAL "Bungled"), and an apex `x.com`
//   beside `.x.com` is refused in either order. Such names are dropped (listed in a comment), and
//   values are sorted parents first anyway (a later subdomain is only a warning).
// - IPs and CIDRs go to a `dst` ACL (an address inside a listed CIDR is dropped: "is a
//   subnetwork of" warning). `-n` on both: no DNS or reverse-DNS lookups, a request matches by
//   the name or address it asks for.
// - Ports: one section per TCP port, `acl … port P` ANDed on each `http_access allow` line; a
//   port other than 80/443 is added to `SSL_ports` (CONNECT tunnels) and `Safe_ports`, the
//   lists of Squid's default config.
// - UDP (NTP …): not proxied by Squid, left out with a comment.
// - onlyIf (feature off): never allowed, listed in a comment. Node egress (image pulls) is kept
//   and marked: a node's container runtime configured with HTTPS_PROXY goes through this proxy.
// - Several features needing the same host:port: one ACL value, every feature and reason in the
//   comment above it. Comments are one line each (oneLine()), values are parsed hosts only.
import type { Allowlist, AllowlistFormatOptions } from '../types';
import { rangeContains, rangeOf, parseCidrText } from '../../noproxy/cidr';
import { describeTarget, domainSortKey, enforcement, headerLines, hostWithPort, isAtOrUnder, leftOutLines, type Target } from './common';

interface DomainValue {
  value: string;
  name: string;
  dotted: boolean;
  target: Target;
}

function aclNames(port: number): { domains: string; ips: string; port: string } {
  const suffix = port === 443 ? '' : `_${port}`;
  return { domains: `airgap_lint_allowed${suffix}`, ips: `airgap_lint_allowed${suffix}_ip`, port: `airgap_lint_port_${port}` };
}

function note(t: Target): string {
  const node = t.egress.includes('pod') ? '' : ' [node egress: image pulls by the container runtime]';
  return `# ${describeTarget(t)}${node}`;
}

function rangeOfTarget(t: Target) {
  const parsed = parseCidrText(t.parsed.cidr ?? '');
  return parsed ? rangeOf(parsed.ip, parsed.prefix) : undefined;
}

export function formatSquid(list: Allowlist, _options: AllowlistFormatOptions = {}): string {
  const e = enforcement(list, false);
  const out: string[] = headerLines(list, 'Squid ACL snippet of the egress allowlist').map((l) => `# ${l}`);
  out.push(
    '# Include it in squid.conf before "http_access deny all" (Debian and Ubuntu include',
    '# /etc/squid/conf.d/*.conf there), then check it with: squid -k parse',
    '# ".x" matches x and every name under it, so "*.x" entries also open x itself. A name under',
    '# a listed ".x" is left out (squid refuses to start on "is a subdomain of").',
    '# -n: no DNS lookups; a request matches by the name or address it asks for.',
    '# The http_access lines allow every client of this proxy: add your clients\' ACL (e.g.',
    '# localnet) to each line to narrow them.',
  );
  const tcp = e.allowed.filter((t) => t.protocol === 'tcp');
  const udp = e.allowed.filter((t) => t.protocol === 'udp');
  const ports = [...new Set(tcp.map((t) => t.port))].sort((a, b) => (a === 443 ? -1 : b === 443 ? 1 : a - b));
  for (const port of ports) {
    const names = aclNames(port);
    const targets = tcp.filter((t) => t.port === port);
    out.push('', `# TCP ${port}`);
    if (port !== 443 && port !== 80) out.push(`acl SSL_ports port ${port}`);
    if (port !== 443 && port !== 80) out.push(`acl Safe_ports port ${port}`);
    out.push(`acl ${names.port} port ${port}`);

    const values: DomainValue[] = [];
    for (const t of targets) {
      if (t.parsed.kind === 'wildcard') values.push({ value: `.${t.parsed.base}`, name: t.parsed.base as string, dotted: true, target: t });
      else if (t.parsed.kind === 'name') values.push({ value: t.parsed.host, name: t.parsed.host, dotted: false, target: t });
    }
    values.sort((a, b) => {
      const ka = domainSortKey(a.name);
      const kb = domainSortKey(b.name);
      if (ka !== kb) return ka < kb ? -1 : 1;
      return a.dotted === b.dotted ? 0 : a.dotted ? -1 : 1;
    });
    const parents: string[] = [];
    const covered: string[] = [];
    let domainCount = 0;
    for (const v of values) {
      const parent = parents.find((p) => isAtOrUnder(v.name, p));
      if (parent !== undefined) {
        covered.push(`#   ${v.value} (${describeTarget(v.target, 160)}): covered by .${parent}`);
        continue;
      }
      if (v.dotted) parents.push(v.name);
      out.push(note(v.target), `acl ${names.domains} dstdomain -n ${v.value}`);
      domainCount++;
    }

    const ips = targets.filter((t) => t.parsed.kind === 'ip' || t.parsed.kind === 'cidr');
    const ranges = ips.map((t) => ({ t, r: rangeOfTarget(t) }));
    let ipCount = 0;
    for (const { t, r } of ranges) {
      const outer = ranges.find((o) => o.t !== t && o.r && r && rangeContains(o.r, r) && !(o.r.start === r.start && o.r.end === r.end));
      if (outer) {
        covered.push(`#   ${t.parsed.host} (${describeTarget(t, 160)}): inside ${outer.t.parsed.host}`);
        continue;
      }
      out.push(note(t), `acl ${names.ips} dst -n ${t.parsed.host}`);
      ipCount++;
    }
    if (domainCount > 0) out.push(`http_access allow ${names.port} ${names.domains}`);
    if (ipCount > 0) out.push(`http_access allow ${names.port} ${names.ips}`);
    if (covered.length > 0) out.push('# Left out, already allowed by a listed parent:', ...covered);
  }
  const left = leftOutLines(e);
  if (udp.length > 0) {
    left.push('Left out: UDP, which Squid does not proxy (allow it on the firewall):');
    for (const t of udp) left.push(`  ${hostWithPort(t.parsed, t.port, t.protocol)} (${describeTarget(t, 160)})`);
  }
  if (left.length > 0) out.push('', ...left.map((l) => `# ${l}`));
  return `${out.join('\n')}\n`;
}
