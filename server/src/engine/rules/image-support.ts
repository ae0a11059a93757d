// Shared by the per-file and the layered image rules: what they know of the file being linted
// (FileFacts), and where the parts of an image are written in it (ranges, scalars to edit).
// Registry knowledge lives in images/registries.ts, the mirror plan in images/mirror-plan.ts.
import { isScalar } from 'yaml';
import type { ChartInfo } from '../chart';
import type { ResolvedConfig } from '../config';
import type { Scalar, ValuesDocument } from '../document';
import { fieldSpans } from '../images/compose';
import type { DiscoveredImage, Discovery, LocatedField } from '../images/discover';
import { replaceScalarEdit, valuePartRange } from '../edits/scalar';
import type { MirrorRegistry } from '../images/mirror';
import type { ImageStack } from '../images/stack';
import type { ChartKnowledge } from '../knowledge';
import type { JsonValue, Range, TextEdit } from '../types';
import type { FindingInput } from './types';

export { pathText, valueAt } from '../value-path';

export function shorten(s: string, max = 120): string {
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}

// ---------------------------------------------------------------- ranges and edits

/** The scalar node of a field in the linted file, when an edit may go there. */
export function fieldScalar(field: LocatedField | undefined, doc: ValuesDocument): Scalar | undefined {
  const o = field?.origin;
  if (!o || o.doc !== doc || !isScalar(o.node)) return undefined;
  return o.node as Scalar;
}

export function editableScalar(field: LocatedField | undefined, doc: ValuesDocument): Scalar | undefined {
  const node = fieldScalar(field, doc);
  return node && !field?.origin?.viaAlias ? node : undefined;
}

/** Range of [start, end) of a field's value (the whole value when the source does not map one for one). */
export function fieldRange(field: LocatedField, doc: ValuesDocument, start?: number, end?: number): Range | undefined {
  const o = field.origin;
  if (!o || o.doc !== doc) return undefined;
  if (isScalar(o.node) && start !== undefined && end !== undefined) return valuePartRange(doc, o.node as Scalar, start, end);
  if (o.node) return doc.rangeOf(o.node);
  return o.key ? doc.rangeOf(o.key) : undefined;
}

/** Where an image is written: its key (for objects) or its value (for strings). */
export function imageRange(img: DiscoveredImage, doc: ValuesDocument): Range {
  const o = img.origin;
  if (o && o.doc === doc) {
    if (isScalar(o.node)) return doc.rangeOf(o.node);
    if (o.key) return doc.rangeOf(o.key);
    if (o.node) return doc.rangeOf(o.node);
  }
  return doc.spanRange(0, 0);
}

/** Range of a span of the rendered reference: the part of the field that wrote it. */
export function referenceSpanRange(img: DiscoveredImage, doc: ValuesDocument, start: number, end: number): Range {
  for (const fs of fieldSpans(img.segments, start, end)) {
    const r = fieldRange(fs.field as LocatedField, doc, fs.start, fs.end);
    if (r) return r;
  }
  return imageRange(img, doc);
}

export function editsFor(overrides: Map<LocatedField, string>, doc: ValuesDocument): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  for (const [field, value] of overrides) {
    const node = editableScalar(field, doc);
    if (!node) return undefined;
    if (String(node.value) === value) continue;
    edits.push(replaceScalarEdit(doc, node, value));
  }
  return edits;
}

// ---------------------------------------------------------------- mirror rewrite



export interface FileFacts {
  doc: ValuesDocument;
  config: ResolvedConfig;
  chart?: ChartInfo;
  discovery: Discovery;
  airgap: boolean;
  mirror?: MirrorRegistry;
  /** The file's layer stack (images/stack.ts): base first, the file last. */
  stack: ImageStack;
  /** The merged values of that stack: flags and pull secrets set in any layer count. */
  stackValues: JsonValue;
  /** The chart knowledge of the file (empty when no annotated schema applies). */
  knowledge: ChartKnowledge;
  report(f: FindingInput): void;
}

/**
 * Where an image's registry is written: the registry field, the host inside a repository or
 * image string, or (Docker Hub implied) the whole repository/image value.
 */
export function registryRange(img: DiscoveredImage, doc: ValuesDocument): Range {
  const carrier = img.registryField;
  let range: Range | undefined;
  if (carrier && (carrier.role === 'registry' || carrier.role === 'sharedRegistry')) range = fieldRange(carrier, doc);
  else if (carrier && img.parsed.ok && img.parsed.spans.domain) range = referenceSpanRange(img, doc, img.parsed.spans.domain.start, img.parsed.spans.domain.end);
  if (!range) {
    const pathField = img.fields.reference ?? img.fields.repository;
    range = (pathField && fieldRange(pathField, doc)) || imageRange(img, doc);
  }
  return range;
}


