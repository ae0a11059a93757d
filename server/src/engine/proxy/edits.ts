// Text edits for the proxy fixes: add an env var to an env set in the style of its siblings
// (same indentation, key order and quoting; flow sets stay flow, an empty `[]` / `{}` opens
// into a block), and copy proxy items from one env set into another. Never re-serialises the
// document: everything outside the inserted text stays byte for byte.
import { isMap, isScalar } from 'yaml';
import type { Pair, Scalar, ValuesDocument, YAMLMap } from '../document';
import type { TextEdit } from '../types';
import type { EnvSet, ProxyVar } from './discover';
import { doubleQuoted, formatValue, isPlainSafe } from '../edits/scalar';
import { indentUnit } from '../document/indentation';

type Ranged = { range?: [number, number, number] | null };


function column(doc: ValuesDocument, offset: number): number {
  return doc.positionAt(offset).character;
}

/** Offset where a new line can start after a node (after its trailing newline). */
function lineAfter(doc: ValuesDocument, node: Ranged): { at: number; prefix: string } {
  const text = doc.text;
  const end = node.range ? node.range[1] : text.length;
  if (end > 0 && text[end - 1] === '\n') return { at: end, prefix: '' };
  const nl = text.indexOf('\n', end);
  if (nl >= 0) return { at: nl + 1, prefix: '' };
  return { at: text.length, prefix: '\n' };
}

/** The column of the `-` that starts a block sequence item whose content starts at `offset`. */
function dashColumn(doc: ValuesDocument, offset: number): number | undefined {
  const text = doc.text;
  let i = offset - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  if (i >= 0 && text[i] === '-') return column(doc, i);
  return undefined;
}

function keyLiteral(key: string, like?: Scalar): string {
  const type = (like as (Scalar & { type?: string }) | undefined)?.type;
  if (type === 'QUOTE_DOUBLE') return doubleQuoted(key);
  if (type === 'QUOTE_SINGLE') return `'${key.replace(/'/g, "''")}'`;
  return isPlainSafe(key) ? key : doubleQuoted(key);
}

/** The quoting style used by the values of an env set's items (the first string value found). */
function valueStyleOf(set: EnvSet): string | undefined {
  if (set.kind === 'list') {
    for (const item of set.node.items) {
      if (!isMap(item)) continue;
      for (const p of (item as YAMLMap).items) {
        if (isScalar(p.key) && (p.key as Scalar).value === 'value' && isScalar(p.value) && typeof (p.value as Scalar).value === 'string') {
          return (p.value as Scalar & { type?: string }).type;
        }
      }
    }
    return 'QUOTE_DOUBLE';
  }
  for (const p of (set.node as YAMLMap).items) {
    if (isScalar(p.value) && typeof (p.value as Scalar).value === 'string') return (p.value as Scalar & { type?: string }).type;
  }
  return 'QUOTE_DOUBLE';
}

/** Where the key of the pair holding `set` starts and its `:` ends (for opening an empty `[]`). */
function openingPoint(doc: ValuesDocument, set: EnvSet): { keyColumn: number; from: number } | undefined {
  const key = set.pair?.key as (Scalar & Ranged) | undefined;
  if (!key?.range || !set.node.range) return undefined;
  const colon = doc.text.indexOf(':', key.range[1]);
  if (colon < 0 || colon >= set.node.range[0]) return undefined;
  return { keyColumn: column(doc, key.range[0]), from: colon + 1 };
}

/** A reference to a key of a Secret or ConfigMap (`valueFrom.secretKeyRef`). */
export interface KeyRef {
  kind: 'secretKeyRef' | 'configMapKeyRef';
  name: string;
  key: string;
}

/** A variable to add: an inline value, or (lists only) a `valueFrom` reference. */
export type NewVar = { name: string; value: string; valueFrom?: undefined } | { name: string; valueFrom: KeyRef; value?: undefined };

function refFlow(ref: KeyRef): string {
  return `{${ref.kind}: {name: ${keyLiteral(ref.name)}, key: ${keyLiteral(ref.key)}}}`;
}

/** The `valueFrom:` lines of a block list item: the first at `col`, nested by `unit`. */
function refBlock(ref: KeyRef, col: number, unit: number): string[] {
  const pad = (n: number) => ' '.repeat(n);
  return [`${pad(col)}valueFrom:`, `${pad(col + unit)}${ref.kind}:`, `${pad(col + 2 * unit)}name: ${keyLiteral(ref.name)}`, `${pad(col + 2 * unit)}key: ${keyLiteral(ref.key)}`];
}

/** The indentation step inside a list item (`valueFrom:` → `secretKeyRef:`), when the item has a nested block map. */
function nestedUnit(doc: ValuesDocument, item: YAMLMap): number | undefined {
  for (const p of item.items) {
    const value = p.value as (YAMLMap & Ranged & { flow?: boolean }) | null;
    const key = p.key as Scalar & Ranged;
    if (!isMap(value) || value.flow || !key?.range || !value.items.length) continue;
    const child = value.items[0].key as Scalar & Ranged;
    if (!child?.range) continue;
    const step = column(doc, child.range[0]) - column(doc, key.range[0]);
    if (step > 0) return step;
  }
  return undefined;
}

/** The `{name: …, valueFrom: {secretKeyRef: {…}}}` reference of a list item, when it is that simple. */
export function keyRefOf(v: ProxyVar): KeyRef | undefined {
  if (v.source !== 'valueFrom' || !isMap(v.item)) return undefined;
  const get = (m: unknown, k: string): unknown => (isMap(m) ? (m as YAMLMap).items.find((p) => isScalar(p.key) && (p.key as Scalar).value === k)?.value : undefined);
  const from = get(v.item, 'valueFrom');
  for (const kind of ['secretKeyRef', 'configMapKeyRef'] as const) {
    const ref = get(from, kind);
    const name = get(ref, 'name');
    const key = get(ref, 'key');
    if (isScalar(name) && isScalar(key) && typeof (name as Scalar).value === 'string' && typeof (key as Scalar).value === 'string') {
      return { kind, name: (name as Scalar).value as string, key: (key as Scalar).value as string };
    }
  }
  return undefined;
}

/** The item or entry after which new variables go: after `after` when given, else the last one. */
function anchorOf(set: EnvSet, after?: ProxyVar): YAMLMap | Pair | undefined {
  if (after) return after.item;
  const items = set.node.items as Array<YAMLMap | Pair>;
  return items[items.length - 1];
}

/**
 * Adds variables to an env set in its own style. Lists get `- name: X` / `value: …` items with
 * the siblings' key order and quoting; maps and chart blocks get `X: …` entries at the
 * siblings' column. Undefined when the set's shape gives no safe place (a root-level list, an
 * item that is not a map).
 */
export function addVarsEdit(doc: ValuesDocument, set: EnvSet, vars: NewVar[], after?: ProxyVar): TextEdit | undefined {
  if (vars.length === 0) return undefined;
  // Only a list item can hold a valueFrom.
  if (set.kind !== 'list' && vars.some((v) => v.valueFrom)) return undefined;
  const style = valueStyleOf(set);
  const unit = indentUnit(doc);
  const text = doc.text;
  const node = set.node as (YAMLMap | typeof set.node) & Ranged;
  if (set.kind === 'list') {
    if (set.flow) {
      if (!node.range) return undefined;
      const close = text.lastIndexOf(']', node.range[1] - 1);
      if (close < node.range[0]) return undefined;
      const body = vars
        .map((v) => (v.valueFrom ? `{name: ${keyLiteral(v.name)}, valueFrom: ${refFlow(v.valueFrom)}}` : `{name: ${keyLiteral(v.name)}, value: ${formatValue(v.value, style === 'PLAIN' ? 'QUOTE_DOUBLE' : style, true)}}`))
        .join(', ');
      if (set.size === 0) {
        // `env: []` opens into a block list under its key.
        const open = openingPoint(doc, set);
        if (!open) return { range: doc.spanRange(close, close), newText: body };
        const dash = ' '.repeat(open.keyColumn + unit);
        const lines = vars
          .map((v) =>
            v.valueFrom
              ? `\n${dash}- name: ${keyLiteral(v.name)}\n${refBlock(v.valueFrom, open.keyColumn + unit + 2, unit).join('\n')}`
              : `\n${dash}- name: ${keyLiteral(v.name)}\n${dash}  value: ${formatValue(v.value, 'QUOTE_DOUBLE')}`,
          )
          .join('');
        return { range: doc.spanRange(open.from, node.range[1]), newText: lines };
      }
      return { range: doc.spanRange(close, close), newText: ', ' + body };
    }
    const anchor = anchorOf(set, after) as (YAMLMap & Ranged) | undefined;
    if (!anchor || !isMap(anchor) || !anchor.range) return undefined;
    const dash = dashColumn(doc, anchor.range[0]);
    if (dash === undefined) return undefined;
    const keyCol = column(doc, anchor.range[0]);
    const first = anchor.items[0];
    const nameFirst = !first || (isScalar(first.key) && (first.key as Scalar).value === 'name');
    let nameLike: Scalar | undefined;
    for (const p of anchor.items) if (isScalar(p.key) && (p.key as Scalar).value === 'name' && isScalar(p.value)) nameLike = p.value as Scalar;
    const pad = (n: number) => ' '.repeat(n);
    const lines = vars
      .map((v) => {
        const nameLine = `name: ${keyLiteral(v.name, nameLike)}`;
        if (v.valueFrom) {
          const ref = refBlock(v.valueFrom, keyCol, nestedUnit(doc, anchor) ?? unit);
          if (!nameFirst) ref[0] = ref[0].trimStart();
          const lines = nameFirst ? [nameLine, ...ref] : [...ref, `${pad(keyCol)}${nameLine}`];
          return `${pad(dash)}-${pad(Math.max(1, keyCol - dash - 1))}${lines.join('\n')}\n`;
        }
        const valueLine = `value: ${formatValue(v.value, style)}`;
        const [a, b] = nameFirst ? [nameLine, valueLine] : [valueLine, nameLine];
        return `${pad(dash)}-${pad(Math.max(1, keyCol - dash - 1))}${a}\n${pad(keyCol)}${b}\n`;
      })
      .join('');
    const { at, prefix } = lineAfter(doc, anchor);
    return { range: doc.spanRange(at, at), newText: prefix + lines };
  }

  // Maps and chart blocks.
  const map = set.node as YAMLMap & Ranged & { flow?: boolean };
  if (set.flow) {
    if (!map.range) return undefined;
    const close = text.lastIndexOf('}', map.range[1] - 1);
    if (close < map.range[0]) return undefined;
    const body = vars.map((v) => `${keyLiteral(v.name)}: ${formatValue(v.value!, style === 'PLAIN' ? 'QUOTE_DOUBLE' : style, true)}`).join(', ');
    if (set.size === 0) {
      const open = openingPoint(doc, set);
      if (!open) return { range: doc.spanRange(close, close), newText: body };
      const pad = ' '.repeat(open.keyColumn + unit);
      return { range: doc.spanRange(open.from, map.range[1]), newText: vars.map((v) => `\n${pad}${keyLiteral(v.name)}: ${formatValue(v.value!, 'QUOTE_DOUBLE')}`).join('') };
    }
    return { range: doc.spanRange(close, close), newText: ', ' + body };
  }
  const anchor = anchorOf(set, after) as (Pair & { key: Scalar & Ranged; value: Ranged | null }) | undefined;
  if (!anchor || !isScalar(anchor.key) || !anchor.key.range) return undefined;
  const keyCol = column(doc, anchor.key.range[0]);
  const endNode: Ranged = anchor.value && (anchor.value as Ranged).range ? (anchor.value as Ranged) : anchor.key;
  const { at, prefix } = lineAfter(doc, endNode);
  const lines = vars.map((v) => `${' '.repeat(keyCol)}${keyLiteral(v.name, anchor.key)}: ${formatValue(v.value!, style)}\n`).join('');
  return { range: doc.spanRange(at, at), newText: prefix + lines };
}

/**
 * Source text of env items to copy into another set, re-indented for it: block items are copied
 * as written (so `valueFrom` references come along); anything else is rebuilt from its value.
 * Undefined when an item cannot be rendered for the target (a `valueFrom` into a flow list).
 */
export function copyVarsEdit(doc: ValuesDocument, target: EnvSet, from: EnvSet, vars: ProxyVar[], replace?: ReadonlyMap<ProxyVar, NewVar>): TextEdit | undefined {
  if (vars.length === 0 || target.kind !== from.kind) return undefined;
  // Replaced items (a credential turned into a secretKeyRef) are rendered, never copied.
  if (replace?.size && target.kind !== 'list') return undefined;
  const simple = vars.every((v) => replace?.has(v) || (v.source === 'value' && v.value !== undefined));
  const blockToBlock = !target.flow && !from.flow && target.size > 0;
  if (!blockToBlock || replace?.size) {
    if (!simple && !replace?.size) return undefined;
    if (simple) return addVarsEdit(doc, target, vars.map((v) => replace?.get(v) ?? { name: v.name, value: v.value! }));
    // With replacements: valueFrom items keep their reference, re-rendered.
    const rendered: NewVar[] = [];
    for (const v of vars) {
      const r = replace?.get(v);
      if (r) rendered.push(r);
      else if (v.source === 'value' && v.value !== undefined) rendered.push({ name: v.name, value: v.value });
      else {
        const ref = keyRefOf(v);
        if (!ref) return undefined;
        rendered.push({ name: v.name, valueFrom: ref });
      }
    }
    return addVarsEdit(doc, target, rendered);
  }
  const text = doc.text;
  if (target.kind === 'list') {
    const anchor = target.node.items[target.node.items.length - 1] as YAMLMap & Ranged;
    if (!isMap(anchor) || !anchor.range) return undefined;
    const targetDash = dashColumn(doc, anchor.range[0]);
    if (targetDash === undefined) return undefined;
    const chunks: string[] = [];
    for (const v of vars) {
      const item = v.item as YAMLMap & Ranged;
      if (!item.range) return undefined;
      const dash = dashColumn(doc, item.range[0]);
      if (dash === undefined) return undefined;
      const dashOffset = doc.offsetAt({ line: doc.positionAt(item.range[0]).line, character: dash });
      chunks.push(reindent(text.slice(dashOffset, item.range[1]), dash, targetDash));
    }
    const { at, prefix } = lineAfter(doc, anchor);
    return { range: doc.spanRange(at, at), newText: prefix + chunks.join('') };
  }
  const last = (target.node as YAMLMap).items[(target.node as YAMLMap).items.length - 1] as Pair & { key: Scalar & Ranged; value: Ranged | null };
  if (!last || !isScalar(last.key) || !last.key.range) return undefined;
  const targetCol = column(doc, last.key.range[0]);
  const chunks: string[] = [];
  for (const v of vars) {
    const pair = v.item as Pair & { key: Scalar & Ranged; value: Ranged | null };
    if (!pair.key.range) return undefined;
    const col = column(doc, pair.key.range[0]);
    const end = lineAfter(doc, pair.value && pair.value.range ? pair.value : pair.key);
    const startOfKey = pair.key.range[0];
    chunks.push(reindent(text.slice(startOfKey, end.at), col, targetCol));
  }
  const endNode: Ranged = last.value && last.value.range ? last.value : last.key;
  const { at, prefix } = lineAfter(doc, endNode);
  return { range: doc.spanRange(at, at), newText: prefix + chunks.join('') };
}

/** Shifts the lines of a block (its first line starts at column `from`) to column `to`. */
function reindent(block: string, from: number, to: number): string {
  const lines = block.replace(/\r\n?/g, '\n').split('\n');
  const out = lines.map((line, i) => {
    if (i === 0) return ' '.repeat(to) + line;
    if (line.trim() === '') return line;
    const lead = line.length - line.trimStart().length;
    const keep = Math.max(0, lead - from);
    return ' '.repeat(to + keep) + line.trimStart();
  });
  let joined = out.join('\n');
  if (!joined.endsWith('\n')) joined += '\n';
  return joined;
}

/**
 * Sets `cluster.distribution` in a `.airgap-lint.yaml`: replaces an existing value, adds the
 * key to an existing `cluster:` block, or appends a `cluster:` block.
 */
export function setDistributionEdit(configDoc: ValuesDocument, distribution: string): TextEdit | undefined {
  const root = configDoc.root;
  const text = configDoc.text;
  const unit = indentUnit(configDoc);
  const appendBlock = (): TextEdit => {
    const prefix = text.length && !text.endsWith('\n') ? '\n' : '';
    return { range: configDoc.spanRange(text.length, text.length), newText: `${prefix}cluster:\n${' '.repeat(unit)}distribution: ${distribution}\n` };
  };
  if (!root) return appendBlock();
  if (!isMap(root) || (root as YAMLMap & { flow?: boolean }).flow) return undefined;
  const cluster = configDoc.locate(['cluster']);
  if (!cluster || cluster.viaAlias) return cluster ? undefined : appendBlock();
  const node = cluster.node as (YAMLMap & Ranged & { flow?: boolean }) | null;
  if (isMap(node) && !node.flow && node.items.length) {
    for (const p of node.items) {
      if (isScalar(p.key) && (p.key as Scalar).value === 'distribution' && isScalar(p.value) && (p.value as Scalar & Ranged).range) {
        const v = p.value as Scalar & Ranged;
        return { range: configDoc.spanRange(v.range![0], v.range![1]), newText: distribution };
      }
    }
    const first = node.items[0].key as Scalar & Ranged;
    const last = node.items[node.items.length - 1];
    if (!first.range) return undefined;
    const endNode: Ranged = last.value && (last.value as Ranged).range ? (last.value as Ranged) : (last.key as Ranged);
    const { at, prefix } = lineAfter(configDoc, endNode);
    return { range: configDoc.spanRange(at, at), newText: `${prefix}${' '.repeat(column(configDoc, first.range[0]))}distribution: ${distribution}\n` };
  }
  if (node === null || (isScalar(node) && (node as Scalar).value === null)) {
    // `cluster:` with nothing under it.
    const key = cluster.key as (Scalar & Ranged) | undefined;
    if (!key?.range) return undefined;
    const colon = text.indexOf(':', key.range[1]);
    if (colon < 0) return undefined;
    const lineEnd = text.indexOf('\n', colon);
    const at = lineEnd < 0 ? text.length : lineEnd;
    return { range: configDoc.spanRange(at, at), newText: `\n${' '.repeat(column(configDoc, key.range[0]) + unit)}distribution: ${distribution}` };
  }
  return undefined;
}
