// Checks of the entries of one NO_PROXY value, whatever the cluster: entries that do not do
// what they look like under an active runtime (proxy/no-proxy-ineffective), `*`
// (proxy/no-proxy-wildcard) and entries another entry already covers (proxy/no-proxy-redundant).
// Each finding sits on the entry itself, located inside the YAML scalar (scalar.ts).
import type { ValuesDocument } from '../document';
import { DIALECT_LABEL, NoProxyChecker, listDialects, describeEntry, destination, type Destination, type Dialect, type NoProxyEntry, type Target } from '../noproxy';
import { formatRange, rangeOf, rangeSize } from '../noproxy/cidr';
import { formatIP } from '../noproxy/ip';
import type { FindingInput } from './types';
import type { Fix, Range } from '../types';
import type { ProxyVar } from '../proxy/discover';
import { setScalarValueEdit, valuePartRange } from '../edits/scalar';
import { capitalize, clip, quoted } from '../wording';

/** At most this many findings of one rule per NO_PROXY value (a 10,000-entry list stays readable). */
export const MAX_ENTRY_FINDINGS = 100;

/** A NO_PROXY entry or value in a message (plain text: editors show messages raw). */
export const code = (s: string): string => quoted(s, 80);

interface Context {
  doc: ValuesDocument;
  v: ProxyVar;
  value: string;
  checker: NoProxyChecker;
  dialects: Dialect[];
  clusterDomain: string;
  report(f: FindingInput): void;
}

function entryRange(ctx: Context, e: { start: number; end: number }): Range {
  return ctx.v.valueNode ? valuePartRange(ctx.doc, ctx.v.valueNode, e.start, e.end) : ctx.doc.rangeOf(ctx.v.nameNode);
}

function replaceEntryFix(ctx: Context, e: NoProxyEntry, replacement: string, title: string, safe = false): Fix | undefined {
  if (!ctx.v.valueNode) return undefined;
  const next = ctx.value.slice(0, e.start) + replacement + ctx.value.slice(e.end);
  return { title, edits: [setScalarValueEdit(ctx.doc, ctx.v.valueNode, next, ctx.v.inFlow)], safe };
}

/** The value without one comma item (and one of the commas around it). */
export function withoutEntry(value: string, entries: readonly NoProxyEntry[], e: NoProxyEntry): string {
  const i = entries.indexOf(e);
  const next = entries[i + 1];
  if (i > 0) return value.slice(0, e.itemStart - 1) + value.slice(e.itemEnd);
  if (next) return value.slice(0, e.itemStart) + value.slice(next.start);
  return value.slice(0, e.itemStart) + value.slice(e.itemEnd);
}

export function checkEntries(ctx: Context): void {
  const entries = ctx.checker.parsed.entries;
  if (entries.length === 0) return;
  const reported = ineffective(ctx, entries);
  wildcard(ctx, entries);
  // An entry already reported as ineffective gets its rewrite there, not a second "remove it".
  redundant(ctx, entries, reported);
}

// ------------------------------------------------------------------ proxy/no-proxy-ineffective

function clusterDomainCovered(ctx: Context): boolean {
  const probe = destination(`kubernetes.default.svc.${ctx.clusterDomain}`);
  if (!probe) return true;
  return ctx.dialects.every((d) => ctx.checker.verdict(probe, d).covered);
}

/** The entry rewritten to what it evidently means, when that is clear. */
function intendedText(e: NoProxyEntry): string | undefined {
  switch (e.kind) {
    case 'url': {
      const h = e.urlHost?.replace(/:\d*$/, '');
      return h && !h.includes('@') ? h : undefined;
    }
    case 'multiple':
      return e.words?.map((w) => w.text).join(',');
    case 'ipv6':
      return e.bracketed ? e.host : undefined;
    case 'host-port':
      if (e.family === 6) return e.host;
      return e.text.replace(/:\d+$/, '');
    case 'domain':
      if (e.issues.some((i) => i.code === 'trailing-dot')) return e.text.replace(/\.$/, '');
      if (e.form === 'star-dot') return e.text.slice(1);
      return undefined;
    default:
      return undefined;
  }
}

/** The runtime never reaches the entry: curl stopped at an earlier blank, Go at an earlier `*`. */
function shadowedUnder(ctx: Context, e: NoProxyEntry, d: Dialect): boolean {
  const reading = ctx.checker.reading(d);
  if (d === 'curl' && reading.stop && reading.stop.offset <= e.start) return true;
  if (d === 'go' && reading.all && reading.all.end <= e.start) return true;
  return false;
}

function ineffective(ctx: Context, entries: readonly NoProxyEntry[]): Set<NoProxyEntry> {
  const reported = new Set<NoProxyEntry>();
  let count = 0;
  const texts = new Set(entries.map((e) => e.text.toLowerCase()));
  let svcChecked = false;
  for (const e of entries) {
    if (count >= MAX_ENTRY_FINDINGS) break;
    if (e.kind === 'empty' || e.kind === 'wildcard') continue;
    if (e.kind === 'multiple') {
      const fixText = intendedText(e)!;
      const issue = e.issues[0]?.message ?? `"${e.text}" holds several entries separated by whitespace`;
      const how = ctx.dialects
        .map((d) => `${DIALECT_LABEL[d]}: ${describeEntry(ctx.checker, e, d).text}`)
        .join('; ');
      const fix = replaceEntryFix(ctx, e, fixText, `Separate with commas: ${code(fixText)}`);
      ctx.report({
        code: 'proxy/no-proxy-ineffective',
        message: clip(`NO_PROXY entry ${code(e.text)} holds several entries: separate them with commas`),
        detail: `${issue}. ${how}.`,
        range: entryRange(ctx, e),
        fixes: fix ? [fix] : [],
      });
      count++;
      reported.add(e);
      continue;
    }
    const inert: Array<{ d: Dialect; text: string }> = [];
    const shadowed: Dialect[] = [];
    for (const d of ctx.dialects) {
      // Dead only because of an earlier entry (curl stops at a blank, Go stops at `*`): that entry is reported.
      if (shadowedUnder(ctx, e, d)) {
        shadowed.push(d);
        continue;
      }
      const m = describeEntry(ctx.checker, e, d);
      if (m.inert) inert.push({ d, text: m.text });
    }
    // `[::1]` beside `::1` is the portable recipe (bracketed for urllib and proxy-from-env): harmless.
    if (e.kind === 'ipv6' && e.bracketed && e.host && texts.has(e.host)) continue;
    if (inert.length === 0) {
      if (!svcChecked && e.kind === 'domain' && e.host === 'svc' && e.form !== 'star-dot') {
        svcChecked = true;
        if (!clusterDomainCovered(ctx)) {
          const replacement = `${e.text},.${ctx.clusterDomain}`;
          const fix = replaceEntryFix(ctx, e, replacement, `Add .${ctx.clusterDomain} beside ${code(e.text)}`);
          ctx.report({
            code: 'proxy/no-proxy-ineffective',
            message: clip(`NO_PROXY entry ${code(e.text)} misses Service names under ${ctx.clusterDomain}: add .${ctx.clusterDomain}`),
            detail: `${e.text} matches only names ending in .svc (foo.ns.svc), not the names cluster DNS gives Services (foo.ns.svc.${ctx.clusterDomain}), and no other entry covers the cluster domain.`,
            range: entryRange(ctx, e),
            fixes: fix ? [fix] : [],
          });
          count++;
          reported.add(e);
        }
      }
      continue;
    }
    // Runtimes with the same explanation are named together.
    const byText = new Map<string, Dialect[]>();
    for (const i of inert) byText.set(i.text, [...(byText.get(i.text) ?? []), i.d]);
    const parts = [...byText].map(([text, ds]) => `under ${listDialects(ds)} it matches ${text}`);
    const working = ctx.dialects.filter((d) => !shadowed.includes(d) && !inert.some((i) => i.d === d));
    const meant = intendedText(e);
    const meantEntry = meant !== undefined && meant !== '' && meant !== e.text ? meant : undefined;
    const advice = meantEntry ? ` Write ${code(meantEntry)}.` : '';
    const also = working.length ? ` (it works under ${listDialects(working)})` : '';
    const fix = meantEntry ? replaceEntryFix(ctx, e, meantEntry, `Rewrite as ${code(meantEntry)}`) : undefined;
    const inertUnder = listDialects(inert.map((i) => i.d));
    ctx.report({
      code: 'proxy/no-proxy-ineffective',
      message: clip(
        meantEntry
          ? `NO_PROXY entry ${code(e.text)} does not work as written under ${inertUnder}: write ${code(meantEntry)}`
          : `NO_PROXY entry ${code(e.text)} does not match what it looks like under ${inertUnder}`,
      ),
      detail: `${capitalize(parts.join('; '))}${also}.${advice}`,
      range: entryRange(ctx, e),
      fixes: fix ? [fix] : [],
    });
    count++;
    reported.add(e);
  }
  return reported;
}

// ------------------------------------------------------------------ proxy/no-proxy-wildcard

function wildcard(ctx: Context, entries: readonly NoProxyEntry[]): void {
  const stars = entries.filter((e) => e.kind === 'wildcard');
  if (stars.length === 0) return;
  const whole = ctx.value.trim() === '*';
  for (const e of stars.slice(0, MAX_ENTRY_FINDINGS)) {
    let message: string;
    let detail: string;
    if (whole) {
      message = 'NO_PROXY * sends every request past the proxy: list the hosts that must bypass it instead';
      detail = 'Nothing this container sends uses the proxy, and behind a firewall every outside request fails.';
    } else {
      const go = ctx.dialects.includes('go');
      const others = ctx.dialects.filter((d) => d !== 'go');
      const parts: string[] = [];
      if (go) parts.push('Go bypasses the proxy for every host when * is any entry');
      if (others.length) parts.push(`${listDialects(others)} ${others.length > 1 ? 'ignore' : 'ignores'} it (they honour * only as the whole value)`);
      message = 'NO_PROXY entry * among others: remove it, or make * the whole value if nothing should use the proxy';
      detail = `${parts.join(', while ')}${go && others.length ? ': the runtimes disagree' : ''}.`;
    }
    ctx.report({ code: 'proxy/no-proxy-wildcard', message, detail, range: entryRange(ctx, e) });
  }
}

// ------------------------------------------------------------------ proxy/no-proxy-redundant

const PROBE_PORT = 8443;

/** What an entry matches, as probe requests (names: the apex and a subdomain; IPs: the address; CIDRs: the block). */
function probesOf(e: NoProxyEntry): Array<Destination | Target> {
  if (e.kind === 'cidr' && e.range) {
    // Built directly: reading the block again through ip-cidr costs ~30 µs per entry.
    const size = rangeSize(e.range);
    if (size === 1n) return e.host ? [{ host: formatIP({ family: e.range.family, value: e.range.start }), port: PROBE_PORT, scheme: 'https' }] : [];
    return [{ kind: 'range', text: formatRange(e.range), range: e.range, size }];
  }
  const port = e.port ?? PROBE_PORT;
  if ((e.kind === 'ipv4' || e.kind === 'ipv6' || (e.kind === 'host-port' && e.family)) && e.host) return [{ host: e.host, port, scheme: 'https' }];
  if ((e.kind === 'domain' || e.kind === 'host-port') && e.host) return [{ host: e.host, port, scheme: 'https' }, { host: `probe.${e.host}`, port, scheme: 'https' }];
  return [];
}

/** Whether `b` matches, under every active runtime, everything `a` matches there. */
function covers(ctx: Context, b: NoProxyEntry, a: NoProxyEntry, probes: Array<Destination | Target>): boolean {
  for (const d of ctx.dialects) {
    if (shadowedUnder(ctx, a, d)) continue;
    for (const p of probes) {
      if (!ctx.checker.explainEntry(a, p, d).matches) continue;
      if (!ctx.checker.explainEntry(b, p, d).matches) return false;
    }
  }
  return true;
}

function redundant(ctx: Context, entries: readonly NoProxyEntry[], skip: ReadonlySet<NoProxyEntry>): void {
  if (ctx.dialects.length === 0) return;
  const byText = new Map<string, NoProxyEntry>();
  const byHost = new Map<string, NoProxyEntry[]>();
  const byBlock = new Map<string, NoProxyEntry[]>();
  const byAddress = new Map<string, NoProxyEntry[]>();
  const prefixes = new Map<number, number[]>();
  const usable = entries.filter((e) => e.kind !== 'empty' && e.kind !== 'multiple' && e.kind !== 'invalid' && e.kind !== 'url' && e.kind !== 'wildcard');
  const add = <K>(map: Map<K, NoProxyEntry[]>, key: K, e: NoProxyEntry) => {
    const list = map.get(key);
    if (list) list.push(e);
    else map.set(key, [e]);
  };
  for (const e of usable) {
    if (e.host && !e.range) add(byHost, e.host, e);
    if (e.kind === 'cidr' && e.range) {
      add(byBlock, `${e.range.family}|${e.range.start}|${e.range.prefix}`, e);
      const list = prefixes.get(e.range.family) ?? [];
      if (!list.includes(e.range.prefix)) list.push(e.range.prefix);
      prefixes.set(e.range.family, list);
    } else if (e.range) {
      add(byAddress, `${e.range.family}|${e.range.start}`, e);
    }
  }
  for (const list of prefixes.values()) list.sort((a, b) => b - a); // the closest enclosing block first
  let count = 0;
  const flagged = new Set<NoProxyEntry>();
  const report = (e: NoProxyEntry, message: string, detail: string, related?: NoProxyEntry) => {
    flagged.add(e);
    count++;
    const fixes: Fix[] = [];
    if (ctx.v.valueNode) {
      const next = withoutEntry(ctx.value, entries, e);
      fixes.push({ title: `Remove ${code(e.text)}`, edits: [setScalarValueEdit(ctx.doc, ctx.v.valueNode, next, ctx.v.inFlow)], safe: true, preferred: true });
    }
    ctx.report({
      code: 'proxy/no-proxy-redundant',
      severity: 'hint',
      tags: ['unnecessary'],
      message: clip(message),
      detail,
      range: entryRange(ctx, e),
      ...(related ? { related: [{ path: ctx.doc.path, range: entryRange(ctx, related), message: `${related.text} covers it` }] } : {}),
      fixes,
    });
  };

  for (const e of usable) {
    if (count >= MAX_ENTRY_FINDINGS) break;
    const key = e.text.toLowerCase();
    const first = byText.get(key);
    if (first) {
      report(e, `NO_PROXY entry ${code(e.text)} is listed twice: remove this one`, `Entry ${first.index + 1} is the same.`, first);
      continue;
    }
    byText.set(key, e);
    if (skip.has(e)) continue;
    const probes = probesOf(e);
    if (probes.length === 0) continue;
    // An entry that matches nothing anywhere is ineffective, not redundant (and `[::1]` beside
    // `::1` is the portable recipe: the bracketed form serves runtimes that are not active).
    if (!ctx.dialects.some((d) => !shadowedUnder(ctx, e, d) && probes.some((p) => ctx.checker.explainEntry(e, p, d).matches))) continue;
    // Candidates that may cover e: a CIDR around it, or a name it is (a subdomain of).
    const candidates: NoProxyEntry[] = [];
    if (e.range) {
      // A CIDR entry around it (the same block written another way included), or the same
      // address written another way (`::1` and `0:0::1`).
      const bits = e.range.family === 4 ? 32 : 128;
      const top = e.kind === 'cidr' ? e.range.prefix : bits;
      // Only the prefix lengths some CIDR entry of the list uses.
      for (const p of prefixes.get(e.range.family) ?? []) {
        if (p > top) continue;
        const block = rangeOf({ family: e.range.family, value: e.range.start }, p);
        for (const c of byBlock.get(`${block.family}|${block.start}|${p}`) ?? []) if (c !== e) candidates.push(c);
      }
      if (e.kind !== 'cidr') for (const c of byAddress.get(`${e.range.family}|${e.range.start}`) ?? []) if (c !== e) candidates.push(c);
    } else if (e.host) {
      // A name it equals or is a subdomain of.
      const labels = e.host.split('.');
      for (let i = 0; i < labels.length && i < 128; i++) {
        for (const c of byHost.get(labels.slice(i).join('.')) ?? []) if (c !== e) candidates.push(c);
      }
    }
    const tried = new Set<string>([key]); // same text: a duplicate, handled above
    for (const b of candidates) {
      const bKey = b.text.toLowerCase();
      if (tried.has(bKey)) continue;
      tried.add(bKey);
      if (flagged.has(b)) continue;
      if (!covers(ctx, b, e, probes)) continue;
      // Two entries that cover each other: only the later one is redundant.
      if (b.index > e.index && covers(ctx, e, b, probesOf(b))) continue;
      report(e, `NO_PROXY entry ${code(e.text)} is already covered by ${code(b.text)}: remove it`, `Under ${listDialects(ctx.dialects)}, everything ${e.text} matches is matched by ${b.text} too.`, b);
      break;
    }
  }
}
