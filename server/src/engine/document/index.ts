// A values file parsed once per version: the `yaml` AST with source ranges, an anchor table
// built in one document-order pass, LSP positions, path lookup and a bounded conversion to
// plain values. Rules ask this module for nodes and ranges; they never parse YAML themselves.
import {
  Alias,
  Composer,
  Document,
  Lexer,
  Parser,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Pair,
  Scalar,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { JsonValue, Position, Range, ValuePath } from '../types';

/** Limits that keep hostile input cheap: alias bombs, absurd nesting. */
export const LIMITS = {
  /** Total number of value nodes that alias expansion may produce for one document. */
  maxExpandedNodes: 2_000_000,
  /** Nesting depth beyond which conversion stops (the node is reported and treated as null). */
  maxDepth: 500,
  /**
   * Nesting (flow collections, sequence and key indicators, indentation levels; estimated from
   * the tokens, at most about twice the real depth) beyond which a text is not given to `yaml`
   * at all. Its composer recurses per level: at ~750 levels it runs out of stack, and parsing
   * such a text a second time can kill the process (V8 fails to compile a regular expression
   * near the stack limit: "RegExpCompiler Allocation failed"), which no try/catch can stop.
   */
  maxParseDepth: 500,
  /** Syntax errors reported per file. */
  maxSyntaxErrors: 100,
};

export interface ParseProblem {
  kind: 'syntax' | 'duplicate-key' | 'alias-limit' | 'depth-limit' | 'binary' | 'multi-document';
  message: string;
  range: Range;
  /** For duplicate keys: the first occurrence of the key. */
  firstRange?: Range;
}

/** Where a value sits in the file: the value node and, when it is a map entry, its key. */
export interface NodeLocation {
  node: YamlNode | null;
  /** The key scalar when the value is a map entry. */
  key?: Scalar;
  pair?: Pair;
  /** Set when the path went through an alias or merge key: the location is that alias. */
  viaAlias?: Alias;
}

export interface ValuesDocument {
  path: string;
  text: string;
  version?: number;
  /** The root node of the first YAML document (Helm reads only the first). */
  root: YamlNode | null;
  yamlDoc: Document.Parsed | null;
  problems: ParseProblem[];
  /** Plain values as Helm would see them (aliases and merge keys applied); null if unusable. */
  values: JsonValue;
  /** True when the values could not be built faithfully (alias bomb, depth limit, binary). */
  valuesIncomplete: boolean;
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
  rangeOf(node: { range?: [number, number, number] | null } | null | undefined): Range;
  /** Range of an offset span. */
  spanRange(start: number, end: number): Range;
  /** Find the node at a values path, following aliases and merge keys. */
  locate(path: ValuePath): NodeLocation | undefined;
  /** The anchor node an alias refers to (the nearest definition before it). */
  aliasTarget(alias: Alias): YamlNode | undefined;
  /** Text of a 0-based line, without its line break. */
  lineText(line: number): string;
  lineCount: number;
}

const MERGE_KEY = '<<';

export function isMergeKey(key: unknown): boolean {
  if (!isScalar(key) || (key.type && key.type !== 'PLAIN')) return false;
  // With `merge: true`, yaml ≥ 2.6 resolves a plain `<<` key to Symbol(<<), not to the string.
  const v = key.value;
  return v === MERGE_KEY || (typeof v === 'symbol' && v.description === MERGE_KEY);
}

/** Line starts as offsets; LSP lines break at \n, \r\n and \r. */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  if (text.indexOf('\r') < 0) {
    // The common case, several times faster than looking at every character: only \n breaks.
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) starts.push(nl + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

export function looksBinary(text: string): boolean {
  const sample = text.length > 8192 ? text.slice(0, 8192) : text;
  if (sample.includes('\u0000')) return true;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}

/** The text-only half of a document: line table and position conversions. */
export interface TextBase {
  path: string;
  text: string;
  version?: number;
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
  spanRange(start: number, end: number): Range;
  lineText(line: number): string;
  lineCount: number;
  rangeOf(node: { range?: [number, number, number] | null } | null | undefined): Range;
  /** From an offset to the end of its line (how parse errors are shown). */
  toEndOfLine(offset: number): Range;
}

/** Options shared by the full parse and the block parses of incremental.ts: they must agree. */
export const YAML_PARSE_OPTIONS = {
  version: '1.1', // Helm reads values with go-yaml v2: YAML 1.1 booleans and merge keys
  merge: true,
  uniqueKeys: false, // duplicates are reported by our own pass, with both locations
  prettyErrors: false,
  keepSourceTokens: false,
} as const;

export function createTextBase(path: string, text: string, version?: number): TextBase {
  const lineStarts = computeLineStarts(text);
  const positionAt = (offset: number): Position => {
    const o = Math.max(0, Math.min(offset, text.length));
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - lineStarts[lo] };
  };
  const offsetAt = (p: Position): number => {
    if (p.line >= lineStarts.length) return text.length;
    if (p.line < 0) return 0;
    const lineEnd = p.line + 1 < lineStarts.length ? lineStarts[p.line + 1] : text.length;
    return Math.min(lineStarts[p.line] + Math.max(0, p.character), lineEnd);
  };
  const spanRange = (start: number, end: number): Range => ({ start: positionAt(start), end: positionAt(end) });
  const lineText = (line: number): string => {
    if (line < 0 || line >= lineStarts.length) return '';
    const end = line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length;
    return text.slice(lineStarts[line], end).replace(/\r?\n$|\r$/, '');
  };
  const toEndOfLine = (offset: number): Range => {
    const start = positionAt(offset);
    const len = lineText(start.line).length;
    return { start, end: { line: start.line, character: Math.max(len, start.character) } };
  };
  return {
    path,
    text,
    version,
    positionAt,
    offsetAt,
    spanRange,
    lineText,
    toEndOfLine,
    lineCount: lineStarts.length,
    rangeOf(node: { range?: [number, number, number] | null } | null | undefined): Range {
      if (!node || !node.range) return spanRange(0, 0);
      return spanRange(node.range[0], node.range[1]);
    },
  };
}

export function parseValuesDocument(path: string, text: string, version?: number): ValuesDocument {
  const base = createTextBase(path, text, version);
  const problems: ParseProblem[] = [];

  if (looksBinary(text)) {
    problems.push({
      kind: 'binary',
      message: 'This file looks binary (it contains NUL or control bytes), not YAML text; it was not parsed.',
      range: base.toEndOfLine(0),
    });
    return unusableDocument(base, problems);
  }

  let docList: Document.Parsed[];
  try {
    const parsed = parseYamlSafely(text);
    if ('tooDeepAt' in parsed) {
      problems.push({ kind: 'depth-limit', message: NOT_PARSED_DEEP_MESSAGE, range: base.toEndOfLine(parsed.tooDeepAt) });
      return unusableDocument(base, problems);
    }
    docList = parsed.docs;
  } catch (err) {
    // `yaml` catches its own stack overflows, but stay safe: a parser crash is a finding, not a crash.
    problems.push({ kind: 'syntax', message: parserFailureMessage(err), range: base.toEndOfLine(0) });
    return unusableDocument(base, problems);
  }
  const yamlDoc = (docList[0] as Document.Parsed | undefined) ?? null;

  let syntaxErrors = 0;
  for (const d of docList) {
    for (const err of d.errors) {
      const message = cleanYamlMessage(err.message);
      // A stack overflow is reported once per nesting level that unwinds: keep the first.
      if (message === TOO_DEEP_MESSAGE && problems.some((p) => p.message === message)) continue;
      // Garbage can give thousands of errors; past the first hundred they say nothing new.
      if (++syntaxErrors > LIMITS.maxSyntaxErrors) {
        problems.push({
          kind: 'syntax',
          message: `More than ${LIMITS.maxSyntaxErrors} syntax errors; the others are not shown. Is this a YAML file?`,
          range: base.toEndOfLine(err.pos[0]),
        });
        break;
      }
      problems.push({ kind: 'syntax', message, range: base.toEndOfLine(err.pos[0]) });
    }
    if (syntaxErrors > LIMITS.maxSyntaxErrors) break;
  }
  if (docList.length > 1) {
    const second = docList[1];
    const start = second.range ? second.range[0] : 0;
    problems.push({
      kind: 'multi-document',
      message: 'Helm reads only the first YAML document of a values file; everything after this `---` is ignored.',
      range: base.toEndOfLine(start),
    });
  }
  return finishValuesDocument(base, yamlDoc, problems);
}

const NOT_PARSED_DEEP_MESSAGE = `Nesting deeper than ${LIMITS.maxParseDepth} levels starts here; the file is not parsed (no values file needs this, and parsing it could crash the parser).`;

/**
 * `parseAllDocuments`, with the nesting of the lexemes measured on their way to the parser, so
 * that absurd nesting is refused before the recursive composer sees it (LIMITS.maxParseDepth):
 * `yaml`'s parser keeps its own stack, and the composer only gets a document once it is complete.
 */
export function parseYamlSafely(text: string): { docs: Document.Parsed[] } | { tooDeepAt: number } {
  // Each stage runs to completion before the next (lexemes, then CST tokens, then documents):
  // measurably faster on a cold process than pulling lexemes through nested generators.
  const depth = new NestingMeter(LIMITS.maxParseDepth);
  const lexemes: string[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    if (depth.exceededBy(lexeme)) return { tooDeepAt: depth.offset };
    lexemes.push(lexeme);
  }
  const parser = new Parser();
  const tokens = [];
  for (const lexeme of lexemes) for (const token of parser.next(lexeme)) tokens.push(token);
  for (const token of parser.end()) tokens.push(token);
  // A broken text can make yaml create thousands of errors (a long flow sequence gone wrong), and
  // each Error captures a stack trace, which then costs most of the parse. Nothing reads them.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return { docs: Array.from(new Composer(YAML_PARSE_OPTIONS).compose(tokens)) as Document.Parsed[] };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

// Lexemes that stand for no source text (see yaml's cst.ts): document mode, end of a broken flow
// collection, start of a plain scalar.
const DOC_MODE = '\u0002';
const FLOW_ERROR_END = '\u0018';
const PLAIN_SCALAR = '\u001f';

/**
 * Estimates nesting from lexemes, as an upper bound of about twice the real depth. Flow depth is
 * counted exactly (a quoted scalar is one lexeme, so brackets in strings do not count); block
 * depth by a stack of columns, one entry per line start and per `-`, `?`, `:` indicator, popped
 * by a line that starts at or left of an entry.
 */
class NestingMeter {
  /** Where the limit was first exceeded. */
  offset = -1;
  private pos = 0;
  private lineStart = 0;
  private atLineStart = true;
  private flow = 0;
  private readonly columns: number[] = [];

  constructor(private readonly limit: number) {}

  exceededBy(lexeme: string): boolean {
    if (lexeme === DOC_MODE || lexeme === PLAIN_SCALAR) return false;
    if (lexeme === FLOW_ERROR_END) {
      this.flow = 0;
      return false;
    }
    const at = this.pos;
    this.pos += lexeme.length;
    const c = lexeme.charCodeAt(0);
    if (lexeme === '' || c === 0x0a || (c === 0x0d && lexeme.length <= 2)) {
      this.atLineStart = true;
      this.lineStart = this.pos;
      return false;
    }
    if (c === 0x20 || c === 0x09 || c === 0x23 /* # */) return false; // indentation, spaces, comments
    if (lexeme === '---' || lexeme === '...') {
      this.columns.length = 0;
      this.flow = 0;
      return false;
    }
    const columns = this.columns;
    if (this.flow === 0) {
      const column = at - this.lineStart;
      if (this.atLineStart) {
        while (columns.length && columns[columns.length - 1] >= column) columns.pop();
        columns.push(column);
      }
      if (lexeme === '-' || lexeme === '?' || lexeme === ':') columns.push(column + 1);
    }
    this.atLineStart = false;
    if (lexeme === '[' || lexeme === '{') this.flow++;
    else if ((lexeme === ']' || lexeme === '}') && this.flow > 0) this.flow--;
    if (columns.length + this.flow > this.limit) {
      this.offset = at;
      return true;
    }
    // Block scalars and multi-line scalars: the next line starts inside this lexeme.
    const nl = lexeme.lastIndexOf('\n');
    if (nl >= 0) {
      this.lineStart = at + nl + 1;
      this.atLineStart = nl === lexeme.length - 1;
    }
    return false;
  }
}

function unusableDocument(base: TextBase, problems: ParseProblem[]): ValuesDocument {
  return {
    ...base,
    root: null,
    yamlDoc: null,
    problems,
    values: null,
    valuesIncomplete: true,
    locate: () => undefined,
    aliasTarget: () => undefined,
  };
}

const STACK_OVERFLOW = /Maximum call stack size exceeded/;

function parserFailureMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (STACK_OVERFLOW.test(message) || err instanceof RangeError) return TOO_DEEP_MESSAGE;
  return `The YAML parser failed on this file: ${message}`;
}

const TOO_DEEP_MESSAGE = 'Nesting is too deep to parse (the parser ran out of stack); values below this point are not checked.';

/**
 * What the alias table and the duplicate-key check need from a tree, in document order (the
 * order of `yaml`'s visit: pre-order, a key before its value): anchor definitions, alias uses,
 * and each map's duplicate keys (found when the map is reached, before its children).
 */
export type StructureEvent =
  | { kind: 'anchor'; name: string; node: YamlNode }
  | { kind: 'alias'; node: Alias }
  | { kind: 'duplicate'; duplicate: DuplicateKey };

export function collectStructure(node: unknown, out: StructureEvent[]): void {
  if (node === null || node === undefined) return;
  if (isPair(node)) {
    collectStructure(node.key, out);
    collectStructure(node.value, out);
    return;
  }
  if (isAlias(node)) {
    out.push({ kind: 'alias', node });
    return;
  }
  const anchor = (node as { anchor?: string }).anchor;
  if (anchor) out.push({ kind: 'anchor', name: anchor, node: node as YamlNode });
  if (isMap(node)) {
    if (node.items.length > 1) {
      const found: DuplicateKey[] = [];
      duplicateKeysOf(node, found);
      for (const duplicate of found) out.push({ kind: 'duplicate', duplicate });
    }
    for (const item of node.items) collectStructure(item, out);
  } else if (isSeq(node)) {
    for (const item of node.items) collectStructure(item, out);
  }
}

/**
 * The second half of a parse, shared with incremental.ts: anchors, duplicate keys, plain values
 * and path lookup over an already composed `yaml` document. `events` are the tree's structure
 * events when the caller has them already (incremental.ts keeps them per block).
 */
export function finishValuesDocument(
  base: TextBase,
  yamlDoc: Document.Parsed | null,
  problems: ParseProblem[],
  events?: StructureEvent[],
): ValuesDocument {
  const root = (yamlDoc?.contents as YamlNode | null) ?? null;

  // One document-order pass: anchor table (alias → nearest preceding definition) and duplicate keys.
  const anchorAt = new Map<Alias, YamlNode>();
  const currentAnchors = new Map<string, YamlNode>();
  try {
    if (!events) {
      events = [];
      collectStructure(root, events);
    }
    for (const e of events) {
      if (e.kind === 'duplicate') problems.push(duplicateKeyProblem(base, e.duplicate));
      else if (e.kind === 'anchor') currentAnchors.set(e.name, e.node);
      else {
        const target = currentAnchors.get(e.node.source);
        if (target) anchorAt.set(e.node, target);
        else
          problems.push({
            kind: 'syntax',
            message: `Unknown alias *${e.node.source}: no anchor &${e.node.source} is defined before it.`,
            range: base.rangeOf(e.node),
          });
      }
    }
  } catch (err) {
    // The walk recurses: a tree deeper than the stack is reported instead of crashing the server.
    if (!(err instanceof RangeError)) throw err;
    problems.push({ kind: 'depth-limit', message: TOO_DEEP_MESSAGE, range: base.toEndOfLine(0) });
    return { ...unusableDocument(base, problems), root, yamlDoc };
  }

  const aliasTarget = (alias: Alias) => anchorAt.get(alias);
  let conversion: ConversionResult;
  try {
    conversion = convertValues(root, aliasTarget);
  } catch (err) {
    // Complex keys are stringified by `yaml`, recursively: a pathological one must not crash us.
    if (!(err instanceof RangeError)) throw err;
    conversion = { value: null, problem: { kind: 'depth-limit', message: TOO_DEEP_MESSAGE } };
  }
  if (conversion.problem) {
    problems.push({
      kind: conversion.problem.kind,
      message: conversion.problem.message,
      range: conversion.problem.node ? base.rangeOf(conversion.problem.node) : base.toEndOfLine(0),
    });
  }

  const locate = (path: ValuePath): NodeLocation | undefined => locatePath(root, path, aliasTarget);

  return {
    ...base,
    root,
    yamlDoc,
    problems,
    values: conversion.value,
    valuesIncomplete: Boolean(conversion.problem),
    locate,
    aliasTarget,
  };
}

function cleanYamlMessage(message: string): string {
  if (STACK_OVERFLOW.test(message)) return TOO_DEEP_MESSAGE;
  // `yaml` appends " at line L, column C:" and a source excerpt; the range already says where.
  const first = message.split('\n')[0];
  return first.replace(/ at line \d+, column \d+:?$/, '').trim();
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null ? 'null' : String(key.value);
  return undefined;
}

/** A key repeated in one map, as source spans [start, end) of the repeat and of its first occurrence. */
export interface DuplicateKey {
  text: string;
  key: [number, number];
  first: [number, number];
}

function spanOf(node: { range?: [number, number, number] | null }): [number, number] {
  return node.range ? [node.range[0], node.range[1]] : [0, 0];
}

/** Appends the duplicate keys of one map (not of its children) to `out`; merge keys are not keys. */
export function duplicateKeysOf(map: YAMLMap, out: DuplicateKey[]): void {
  if (map.items.length < 2) return;
  const seen = new Map<string, Scalar>();
  for (const pair of map.items) {
    if (isMergeKey(pair.key)) continue;
    const text = keyText(pair.key);
    if (text === undefined) continue;
    const first = seen.get(text);
    if (first) out.push({ text, key: spanOf(pair.key as Scalar), first: spanOf(first) });
    else seen.set(text, pair.key as Scalar);
  }
}

export function duplicateKeyProblem(base: Pick<TextBase, 'spanRange'>, d: DuplicateKey): ParseProblem {
  const firstRange = base.spanRange(d.first[0], d.first[1]);
  return {
    kind: 'duplicate-key',
    message: `Duplicate key "${d.text}" (first defined on line ${firstRange.start.line + 1}): Helm rejects the file, keep one`,
    range: base.spanRange(d.key[0], d.key[1]),
    firstRange,
  };
}


interface ConversionResult {
  value: JsonValue;
  problem?: { kind: 'alias-limit' | 'depth-limit'; message: string; node?: YamlNode };
}

/**
 * Converts the AST to plain values with aliases shared (not copied) and merge keys applied.
 * The expanded size is counted per anchor once, so an alias bomb is detected in linear time
 * and stops conversion before any consumer walks an exponential tree.
 */
function convertValues(root: YamlNode | null, aliasTarget: (a: Alias) => YamlNode | undefined): ConversionResult {
  if (!root) return { value: null };
  // Anchored nodes only: the value and its expanded size (1 per node, aliases counted in full).
  const cache = new Map<YamlNode, { value: JsonValue; size: number }>();
  let problem: ConversionResult['problem'];
  let expanded = 0;
  // Running expanded size of everything converted so far: a node's size is the growth of this
  // counter while it converts, so no size has to be returned (and allocated) per node.
  let total = 0;

  const convert = (node: YamlNode | null | undefined, depth: number): JsonValue => {
    if (problem || !node) {
      total += 1;
      return null;
    }
    if (depth > LIMITS.maxDepth) {
      problem = {
        kind: 'depth-limit',
        message: `Nesting deeper than ${LIMITS.maxDepth} levels; values below this point are not checked.`,
        node,
      };
      total += 1;
      return null;
    }
    if (isAlias(node)) {
      const target = aliasTarget(node);
      if (!target) {
        total += 1;
        return null;
      }
      const hit = cache.get(target);
      let value: JsonValue;
      let size: number;
      if (hit) {
        ({ value, size } = hit);
        total += size;
      } else {
        const before = total;
        value = convert(target, depth + 1);
        size = total - before;
      }
      expanded += size;
      if (expanded > LIMITS.maxExpandedNodes && !problem) {
        problem = {
          kind: 'alias-limit',
          message: `Aliases expand to more than ${LIMITS.maxExpandedNodes.toLocaleString('en-US')} values (an "alias bomb"); values are not checked beyond this alias.`,
          node,
        };
      }
      return value;
    }
    // Only an anchored node can be reached again (through an alias): only those are cached.
    const anchored = Boolean((node as { anchor?: string }).anchor);
    if (anchored) {
      const hit = cache.get(node);
      if (hit) {
        total += hit.size;
        return hit.value;
      }
    }
    const before = total;
    total += 1;
    let value: JsonValue;
    if (isMap(node)) {
      const obj: { [k: string]: JsonValue } = {};
      let hasMerge = false;
      for (const pair of node.items) if (isMergeKey(pair.key)) hasMerge = true;
      if (hasMerge) {
        // Merge keys first in order (earlier sources win among merges), explicit keys override.
        const merged: Array<{ [k: string]: JsonValue }> = [];
        for (const pair of node.items) {
          if (!isMergeKey(pair.key)) continue;
          const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
          for (const s of sources) {
            const v = convert(s as YamlNode, depth + 1);
            if (v && typeof v === 'object' && !Array.isArray(v)) merged.push(v);
          }
        }
        for (let i = merged.length - 1; i >= 0; i--) Object.assign(obj, merged[i]);
      }
      for (const pair of node.items) {
        if (hasMerge && isMergeKey(pair.key)) continue;
        const k = isScalar(pair.key) ? keyText(pair.key) : stringifyComplexKey(pair.key, () => convert(pair.key as YamlNode, depth + 1));
        if (k === undefined) continue;
        obj[k] = convert(pair.value as YamlNode, depth + 1);
      }
      value = obj;
    } else if (isSeq(node)) {
      const arr: JsonValue[] = [];
      for (const item of node.items) arr.push(convert(item as YamlNode, depth + 1));
      value = arr;
    } else if (isScalar(node)) {
      value = scalarValue(node);
    } else {
      value = null;
    }
    if (anchored) cache.set(node, { value, size: total - before });
    return value;
  };

  return { value: convert(root, 0), problem };
}

function stringifyComplexKey(key: unknown, converted: () => JsonValue): string | undefined {
  if (key === null || key === undefined) return 'null';
  try {
    return String((key as { toString(): string }).toString());
  } catch {
    // yaml's own conversion throws on what a broken file may hold inside a key (a scalar merge
    // source, too many aliases): the key is then named by our bounded conversion.
    return JSON.stringify(converted());
  }
}

function scalarValue(node: Scalar): JsonValue {
  const v = node.value as unknown;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(node.source ?? v);
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return node.source ?? '';
  return String(v);
}

function locatePath(
  root: YamlNode | null,
  path: ValuePath,
  aliasTarget: (a: Alias) => YamlNode | undefined,
): NodeLocation | undefined {
  let loc: NodeLocation = { node: root };
  let viaAlias: Alias | undefined;
  for (const segment of path) {
    let node = loc.node;
    let hops = 0;
    while (node && isAlias(node) && hops++ < 100) {
      viaAlias = viaAlias ?? node;
      node = aliasTarget(node) ?? null;
    }
    if (!node) return undefined;
    if (isMap(node)) {
      const found = findInMap(node, String(segment), aliasTarget, 0);
      if (!found) return undefined;
      loc = { node: (found.pair.value as YamlNode) ?? null, key: found.pair.key as Scalar, pair: found.pair };
      if (found.viaAlias) viaAlias = viaAlias ?? found.viaAlias;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined;
      if (item === undefined) return undefined;
      loc = { node: item };
    } else return undefined;
  }
  if (viaAlias) loc.viaAlias = viaAlias;
  return loc;
}

/**
 * Key → pair indexes of the larger maps, built on first lookup: rules locate every image and
 * env entry, and a linear scan per lookup made a 1,600-entry map quadratic. Nodes are never
 * changed after parsing, so the index stays valid, and it goes with the map when that is freed.
 */
const keyIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();
const INDEX_FROM = 16;

function explicitPair(map: YAMLMap, key: string): Pair | undefined {
  const items = map.items as Pair[];
  if (items.length < INDEX_FROM) {
    for (let i = items.length - 1; i >= 0; i--) {
      const pair = items[i];
      if (!isMergeKey(pair.key) && keyText(pair.key) === key) return pair;
    }
    return undefined;
  }
  let index = keyIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const pair of items) {
      if (isMergeKey(pair.key)) continue;
      const text = keyText(pair.key);
      if (text !== undefined) index.set(text, pair); // later duplicates overwrite: the last wins
    }
    keyIndexes.set(map, index);
  }
  return index.get(key);
}

function findInMap(
  map: YAMLMap,
  key: string,
  aliasTarget: (a: Alias) => YamlNode | undefined,
  depth: number,
): { pair: Pair; viaAlias?: Alias } | undefined {
  // Explicit keys win over merged ones; the last duplicate wins as in go-yaml.
  const explicit = explicitPair(map, key);
  if (explicit) return { pair: explicit };
  if (depth > 20) return undefined;
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) continue;
    const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
    for (const s of sources) {
      if (!isAlias(s)) continue;
      const target = aliasTarget(s);
      if (target && isMap(target)) {
        const found = findInMap(target, key, aliasTarget, depth + 1);
        if (found) return { pair: found.pair, viaAlias: s };
      }
    }
  }
  return undefined;
}

export { isAlias, isMap, isPair, isScalar, isSeq };
export type { YamlNode, YAMLMap, YAMLSeq, Scalar, Pair, Alias };
