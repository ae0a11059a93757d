// Image rules that compare an overlay with the layers below it (rules.md "Images and mirrors"):
// - image/pinned-tag: the overlay sets `tag`, `digest` or `sha` of an image the chart defines;
// - image/digest-dropped: the overlay turns a digest-pinned image into a tag-only one;
// - image/not-mirrored (overlay form): an overlay that moves images to the mirror (or is an
//   air-gap overlay) leaves an image of a lower layer upstream. Reported on the overlay, at its
//   nearest key for that image, with the lower layer's location as related information.
// All three run on the merged values of the file's layer stack (layers.ts), so an image is
// composed from every layer the way Helm would see it, and each part knows its layer.
import * as nodePath from 'node:path';
import { isMap } from 'yaml';
import type { ValuesDocument } from '../document';
import { type DiscoveredImage, type LocatedField, discoverInLayers } from '../images/discover';
import { deleteEntryEdit, insertEntriesEdit } from '../edits/insert';
import { replaceScalarEdit } from '../edits/scalar';
import { valuesAt } from '../knowledge';
import { mergeLayers } from '../layers';
import type { Fix, JsonValue, Range, RelatedLocation, TextEdit, ValuePath } from '../types';
import { deployedOnly, imageIdentity } from '../images/discover';
import { mirrorOverrides, targetDisplay, upstreamOf } from '../images/mirror-plan';
import { type FileFacts, editableScalar, fieldRange, pathText, registryRange, shorten } from './image-support';
import type { LintContext } from './types';
import { clip } from '../wording';

/** An image's identity across layers: its path, and the name of a composed image (several share one path). */
const key = (path: ValuePath) => pathText(path);
const imageKey = imageIdentity;

function layerOf(field: LocatedField | undefined): number | undefined {
  return field?.origin?.layer;
}

/** The range of the deepest key of `path` that the overlay writes (where a finding about that path belongs). */
function nearestKeyRange(doc: ValuesDocument, path: ValuePath): Range {
  for (let i = path.length; i >= 1; i--) {
    const loc = doc.locate(path.slice(0, i));
    if (loc?.key && !loc.viaAlias) return doc.rangeOf(loc.key);
  }
  const root = doc.root;
  if (isMap(root) && root.items.length) return doc.rangeOf(root.items[0].key as { range?: [number, number, number] });
  return doc.spanRange(0, 0);
}

/** "values.yaml line 698": where a field of a lower layer is written. */
function where(field: LocatedField | undefined): string {
  const o = field?.origin;
  if (!o?.node) return 'a lower layer';
  return `${nodePath.basename(o.doc.path)} line ${o.doc.rangeOf(o.node).start.line + 1}`;
}

function related(field: LocatedField | undefined, message: string): RelatedLocation[] | undefined {
  const o = field?.origin;
  if (!o?.node) return undefined;
  return [{ path: o.doc.path, range: o.doc.rangeOf(o.node), message }];
}

/** The field that says which image this is (not its version). */
function identityField(img: DiscoveredImage): LocatedField | undefined {
  return img.fields.repository ?? img.fields.reference ?? img.fields.namespace ?? img.fields.sharedRegistry;
}

export function checkImageLayers(ctx: LintContext, f: FileFacts, reportedUpstream: Set<string>): void {
  // The file's layers, with the chart's schema defaults underneath (images/stack.ts).
  const stack = f.stack;
  const docs = stack.docs;
  if (docs.length < 2) return;
  const top = docs.length - 1;
  const chart = stack.chart ?? f.chart;
  const knowledge = f.knowledge.empty ? undefined : f.knowledge;
  const merged = deployedOnly(discoverInLayers(mergeLayers(docs), chart, knowledge), f.stackValues);
  const below = deployedOnly(discoverInLayers(mergeLayers(docs.slice(0, -1)), chart, knowledge), f.stackValues);
  const belowByPath = new Map(below.images.map((i) => [imageKey(i), i]));
  const pinned = new Set<string>();

  for (const img of merged.images) {
    if (img.shape === 'partial') continue;
    const identity = identityField(img);
    const chartImage = layerOf(identity) !== undefined && layerOf(identity)! < top;
    const base = belowByPath.get(imageKey(img));
    if (chartImage) checkPinned(img, base, top, f, pinned);
    if (base) checkDigestDropped(img, base, top, f);
  }
  checkPinnedByKnowledge(f, pinned);
  checkLeftUpstream(merged.images, top, f, reportedUpstream);
}

/**
 * Fields the chart knowledge says pin a version (`pinsVersion`: Robusta platform's `dbImage`,
 * an operator's internal image list): set in an overlay, they keep an old image through every
 * chart upgrade, just like a pinned tag.
 */
function checkPinnedByKnowledge(f: FileFacts, alreadyReported: Set<string>): void {
  for (const placed of f.knowledge.pinsVersionFacts()) {
    for (const m of valuesAt(f.doc.values, placed.pattern)) {
      if (m.value === null || m.value === undefined || alreadyReported.has(pathText(m.path))) continue;
      const loc = f.doc.locate(m.path);
      if (!loc?.node || loc.viaAlias) continue;
      alreadyReported.add(pathText(m.path));
      const edit = deleteEntryEdit(f.doc, m.path);
      const why = placed.facts.why ? ` (${placed.facts.why})` : '';
      const source = placed.facts.source ?? placed.applied.origin;
      f.report({
        code: 'image/pinned-tag',
        message: clip(`${pathText(m.path)} pins a version the chart sets itself: delete this key`),
        detail: `According to ${source}${why}, every chart upgrade would keep running this version. Leave it to the chart and override the registry instead.`,
        range: f.doc.rangeOf(loc.key ?? loc.node),
        fixes: edit ? [{ title: `Delete ${pathText(m.path)} (keep the chart's version)`, edits: [edit], safe: true, preferred: true }] : [],
      });
    }
  }
}

// ---------------------------------------------------------------- pinned-tag

function checkPinned(img: DiscoveredImage, base: DiscoveredImage | undefined, top: number, f: FileFacts, reported: Set<string>): void {
  const pins: LocatedField[] = [];
  if (layerOf(img.fields.tag) === top) pins.push(img.fields.tag!);
  // With mirror.digestsOnly the cluster redirects digest pulls only: digest pins are wanted there.
  if (!f.config.mirror.digestsOnly) {
    if (layerOf(img.fields.digest) === top) pins.push(img.fields.digest!);
    if (layerOf(img.fields.sha) === top) pins.push(img.fields.sha!);
  }
  for (const pin of pins) {
    const range = fieldRange(pin, f.doc);
    if (!range || reported.has(pathText(pin.path))) continue;
    reported.add(pathText(pin.path));
    const name = shorten(base?.display ?? img.display);
    let why: string;
    if (pin.role === 'tag') {
      const chartTag = base?.fields.tag?.value;
      if (chartTag === undefined) {
        const appVersion = f.chart?.appVersion;
        why = `the chart leaves the tag empty so that it follows the chart's appVersion${appVersion ? ` (now ${appVersion})` : ''}`;
      } else if (chartTag === pin.value) why = `it repeats the chart's own tag ${chartTag}`;
      else why = `the chart ships ${chartTag}`;
    } else why = `the chart ships ${base?.fields.digest || base?.fields.sha ? 'its own digest' : 'no digest'}`;
    const edit = deleteEntryEdit(f.doc, pin.path);
    const fixes: Fix[] = edit ? [{ title: `Delete ${pathText(pin.path)} (keep the chart's version)`, edits: [edit], safe: true, preferred: true }] : [];
    f.report({
      code: 'image/pinned-tag',
      message: clip(`${pathText(pin.path)} "${shorten(pin.value, 40)}" pins a chart image: delete this key, override only the registry`),
      detail: `It pins ${name} (from ${where(identityField(img))}): ${why}, and every chart upgrade would keep running this version. Override the registry, not the ${pin.role === 'tag' ? 'tag' : 'digest'}.`,
      range,
      fixes,
      related: related(identityField(img), 'the chart image'),
    });
  }
}

// ---------------------------------------------------------------- digest-dropped

/** Same image, maybe on another registry or layout: the last path element names it. */
function sameImage(a: DiscoveredImage, b: DiscoveredImage): boolean {
  if (!a.parsed.ok || !b.parsed.ok) return false;
  const last = (p: string) => p.split('/').pop()!;
  const pa = a.parsed.path;
  const pb = b.parsed.path;
  return last(pa) === last(pb) || pb.endsWith(`-${last(pa)}`) || pb.endsWith(pa.split('/').join('-'));
}

function checkDigestDropped(img: DiscoveredImage, base: DiscoveredImage, top: number, f: FileFacts): void {
  if (!base.parsed.ok || base.parsed.digest === undefined || !img.parsed.ok || img.parsed.digest !== undefined) return;
  const baseDigest = base.parsed.digest;
  const digestField = base.fields.digest ?? base.fields.sha ?? base.fields.reference;
  // What the overlay wrote: an emptied digest/sha, or a new reference string without one.
  let range: Range | undefined;
  let fixes: Fix[] = [];
  for (const k of ['digest', 'sha']) {
    const loc = f.doc.locate([...img.path, k]);
    if (loc?.node && !loc.viaAlias) {
      range = f.doc.rangeOf(loc.node);
      const edit = deleteEntryEdit(f.doc, [...img.path, k]);
      if (edit) fixes = [{ title: `Delete ${pathText([...img.path, k])} (keep the chart's digest)`, edits: [edit], safe: true, preferred: true }];
      break;
    }
  }
  const ref = img.fields.reference;
  if (!range && ref && layerOf(ref) === top) {
    range = fieldRange(ref, f.doc);
    const node = editableScalar(ref, f.doc);
    // The same digest under the new name is right only for the same image (moved to a mirror that
    // copied with --preserve-digests); a different image (ose-cli for kubectl) needs its own.
    if (node && sameImage(base, img)) {
      const value = `${ref.value}@${baseDigest}`;
      fixes = [{ title: `Keep the digest: ${shorten(value, 90)}`, edits: [replaceScalarEdit(f.doc, node, value)], safe: false, preferred: true }];
    }
  }
  if (!range) {
    const written = Object.values(img.fields).find((fl) => layerOf(fl) === top);
    if (!written) return; // nothing in this overlay changed it
    range = fieldRange(written, f.doc);
  }
  if (!range) return;
  f.report({
    code: 'image/digest-dropped',
    message: clip(`${pathText(img.path)} drops the digest of the layer below: keep the digest`),
    detail: `"${shorten(img.display)}" replaces "${shorten(base.display)}" (${where(digestField)})${sameImage(base, img) ? '' : ' with a different image'}: the pull is now by tag${img.parsed.tag === 'latest' || img.parsed.tag === undefined ? ' (latest, mutable)' : ''}, so what runs is whatever the tag points to when the node pulls, and IDMS/ICSP mirrors redirect digest pulls only. Mirror with skopeo copy --all --preserve-digests.`,
    range,
    fixes,
    related: related(digestField, 'the digest-pinned reference'),
  });
}

// ---------------------------------------------------------------- images left upstream

function checkLeftUpstream(images: DiscoveredImage[], top: number, f: FileFacts, reportedUpstream: Set<string>): void {
  // Only an overlay that is about mirroring judges the images below it: an air-gap overlay, or
  // one that already points some image at the configured mirror.
  const movesImages = f.mirror !== undefined && images.some((i) => i.parsed.ok && layerOf(i.registryField) === top && !upstreamOf(i.parsed, f));
  if (!f.airgap && !movesImages) return;
  const groups = new Map<string, Array<{ img: DiscoveredImage; target?: ReturnType<typeof upstreamOf> }>>();
  for (const img of images) {
    if (img.shape === 'partial' || img.placeholder || !img.parsed.ok || reportedUpstream.has(imageKey(img))) continue;
    const up = upstreamOf(img.parsed, f);
    if (!up) continue;
    const carrier = img.registryField ?? img.fields.reference ?? img.fields.repository;
    const groupKey = carrier && carrier.role === 'sharedRegistry' ? `shared:${key(carrier.path)}` : `image:${imageKey(img)}`;
    groups.set(groupKey, [...(groups.get(groupKey) ?? []), { img, target: up }]);
  }
  for (const list of groups.values()) {
    const { img, target: up } = list[0];
    const carrier = img.registryField ?? img.fields.reference ?? img.fields.repository;
    const target = up?.target;
    const others = list.length > 1 ? ` (and ${list.length - 1} more image${list.length > 2 ? 's' : ''} using ${pathText(carrier!.path)})` : '';
    const registry = img.parsed.ok ? (img.parsed.impliedDomain ? 'Docker Hub (docker.io, implied)' : img.parsed.domain) : '';
    let fixes: Fix[] = [];
    if (target) {
      const plan = mirrorOverrides(img, target);
      const edit = plan && (layerOf(carrier) === top ? editsInPlace(f.doc, plan) : overrideEdit(f.doc, plan));
      if (edit && list.every((u) => u.target?.target && samePlan(mirrorOverrides(u.img, u.target.target), plan!))) {
        fixes = [{ title: `Override ${[...plan!.keys()].map((fl) => pathText(fl.path)).join(' and ')} here (${shorten(targetDisplay(img, target), 80)})`, edits: edit, safe: false, preferred: true }];
      }
    }
    // Written here (an override the file alone could not compose, e.g. `image.registry` on a
    // chart image): on that field. Written below: on this overlay's nearest key for it.
    const here = layerOf(carrier) === top;
    const baseRange = here ? undefined : carrier;
    f.report({
      code: 'image/not-mirrored',
      severity: f.airgap ? 'error' : undefined,
      message: clip(`${pathText(img.path)} still pulls from ${registry}: override it here with ${target ? f.mirror?.registry ?? 'the mirror' : 'your mirror'}`),
      detail: `"${shorten(img.display)}"${others}${here ? '' : `, from ${where(carrier)}`}: this ${f.airgap ? 'air-gap overlay' : 'overlay moves other images to the mirror but'} leaves it upstream${f.airgap ? ', and an air-gapped cluster cannot reach it' : ''}. ${target ? `Override it here to ${shorten(targetDisplay(img, target))}.` : 'Set mirror.registry in .airgap-lint.yaml to get a quick fix.'}`,
      range: here ? registryRange(img, f.doc) : nearestKeyRange(f.doc, carrier?.path ?? img.path),
      fixes,
      related: related(baseRange, 'the upstream image'),
    });
  }
}

function samePlan(a: Map<LocatedField, string> | undefined, b: Map<LocatedField, string>): boolean {
  if (!a || a.size !== b.size) return false;
  for (const [field, value] of a) {
    const match = [...b].find(([g]) => key(g.path) === key(field.path));
    if (!match || match[1] !== value) return false;
  }
  return true;
}

/** One insertion into the overlay that sets every overridden field (they share a parent map, outside lists). */
function overrideEdit(doc: ValuesDocument, plan: Map<LocatedField, string>): TextEdit[] | undefined {
  const fields = [...plan.keys()];
  if (fields.some((fl) => fl.origin?.doc === doc)) return undefined; // mixed: some fields are written here
  const parent = fields[0].path.slice(0, -1);
  if (parent.some((p) => typeof p === 'number')) return undefined; // Helm replaces lists whole: not an override
  if (!fields.every((fl) => key(fl.path.slice(0, -1)) === key(parent))) return undefined;
  const entries: { [k: string]: JsonValue } = {};
  for (const [fl, value] of plan) entries[String(fl.path[fl.path.length - 1])] = value;
  const edit = insertEntriesEdit(doc, parent, entries);
  return edit ? [edit] : undefined;
}

/** Rewrites of fields this overlay writes itself. */
function editsInPlace(doc: ValuesDocument, plan: Map<LocatedField, string>): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  for (const [fl, value] of plan) {
    const node = editableScalar(fl, doc);
    if (!node) return undefined;
    if (String(node.value) !== value) edits.push(replaceScalarEdit(doc, node, value));
  }
  return edits.length ? edits : undefined;
}
