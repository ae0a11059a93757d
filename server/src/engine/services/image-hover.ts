// Hover on an image field: the reference the chart renders from every layer of the file's
// stack (global registry keys, appVersion for an empty tag, the chart's schema defaults), the
// file and line each part comes from, and where the image lives in the configured mirror.
// Pure: (document, engine-like source, path, position) → markdown and range; the language
// server wraps it in an LSP Hover.
import * as nodePath from 'node:path';
import type { ResolvedConfig } from '../config';
import type { ValuesDocument } from '../document';
import type { DiscoveredImage, LocatedField } from '../images/discover';
import { discoverInLayers } from '../images/discover';
import { mirrorReference } from '../images/mirror';
import { referenceString } from '../images/reference';
import { imageStack, type ImageStackSource } from '../images/stack';
import { mergeLayers } from '../layers';
import { describeCondition, holds, type ChartKnowledge } from '../knowledge';
import { imageIdentity } from '../images/discover';
import { targetDisplay } from '../images/mirror-plan';
import { pathText } from '../value-path';
import { shorten } from '../rules/image-support';
import type { JsonValue, Position, Range } from '../types';
import type { HoverResult } from './hover';

export interface ImageHoverSource extends ImageStackSource {
  configFor(path: string): ResolvedConfig;
  /** The file's chart knowledge (composed images, optional components, the facts' sources). */
  knowledgeFor?(path: string): ChartKnowledge;
}

/** How many images a shared registry key lists before "and N more". */
const MAX_LISTED = 10;

const ROLE_LABEL: Record<string, string> = {
  registry: 'registry',
  sharedRegistry: 'registry (shared)',
  namespace: 'namespace',
  separator: 'separator',
  repository: 'repository',
  tag: 'tag',
  digest: 'digest',
  sha: 'digest (sha)',
  reference: 'image',
};

/** Rows in the order the parts appear in a reference. */
const ROLE_ORDER = ['registry', 'sharedRegistry', 'namespace', 'separator', 'repository', 'reference', 'tag', 'digest', 'sha'];

interface Hit {
  img: DiscoveredImage;
  /** The field under the cursor; undefined when the cursor is on the image's own key. */
  field?: LocatedField;
  range: Range;
  /** Length of the hovered node's text: the innermost match wins. */
  size: number;
}

/** The hover for a position on an image field of `doc`, or undefined anywhere else. */
export function imageHover(doc: ValuesDocument, source: ImageHoverSource, path: string, position: Position): HoverResult | undefined {
  if (!doc.root || doc.values === null || typeof doc.values !== 'object' || Array.isArray(doc.values)) return undefined;
  const config = source.configFor(path);
  const stack = imageStack(doc, config, source);
  const top = stack.docs.length - 1;
  const found = source.knowledgeFor?.(path);
  const knowledge = found && !found.empty ? found : undefined;
  const merged = mergeLayers(stack.docs);
  const discovery = discoverInLayers(merged, stack.chart, knowledge);
  const offset = doc.offsetAt(position);

  let best: Hit | undefined;
  const consider = (img: DiscoveredImage, node: { range?: [number, number, number] | null } | null | undefined, field?: LocatedField) => {
    const r = node?.range;
    if (!r || offset < r[0] || offset > r[1]) return;
    const size = r[1] - r[0];
    if (!best || size < best.size) best = { img, field, range: doc.rangeOf(node), size };
  };
  for (const img of discovery.images) {
    for (const field of Object.values(img.fields)) {
      if (!field?.origin || field.origin.doc !== doc || field.origin.layer !== top) continue;
      consider(img, field.origin.node, field);
      consider(img, field.origin.key, field);
    }
    if (img.origin?.doc === doc && img.origin.layer === top) consider(img, img.origin.key);
  }
  if (!best) return undefined;
  const hit: Hit = best;

  // A shared registry key (global.imageRegistry, kubernaut's global.image) serves several images.
  const sharers = hit.field?.role === 'sharedRegistry' ? discovery.images.filter((i) => Object.values(i.fields).some((f) => f && pathText(f.path) === pathText(hit.field!.path))) : [hit.img];
  if (sharers.length > 1) return { markdown: sharedRegistryHover(hit.field!, sharers, doc, config, merged.values).join('\n'), range: hit.range };
  // What the layers below render at this path, when this file changes it.
  const below = top > 0 ? discoverInLayers(mergeLayers(stack.docs.slice(0, -1)), stack.chart, knowledge).images.find((i) => imageIdentity(i) === imageIdentity(hit.img)) : undefined;
  const replaced = below && below.shape !== 'partial' && below.reference !== hit.img.reference ? below : undefined;
  const lines = imageDetails(hit.img, doc, config, stack.chart?.path, replaced);
  return { markdown: [...lines, ...knowledgeLines(hit.img, merged.values)].join('\n'), range: hit.range };
}

function code(s: string): string {
  const shown = shorten(s, 160);
  return shown.includes('`') ? `\`\` ${shown} \`\`` : `\`${shown}\``;
}

/** "values.yaml line 670": a file named relative to the hovered file's folder. */
function whereWritten(field: LocatedField, doc: ValuesDocument): string {
  const o = field.origin;
  if (!o) return 'not found in any layer';
  const anchor = o.node ?? o.key;
  const line = anchor ? ` line ${o.doc.rangeOf(anchor).start.line + 1}` : '';
  const rel = nodePath.relative(nodePath.dirname(doc.path), o.doc.path).split(nodePath.sep).join('/');
  const name = o.doc === doc ? `this file${line}` : `${rel || nodePath.basename(o.doc.path)}${line}`;
  return o.doc.path.endsWith('.json') ? `${name}, schema default` : name;
}

function partRows(img: DiscoveredImage, doc: ValuesDocument, chartPath?: string): string[] {
  const rows = ['| part | value | from |', '|---|---|---|'];
  const used = new Set(img.segments.map((s) => s.field).filter(Boolean));
  const fields = Object.values(img.fields).filter((f): f is LocatedField => f !== undefined);
  fields.sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
  for (const field of fields) {
    let from = whereWritten(field, doc);
    if (img.segments.length && !used.has(field)) {
      const winner = img.fields.sharedRegistry;
      from += winner && field.role === 'registry' ? `, not used: ${pathText(winner.path)} wins` : ', not used';
    }
    rows.push(`| ${ROLE_LABEL[field.role] ?? field.role} \`${pathText(field.path)}\` | ${code(field.value).replace(/\|/g, '\\|')} | ${from.replace(/\|/g, '\\|')} |`);
  }
  if (img.tagDefault === 'appVersion') {
    const tag = img.segments.find((s) => s.part === 'tag' && !s.field)?.text ?? '';
    rows.push(`| tag | ${code(tag)} | ${chartPath ? `${nodePath.basename(chartPath)} appVersion` : 'appVersion'} (the tag is empty) |`);
  } else if (img.tagDefault === 'chart') {
    rows.push(`| tag | — | the ${img.subchart ? `${img.subchart} subchart's` : "chart's"} default (no tag written) |`);
  }
  return rows;
}

function mirrorLine(img: DiscoveredImage, config: ResolvedConfig): string {
  if (!config.mirror.registry) return '_No mirror configured: set `mirror.registry` in .airgap-lint.yaml to see where this image should come from._';
  const parsedMirror = config.mirror.parsed;
  if (!parsedMirror) return `_mirror.registry is not usable: ${config.mirror.problem ?? 'it does not parse'}._`;
  if (img.placeholder) {
    // `<mirror-registry>/…` says where the mirror goes: show the reference with it filled in.
    const filled = /^<[^<>/]*>\//.test(img.display) ? img.display.replace(/^<[^<>/]*>/, parsedMirror.registry) : undefined;
    return filled
      ? `Mirror: with the placeholder replaced by mirror.registry, ${code(filled)}.`
      : `Mirror: replace the placeholder; mirror.registry is ${code(parsedMirror.registry)}.`;
  }
  if (!img.parsed.ok) return '';
  const target = mirrorReference(img.parsed, { registry: parsedMirror, layout: config.mirror.layout });
  if (!target.ok) return `Mirror (${config.mirror.layout}): no valid mirror reference — ${target.message}`;
  if (target.alreadyMirrored) return `Already pulled from the mirror ${code(parsedMirror.registry)}.`;
  return `Mirror (${config.mirror.layout}): ${code(targetDisplay(img, target))}`;
}

function imageDetails(img: DiscoveredImage, doc: ValuesDocument, config: ResolvedConfig, chartPath?: string, replaced?: DiscoveredImage): string[] {
  if (img.shape === 'partial') {
    return [
      `**Image override \`${pathText(img.path)}\`**`,
      '',
      'Sets only part of an image, and no layer below names its repository: the chart decides the rest.',
      '',
      ...partRows(img, doc, chartPath),
    ];
  }
  const lines = [`**Image \`${pathText(img.path)}\`** renders ${code(img.display)}`, ''];
  if (replaced) {
    const origin = replaced.registryField ?? replaced.fields.reference ?? replaced.fields.repository ?? replaced.fields.digest ?? replaced.fields.tag;
    lines.push(`Replaces ${code(replaced.display)}${origin ? ` (${whereWritten(origin, doc)})` : ''}.`, '');
  }
  if (img.parsed.ok && !img.placeholder) {
    const normalized = referenceString(img.parsed);
    const shown = img.shape === 'globalComposite' ? img.display : img.reference;
    if (normalized !== shown) lines.push(`Pulled as ${code(img.shape === 'globalComposite' ? normalized.replace(/service(?=[:@]|$)/, '<service>') : normalized)}${img.parsed.impliedDomain ? ' (Docker Hub implied)' : ''}.`, '');
  } else if (!img.parsed.ok && !img.placeholder) {
    lines.push(`Not a valid image reference: ${img.parsed.message}.`, '');
  } else if (img.placeholder) {
    lines.push('Contains an unreplaced `<…>` placeholder: Helm installs it literally.', '');
  }
  lines.push(...partRows(img, doc, chartPath), '');
  const mirror = mirrorLine(img, config);
  if (mirror) lines.push(mirror);
  return lines;
}

/** What the chart knowledge says of an image, and where that comes from. */
function knowledgeLines(img: DiscoveredImage, values: JsonValue): string[] {
  const lines: string[] = [];
  if (img.composed) {
    lines.push(`Composed by the chart's templates as ${code(img.composed.name)}; it appears nowhere in the values (chart knowledge: ${nodePath.basename(img.composed.origin)}${img.composed.source ? `, from ${img.composed.source}` : ''}).`);
  }
  if (img.optional) {
    const on = holds(img.optional.when, values);
    lines.push(`Deployed only if ${describeCondition(img.optional.when)}: ${on ? 'on' : 'off'} in these values (chart knowledge: ${nodePath.basename(img.optional.origin)}).`);
  }
  return lines.length ? ['', ...lines] : [];
}

function sharedRegistryHover(field: LocatedField, images: DiscoveredImage[], doc: ValuesDocument, config: ResolvedConfig, values: JsonValue): string[] {
  const lines = [
    `**Registry \`${pathText(field.path)}\`** = ${code(field.value)} (${whereWritten(field, doc)}), used by ${images.length} images:`,
    '',
  ];
  for (const img of images.slice(0, MAX_LISTED)) {
    const mirror = mirrorLine(img, config);
    const target = /^Mirror \((nested|flat)\): (.*)$/.exec(mirror)?.[2];
    const name = img.composed ? `${img.composed.name} (composed by the chart)` : pathText(img.path);
    const off = img.optional && !holds(img.optional.when, values) ? ` — only if ${describeCondition(img.optional.when)} (off)` : '';
    lines.push(`- \`${name}\`: ${code(img.display)}${target ? ` → ${target}` : ''}${off}`);
  }
  if (images.length > MAX_LISTED) lines.push(`- and ${images.length - MAX_LISTED} more`);
  const first = mirrorLine(images[0], config);
  if (first && !first.startsWith('Mirror (')) lines.push('', first);
  return lines;
}
