// Where a JSON Schema error belongs in the YAML text. Conventions (issue #2): the value node
// for type/enum/pattern/format and other value keywords; the key for an unknown property; the
// parent's key for a missing required property.
import type { ErrorObject } from 'ajv';
import { isAlias, isMap, isSeq } from 'yaml';
import type { NodeLocation, ValuesDocument } from '../document';
import type { Range, ValuePath } from '../types';

/** `/a/b~1c/0` → ['a', 'b/c', 0]; numeric segments become indexes only where the value is a sequence. */
export function parsePointer(pointer: string): ValuePath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/** Resolves numeric segments against the document: a map key "0" stays a string. */
export function normalisePath(doc: ValuesDocument, path: ValuePath): ValuePath {
  const out: ValuePath = [];
  for (const seg of path) {
    if (typeof seg === 'number') {
      const node = doc.locate(out)?.node;
      const target = node && isAlias(node) ? doc.aliasTarget(node) : node;
      out.push(isSeq(target) ? seg : String(seg));
    } else out.push(seg);
  }
  return out;
}

export type SchemaErrorTarget = 'key' | 'value' | 'parentKey';

export function schemaErrorTarget(err: ErrorObject): { path: ValuePath; target: SchemaErrorTarget } {
  const base = parsePointer(err.instancePath);
  switch (err.keyword) {
    case 'additionalProperties':
      return { path: [...base, (err.params as { additionalProperty: string }).additionalProperty], target: 'key' };
    case 'unevaluatedProperties':
      return { path: [...base, (err.params as { unevaluatedProperty: string }).unevaluatedProperty], target: 'key' };
    case 'propertyNames':
      return { path: [...base, (err.params as { propertyName: string }).propertyName], target: 'key' };
    case 'required':
    case 'dependentRequired':
    case 'dependencies':
      return { path: base, target: 'parentKey' };
    default:
      return { path: base, target: 'value' };
  }
}

/**
 * The range of the most specific existing node for `path` in `doc`. Falls back to the nearest
 * ancestor that exists (a key that the document does not spell out) and finally to the first line.
 */
export function rangeForPath(doc: ValuesDocument, rawPath: ValuePath, target: SchemaErrorTarget): Range {
  const path = normalisePath(doc, rawPath);
  for (let len = path.length; len >= 0; len--) {
    const loc = doc.locate(path.slice(0, len));
    if (!loc) continue;
    if (loc.viaAlias) return doc.rangeOf(loc.viaAlias);
    const exact = len === path.length;
    if ((target === 'key' || target === 'parentKey' || !exact) && loc.key) return doc.rangeOf(loc.key);
    if (loc.node && loc.node.range) return doc.rangeOf(loc.node);
    if (loc.key) return doc.rangeOf(loc.key);
    break;
  }
  return firstLineRange(doc);
}

export function rangeForSchemaError(doc: ValuesDocument, err: ErrorObject): Range {
  const { path, target } = schemaErrorTarget(err);
  return rangeForPath(doc, path, target);
}

export function firstLineRange(doc: ValuesDocument): Range {
  // The first line that is not a comment or blank: the start of the values.
  for (let line = 0; line < doc.lineCount; line++) {
    const t = doc.lineText(line);
    if (t.trim() && !t.trim().startsWith('#') && !t.trim().startsWith('---')) {
      const start = t.length - t.trimStart().length;
      return { start: { line, character: start }, end: { line, character: t.trimEnd().length } };
    }
  }
  return { start: { line: 0, character: 0 }, end: { line: 0, character: doc.lineText(0).length } };
}

export interface DocumentTarget {
  range: Range;
  /** The node exists in this document at exactly `path` (not an ancestor, not through an alias). */
  exact: boolean;
  /** Set when the path was reached through an alias or merge key (edits there would touch the anchor). */
  viaAlias: boolean;
  location?: NodeLocation;
}

/**
 * Where a schema finding for `path` goes in `doc`, with `path` already typed (indexes are
 * numbers only inside lists). Value findings take the value node, except a block map or list
 * spanning lines, which takes its key (squiggling forty lines says less than the key does);
 * key findings take the key; a missing key (`parentKey`) takes the key of the map that lacks
 * it. Paths the document does not spell out fall back to the nearest ancestor's key, and the
 * top level to the first values line rather than the whole document.
 */
export function rangeInDocument(doc: ValuesDocument, path: ValuePath, target: SchemaErrorTarget): DocumentTarget {
  for (let len = path.length; len >= 1; len--) {
    const loc = doc.locate(path.slice(0, len));
    if (!loc) continue;
    const exact = len === path.length;
    if (loc.viaAlias) return { range: doc.rangeOf(loc.viaAlias), exact, viaAlias: true, location: loc };
    const node = loc.node;
    const nodeRange = node && node.range ? doc.rangeOf(node) : undefined;
    const emptyValue = !nodeRange || (node?.range && node.range[0] === node.range[1]);
    if (exact && target === 'value' && !emptyValue && nodeRange) {
      const multiLineCollection = (isMap(node) || isSeq(node)) && nodeRange.end.line > nodeRange.start.line;
      if (!(multiLineCollection && loc.key)) return { range: nodeRange, exact, viaAlias: false, location: loc };
    }
    if (loc.key) return { range: doc.rangeOf(loc.key), exact, viaAlias: false, location: loc };
    if (nodeRange) return { range: firstLineOf(doc, nodeRange), exact, viaAlias: false, location: loc };
  }
  return { range: firstLineRange(doc), exact: path.length === 0, viaAlias: false, location: doc.locate([]) };
}

/** The part of a range on its first line (a list item's `- name: x` line for a whole item). */
function firstLineOf(doc: ValuesDocument, range: Range): Range {
  if (range.end.line === range.start.line) return range;
  const text = doc.lineText(range.start.line);
  return { start: range.start, end: { line: range.start.line, character: text.trimEnd().length } };
}
