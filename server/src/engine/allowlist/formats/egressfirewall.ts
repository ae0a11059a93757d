// `--format egressfirewall`: an OVN-Kubernetes / OpenShift EgressFirewall (`k8s.ovn.org/v1`).
//
// Semantics (CRD dist/templates/k8s.ovn.org_egressfirewalls.yaml.j2 of ovn-org/ovn-kubernetes,
// which the tests validate against; OpenShift docs "Configuring an egress firewall for a project"):
// - One object per namespace, and it must be named `default`. Rules are checked in order, the
//   first match wins, and traffic no rule matches is allowed: so the list ends with
//   `Deny 0.0.0.0/0`, and the API server is allowed first, or the namespace loses it. The API
//   server rule uses `--api-server-cidr` (AllowlistFormatOptions.apiServerCIDR: the API server's
//   endpoint addresses) when given, else a `nodeSelector` on control-plane nodes, which is right
//   when the API server runs there (self-managed clusters) and says so in a comment.
// - `to` holds exactly one of cidrSelector / dnsName / nodeSelector. dnsName: an exact name, or
//   `*.x` where `*` is one label (pattern `^(\*\.)?([A-Za-z0-9-]+\.)*[A-Za-z0-9-]+\.?$`), and
//   wildcards need the DNSNameResolver feature (Technology Preview in OpenShift 4.16). So a
//   wildcard's expanded hosts are also written as exact dnsName rules: they work without it.
// - ports: `[{protocol: TCP|UDP, port}]` with every port the host needs.
// - Pod-scoped (it filters traffic from the namespace's pods): node egress (image pulls) is left
//   out with a comment; so are features that are off in these values (onlyIf).
import type { Allowlist, AllowlistFormatOptions } from '../types';
import { describeTarget, enforcement, headerLines, isOneLabelUnder, leftOutLines, namespaceOf, NODE_EGRESS_WHY, parseHost, type ParsedHost, type Target } from './common';
import { yamlDocument, type YamlComment } from './yaml';

interface HostRule {
  parsed: ParsedHost;
  targets: Target[];
  ports: Array<{ port: number; protocol: 'tcp' | 'udp' }>;
  /** Exact hosts written because a wildcard stands for them. */
  expandedFrom?: string;
}

export function formatEgressFirewall(list: Allowlist, options: AllowlistFormatOptions = {}): string {
  const e = enforcement(list, true);
  const namespace = namespaceOf(options);
  const rules: unknown[] = [];
  const comments: YamlComment[] = [];

  const api = options.apiServerCIDR !== undefined ? parseHost(options.apiServerCIDR) : undefined;
  if (api && (api.kind === 'ip' || api.kind === 'cidr')) {
    rules.push({ type: 'Allow', to: { cidrSelector: api.cidr } });
    comments.push({ path: ['spec', 'egress', 0], before: ['The API server first (rules are checked in order, the first match wins).'] });
  } else {
    rules.push({ type: 'Allow', to: { nodeSelector: { matchLabels: { 'node-role.kubernetes.io/control-plane': '' } } } });
    comments.push({
      path: ['spec', 'egress', 0],
      before: [
        'The API server first (rules are checked in order, the first match wins): here the',
        'control-plane nodes. Where the API server is elsewhere (hosted control planes), replace',
        '"nodeSelector" with "cidrSelector: <API server IP>/32", or generate with --api-server-cidr.',
      ],
    });
  }

  // one rule per host with all its ports; wildcards followed by their exact hosts
  const byHost = new Map<string, HostRule>();
  const order: HostRule[] = [];
  const add = (parsed: ParsedHost, t: Target, expandedFrom?: string) => {
    let r = byHost.get(parsed.host);
    if (!r) {
      r = { parsed, targets: [], ports: [], expandedFrom };
      byHost.set(parsed.host, r);
      order.push(r);
    }
    if (!expandedFrom) r.expandedFrom = undefined;
    if (!r.targets.includes(t)) r.targets.push(t);
    if (!r.ports.some((p) => p.port === t.port && p.protocol === t.protocol)) r.ports.push({ port: t.port, protocol: t.protocol });
  };
  for (const t of e.allowed) {
    add(t.parsed, t);
    if (t.parsed.kind === 'wildcard') {
      for (const x of t.expands) add({ kind: 'name', host: x }, t, t.parsed.host);
    }
  }
  for (const r of order) {
    const to = r.parsed.kind === 'ip' || r.parsed.kind === 'cidr' ? { cidrSelector: r.parsed.cidr } : { dnsName: r.parsed.host };
    const index = rules.length;
    rules.push({ type: 'Allow', to, ports: r.ports.map((p) => ({ protocol: p.protocol.toUpperCase(), port: p.port })) });
    const before = r.expandedFrom ? [] : [describeTarget({ ...r.targets[0], features: [...new Set(r.targets.flatMap((t) => t.features))], reasons: [...new Set(r.targets.flatMap((t) => t.reasons))] })];
    if (r.parsed.kind === 'wildcard') {
      const base = r.parsed.base as string;
      before.push(`"*" is one label (a.${base}, not a.b.${base} nor ${base}) and needs DNSNameResolver (OpenShift 4.16+ Technology Preview); its known hosts follow as exact names.`);
    } else if (r.expandedFrom) {
      const base = r.expandedFrom.slice(2);
      before.push(isOneLabelUnder(r.parsed.host, base) ? `One of the hosts of ${r.expandedFrom}.` : `One of the hosts of ${r.expandedFrom}, deeper than its "*" matches.`);
    }
    comments.push({ path: ['spec', 'egress', index], before });
  }
  const denyIndex = rules.length;
  rules.push({ type: 'Deny', to: { cidrSelector: '0.0.0.0/0' } });
  comments.push({ path: ['spec', 'egress', denyIndex], before: ['Everything else outside the cluster. Dual-stack: add the same rule with ::/0.'] });

  const metadata: Record<string, string> = { name: 'default' };
  if (namespace) metadata.namespace = namespace;
  const header = headerLines(list, 'EgressFirewall for the egress allowlist');
  header.push(
    `One per namespace, named "default": ${namespace ? `namespace ${namespace}` : 'apply it with kubectl apply -n NAMESPACE'}. It applies to every pod`,
    'of the namespace (an EgressFirewall has no pod selector) and only to traffic leaving the cluster.',
  );
  if (options.podSelector && Object.keys(options.podSelector).length > 0) header.push('--pod-selector is not used: an EgressFirewall covers the whole namespace.');
  return yamlDocument({ apiVersion: 'k8s.ovn.org/v1', kind: 'EgressFirewall', metadata, spec: { egress: rules } }, header, comments, leftOutLines(e, NODE_EGRESS_WHY));
}
