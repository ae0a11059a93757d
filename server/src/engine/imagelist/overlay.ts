// The air-gap overlay (`images --format overlay`, "Generate Air-Gap Overlay"): a values file
// that, layered last, points every image of the stack at `mirror.registry` by overriding the
// fields that carry the registry (the chart's registry keys, a separator for a flat layout, the
// whole string where a chart takes one) and never a tag or a digest: pinning tags in an overlay
// makes every chart upgrade roll the images back. It also sets the pull secret for the chart and
// for every subchart that does not inherit `global.imagePullSecrets`, and Bitnami's
// `allowInsecureImages` when a Bitnami chart is relocated (product.md, "Air-gapped clusters").
import * as nodePath from 'node:path';
import { Document } from 'yaml';
import type { ResolvedConfig } from '../config';
import { discoverInLayers, imageIdentity, type LocatedField } from '../images/discover';
import { mirrorReference } from '../images/mirror';
import { mirrorOverrides } from '../images/mirror-plan';
import { isAirgapOverlay } from '../images/registries';
import { imageStack } from '../images/stack';
import type { ChartKnowledge } from '../knowledge';
import { mergeLayers } from '../layers';
import type { JsonValue, ValuePath } from '../types';
import { pathText, valueAt } from '../value-path';
import type { ImageListSource } from './collect';

export interface OverlayOptions {
  /** How files are named in the header (default: base names). */
  displayPath?: (absPath: string) => string;
  /** The pull secret the overlay names (default `airgap-registry-credentials`). */
  pullSecret?: string;
}

export interface OverlayResult {
  text: string;
  /** What the overlay sets, as values. */
  values: { [k: string]: JsonValue };
  /** Images it could not move by registry fields alone, and other things to know. */
  notes: string[];
}

export const DEFAULT_PULL_SECRET = 'airgap-registry-credentials';

type JsonMap = { [k: string]: JsonValue };
const isMap = (v: JsonValue | undefined): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Roles a registry override may change (never a tag or a digest). */
const MOVABLE = new Set(['registry', 'sharedRegistry', 'separator', 'namespace', 'repository', 'reference', 'name']);

function setAt(target: JsonMap, path: ValuePath, value: JsonValue): 'set' | 'same' | 'conflict' | 'list' {
  if (path.some((p) => typeof p === 'number')) return 'list';
  let node = target;
  for (const seg of path.slice(0, -1)) {
    const key = String(seg);
    if (!isMap(node[key])) node[key] = {};
    node = node[key] as JsonMap;
  }
  const last = String(path[path.length - 1]);
  if (last in node) return JSON.stringify(node[last]) === JSON.stringify(value) ? 'same' : 'conflict';
  node[last] = value;
  return 'set';
}

/** The pull-secret list in the shape the chart already uses: `[name]` or `[{name}]`. */
function secretList(existing: JsonValue | undefined, name: string): JsonValue {
  if (Array.isArray(existing) && existing.length && typeof existing[0] === 'string') return [name];
  return [{ name }];
}

export function airgapOverlay(path: string, source: ImageListSource, options: OverlayOptions = {}): OverlayResult | { error: string } {
  const doc = source.getDocument(nodePath.resolve(path));
  if (!doc) return { error: `${path} cannot be read.` };
  const config: ResolvedConfig = source.configFor(doc.path);
  const mirror = config.mirror.parsed;
  if (!mirror) {
    return { error: config.mirror.problem ? `mirror.registry is not usable: ${config.mirror.problem}.` : 'Set mirror.registry in .airgap-lint.yaml (or airgapLint.mirror.registry): the overlay points every image at it.' };
  }
  const display = options.displayPath ?? ((p: string) => nodePath.basename(p));
  const knowledge: ChartKnowledge = source.knowledgeFor(doc.path);
  // The overlay replaces any air-gap overlay of the stack: it is computed from the layers below.
  const stack = imageStack(doc, config, source, { schemaDefaults: 'always', keepLayer: (p) => !isAirgapOverlay(p) });
  const merged = mergeLayers(stack.docs);
  const discovery = discoverInLayers(merged, stack.chart, knowledge.empty ? undefined : knowledge);
  const values: JsonMap = {};
  const notes: string[] = [];
  const moved = new Set<string>();

  for (const img of discovery.images) {
    if (img.shape === 'partial' || moved.has(imageIdentity(img))) continue;
    const label = img.composed ? `${img.composed.name} (composed by the chart)` : pathText(img.path);
    if (img.placeholder || !img.parsed.ok) {
      notes.push(`${label}: "${img.display}" is not a valid image reference; fix it in its layer first.`);
      continue;
    }
    const target = mirrorReference(img.parsed, { registry: mirror, layout: config.mirror.layout });
    if (!target.ok) {
      notes.push(`${label}: no mirror reference (${target.message}).`);
      continue;
    }
    if (target.alreadyMirrored) continue;
    const plan = mirrorOverrides(img, target);
    const fields = plan ? [...plan.keys()] : [];
    // A field the chart says pins a version (Robusta's `imageName` carries the tag) is no registry field.
    if (!plan || fields.some((f: LocatedField) => !MOVABLE.has(f.role) || knowledge.pinsVersionAt(f.path))) {
      notes.push(`${label}: "${img.display}" cannot be pointed at ${target.reference} by overriding registry fields; set it by hand.`);
      continue;
    }
    const outcome = fields.map((f) => ({ f, r: setAt(values, f.path, plan.get(f)!) }));
    for (const { f, r } of outcome) {
      if (r === 'list') notes.push(`${label}: ${pathText(f.path)} is inside a list, which an overlay replaces whole; set it in its layer.`);
      if (r === 'conflict') notes.push(`${label}: ${pathText(f.path)} is shared with another image that needs a different value; set it by hand.`);
    }
    moved.add(imageIdentity(img));
  }

  // Pull secrets: the chart-wide list, and each subchart that does not inherit it.
  const secret = options.pullSecret ?? DEFAULT_PULL_SECRET;
  const patterns = knowledge.pullSecretPatterns().map((p) => p.join('.'));
  const globalKey: ValuePath =
    patterns.includes('global.imagePullSecrets') || valueAt(merged.values, ['global', 'imagePullSecrets']) !== undefined || valueAt(merged.values, ['imagePullSecrets']) === undefined
      ? ['global', 'imagePullSecrets']
      : ['imagePullSecrets'];
  setAt(values, globalKey, secretList(valueAt(merged.values, globalKey), secret));
  for (const sub of knowledge.subcharts()) {
    if (sub.facts.inheritsGlobalPullSecrets || sub.key.includes('.')) continue;
    const key: ValuePath = [sub.key, ...sub.facts.pullSecretsKey.split('.')];
    setAt(values, key, secretList(valueAt(merged.values, key), secret));
  }
  // Bitnami charts refuse relocated images unless told they are the same ones.
  const bitnami = valueAt(merged.values, ['global', 'security', 'allowInsecureImages']) !== undefined || knowledge.applied.some((a) => a.match === 'dependency' && a.origin.includes('bitnami'));
  if (bitnami) setAt(values, ['global', 'security', 'allowInsecureImages'], true);

  const files = stack.docs.filter((d) => !d.path.endsWith('.json')).map((d) => display(d.path));
  const header = [
    ` Air-gap overlay generated by airgap-lint from ${files.join(', ') || display(doc.path)}.`,
    ` Layer it last (helm install … ${files.map((f) => `-f ${f}`).join(' ')} -f values-airgap.yaml).`,
    ` Every image is pulled from ${mirror.registry} (${config.mirror.layout} layout); only the fields that`,
    ' carry the registry are overridden, never a tag or a digest, so chart upgrades keep their images.',
    ` Create the pull secret ${secret} in the release namespace first, e.g.`,
    `   kubectl create secret docker-registry ${secret} --docker-server=${mirror.host} --docker-username=… --docker-password=…`,
  ];
  for (const n of notes) header.push(` NOTE: ${n}`);
  const yamlDoc = new Document(values);
  yamlDoc.commentBefore = header.join('\n');
  return { text: yamlDoc.toString({ lineWidth: 0 }), values, notes };
}

