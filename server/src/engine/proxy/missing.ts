// What a NO_PROXY value misses of the required destinations, in words, and the smallest set of
// entries that fixes it: shared by proxy/no-proxy-missing, proxy/no-proxy-absent and completion.
import { listDialects, minimalEntries, type Dialect } from '../noproxy';
import { coverageOf } from './analyze';
import type { RequiredDestination } from './destinations';

export interface MissingItem {
  r: RequiredDestination;
  /** The destination and why it must bypass the proxy, with the near misses' reasons. */
  text: string;
  /** Entries that look as if they covered it but do not, with why (offsets in the value). */
  nearMisses: Array<{ text: string; start: number; end: number; why: string }>;
}

/** What a NO_PROXY value misses, with readable reasons and the entries that fix it. */
export interface MissingResult {
  items: MissingItem[];
  /** Entries to append, smallest set first (noproxy minimalEntries), then `extraNoProxy` suffixes as written. */
  entries: string[];
  /** Per entry, the required destinations it is appended for. */
  covers: Map<string, RequiredDestination[]>;
  /** Destinations no entry can cover under some runtime, with the reason. */
  notes: string[];
}

export function computeMissing(value: string, dialects: Dialect[], required: readonly RequiredDestination[], clusterDomain: string): MissingResult {
  const { results } = coverageOf(value, dialects, required);
  const items: MissingItem[] = [];
  const toCompute: RequiredDestination[] = [];
  const verbatim: string[] = [];
  for (const { r, c } of results) {
    // A block is covered only by a CIDR entry: runtimes without CIDR support (Node; Python for
    // IPv6) can never cover it, whatever the list says, so they do not make it "missing".
    const failing = c.failing.filter((d) => !(r.dest.kind === 'range' && (d === 'node' || (d === 'python' && r.dest.range.family === 6))));
    if (failing.length === 0) continue;
    // The near misses of the first failing runtime say why (the others word the same miss their own way).
    // A `*` entry has its own finding (proxy/no-proxy-wildcard); it is no near miss worth repeating here.
    const misses = (v: (typeof c.verdicts)[number]) => v.nearMisses.filter((n) => n.entry.kind !== 'wildcard');
    const first = c.verdicts.find((v) => failing.includes(v.dialect) && misses(v).length > 0);
    const reasons = first ? [...new Set(misses(first).map((n) => n.why))] : [];
    const partial = failing.length < c.verdicts.length;
    let text = partial ? `${r.label} under ${listDialects(failing)}: ${r.why}` : `${r.label}: ${r.why}`;
    // The near misses say why an entry that looks right is not (`.svc`, a single address).
    if (reasons.length) text += ` — ${reasons.join('; ')}`;
    const nearMisses = first ? misses(first).map((n) => ({ text: n.entry.text, start: n.entry.start, end: n.entry.end, why: n.why })) : [];
    items.push({ r, text, nearMisses });
    if (r.entry) verbatim.push(r.entry);
    else toCompute.push(r);
  }
  const notes: string[] = [];
  let entries: string[] = [];
  const covers = new Map<string, RequiredDestination[]>();
  if (items.length) {
    const min = minimalEntries(toCompute.map((r) => r.dest), dialects, value, { clusterDomain });
    entries = [...min.entries, ...verbatim.filter((e) => !min.entries.includes(e))];
    for (const s of min.suggestions) covers.set(s.entry, toCompute.filter((r) => s.covers.includes(r.dest.text)));
    for (const r of items) if (r.r.entry) covers.set(r.r.entry, [...(covers.get(r.r.entry) ?? []), r.r]);
    // Destinations that fail for the same reason are named together.
    const byWhy = new Map<string, string[]>();
    for (const u of min.uncovered) byWhy.set(u.why, [...(byWhy.get(u.why) ?? []), u.destination.text]);
    for (const [why, dests] of byWhy) notes.push(`${dests.join(', ')}: ${why}`);
  }
  return { items, entries, covers, notes };
}

