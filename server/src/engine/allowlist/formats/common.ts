// What every allowlist format shares: strict host parsing (a formatter only ever writes a host it
// has parsed, so no value can smuggle syntax into a target), one-line comment text, merging of
// duplicate entries, wildcard coverage, and the header every output starts with.
//
// Wildcard semantics differ per target (research: egress-and-image-lists.md §2); the helpers here
// only answer facts ("is a.b.x.com one label under *.x.com?"), each formatter decides.
import { formatIP, parseIP } from '../../noproxy/ip';
import { formatRange, parseCidrText, rangeOf } from '../../noproxy/cidr';
import type { Allowlist, AllowlistEntry, AllowlistFormatOptions, EgressScope, SourceLine } from '../types';

export const DEFAULT_OBJECT_NAME = 'airgap-lint-egress';

export type HostKind = 'name' | 'wildcard' | 'ip' | 'cidr';

export interface ParsedHost {
  kind: HostKind;
  /** Canonical form: lower case, no trailing dot; `*.x` for wildcards; IPs in RFC 5952 form; CIDRs with host bits cleared. */
  host: string;
  /** Wildcards: the name under `*.`. */
  base?: string;
  /** IPs and CIDRs. */
  family?: 4 | 6;
  /** IPs and CIDRs as a CIDR (`/32`, `/128` for a single address). */
  cidr?: string;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A DNS host name of LDH labels (RFC 1123), at most 253 characters, not all-numeric at the end. */
export function isHostName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  if (!labels.every((l) => LABEL.test(l))) return false;
  return !/^[0-9]+$/.test(labels[labels.length - 1]);
}

/**
 * Parses an allowlist host: an exact name, `*.name`, an IPv4/IPv6 address or a CIDR. Anything else
 * (a bare `*`, a port, a scheme, spaces, non-ASCII, a `<placeholder>`) is refused: undefined.
 */
export function parseHost(raw: unknown): ParsedHost | undefined {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 260) return undefined;
  let s = raw.toLowerCase();
  if (s.includes('/')) {
    const parsed = parseCidrText(s);
    if (!parsed) return undefined;
    const bits = parsed.ip.family === 4 ? 32 : 128;
    if (parsed.prefix === bits) {
      const host = formatIP(parsed.ip);
      return { kind: 'ip', host, family: parsed.ip.family, cidr: `${host}/${bits}` };
    }
    const cidr = formatRange(rangeOf(parsed.ip, parsed.prefix));
    return { kind: 'cidr', host: cidr, family: parsed.ip.family, cidr };
  }
  const ip = parseIP(s);
  if (ip) {
    const host = formatIP(ip);
    return { kind: 'ip', host, family: ip.family, cidr: `${host}/${ip.family === 4 ? 32 : 128}` };
  }
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s.startsWith('*.')) {
    const base = s.slice(2);
    return isHostName(base) ? { kind: 'wildcard', host: s, base } : undefined;
  }
  return isHostName(s) ? { kind: 'name', host: s } : undefined;
}

/** `name` is `base` itself or any name under it (`a.base`, `a.b.base`). */
export function isAtOrUnder(name: string, base: string): boolean {
  return name === base || name.endsWith(`.${base}`);
}

/** `name` is under `base` (any depth), not `base` itself. */
export function isUnder(name: string, base: string): boolean {
  return name.endsWith(`.${base}`);
}

/** `name` is exactly one label under `base` (what `*.base` matches where `*` is one label). */
export function isOneLabelUnder(name: string, base: string): boolean {
  return isUnder(name, base) && !name.slice(0, -(base.length + 1)).includes('.');
}

/** Sort key that puts a parent domain before its subdomains (labels compared right to left). */
export function domainSortKey(name: string): string {
  return name.split('.').reverse().join('\u0001');
}

/**
 * Text for a comment or a one-line message: no line breaks, no control characters, no bidi
 * overrides (Trojan Source), whitespace collapsed, at most `max` characters. A comment can then
 * never end early and start a line of the target's syntax.
 */
export function oneLine(value: unknown, max = 300): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  // C0 and C1 controls, DEL, NEL, line/paragraph separators, bidi marks and overrides, BOM
  const clean = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = Array.from(clean);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : clean;
}

export function formatSourceLine(s: SourceLine): string {
  return `${oneLine(s.path, 200)}:${Number.isFinite(s.line) ? Math.trunc(s.line) : '?'}`;
}

/** `only if …` text of an entry, without a doubled "only if". */
export function onlyIfText(onlyIf: string): string {
  return oneLine(onlyIf).replace(/^only if\s+/i, '');
}

function validPort(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** An entry with its host parsed; entries whose host or port is unusable are reported apart. */
export interface Item {
  entry: AllowlistEntry;
  parsed: ParsedHost;
  port: number;
  protocol: 'tcp' | 'udp';
  /** Expanded hosts that parse as exact names (canonical); patterns such as `bedrock-runtime.<region>.amazonaws.com` are not. */
  expands: string[];
  /** Expanded "hosts" that are not host names (shown as patterns in human formats, never enforced). */
  patterns: string[];
}

export interface Prepared {
  items: Item[];
  /** Entries with an unusable host or port (never written to a target, only counted). */
  invalid: AllowlistEntry[];
}

export function prepare(list: Allowlist): Prepared {
  const items: Item[] = [];
  const invalid: AllowlistEntry[] = [];
  for (const entry of Array.isArray(list.entries) ? list.entries : []) {
    const parsed = parseHost(entry?.host);
    if (!parsed || !validPort(entry.port)) {
      invalid.push(entry);
      continue;
    }
    const expands: string[] = [];
    const patterns: string[] = [];
    if (parsed.kind === 'wildcard' && Array.isArray(entry.expands)) {
      for (const e of entry.expands) {
        const p = parseHost(e);
        if (p && p.kind === 'name') {
          if (!expands.includes(p.host)) expands.push(p.host);
        } else if (typeof e === 'string' && e.length > 0) patterns.push(oneLine(e, 120));
      }
    }
    items.push({ entry, parsed, port: entry.port, protocol: entry.protocol === 'udp' ? 'udp' : 'tcp', expands, patterns });
  }
  return { items, invalid };
}

/** Entries of features that are off in these values (`--features all`): never enforced. */
export function isOff(item: Item): boolean {
  return typeof item.entry.onlyIf === 'string' && item.entry.onlyIf.length > 0;
}

export function pushUnique<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

/** One destination of an enforcement format: a host and port, merged over every feature that needs it. */
export interface Target {
  parsed: ParsedHost;
  port: number;
  protocol: 'tcp' | 'udp';
  features: string[];
  reasons: string[];
  egress: EgressScope[];
  expands: string[];
  /** `only if …` of the entries (set only when every merged entry is off). */
  onlyIf: string[];
}

export function targetKey(parsed: ParsedHost, port: number, protocol: string): string {
  return `${parsed.host} ${port} ${protocol}`;
}

/** Merges items by host, port and protocol, in first-seen order. */
export function mergeTargets(items: Item[]): Target[] {
  const byKey = new Map<string, Target>();
  for (const item of items) {
    const key = targetKey(item.parsed, item.port, item.protocol);
    let t = byKey.get(key);
    if (!t) {
      t = { parsed: item.parsed, port: item.port, protocol: item.protocol, features: [], reasons: [], egress: [], expands: [], onlyIf: [] };
      byKey.set(key, t);
    }
    pushUnique(t.features, oneLine(item.entry.feature, 120) || 'other');
    const reason = oneLine(item.entry.reason, 200);
    if (reason) pushUnique(t.reasons, reason);
    pushUnique(t.egress, item.entry.egress === 'node' ? 'node' : 'pod');
    for (const e of item.expands) pushUnique(t.expands, e);
    if (isOff(item)) pushUnique(t.onlyIf, onlyIfText(item.entry.onlyIf as string));
  }
  return [...byKey.values()];
}

/** "Feature A; Feature B: reason a; reason b" for a comment. */
export function describeTarget(t: Target, max = 240): string {
  const reasons = t.reasons.length > 0 ? `: ${t.reasons.join('; ')}` : '';
  return oneLine(`${t.features.join('; ')}${reasons}`, max);
}

/** What enforcement formats work from: the targets they allow and the ones they leave out, with why. */
export interface Enforcement {
  /** On, valid, in scope: to allow. */
  allowed: Target[];
  /** Features off in these values: left out. */
  off: Target[];
  /** Node egress (image pulls), for pod-scoped formats: left out. */
  node: Target[];
  invalidCount: number;
}

/**
 * Splits the list for an enforcement format. An item is off when its feature is off; a host
 * that another, enabled feature also needs is allowed (merged with it).
 */
export function enforcement(list: Allowlist, podScoped: boolean): Enforcement {
  const { items, invalid } = prepare(list);
  const onItems = items.filter((i) => !isOff(i));
  const onKeys = new Set(onItems.map((i) => targetKey(i.parsed, i.port, i.protocol)));
  const offItems = items.filter((i) => isOff(i) && !onKeys.has(targetKey(i.parsed, i.port, i.protocol)));
  const merged = mergeTargets(onItems);
  // a target is node egress only when no pod needs it too
  const allowed = podScoped ? merged.filter((t) => t.egress.includes('pod')) : merged;
  const node = podScoped ? merged.filter((t) => !t.egress.includes('pod')) : [];
  return { allowed, off: mergeTargets(offItems), node, invalidCount: invalid.length };
}

/** `host`, `host:8443`, `host:123/udp`, `[2001:db8::1]:8443` (443/TCP needs no suffix). */
export function hostWithPort(parsed: ParsedHost | string, port: number, protocol: 'tcp' | 'udp'): string {
  const host = typeof parsed === 'string' ? parsed : parsed.host;
  const v6 = host.includes(':');
  if (port === 443 && protocol === 'tcp') return host;
  const suffix = protocol === 'udp' ? '/udp' : '';
  return v6 ? `[${host}]:${port}${suffix}` : `${host}:${port}${suffix}`;
}

/** Port sets as a stable key: `tcp/443,tcp/8443`. */
export function portSetKey(ports: Array<{ port: number; protocol: 'tcp' | 'udp' }>): string {
  return [...new Set(ports.map((p) => `${p.protocol}/${p.port}`))]
    .sort((a, b) => {
      const [pa, na] = a.split('/');
      const [pb, nb] = b.split('/');
      return Number(na) - Number(nb) || pa.localeCompare(pb);
    })
    .join(',');
}

export function parsePortSetKey(key: string): Array<{ port: number; protocol: 'tcp' | 'udp' }> {
  return key.split(',').map((p) => {
    const [protocol, port] = p.split('/');
    return { protocol: protocol === 'udp' ? 'udp' : 'tcp', port: Number(port) };
  });
}

/**
 * Groups targets by host so that each host gets all its ports, then hosts by identical port set
 * (one rule per distinct port set, in first-seen order).
 */
export function groupByPortSet(targets: Target[]): Array<{ key: string; ports: Array<{ port: number; protocol: 'tcp' | 'udp' }>; hosts: Array<{ parsed: ParsedHost; targets: Target[] }> }> {
  const byHost = new Map<string, { parsed: ParsedHost; targets: Target[] }>();
  for (const t of targets) {
    let h = byHost.get(t.parsed.host);
    if (!h) {
      h = { parsed: t.parsed, targets: [] };
      byHost.set(t.parsed.host, h);
    }
    h.targets.push(t);
  }
  const groups = new Map<string, { key: string; ports: Array<{ port: number; protocol: 'tcp' | 'udp' }>; hosts: Array<{ parsed: ParsedHost; targets: Target[] }> }>();
  for (const h of byHost.values()) {
    const key = portSetKey(h.targets);
    let g = groups.get(key);
    if (!g) {
      g = { key, ports: parsePortSetKey(key), hosts: [] };
      groups.set(key, g);
    }
    g.hosts.push(h);
  }
  return [...groups.values()];
}

/** Kubernetes object name (RFC 1123 subdomain, at most 253) or label value (at most 63). */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/;
const LABEL_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;

export function isDnsLabel(s: string): boolean {
  return DNS_LABEL.test(s);
}

/** A label key: optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  if (slash < 0) return LABEL_NAME.test(key);
  const prefix = key.slice(0, slash);
  return prefix.length <= 253 && prefix.split('.').every((l) => DNS_LABEL.test(l)) && LABEL_NAME.test(key.slice(slash + 1));
}

export function isLabelValue(value: string): boolean {
  return LABEL_VALUE.test(value);
}

/** Lower-case RFC 1123 label from free text (feature names), never empty, at most `max` characters. */
export function slug(text: string, max = 40): string {
  const s = oneLine(text)
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return s || 'other';
}

/** The object name to use: the option when it is a valid DNS label, else the default. */
export function objectName(options: AllowlistFormatOptions): string {
  const name = options.name;
  return typeof name === 'string' && DNS_LABEL.test(name) && name.length <= 40 ? name : DEFAULT_OBJECT_NAME;
}

/** Problems with the options, for the CLI to report as usage errors (formatters still never emit them raw). */
export function validateFormatOptions(options: AllowlistFormatOptions): string[] {
  const errors: string[] = [];
  if (options.namespace !== undefined && !DNS_LABEL.test(options.namespace)) {
    errors.push(`--namespace ${JSON.stringify(options.namespace)} is not a valid namespace name (RFC 1123 label)`);
  }
  if (options.name !== undefined && !(DNS_LABEL.test(options.name) && options.name.length <= 40)) {
    errors.push(`--name ${JSON.stringify(options.name)} must be a lower-case RFC 1123 label of at most 40 characters`);
  }
  for (const [k, v] of Object.entries(options.podSelector ?? {})) {
    if (!isLabelKey(k) || typeof v !== 'string' || !isLabelValue(v)) {
      errors.push(`--pod-selector ${JSON.stringify(`${k}=${v}`)} is not a valid label`);
    }
  }
  if (options.apiServerCIDR !== undefined) {
    const p = parseHost(options.apiServerCIDR);
    if (!p || (p.kind !== 'ip' && p.kind !== 'cidr')) {
      errors.push(`--api-server-cidr ${JSON.stringify(options.apiServerCIDR)} is not an IP address or CIDR`);
    }
  }
  return errors;
}

/** The namespace when valid (invalid ones are left out of objects, and said so in a comment). */
export function namespaceOf(options: AllowlistFormatOptions): string | undefined {
  return typeof options.namespace === 'string' && DNS_LABEL.test(options.namespace) ? options.namespace : undefined;
}

/** Pod selector labels that are valid Kubernetes labels (others are dropped, and said so). */
export function podSelectorOf(options: AllowlistFormatOptions): { labels: Record<string, string>; dropped: number } {
  const labels: Record<string, string> = {};
  let dropped = 0;
  for (const [k, v] of Object.entries(options.podSelector ?? {})) {
    if (isLabelKey(k) && typeof v === 'string' && isLabelValue(v)) labels[k] = v;
    else dropped++;
  }
  return { labels, dropped };
}

/**
 * The lines every output starts with (without comment markers): what made it, from which files,
 * and that it holds hosts only.
 */
export function headerLines(list: Allowlist, what: string): string[] {
  const files = (Array.isArray(list.files) ? list.files : []).map((f) => oneLine(f, 200)).filter((f) => f.length > 0);
  const chart = list.chart ? ` (chart ${oneLine(list.chart, 80)})` : '';
  return [
    `${what}, generated by airgap-lint`,
    files.length > 0 ? `from ${files.join(', ')}${chart}.` : `from no values file${chart}.`,
    'Hosts only: no token, API key, password, webhook path or proxy credential is written here.',
  ];
}

/** Lines listing targets an enforcement format leaves out, with the reason (for comments). */
export function leftOutLines(e: Enforcement, podScopedWhy?: string): string[] {
  const lines: string[] = [];
  if (e.off.length > 0) {
    lines.push('Left out: features that are off in these values (turn one on, then generate again):');
    for (const t of e.off) lines.push(`  ${hostWithPort(t.parsed, t.port, t.protocol)} (${t.features.join('; ')}): only if ${t.onlyIf.join('; ')}`);
  }
  if (e.node.length > 0 && podScopedWhy) {
    lines.push(`Left out: node egress. ${podScopedWhy}`);
    for (const t of e.node) lines.push(`  ${hostWithPort(t.parsed, t.port, t.protocol)} (${t.features.join('; ')})`);
  }
  if (e.invalidCount > 0) lines.push(`Left out: ${e.invalidCount} entr${e.invalidCount === 1 ? 'y' : 'ies'} whose host or port is not valid.`);
  // every part is already one line (canonical hosts, oneLine() features and conditions)
  return lines;
}

/** One host of one feature, duplicates merged (text, json, csv: "once per feature"). */
export interface FeatureHost {
  parsed: ParsedHost;
  port: number;
  protocol: 'tcp' | 'udp';
  egress: EgressScope;
  /** Raw reasons, in order, without duplicates. */
  reasons: string[];
  sources: SourceLine[];
  expands: string[];
  patterns: string[];
  enabledBy: SourceLine | null;
  /** Raw `onlyIf`; unset when any merged entry is on. */
  onlyIf?: string;
}

export interface FeatureGroup {
  /** Raw feature name. */
  feature: string;
  egress: EgressScope;
  hosts: FeatureHost[];
}

function sameSource(a: SourceLine, b: SourceLine): boolean {
  return a.path === b.path && a.line === b.line;
}

function validSourceLine(s: unknown): s is SourceLine {
  return typeof s === 'object' && s !== null && typeof (s as SourceLine).path === 'string' && typeof (s as SourceLine).line === 'number';
}

/**
 * Items grouped by feature and egress scope (first-seen order), each host:port:protocol once per
 * group: reasons, sources and expansions merged.
 */
export function groupByFeature(items: Item[]): FeatureGroup[] {
  const groups = new Map<string, FeatureGroup>();
  const hosts = new Map<string, FeatureHost>();
  for (const item of items) {
    const feature = typeof item.entry.feature === 'string' && item.entry.feature.length > 0 ? item.entry.feature : 'other';
    const egress: EgressScope = item.entry.egress === 'node' ? 'node' : 'pod';
    const gkey = JSON.stringify([feature, egress]);
    let g = groups.get(gkey);
    if (!g) {
      g = { feature, egress, hosts: [] };
      groups.set(gkey, g);
    }
    const hkey = `${gkey} ${targetKey(item.parsed, item.port, item.protocol)}`;
    let h = hosts.get(hkey);
    const off = isOff(item);
    if (!h) {
      h = {
        parsed: item.parsed,
        port: item.port,
        protocol: item.protocol,
        egress,
        reasons: [],
        sources: [],
        expands: [],
        patterns: [],
        enabledBy: validSourceLine(item.entry.enabledBy) ? item.entry.enabledBy : null,
        onlyIf: off ? (item.entry.onlyIf as string) : undefined,
      };
      hosts.set(hkey, h);
      g.hosts.push(h);
    } else {
      if (!off) h.onlyIf = undefined;
      if (!h.enabledBy && validSourceLine(item.entry.enabledBy)) h.enabledBy = item.entry.enabledBy;
    }
    if (typeof item.entry.reason === 'string' && item.entry.reason.length > 0) pushUnique(h.reasons, item.entry.reason);
    for (const s of Array.isArray(item.entry.sources) ? item.entry.sources : []) {
      if (validSourceLine(s) && !h.sources.some((x) => sameSource(x, s))) h.sources.push(s);
    }
    for (const e of item.expands) pushUnique(h.expands, e);
    for (const p of item.patterns) pushUnique(h.patterns, p);
  }
  return [...groups.values()];
}

export const NODE_EGRESS_WHY = 'Image pulls are made by the nodes\' container runtime (kubelet), not by these pods, so a pod policy neither needs nor governs them: allow them where node traffic is filtered.';
