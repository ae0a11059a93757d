// Minimal text edits that add or remove map entries in a values file: insert keys into a block
// (or flow) mapping with the indentation its siblings use, delete an entry with its lines.
// Never re-serialises the document, so comments and layout survive.
import { isMap, isScalar } from 'yaml';
import type { Scalar, ValuesDocument, YAMLMap } from '../document';
import type { JsonValue, TextEdit, ValuePath } from '../types';
import { indentUnit } from '../document/indentation';
import { doubleQuoted, isPlainSafe } from './scalar';

function keyText(key: string): string {
  return isPlainSafe(key) ? key : doubleQuoted(key);
}

function flowValue(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(flowValue).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${keyText(k)}: ${flowValue(x)}`).join(', ')}}`;
  if (typeof v === 'string') return isPlainSafe(v) ? v : doubleQuoted(v);
  return String(v);
}

/** Block YAML for `entries` at indentation `indent` (spaces), nested by `unit`. */
export function renderBlock(entries: { [k: string]: JsonValue }, indent: number, unit: number): string {
  const pad = ' '.repeat(indent);
  let out = '';
  for (const [k, v] of Object.entries(entries)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) {
      out += `${pad}${keyText(k)}:\n${renderBlock(v, indent + unit, unit)}`;
    } else if (Array.isArray(v) && v.length) {
      out += `${pad}${keyText(k)}:\n`;
      const itemPad = ' '.repeat(indent + unit);
      for (const item of v) {
        if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length) {
          // `- name: x` with further keys aligned under the first one.
          const body = renderBlock(item, indent + unit + 2, unit);
          out += `${itemPad}- ${body.slice(indent + unit + 2)}`;
        } else out += `${itemPad}- ${flowValue(item)}\n`;
      }
    } else out += `${pad}${keyText(k)}: ${flowValue(v)}\n`;
  }
  return out;
}

/**
 * Inserts `entries` into the mapping at `mapPath`, creating the missing parent keys. Block
 * mappings get the new keys after their last entry, at the column of their first key; flow
 * mappings get `, key: value` before the closing brace. Undefined when the path runs into a
 * scalar, a list or an alias (an edit there would change what the anchor means elsewhere).
 */
export function insertEntriesEdit(doc: ValuesDocument, mapPath: ValuePath, entries: { [k: string]: JsonValue }): TextEdit | undefined {
  let map: YAMLMap | null = isMap(doc.root) ? (doc.root as YAMLMap) : null;
  if (doc.root && !map) return undefined;
  let depth = 0;
  for (; depth < mapPath.length && map; depth++) {
    const loc = doc.locate(mapPath.slice(0, depth + 1));
    if (!loc) break;
    if (loc.viaAlias) return undefined;
    if (!isMap(loc.node)) {
      // `global:` with no value (null) could be filled in, but an explicit scalar or list cannot.
      return undefined;
    }
    map = loc.node as YAMLMap;
  }
  let nested: { [k: string]: JsonValue } = entries;
  for (let i = mapPath.length - 1; i >= depth; i--) nested = { [String(mapPath[i])]: nested };
  const unit = indentUnit(doc);

  if (!map) {
    // Empty document: the entries are the whole content.
    const text = doc.text;
    const prefix = text.length && !text.endsWith('\n') ? '\n' : '';
    return { range: doc.spanRange(text.length, text.length), newText: prefix + renderBlock(nested, 0, unit) };
  }
  const m = map as YAMLMap & { flow?: boolean; range?: [number, number, number] };
  if (m.flow && m.range) {
    const [from, to] = m.range;
    const close = doc.text.lastIndexOf('}', to);
    if (close < from) return undefined;
    const body = Object.entries(nested).map(([k, v]) => `${keyText(k)}: ${flowValue(v)}`).join(', ');
    const separator = m.items.length ? ', ' : '';
    return { range: doc.spanRange(close, close), newText: separator + body };
  }
  const first = m.items[0];
  const last = m.items[m.items.length - 1];
  if (!first || !last || !isScalar(first.key) || !(first.key as Scalar).range) return undefined;
  const column = doc.positionAt((first.key as Scalar).range![0]).character;
  const lastNode = (last.value ?? last.key) as { range?: [number, number, number] } | null;
  const end = lastNode?.range?.[1];
  if (end === undefined) return undefined;
  const text = doc.text;
  let at: number;
  if (end > 0 && text[end - 1] === '\n') at = end;
  else {
    const nl = text.indexOf('\n', end);
    at = nl < 0 ? text.length : nl + 1;
  }
  const needsNewline = at === text.length && text.length > 0 && !text.endsWith('\n');
  return { range: doc.spanRange(at, at), newText: (needsNewline ? '\n' : '') + renderBlock(nested, column, unit) };
}

/**
 * Deletes the entry at `path` (its lines, comments on them included). When the entry is the
 * only one of its mapping, the parent entry goes too: an overlay left with `image:` (null)
 * would make Helm delete the chart's whole `image` map. Undefined for flow mappings, entries
 * on a line they share with other text (`- tag: x`), and paths through aliases.
 */
export function deleteEntryEdit(doc: ValuesDocument, path: ValuePath): TextEdit | undefined {
  let p = path;
  while (p.length > 1) {
    const parent = doc.locate(p.slice(0, -1));
    if (parent && !parent.viaAlias && isMap(parent.node) && (parent.node as YAMLMap).items.length === 1 && typeof p[p.length - 2] === 'string') p = p.slice(0, -1);
    else break;
  }
  const loc = doc.locate(p);
  if (!loc || loc.viaAlias || !loc.pair || !loc.key?.range) return undefined;
  const parent = p.length > 1 ? doc.locate(p.slice(0, -1))?.node : doc.root;
  if (!isMap(parent) || (parent as YAMLMap & { flow?: boolean }).flow) return undefined;
  const text = doc.text;
  const keyStart = loc.key.range[0];
  const lineStart = doc.offsetAt({ line: doc.positionAt(keyStart).line, character: 0 });
  if (text.slice(lineStart, keyStart).trim() !== '') return undefined;
  const valueNode = loc.pair.value as { range?: [number, number, number] } | null;
  let end = valueNode?.range?.[1] ?? loc.key.range[1];
  if (!(end > 0 && text[end - 1] === '\n')) {
    const nl = text.indexOf('\n', end);
    end = nl < 0 ? text.length : nl + 1;
  }
  return { range: doc.spanRange(lineStart, end), newText: '' };
}
