// Writes the cluster network profile into `.airgap-lint.yaml` as one minimal text edit: the
// rest of the file (comments, other keys, their formatting) stays byte for byte as it was.
// Used by "Set Cluster Network Profile" and "Detect Cluster Network with kubectl".
//
// It manages `cluster.distribution`, `podCIDR`, `serviceCIDR` and `apiServerIP`. Per key: a
// value sets it, `null` removes it (so that a stale explicit value does not shadow what a new
// distribution preset implies), `undefined` leaves it as it is. Every other key
// (`clusterDomain`, `cloud`, `extraNoProxy`, `mirror`, …) is left alone.
import { isMap, isScalar, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { parseValuesDocument, type ValuesDocument } from '../document';
import type { JsonValue, TextEdit } from '../types';

/** Per key: a value sets it, null removes it, undefined leaves it alone. */
export interface ClusterProfileInput {
  distribution?: string | null;
  podCIDR?: string[] | null;
  serviceCIDR?: string[] | null;
  apiServerIP?: string | null;
}

export const PROFILE_KEYS = ['distribution', 'podCIDR', 'serviceCIDR', 'apiServerIP'] as const;
type ProfileKey = (typeof PROFILE_KEYS)[number];

export type ClusterProfileEdit =
  | { ok: true; edits: TextEdit[]; text: string; created: boolean }
  | { ok: false; error: string };

type Ranged = { range?: [number, number, number] | null };

/** The edits that make `existing` (the config file's text, or undefined when there is none) hold `profile`. */
export function clusterProfileEdit(existing: string | undefined, profile: ClusterProfileInput, path = '.airgap-lint.yaml'): ClusterProfileEdit {
  const wanted = desiredLines(profile);
  if (wanted.every(([, text]) => text === undefined)) return { ok: false, error: 'Nothing to write: the profile is empty.' };
  const text = existing ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const doc = parseValuesDocument(path, text);
  const broken = doc.problems.find((p) => p.kind !== 'multi-document' && p.kind !== 'duplicate-key');
  if (broken) return { ok: false, error: `${path} has a YAML problem on line ${broken.range.start.line + 1} (${broken.message}); fix it first.` };

  let next: string | { error: string };
  if (doc.root === null || (isScalar(doc.root) && (doc.root as Scalar).value === null)) {
    next = appendClusterBlock(text, wanted, 2, eol);
  } else if (!isMap(doc.root) || (doc.root as YAMLMap & { flow?: boolean }).flow) {
    next = { error: `${path} is not a block mapping of settings; cannot add a cluster section to it.` };
  } else {
    next = editRootMap(doc, doc.root as YAMLMap, wanted, eol);
  }
  if (typeof next !== 'string') return { ok: false, error: next.error };

  const check = verify(next, profile, path);
  if (check) return { ok: false, error: check };
  const edit = minimalEdit(doc, text, next);
  return { ok: true, edits: edit ? [edit] : [], text: next, created: existing === undefined };
}

// ------------------------------------------------------------------ values as YAML text

/** Plain when it cannot be misread (CIDRs, IPv4, preset ids); double-quoted otherwise (IPv6 colons). */
function scalarText(s: string): string {
  return /^[0-9A-Za-z][0-9A-Za-z._/-]*$/.test(s) && !/^(true|false|yes|no|on|off|null|~)$/i.test(s) ? s : JSON.stringify(s);
}

function valueText(v: string | string[]): string {
  if (!Array.isArray(v)) return scalarText(v);
  return v.length === 1 ? scalarText(v[0]) : `[${v.map(scalarText).join(', ')}]`;
}

/** What a key should hold: a value, null (remove) or undefined (leave alone); empty counts as remove. */
function normalized(profile: ClusterProfileInput): Record<ProfileKey, string | string[] | null | undefined> {
  const str = (v: string | null | undefined) => (v === undefined ? undefined : v?.trim() || null);
  const list = (v: string[] | null | undefined) => {
    if (v === undefined) return undefined;
    const out = (v ?? []).map((x) => x.trim()).filter((x) => x !== '');
    return out.length ? out : null;
  };
  return {
    distribution: str(profile.distribution),
    podCIDR: list(profile.podCIDR),
    serviceCIDR: list(profile.serviceCIDR),
    apiServerIP: str(profile.apiServerIP),
  };
}

type Wanted = Array<[ProfileKey, string | null | undefined]>;

/** [key, YAML text | null = remove | undefined = leave] in a fixed order. */
function desiredLines(profile: ClusterProfileInput): Wanted {
  const values = normalized(profile);
  return PROFILE_KEYS.map((k) => {
    const v = values[k];
    return [k, v === undefined || v === null ? v : valueText(v)];
  });
}

function sameValue(current: JsonValue | undefined, wanted: string | string[] | null): boolean {
  if (wanted === null) return current === undefined;
  const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
  const a = asList(current);
  const b = asList(wanted);
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// ------------------------------------------------------------------ text surgery

function appendClusterBlock(text: string, wanted: Wanted, unit: number, eol: string): string {
  const lines = wanted.filter(([, t]) => typeof t === 'string').map(([k, t]) => `${' '.repeat(unit)}${k}: ${t}${eol}`);
  const sep = text.length && !text.endsWith('\n') ? eol : '';
  return `${text}${sep}cluster:${eol}${lines.join('')}`;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the line break of the line holding `offset` (or the end of the text). */
function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** End of a node's own text: block collections' ranges run on to the start of the next line. */
function contentEnd(text: string, node: Ranged | null | undefined, fallback: number): number {
  let end = node?.range ? node.range[1] : fallback;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  return end;
}

function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Indentation unit of the file: the column of the first nested key, else 2. */
function indentUnit(root: YAMLMap, text: string): number {
  for (const pair of root.items as Pair[]) {
    if (isMap(pair.value) && !(pair.value as YAMLMap & { flow?: boolean }).flow && pair.value.items.length) {
      const key = pair.value.items[0].key as Ranged;
      if (key?.range) return Math.max(1, column(text, key.range[0]));
    }
  }
  return 2;
}

function keyName(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String((pair.key as Scalar).value) : undefined;
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

function applySplices(text: string, splices: Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

function editRootMap(doc: ValuesDocument, root: YAMLMap, wanted: Wanted, eol: string): string | { error: string } {
  const text = doc.text;
  const clusterPairs = (root.items as Pair[]).filter((p) => keyName(p) === 'cluster');
  if (clusterPairs.length > 1) return { error: `${doc.path} has more than one cluster: key; remove the duplicate first.` };
  const unit = indentUnit(root, text);
  if (clusterPairs.length === 0) return appendClusterBlock(text, wanted, unit, eol);

  const pair = clusterPairs[0];
  const key = pair.key as Scalar & Ranged;
  const value = pair.value as (YAMLMap & Ranged & { flow?: boolean }) | (Scalar & Ranged) | null;
  if (!key.range) return { error: 'Cannot locate the cluster: key.' };
  const keyIndent = column(text, key.range[0]);
  const entries = (indent: number) =>
    wanted.filter(([, t]) => typeof t === 'string').map(([k, t]) => `${eol}${' '.repeat(indent)}${k}: ${t}`).join('');

  // `cluster:` with nothing, `cluster: ~`, `cluster: {}`: the block goes right after the colon.
  // Nothing written after the colon (maybe a comment): the settings go at the end of that line.
  const colon = text.indexOf(':', key.range[1]);
  const implicitNull = value === null || (isScalar(value) && value.value === null && (!value.range || value.range[0] === value.range[1]));
  if (implicitNull) {
    const at = contentEnd(text, null, nextLineStart(text, colon));
    return applySplices(text, [{ start: at, end: at, text: entries(keyIndent + unit) }]);
  }
  const explicitEmpty = (isScalar(value) && value.value === null) || (isMap(value) && value.items.length === 0);
  if (explicitEmpty) return applySplices(text, [{ start: colon + 1, end: contentEnd(text, value, colon + 1), text: entries(keyIndent + unit) }]);
  if (!isMap(value)) return { error: `${doc.path}: cluster is not a mapping; fix it first.` };
  if (value.flow) return { error: `${doc.path}: cluster is written as a flow mapping ({…}); write it as a block mapping to edit it here.` };

  const items = value.items as Pair[];
  const firstKey = items[0].key as Ranged;
  if (!firstKey?.range) return { error: 'Cannot locate the cluster settings.' };
  const indent = column(text, firstKey.range[0]);
  const currentValues = (doc.values as { cluster?: Record<string, JsonValue> } | null)?.cluster ?? {};
  const splices: Splice[] = [];
  const inserts: string[] = [];

  for (const [k, wantedText] of wanted) {
    if (wantedText === undefined) continue;
    const matches = items.filter((p) => keyName(p) === k);
    if (matches.length > 1) return { error: `${doc.path} has cluster.${k} more than once; remove the duplicate first.` };
    const existing = matches[0];
    const wantedValue = wantedText === null ? null : parseWanted(wantedText);
    if (!existing) {
      if (wantedText !== null) inserts.push(`${' '.repeat(indent)}${k}: ${wantedText}${eol}`);
      continue;
    }
    const eKey = existing.key as Scalar & Ranged;
    const eValue = existing.value as Ranged | null;
    const valueEnd = contentEnd(text, eValue, eKey.range![1]);
    if (wantedText === null) {
      splices.push({ start: lineStart(text, eKey.range![0]), end: nextLineStart(text, valueEnd), text: '' });
    } else if (!sameValue(currentValues[k], wantedValue)) {
      splices.push({ start: eKey.range![1], end: valueEnd, text: `: ${wantedText}` });
    }
  }
  if (inserts.length) {
    // After the last setting of the cluster block (its value may span lines: a block list).
    const last = items[items.length - 1];
    const lastEnd = contentEnd(text, last.value as Ranged | null, (last.key as Ranged).range![1]);
    const at = nextLineStart(text, lastEnd);
    const sep = at === text.length && !text.endsWith('\n') ? eol : '';
    splices.push({ start: at, end: at, text: sep + inserts.join('') });
  }
  return applySplices(text, splices);
}

function parseWanted(yamlText: string): string | string[] {
  if (yamlText.startsWith('[')) return yamlText.slice(1, -1).split(', ').map(unquote);
  return unquote(yamlText);
}

function unquote(s: string): string {
  return s.startsWith('"') ? (JSON.parse(s) as string) : s;
}

// ------------------------------------------------------------------ checks

/** Re-reads the result: it must parse cleanly and hold exactly the profile asked for. */
function verify(text: string, profile: ClusterProfileInput, path: string): string | undefined {
  const doc = parseValuesDocument(path, text);
  const broken = doc.problems.find((p) => p.kind !== 'multi-document' && p.kind !== 'duplicate-key');
  if (broken) return `Writing the profile would break ${path} (${broken.message}); nothing was changed.`;
  const cluster = (doc.values as { cluster?: Record<string, JsonValue> } | null)?.cluster ?? {};
  const want = normalized(profile);
  for (const k of PROFILE_KEYS) {
    if (want[k] !== undefined && !sameValue(cluster[k], want[k])) return `Writing the profile to ${path} did not give cluster.${k} the expected value; nothing was changed.`;
  }
  return undefined;
}

/** One edit covering only what differs between `before` and `after` (common prefix and suffix kept). */
function minimalEdit(doc: ValuesDocument, before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  return { range: doc.spanRange(start, endB), newText: after.slice(start, endA) };
}
