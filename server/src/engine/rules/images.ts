// Image rules that judge one values file (rules.md "Images and mirrors"): the references its
// images render, whether they pull from the mirror, and the chart traps around registry
// overrides (doubled hosts, flat registries, Bitnami's image verification, pull secrets).
// The overlay-versus-base rules (pinned tags, dropped digests, images an overlay leaves
// upstream) judge the merged values of the file's layer stack: images-layers.ts.
import * as nodePath from 'node:path';
import { isScalar } from 'yaml';
import { readChartBeside } from '../chart';
import { knowledgeOf, valuesAt } from '../knowledge';
import { type DiscoveredImage, type LocatedField, discoverInDocument } from '../images/discover';
import { insertEntriesEdit } from '../edits/insert';
import { replaceInScalarEdit, replaceScalarEdit } from '../edits/scalar';
import { type MirrorTarget, mirrorReference } from '../images/mirror';
import { DEFAULT_DOMAIN, type NormalizedReference, looksLikeRegistryHost } from '../images/normalize';
import { imageStack } from '../images/stack';
import type { Fix, JsonValue, Range, Severity, TextEdit, ValuePath } from '../types';
export { IMAGE_RULE_INFO } from './catalog';
import { deployedOnly, imageIdentity } from '../images/discover';
import { mirrorOverrides, serviceDisplay, targetDisplay, upstreamOf } from '../images/mirror-plan';
import { FLAT_HOSTS, isAirgapOverlay, isPublicRegistry, sameHost } from '../images/registries';
import {
  type FileFacts,
  editableScalar,
  editsFor,
  fieldRange,
  imageRange,
  pathText,
  referenceSpanRange,
  registryRange,
  shorten,
  valueAt,
} from './image-support';
import { checkImageLayers } from './images-layers';
import { checkOddImageValues } from './image-odd-values';
import type { LintContext, RuleModule } from './types';
import { clip, firstFitting } from '../wording';

export { isAirgapOverlay, isPublicRegistry, mirrorOverrides };


// ---------------------------------------------------------------- the rule family

export const imageRules: RuleModule = {
  name: 'images',
  check(ctx: LintContext) {
    const doc = ctx.doc;
    if (doc.values === null || typeof doc.values !== 'object' || Array.isArray(doc.values)) return;
    const chart = readChartBeside(doc.path, ctx.host);
    const knowledge = knowledgeOf(ctx);
    const stack = imageStack(doc, ctx.config, ctx);
    const stackValues = stack.values;
    const discovery = deployedOnly(discoverInDocument(doc, chart, knowledge.empty ? undefined : knowledge), stackValues);

    const seen = new Set<string>();
    const facts: FileFacts = {
      doc,
      config: ctx.config,
      chart,
      discovery,
      airgap: isAirgapOverlay(doc.path),
      mirror: ctx.config.mirror.parsed,
      stack,
      stackValues,
      knowledge,
      // An anchor reused by aliases yields one image per use, all at the anchor: report it once.
      report(f) {
        const key = `${f.code}|${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`;
        if (seen.has(key)) return;
        seen.add(key);
        ctx.report(f);
      },
    };
    const doubled = new Set<DiscoveredImage>();
    for (const img of facts.discovery.images) {
      if (img.shape === 'partial') continue;
      if (checkDoubleRegistry(img, facts)) doubled.add(img);
      checkRegistryOverridden(img, facts);
      if (!img.parsed.ok) {
        if (!img.placeholder && !doubled.has(img)) reportInvalid(img, facts);
        continue;
      }
      checkImplicitLatest(img, img.parsed, facts);
      checkDigestRequired(img, img.parsed, facts);
      checkFlatLayout(img, img.parsed, facts);
    }
    checkOddImageValues(facts);
    const upstream = checkNotMirrored(facts);
    checkBitnamiRelocation(facts, ctx);
    checkPullSecrets(facts);
    // Findings of the layered rules may share a place (an overlay's nearest key for several
    // images): they are not deduplicated by range.
    checkImageLayers(ctx, { ...facts, report: (f) => ctx.report(f) }, upstream);
  },
};

const INVALID_HINTS: Record<string, string> = {
  ErrNameContainsUppercase: 'repository paths must be lowercase (only the registry host may have capitals)',
  ErrNameTooLong: 'the repository path is longer than 255 characters',
  ErrTagInvalidFormat: 'a tag is 1-128 characters of letters, digits, "_", "." and "-", not starting with "." or "-"',
  ErrReferenceInvalidFormat: 'it does not match registry/path[:tag][@digest]',
  ErrNameIsIdentifier: 'a 64-character hex string is an image ID, not a name',
  'digest.ErrDigestInvalidFormat': 'a digest is sha256: followed by 64 lowercase hex characters',
  'digest.ErrDigestInvalidLength': 'the digest has the wrong number of hex characters for its algorithm',
  'digest.ErrDigestUnsupported': 'container runtimes accept sha256, sha384 and sha512 digests only',
  ErrNameEmpty: 'the repository name is empty',
};

function reportInvalid(img: DiscoveredImage, f: FileFacts): void {
  const err = img.parsed as { ok: false; error: string; message: string; span?: { start: number; end: number } };
  const range = err.span ? referenceSpanRange(img, f.doc, err.span.start, err.span.end) : imageRange(img, f.doc);
  const hint = INVALID_HINTS[err.error] ?? err.message;
  f.report({
    code: 'image/invalid-reference',
    message: clip(`${pathText(img.path)} is not a valid image reference: ${hint}`),
    detail: `It renders "${shorten(img.display)}" (${err.message}). Kubernetes rejects the pod spec or the pull fails.`,
    range,
  });
}

function checkImplicitLatest(img: DiscoveredImage, ref: NormalizedReference, f: FileFacts): void {
  if (ref.digest !== undefined) return; // pulled by digest: the tag is ignored
  let range: Range;
  let what: string;
  if (ref.tag === undefined) {
    if (img.tagDefault) return; // an object with an empty tag: the chart fills in its appVersion
    const pathField = img.fields.reference ?? img.fields.repository;
    range = (pathField && fieldRange(pathField, f.doc)) || imageRange(img, f.doc);
    what = 'has no tag and no digest';
  } else if (ref.tag === 'latest') {
    const span = ref.spans.tag;
    range = span ? referenceSpanRange(img, f.doc, span.start, span.end) : imageRange(img, f.doc);
    what = 'uses the tag latest';
  } else return;
  f.report({
    code: 'image/implicit-latest',
    severity: f.airgap ? 'error' : undefined,
    message: clip(`${pathText(img.path)} ${what}: pin a version tag or a digest`),
    detail: `"${shorten(img.display)}": Kubernetes pulls it with imagePullPolicy Always, so every pod start needs the registry, and which image runs depends on when it was pulled (a mirror copy goes stale).`,
    range,
  });
}

function checkDigestRequired(img: DiscoveredImage, ref: NormalizedReference, f: FileFacts): void {
  if (!f.config.mirror.digestsOnly || ref.digest !== undefined) return;
  const span = ref.spans.tag;
  const range = span ? referenceSpanRange(img, f.doc, span.start, span.end) : (img.fields.tag && fieldRange(img.fields.tag, f.doc)) || imageRange(img, f.doc);
  f.report({
    code: 'image/digest-required',
    message: clip(`${pathText(img.path)} has no digest, but mirrors redirect digest pulls only: pin the digest`),
    detail: `"${shorten(img.display)}": mirror.digestsOnly says the cluster redirects pulls with ImageDigestMirrorSet/ICSP, which redirect pulls by digest only, so this tag pull goes to the upstream registry. Pin the digest (copy with --preserve-digests), or add an ImageTagMirrorSet.`,
    range,
  });
}

/**
 * An image's own `registry` that a global registry replaces when the chart renders it
 * (`global.imageRegistry` wins in Bitnami's and kube-prometheus-stack's templates): the value
 * looks as if it mattered and does not. Shown faded, as editors show unused code.
 */
function checkRegistryOverridden(img: DiscoveredImage, f: FileFacts): void {
  const own = img.fields.registry;
  const shared = img.fields.sharedRegistry;
  if (img.shape !== 'split' || !own || !shared || img.registryField !== shared || own.value === shared.value) return;
  const range = fieldRange(own, f.doc);
  if (!range) return;
  f.report({
    code: 'image/registry-overridden',
    tags: ['unnecessary'],
    message: clip(`${pathText(own.path)} "${shorten(own.value, 40)}" has no effect: ${pathText(shared.path)} "${shorten(shared.value, 40)}" wins`),
    detail: `The chart renders ${pathText(img.path)} with ${pathText(shared.path)} whenever it is set, so this value is ignored: the image pulls from ${shared.value}.`,
    range,
    related: fieldRange(shared, f.doc) ? [{ path: f.doc.path, range: fieldRange(shared, f.doc)!, message: `${pathText(shared.path)} is the registry the chart uses` }] : undefined,
  });
}

/** True (and reported) when a registry is put in front of a repository that already names its host. */
function checkDoubleRegistry(img: DiscoveredImage, f: FileFacts): boolean {
  let registry: LocatedField | undefined;
  let repo: LocatedField | undefined;
  if (img.shape === 'split' && img.fields.registry && img.fields.repository && img.registryField === img.fields.registry) {
    registry = img.fields.registry;
    repo = img.fields.repository;
  } else if (img.shape === 'string' && img.fields.sharedRegistry && img.fields.reference) {
    registry = img.fields.sharedRegistry;
    repo = img.fields.reference;
  } else if (img.shape === 'name' && img.fields.registry && img.fields.sharedRegistry) {
    // cert-manager's deprecated per-image `registry` is prepended to imageRegistry/imageNamespace/name.
    const range = fieldRange(img.fields.registry, f.doc);
    if (!range) return false;
    f.report({
      code: 'image/double-registry',
      message: clip(`${pathText(img.fields.registry.path)} adds a second registry host: remove it and set ${pathText(img.fields.sharedRegistry.path)} instead`),
      detail: `"${img.fields.registry.value}" is prepended to "${img.fields.sharedRegistry.value}/…", so ${pathText(img.path)} renders "${shorten(img.display)}" with two registry hosts and the pull fails.`,
      range,
    });
    return true;
  }
  if (!registry || !repo) return false;
  const value = repo.value;
  const slash = value.indexOf('/');
  if (slash <= 0) return false;
  const host = value.slice(0, slash);
  if (!(host === 'localhost' || host.includes('.') || host.includes(':'))) return false;
  const range = fieldRange(repo, f.doc, 0, slash);
  if (!range) return false;
  const node = editableScalar(repo, f.doc);
  const fixes: Fix[] = node
    ? [{ title: `Remove "${host}/" from ${pathText(repo.path)}`, edits: [replaceInScalarEdit(f.doc, node, 0, slash + 1, '')], safe: true, preferred: true }]
    : [];
  f.report({
    code: 'image/double-registry',
    message: clip(`${pathText(repo.path)} already starts with the host ${host}: remove "${host}/" from it`),
    detail: `${pathText(registry.path)} is "${registry.value}", so the chart renders "${shorten(img.display)}", with the host twice, and the pull fails (cert-manager#7476). Keep the registry in ${pathText(registry.path)}.`,
    range,
    fixes,
  });
  return true;
}

function isFlatRegistry(registryValue: string, f: FileFacts): { host: string; flat: boolean; orgLevels: number } {
  const slash = registryValue.indexOf('/');
  const host = slash < 0 ? registryValue : registryValue.slice(0, slash);
  const prefix = slash < 0 ? '' : registryValue.slice(slash + 1);
  const orgLevels = prefix ? prefix.split('/').length : 0;
  const configuredFlat = f.config.mirror.layout === 'flat' && (f.mirror ? sameHost(host, f.mirror.host) : false);
  const placeholderFlat = f.config.mirror.layout === 'flat' && /^<[^>]*>$/.test(host);
  return { host, flat: FLAT_HOSTS.includes(host.toLowerCase()) || configuredFlat || placeholderFlat, orgLevels };
}

function checkFlatLayout(img: DiscoveredImage, ref: NormalizedReference, f: FileFacts): void {
  if (img.shape === 'globalComposite' || (img.shape === 'composed' && img.fields.namespace)) {
    const registry = img.fields.sharedRegistry;
    const namespace = img.fields.namespace;
    if (!registry || !namespace) return;
    const separator = img.fields.separator;
    if (separator && separator.value !== '/') return;
    const flat = isFlatRegistry(registry.value, f);
    // quay.io/kubernaut-ai/<service> is fine (the namespace is the organisation); quay.io/myorg/kubernaut-ai/<service> is not.
    const configuredFlat = f.config.mirror.layout === 'flat' && !FLAT_HOSTS.includes(flat.host.toLowerCase());
    if (!flat.flat || (!configuredFlat && flat.orgLevels === 0)) return;
    const range = separator ? fieldRange(separator, f.doc) : fieldRange(namespace, f.doc);
    if (!range) return;
    const sepNode = editableScalar(separator, f.doc);
    let edit: TextEdit | undefined;
    if (separator) edit = sepNode ? replaceScalarEdit(f.doc, sepNode, '-') : undefined;
    else edit = insertEntriesEdit(f.doc, namespace.path.slice(0, -1), { separator: '-' });
    const display = img.composed ? serviceDisplay(img) : img.display;
    const flatDisplay = display.replace(`${namespace.value}/<service>`, `${namespace.value}-<service>`);
    f.report({
      code: 'image/flat-layout',
      message: clip(`${pathText(separator?.path ?? [...namespace.path.slice(0, -1), 'separator'])} "/" nests service images on the flat registry ${flat.host}: set separator: "-"`),
      detail: `With namespace "${namespace.value}" on ${registry.value}, service images render as "${shorten(display)}": ${flat.host} is a flat registry (one repository level under an organisation), so those repositories cannot exist there and every pull fails. With "-" they are ${shorten(flatDisplay)}; mirror the images under those names.`,
      range,
      fixes: edit ? [{ title: 'Set separator: "-"', edits: [edit], safe: true, preferred: true }] : [],
    });
    return;
  }
  // Other shapes: a path deeper than org/repo on a flat host cannot exist there.
  const host = ref.domain;
  const levels = ref.path.split('/').length;
  const configured = f.config.mirror.layout === 'flat' && f.mirror && sameHost(host, f.mirror.host);
  const allowed = configured ? (f.mirror!.prefix ? f.mirror!.prefix.split('/').length : 0) + 1 : 2;
  if (!(FLAT_HOSTS.includes(host.toLowerCase()) || configured) || levels <= allowed) return;
  if (host === DEFAULT_DOMAIN && img.parsed.ok && img.parsed.impliedDomain && !configured) return; // a Docker Hub name the chart never prefixed: the invalid-reference rule covers real nonsense
  const span = ref.spans.path;
  f.report({
    code: 'image/flat-layout',
    message: clip(`${pathText(img.path)} has ${levels} path levels on the flat registry ${host}: mirror it under a flat name`),
    detail: `"${shorten(img.display)}": ${host} allows ${allowed === 2 ? 'only organisation/repository' : `${allowed} level(s) under ${f.mirror?.registry}`}, so that repository cannot exist there. Mirror it under a flat name (path joined with "-", as mirror.layout: flat does) and point the image at it.`,
    range: referenceSpanRange(img, f.doc, span.start, span.end),
  });
}

// ---------------------------------------------------------------- not-mirrored

interface Upstream {
  img: DiscoveredImage;
  ref: NormalizedReference;
  target?: MirrorTarget;
}

/** Reports images of this file left upstream; returns the paths of the images it reported. */
function checkNotMirrored(f: FileFacts): Set<string> {
  const reported = new Set<string>();
  if (!f.mirror && !f.airgap) return reported;
  const groups = new Map<string, Upstream[]>();
  for (const img of f.discovery.images) {
    if (img.shape === 'partial' || img.placeholder || !img.parsed.ok) continue;
    const ref = img.parsed;
    // Without mirror.registry, an air-gap overlay is judged on registries on the internet only.
    const upstream = upstreamOf(ref, f);
    if (!upstream) continue;
    const target = upstream.target;
    reported.add(imageIdentity(img));
    const carrier = img.registryField;
    const shared = carrier && carrier.role === 'sharedRegistry';
    const key = shared ? `shared:${pathText(carrier!.path)}` : `image:${imageIdentity(img)}`;
    const list = groups.get(key) ?? [];
    list.push({ img, ref, target });
    groups.set(key, list);
  }
  for (const list of groups.values()) reportUpstream(list, f);
  return reported;
}

function reportUpstream(list: Upstream[], f: FileFacts): void {
  const first = list[0];
  const { img, ref } = first;
  const carrier = img.registryField;
  const range = registryRange(img, f.doc);
  // The chart's service images composed from one registry key (chart knowledge): said once, as `<service>`.
  const composedGroup = list.length > 1 && list.every((u) => u.img.composed);
  const registryName = ref.impliedDomain ? 'Docker Hub (docker.io, implied)' : ref.domain;
  const severity: Severity | undefined = f.airgap ? 'error' : undefined;
  const why = f.airgap
    ? 'an air-gapped cluster cannot reach it'
    : 'nodes behind the firewall pull only from the mirror';
  let fixes: Fix[] = [];
  let instead = '';
  if (f.mirror && first.target) {
    // One edit must serve every image of the group (a shared registry key).
    const plans = list.map((u) => (u.target ? mirrorOverrides(u.img, u.target) : undefined));
    const editLists = plans.map((p) => (p ? editsFor(p, f.doc) : undefined));
    const key = (e: TextEdit[] | undefined) => (e ? JSON.stringify(e) : '');
    const consistent = editLists.every((e) => e && (list.length === 1 || key(e) === key(editLists[0])));
    if (consistent && editLists[0] && editLists[0].length) {
      const changed = [...plans[0]!.keys()].filter((fl) => String(editableScalar(fl, f.doc)?.value) !== plans[0]!.get(fl)).map((fl) => pathText(fl.path));
      const shown = targetDisplay(img, first.target, composedGroup);
      fixes = [{ title: `Point ${changed.join(' and ')} at the mirror (${shown.length > 80 ? f.mirror.registry : shown})`, edits: editLists[0], safe: false, preferred: true }];
    }
    instead = ` Point ${composedGroup ? 'them' : 'it'} at ${shorten(targetDisplay(img, first.target, composedGroup))} (mirror.layout: ${f.config.mirror.layout}).`;
  } else if (!f.mirror) {
    instead = ' Mirror the image and point the value at your registry (set mirror.registry in .airgap-lint.yaml to get a quick fix).';
  }
  const names = list.map((u) => u.img.composed?.name).filter((n): n is string => n !== undefined);
  const others = composedGroup
    ? ` (the ${list.length} images the chart composes from it: ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''})`
    : list.length > 1
      ? ` (and ${list.length - 1} more image${list.length > 2 ? 's' : ''} using ${pathText(carrier!.path)}: ${list.slice(1, 4).map((u) => u.img.composed?.name ?? pathText(u.img.path)).join(', ')}${list.length > 4 ? ', …' : ''})`
      : '';
  f.report({
    code: 'image/not-mirrored',
    severity,
    message: f.mirror
      ? firstFitting(`${pathText(img.path)} pulls from ${registryName}: point ${composedGroup ? 'them' : 'it'} at the mirror ${f.mirror.registry}`, `An image pulls from ${registryName}: point it at the mirror ${f.mirror.registry}`)
      : firstFitting(`${pathText(img.path)} pulls from the public registry ${registryName}: mirror it`, `An image pulls from the public registry ${registryName}: mirror it`),
    detail: `"${shorten(composedGroup ? serviceDisplay(img) : img.display)}"${others}: ${why}.${instead}`,
    range,
    fixes,
  });
}

// ---------------------------------------------------------------- Bitnami image verification


const ALLOW_INSECURE: ValuePath = ['global', 'security', 'allowInsecureImages'];

function isBitnamiChart(f: FileFacts, ctx: LintContext): boolean {
  if (valueAt(f.stackValues, ALLOW_INSECURE) !== undefined) return true;
  if (f.chart?.annotatedImages.some((i) => /(^|\/)bitnami\//.test(i.image))) return true;
  if (f.chart?.dependencies.some((d) => d.name === 'common' && /bitnami/i.test(d.repository ?? ''))) return true;
  if (f.chart) {
    const base = nodePath.join(nodePath.dirname(f.chart.path), 'values.yaml');
    if (base !== f.doc.path) {
      const baseDoc = ctx.getDocument(base);
      if (baseDoc && valueAt(baseDoc.values, ALLOW_INSECURE) !== undefined) return true;
    }
  }
  return false;
}

function checkBitnamiRelocation(f: FileFacts, ctx: LintContext): void {
  // Set in this file or in any layer below it (the merged values Helm renders with).
  if (valueAt(f.stackValues, ALLOW_INSECURE) === true) return;
  let override: LocatedField | undefined;
  let count = 0;
  const g = f.discovery.globals.globalRegistry;
  if (g && g.path[0] === 'global' && g.path[1] === 'imageRegistry' && !sameHost(g.value, DEFAULT_DOMAIN)) {
    override = g;
    // Every image of the chart follows the global registry: count what the chart lists.
    count = Math.max(f.chart?.annotatedImages.length ?? 0, f.discovery.images.filter((i) => i.fields.sharedRegistry === g).length);
  }
  // Without a global override, an image whose own registry is no longer Docker Hub is relocated
  // (Bitnami only warns for its docker.io/bitnamilegacy/ copies).
  if (!override) {
    for (const img of f.discovery.images) {
      const own = img.fields.registry;
      if (!own) continue;
      const repo = img.fields.repository?.value ?? '';
      if (sameHost(own.value, DEFAULT_DOMAIN) || sameHost(own.value, 'registry-1.docker.io') || repo.startsWith('bitnamilegacy/')) continue;
      override ??= own;
      count++;
    }
  }
  if (!override || !isBitnamiChart(f, ctx)) return;
  const range = fieldRange(override, f.doc);
  if (!range) return;
  const existing = f.doc.locate(ALLOW_INSECURE);
  let edit: TextEdit | undefined;
  // A boolean, not the string "true": written bare whatever the old value's style.
  if (existing && isScalar(existing.node) && !existing.viaAlias) edit = { range: f.doc.rangeOf(existing.node), newText: 'true' };
  else if (!existing) edit = insertEntriesEdit(f.doc, ['global', 'security'], { allowInsecureImages: true });
  f.report({
    code: 'image/bitnami-relocation',
    message: clip(`${pathText(override.path)} relocates Bitnami images: set global.security.allowInsecureImages: true`),
    detail: `"${override.value}" relocates ${count > 1 ? `${count} images` : 'an image'} of a Bitnami chart. Bitnami's image verification (common.errors.insecureImages) fails the install for images that are not the ones listed in the chart, unless global.security.allowInsecureImages is true; the images are your mirror's copies of the same ones.`,
    range,
    fixes: edit ? [{ title: 'Set global.security.allowInsecureImages: true', edits: [edit], safe: true, preferred: true }] : [],
  });
}

// ---------------------------------------------------------------- pull secrets

const PULL_SECRET_KEYS = new Set(['imagePullSecrets', 'pullSecrets', 'imagePullSecret']);

function isNonEmptySecretList(v: JsonValue): boolean {
  return (Array.isArray(v) && v.length > 0) || (typeof v === 'string' && v.trim() !== '');
}

function hasPullSecrets(values: JsonValue, depth = 0): boolean {
  if (depth > 60 || values === null || typeof values !== 'object') return false;
  if (Array.isArray(values)) return values.some((v) => hasPullSecrets(v, depth + 1));
  for (const [k, v] of Object.entries(values)) {
    if (PULL_SECRET_KEYS.has(k) && ((Array.isArray(v) && v.length > 0) || (typeof v === 'string' && v.trim() !== ''))) return true;
    if (typeof v === 'object' && hasPullSecrets(v, depth + 1)) return true;
  }
  return false;
}

function fromPrivateMirror(img: DiscoveredImage, f: FileFacts): boolean {
  if (img.shape === 'partial' || img.placeholder || !img.parsed.ok) return false;
  const ref = img.parsed;
  if (f.mirror) {
    const t = mirrorReference(ref, { registry: f.mirror, layout: f.config.mirror.layout });
    return t.ok && t.alreadyMirrored;
  }
  return f.airgap && !isPublicRegistry(ref.domain) && !ref.impliedDomain;
}

function checkPullSecrets(f: FileFacts): void {
  const mirrored = f.discovery.images.filter((img) => fromPrivateMirror(img, f));
  // Secrets set in any layer of the stack count (a values-secrets.yaml below the air-gap overlay).
  const values = f.stackValues as { [k: string]: JsonValue };
  const rangeOfImage = (img: DiscoveredImage) => registryRange(img, f.doc);
  const registryName = f.mirror?.registry ?? (mirrored[0]?.parsed.ok ? mirrored[0].parsed.domain : 'the private registry');
  // The global list set means secrets are set; otherwise look for any (a walk of every value,
  // so only when an image needs them).
  const global = valueAt(values, ['global', 'imagePullSecrets']);
  const globalSet = Array.isArray(global) && global.length > 0;
  // Pull-secret keys the chart knowledge names, whatever they are called.
  const annotatedSet = f.knowledge.pullSecretPatterns().some((p) => valuesAt(values, p).some((m) => isNonEmptySecretList(m.value)));
  if (!globalSet && (!mirrored.length || annotatedSet || hasPullSecrets(values))) return;
  if (!globalSet) {
    f.report({
      code: 'image/pull-secret-missing',
      message: clip(`Images pull from the private registry ${registryName} with no imagePullSecrets: set global.imagePullSecrets`),
      detail: `${pathText(mirrored[0].path)}${mirrored.length > 1 ? ` and ${mirrored.length - 1} more image(s)` : ''} pull from ${registryName}, but neither this file nor a layer below it sets imagePullSecrets: unless the nodes (or the namespace's service account) already hold credentials for it, pulls fail with 401/ImagePullBackOff. Set pullSecrets of subcharts that do not inherit it too.`,
      range: rangeOfImage(mirrored[0]),
    });
    return;
  }
  // The global list is set: subcharts that do not inherit it (chart knowledge) need their own copy.
  for (const { key: sub, facts, origin } of f.knowledge.subcharts()) {
    if (facts.inheritsGlobalPullSecrets || sub.includes('.')) continue;
    const subValues = valueAt(values, [sub]);
    if (subValues === undefined || hasPullSecrets(subValues as JsonValue)) continue;
    const subImages = mirrored.filter((img) => img.path[0] === sub);
    // A parent chart usually relocates a subchart with its registry key alone (`holmes.registry`).
    const subRegistry = valueAt(f.doc.values, [sub, 'registry']);
    const subRegistryMirrored =
      typeof subRegistry === 'string' &&
      (f.mirror ? sameHost(subRegistry.split('/')[0], f.mirror.host) : f.airgap && !isPublicRegistry(subRegistry.split('/')[0]) && looksLikeRegistryHost(subRegistry.split('/')[0]));
    if (!subImages.length && !subRegistryMirrored) continue;
    const range = subImages.length ? rangeOfImage(subImages[0]) : f.doc.rangeOf(f.doc.locate([sub, 'registry'])?.node);
    const secretsKey = facts.pullSecretsKey;
    const edit = insertEntriesEdit(f.doc, [sub], { [secretsKey]: global });
    const source = facts.source ? ` (${facts.source})` : ` (chart knowledge: ${origin})`;
    f.report({
      code: 'image/pull-secret-missing',
      message: clip(`The ${sub} subchart does not inherit global.imagePullSecrets: set ${sub}.${secretsKey}`),
      detail: `${subImages.length ? pathText(subImages[0].path) : `${sub}.registry`} pulls from the private registry ${registryName}, but the ${sub} subchart does not inherit global.imagePullSecrets${source} and sets none: its pods fail with ImagePullBackOff. Set ${sub}.${secretsKey} to the same secrets as global.imagePullSecrets.`,
      range,
      fixes: edit ? [{ title: `Copy global.imagePullSecrets to ${sub}.${secretsKey}`, edits: [edit], safe: true, preferred: true }] : [],
    });
  }
}

