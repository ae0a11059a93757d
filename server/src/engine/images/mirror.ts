// Rewriting an upstream image reference to where it lives in the private mirror. Pure: no I/O,
// no knowledge of values files; the image rules and fixes decide which field to edit.
//
// Layout decision (domain.md §3):
// - nested: `<mirror.registry>/<path>`, where path is the upstream repository path WITHOUT the
//   source registry host: quay.io/oauth2-proxy/oauth2-proxy → harbor.corp:5000/oauth2-proxy/
//   oauth2-proxy. That is what oc-mirror v2 pushes (the destination plus the original path), what
//   a Harbor proxy-cache project serves (one project per upstream registry, so the registry goes
//   into mirror.registry: `harbor.corp/quay-proxy`), what `skopeo copy` by path produces, and
//   what rules.md's fix says (`<mirror>/<path>`). It is also what charts can express: a
//   `registry` override keeps the chart's `repository`. Docker Hub's implied `library/` is kept
//   (postgres → harbor.corp:5000/library/postgres), as Harbor's Docker Hub proxy cache requires
//   and as the canonical path is. Keeping the source host in the path (skopeo sync --scoped:
//   mirror/quay.io/org/img) is not a layout we emit; users of it put the scope in
//   mirror.registry, which works per source registry.
// - flat: registries that allow only one level under the account (quay.io, Docker Hub, the
//   OpenShift internal registry) get the path components joined with `-`, as kubernaut's
//   `separator: "-"` does: quay.io/kubernaut-ai/gateway → quay.io/myorg/kubernaut-ai-gateway.
//   Same rule for every image, `library/` included (library-postgres), so the mapping stays
//   one-to-one and predictable.
// In both layouts the tag and the digest are kept as they were. `mirror.registry` may carry a
// path prefix (a Harbor project, a quay.io organisation): `harbor.corp:5000/project`.

import { sameHost } from './registries';
import {
  type ReferenceError,
  type ReferenceErrorKind,
  type ReferenceParts,
  parseReference,
  referenceRegexps,
  referenceString,
} from './reference';
import { DEFAULT_DOMAIN, looksLikeRegistryHost, parseNormalizedNamed } from './normalize';

export type MirrorLayout = 'nested' | 'flat';

export interface MirrorOptions {
  /** Host[:port][/path prefix], e.g. `harbor.corp:5000` or `harbor.corp:5000/project`; or as parsed once by the config. */
  registry: string | MirrorRegistry;
  layout: MirrorLayout;
}

/** The mirror's host and optional path prefix, as configured. */
export interface MirrorRegistry {
  host: string;
  prefix?: string;
  /** host + '/' + prefix, or host: what a chart's `registry` field should say. */
  registry: string;
}

export interface MirrorTarget {
  ok: true;
  /** The full mirror reference to write: registry/repository[:tag][@digest]. */
  reference: string;
  domain: string;
  /** Path on the mirror host, prefix included. */
  path: string;
  tag?: string;
  digest?: string;
  /** What a split image object's `registry` becomes. */
  registry: string;
  /** What its `repository` becomes (the part after `registry`). */
  repository: string;
  /** The input already points into the mirror; it is returned unchanged. */
  alreadyMirrored: boolean;
}

export type MirrorErrorKind = ReferenceErrorKind | 'ErrMirrorRegistryInvalid' | 'ErrMirrorRegistryNotAHost';

export interface MirrorError {
  ok: false;
  error: MirrorErrorKind;
  message: string;
}

export type MirrorResult = MirrorTarget | MirrorError;

const MIRROR_REGISTRY = new RegExp(
  `^(${referenceRegexps.domainAndPort.source.slice(1, -1)})(?:/(${referenceRegexps.anchoredRemoteName.source.slice(1, -1)}))?$`,
);

function mirrorError(error: MirrorErrorKind, message: string): MirrorError {
  return { ok: false, error, message };
}

/**
 * Parses `mirror.registry`. Refuses what a runtime would not read as a registry host: a first
 * element without `.` or `:` that is not `localhost` (`registry/team` would be pulled from
 * docker.io/registry/team), a scheme, placeholders, an uppercase prefix.
 */
export function parseMirrorRegistry(registry: string): MirrorRegistry | MirrorError {
  if (typeof registry !== 'string' || registry.trim() === '') return mirrorError('ErrMirrorRegistryInvalid', 'mirror.registry is empty');
  const value = registry.trim().replace(/\/+$/, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return mirrorError('ErrMirrorRegistryInvalid', `mirror.registry "${value}" has a URL scheme; image references name the host only (e.g. harbor.corp:5000)`);
  }
  const m = MIRROR_REGISTRY.exec(value);
  if (!m) {
    const hint = MIRROR_REGISTRY.test(value.toLowerCase()) ? ': the path prefix must be lowercase' : '';
    return mirrorError('ErrMirrorRegistryInvalid', `mirror.registry "${value}" is not a registry host with an optional path${hint}`);
  }
  const host = m[1];
  if (!looksLikeRegistryHost(host)) {
    return mirrorError(
      'ErrMirrorRegistryNotAHost',
      `mirror.registry "${value}": "${host}" has no "." or ":" and is not "localhost", so container runtimes read it as a Docker Hub namespace (docker.io/${value}/...)`,
    );
  }
  return m[2] ? { host, prefix: m[2], registry: `${host}/${m[2]}` } : { host, registry: host };
}

/**
 * Where a normalised reference (domain always set: use parseNormalizedNamed) lives in the mirror.
 * Idempotent: a reference already under the mirror registry (and prefix) comes back unchanged,
 * whatever its layout; the flat-layout rule judges that separately. The result is checked
 * against the grammar, so a path that grows past 255 characters with the prefix is an error.
 */
export function mirrorReference(ref: ReferenceParts & { domain: string }, options: MirrorOptions): MirrorResult {
  const mirror = typeof options.registry === 'string' ? parseMirrorRegistry(options.registry) : options.registry;
  if ('ok' in mirror) return mirror;

  if (sameHost(ref.domain, mirror.host) && (!mirror.prefix || ref.path.startsWith(`${mirror.prefix}/`))) {
    const repository = mirror.prefix ? ref.path.slice(mirror.prefix.length + 1) : ref.path;
    return target(ref.domain, ref.path, ref, `${ref.domain}${mirror.prefix ? `/${mirror.prefix}` : ''}`, repository, true);
  }

  const repository = options.layout === 'flat' ? ref.path.split('/').join('-') : ref.path;
  const path = mirror.prefix ? `${mirror.prefix}/${repository}` : repository;
  if (sameHost(mirror.host, DEFAULT_DOMAIN) && !path.includes('/')) {
    return mirrorError(
      'ErrMirrorRegistryInvalid',
      `mirror.registry "${mirror.registry}" names Docker Hub without an organisation: "${mirror.host}/${path}" would be read as ${DEFAULT_DOMAIN}/library/${path}`,
    );
  }
  const parts: ReferenceParts = { domain: mirror.host, path, tag: ref.tag, digest: ref.digest };
  const reference = referenceString(stripUndefined(parts));
  const check = parseReference(reference);
  if (!check.ok) return withContext(check, reference);
  return target(mirror.host, path, ref, mirror.registry, repository, false);
}

/** Parses an image string (normalised as a runtime would) and maps it to the mirror. */
export function mirrorImage(image: string, options: MirrorOptions): MirrorResult {
  const ref = parseNormalizedNamed(image);
  if (!ref.ok) return { ok: false, error: ref.error, message: ref.message };
  return mirrorReference(ref, options);
}

function target(domain: string, path: string, ref: ReferenceParts, registry: string, repository: string, alreadyMirrored: boolean): MirrorTarget {
  const result: MirrorTarget = { ok: true, reference: '', domain, path, registry, repository, alreadyMirrored };
  if (ref.tag !== undefined) result.tag = ref.tag;
  if (ref.digest !== undefined) result.digest = ref.digest;
  result.reference = referenceString(result);
  return result;
}

function stripUndefined(parts: ReferenceParts): ReferenceParts {
  const out: ReferenceParts = { domain: parts.domain, path: parts.path };
  if (parts.tag !== undefined) out.tag = parts.tag;
  if (parts.digest !== undefined) out.digest = parts.digest;
  return out;
}

function withContext(error: ReferenceError, reference: string): MirrorError {
  const shown = reference.length > 120 ? `${reference.slice(0, 117)}...` : reference;
  return mirrorError(error.error, `mirror reference ${shown}: ${error.message}`);
}
