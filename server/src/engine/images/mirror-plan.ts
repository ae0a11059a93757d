// The mirror plan of an image: where it should live in the mirror, and the fewest values fields
// to change so that the chart renders that reference. Shared by the image rules, the hover and
// the image list.
import type { ResolvedConfig } from '../config';
import { aroundField, recompose } from './compose';
import type { DiscoveredImage, LocatedField } from './discover';
import { type MirrorRegistry, type MirrorTarget, mirrorReference } from './mirror';
import { type NormalizedReference, looksLikeRegistryHost, parseNormalizedNamed } from './normalize';
import { referenceString } from './reference';
import { isPublicRegistry } from './registries';

/** What deciding "is this image upstream?" needs: the parsed mirror, whether the file is an air-gap overlay. */
export interface UpstreamContext {
  mirror?: MirrorRegistry;
  airgap: boolean;
  config: Pick<ResolvedConfig, 'mirror'>;
}

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
 * Whether a reference pulls from somewhere other than the mirror: with mirror.registry, any
 * registry but the mirror (with the mirror reference it should have); without it, in an
 * air-gap overlay, a registry on the internet. Undefined when it is fine (or cannot be judged).
 */
export function upstreamOf(ref: NormalizedReference, f: UpstreamContext): { target?: MirrorTarget } | undefined {
  if (f.mirror) {
    const t = mirrorReference(ref, { registry: f.mirror, layout: f.config.mirror.layout });
    if (!t.ok || t.alreadyMirrored) return undefined;
    return { target: t };
  }
  return f.airgap && isPublicRegistry(ref.domain) ? {} : undefined;
}
