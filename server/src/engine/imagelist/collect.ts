// The image mirror list of values files, without rendering the chart: every image of each
// file's layer stack (schema defaults underneath, chart knowledge for the images only the
// templates compose), each with its fully qualified source reference, its reference in the
// configured mirror, its digest, whether it is optional, and where its parts are written.
//
// What the registry team copies is the *source*: an image that an air-gap overlay already
// points at the mirror (or at a `<mirror-registry>` placeholder) is listed with the reference
// the layers below give it, and the overlay's reference as its mirror.
import * as nodePath from 'node:path';
import type { ResolvedConfig } from '../config';
import type { ValuesDocument } from '../document';
import { imageIdentity, discoverInLayers, type DiscoveredImage, type LocatedField } from '../images/discover';
import { mirrorReference } from '../images/mirror';
import { isAirgapOverlay, isPublicRegistry } from '../images/registries';
import { referenceString } from '../images/reference';
import { imageStack, type ImageStackSource } from '../images/stack';
import { describeCondition, holds, witnesses, type ChartKnowledge } from '../knowledge';
import { mergeLayers, type MergedLayers } from '../layers';
import type { JsonValue } from '../types';
import { pathText } from '../value-path';
import type { ImageList, ImageListEntry, InvalidImage, SourceLine } from './types';

export interface ImageListSource extends ImageStackSource {
  configFor(path: string): ResolvedConfig;
  knowledgeFor(path: string): ChartKnowledge;
}

export interface CollectOptions {
  /** How a file is named in the list (default: its absolute path). */
  displayPath?: (absPath: string) => string;
}

/** Where a field is written, as a list shows it (1-based line). */
function sourceLine(field: LocatedField | undefined, display: (p: string) => string): SourceLine | undefined {
  const o = field?.origin;
  const node = o?.node ?? o?.key;
  if (!o || !node) return undefined;
  return { path: display(o.doc.path), line: o.doc.rangeOf(node).start.line + 1 };
}

/** The fields that say which image it is first, then its version. */
const FIELD_ORDER = ['reference', 'repository', 'name', 'registry', 'sharedRegistry', 'namespace', 'separator', 'tag', 'digest', 'sha'] as const;

function sourcesOf(img: DiscoveredImage, display: (p: string) => string): SourceLine[] {
  const out: SourceLine[] = [];
  for (const role of FIELD_ORDER) {
    const line = sourceLine(img.fields[role], display);
    if (line && !out.some((o) => o.path === line.path && o.line === line.line)) out.push(line);
  }
  return out;
}

function invalidReason(img: DiscoveredImage): string {
  if (img.placeholder) return 'it still contains a <…> placeholder';
  return img.parsed.ok ? '' : img.parsed.message;
}

/** The value that turns an optional image on, located in the merged values. */
function enabledBy(img: DiscoveredImage, merged: MergedLayers, values: JsonValue, display: (p: string) => string): SourceLine | null {
  if (!img.optional) return null;
  for (const path of witnesses(img.optional.when, values)) {
    const where = merged.locate(path);
    const node = where?.location?.key ?? where?.location?.node;
    if (where && node) return { path: display(where.doc.path), line: where.doc.rangeOf(node).start.line + 1 };
  }
  return null;
}

function stackOf(doc: ValuesDocument, source: ImageListSource, keep?: (p: string) => boolean) {
  const config = source.configFor(doc.path);
  const stack = imageStack(doc, config, source, { schemaDefaults: 'always', keepLayer: keep });
  const merged = mergeLayers(stack.docs);
  const knowledge = source.knowledgeFor(doc.path);
  return { stack, merged, discovery: discoverInLayers(merged, stack.chart, knowledge.empty ? undefined : knowledge) };
}

export function collectImageList(paths: string[], source: ImageListSource, options: CollectOptions = {}): ImageList {
  const display = options.displayPath ?? ((p: string) => p);
  const bySource = new Map<string, ImageListEntry>();
  const invalid: InvalidImage[] = [];
  const files: string[] = [];
  let chart: ImageList['chart'];
  let mirrorInfo: ImageList['mirror'];

  for (const path of paths) {
    const doc = source.getDocument(nodePath.resolve(path));
    if (!doc) continue;
    const config = source.configFor(doc.path);
    if (config.mirror.parsed) mirrorInfo ??= { registry: config.mirror.parsed.registry, layout: config.mirror.layout };
    // The sources: the stack without its air-gap overlays (unless that is all there is).
    const full = stackOf(doc, source);
    const upstreamLayers = (p: string) => !isAirgapOverlay(p);
    const hasUpstream = full.stack.docs.some((d) => upstreamLayers(d.path) && !d.path.endsWith('.json'));
    const upstream = hasUpstream ? stackOf(doc, source, (p) => upstreamLayers(p)) : full;
    for (const d of full.stack.docs) if (!d.path.endsWith('.json') && !files.includes(display(d.path))) files.push(display(d.path));
    if (full.stack.chart?.name) chart ??= { name: full.stack.chart.name, ...(full.stack.chart.version ? { version: full.stack.chart.version } : {}) };
    const fullByIdentity = new Map(full.discovery.images.map((i) => [imageIdentity(i), i]));
    const values = full.merged.values;

    for (const img of upstream.discovery.images) {
      if (img.shape === 'partial') continue;
      const key = img.composed ? img.composed.name : pathText(img.path);
      const where = sourcesOf(img, display);
      if (!img.parsed.ok || img.placeholder) {
        const first = where[0] ?? { path: display(doc.path), line: 1 };
        invalid.push({ value: img.display, path: first.path, line: first.line, key, reason: invalidReason(img) });
        continue;
      }
      const ref = img.parsed;
      const sourceRef = referenceString(ref);
      let mirror: string | null = null;
      if (config.mirror.parsed) {
        const target = mirrorReference(ref, { registry: config.mirror.parsed, layout: config.mirror.layout });
        if (target.ok) mirror = target.reference;
      } else {
        // No mirror configured: what the air-gap overlay points the image at, when it does.
        const moved = fullByIdentity.get(imageIdentity(img));
        if (moved && moved !== img && moved.parsed.ok && !moved.placeholder && !isPublicRegistry(moved.parsed.domain) && moved.reference !== img.reference) {
          mirror = referenceString(moved.parsed);
        }
      }
      const on = !img.optional || holds(img.optional.when, values);
      const entry: ImageListEntry = {
        source: sourceRef,
        mirror,
        digest: ref.digest ?? null,
        registry: ref.domain,
        repository: ref.path,
        tag: ref.tag ?? null,
        optional: on ? null : describeCondition(img.optional!.when),
        enabledBy: on ? enabledBy(img, full.merged, values, display) : null,
        sources: where,
        key,
      };
      const seen = bySource.get(sourceRef);
      if (!seen) bySource.set(sourceRef, entry);
      else {
        // The same image at several places: listed once, optional only if every place is.
        if (seen.optional && !entry.optional) {
          seen.optional = null;
          seen.enabledBy = entry.enabledBy;
        }
        for (const s of entry.sources) if (!seen.sources.some((o) => o.path === s.path && o.line === s.line)) seen.sources.push(s);
        seen.mirror ??= entry.mirror;
      }
    }
  }
  const images = [...bySource.values()].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  const list: ImageList = { images, invalid, files };
  if (chart) list.chart = chart;
  if (mirrorInfo) list.mirror = mirrorInfo;
  return list;
}
