// Text edits on one YAML scalar, for every fix of every rule family: where each character of a
// string scalar sits in the source, and how to write a new value in the same quoting style. A NO_PROXY finding sits on one entry of the string, so the
// entry's offsets in the decoded value must be turned into document offsets: one for one in a
// single-line plain scalar, shifted past the quote in a quoted one, and through `''` and the
// backslash escapes of a double-quoted one. Line folding (a multi-line plain or quoted scalar)
// and block scalars make that mapping ambiguous: callers then fall back to the whole value.
import { parse as parseYaml } from 'yaml';
import type { Scalar, ValuesDocument } from '../document';
import type { Range, TextEdit } from '../types';

type ScalarNode = Scalar & { type?: string };

/**
 * Document offsets of a string scalar's characters: `starts[i]` is where value character i
 * begins in the source, `starts[value.length]` is where the content ends (before a closing
 * quote). Undefined when the mapping is ambiguous (folding, block scalars) or not a string.
 */
export interface ScalarMap {
  node: ScalarNode;
  value: string;
  starts: number[];
  /** Offset of the first content character (after an opening quote). */
  contentStart: number;
  /** Offset just past the last content character (before a closing quote). */
  contentEnd: number;
  style: 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE';
}

const cache = new WeakMap<object, ScalarMap | null>();

export function scalarMap(doc: ValuesDocument, node: ScalarNode): ScalarMap | undefined {
  const hit = cache.get(node);
  if (hit !== undefined) return hit ?? undefined;
  const map = buildMap(doc.text, node);
  cache.set(node, map ?? null);
  return map;
}

function buildMap(text: string, node: ScalarNode): ScalarMap | undefined {
  if (!node.range || typeof node.value !== 'string') return undefined;
  const [from, to] = node.range;
  const value = node.value;
  const type = node.type;
  if (type === 'PLAIN') {
    const source = text.slice(from, to);
    if (source !== value) return undefined; // folded over several lines
    const starts = new Array<number>(value.length + 1);
    for (let i = 0; i <= value.length; i++) starts[i] = from + i;
    return { node, value, starts, contentStart: from, contentEnd: to, style: 'PLAIN' };
  }
  if (type === 'QUOTE_SINGLE' || type === 'QUOTE_DOUBLE') {
    const open = from;
    const close = to - 1;
    if (text[open] !== (type === 'QUOTE_SINGLE' ? "'" : '"') || text[close] !== text[open]) return undefined;
    const starts: number[] = [];
    let i = open + 1;
    let decoded = '';
    while (i < close) {
      const c = text[i];
      if (c === '\n' || c === '\r') return undefined; // folding
      if (type === 'QUOTE_SINGLE') {
        starts.push(i);
        if (c === "'" && text[i + 1] === "'") {
          decoded += "'";
          i += 2;
        } else {
          decoded += c;
          i += 1;
        }
        continue;
      }
      if (c !== '\\') {
        starts.push(i);
        decoded += c;
        i += 1;
        continue;
      }
      const esc = decodeEscape(text, i);
      if (!esc) return undefined;
      for (let k = 0; k < esc.text.length; k++) starts.push(i);
      decoded += esc.text;
      i += esc.length;
    }
    if (decoded !== value) return undefined;
    starts.push(close);
    return { node, value, starts, contentStart: open + 1, contentEnd: close, style: type };
  }
  return undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

function decodeEscape(text: string, at: number): { text: string; length: number } | undefined {
  const c = text[at + 1];
  if (c === undefined) return undefined;
  if (c in SIMPLE_ESCAPES) return { text: SIMPLE_ESCAPES[c], length: 2 };
  const hex = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
  if (!hex) return undefined; // a line-continuation backslash or an unknown escape
  const digits = text.slice(at + 2, at + 2 + hex);
  if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== hex) return undefined;
  const code = parseInt(digits, 16);
  if (code > 0x10ffff) return undefined;
  return { text: String.fromCodePoint(code), length: 2 + hex };
}

/** Document offsets of value characters [start, end), or undefined when the mapping is ambiguous. */
export function valueSpan(doc: ValuesDocument, node: ScalarNode, start: number, end: number): [number, number] | undefined {
  const map = scalarMap(doc, node);
  if (!map || start < 0 || end > map.value.length || start > end) return undefined;
  // The end of a span is where the character after it starts (escapes take several source characters).
  return [map.starts[start], map.starts[end]];
}

/** Range of value characters [start, end); the whole scalar when offsets are ambiguous. */
export function valuePartRange(doc: ValuesDocument, node: ScalarNode, start: number, end: number): Range {
  const span = valueSpan(doc, node, start, end);
  return span ? doc.spanRange(span[0], span[1]) : doc.rangeOf(node);
}

/** The value index at a document offset inside the scalar's content, if the mapping is known. */
export function valueIndexAt(doc: ValuesDocument, node: ScalarNode, offset: number): number | undefined {
  const map = scalarMap(doc, node);
  if (!map || offset < map.contentStart || offset > map.contentEnd) return undefined;
  // starts is non-decreasing: binary search the last start <= offset.
  let lo = 0;
  let hi = map.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (map.starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// Writing values.

const YAML11_NON_STRING = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;

/**
 * Whether `value` reads back as the same string when written as a plain scalar (YAML 1.1, as
 * Helm reads it), in block context or inside a flow collection (where `,[]{}` end a scalar).
 */
export function isPlainSafe(value: string, inFlow = false): boolean {
  if (value === '' || value.length > 4096) return false;
  if (/^\s|\s$|[\n\r\t]/.test(value)) return false;
  if (inFlow && /[,[\]{}]/.test(value)) return false;
  if (YAML11_NON_STRING.test(value)) return false;
  try {
    const back = parseYaml(inFlow ? `[${value}]\n` : `k: ${value}\n`, { version: '1.1' }) as unknown;
    const read = inFlow ? (Array.isArray(back) && back.length === 1 ? back[0] : undefined) : (back as { k?: unknown } | null)?.k;
    return read === value;
  } catch {
    return false;
  }
}

/** `value` as a double-quoted YAML scalar (JSON escapes are valid YAML escapes). */
export function doubleQuoted(value: string): string {
  return JSON.stringify(value);
}

/** The source text of `value` in the style of an existing scalar (or `style`). */
export function formatValue(value: string, style: string | undefined, inFlow = false): string {
  switch (style) {
    case 'QUOTE_SINGLE':
      return /[\n\r]/.test(value) ? doubleQuoted(value) : `'${value.replace(/'/g, "''")}'`;
    case 'PLAIN':
    case undefined:
      return isPlainSafe(value, inFlow) ? value : doubleQuoted(value);
    default:
      return doubleQuoted(value);
  }
}

/** Text to splice inside an existing scalar's content for the value characters `text`. */
function encodeInside(style: ScalarMap['style'], text: string): string {
  if (style === 'QUOTE_DOUBLE') return doubleQuoted(text).slice(1, -1);
  if (style === 'QUOTE_SINGLE') return text.replace(/'/g, "''");
  return text;
}

/**
 * An edit that turns the scalar's value into `next`. When the source maps one for one and only
 * a span changes, the edit touches that span alone (comments, quotes and the rest stay byte for
 * byte); a plain scalar that would not read back the same becomes double-quoted; otherwise the
 * whole scalar is rewritten in its own quoting style.
 */
export function setScalarValueEdit(doc: ValuesDocument, node: ScalarNode, next: string, inFlow = false): TextEdit {
  const current = typeof node.value === 'string' ? node.value : undefined;
  const map = current !== undefined ? scalarMap(doc, node) : undefined;
  if (map && current !== undefined && (map.style !== 'PLAIN' || isPlainSafe(next, inFlow))) {
    let pre = 0;
    while (pre < current.length && pre < next.length && current[pre] === next[pre]) pre++;
    let suf = 0;
    while (suf < current.length - pre && suf < next.length - pre && current[current.length - 1 - suf] === next[next.length - 1 - suf]) suf++;
    const start = map.starts[pre];
    const end = map.starts[current.length - suf];
    return { range: doc.spanRange(start, end), newText: encodeInside(map.style, next.slice(pre, next.length - suf)) };
  }
  const style = node.type === 'PLAIN' && (current === undefined || current === '') ? undefined : node.type;
  if (!node.range) return { range: doc.spanRange(0, 0), newText: formatValue(next, style, inFlow) };
  const { from, to, after } = rewrittenSpan(doc, node.range, node.type);
  return { range: doc.spanRange(from, to), newText: intoEmptyValue(doc, from, to, formatValue(next, style, inFlow)) + after };
}

/**
 * The source span that a rewritten scalar replaces, and text to write after the new one. A
 * block scalar's range runs over its last line break: written as a flow scalar, that break
 * must stay (else the next key joins the value's line), and a comment on its header line
 * (`key: > # note`) is kept after the new value.
 */
function rewrittenSpan(doc: ValuesDocument, range: [number, number, number], type: string | undefined): { from: number; to: number; after: string } {
  const [from, to] = range;
  if (type !== 'BLOCK_FOLDED' && type !== 'BLOCK_LITERAL') return { from, to, after: '' };
  const source = doc.text.slice(from, to);
  const header = /^[^\r\n]*/.exec(source)![0];
  const comment = /[ \t]+#.*$/.exec(header)?.[0] ?? '';
  return { from, to: from + source.replace(/\s+$/, '').length, after: comment };
}

/**
 * `text` as it must be written where a scalar spans [from, to). An empty one (`key:` with no
 * value) needs a space after the colon, and one before a comment that followed it: `key: # c`
 * must not become `key: value# c`, a plain scalar that swallows the comment.
 */
function intoEmptyValue(doc: ValuesDocument, from: number, to: number, text: string): string {
  if (from !== to) return text;
  const before = from > 0 && !/\s/.test(doc.text[from - 1]) ? ' ' : '';
  const after = doc.text[to] === '#' ? ' ' : '';
  return before + text + after;
}

/** The source text for `value` in the quoting style of an existing scalar (plain only when it reads back the same). */
export function formatLike(node: ScalarNode | undefined, value: string): string {
  return formatValue(value, node?.type);
}

/** Replaces a scalar's whole text with `value`, keeping its quoting style. */
export function replaceScalarEdit(doc: ValuesDocument, node: ScalarNode, value: string): TextEdit {
  const text = formatLike(node, value);
  if (!node.range) return { range: doc.rangeOf(node), newText: text };
  const { from, to, after } = rewrittenSpan(doc, node.range, node.type);
  return { range: doc.spanRange(from, to), newText: intoEmptyValue(doc, from, to, text) + after };
}

/**
 * Replaces value characters [start, end) with `text`, touching only that span when the source
 * maps it one for one (and a plain scalar stays plain and equal); else the whole scalar.
 */
export function replaceInScalarEdit(doc: ValuesDocument, node: ScalarNode, start: number, end: number, text: string): TextEdit {
  const span = valueSpan(doc, node, start, end);
  const value = String(node.value ?? '');
  const next = value.slice(0, start) + text + value.slice(end);
  if (span && (node.type !== 'PLAIN' || isPlainSafe(next))) {
    const map = scalarMap(doc, node)!;
    return { range: doc.spanRange(span[0], span[1]), newText: encodeInside(map.style, text) };
  }
  return replaceScalarEdit(doc, node, next);
}
