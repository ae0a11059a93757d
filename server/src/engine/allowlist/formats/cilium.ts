// `--format cilium`: a CiliumNetworkPolicy (`cilium.io/v2`) that lets the selected pods reach
// the allowlist and nothing else outside the cluster.
//
// Semantics (docs.cilium.io, Policy Language "DNS based" and Layer 7 "DNS"; CRD
// pkg/k8s/apis/cilium.io/client/crds/v2/ciliumnetworkpolicies.yaml, which the tests validate against):
// - toFQDNs: `matchName` for an exact host, `matchPattern: "*.x"` for a wildcard. `*` matches one
//   DNS label, so `*.x` misses `a.b.x` and `x` itself: an expanded host deeper than one label
//   gets its own matchName, and an apex must be listed apart (the collector does where needed).
//   `**.x` (any depth, Cilium >= 1.19, cilium PR #43420) is mentioned, not emitted, since older
//   agents reject it.
// - toFQDNs only learns IPs from DNS answers seen by Cilium's DNS proxy, so the first rule allows
//   DNS to kube-dns (kube-system, port 53 UDP and TCP) with `rules.dns: [{matchPattern: "*"}]`.
// - Ports: one egress rule per distinct set of ports (a host needing 443 and 8443 sits in the
//   443+8443 rule), protocol TCP or UDP. IPs and CIDRs go to `toCIDR` rules the same way.
// - The API server stays reachable (`toEntities: [kube-apiserver]`): a pod under an egress
//   policy loses everything not allowed, and charts like these are Kubernetes clients.
// - Pod-scoped: node egress (image pulls by the kubelet/container runtime) is left out with a
//   comment; so are features that are off in these values (onlyIf). Hosts needed by several
//   features appear once, their features and reasons in the comment above them.
import type { Allowlist, AllowlistFormatOptions } from '../types';
import {
  describeTarget,
  enforcement,
  groupByPortSet,
  headerLines,
  isOneLabelUnder,
  leftOutLines,
  namespaceOf,
  NODE_EGRESS_WHY,
  objectName,
  podSelectorOf,
  type Target,
} from './common';
import { yamlDocument, type YamlComment } from './yaml';

function toPorts(ports: Array<{ port: number; protocol: 'tcp' | 'udp' }>) {
  return [{ ports: ports.map((p) => ({ port: String(p.port), protocol: p.protocol.toUpperCase() })) }];
}

function describeHost(targets: Target[]): string {
  // the same host on several ports: its features and reasons once
  const merged: Target = { ...targets[0], features: [], reasons: [] };
  for (const t of targets) {
    for (const f of t.features) if (!merged.features.includes(f)) merged.features.push(f);
    for (const r of t.reasons) if (!merged.reasons.includes(r)) merged.reasons.push(r);
  }
  return describeTarget(merged);
}

export function formatCilium(list: Allowlist, options: AllowlistFormatOptions = {}): string {
  const e = enforcement(list, true);
  const namespace = namespaceOf(options);
  const selector = podSelectorOf(options);
  const egress: unknown[] = [];
  const comments: YamlComment[] = [];
  const at = (i: number, ...rest: Array<string | number>) => ['spec', 'egress', i, ...rest];

  egress.push({
    toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
    toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }], rules: { dns: [{ matchPattern: '*' }] } }],
  });
  comments.push({
    path: at(0),
    before: [
      'DNS to kube-dns through Cilium\'s DNS proxy: toFQDNs learns the IPs of a name only from the',
      'answers it sees here. Any name may be looked up; only the names below can be reached.',
    ],
  });
  egress.push({ toEntities: ['kube-apiserver'] });
  comments.push({ path: at(1), before: ['The Kubernetes API server (these pods are API clients).'] });

  const names = e.allowed.filter((t) => t.parsed.kind === 'name' || t.parsed.kind === 'wildcard');
  for (const group of groupByPortSet(names)) {
    const index = egress.length;
    const selectors: Array<Record<string, string>> = [];
    const seen = new Set<string>();
    const selectorComments: YamlComment[] = [];
    for (const host of group.hosts) {
      const p = host.parsed;
      if (p.kind === 'wildcard') {
        if (seen.has(`p ${p.host}`)) continue;
        seen.add(`p ${p.host}`);
        const deeper = [...new Set(host.targets.flatMap((t) => t.expands))].filter((x) => !isOneLabelUnder(x, p.base as string));
        selectorComments.push({
          path: at(index, 'toFQDNs', selectors.length),
          before: [describeHost(host.targets), `"*" is one DNS label: ${p.host} matches a.${p.base}, not a.b.${p.base} nor ${p.base} (any depth: "**.${p.base}", Cilium >= 1.19).`],
        });
        selectors.push({ matchPattern: p.host });
        for (const d of deeper) {
          if (seen.has(`n ${d}`)) continue;
          seen.add(`n ${d}`);
          selectorComments.push({ path: at(index, 'toFQDNs', selectors.length), before: [`${d}: deeper than ${p.host} matches, so listed by name.`] });
          selectors.push({ matchName: d });
        }
      } else {
        if (seen.has(`n ${p.host}`)) continue;
        seen.add(`n ${p.host}`);
        selectorComments.push({ path: at(index, 'toFQDNs', selectors.length), before: [describeHost(host.targets)] });
        selectors.push({ matchName: p.host });
      }
    }
    egress.push({ toFQDNs: selectors, toPorts: toPorts(group.ports) });
    comments.push(...selectorComments);
  }

  const addresses = e.allowed.filter((t) => t.parsed.kind === 'ip' || t.parsed.kind === 'cidr');
  for (const group of groupByPortSet(addresses)) {
    const index = egress.length;
    egress.push({ toCIDR: group.hosts.map((h) => h.parsed.cidr as string), toPorts: toPorts(group.ports) });
    group.hosts.forEach((h, j) => comments.push({ path: at(index, 'toCIDR', j), before: [describeHost(h.targets)] }));
  }

  const metadata: Record<string, string> = { name: objectName(options) };
  if (namespace) metadata.namespace = namespace;
  const policy = {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata,
    spec: { endpointSelector: { matchLabels: selector.labels }, egress },
  };
  const header = headerLines(list, 'CiliumNetworkPolicy for the egress allowlist');
  header.push(
    `Selects ${Object.keys(selector.labels).length > 0 ? 'the pods with the labels below' : 'every pod'} in ${namespace ? `namespace ${namespace}` : 'the namespace you apply it to (kubectl apply -n NAMESPACE)'}.`,
    'A pod under an egress policy may send only what a policy allows: add rules for the',
    'in-cluster services it calls (toEndpoints, toServices, or toEntities: [cluster]).',
  );
  if (selector.dropped > 0) header.push(`${selector.dropped} pod selector label(s) left out: not valid Kubernetes labels.`);
  const trailer = leftOutLines(e, NODE_EGRESS_WHY);
  return yamlDocument(policy, header, comments, trailer);
}
