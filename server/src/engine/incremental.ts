// Incremental re-parsing: after an edit, only the top-level blocks whose text changed are parsed
// again; the others are reused from the previous version (with their ranges moved when the
// edit shifted them). The result is the same ValuesDocument a full parse gives (same nodes,
// ranges, comments, values and problems), which test/incremental.test.ts checks on every
// corpus file under random edits. Anything this cannot reproduce exactly falls back to a full
// parse: anchors and aliases (they cross blocks), directives and document markers, a top level
// that is not a block map, tabs at line starts, lone CR line breaks, any error or warning in a
// block, and small files.
//
// How a block is cut: a top-level key line (column 0) starts a block, which runs to the next
// one. Where the comments and blank lines between two blocks belong is the parser's decision
// (a nested map may absorb them, or the next key gets them as `commentBefore`), so block j is
// parsed from where block j-1's nodes end, behind a dummy `_: 0` line that gives the parser
// the same "inside a map, after a value" context as the full text. A block's parse is then a
// pure function of that slice of text: an unchanged slice can reuse the previous nodes.
import { Document, isAlias, isMap, isPair, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import {
  createTextBase,
  duplicateKeysOf,
  finishValuesDocument,
  looksBinary,
  parseValuesDocument,
  parseYamlSafely,
  type DuplicateKey,
  type ValuesDocument,
} from './document';

/** Below this size a full parse costs about a millisecond: not worth the bookkeeping. */
export const MIN_INCREMENTAL_LENGTH = 2048;
/** With a single block the "incremental" parse would be a full parse. */
const MIN_BLOCKS = 2;

const DUMMY = '_: 0\n';

interface Block {
  /** Where the text this block was parsed from starts: 0 for the first block, else where the previous block's nodes end. */
  parseStart: number;
  /** The start of the next block's key line, or the end of the text. */
  end: number;
  /** The first block is parsed as the start of the document, the others behind DUMMY: not interchangeable. */
  first: boolean;
  pairs: Pair[];
  /** Where this block's last node ends (its trailing comments may be included): the next block starts here. */
  nodesEnd: number;
  /** The block ends in an empty value, so the next block cannot start behind it (see endsOpen). */
  endsOpen: boolean;
  /** Duplicate keys inside this block's maps (the root map is checked when blocks are assembled). */
  duplicates: DuplicateKey[];
  // Map and document ends and trailing comments: used when this block is the last one.
  mapValueEnd: number;
  mapNodeEnd: number;
  mapComment: string | null | undefined;
  docComment: string | null | undefined;
  docValueEnd: number;
  docNodeEnd: number;
  /** First block only: the document and root map whose leading comments and props the whole file shares. */
  head?: { doc: Document.Parsed; map: YAMLMap };
}

interface BlockTable {
  /** The text the blocks were cut from (offsets below refer to it). */
  text: string;
  blocks: Block[];
}

export type FallbackReason =
  | 'no-previous'
  | 'small'
  | 'binary'
  | 'markers'
  | 'tabs-or-cr'
  | 'few-blocks'
  | 'previous-unsplittable'
  | 'block-error'
  | 'block-anchor'
  | 'block-unfaithful';

/** What the last parse of a document did; for tests and the benchmark. */
export interface ParseStats {
  mode: 'blocks' | 'full';
  reason?: FallbackReason;
  blocks?: number;
  reparsedBlocks?: number;
}

const tables = new WeakMap<ValuesDocument, BlockTable | null>();
const stats = new WeakMap<ValuesDocument, ParseStats>();

export function parseStatsOf(doc: ValuesDocument): ParseStats | undefined {
  return stats.get(doc);
}

/**
 * The document for `text`, re-using what can be re-used from `previous` (the last version of
 * the same file). Gives exactly what `parseValuesDocument(path, text, version)` gives.
 */
export function reparseValuesDocument(
  previous: ValuesDocument | undefined,
  path: string,
  text: string,
  version?: number,
): ValuesDocument {
  const attempt = previous ? blockParse(previous, text) : { reason: 'no-previous' as const };
  if ('reason' in attempt) {
    const doc = parseValuesDocument(path, text, version);
    stats.set(doc, { mode: 'full', reason: attempt.reason });
    // Keep the last good block table across a transient error (the user is mid-typing), so
    // that the next clean version re-parses only what changed since then. Not after an anchor
    // or alias appeared: that persists, and the table is derived afresh from this full parse
    // once it is clean again.
    if (attempt.keep) tables.set(doc, attempt.keep);
    return doc;
  }
  const duplicates: DuplicateKey[] = [];
  duplicateKeysOf(attempt.yamlDoc.contents as YAMLMap, duplicates);
  for (const b of attempt.table.blocks) duplicates.push(...b.duplicates);
  const doc = finishValuesDocument(createTextBase(path, text, version), attempt.yamlDoc, [], { anchorFree: true, duplicates });
  tables.set(doc, attempt.table);
  stats.set(doc, { mode: 'blocks', blocks: attempt.table.blocks.length, reparsedBlocks: attempt.reparsed });
  return doc;
}

type Attempt =
  | { reason: FallbackReason; keep?: BlockTable }
  | { yamlDoc: Document.Parsed; table: BlockTable; reparsed: number };

function blockParse(previous: ValuesDocument, text: string): Attempt {
  const pre = unsplittableText(text);
  if (pre) return { reason: pre, keep: tables.get(previous) ?? undefined };
  let table = tables.get(previous);
  if (table === undefined) {
    table = deriveTable(previous);
    tables.set(previous, table);
  }
  if (!table) return { reason: 'previous-unsplittable' };

  const starts = keyLineStarts(text);
  if (starts.length < MIN_BLOCKS) return { reason: 'few-blocks', keep: table };

  const old = table.text;
  const prefix = commonPrefix(old, text);
  const suffix = commonSuffix(old, text, Math.min(old.length, text.length) - prefix);
  const delta = text.length - old.length;
  const oldByStart = new Map<number, Block>();
  for (const b of table.blocks) oldByStart.set(b.parseStart, b);

  const blocks: Block[] = [];
  let reparsed = 0;
  let parseStart = 0;
  for (let j = 0; j < starts.length; ) {
    const first = j === 0;
    // The previous block's nodes run past this key line: the split is not where the parser would put it.
    if (!first && parseStart > starts[j]) return { reason: 'block-unfaithful', keep: table };
    let next = j + 1;
    let block: Block | undefined;
    for (;;) {
      const end = next < starts.length ? starts[next] : text.length;
      block = undefined;
      if (end <= prefix) {
        const o = oldByStart.get(parseStart);
        if (o && o.end === end && o.first === first) block = o;
      } else if (parseStart >= text.length - suffix) {
        const o = oldByStart.get(parseStart - delta);
        if (o && o.end === end - delta && o.first === first) block = delta === 0 ? o : shiftBlock(o, delta);
      }
      if (!block) {
        const parsed = parseBlock(text, parseStart, end, first, first ? 0 : starts[j]);
        if (typeof parsed === 'string') return { reason: parsed, keep: parsed === 'block-anchor' ? undefined : table };
        block = parsed;
        reparsed++;
      }
      // A block ending in an empty value cannot end here (see endsOpen): take in the next key line.
      if (!block.endsOpen || next >= starts.length) break;
      next++;
    }
    blocks.push(block);
    parseStart = block.nodesEnd;
    j = next;
  }
  return { yamlDoc: assemble(blocks), table: { text, blocks }, reparsed };
}

/** Cheap text checks for what block parsing cannot reproduce. */
function unsplittableText(text: string): FallbackReason | undefined {
  if (text.length < MIN_INCREMENTAL_LENGTH) return 'small';
  if (looksBinary(text)) return 'binary';
  // Directives, document start/end markers: several documents or document-level state. A
  // single `---` above the first key (many values files start with one) is part of block 0.
  // (indexOf finds candidates; a multiline regular expression over 200 KB costs a millisecond.)
  let startMarker = -1;
  for (const lead of ['%', '---', '...']) {
    for (let at = text.startsWith(lead) ? 0 : lineStartOf(text, '\n' + lead, 0); at >= 0; at = lineStartOf(text, '\n' + lead, at + 1)) {
      if (lead !== '%' && !isMarkerEnd(text.charCodeAt(at + 3))) continue;
      if (lead !== '---' || startMarker >= 0) return 'markers';
      startMarker = at;
    }
  }
  if (startMarker >= 0) {
    const firstKey = keyLineStarts(text, 1)[0];
    if (firstKey === undefined || firstKey < startMarker) return 'markers';
  }
  // Tab-indented lines and CR-only line breaks: our line scan and the parser could disagree.
  if (text.startsWith('\t') || text.includes('\n\t')) return 'tabs-or-cr';
  for (let cr = text.indexOf('\r'); cr >= 0; cr = text.indexOf('\r', cr + 1)) if (text.charCodeAt(cr + 1) !== 10) return 'tabs-or-cr';
  return undefined;
}

/** The start of the next line (from `from`) that begins with `lineStart` minus its leading "\n"; -1 if none. */
function lineStartOf(text: string, needle: string, from: number): number {
  const at = text.indexOf(needle, Math.max(0, from - 1));
  return at < 0 ? -1 : at + 1;
}

function isMarkerEnd(c: number): boolean {
  return Number.isNaN(c) || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Offsets of top-level key lines: a line starting in column 0 with a character that can start
 * a plain or quoted key. Sequences (`- `), comments, explicit keys (`? `), flow collections and
 * node properties (`&`, `*`, `!`) do not start a block; the parse of the block they end up in
 * decides whether the split is faithful.
 */
export function keyLineStarts(text: string, limit = Infinity): number[] {
  const starts: number[] = [];
  let pos = 0;
  const n = text.length;
  while (pos < n && starts.length < limit) {
    if (isKeyLineStart(text.charCodeAt(pos))) starts.push(pos);
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break;
    pos = nl + 1;
  }
  return starts;
}

function isKeyLineStart(c: number): boolean {
  switch (c) {
    case 0x20: // space
    case 0x09: // tab
    case 0x0a: // \n
    case 0x0d: // \r
    case 0x23: // #
    case 0x2d: // -
    case 0x3f: // ?
    case 0x3a: // :
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
    case 0x7c: // |
    case 0x3e: // >
    case 0x21: // !
    case 0x26: // &
    case 0x2a: // *
    case 0x2c: // ,
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case 0xfeff: // BOM
      return false;
    default:
      return true;
  }
}

/** Chunks compared natively before the character loop: a 200 KB file costs microseconds, not a millisecond. */
const CHUNK = 2048;

export function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  // (Equality of two slices is a native compare; startsWith is not, measured 50× slower.)
  while (i + CHUNK <= n && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK)) i += CHUNK;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the common end of `a` and `b`, at most `max`. */
export function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  while (i + CHUNK <= max && a.slice(a.length - i - CHUNK, a.length - i) === b.slice(b.length - i - CHUNK, b.length - i)) i += CHUNK;
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/** Parses text[parseStart, end) as one block, or says why the result would not match a full parse. */
function parseBlock(
  text: string,
  parseStart: number,
  end: number,
  first: boolean,
  keyStart: number,
): Block | 'block-error' | 'block-anchor' | 'block-unfaithful' {
  // Concatenating (rather than slicing) gives the parser a string of its own: the scalars it
  // slices out of it then retain this block's text, not the whole version it came from.
  const source = first ? '\n'.concat(text.slice(parseStart, end)).slice(1) : DUMMY + text.slice(parseStart, end);
  const parsed = parseYamlSafely(source);
  // Errors (and absurd nesting) are reported by the full parse, with the messages and positions users know.
  if ('tooDeepAt' in parsed || parsed.docs.length !== 1) return 'block-error';
  const doc = parsed.docs[0];
  if (doc.errors.length || doc.warnings.length) return 'block-error';
  const map = doc.contents;
  if (!isMap(map) || map.flow || map.tag || !map.range) return 'block-unfaithful';
  if (map.anchor) return 'block-anchor';
  const items = map.items as Pair[];
  if (!first && (items.length < 2 || !isDummyPair(items[0]))) return 'block-unfaithful';
  const pairs = first ? items : items.slice(1);
  if (!pairs.length) return 'block-unfaithful';
  const shift = first ? 0 : parseStart - DUMMY.length;
  for (const pair of pairs) if (!shiftInPlace(pair, shift)) return 'block-anchor';
  if (!first && (pairs[0].key as Scalar).range?.[0] !== keyStart) return 'block-unfaithful';
  const docRange = doc.range;
  const block: Block = {
    parseStart,
    end,
    first,
    pairs,
    nodesEnd: pairEnd(pairs[pairs.length - 1]),
    endsOpen: endsOpen(pairs[pairs.length - 1]),
    duplicates: nestedDuplicates(pairs),
    mapValueEnd: map.range[1] + shift,
    mapNodeEnd: map.range[2] + shift,
    mapComment: map.comment,
    docComment: doc.comment,
    docValueEnd: docRange[1] + shift,
    docNodeEnd: docRange[2] + shift,
  };
  if (first) block.head = { doc, map };
  return block;
}

function isDummyPair(pair: Pair): boolean {
  const k = pair.key as Scalar;
  const v = pair.value as Scalar;
  return isScalar(k) && k.value === '_' && k.range?.[0] === 0 && isScalar(v) && v.value === 0 && !k.commentBefore;
}

/**
 * True when the last node of a pair (its deepest last descendant) is an empty value (`key:`
 * with nothing after it, an empty `- ` item). The parser gives the comments and blank lines
 * after an empty value to it or to the next key depending on what that next key is, so a block
 * ending that way is parsed together with the next one.
 */
function endsOpen(pair: Pair): boolean {
  let node: unknown = pair;
  for (let depth = 0; depth < 10_000; depth++) {
    if (isPair(node)) {
      node = node.value ?? null;
      if (node === null) return true;
    } else if (isMap(node) || isSeq(node)) {
      if (node.flow || !node.items.length) return false;
      node = node.items[node.items.length - 1];
    } else if (isScalar(node)) {
      return !node.range || node.range[0] === node.range[1];
    } else return node === null || node === undefined;
  }
  return true;
}

function pairEnd(pair: Pair): number {
  const k = (pair.key as YamlNode | null)?.range?.[2] ?? 0;
  const v = (pair.value as YamlNode | null)?.range?.[2] ?? 0;
  return Math.max(k, v);
}

/** Moves a freshly parsed subtree to its place in the file; false if it holds an anchor or alias. */
function shiftInPlace(node: unknown, d: number): boolean {
  if (node === null || node === undefined) return true;
  if (isPair(node)) return shiftInPlace(node.key, d) && shiftInPlace(node.value, d);
  if (isAlias(node)) return false;
  const n = node as YamlNode & { anchor?: string };
  if (n.anchor) return false;
  if (n.range) n.range = [n.range[0] + d, n.range[1] + d, n.range[2] + d];
  if (isMap(n) || isSeq(n)) {
    for (const item of n.items) if (!shiftInPlace(item, d)) return false;
  } else if (!isScalar(n)) return false;
  return true;
}

/**
 * A reused block at a new offset. Its nodes are copied, not moved, so that the previous
 * version's document (someone may still hold it) keeps its own ranges.
 */
function shiftBlock(b: Block, d: number): Block {
  return {
    ...b,
    parseStart: b.parseStart + d,
    end: b.end + d,
    pairs: b.pairs.map((p) => copyPair(p, d)),
    nodesEnd: b.nodesEnd + d,
    duplicates: b.duplicates.map((x) => ({ text: x.text, key: [x.key[0] + d, x.key[1] + d], first: [x.first[0] + d, x.first[1] + d] })),
    mapValueEnd: b.mapValueEnd + d,
    mapNodeEnd: b.mapNodeEnd + d,
    docValueEnd: b.docValueEnd + d,
    docNodeEnd: b.docNodeEnd + d,
  };
}

function copyPair(p: Pair, d: number): Pair {
  const c = new Pair(copyNode(p.key, d), copyNode(p.value, d));
  for (const k of Object.keys(p)) if (k !== 'key' && k !== 'value') (c as unknown as Record<string, unknown>)[k] = (p as unknown as Record<string, unknown>)[k];
  return c;
}

function copyNode<T>(node: T, d: number): T {
  if (node === null || node === undefined) return node;
  let c: YamlNode;
  if (isScalar(node)) c = Object.assign(new Scalar(node.value), node);
  else if (isMap(node)) {
    c = Object.assign(new YAMLMap(node.schema), node);
    (c as YAMLMap).items = node.items.map((p) => copyPair(p as Pair, d));
  } else if (isSeq(node)) {
    c = Object.assign(new YAMLSeq(node.schema), node);
    (c as YAMLSeq).items = node.items.map((i) => copyNode(i, d));
  } else return node; // blocks hold only scalars, maps and sequences (checked when parsed)
  const r = (node as YamlNode).range;
  if (r) c.range = [r[0] + d, r[1] + d, r[2] + d];
  return c as T;
}

function shallowClone<T extends object>(o: T): T {
  return Object.create(Object.getPrototypeOf(o), Object.getOwnPropertyDescriptors(o));
}

function setOptional(o: object, key: string, value: unknown): void {
  if (value === undefined) delete (o as Record<string, unknown>)[key];
  else (o as Record<string, unknown>)[key] = value;
}

/** One document whose root map holds every block's pairs, as the full parse would build it. */
function assemble(blocks: Block[]): Document.Parsed {
  const head = blocks[0].head!;
  const last = blocks[blocks.length - 1];
  const root = shallowClone(head.map);
  root.items = blocks.flatMap((b) => b.pairs);
  root.range = [head.map.range![0], last.mapValueEnd, last.mapNodeEnd];
  setOptional(root, 'comment', last.mapComment);
  const doc = shallowClone(head.doc);
  doc.contents = root as unknown as Document.Parsed['contents'];
  doc.range = [head.doc.range[0], last.docValueEnd, last.docNodeEnd];
  setOptional(doc, 'comment', last.docComment);
  doc.errors = [];
  doc.warnings = [];
  return doc;
}

/**
 * The block table of a document that was parsed in full (the first version of a file), so that
 * its first edit is already incremental. Its nodes are the ones a block parse would give.
 */
function deriveTable(doc: ValuesDocument): BlockTable | null {
  const yamlDoc = doc.yamlDoc;
  const root = doc.root;
  if (!yamlDoc || !isMap(root) || root.flow || root.anchor || root.tag || !root.range || !yamlDoc.range) return null;
  if (yamlDoc.errors.length || yamlDoc.warnings.length) return null;
  if (doc.problems.some((p) => p.kind !== 'duplicate-key')) return null;
  if (unsplittableText(doc.text)) return null;
  const starts = keyLineStarts(doc.text);
  if (starts.length < MIN_BLOCKS) return null;
  const items = root.items as Pair[];
  for (const pair of items) if (!anchorFree(pair)) return null;

  const blocks: Block[] = [];
  let i = 0;
  let parseStart = 0;
  for (let j = 0; j < starts.length; ) {
    let next = j + 1;
    let end = next < starts.length ? starts[next] : doc.text.length;
    const pairs: Pair[] = [];
    for (;;) {
      while (i < items.length && ((items[i].key as YamlNode | null)?.range?.[0] ?? -1) < end) pairs.push(items[i++]);
      if (!pairs.length) return null;
      if (!endsOpen(pairs[pairs.length - 1]) || next >= starts.length) break;
      next++;
      end = next < starts.length ? starts[next] : doc.text.length;
    }
    if (j > 0 && ((pairs[0].key as YamlNode | null)?.range?.[0] !== starts[j] || parseStart > starts[j])) return null;
    const nodesEnd = pairEnd(pairs[pairs.length - 1]);
    blocks.push({
      parseStart,
      end,
      first: j === 0,
      pairs,
      nodesEnd,
      endsOpen: endsOpen(pairs[pairs.length - 1]),
      duplicates: nestedDuplicates(pairs),
      // Only the last block's values are used, and for it these are the full parse's own.
      mapValueEnd: root.range[1],
      mapNodeEnd: root.range[2],
      mapComment: root.comment,
      docComment: yamlDoc.comment,
      docValueEnd: yamlDoc.range[1],
      docNodeEnd: yamlDoc.range[2],
      head: j === 0 ? { doc: yamlDoc, map: root } : undefined,
    });
    parseStart = nodesEnd;
    j = next;
  }
  if (i !== items.length) return null;
  return { text: doc.text, blocks };
}

/** Duplicate keys in the maps below these pairs, in the order `yaml`'s visit (pre-order, keys first) meets them. */
function nestedDuplicates(pairs: Pair[]): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const walk = (node: unknown): void => {
    if (isPair(node)) {
      walk(node.key);
      walk(node.value);
    } else if (isMap(node)) {
      duplicateKeysOf(node, out);
      for (const item of node.items) walk(item);
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    }
  };
  for (const pair of pairs) walk(pair);
  return out;
}

function anchorFree(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (isPair(node)) return anchorFree(node.key) && anchorFree(node.value);
  if (isAlias(node)) return false;
  if ((node as { anchor?: string }).anchor) return false;
  if (isMap(node) || isSeq(node)) return node.items.every(anchorFree);
  return isScalar(node);
}
