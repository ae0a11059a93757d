// Shared by the per-file and the layered image rules: which files are air-gap overlays, which
// registries are public, ranges of image parts in a document, and the minimal field rewrite
// that points an image at the mirror.
import * as nodePath from 'node:path';
import { isScalar } from 'yaml';
import type { ChartInfo } from '../chart';
import type { ResolvedConfig } from '../config';
import { holds, type ChartKnowledge } from '../knowledge';
import type { Scalar, ValuesDocument } from '../document';
import { aroundField, fieldSpans, recompose } from '../images/compose';
import type { DiscoveredImage, Discovery, LocatedField } from '../images/discover';
import { replaceScalarEdit, scalarPartRange } from '../images/edits';
import { type MirrorRegistry, type MirrorTarget, mirrorReference } from '../images/mirror';
import { DEFAULT_DOMAIN, LEGACY_DEFAULT_DOMAIN, type NormalizedReference, looksLikeRegistryHost, parseNormalizedNamed } from '../images/normalize';
import { referenceString } from '../images/reference';
import type { ImageStack } from '../images/stack';
import type { JsonValue, Range, TextEdit, ValuePath } from '../types';
import type { FindingInput } from './types';

/** rules.md "Terms": a file named *airgap*, *air-gap*, *offline*, *disconnected* or *mirror*. */
export function isAirgapOverlay(path: string): boolean {
  return /air-?gap|offline|disconnected|mirror/i.test(nodePath.basename(path));
}

/** Registries on the internet (public, or a cloud account's): an air-gapped cluster cannot pull from them. */
export const PUBLIC_REGISTRIES = [
  'docker.io', 'registry-1.docker.io', 'index.docker.io', 'quay.io', 'ghcr.io', 'gcr.io', 'registry.k8s.io', 'k8s.gcr.io',
  'mcr.microsoft.com', 'public.ecr.aws', 'registry.redhat.io', 'registry.access.redhat.com', 'nvcr.io', 'docker.elastic.co',
  'registry.gitlab.com', 'cr.l5d.io', 'registry.opensource.zalan.do', 'mirror.gcr.io', 'container-registry.oracle.com',
];
export const PUBLIC_SUFFIXES = ['.gcr.io', '.pkg.dev', '.azurecr.io', '.ecr.aws'];

export function isPublicRegistry(host: string): boolean {
  const h = host.toLowerCase();
  return PUBLIC_REGISTRIES.includes(h) || PUBLIC_SUFFIXES.some((s) => h.endsWith(s));
}

/** Registries that allow one path level under an account (rules.md `image/flat-layout`). */
export const FLAT_HOSTS = ['quay.io', 'docker.io', 'index.docker.io', 'registry-1.docker.io', 'image-registry.openshift-image-registry.svc:5000'];

export function sameHost(a: string, b: string): boolean {
  const c = (h: string) => (h.toLowerCase() === LEGACY_DEFAULT_DOMAIN ? DEFAULT_DOMAIN : h.toLowerCase());
  return c(a) === c(b);
}

export function pathText(path: ValuePath): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
}

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
  if (isScalar(o.node) && start !== undefined && end !== undefined) return scalarPartRange(doc, o.node as Scalar, start, end);
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

export function canonical(s: string): string | undefined {
  const r = parseNormalizedNamed(s);
  return r.ok ? referenceString(r) : undefined;
}

export function hasPathPrefix(registryValue: string): boolean {
  const slash = registryValue.indexOf('/');
  return slash >= 0 || !looksLikeRegistryHost(registryValue);
}

/**
 * Field values that make the chart render `target`, changing as few fields as possible and
 * preferring the field that carries the registry: the registry alone; a registry that is a
 * Docker Hub namespace or has a path (`robustadev`, `…pkg.dev/project/mcp`) solved as a whole;
 * registry plus repository (flat layout, Docker Hub's implied `library/`); the separator of a
 * composing chart (kubernaut, flat layout).
 */
export function mirrorOverrides(img: DiscoveredImage, target: MirrorTarget): Map<LocatedField, string> | undefined {
  const want = canonical(target.reference);
  if (!want) return undefined;
  const carrier = img.registryField;
  const pathField = img.fields.repository ?? img.fields.reference;
  const solve = (field: LocatedField, base: Map<LocatedField, string>): Map<LocatedField, string> | undefined => {
    const segs = img.segments.map((s) => (s.field && base.has(s.field as LocatedField) ? { ...s, text: base.get(s.field as LocatedField)! } : s));
    const around = aroundField(segs, field);
    if (!around) return undefined;
    const t = target.reference;
    if (!t.startsWith(around.before) || !t.endsWith(around.after) || t.length < around.before.length + around.after.length) return undefined;
    const value = t.slice(around.before.length, t.length - around.after.length);
    if (!value) return undefined;
    return new Map([...base, [field, value]]);
  };
  const candidates: Array<Map<LocatedField, string> | undefined> = [];
  if (carrier && (carrier.role === 'registry' || carrier.role === 'sharedRegistry')) {
    const registryOnly = new Map([[carrier, target.registry]]);
    candidates.push(registryOnly);
    if (hasPathPrefix(carrier.value)) candidates.push(solve(carrier, new Map()));
    if (img.fields.separator) candidates.push(new Map([...registryOnly, [img.fields.separator, '-']]));
    if (pathField && pathField !== carrier) candidates.push(solve(pathField, registryOnly));
    candidates.push(solve(carrier, new Map()));
  } else if (pathField) {
    candidates.push(solve(pathField, new Map()));
  }
  for (const c of candidates) {
    if (!c) continue;
    if (canonical(recompose(img.segments, c)) === want) return c;
  }
  return undefined;
}


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
 * The images the install deploys: an image of an optional component (chart knowledge) whose
 * condition does not hold on the stack's values is left to the image list ("only if …").
 */
export function deployedOnly(discovery: Discovery, values: JsonValue): Discovery {
  if (!discovery.images.some((i) => i.optional)) return discovery;
  const images = discovery.images.filter((i) => !i.optional || holds(i.optional.when, values));
  return images.length === discovery.images.length ? discovery : { ...discovery, images };
}

/** An image's identity in one discovery: its path, and the name of a composed image (several share a path). */
export function imageIdentity(img: DiscoveredImage): string {
  return img.composed ? `${pathText(img.path)}#${img.composed.name}` : pathText(img.path);
}

/** A composed image's reference with its name shown as `<service>`: what a group of them shares. */
export function serviceDisplay(img: DiscoveredImage): string {
  if (!img.composed) return img.display;
  const name = img.composed.name;
  return img.segments.map((seg) => (!seg.field && seg.part === 'path' && seg.text === name ? '<service>' : seg.text)).join('');
}

/**
 * The mirror reference for messages; kubernaut's per-service name shown as `<service>` (the
 * generic composite, or a group of chart-knowledge composed images when `asGroup`).
 */
export function targetDisplay(img: DiscoveredImage, target: MirrorTarget, asGroup = false): string {
  const name = img.shape === 'globalComposite' ? 'service' : asGroup && img.composed ? img.composed.name : undefined;
  if (!name || !target.path.endsWith(name)) return target.reference;
  let s = `${target.domain}/${target.path.slice(0, -name.length)}<service>`;
  if (target.tag !== undefined) s += `:${target.tag}`;
  if (target.digest !== undefined) s += `@${target.digest}`;
  return s;
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

export function valueAt(values: JsonValue, path: ValuePath): JsonValue | undefined {
  let v: JsonValue | undefined = values;
  for (const seg of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !(String(seg) in v)) return undefined;
    v = (v as { [k: string]: JsonValue })[String(seg)];
  }
  return v;
}

/**
 * Whether a reference pulls from somewhere other than the mirror: with mirror.registry, any
 * registry but the mirror (with the mirror reference it should have); without it, in an
 * air-gap overlay, a registry on the internet. Undefined when it is fine (or cannot be judged).
 */
export function upstreamOf(ref: NormalizedReference, f: Pick<FileFacts, 'mirror' | 'airgap' | 'config'>): { target?: MirrorTarget } | undefined {
  if (f.mirror) {
    const t = mirrorReference(ref, { registry: f.config.mirror.registry!, layout: f.config.mirror.layout });
    if (!t.ok || t.alreadyMirrored) return undefined;
    return { target: t };
  }
  return f.airgap && isPublicRegistry(ref.domain) ? {} : undefined;
}
