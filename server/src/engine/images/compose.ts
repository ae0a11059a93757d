// An image's effective reference as a chart template renders it: a concatenation of values
// fields (registry, namespace, repository, tag, digest …) and literal glue ('/', ':', '@sha256:',
// the chart's appVersion). Keeping the reference as segments lets a rule map any offset of the
// rendered string back to the values field (and the offset inside it) that wrote it, and lets a
// fix try a new value for one field and re-render, exactly as the chart would.
import type { JsonValue, ValuePath } from '../types';

/** What a values field contributes to an image. */
export type FieldRole =
  /** The image object's own `registry`. */
  | 'registry'
  /** A registry shared by several images: `global.imageRegistry`, `global.image.registry`, cert-manager's `imageRegistry`, Datadog's top-level `registry`, Robusta's `image.registry`, a parent-level `registry`. */
  | 'sharedRegistry'
  /** cert-manager's `imageNamespace`, kubernaut's `global.image.namespace`. */
  | 'namespace'
  /** kubernaut's `global.image.separator`. */
  | 'separator'
  /** `repository`, ingress-nginx's `image.image`, cert-manager/Datadog `image.name`: the path (maybe with a host). */
  | 'repository'
  | 'tag'
  | 'digest'
  /** kube-prometheus-stack's `sha` (bare hex; the template adds `sha256:`) or kube-state-metrics' `sha: sha256:…`. */
  | 'sha'
  /** The image name under a `repository` that holds only the organisation (`{repository: org, name: img}`). */
  | 'name'
  /** A whole reference in one string: `image: postgres:16-alpine`, `initImage`, Robusta's `imageName`. */
  | 'reference';

export interface ImageField {
  role: FieldRole;
  /** Values path of the field. */
  path: ValuePath;
  /** The value as the template prints it (`tag: 1` → "1"). */
  value: string;
  raw: JsonValue;
}

export type SegmentPart = 'registry' | 'path' | 'tag' | 'digest' | 'glue';

/** A piece of the rendered reference: a field's whole value, or literal text (field undefined). */
export interface Segment {
  text: string;
  field?: ImageField;
  /** Which part of the reference this text belongs to; 'glue' for separators, and for a whole-reference field. */
  part: SegmentPart;
}

export function renderSegments(segments: readonly Segment[]): string {
  let s = '';
  for (const seg of segments) s += seg.text;
  return s;
}

/** The reference with some fields set to other values: what the chart renders after a fix. */
export function recompose(segments: readonly Segment[], overrides: ReadonlyMap<ImageField, string>): string {
  let s = '';
  for (const seg of segments) s += seg.field && overrides.has(seg.field) ? overrides.get(seg.field)! : seg.text;
  return s;
}

/** Where a span of the rendered reference was written: per field, the offsets inside its value. */
export interface FieldSpan {
  field: ImageField;
  start: number;
  end: number;
}

/**
 * Maps a [start, end) span of the rendered reference onto the fields that wrote it. Literal
 * text (glue, an appVersion default) maps to nothing; an empty span maps to the field at that
 * point (zero-width), so "missing tag at the end" can still be placed.
 */
export function fieldSpans(segments: readonly Segment[], start: number, end: number): FieldSpan[] {
  const out: FieldSpan[] = [];
  let pos = 0;
  for (const seg of segments) {
    const segStart = pos;
    const segEnd = pos + seg.text.length;
    pos = segEnd;
    if (!seg.field) continue;
    const s = Math.max(start, segStart);
    const e = Math.min(end, segEnd);
    if (e > s || (start === end && start >= segStart && start <= segEnd)) {
      out.push({ field: seg.field, start: s - segStart, end: Math.max(s, e) - segStart });
    }
  }
  return out;
}

/** The offset in the rendered reference where a field's text begins, or -1. */
export function fieldOffset(segments: readonly Segment[], field: ImageField): number {
  let pos = 0;
  for (const seg of segments) {
    if (seg.field === field) return pos;
    pos += seg.text.length;
  }
  return -1;
}

/** The rendered text before and after a field (for solving "which value of this field gives T"). */
export function aroundField(segments: readonly Segment[], field: ImageField): { before: string; after: string } | undefined {
  let before = '';
  let i = 0;
  for (; i < segments.length; i++) {
    if (segments[i].field === field) break;
    before += segments[i].text;
  }
  if (i === segments.length) return undefined;
  // A field used twice (never in the shapes we build) cannot be solved on its own.
  if (segments.slice(i + 1).some((s) => s.field === field)) return undefined;
  return { before, after: renderSegments(segments.slice(i + 1)) };
}

// ---------------------------------------------------------------- placeholders

/** An unreplaced `<…>` token as people write them in docs-derived values (`<mirror-registry>`). */
export const PLACEHOLDER_TOKEN = /<[A-Za-z0-9][^<>\s"'{}]*>/g;

export function hasPlaceholder(s: string): boolean {
  PLACEHOLDER_TOKEN.lastIndex = 0;
  const found = PLACEHOLDER_TOKEN.test(s);
  PLACEHOLDER_TOKEN.lastIndex = 0;
  return found;
}

/**
 * The reference with each placeholder replaced by valid text of the same length, so the rest
 * can still be parsed and judged (an untagged `<mirror-registry>/rhel10/postgresql-16` is still
 * untagged) with every offset unchanged. A token that is the whole first element becomes a host
 * (`ppppppppppppppp.p`), elsewhere a lowercase path word.
 */
export function placeholderStandIn(reference: string): string {
  return reference.replace(PLACEHOLDER_TOKEN, (token: string, offset: number) => {
    const n = token.length;
    const next = reference[offset + n];
    const isFirstElement = offset === 0 && (next === undefined || next === '/');
    if (isFirstElement && n >= 3) return `${'p'.repeat(n - 2)}.p`;
    return 'p'.repeat(n);
  });
}
