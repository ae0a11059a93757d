// The questions the proxy rules ask: does NO_PROXY string S cover destination D under every
// active runtime, and if not, which runtime fails and why? And: what is the smallest set of
// entries to append so that every missing destination is covered everywhere?
//
// Destinations are a host (a name such as kubernetes.default.svc.cluster.local, or an IP
// literal, optionally with scheme and port) or a whole address block (pod or service CIDR).
// A block is covered only if ONE entry covers all of it: under Go, curl and (IPv4 only) Python
// that is a CIDR entry containing it, or `*`; under a runtime without CIDR support (Node, and
// Python for IPv6) only `*` as the whole value does, because a client connects to pod IPs one by
// one and no single name or IP entry can match them all. A block of one address (/32, /128) is
// treated as that IP. No runtime resolves DNS before matching, so an IP entry never covers a
// name and a name entry never covers an IP.
import { cidrInfo, formatCount, rangeContains, type IPRange } from './cidr';
import { curlMatcher } from './curl';
import { goMatcher } from './go';
import { formatIP, isLoopback, parseIPv4, parseIPv6, type IPValue } from './ip';
import { nodeMatcher } from './node';
import { parseNoProxy, type NoProxyEntry, type ParsedNoProxy } from './parse';
import { pythonMatcher } from './python';
import { DIALECT_LABEL, isDialect, type Dialect, type DialectMatcher, type DialectReading, type DialectToken, type EntryMatch, type Target } from './types';

const MAX_NEAR_MISSES = 3;

export const MATCHERS: Record<Dialect, DialectMatcher> = {
  go: goMatcher as DialectMatcher,
  curl: curlMatcher as DialectMatcher,
  python: pythonMatcher as DialectMatcher,
  node: nodeMatcher as DialectMatcher,
};

export type Destination =
  | { kind: 'host'; text: string; target: Target; ip?: IPValue; label?: string }
  | { kind: 'range'; text: string; range: IPRange; size: bigint; label?: string };

/**
 * Reads a destination: `10.244.0.0/16` (a block), `10.96.0.1`, `::1`, `[fd00::1]:443`,
 * `redis:6379`, `kubernetes.default.svc.cluster.local`, or a URL
 * (`http://prometheus.monitoring.svc:9090/metrics`). Undefined when it is none of these.
 */
export function destination(input: string | Target, label?: string): Destination | undefined {
  if (typeof input !== 'string') return hostDestination(input, label);
  const s = input.trim();
  if (s === '' || s.length > 2048) return undefined;
  const url = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?/i.exec(s);
  if (url) {
    if (url[2] === '') return undefined;
    return hostDestination({ host: url[2], scheme: url[1].toLowerCase(), port: url[3] ? Number(url[3]) : undefined }, label);
  }
  if (s.includes('/')) {
    const info = cidrInfo(s);
    if (!info) return undefined;
    if (info.size === 1n) return hostDestination({ host: info.first }, label);
    return { kind: 'range', text: info.cidr, range: info.range, size: info.size, label };
  }
  const v6port = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6port) return hostDestination({ host: v6port[1], port: v6port[2] ? Number(v6port[2]) : undefined }, label);
  if (parseIPv6(s) !== undefined) return hostDestination({ host: s }, label);
  const hp = /^([^:]+):(\d+)$/.exec(s);
  if (hp) return hostDestination({ host: hp[1], port: Number(hp[2]) }, label);
  if (s.includes(':')) return undefined;
  return hostDestination({ host: s }, label);
}

function hostDestination(target: Target, label?: string): Destination | undefined {
  let host = target.host.trim();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === '' || /[\s,/]/.test(host)) return undefined;
  host = host.toLowerCase();
  const v4 = parseIPv4(host);
  const v6 = v4 === undefined ? parseIPv6(host) : undefined;
  const ip: IPValue | undefined = v4 !== undefined ? { family: 4, value: v4 } : v6 !== undefined ? { family: 6, value: v6 } : undefined;
  if (ip) host = formatIP(ip);
  const port = target.port;
  const text = port !== undefined ? (ip?.family === 6 ? `[${host}]:${port}` : `${host}:${port}`) : host;
  return { kind: 'host', text, target: { host, port, scheme: target.scheme }, ip, label };
}

function asDestination(d: string | Destination | Target): Destination | undefined {
  if (typeof d === 'object' && 'kind' in d) return d;
  return destination(d as string | Target);
}

// ---------------------------------------------------------------------------------------------

export interface DialectVerdict {
  dialect: Dialect;
  covered: boolean;
  /** The entry that covers the destination (absent for an implicit bypass or a whole-value `*`). */
  entry?: NoProxyEntry;
  /** One sentence: why it is covered, or why not. */
  why: string;
  /** Entries that cover the destination under another active runtime but not this one. */
  nearMisses: Array<{ entry: NoProxyEntry; why: string }>;
}

export interface Coverage {
  destination: Destination;
  covered: boolean;
  verdicts: DialectVerdict[];
  /** Active runtimes under which the destination is not covered. */
  failing: Dialect[];
  /** A sentence for messages: which runtime fails and why, or what covers it. */
  message: string;
}

/**
 * Checks many destinations against one NO_PROXY string: parses and reads the string once per
 * runtime. Unknown runtime names (`java` from the config) are ignored: Java does not read
 * NO_PROXY at all, so no entry can cover anything for it; the rules say so separately.
 */
export class NoProxyChecker {
  readonly parsed: ParsedNoProxy;
  readonly dialects: Dialect[];
  private readonly readings = new Map<Dialect, DialectReading>();
  /** Entries sorted by start offset, to map a token back to its entry. */
  private readonly entryStarts: number[];

  constructor(noProxy: string | ParsedNoProxy, dialects: readonly string[]) {
    this.parsed = typeof noProxy === 'string' ? parseNoProxy(noProxy) : noProxy;
    this.dialects = dialects.filter(isDialect);
    this.entryStarts = this.parsed.entries.map((e) => e.itemStart);
  }

  reading(dialect: Dialect): DialectReading {
    let r = this.readings.get(dialect);
    if (!r) {
      r = MATCHERS[dialect].read(this.parsed.text);
      this.readings.set(dialect, r);
    }
    return r;
  }

  /** The comma item a token (or offset) belongs to. */
  entryAtOffset(offset: number): NoProxyEntry | undefined {
    let lo = 0;
    let hi = this.entryStarts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.entryStarts[mid] <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 ? this.parsed.entries[found] : undefined;
  }

  /** Whether the destination is covered under one runtime, by which entry, and why. */
  verdict(dest: Destination, dialect: Dialect): Omit<DialectVerdict, 'nearMisses'> & { token?: DialectToken } {
    const m = MATCHERS[dialect];
    const reading = this.reading(dialect);
    if (dest.kind === 'host') {
      const implicit = m.implicitBypass(dest.target);
      if (implicit) return { dialect, covered: true, why: implicit };
    } else if (dialect === 'go' && isLoopbackRange(dest.range)) {
      return { dialect, covered: true, why: 'Go never sends requests for loopback addresses to the proxy' };
    }
    if (reading.all) return { dialect, covered: true, entry: this.entryAtOffset(reading.all.start), why: reading.all.why };
    for (const token of reading.tokens) {
      const r = dest.kind === 'host' ? m.matchToken(token, dest.target) : m.coversRange(token, dest.range);
      if (r.matches) return { dialect, covered: true, entry: this.entryAtOffset(token.start), token, why: r.why };
    }
    const what = dest.kind === 'host' ? dest.text : `all of ${dest.text}`;
    return { dialect, covered: false, why: `no entry matches ${what} under ${DIALECT_LABEL[dialect]}` };
  }

  check(input: string | Destination | Target): Coverage | undefined {
    const dest = asDestination(input);
    if (!dest) return undefined;
    const base = this.dialects.map((d) => this.verdict(dest, d));
    // Entries worth explaining where a runtime fails: those that cover the destination under
    // another runtime, then those that look related to it (same name labels, range around it).
    const suspects = new Set<NoProxyEntry>();
    for (const v of base) if (v.covered && v.entry) suspects.add(v.entry);
    if (base.some((v) => !v.covered)) for (const e of this.relatedEntries(dest)) suspects.add(e);
    const verdicts: DialectVerdict[] = base.map((v) => {
      const nearMisses: DialectVerdict['nearMisses'] = [];
      if (!v.covered) {
        for (const entry of suspects) {
          if (nearMisses.length >= MAX_NEAR_MISSES) break;
          const r = this.explainEntry(entry, dest, v.dialect);
          if (!r.matches) nearMisses.push({ entry, why: r.why });
        }
      }
      return { dialect: v.dialect, covered: v.covered, entry: v.entry, why: v.why, nearMisses };
    });
    const failing = verdicts.filter((v) => !v.covered).map((v) => v.dialect);
    return { destination: dest, covered: failing.length === 0 && verdicts.length > 0, verdicts, failing, message: coverageMessage(dest, verdicts) };
  }

  /** Entries that look as if they were meant for the destination (at most a few). */
  private relatedEntries(dest: Destination): NoProxyEntry[] {
    const out: NoProxyEntry[] = [];
    const related = (e: NoProxyEntry): boolean => {
      if (e.kind === 'wildcard') return true;
      if (dest.kind === 'range') return e.range !== undefined && e.range.family === dest.range.family && e.range.start <= dest.range.end && dest.range.start <= e.range.end;
      if (dest.ip) {
        if (e.range) return e.range.family === dest.ip.family && e.range.start <= dest.ip.value && dest.ip.value <= e.range.end;
        return e.host === dest.target.host;
      }
      let h = e.host;
      if (e.kind === 'url' && e.urlHost) h = e.urlHost.replace(/:\d*$/, '').replace(/^\[|\]$/g, '');
      if (!h || e.range) return false;
      const name = dest.target.host;
      return name === h || name.endsWith('.' + h) || name.startsWith(h + '.') || name.includes('.' + h + '.');
    };
    for (const e of this.parsed.entries) {
      if (out.length >= MAX_NEAR_MISSES) break;
      if (related(e) || (e.kind === 'multiple' && e.words?.some(related))) out.push(e);
    }
    return out;
  }

  /** What one entry of this string does for a destination under one runtime (a plain object). */
  explainEntry(entry: NoProxyEntry, input: string | Destination | Target, dialect: Dialect): EntryMatch {
    const r = this.explainEntryLazy(entry, input, dialect);
    return { matches: r.matches, why: r.why };
  }

  private explainEntryLazy(entry: NoProxyEntry, input: string | Destination | Target, dialect: Dialect): EntryMatch {
    const dest = asDestination(input);
    if (!dest) return { matches: false, why: 'not a destination' };
    const e = '`' + entry.text + '`';
    if (entry.kind === 'empty') return { matches: false, why: 'an empty entry matches nothing' };
    const m = MATCHERS[dialect];
    const reading = this.reading(dialect);
    const tokens = tokensWithin(reading.tokens, entry.itemStart, entry.itemEnd);
    if (reading.all && reading.all.start >= entry.itemStart && reading.all.end <= entry.itemEnd) return { matches: true, why: reading.all.why };
    if (entry.kind === 'wildcard' || (entry.kind === 'multiple' && entry.words?.some((w) => w.kind === 'wildcard'))) {
      if (dialect !== 'go') return { matches: false, why: '`*` means "every host" only when it is the whole NO_PROXY value (only Go honours it as one entry among others)' };
    }
    if (tokens.length === 0) {
      if (reading.stop && reading.stop.offset <= entry.start) return { matches: false, why: reading.stop.why };
      if (reading.all && dialect === 'go') return { matches: true, why: reading.all.why };
      return { matches: false, why: `${DIALECT_LABEL[dialect]} does not read ${e} as an entry` };
    }
    let first: EntryMatch | undefined;
    for (const token of tokens) {
      const r = dest.kind === 'host' ? m.matchToken(token, dest.target) : m.coversRange(token, dest.range);
      if (r.matches) return r;
      first ??= r;
    }
    let why = first!.why;
    if (entry.kind === 'multiple' && dialect === 'go') why = `Go splits NO_PROXY on commas only, so ${e} is one entry containing a space, which never matches`;
    else if (entry.kind === 'multiple' && dialect === 'python') why = `Python requests deletes the spaces in ${e} and reads it as one entry, which never matches`;
    if (reading.stop && reading.stop.offset < entry.end && dialect === 'curl') why += `; ${reading.stop.why}`;
    return { matches: false, why };
  }
}

/** The tokens lying inside [start, end); tokens are in string order, so binary-search the first. */
function tokensWithin(tokens: readonly DialectToken[], start: number, end: number): DialectToken[] {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].start < start) lo = mid + 1;
    else hi = mid;
  }
  const out: DialectToken[] = [];
  for (let i = lo; i < tokens.length && tokens[i].start < end; i++) if (tokens[i].end <= end) out.push(tokens[i]);
  return out;
}

function isLoopbackRange(range: IPRange): boolean {
  const first: IPValue = { family: range.family, value: range.start };
  const last: IPValue = { family: range.family, value: range.end };
  return isLoopback(first) && isLoopback(last) && (range.family === 4 || range.start === range.end);
}

function listDialects(ds: Dialect[]): string {
  const names = ds.map((d) => DIALECT_LABEL[d]);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function describeDestination(dest: Destination): string {
  const what = dest.kind === 'range' ? `${dest.text} (${formatCount(dest.size)} addresses)` : dest.text;
  return dest.label ? `${dest.label} ${what}` : what;
}

function coverageMessage(dest: Destination, verdicts: DialectVerdict[]): string {
  const failing = verdicts.filter((v) => !v.covered);
  if (verdicts.length === 0) return `${describeDestination(dest)}: no runtime that reads NO_PROXY is active`;
  if (failing.length === 0) {
    const entries = [...new Set(verdicts.map((v) => v.entry?.text).filter((t): t is string => t !== undefined))];
    return entries.length > 0
      ? `${describeDestination(dest)} is covered by ${entries.map((t) => '`' + t + '`').join(' / ')} under ${listDialects(verdicts.map((v) => v.dialect))}`
      : `${describeDestination(dest)} is covered under ${listDialects(verdicts.map((v) => v.dialect))}`;
  }
  // Runtimes failing for the same reason are named together.
  const byReason = new Map<string, Dialect[]>();
  for (const v of failing) {
    const reason = v.nearMisses.length > 0 ? v.nearMisses.map((n) => n.why).join('; ') : 'no entry matches it';
    byReason.set(reason, [...(byReason.get(reason) ?? []), v.dialect]);
  }
  const parts = [...byReason].map(([reason, ds]) => `under ${listDialects(ds)}: ${reason}`);
  const ok = verdicts.filter((v) => v.covered).map((v) => v.dialect);
  const okText = ok.length > 0 ? ` (covered under ${listDialects(ok)})` : '';
  return `${describeDestination(dest)} is not covered ${parts.join('; ')}${okText}`;
}

/** One-shot form of NoProxyChecker.check. */
export function coverage(noProxy: string | ParsedNoProxy, dest: string | Destination | Target, dialects: readonly string[]): Coverage | undefined {
  return new NoProxyChecker(noProxy, dialects).check(dest);
}

/** What a single entry written on its own matches, under one runtime. */
export function matchEntry(entryText: string, dest: string | Destination | Target, dialect: Dialect): EntryMatch {
  const checker = new NoProxyChecker(entryText, [dialect]);
  const entry = checker.parsed.entries.find((e) => e.kind !== 'empty');
  if (!entry) return { matches: false, why: 'an empty entry matches nothing' };
  return checker.explainEntry(entry, dest, dialect);
}

// ---------------------------------------------------------------------------------------------
// Smallest set of entries to append.

export interface EntrySuggestion {
  /** Entry text to append. */
  entry: string;
  /** The destinations (their `text`) it covers, under the runtimes where it is needed. */
  covers: string[];
}

export interface MinimalEntries {
  /** Entries to append, in the order of the destinations that need them. */
  entries: string[];
  suggestions: EntrySuggestion[];
  /** What no appended entry can fix, per destination, with the failing runtimes and why. */
  uncovered: Array<{ destination: Destination; dialects: Dialect[]; why: string }>;
}

export interface MinimalEntriesOptions {
  /** Cluster DNS domain: names under it are covered with one `.<domain>` entry. Default cluster.local. */
  clusterDomain?: string;
}

interface Candidate {
  entry: string;
  /** Lower is preferred on a tie. */
  rank: number;
  order: number;
}

/**
 * The smallest set of entries to append to `existing` so that every destination in `missing`
 * is covered under every runtime in `dialects`. Destinations already covered are skipped, so
 * calling it again on the fixed string returns nothing (idempotent).
 *
 * Entries are chosen from forms that mean the same thing in Go, curl, Python and Node: `.x` for
 * names under the cluster domain or under `.svc` (the dot form is also what proxy-from-env and
 * wget need for subdomains), the plain name for any other host, a bare IP (IPv6 without
 * brackets), and the canonical CIDR for a block. A CIDR also covers the IPs inside it under the
 * runtimes that read CIDRs, so the apiserver IP is added only when a runtime without CIDR support
 * (Node) is active. Greedy set cover over (destination, runtime) pairs; with these candidate
 * shapes it yields the minimum.
 */
export function minimalEntries(
  missing: ReadonlyArray<string | Destination | Target>,
  dialects: readonly string[],
  existing: string | ParsedNoProxy = '',
  options: MinimalEntriesOptions = {},
): MinimalEntries {
  const active = dialects.filter(isDialect);
  const checker = new NoProxyChecker(existing, active);
  const existingText = checker.parsed.text;
  const present = new Set(checker.parsed.entries.map((e) => e.text.toLowerCase()));
  const clusterDomain = (options.clusterDomain ?? 'cluster.local').replace(/^\.+|\.+$/g, '').toLowerCase();

  const dests: Destination[] = [];
  const seen = new Set<string>();
  for (const m of missing) {
    const d = asDestination(m);
    if (!d || seen.has(d.kind + d.text)) continue;
    seen.add(d.kind + d.text);
    dests.push(d);
  }

  // Which runtimes would even read an appended entry (curl stops at a stray blank).
  const sentinel = 'airgap-lint-sentinel.invalid';
  const joined = appendEntries(existingText, [sentinel]);
  const appendable = new Set(active.filter((d) => MATCHERS[d].read(joined).tokens.some((t) => t.text === sentinel)));

  // Pairs still to cover.
  const pending = new Map<string, { dest: Destination; dialect: Dialect }>();
  for (const dest of dests) {
    for (const d of active) {
      if (!checker.verdict(dest, d).covered) pending.set(`${dest.kind}${dest.text}|${d}`, { dest, dialect: d });
    }
  }

  // Candidates.
  const candidates = new Map<string, Candidate>();
  let order = 0;
  const add = (entry: string, rank: number) => {
    const key = entry.toLowerCase();
    if (present.has(key) || candidates.has(key)) return;
    candidates.set(key, { entry, rank, order: order++ });
  };
  for (const { dest } of pending.values()) {
    if (dest.kind === 'range') add(dest.text, 0);
    else if (dest.ip) {
      for (const other of dests) if (other.kind === 'range' && rangeContains(other.range, { family: dest.ip.family, start: dest.ip.value, end: dest.ip.value, prefix: 0 })) add(other.text, 0);
      add(dest.target.host, 2);
    } else {
      const name = dest.target.host.replace(/\.$/, '');
      if (clusterDomain && name.endsWith('.' + clusterDomain)) add('.' + clusterDomain, 0);
      else if (name.endsWith('.svc')) add('.svc', 1);
      add(name, 2);
    }
  }

  const coverCache = new Map<string, boolean>();
  const candidateCovers = (c: Candidate, dest: Destination, dialect: Dialect): boolean => {
    if (!appendable.has(dialect)) return false;
    const key = `${c.entry}|${dest.kind}${dest.text}|${dialect}`;
    let v = coverCache.get(key);
    if (v === undefined) {
      v = new NoProxyChecker(c.entry, [dialect]).verdict(dest, dialect).covered;
      coverCache.set(key, v);
    }
    return v;
  };

  const chosen: Array<{ candidate: Candidate; covers: Set<string> }> = [];
  while (pending.size > 0) {
    let best: { candidate: Candidate; keys: string[] } | undefined;
    for (const c of candidates.values()) {
      const keys: string[] = [];
      for (const [key, p] of pending) if (candidateCovers(c, p.dest, p.dialect)) keys.push(key);
      if (keys.length === 0) continue;
      if (
        !best ||
        keys.length > best.keys.length ||
        (keys.length === best.keys.length && (c.rank < best.candidate.rank || (c.rank === best.candidate.rank && c.order < best.candidate.order)))
      ) {
        best = { candidate: c, keys };
      }
    }
    if (!best) break;
    const covers = new Set<string>();
    for (const key of best.keys) {
      covers.add(pending.get(key)!.dest.text);
      pending.delete(key);
    }
    candidates.delete(best.candidate.entry.toLowerCase());
    chosen.push({ candidate: best.candidate, covers });
  }

  // Order: by the first destination each entry covers, in the order they were given.
  const destIndex = new Map(dests.map((d, i) => [d.text, i]));
  chosen.sort((a, b) => Math.min(...[...a.covers].map((t) => destIndex.get(t) ?? 0)) - Math.min(...[...b.covers].map((t) => destIndex.get(t) ?? 0)) || a.candidate.order - b.candidate.order);

  const uncoveredByDest = new Map<string, { destination: Destination; dialects: Dialect[] }>();
  for (const p of pending.values()) {
    const u = uncoveredByDest.get(p.dest.text) ?? { destination: p.dest, dialects: [] };
    u.dialects.push(p.dialect);
    uncoveredByDest.set(p.dest.text, u);
  }
  const uncovered = [...uncoveredByDest.values()].map((u) => ({ ...u, why: uncoverableWhy(u.destination, u.dialects, appendable, checker) }));

  return {
    entries: chosen.map((c) => c.candidate.entry),
    suggestions: chosen.map((c) => ({ entry: c.candidate.entry, covers: [...c.covers] })),
    uncovered,
  };
}

function uncoverableWhy(dest: Destination, dialects: Dialect[], appendable: Set<Dialect>, checker: NoProxyChecker): string {
  const reasons: string[] = [];
  for (const d of dialects) {
    if (!appendable.has(d)) {
      const stop = checker.reading(d).stop;
      reasons.push(stop ? `${stop.why} (at offset ${stop.offset}); fix that entry first` : `${DIALECT_LABEL[d]} would not read an appended entry`);
    } else if (dest.kind === 'range') {
      reasons.push(
        d === 'python'
          ? `Python requests has no IPv6 CIDR support: no single entry covers every address of ${dest.text} (only \`*\` as the whole value would)`
          : `${DIALECT_LABEL[d]} has no CIDR support: no single entry covers every address of ${dest.text} (only \`*\` as the whole value would)`,
      );
    } else reasons.push(`no entry form covers ${dest.text} under ${DIALECT_LABEL[d]}`);
  }
  return [...new Set(reasons)].join('; ');
}

/**
 * Appends entries to a NO_PROXY string, keeping its separator style (`, ` when the string
 * already uses it) and not doubling a trailing comma.
 */
export function appendEntries(noProxy: string, entries: readonly string[]): string {
  if (entries.length === 0) return noProxy;
  const sep = /,[ \t]/.test(noProxy) ? ', ' : ',';
  const trimmed = noProxy.replace(/\s+$/, '');
  if (trimmed === '') return entries.join(sep);
  const glue = trimmed.endsWith(',') ? (sep === ', ' ? ' ' : '') : sep;
  return trimmed + glue + entries.join(sep) + noProxy.slice(trimmed.length);
}

