// The hosts an image pull really reaches: a registry answers with redirects to its storage or
// CDN, and an allowlist that lists only the registry breaks the pull (research:
// egress-and-image-lists.md §2, "Registry redirect hosts"). Pulls are made by the nodes'
// container runtime, not by pods: these are node egress.

export interface RegistryHosts {
  /** The hosts to allow, the registry first. */
  hosts: Array<{ host: string; why: string }>;
  /** What the list cannot promise. */
  caveat?: string;
}

const KNOWN: Record<string, RegistryHosts> = {
  'docker.io': {
    hosts: [
      { host: 'registry-1.docker.io', why: 'the Docker Hub registry API' },
      { host: 'auth.docker.io', why: 'Docker Hub token service' },
      { host: 'production.cloudflare.docker.com', why: 'Docker Hub layer storage (CDN redirect)' },
    ],
    caveat: 'dell/csm#1602: pulls fail when only registry-1.docker.io is allowed',
  },
  'quay.io': {
    hosts: [
      { host: 'quay.io', why: 'the Quay registry API' },
      { host: 'cdn01.quay.io', why: 'Quay layer storage (CDN redirect)' },
      { host: 'cdn02.quay.io', why: 'Quay layer storage (CDN redirect)' },
      { host: 'cdn03.quay.io', why: 'Quay layer storage (CDN redirect)' },
    ],
    caveat: 'openshift-docs#53210',
  },
  'ghcr.io': {
    hosts: [
      { host: 'ghcr.io', why: 'the GitHub Container Registry API' },
      { host: 'pkg-containers.githubusercontent.com', why: 'GHCR layer storage (redirect)' },
    ],
  },
  'registry.k8s.io': {
    hosts: [
      { host: 'registry.k8s.io', why: 'the Kubernetes project registry' },
      { host: '*.pkg.dev', why: 'registry.k8s.io redirects blob downloads to Artifact Registry mirrors near the caller' },
    ],
    caveat: 'registry.k8s.io also redirects to S3 buckets and its maintainers do not promise a stable list (kubernetes/registry.k8s.io#127, #291): mirror its images rather than allowlisting it',
  },
  'gcr.io': {
    hosts: [
      { host: 'gcr.io', why: 'Google Container Registry' },
      { host: 'storage.googleapis.com', why: 'GCR layer storage' },
    ],
  },
  'mcr.microsoft.com': {
    hosts: [
      { host: 'mcr.microsoft.com', why: 'Microsoft Container Registry' },
      { host: '*.data.mcr.microsoft.com', why: 'MCR layer storage (regional endpoints)' },
    ],
  },
};

/** The hosts a pull from `registry` reaches (itself, and its redirect hosts when known). */
export function registryHosts(registry: string): RegistryHosts {
  const host = registry.toLowerCase();
  const known = KNOWN[host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host];
  if (known) return known;
  if (host.endsWith('.gcr.io')) return { hosts: [{ host, why: 'Google Container Registry' }, { host: 'storage.googleapis.com', why: 'GCR layer storage' }] };
  return { hosts: [{ host, why: 'the image registry' }] };
}
