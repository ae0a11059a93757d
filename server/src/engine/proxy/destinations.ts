// Required destinations of a proxied env set (rules.md "Terms"): what NO_PROXY must cover so
// that in-cluster and node-local requests do not go to the proxy. Each one carries the reason a
// user reads in the message ("pod CIDR 10.244.0.0/16: Prometheus scrapes pod IPs, not Service
// names").
import type { ClusterProfile } from '../config';
import { cidrInfo, destination, type Destination } from '../noproxy';
import { formatIP } from '../noproxy/ip';
import type { ValuePath } from '../types';
import type { FoundHost } from './discover';
import { pathText } from './discover';

export type RequiredKind = 'loopback' | 'cluster-domain' | 'apiserver' | 'pod-cidr' | 'service-cidr' | 'metadata' | 'extra' | 'in-cluster';

export interface RequiredDestination {
  dest: Destination;
  kind: RequiredKind;
  /** How the destination is named in messages: `pod CIDR 10.244.0.0/16`. */
  label: string;
  /** Why it must bypass the proxy. */
  why: string;
  /**
   * An entry to append as written instead of a computed one: an `extraNoProxy` domain suffix
   * (`.corp.example.com`) stands for every name under it, which no single probe name can say.
   */
  entry?: string;
  /** For hosts found in the values: where. */
  source?: { path: ValuePath; host: FoundHost };
}

/** First address after the network address: the ClusterIP Kubernetes gives `kubernetes.default`. */
export function apiServerIPOf(serviceCIDR: string): string | undefined {
  const info = cidrInfo(serviceCIDR.trim());
  if (!info || info.size < 2n) return undefined;
  return formatIP({ family: info.range.family, value: info.range.start + 1n });
}

export function requiredDestinations(cluster: ClusterProfile, hosts: readonly FoundHost[] = []): RequiredDestination[] {
  const out: RequiredDestination[] = [];
  const seen = new Set<string>();
  const add = (input: string | Destination | undefined, kind: RequiredKind, label: string, why: string, extra: Partial<RequiredDestination> = {}) => {
    const dest = typeof input === 'string' ? destination(input) : input;
    if (!dest) return;
    const key = `${dest.kind}|${dest.text}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ dest, kind, label, why, ...extra });
  };

  add('localhost', 'loopback', 'localhost', 'the pod itself: curl and Python do not bypass loopback on their own');
  add('127.0.0.1', 'loopback', 'loopback 127.0.0.1', 'the pod itself: curl and Python do not bypass loopback on their own');

  const domain = (cluster.clusterDomain || 'cluster.local').replace(/^\.+|\.+$/g, '').toLowerCase();
  add(`kubernetes.default.svc.${domain}`, 'cluster-domain', `cluster domain ${domain} (kubernetes.default.svc.${domain})`, 'Services are reached by names under it');

  let apiServer = cluster.apiServerIP?.trim();
  let derived = false;
  if (!apiServer && cluster.serviceCIDR.length) {
    apiServer = apiServerIPOf(cluster.serviceCIDR[0]);
    derived = apiServer !== undefined;
  }
  if (apiServer) {
    add(apiServer, 'apiserver', `apiserver ClusterIP ${apiServer}`, `client-go connects to the IP in KUBERNETES_SERVICE_HOST, not a name${derived ? '; first address of the service CIDR' : ''}`);
  }
  for (const cidr of cluster.podCIDR) {
    const info = cidrInfo(cidr.trim());
    if (info) add(info.cidr, 'pod-cidr', `pod CIDR ${info.cidr}`, 'Prometheus scrapes pod IPs, not Service names; webhooks and peers connect to pod IPs');
  }
  for (const cidr of cluster.serviceCIDR) {
    const info = cidrInfo(cidr.trim());
    if (info) add(info.cidr, 'service-cidr', `service CIDR ${info.cidr}`, 'clients that connect to Service ClusterIPs');
  }
  if (cluster.cloud !== 'none') {
    add('169.254.169.254', 'metadata', 'instance metadata 169.254.169.254', 'cloud credentials and region; link-local, a proxy cannot reach it');
  }
  if (cluster.cloud === 'gcp') add('metadata.google.internal', 'metadata', 'GCP metadata server metadata.google.internal', 'Google client libraries use this name');
  // EKS Pod Identity: rules.md requires 169.254.170.23 on AWS, and we follow it even though the
  // CloudZero proxy guide's EKS example leaves it out. The agent serves credentials to every pod
  // using Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI=http://169.254.170.23/v1/credentials);
  // it is link-local, not loopback, so Go's httpproxy sends that request to the proxy too, and
  // a proxy cannot reach a node-local endpoint (research/domain.md §1.11).
  if (cluster.cloud === 'aws') add('169.254.170.23', 'metadata', 'EKS Pod Identity agent 169.254.170.23', 'AWS credentials of pods using EKS Pod Identity');
  if (cluster.cloud === 'alibaba') add('100.100.100.200', 'metadata', 'Alibaba Cloud metadata 100.100.100.200', 'instance metadata and credentials');

  for (const raw of cluster.extraNoProxy) {
    const e = raw.trim();
    if (!e) continue;
    if (e.startsWith('.') || e.startsWith('*.')) {
      // Any name under the suffix: a probe one label below it stands for all of them.
      const apex = e.replace(/^\*?\./, '').toLowerCase();
      const probe = destination(`airgap-lint-probe.${apex}`);
      if (probe && probe.kind === 'host') add({ ...probe, text: '.' + apex }, 'extra', `names under ${apex} (extraNoProxy)`, 'listed in the configuration\'s cluster.extraNoProxy', { entry: '.' + apex });
    } else add(e, 'extra', `${e} (extraNoProxy)`, "listed in the configuration's cluster.extraNoProxy");
  }

  for (const h of hosts) {
    const d = destination({ host: h.host, port: h.port, scheme: h.scheme });
    if (!d) continue;
    add(d, 'in-cluster', `in-cluster host ${d.text} (${pathText(h.path)})`, 'the values send requests there', { source: { path: h.path, host: h } });
  }
  return out;
}
