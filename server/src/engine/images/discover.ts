// Finding every container image in a values tree, in the shapes real charts use
// (research/domain.md §2.3), and composing each into the reference the chart renders.
//
// Discovery walks plain values (aliases and merge keys already applied), not the YAML AST, so
// the same code runs on one file (`doc.values` + `documentLocator(doc)`) and on the merged
// values of a layer stack (merged values + a locator that answers with the layer a value came
// from). Positions are looked up only for the fields of the images found.
//
// Shapes:
// - split object `{registry, repository, tag, digest | sha}` (Bitnami, kube-prometheus-stack,
//   trivy-operator's `nodeCollector`, any key name): recognised by shape;
// - repository with a host, no registry (`repository: docker.io/goharbor/harbor-core`);
// - `{name}` / `{image}` under an image key (cert-manager's `image.name` with top-level
//   `imageRegistry` + `imageNamespace`, Datadog's `image.name` + top-level `registry`,
//   ingress-nginx's `image.image`);
// - a string under `image` or a `…Image` key (`image: postgres:16-alpine`, `initImage`), with
//   the nearest `registry` string beside it or above it (HolmesGPT: `image: holmes:0.39.0` +
//   `registry: robustadev`; MCP add-ons sharing a parent-level `registry`);
// - Robusta's `<component>.imageName: name:tag` under the top-level `image.registry`;
// - kubernaut's `global.image.{registry, namespace, separator, tag, digest}` composition of the
//   chart's own service images (one image stands for all of them: `<service>`);
// - partial overrides (`image: {digest: …}` or `{tag: …}` with no repository) in an overlay:
//   recorded, composed only once merged with the layer that names the repository.
//
// Global registry keys, as the charts' templates apply them: `global.imageRegistry` (Bitnami,
// kube-prometheus-stack, grafana: wins over an image's own `registry`), `global.image.registry`
// (ingress-nginx; kubernaut's when it composes), cert-manager's top-level `imageRegistry`,
// Datadog's top-level `registry`, Rancher's `systemDefaultRegistry`. A registry value without
// `.`, `:` or `localhost` is a Docker Hub namespace: Robusta's `image.registry: robustadev`
// renders docker.io/robustadev/…
import { type Alias, type Scalar, type ValuesDocument, type YamlNode, isAlias } from '../document';
import type { ChartInfo } from '../chart';
import type { MergedLayers } from '../layers';
import { holds, type ChartKnowledge, type Condition } from '../knowledge';
import { parsePath, valueAtPattern } from '../knowledge/paths';
import type { JsonValue, ValuePath } from '../types';
import { pathText } from '../value-path';
import { type NormalizeResult, parseNormalizedNamed } from './normalize';
import { type FieldRole, type ImageField, type Segment, hasPlaceholder, placeholderStandIn, renderSegments } from './compose';

/** Where a value is written: the document (a layer, when merged) and its node and key. */
export interface ValueOrigin {
  doc: ValuesDocument;
  node: YamlNode | null;
  key?: Scalar;
  /** The path went through an alias or merge key: edits there would change the anchor. */
  viaAlias?: Alias;
  /** Index of the layer in a merged stack (0 = base); undefined for a single file. */
  layer?: number;
}

export type Locator = (path: ValuePath) => ValueOrigin | undefined;

/** Locator for one file. */
export function documentLocator(doc: ValuesDocument): Locator {
  return (path) => {
    const loc = doc.locate(path);
    if (!loc) return undefined;
    let node = loc.node;
    let viaAlias = loc.viaAlias;
    // A value that is an alias (`image: *img`) is written at its anchor.
    if (node && isAlias(node)) {
      viaAlias ??= node;
      node = doc.aliasTarget(node) ?? null;
    }
    const origin: ValueOrigin = { doc, node };
    if (loc.key) origin.key = loc.key;
    if (viaAlias) origin.viaAlias = viaAlias;
    return origin;
  };
}

/** Locator for the merged values of a layer stack: each value where its topmost layer writes it. */
export function layersLocator(merged: MergedLayers): Locator {
  return (path) => {
    const r = merged.locate(path);
    if (!r || !r.location) return undefined;
    let node = r.location.node;
    let viaAlias = r.location.viaAlias;
    if (node && isAlias(node)) {
      viaAlias ??= node;
      node = r.doc.aliasTarget(node) ?? null;
    }
    const origin: ValueOrigin = { doc: r.doc, node, layer: r.layer };
    if (r.location.key) origin.key = r.location.key;
    if (viaAlias) origin.viaAlias = viaAlias;
    return origin;
  };
}

/** A field of an image, with where it is written (undefined when the locator cannot tell). */
export interface LocatedField extends ImageField {
  origin?: ValueOrigin;
}

export type ImageShape = 'split' | 'name' | 'string' | 'imageName' | 'globalComposite' | 'composed' | 'partial';

export interface DiscoveredImage {
  /** Values path of the image: the object, or the string. */
  path: ValuePath;
  shape: ImageShape;
  /** Where the image value (object or string) is written. */
  origin?: ValueOrigin;
  /** Every field read for this image, by role (a role appears at most once). */
  fields: Partial<Record<FieldRole, LocatedField>>;
  /** The rendered reference as segments (empty for a partial override). */
  segments: Segment[];
  /** The reference the chart renders (tag filled from appVersion when the chart does that). */
  reference: string;
  /** For messages: like `reference`, with `<service>` for kubernaut's per-service name. */
  display: string;
  /**
   * The normalised reference (docker.io and library/ added). For a reference with `<…>`
   * placeholders, the parse of a same-length stand-in, so spans still line up.
   */
  parsed: NormalizeResult;
  /** The reference contains an unreplaced `<…>` placeholder. */
  placeholder: boolean;
  /** No tag written: 'appVersion' = filled from Chart.yaml; 'chart' = left to the (sub)chart's default. */
  tagDefault?: 'appVersion' | 'chart';
  /**
   * The field whose text carries the registry host: an own or shared registry field, or the
   * repository/reference string when the host is written inside it. Undefined when the
   * registry is implied (Docker Hub).
   */
  registryField?: LocatedField;
  /** The top-level key of the Chart.yaml dependency (subchart) the image belongs to. */
  subchart?: string;
  /** A chart-knowledge composed image: the name it composes (`gateway`) and where the fact comes from. */
  composed?: { name: string; origin: string; source?: string };
  /** The image exists only when this condition holds (chart knowledge: an optional component). */
  optional?: { when: Condition; origin: string };
}

export interface GlobalRegistryKeys {
  /** `global.imageRegistry` when non-empty (or `global.image.registry` of a non-composing chart). */
  globalRegistry?: LocatedField;
  /** cert-manager's top-level `imageRegistry`. */
  imageRegistry?: LocatedField;
  imageNamespace?: LocatedField;
  /** Datadog's / HolmesGPT's top-level `registry` string. */
  rootRegistry?: LocatedField;
  /** Robusta's top-level `image.registry` for `<component>.imageName`. */
  imageHolderRegistry?: LocatedField;
}

export interface Discovery {
  images: DiscoveredImage[];
  globals: GlobalRegistryKeys;
}

/** What image discovery asks of chart knowledge (knowledge/ChartKnowledge answers it). */
export type ImageKnowledge = Pick<ChartKnowledge, 'empty' | 'composedImages' | 'notImageAt' | 'registryKeysFor' | 'conditionAt' | 'imageAt' | 'subchartAt' | 'registryDefaultFor' | 'mayHaveFactsAt'>;

export interface DiscoverOptions {
  chart?: ChartInfo;
  /** Chart knowledge: images the templates compose, registry fallbacks, look-alikes, conditions. */
  knowledge?: ImageKnowledge;
  /** Stop after this many images (hostile input); default 10 000. */
  maxImages?: number;
}

type JsonMap = { [k: string]: JsonValue };

function isMap(v: JsonValue | undefined): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a template prints for a scalar; undefined for null, maps and lists. */
function rendered(v: JsonValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function nonEmpty(v: JsonValue | undefined): string | undefined {
  const s = rendered(v);
  return s !== undefined && s.trim() !== '' ? s : undefined;
}

/** `image`, `initImage`, `thanosImage`, `multiOrgImage`, `db_image`: keys that hold an image. */
export function isImageKey(key: string): boolean {
  return key === 'image' || /[a-z0-9]Image$/.test(key) || /[a-z0-9]_image$/.test(key);
}

/** A string that could be an image reference as written (placeholders allowed). */
function looksLikeReference(s: string): boolean {
  if (s.length === 0 || s.length > 4096) return false;
  if (/\s/.test(s) || s.includes('{{') || s.includes('://')) return false;
  if (s.startsWith('/') || s.startsWith('.') || s.startsWith('$')) return false;
  return true;
}

const HOST_FIRST = (s: string): boolean => {
  const slash = s.indexOf('/');
  if (slash <= 0) return false;
  const first = s.slice(0, slash);
  return first === 'localhost' || first.includes('.') || first.includes(':') || /^<[^>]*>$/.test(first);
};

/** True when a repository or reference string begins with a registry host (`quay.io/…`, `<mirror-registry>/…`). */
export function startsWithHost(s: string): boolean {
  return HOST_FIRST(s);
}

/** Whether a reference string already carries a tag or a digest (`repo:1.2`, `repo@sha256:…`). */
function hasTagOrDigest(reference: string): boolean {
  if (reference.includes('@')) return true;
  const lastSlash = reference.lastIndexOf('/');
  return reference.indexOf(':', lastSlash + 1) >= 0;
}

/**
 * `repository` is an organisation and `name` the image under it (`repository: stackvista`,
 * `name: agent`): a plain image name that the repository does not already end with.
 */
function isOrganisationAndName(repository: string, name: string): boolean {
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name)) return false;
  const last = repository.slice(repository.lastIndexOf('/') + 1);
  return last !== name && !repository.includes(':') && !repository.includes('@');
}

const SPLIT_PART_KEYS = ['registry', 'tag', 'digest', 'sha', 'pullPolicy'];
const PARTIAL_KEYS = ['registry', 'tag', 'digest', 'sha'];

export function discoverImages(values: JsonValue, locate: Locator, options: DiscoverOptions = {}): Discovery {
  const chart = options.chart;
  const knowledge = options.knowledge && !options.knowledge.empty ? options.knowledge : undefined;
  const maxImages = options.maxImages ?? 10_000;
  const images: DiscoveredImage[] = [];
  const root = isMap(values) ? values : {};

  const field = (role: FieldRole, path: ValuePath, raw: JsonValue): LocatedField => {
    const f: LocatedField = { role, path, raw, value: rendered(raw) ?? '' };
    const origin = locate(path);
    if (origin) f.origin = origin;
    return f;
  };

  // ---- global registry keys
  const globals: GlobalRegistryKeys = {};
  const global = isMap(root.global) ? root.global : undefined;
  let composite: JsonMap | undefined;
  if (global) {
    if (nonEmpty(global.imageRegistry) !== undefined) globals.globalRegistry = field('sharedRegistry', ['global', 'imageRegistry'], global.imageRegistry);
    const gi = isMap(global.image) ? global.image : undefined;
    if (gi) {
      if ('namespace' in gi || 'separator' in gi) composite = gi;
      else if (!globals.globalRegistry && nonEmpty(gi.registry) !== undefined && !('repository' in gi)) {
        globals.globalRegistry = field('sharedRegistry', ['global', 'image', 'registry'], gi.registry);
      }
    }
  }
  // Rancher: `systemDefaultRegistry` prefixes every image of the chart.
  if (!globals.globalRegistry && nonEmpty(root.systemDefaultRegistry) !== undefined) {
    globals.globalRegistry = field('sharedRegistry', ['systemDefaultRegistry'], root.systemDefaultRegistry);
  }
  if (nonEmpty(root.imageRegistry) !== undefined) globals.imageRegistry = field('sharedRegistry', ['imageRegistry'], root.imageRegistry);
  if (nonEmpty(root.imageNamespace) !== undefined) globals.imageNamespace = field('namespace', ['imageNamespace'], root.imageNamespace);
  if (nonEmpty(root.registry) !== undefined) globals.rootRegistry = field('sharedRegistry', ['registry'], root.registry);
  const rootImage = isMap(root.image) ? root.image : undefined;
  const rootImageIsHolder = rootImage !== undefined && !['repository', 'name', 'image', 'tag', 'digest', 'sha'].some((k) => k in rootImage);
  if (rootImageIsHolder && nonEmpty(rootImage!.registry) !== undefined) {
    globals.imageHolderRegistry = field('sharedRegistry', ['image', 'registry'], rootImage!.registry);
  }

  const subchartOf = (path: ValuePath): string | undefined => {
    const top = path[0];
    if (typeof top !== 'string') return undefined;
    if (chart?.dependencies.some((d) => d.key === top)) return top;
    return knowledge?.subchartAt(path) ? top : undefined;
  };

  // The tag a template falls back to when an image object leaves `tag` empty.
  const defaultTag = (path: ValuePath): { text?: string; kind: 'appVersion' | 'chart' } => {
    const known = knowledge?.imageAt(path)?.facts.defaultTag;
    if (known !== undefined && (!known.includes('{appVersion}') || chart?.appVersion)) {
      return { text: known.replace(/\{appVersion\}/g, chart?.appVersion ?? ''), kind: 'appVersion' };
    }
    if (subchartOf(path)) return { kind: 'chart' }; // the subchart's appVersion: not known here
    if (chart?.appVersion) return { text: chart.appVersion, kind: 'appVersion' };
    return { kind: 'chart' };
  };

  const finish = (img: Omit<DiscoveredImage, 'reference' | 'display' | 'parsed' | 'placeholder'> & { display?: string }) => {
    const reference = renderSegments(img.segments);
    const placeholder = hasPlaceholder(reference);
    const parsed = parseNormalizedNamed(placeholder ? placeholderStandIn(reference) : reference);
    const full: DiscoveredImage = { ...img, reference, display: img.display ?? reference, parsed, placeholder };
    const origin = locate(img.path);
    if (origin) full.origin = origin;
    const sub = subchartOf(img.path);
    if (sub) full.subchart = sub;
    if (knowledge && !full.optional) {
      const cond = knowledge.conditionAt(img.path);
      if (cond) full.optional = { when: cond.when, origin: cond.applied.origin };
    }
    // A subchart's image exists only when the subchart is on (its Chart.yaml `condition`).
    if (!full.optional && sub && chart) {
      const condition = chart.dependencies.find((d) => d.key === sub)?.condition?.split(',')[0]?.trim();
      const when = condition ? parsePath(condition) : undefined;
      if (when) full.optional = { when: { op: 'truthy', path: when, default: true }, origin: chart.path };
    }
    images.push(full);
  };

  /**
   * The registry an image with an empty or absent own `registry` falls back to, as templates
   * write `.registry | default .Values.registry`: the chart knowledge's `registryKeys`, else a
   * top-level `imageRegistry` or `registry` string of the chart (not of a subchart's values).
   */
  const fallbackRegistry = (path: ValuePath): LocatedField | undefined => {
    const keys = knowledge?.registryKeysFor(path) ?? [];
    for (const key of keys) {
      const v = valueAtPattern(root, key);
      if (nonEmpty(v) !== undefined) return field('sharedRegistry', key, v!);
    }
    // Every key empty: the chart's own default, written where the first key is (so a mirror fix
    // sets that key), or nowhere when the values do not have it.
    const registryDefault = knowledge?.registryDefaultFor(path);
    if (registryDefault && keys.length) {
      const f = field('sharedRegistry', keys[0], valueAtPattern(root, keys[0]) ?? '');
      return { ...f, value: registryDefault };
    }
    if (subchartOf(path)) return undefined;
    return globals.imageRegistry ?? globals.rootRegistry;
  };

  /** Tag and digest segments of an image object. */
  const tagAndDigest = (obj: JsonMap, path: ValuePath, fields: DiscoveredImage['fields'], segments: Segment[]): 'appVersion' | 'chart' | undefined => {
    let tagDefault: 'appVersion' | 'chart' | undefined;
    const tagText = nonEmpty(obj.tag);
    if (tagText !== undefined) {
      fields.tag = field('tag', [...path, 'tag'], obj.tag);
      segments.push({ text: ':', part: 'glue' }, { text: fields.tag.value, field: fields.tag, part: 'tag' });
    } else {
      const d = defaultTag(path);
      tagDefault = d.kind;
      if (d.text) segments.push({ text: ':', part: 'glue' }, { text: d.text, part: 'tag' });
    }
    const digest = nonEmpty(obj.digest);
    const sha = nonEmpty(obj.sha);
    if (digest !== undefined) {
      fields.digest = field('digest', [...path, 'digest'], obj.digest);
      segments.push({ text: '@', part: 'glue' }, { text: fields.digest.value, field: fields.digest, part: 'digest' });
    } else if (sha !== undefined) {
      fields.sha = field('sha', [...path, 'sha'], obj.sha);
      // kube-prometheus-stack writes bare hex and its template adds "sha256:"; kube-state-metrics takes the prefix.
      const prefix = fields.sha.value.includes(':') ? '@' : '@sha256:';
      segments.push({ text: prefix, part: 'glue' }, { text: fields.sha.value, field: fields.sha, part: 'digest' });
    }
    return tagDefault;
  };

  const objectImage = (obj: JsonMap, path: ValuePath) => {
    const fields: DiscoveredImage['fields'] = {};
    const segments: Segment[] = [];
    let registryField: LocatedField | undefined;
    let shape: ImageShape = 'split';
    const repository = nonEmpty(obj.repository);
    const imageKey = repository === undefined ? nonEmpty(obj.image) : undefined;
    const name = repository === undefined && imageKey === undefined ? nonEmpty(obj.name) : undefined;
    const own = nonEmpty(obj.registry) !== undefined ? field('registry', [...path, 'registry'], obj.registry) : undefined;

    if (repository !== undefined || imageKey !== undefined) {
      const key = repository !== undefined ? 'repository' : 'image';
      fields.repository = field('repository', [...path, key], obj[key]);
      const repoHasHost = startsWithHost(fields.repository.value);
      // A global registry wins over the image's own (Bitnami's `default .registry global.imageRegistry`,
      // kube-prometheus-stack's `global.imageRegistry | default .registry`); a repository that names
      // its host is rendered as written.
      const registry = repoHasHost ? own : globals.globalRegistry ?? own ?? fallbackRegistry(path);
      if (own) fields.registry = own;
      if (registry) {
        if (registry !== own) fields.sharedRegistry = registry;
        segments.push({ text: registry.value, field: registry, part: 'registry' }, { text: '/', part: 'glue' });
        registryField = registry;
      } else if (repoHasHost) registryField = fields.repository;
      segments.push({ text: fields.repository.value, field: fields.repository, part: 'path' });
      // `{registry, repository: <organisation>, name: <image>}` renders registry/repository/name.
      const imageName = repository !== undefined ? nonEmpty(obj.name) : undefined;
      if (imageName !== undefined && isOrganisationAndName(fields.repository.value, imageName)) {
        fields.name = field('name', [...path, 'name'], obj.name);
        segments.push({ text: '/', part: 'glue' }, { text: imageName, field: fields.name, part: 'path' });
      }
    } else if (name !== undefined) {
      // cert-manager: imageRegistry/imageNamespace/name; Datadog: registry/name. A deprecated own
      // `registry` is prepended to all of it (cert-manager documents the doubled host it makes).
      shape = 'name';
      fields.repository = field('repository', [...path, 'name'], obj.name);
      const shared = globals.imageRegistry ?? globals.rootRegistry ?? globals.globalRegistry ?? fallbackRegistry(path);
      if (own) {
        fields.registry = own;
        segments.push({ text: own.value, field: own, part: 'registry' }, { text: '/', part: 'glue' });
        registryField = own;
      }
      if (shared) {
        fields.sharedRegistry = shared;
        segments.push({ text: shared.value, field: shared, part: own ? 'path' : 'registry' }, { text: '/', part: 'glue' });
        registryField ??= shared;
      }
      if (globals.imageNamespace) {
        fields.namespace = globals.imageNamespace;
        segments.push({ text: globals.imageNamespace.value, field: globals.imageNamespace, part: 'path' }, { text: '/', part: 'glue' });
      }
      segments.push({ text: fields.repository.value, field: fields.repository, part: 'path' });
    } else return;
    const tagDefault = tagAndDigest(obj, path, fields, segments);
    const img: Parameters<typeof finish>[0] = { path, shape, fields, segments };
    if (tagDefault) img.tagDefault = tagDefault;
    if (registryField) img.registryField = registryField;
    finish(img);
  };

  /**
   * One image per name of a chart-knowledge template (`{global.image.registry}/…/{name}`). Only
   * where the values write one of its keys: a file that sets none of them (a chart's values.yaml
   * whose defaults live elsewhere, an overlay about something else) defines none of these images;
   * the stack's merged values (with schema defaults underneath) do.
   */
  const composedImages = (spec: ReturnType<ImageKnowledge['composedImages']>[number]) => {
    const c = spec.facts;
    const keys = [...c.reference.flatMap((p) => ('path' in p ? [p.path] : [])), ...(c.tag ? [c.tag] : []), ...(c.digest ? [c.digest] : [])];
    if (!keys.some((k) => valueAtPattern(root, k) !== undefined)) return;
    for (const entry of c.names) {
      if (images.length >= maxImages) return;
      const fields: DiscoveredImage['fields'] = {};
      const segments: Segment[] = [];
      let registryField: LocatedField | undefined;
      let beforeFirstSlash = true;
      let anchor: ValuePath | undefined;
      for (const part of c.reference) {
        if ('text' in part) {
          segments.push({ text: part.text, part: beforeFirstSlash && !part.text.includes('/') ? 'registry' : 'glue' });
          if (part.text.includes('/')) beforeFirstSlash = false;
        } else if ('name' in part) {
          segments.push({ text: entry.name, part: 'path' });
          beforeFirstSlash = false;
        } else {
          const raw = valueAtPattern(root, part.path);
          const text = nonEmpty(raw);
          anchor ??= part.path;
          const role: FieldRole = beforeFirstSlash ? 'sharedRegistry' : fields.namespace ? (fields.separator ? 'repository' : 'separator') : 'namespace';
          if (text === undefined) {
            if (!part.fallback) continue;
            // The chart's default for an unset key: still a field, so that a fix or an overlay can set the key.
            const f = field(role, part.path, part.fallback);
            if (!fields[role]) fields[role] = f;
            segments.push({ text: part.fallback, field: f, part: beforeFirstSlash ? 'registry' : 'path' });
            if (beforeFirstSlash) registryField ??= f;
            continue;
          }
          const f = field(role, part.path, raw!);
          if (!fields[role]) fields[role] = f;
          segments.push({ text, field: f, part: beforeFirstSlash ? 'registry' : 'path' });
          if (beforeFirstSlash) registryField ??= f;
        }
      }
      let tagDefault: 'appVersion' | 'chart' | undefined;
      const digestRaw = c.digest ? valueAtPattern(root, c.digest) : undefined;
      const tagRaw = c.tag ? valueAtPattern(root, c.tag) : undefined;
      if (c.digest && nonEmpty(digestRaw) !== undefined) {
        fields.digest = field('digest', c.digest, digestRaw!);
        segments.push({ text: '@', part: 'glue' }, { text: fields.digest.value, field: fields.digest, part: 'digest' });
      } else if (c.tag && nonEmpty(tagRaw) !== undefined) {
        fields.tag = field('tag', c.tag, tagRaw!);
        segments.push({ text: ':', part: 'glue' }, { text: fields.tag.value, field: fields.tag, part: 'tag' });
      } else if (c.defaultTag === 'appVersion') {
        tagDefault = chart?.appVersion ? 'appVersion' : 'chart';
        if (chart?.appVersion) segments.push({ text: ':', part: 'glue' }, { text: chart.appVersion, part: 'tag' });
      } else if (c.defaultTag) segments.push({ text: ':', part: 'glue' }, { text: c.defaultTag, part: 'tag' });
      // The tag key is set in another layer (or left to the chart): not judged from this file alone.
      else if (c.tag && tagRaw === undefined) tagDefault = 'chart';
      // The image is "at" its registry key: the value a mirror fix edits and findings point at.
      const written = [registryField, fields.namespace, fields.tag, fields.digest].find((x) => x?.origin?.node);
      const at = registryField?.path ?? written?.path ?? anchor ?? spec.pattern;
      const img: Parameters<typeof finish>[0] = { path: at, shape: 'composed', fields, segments };
      if (tagDefault) img.tagDefault = tagDefault;
      if (registryField) img.registryField = registryField;
      img.composed = { name: entry.name, origin: spec.applied.origin, ...(entry.source ?? c.source ? { source: entry.source ?? c.source } : {}) };
      if (entry.when) img.optional = { when: entry.when, origin: spec.applied.origin };
      finish(img);
    }
  };

  const partialImage = (obj: JsonMap, path: ValuePath) => {
    const fields: DiscoveredImage['fields'] = {};
    if (nonEmpty(obj.registry) !== undefined) fields.registry = field('registry', [...path, 'registry'], obj.registry);
    if (nonEmpty(obj.tag) !== undefined) fields.tag = field('tag', [...path, 'tag'], obj.tag);
    if (nonEmpty(obj.digest) !== undefined) fields.digest = field('digest', [...path, 'digest'], obj.digest);
    if (nonEmpty(obj.sha) !== undefined) fields.sha = field('sha', [...path, 'sha'], obj.sha);
    if (!Object.keys(fields).length) return;
    const img: Parameters<typeof finish>[0] = { path, shape: 'partial', fields, segments: [] };
    if (fields.registry) img.registryField = fields.registry;
    finish(img);
  };

  /** `holder`: the nearest map beside or above the key with a `registry` string (HolmesGPT and its MCP add-ons). */
  const stringImage = (value: string, path: ValuePath, holder: { map: JsonMap; path: ValuePath } | undefined, role: 'string' | 'imageName', sibling?: { map: JsonMap; path: ValuePath }) => {
    const fields: DiscoveredImage['fields'] = {};
    const segments: Segment[] = [];
    let registryField: LocatedField | undefined;
    let registry: LocatedField | undefined;
    if (role === 'imageName') registry = globals.imageHolderRegistry;
    else if (holder) {
      const shared = holder.map.registry as string;
      if (shared.trim() !== '' && looksLikeReference(shared)) {
        registry = holder.path.length === 0 && globals.rootRegistry ? globals.rootRegistry : field('sharedRegistry', [...holder.path, 'registry'], shared);
      }
    }
    fields.reference = field('reference', path, value);
    if (registry) {
      fields.sharedRegistry = registry;
      segments.push({ text: registry.value, field: registry, part: 'registry' }, { text: '/', part: 'glue' });
      registryField = registry;
    } else if (startsWithHost(value)) registryField = fields.reference;
    segments.push({ text: value, field: fields.reference, part: 'glue' });
    // `image: repo/name` with a sibling `imageTag` (or `tag`): the template appends it.
    if (sibling && !hasTagOrDigest(value)) {
      const tagKey = nonEmpty(sibling.map.imageTag) !== undefined ? 'imageTag' : nonEmpty(sibling.map.tag) !== undefined ? 'tag' : undefined;
      if (tagKey) {
        fields.tag = field('tag', [...sibling.path, tagKey], sibling.map[tagKey]);
        segments.push({ text: ':', part: 'glue' }, { text: fields.tag.value, field: fields.tag, part: 'tag' });
      }
    }
    const img: Parameters<typeof finish>[0] = { path, shape: role === 'imageName' ? 'imageName' : 'string', fields, segments };
    if (registryField) img.registryField = registryField;
    finish(img);
  };

  const composedSpecs = knowledge?.composedImages() ?? [];

  // kubernaut: <registry>/<namespace><separator><service>:<tag | appVersion> or @<digest>.
  // Without chart knowledge one image stands for all of the chart's services.
  if (composite && composedSpecs.length === 0) {
    const path: ValuePath = ['global', 'image'];
    const fields: DiscoveredImage['fields'] = {};
    const segments: Segment[] = [];
    let display = '';
    if (nonEmpty(composite.registry) !== undefined) {
      fields.sharedRegistry = field('sharedRegistry', [...path, 'registry'], composite.registry);
      segments.push({ text: fields.sharedRegistry.value, field: fields.sharedRegistry, part: 'registry' }, { text: '/', part: 'glue' });
    }
    const ns = nonEmpty(composite.namespace);
    if (ns !== undefined) {
      fields.namespace = field('namespace', [...path, 'namespace'], composite.namespace);
      segments.push({ text: fields.namespace.value, field: fields.namespace, part: 'path' });
      if (rendered(composite.separator) !== undefined) {
        fields.separator = field('separator', [...path, 'separator'], composite.separator);
        segments.push({ text: fields.separator.value, field: fields.separator, part: 'path' });
      } else segments.push({ text: '/', part: 'path' });
    }
    display = renderSegments(segments) + '<service>';
    segments.push({ text: 'service', part: 'path' });
    let tagDefault: 'appVersion' | 'chart' | undefined;
    if (nonEmpty(composite.digest) !== undefined) {
      fields.digest = field('digest', [...path, 'digest'], composite.digest);
      segments.push({ text: '@', part: 'glue' }, { text: fields.digest.value, field: fields.digest, part: 'digest' });
      display += `@${fields.digest.value}`;
    } else if (nonEmpty(composite.tag) !== undefined) {
      fields.tag = field('tag', [...path, 'tag'], composite.tag);
      segments.push({ text: ':', part: 'glue' }, { text: fields.tag.value, field: fields.tag, part: 'tag' });
      display += `:${fields.tag.value}`;
    } else {
      const d = defaultTag(path);
      tagDefault = d.kind;
      if (d.text) {
        segments.push({ text: ':', part: 'glue' }, { text: d.text, part: 'tag' });
        display += `:${d.text}`;
      }
    }
    const img: Parameters<typeof finish>[0] = { path, shape: 'globalComposite', fields, segments, display };
    if (tagDefault) img.tagDefault = tagDefault;
    if (fields.sharedRegistry) img.registryField = fields.sharedRegistry;
    finish(img);
  }

  // ---- the walk, in document order. Depth is bounded by the document's own limit (500).
  // One mutable path and ancestor stack for the whole walk (a copy per node made the walk
  // allocate O(depth) per value); a path is copied only when an image keeps it.
  let budget = 2_000_000; // nodes; aliases can make a tree far larger than its text
  const path: ValuePath = [];
  const ancestors: Array<{ map: JsonMap; depth: number }> = [];
  const nearestRegistry = (): { map: JsonMap; path: ValuePath } | undefined => {
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const a = ancestors[i];
      if ('registry' in a.map && typeof a.map.registry === 'string') return { map: a.map, path: path.slice(0, a.depth) };
    }
    return undefined;
  };
  const walk = (value: JsonValue): void => {
    if (budget-- <= 0 || images.length >= maxImages || path.length > 600) return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item !== 'object' || item === null) continue;
        path.push(i);
        walk(item);
        path.pop();
      }
      return;
    }
    if (!isMap(value)) return;
    ancestors.push({ map: value, depth: path.length });
    const depth = path.length;
    for (const key of Object.keys(value)) {
      const child = value[key];
      if (depth === 0 && key === 'image' && rootImageIsHolder) continue;
      if (depth === 1 && path[0] === 'global' && key === 'image' && isMap(child) && (composite === child || !('repository' in child))) continue;
      if (typeof child === 'string') {
        const annotated = knowledge?.mayHaveFactsAt(key) ?? false;
        if (annotated && knowledge!.notImageAt([...path, key])) continue;
        if (key === 'imageName' && globals.imageHolderRegistry && (value.image === null || value.image === undefined) && looksLikeReference(child)) {
          stringImage(child, [...path, key], undefined, 'imageName');
        } else if ((isImageKey(key) || (annotated && knowledge!.imageAt([...path, key]))) && looksLikeReference(child)) {
          stringImage(child, [...path, key], nearestRegistry(), 'string', key === 'image' ? { map: value, path: path.slice() } : undefined);
        }
        continue;
      }
      if (typeof child !== 'object' || child === null) continue;
      path.push(key);
      if (Array.isArray(child)) {
        walk(child);
        path.pop();
        continue;
      }
      const repo = child.repository;
      const repoIsString = typeof repo === 'string' && !repo.includes('://');
      const byShape = repoIsString && SPLIT_PART_KEYS.some((k) => k in child);
      // A key the chart knowledge names as an image counts like one named `image`.
      const annotated = knowledge?.mayHaveFactsAt(key) ?? false;
      const imageish = isImageKey(key) || (annotated && knowledge!.imageAt(path) !== undefined);
      const hasNameKey = imageish && (typeof child.name === 'string' || typeof child.image === 'string');
      // `notImage`: this value is no image (its children may be: a group of images is walked).
      const notImage = annotated && knowledge!.notImageAt(path);
      let done = false;
      if (!notImage && (byShape || (imageish && (repoIsString || hasNameKey)))) {
        const before = images.length;
        objectImage(child, path.slice());
        done = images.length > before;
      }
      if (!done && !notImage && imageish && !('repository' in child) && !('name' in child) && !('image' in child) && PARTIAL_KEYS.some((k) => k in child)) {
        if (!Object.values(child).some((v) => isMap(v))) {
          partialImage(child, path.slice());
          done = true;
        }
      }
      if (!done) walk(child);
      path.pop();
    }
    ancestors.pop();
  };
  walk(root);
  // Chart knowledge: images only the templates compose (kubernaut's services), one per name,
  // after the images the values spell out.
  for (const spec of composedSpecs) composedImages(spec);
  return { images, globals };
}

// ---------------------------------------------------------------- per-document cache

const documentCache = new WeakMap<ValuesDocument, { chart?: ChartInfo; knowledge?: ImageKnowledge; discovery: Discovery }>();

/** Discovery for one file, cached per parsed document (the engine re-parses only on change). */
export function discoverInDocument(doc: ValuesDocument, chart?: ChartInfo, knowledge?: ImageKnowledge): Discovery {
  const hit = documentCache.get(doc);
  if (hit && hit.chart === chart && hit.knowledge === knowledge) return hit.discovery;
  const discovery = discoverImages(doc.values, documentLocator(doc), { chart, knowledge });
  documentCache.set(doc, { chart, knowledge, discovery });
  return discovery;
}

const mergedCache = new WeakMap<MergedLayers, { chart?: ChartInfo; knowledge?: ImageKnowledge; discovery: Discovery }>();

/** Discovery on the merged values of a stack, cached per merge (layers.ts keeps it while no layer changes). */
export function discoverInLayers(merged: MergedLayers, chart?: ChartInfo, knowledge?: ImageKnowledge): Discovery {
  const hit = mergedCache.get(merged);
  if (hit && hit.chart === chart && hit.knowledge === knowledge) return hit.discovery;
  const discovery = discoverImages(merged.values, layersLocator(merged), { chart, knowledge });
  mergedCache.set(merged, { chart, knowledge, discovery });
  return discovery;
}

// ---------------------------------------------------------------- which images count

/** An image's identity in one discovery: its path, and the name of a composed image (several share a path). */
export function imageIdentity(img: DiscoveredImage): string {
  return img.composed ? `${pathText(img.path)}#${img.composed.name}` : pathText(img.path);
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
