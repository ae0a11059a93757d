// `--format istio`: ServiceEntries (`networking.istio.io/v1`, Istio >= 1.22; `v1beta1` before)
// that register the allowlist in the mesh. They restrict anything only where the mesh's
// outboundTrafficPolicy is REGISTRY_ONLY (meshConfig, or a Sidecar resource: example below).
//
// Semantics (istio.io reference "Service Entry"; CRD checked by the tests with datreeio's JSON
// schema of networking.istio.io/serviceentry_v1 plus its CEL rules by hand):
// - `location: MESH_EXTERNAL`. Exact hosts: `resolution: DNS`. Wildcards `*.x`: `resolution: NONE`
//   (a wildcard host with DNS and no endpoints is rejected: istio/istio#13241, PR #17481);
//   `*.x` matches names under x, not x. A bare `*` is never written (CRD: "hostname cannot be
//   wildcard"). IPs and CIDRs: `addresses` with `resolution: NONE` (CIDRs are allowed only with
//   NONE/STATIC) under a placeholder host name in `.invalid` (RFC 2606), which Istio does not use.
// - Ports need number, name and protocol: 80/8080 `HTTP` (http-N); any other TCP port `TLS`
//   (tls-N: the sidecar routes by SNI, so several external hosts can share the port). UDP is
//   left out: sidecars do not intercept it.
// - One ServiceEntry per feature and kind of host and set of ports (hosts of one entry share its
//   ports and resolution); a host needed by several features appears once, in the first one,
//   the others named in its comment (two ServiceEntries with the same host conflict).
// - `exportTo: ["."]` and the namespace when --namespace is given: only that namespace sees them.
// - Pod-scoped: node egress (image pulls) and features off in these values (onlyIf) are left
//   out with a comment.
import type { Allowlist, AllowlistFormatOptions } from '../types';
import {
  describeTarget,
  enforcement,
  headerLines,
  hostWithPort,
  leftOutLines,
  namespaceOf,
  oneLine,
  NODE_EGRESS_WHY,
  objectName,
  podSelectorOf,
  portSetKey,
  parsePortSetKey,
  slug,
  type Target,
} from './common';
import { commentedYaml, commentOnly, yamlDocument, yamlStream, type YamlComment } from './yaml';

type Kind = 'dns' | 'wildcard' | 'ip';

interface Entry {
  feature: string;
  kind: Kind;
  ports: Array<{ port: number; protocol: 'tcp' | 'udp' }>;
  hosts: Array<{ host: string; targets: Target[] }>;
}

function portSpec(p: { port: number }) {
  if (p.port === 80 || p.port === 8080) return { number: p.port, name: `http-${p.port}`, protocol: 'HTTP' };
  return { number: p.port, name: `tls-${p.port}`, protocol: 'TLS' };
}

export function formatIstio(list: Allowlist, options: AllowlistFormatOptions = {}): string {
  const e = enforcement(list, true);
  const namespace = namespaceOf(options);
  const base = objectName(options);
  const tcp = e.allowed.filter((t) => t.protocol === 'tcp');
  const udp = e.allowed.filter((t) => t.protocol === 'udp');

  // each host once: all its TCP ports, assigned to the first feature that needs it
  const hosts = new Map<string, { targets: Target[]; kind: Kind; feature: string }>();
  for (const t of tcp) {
    const kind: Kind = t.parsed.kind === 'wildcard' ? 'wildcard' : t.parsed.kind === 'name' ? 'dns' : 'ip';
    const h = hosts.get(t.parsed.host);
    if (h) h.targets.push(t);
    else hosts.set(t.parsed.host, { targets: [t], kind, feature: t.features[0] });
  }
  const entries = new Map<string, Entry>();
  for (const [host, h] of hosts) {
    const ports = portSetKey(h.targets);
    const key = JSON.stringify([h.feature, h.kind, ports]);
    let entry = entries.get(key);
    if (!entry) {
      entry = { feature: h.feature, kind: h.kind, ports: parsePortSetKey(ports), hosts: [] };
      entries.set(key, entry);
    }
    entry.hosts.push({ host, targets: h.targets });
  }

  const documents: Array<{ value: unknown; header: string[]; comments: YamlComment[] }> = [];
  const usedNames = new Set<string>();
  let index = 0;
  for (const entry of entries.values()) {
    index++;
    const suffix = entry.kind === 'dns' ? '' : `-${entry.kind}`;
    let name = `${base}-${slug(entry.feature, 30)}${suffix}`;
    if (usedNames.has(name)) name = `${name}-${index}`;
    usedNames.add(name);
    const comments: YamlComment[] = [];
    const spec: Record<string, unknown> = {};
    if (entry.kind === 'ip') {
      spec.hosts = [`ip-${index}.${slug(entry.feature, 40)}.airgap-lint.invalid`];
      spec.addresses = entry.hosts.map((h) => h.targets[0].parsed.cidr as string);
      entry.hosts.forEach((h, j) => comments.push({ path: ['spec', 'addresses', j], before: [describeHost(h.targets)] }));
      comments.push({ path: ['spec', 'hosts', 0], before: ['Istio needs a host name; traffic matches by the addresses below.'] });
    } else {
      spec.hosts = entry.hosts.map((h) => h.host);
      entry.hosts.forEach((h, j) => comments.push({ path: ['spec', 'hosts', j], before: [describeHost(h.targets)] }));
    }
    spec.location = 'MESH_EXTERNAL';
    spec.ports = entry.ports.map(portSpec);
    spec.resolution = entry.kind === 'dns' ? 'DNS' : 'NONE';
    if (namespace) spec.exportTo = ['.'];
    const metadata: Record<string, string> = { name };
    if (namespace) metadata.namespace = namespace;
    const header = index === 1 ? firstHeader(list, options, namespace) : [];
    const tls = entry.ports.some((p) => p.port !== 80 && p.port !== 8080);
    header.push(`${oneLine(entry.feature, 160)}${tls ? ' (protocol TLS: routed by SNI; use TCP for a non-TLS protocol)' : ''}`);
    if (entry.kind === 'wildcard') header.push('Wildcard hosts: resolution NONE (DNS would be rejected); "*.x" matches names under x, not x.');
    documents.push({ value: { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata, spec }, header, comments });
  }

  const trailer = leftOutLines(e, NODE_EGRESS_WHY);
  if (udp.length > 0) {
    trailer.push('Left out: UDP, which Istio sidecars do not intercept:');
    for (const t of udp) trailer.push(`  ${hostWithPort(t.parsed, t.port, t.protocol)} (${describeTarget(t, 160)})`);
  }
  trailer.push(...sidecarExample(options, namespace, base));
  if (documents.length === 0) return commentOnly([...firstHeader(list, options, namespace), 'No external host to register.', ...trailer]);
  return yamlStream(documents.map((d, i) => yamlDocument(d.value, d.header, d.comments, i === documents.length - 1 ? trailer : [])));
}

function describeHost(targets: Target[]): string {
  const merged: Target = { ...targets[0], features: [...new Set(targets.flatMap((t) => t.features))], reasons: [...new Set(targets.flatMap((t) => t.reasons))] };
  return describeTarget(merged);
}

function firstHeader(list: Allowlist, options: AllowlistFormatOptions, namespace: string | undefined): string[] {
  const header = headerLines(list, 'Istio ServiceEntries for the egress allowlist');
  header.push(
    'They restrict egress only with outboundTrafficPolicy REGISTRY_ONLY (mesh-wide in meshConfig,',
    'or per workload with a Sidecar: example at the end). apiVersion v1 needs Istio 1.22+; use',
    'networking.istio.io/v1beta1 on older meshes.',
    namespace ? `Namespace ${namespace}, visible there only (exportTo ".").` : 'No --namespace: apply them in the workload\'s namespace (they are exported to the whole mesh).',
  );
  if (options.podSelector && Object.keys(options.podSelector).length > 0) header.push('--pod-selector is used by the Sidecar example only: a ServiceEntry has no pod selector.');
  return header;
}

function sidecarExample(options: AllowlistFormatOptions, namespace: string | undefined, name: string): string[] {
  const { labels } = podSelectorOf(options);
  const sidecar: Record<string, unknown> = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Sidecar',
    metadata: namespace ? { name, namespace } : { name },
    spec: {
      ...(Object.keys(labels).length > 0 ? { workloadSelector: { labels } } : {}),
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      egress: [{ hosts: ['./*', 'istio-system/*'] }],
    },
  };
  return ['', 'Example: only registered hosts for these workloads (uncomment to use):', '---', ...commentedYaml(yamlDocument(sidecar, []))];
}
