// Registries and the files that move images to them: which registries are on the internet,
// which allow only flat paths, and which values files are air-gap overlays (rules.md "Terms").
import * as nodePath from 'node:path';
import { DEFAULT_DOMAIN, LEGACY_DEFAULT_DOMAIN } from './normalize';

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
