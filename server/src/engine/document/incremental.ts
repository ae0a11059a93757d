// Incremental re-parsing: after an edit, only the blocks whose text changed are parsed again;
// the others are reused from the previous version (their nodes copied with moved ranges when
// the edit shifted them). The result is the same ValuesDocument a full parse gives (same nodes,
// ranges, comments, values and problems), which test/incremental.test.ts checks on every
// corpus file under random edits. What this cannot reproduce exactly falls back to a full
// parse: directives and document markers (except one leading `---`), a top level that is not
// a block map, tabs at line starts, lone CR line breaks, any error or warning in a block, and
// small files.
//
// How a block is cut: a top-level key line (column 0) starts a block, which runs to the next
// one. Where the comments and blank lines between two blocks belong is the parser's decision
// (a nested map may absorb them, or the next key gets them as `commentBefore`), so block j is
// parsed from where block j-1's nodes end, behind a dummy `_: 0` line that gives the parser
// the same "inside a map, after a value" context as the full text. A block's parse is then a
// pure function of that slice of text: an unchanged slice can reuse the previous nodes. A
// block ending in an empty value is parsed together with the next (the parser's choice there
// depends on what follows). Long `key:` blocks are cut again in the same way at the keys of
// their nested map, each piece parsed behind the key line and an indented dummy.
//
// Anchors and aliases do not stop this: `yaml` composes an alias without looking for its
// anchor, so a block parses the same alone; aliases are resolved afterwards over the whole
// document, in document order (finishValuesDocument), from events each block keeps.
import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import {
  collectStructure,
  createTextBase,
  duplicateKeysOf,
  finishValuesDocument,
  looksBinary,
  parseValuesDocument,
  parseYamlSafely,
  type DuplicateKey,
  type StructureEvent,
  type ValuesDocument,
} from './index';

/** Below this size a full parse costs about a millisecond: not worth the bookkeeping. */
export const MIN_INCREMENTAL_LENGTH = 2048;
/** With a single block the "incremental" parse would be a full parse. */
const MIN_BLOCKS = 2;

const DUMMY = '_: 0\n';

/** Top-level blocks at least this long are cut again, at the keys of their nested map. */
export const MIN_SPLIT_LENGTH = 4096;

/**
 * The first version of a file is parsed in pieces too, cut at key lines at least this far apart
 * (and wherever a key's own block is this long, so that it can be cut again): the pieces give
 * the same nodes as one parse, for the reasons blocks do, but each piece's lexemes and CST are
 * garbage as soon as it is composed. Parsed whole, the CST of a large file lives until the end
 * and the garbage collector copies and promotes all of it: about a fifth of a first lint.
 */
export const FIRST_PARSE_PIECE_LENGTH = 16 * 1024;

/**
 * How a piece of text was parsed; pieces are reusable only for the same kind.
 * - `doc`: from the start of the document (the first top-level block);
 * - `top`: behind DUMMY (the other top-level blocks);
 * - `sub`: behind the parent's key line and an indented DUMMY (second and later sub-blocks).
 * The first sub-block of a split top-level block is parsed like that block (`doc` or `top`).
 */
type PieceKind = 'doc' | 'top' | 'sub';

interface Block {
  kind: PieceKind;
  /** Where the text this block was parsed from starts: 0 for the first block, else where the previous block's nodes end. */
  parseStart: number;
  /** The start of the next block's key line, or the end of the region. */
  end: number;
  pairs: Pair[];
  /** Where this block's last node ends (its trailing comments may be included): the next block starts here. */
  nodesEnd: number;
  /** The block ends in an empty value, so the next block cannot start behind it (see endsOpen). */
  endsOpen: boolean;
  /** Anchors, aliases and duplicate keys inside this block's pairs, in document order (the enclosing map's duplicates are found when blocks are assembled). */
  events: StructureEvent[];
  // Ends and trailing comment of the map the pairs belong to, and of the document: used when
  // this block is the last one. For a sub-block `map` is the parent's nested map and `root`
  // the root map.
  mapValueEnd: number;
  mapNodeEnd: number;
  mapComment: string | null | undefined;
  rootValueEnd: number;
  rootNodeEnd: number;
  rootComment: string | null | undefined;
  docComment: string | null | undefined;
  docValueEnd: number;
  docNodeEnd: number;
  /** First top-level block only: the document and root map whose leading comments and props the whole file shares. */
  head?: { doc: Document.Parsed; map: YAMLMap };
  /** First sub-block only: the parent's key, pair and nested map, as parsed. */
  parent?: { key: Scalar; pair: Pair; map: YAMLMap };
  /** A top-level block assembled from sub-blocks. */
  split?: SplitTable;
  /** deriveSplit was tried on this block. */
  splitChecked?: boolean;
}

interface SplitTable {
  /** The parent's key line (with its line break), parsed in front of every later sub-block. */
  keyLine: string;
  keyStart: number;
  /** Indentation of the nested map's keys. */
  indent: number;
  blocks: Block[];
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
  | 'block-unfaithful';

type BlockFailure = 'block-error' | 'block-unfaithful';

/** What the last parse of a document did; for tests and the benchmark. */
export interface ParseStats {
  /** `pieces`: a first version parsed in pieces (FIRST_PARSE_PIECE_LENGTH). */
  mode: 'blocks' | 'pieces' | 'full';
  reason?: FallbackReason;
  /** Top-level blocks. */
  blocks?: number;
  /** Top-level blocks not reused as a whole. */
  reparsedBlocks?: number;
  /** Pieces of text given to the parser (blocks and sub-blocks). */
  parsedPieces?: number;
  /** Top-level blocks held as sub-blocks (long `key:` blocks whose nested map was cut again). */
  splitBlocks?: number;
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
  const attempt = previous ? blockParse(previous, text) : pieceParse(text);
  if ('reason' in attempt) {
    const doc = parseValuesDocument(path, text, version);
    stats.set(doc, { mode: 'full', reason: attempt.reason });
    // Keep the last good block table across a transient error (the user is mid-typing), so
    // that the next clean version re-parses only what changed since then.
    if (attempt.keep) tables.set(doc, attempt.keep);
    return doc;
  }
  // The root map's own duplicates come first (it is reached first), then each block's events.
  const events: StructureEvent[] = [];
  const rootDuplicates: DuplicateKey[] = [];
  duplicateKeysOf(attempt.yamlDoc.contents as YAMLMap, rootDuplicates);
  for (const duplicate of rootDuplicates) events.push({ kind: 'duplicate', duplicate });
  for (const b of attempt.blocks) for (const e of b.events) events.push(e);
  const doc = finishValuesDocument(createTextBase(path, text, version), attempt.yamlDoc, [], events);
  if (attempt.pieces) {
    // The pieces are cut for parsing, not for editing: the first edit derives the block table.
    stats.set(doc, { mode: 'pieces', parsedPieces: attempt.parsed });
    return doc;
  }
  tables.set(doc, { text, blocks: attempt.blocks });
  stats.set(doc, {
    mode: 'blocks',
    blocks: attempt.blocks.length,
    reparsedBlocks: attempt.reparsed,
    parsedPieces: attempt.parsed,
    splitBlocks: attempt.blocks.filter((b) => b.split).length,
  });
  return doc;
}

type Attempt =
  | { reason: FallbackReason; keep?: BlockTable }
  | { yamlDoc: Document.Parsed; blocks: Block[]; pieces?: true; reparsed: number; parsed: number };

/** What changed between the table's text and the new one. */
interface Change {
  oldText: string;
  text: string;
  prefix: number;
  suffix: number;
  delta: number;
  /** Pieces given to the parser so far. */
  parsed: number;
  /** First parse only: cut no finer than FIRST_PARSE_PIECE_LENGTH (edits cut at every key line). */
  minPiece: number;
}

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
  const change: Change = {
    oldText: old,
    text,
    prefix,
    suffix: commonSuffix(old, text, Math.min(old.length, text.length) - prefix),
    delta: text.length - old.length,
    parsed: 0,
    minPiece: 0,
  };
  const result = cutRegion(change, table.blocks, starts, 0, text.length, (j) => (j === 0 ? 'doc' : 'top'), (j, next, parseStart, end, candidate) =>
    parseTopBlock(change, starts, j, next, parseStart, end, candidate),
  );
  if (typeof result === 'string') return { reason: result, keep: table };
  return { yamlDoc: assemble(result.blocks), blocks: result.blocks, reparsed: result.reparsed, parsed: change.parsed };
}

/** The first version of a file, parsed in pieces (FIRST_PARSE_PIECE_LENGTH); a file of one piece is parsed whole. */
function pieceParse(text: string): Attempt {
  if (text.length < 2 * FIRST_PARSE_PIECE_LENGTH) return { reason: 'no-previous' };
  const pre = unsplittableText(text);
  if (pre) return { reason: pre };
  const starts = coarsen(keyLineStarts(text), text.length, FIRST_PARSE_PIECE_LENGTH);
  if (starts.length === 0) return { reason: 'few-blocks' };
  const change: Change = { oldText: '', text, prefix: 0, suffix: 0, delta: text.length, parsed: 0, minPiece: FIRST_PARSE_PIECE_LENGTH };
  const result = cutRegion(change, [], starts, 0, text.length, (j) => (j === 0 ? 'doc' : 'top'), (j, next, parseStart, end) =>
    parseTopBlock(change, starts, j, next, parseStart, end, undefined),
  );
  if (typeof result === 'string') return { reason: result };
  return { yamlDoc: assemble(result.blocks), blocks: result.blocks, pieces: true, reparsed: result.reparsed, parsed: change.parsed };
}

/**
 * Key line offsets thinned out so that pieces are at least `min` long, except that a key whose
 * own block is that long always starts a piece (it may then be cut at its nested keys).
 */
function coarsen(starts: number[], end: number, min: number): number[] {
  if (min <= 0) return starts;
  const out: number[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    const last = out.length ? out[out.length - 1] : -Infinity;
    if (start - last >= min || (starts[i + 1] ?? end) - start >= min) out.push(start);
  }
  return out;
}

type ParsePiece = (j: number, next: number, parseStart: number, end: number, candidate: Block | undefined) => Block | BlockFailure;

/**
 * Cuts text[firstParseStart, regionEnd) at `starts` into blocks, reusing the old blocks whose
 * text is unchanged (in the common prefix, or in the common suffix at a shifted offset) and
 * parsing the others. Block j+1 starts where block j's nodes end. The first block of a region
 * is parsed with the region's opening context, the others behind a dummy entry.
 */
function cutRegion(
  change: Change,
  oldBlocks: Block[],
  starts: number[],
  firstParseStart: number,
  regionEnd: number,
  kindAt: (j: number) => PieceKind,
  parse: ParsePiece,
): { blocks: Block[]; reparsed: number } | BlockFailure {
  const oldByStart = new Map<number, Block>();
  for (const b of oldBlocks) oldByStart.set(b.parseStart, b);
  const blocks: Block[] = [];
  let reparsed = 0;
  let parseStart = firstParseStart;
  for (let j = 0; j < starts.length; ) {
    // The previous block's nodes run past this key line: the split is not where the parser would put it.
    if (j > 0 && parseStart > starts[j]) return 'block-unfaithful';
    const kind = kindAt(j);
    const sameKind = (b: Block | undefined): b is Block => b !== undefined && b.kind === kind;
    let next = j + 1;
    // An old block here that had to take in the next key lines (it ended in an empty value)
    // most likely still does: start with its extent rather than parse the short piece first.
    // (Taking in more key lines is always faithful; only cutting is an optimisation.)
    const before = oldByStart.get(parseStart) ?? oldByStart.get(parseStart - change.delta);
    if (sameKind(before)) {
      const oldEnd = mapOldOffset(change, before.end);
      if (oldEnd !== undefined && oldEnd > (starts[next] ?? regionEnd)) {
        const k = starts.indexOf(oldEnd, next);
        if (k > next) next = k;
      }
    }
    let block: Block | undefined;
    for (;;) {
      const end = next < starts.length ? starts[next] : regionEnd;
      block = undefined;
      const same = oldByStart.get(parseStart);
      const moved = oldByStart.get(parseStart - change.delta);
      if (end <= change.prefix) {
        // The region's last block gives the ends of its map and document: one that was not last
        // before (the text after it was deleted) holds ends from another context.
        if (sameKind(same) && same.end === end && (end < regionEnd || same === oldBlocks[oldBlocks.length - 1])) block = same;
      } else if (parseStart >= change.text.length - change.suffix) {
        if (sameKind(moved) && moved.end === end - change.delta) block = change.delta === 0 ? moved : shiftBlock(moved, change.delta);
      }
      if (!block) {
        // An old block at the same place (or moved by the edit) may still lend its sub-blocks.
        const candidate = sameKind(same) ? same : sameKind(moved) ? moved : undefined;
        const parsed = parse(j, next, parseStart, end, candidate);
        if (typeof parsed === 'string') return parsed;
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
  return { blocks, reparsed };
}

/** Where an offset of the old text is in the new one, if it is outside the changed span. */
function mapOldOffset(change: Change, offset: number): number | undefined {
  if (offset <= change.prefix) return offset;
  if (offset >= change.oldText.length - change.suffix) return offset + change.delta;
  return undefined;
}

function parseTopBlock(
  change: Change,
  starts: number[],
  j: number,
  next: number,
  parseStart: number,
  end: number,
  candidate: Block | undefined,
): Block | BlockFailure {
  const kind: PieceKind = j === 0 ? 'doc' : 'top';
  // A long block holding one key whose value is a block map is cut again at that map's keys.
  if (next === j + 1 && end - parseStart >= Math.max(MIN_SPLIT_LENGTH, 2 * change.minPiece)) {
    const split = parseSplitBlock(change, kind, starts[j], parseStart, end, candidate);
    if (split) return split;
  }
  change.parsed++;
  return parseBlock(change.text, parseStart, end, kind, j === 0 ? -1 : starts[j]);
}

/** Parses text[parseStart, end) as one top-level block, or says why the result would not match a full parse. */
function parseBlock(text: string, parseStart: number, end: number, kind: PieceKind, keyStart: number): Block | BlockFailure {
  const first = kind === 'doc';
  const parsed = parsePiece(first ? freshCopy(text.slice(parseStart, end)) : DUMMY + text.slice(parseStart, end));
  if (typeof parsed === 'string') return parsed;
  const { doc, map } = parsed;
  const items = map.items as Pair[];
  if (!first && (items.length < 2 || !isDummyPair(items[0], 0))) return 'block-unfaithful';
  const pairs = first ? items : items.slice(1);
  if (!pairs.length) return 'block-unfaithful';
  const shift = first ? 0 : parseStart - DUMMY.length;
  for (const pair of pairs) if (!shiftInPlace(pair, shift)) return 'block-unfaithful';
  if (!first && (pairs[0].key as Scalar).range?.[0] !== keyStart) return 'block-unfaithful';
  const block = pieceOf(kind, parseStart, end, pairs, doc, map, map, shift);
  if (first) block.head = { doc, map };
  return block;
}

/** Concatenating (rather than slicing) gives the parser a string of its own: the scalars it
 * slices out of it then retain this block's text, not the whole version it came from. */
function freshCopy(s: string): string {
  return '\n'.concat(s).slice(1);
}

/** One piece through the (depth-guarded) parser: a clean, anchor-free block map, or why not. */
function parsePiece(source: string): { doc: Document.Parsed; map: YAMLMap } | BlockFailure {
  const parsed = parseYamlSafely(source);
  // Errors (and absurd nesting) are reported by the full parse, with the messages and positions users know.
  if ('tooDeepAt' in parsed || parsed.docs.length !== 1) return 'block-error';
  const doc = parsed.docs[0];
  if (doc.errors.length || doc.warnings.length) return 'block-error';
  const map = doc.contents;
  // (An anchor on the root map itself would belong to no block.)
  if (!isMap(map) || map.flow || map.tag || map.anchor || !map.range) return 'block-unfaithful';
  return { doc, map };
}

function pieceOf(
  kind: PieceKind,
  parseStart: number,
  end: number,
  pairs: Pair[],
  doc: Document.Parsed,
  root: YAMLMap,
  map: YAMLMap,
  shift: number,
  mapShifted = false,
): Block {
  const last = pairs[pairs.length - 1];
  const m = mapShifted ? 0 : shift;
  return {
    kind,
    parseStart,
    end,
    pairs,
    nodesEnd: pairEnd(last),
    endsOpen: endsOpen(last),
    events: eventsOf(pairs),
    mapValueEnd: map.range![1] + m,
    mapNodeEnd: map.range![2] + m,
    mapComment: map.comment,
    rootValueEnd: root.range![1] + shift,
    rootNodeEnd: root.range![2] + shift,
    rootComment: root.comment,
    docComment: doc.comment,
    docValueEnd: doc.range[1] + shift,
    docNodeEnd: doc.range[2] + shift,
  };
}

/** `key:` alone on its line (a comment may follow): its value can be a block map below. */
const PARENT_KEY_LINE = /^(?:"[^"\n]*"|'[^'\n]*'|[^\s#'"&*!|>%@`[\]{},?:-][^\n#]*?):[ \t]*(?:#[^\n]*)?\r?\n$/;

/**
 * A long top-level block `key:` whose value is a block map, cut at that map's keys: the first
 * sub-block is parsed with the block's own opening (comments before the key, the key line),
 * the others behind the key line and an indented dummy entry, so that each sees the same
 * nesting as in the full text. Undefined when the block does not have that shape or a
 * sub-block parse disagrees; the caller then parses the block whole.
 */
function parseSplitBlock(
  change: Change,
  kind: PieceKind,
  keyStart: number,
  parseStart: number,
  end: number,
  candidate: Block | undefined,
): Block | undefined {
  const text = change.text;
  const keyLineEnd = text.indexOf('\n', keyStart) + 1;
  if (keyLineEnd <= 0 || keyLineEnd >= end) return undefined;
  const keyLine = text.slice(keyStart, keyLineEnd);
  if (!PARENT_KEY_LINE.test(keyLine)) return undefined;
  const subStarts = nestedKeyLineStarts(text, keyLineEnd, end);
  if (!subStarts) return undefined;
  const cuts = coarsen(subStarts.starts, end, change.minPiece);
  if (cuts.length < 2) return undefined;
  const indent = subStarts.indent;

  let oldSplit = candidate?.split;
  if (candidate && !oldSplit && !candidate.splitChecked) {
    // Old blocks are a cache of derivable facts: recording the split on one changes nothing else.
    oldSplit = candidate.split = deriveSplit(candidate, change.oldText);
    candidate.splitChecked = true;
  }
  const reusable = oldSplit && oldSplit.keyLine === keyLine && oldSplit.indent === indent ? oldSplit.blocks : [];
  const bodyDummy = ' '.repeat(indent) + DUMMY;
  const ctx: SplitContext = { kind, keyLine, keyStart, indent, bodyDummy };
  const result = cutRegion(change, reusable, cuts, parseStart, end, (j) => (j === 0 ? kind : 'sub'), (j, _next, ps, e) => {
    change.parsed++;
    return parseSubBlock(text, ctx, j, ps, e, cuts[j]);
  });
  if (typeof result === 'string') return undefined;
  return assembleSplit(result.blocks, ctx);
}

interface SplitContext {
  kind: PieceKind;
  keyLine: string;
  keyStart: number;
  indent: number;
  bodyDummy: string;
}

/**
 * Keys of a nested block map between `from` and `end`: the first content line (not blank, not a
 * comment) sets the indentation, which must be more than 0 and start a key; then every line
 * with exactly that indentation followed by a key character. The offsets are those of the keys,
 * after the indentation: the parser ends the nodes before a key there, not at the line start.
 * Undefined if the shape is not that of a block map.
 */
function nestedKeyLineStarts(text: string, from: number, end: number): { indent: number; starts: number[] } | undefined {
  let indent = -1;
  const starts: number[] = [];
  for (let pos = from; pos < end; ) {
    let col = 0;
    while (text.charCodeAt(pos + col) === 0x20) col++;
    const c = text.charCodeAt(pos + col);
    const blankOrComment = c === 0x0a || c === 0x0d || c === 0x23 || pos + col >= end;
    if (!blankOrComment) {
      if (indent < 0) {
        if (col === 0 || !isKeyLineStart(c)) return undefined;
        indent = col;
      }
      if (col === indent && isKeyLineStart(c)) starts.push(pos + col);
      else if (col < indent) return undefined; // less indented content: not one nested block map
    }
    const nl = text.indexOf('\n', pos);
    if (nl < 0 || nl + 1 > end) break;
    pos = nl + 1;
  }
  return indent > 0 ? { indent, starts } : undefined;
}

/** Parses sub-block j of a split block: text[parseStart, end) in its context. */
function parseSubBlock(text: string, ctx: SplitContext, j: number, parseStart: number, end: number, subKeyStart: number): Block | BlockFailure {
  if (j === 0) {
    // Like the whole block, but ending early: the dummy (if any), comments, the key line, the first keys.
    const first = ctx.kind === 'doc';
    const parsed = parsePiece(first ? freshCopy(text.slice(parseStart, end)) : DUMMY + text.slice(parseStart, end));
    if (typeof parsed === 'string') return parsed;
    const { doc, map: root } = parsed;
    const items = root.items as Pair[];
    if (items.length !== (first ? 1 : 2) || (!first && !isDummyPair(items[0], 0))) return 'block-unfaithful';
    const pair = items[items.length - 1];
    const shift = first ? 0 : parseStart - DUMMY.length;
    if (!shiftInPlace(pair, shift)) return 'block-unfaithful';
    const nested = pair.value;
    if (!isScalar(pair.key) || pair.key.range?.[0] !== ctx.keyStart) return 'block-unfaithful';
    if (!isMap(nested) || nested.flow || nested.tag || !nested.range || !nested.items.length) return 'block-unfaithful';
    const pairs = nested.items as Pair[];
    if ((pairs[0].key as Scalar).range?.[0] !== subKeyStart) return 'block-unfaithful';
    const block = pieceOf(ctx.kind, parseStart, end, pairs, doc, root, nested, shift, true);
    block.parent = { key: pair.key as Scalar, pair, map: nested };
    if (first) block.head = { doc, map: root };
    return block;
  }
  // The previous sub-block may end inside the indentation of this one's first line: that
  // indentation is given back in front of the text, so the first key keeps its column.
  const lineStart = text.lastIndexOf('\n', parseStart - 1) + 1;
  const pad = text.slice(lineStart, parseStart);
  const prefix = ctx.keyLine + ctx.bodyDummy + (/^ *$/.test(pad) ? pad : '');
  const parsed = parsePiece(prefix + text.slice(parseStart, end));
  if (typeof parsed === 'string') return parsed;
  const { doc, map: root } = parsed;
  const items = root.items as Pair[];
  if (items.length !== 1) return 'block-unfaithful';
  const nested = items[0].value;
  if (!isMap(nested) || nested.flow || nested.tag || !nested.range || nested.items.length < 2) return 'block-unfaithful';
  // The key line and the nested map are context here (their nodes come from the first sub-block).
  if (nested.anchor || !isScalar(items[0].key) || items[0].key.anchor) return 'block-unfaithful';
  if (!isDummyPair(nested.items[0] as Pair, ctx.keyLine.length + ctx.indent)) return 'block-unfaithful';
  const pairs = (nested.items as Pair[]).slice(1);
  const shift = parseStart - prefix.length;
  for (const pair of pairs) if (!shiftInPlace(pair, shift)) return 'block-unfaithful';
  if ((pairs[0].key as Scalar).range?.[0] !== subKeyStart) return 'block-unfaithful';
  return pieceOf('sub', parseStart, end, pairs, doc, root, nested, shift);
}

/** The top-level block of a split key: its pair, with the nested map holding every sub-block's pairs. */
function assembleSplit(subs: Block[], ctx: { keyLine: string; keyStart: number; indent: number }): Block {
  const s0 = subs[0];
  const last = subs[subs.length - 1];
  const parent = s0.parent!;
  const nested = shallowClone(parent.map);
  nested.items = subs.flatMap((b) => b.pairs);
  nested.range = [parent.map.range![0], last.mapValueEnd, last.mapNodeEnd];
  setOptional(nested, 'comment', last.mapComment);
  const pair = new Pair(parent.key, nested);
  for (const k of Object.keys(parent.pair)) if (k !== 'key' && k !== 'value') (pair as unknown as Record<string, unknown>)[k] = (parent.pair as unknown as Record<string, unknown>)[k];
  // Document order: the key, the nested map itself (anchor, duplicates), then inside its pairs.
  const events: StructureEvent[] = [];
  collectStructure(parent.key, events);
  if (nested.anchor) events.push({ kind: 'anchor', name: nested.anchor, node: nested });
  const duplicates: DuplicateKey[] = [];
  duplicateKeysOf(nested, duplicates);
  for (const duplicate of duplicates) events.push({ kind: 'duplicate', duplicate });
  for (const b of subs) for (const e of b.events) events.push(e);
  return {
    kind: s0.kind,
    parseStart: s0.parseStart,
    end: last.end,
    pairs: [pair],
    nodesEnd: pairEnd(pair),
    endsOpen: endsOpen(pair),
    events,
    mapValueEnd: last.rootValueEnd,
    mapNodeEnd: last.rootNodeEnd,
    mapComment: last.rootComment,
    rootValueEnd: last.rootValueEnd,
    rootNodeEnd: last.rootNodeEnd,
    rootComment: last.rootComment,
    docComment: last.docComment,
    docValueEnd: last.docValueEnd,
    docNodeEnd: last.docNodeEnd,
    head: s0.head,
    split: { keyLine: ctx.keyLine, keyStart: ctx.keyStart, indent: ctx.indent, blocks: subs },
  };
}

/**
 * A reused block at a new offset. Its nodes are copied, not moved, so that the previous
 * version's document (someone may still hold it) keeps its own ranges.
 */
function shiftBlock(b: Block, d: number): Block {
  if (b.split) {
    const subs = b.split.blocks.map((s) => shiftBlock(s, d));
    return assembleSplit(subs, { ...b.split, keyStart: b.split.keyStart + d });
  }
  const pairs = b.pairs.map((p) => copyPair(p, d));
  const shifted: Block = {
    ...b,
    parseStart: b.parseStart + d,
    end: b.end + d,
    pairs,
    nodesEnd: b.nodesEnd + d,
    // Found again on the copies: anchors and aliases are node identities.
    events: eventsOf(pairs),
    mapValueEnd: b.mapValueEnd + d,
    mapNodeEnd: b.mapNodeEnd + d,
    rootValueEnd: b.rootValueEnd + d,
    rootNodeEnd: b.rootNodeEnd + d,
    docValueEnd: b.docValueEnd + d,
    docNodeEnd: b.docNodeEnd + d,
  };
  if (b.parent) {
    const map = shallowClone(b.parent.map);
    map.range = [b.parent.map.range![0] + d, b.parent.map.range![1] + d, b.parent.map.range![2] + d];
    shifted.parent = { key: copyNode(b.parent.key, d), pair: b.parent.pair, map };
  }
  return shifted;
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
  if (doc.problems.some((p) => p.kind === 'multi-document' || p.kind === 'binary')) return null;
  if (unsplittableText(doc.text)) return null;
  const starts = keyLineStarts(doc.text);
  if (starts.length < MIN_BLOCKS) return null;
  const items = root.items as Pair[];
  const ends = {
    mapValueEnd: root.range[1],
    mapNodeEnd: root.range[2],
    mapComment: root.comment,
    rootValueEnd: root.range[1],
    rootNodeEnd: root.range[2],
    rootComment: root.comment,
    docComment: yamlDoc.comment,
    docValueEnd: yamlDoc.range[1],
    docNodeEnd: yamlDoc.range[2],
  };
  const blocks = groupPairs(items, starts, 0, 0, doc.text.length, (j) => (j === 0 ? 'doc' : 'top'), ends);
  if (!blocks) return null;
  blocks[0].head = { doc: yamlDoc, map: root };
  return { text: doc.text, blocks };
}

/**
 * Groups already parsed pairs into the blocks a block parse would have made (pairs whose key
 * starts between two key lines; a block ending in an empty value takes in the next). Only the
 * last block's ends are used: they are the enclosing map's and document's own.
 */
function groupPairs(
  items: Pair[],
  starts: number[],
  keyColumn: number,
  firstParseStart: number,
  regionEnd: number,
  kindAt: (j: number) => PieceKind,
  ends: Pick<Block, 'mapValueEnd' | 'mapNodeEnd' | 'mapComment' | 'rootValueEnd' | 'rootNodeEnd' | 'rootComment' | 'docComment' | 'docValueEnd' | 'docNodeEnd'>,
): Block[] | null {
  const blocks: Block[] = [];
  let i = 0;
  let parseStart = firstParseStart;
  for (let j = 0; j < starts.length; ) {
    let next = j + 1;
    let end = next < starts.length ? starts[next] : regionEnd;
    const pairs: Pair[] = [];
    for (;;) {
      while (i < items.length && ((items[i].key as YamlNode | null)?.range?.[0] ?? -1) < end) pairs.push(items[i++]);
      if (!pairs.length) return null;
      if (!endsOpen(pairs[pairs.length - 1]) || next >= starts.length) break;
      next++;
      end = next < starts.length ? starts[next] : regionEnd;
    }
    if (j > 0 && ((pairs[0].key as YamlNode | null)?.range?.[0] !== starts[j] + keyColumn || parseStart > starts[j])) return null;
    const last = pairs[pairs.length - 1];
    const nodesEnd = pairEnd(last);
    blocks.push({ kind: kindAt(j), parseStart, end, pairs, nodesEnd, endsOpen: endsOpen(last), events: eventsOf(pairs), ...ends });
    parseStart = nodesEnd;
    j = next;
  }
  return i === items.length ? blocks : null;
}

/** The sub-blocks of a block that was parsed whole (or derived from a full parse), if it has the shape. */
function deriveSplit(b: Block, oldText: string): SplitTable | undefined {
  if (b.pairs.length !== 1) return undefined;
  const pair = b.pairs[0];
  const key = pair.key;
  const nested = pair.value;
  if (!isScalar(key) || !key.range || !isMap(nested) || nested.flow || !nested.range || nested.items.length < 2) return undefined;
  const keyStart = key.range[0];
  const keyLineEnd = oldText.indexOf('\n', keyStart) + 1;
  if (keyLineEnd <= 0) return undefined;
  const keyLine = oldText.slice(keyStart, keyLineEnd);
  if (!PARENT_KEY_LINE.test(keyLine)) return undefined;
  const subStarts = nestedKeyLineStarts(oldText, keyLineEnd, b.end);
  if (!subStarts || subStarts.starts.length < 2) return undefined;
  const subs = groupPairs(nested.items as Pair[], subStarts.starts, 0, b.parseStart, b.end, (j) => (j === 0 ? b.kind : 'sub'), {
    mapValueEnd: nested.range[1],
    mapNodeEnd: nested.range[2],
    mapComment: nested.comment,
    rootValueEnd: b.rootValueEnd,
    rootNodeEnd: b.rootNodeEnd,
    rootComment: b.rootComment,
    docComment: b.docComment,
    docValueEnd: b.docValueEnd,
    docNodeEnd: b.docNodeEnd,
  });
  if (!subs) return undefined;
  subs[0].parent = { key, pair, map: nested };
  subs[0].head = b.head;
  return { keyLine, keyStart, indent: subStarts.indent, blocks: subs };
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

/** Moves a freshly parsed subtree to its place in the file; false if it holds a node of an unknown kind. */
function shiftInPlace(node: unknown, d: number): boolean {
  if (node === null || node === undefined) return true;
  if (isPair(node)) return shiftInPlace(node.key, d) && shiftInPlace(node.value, d);
  const n = node as YamlNode;
  if (n.range) n.range = [n.range[0] + d, n.range[1] + d, n.range[2] + d];
  if (isMap(n) || isSeq(n)) {
    for (const item of n.items) if (!shiftInPlace(item, d)) return false;
  } else if (!isScalar(n) && !isAlias(n)) return false;
  return true;
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
  } else if (isAlias(node)) c = Object.assign(new Alias(node.source), node);
  else return node; // blocks hold only scalars, maps, sequences and aliases (checked when parsed)
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

/** The structure events of these pairs, in document order. */
function eventsOf(pairs: Pair[]): StructureEvent[] {
  const out: StructureEvent[] = [];
  for (const pair of pairs) collectStructure(pair, out);
  return out;
}


function isDummyPair(pair: Pair, at: number): boolean {
  const k = pair.key as Scalar;
  const v = pair.value as Scalar;
  return isScalar(k) && k.value === '_' && k.range?.[0] === at && isScalar(v) && v.value === 0 && !k.commentBefore;
}
