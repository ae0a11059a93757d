// `--format calico`: Calico Enterprise / Calico Cloud GlobalNetworkSets (`projectcalico.org/v3`)
// whose `allowedEgressDomains` and `nets` hold the allowlist, for a GlobalNetworkPolicy to allow.
//
// Semantics (docs.tigera.io "Global network set" and "DNS policy"; CRD
// pkg/crds/enterprise/v3.projectcalico.org/projectcalico.org_globalnetworksets.yaml of
// tigera/operator, which the tests validate against):
// - Domain names take effect only when the set is the destination of an egress rule with action
//   Allow; Calico learns their IPs from DNS answers of trusted DNS servers and allows those IPs
//   (names sharing an IP are then allowed too). Open-source Calico has no allowedEgressDomains.
// - `*.x` matches one or more labels (`*.google.com`: www.google.com and www.ipv6.google.com,
//   not google.com); `*` alone, `*.*.x` and `g*.com` are not supported. So wildcards are written
//   as they are, and an apex stays its own entry.
// - IPs and CIDRs go to `nets` (a single address as /32 or /128).
// - A network set has no ports: hosts are split into one set per distinct set of ports, each
//   labelled `airgap-lint.io/egress-set`, and the example GlobalNetworkPolicy (a comment at the
//   end, to adapt) allows each set on its ports, plus DNS to kube-dns.
// - Pod-scoped (a policy selecting pods): node egress (image pulls) and features off in these
//   values (onlyIf) are left out, with a comment.
import type { Allowlist, AllowlistFormatOptions } from '../types';
import { describeTarget, enforcement, groupByPortSet, headerLines, leftOutLines, namespaceOf, NODE_EGRESS_WHY, objectName, podSelectorOf, type Target } from './common';
import { commentedYaml, commentOnly, yamlDocument, yamlStream, type YamlComment } from './yaml';

export const CALICO_SET_LABEL = 'airgap-lint.io/egress-set';

function describeHost(targets: Target[]): string {
  const merged: Target = { ...targets[0], features: [...new Set(targets.flatMap((t) => t.features))], reasons: [...new Set(targets.flatMap((t) => t.reasons))] };
  return describeTarget(merged);
}

function setName(base: string, ports: Array<{ port: number; protocol: 'tcp' | 'udp' }>, index: number): string {
  const parts: string[] = [];
  for (const protocol of ['tcp', 'udp'] as const) {
    const numbers = ports.filter((p) => p.protocol === protocol).map((p) => p.port);
    if (numbers.length > 0) parts.push(protocol, ...numbers.map(String));
  }
  const name = `${base}-${parts.join('-')}`;
  return name.length <= 63 ? name : `${base}-set-${index}`;
}

export function formatCalico(list: Allowlist, options: AllowlistFormatOptions = {}): string {
  const e = enforcement(list, true);
  const base = objectName(options);
  const namespace = namespaceOf(options);
  const header = headerLines(list, 'Calico GlobalNetworkSets of the egress allowlist');
  header.push(
    'Calico Enterprise / Calico Cloud: allowedEgressDomains act only as the destination of an',
    'egress Allow rule, enforced by the IPs Calico sees DNS return for them. "*.x" matches one or',
    'more labels under x, not x. A set has no ports: one set per set of ports, and the example',
    'GlobalNetworkPolicy at the end allows each on its ports.',
  );
  const documents: Array<{ value: unknown; header: string[]; comments: YamlComment[] }> = [];
  const rules: unknown[] = [
    { action: 'Allow', protocol: 'UDP', destination: { namespaceSelector: "projectcalico.org/name == 'kube-system'", selector: "k8s-app == 'kube-dns'", ports: [53] } },
    { action: 'Allow', protocol: 'TCP', destination: { namespaceSelector: "projectcalico.org/name == 'kube-system'", selector: "k8s-app == 'kube-dns'", ports: [53] } },
  ];
  groupByPortSet(e.allowed).forEach((group, i) => {
    const name = setName(base, group.ports, i + 1);
    const domains: string[] = [];
    const nets: string[] = [];
    const comments: YamlComment[] = [];
    for (const h of group.hosts) {
      if (h.parsed.kind === 'ip' || h.parsed.kind === 'cidr') {
        comments.push({ path: ['spec', 'nets', nets.length], before: [describeHost(h.targets)] });
        nets.push(h.parsed.cidr as string);
      } else {
        comments.push({ path: ['spec', 'allowedEgressDomains', domains.length], before: [describeHost(h.targets)] });
        domains.push(h.parsed.host);
      }
    }
    const spec: Record<string, string[]> = {};
    if (nets.length > 0) spec.nets = nets;
    if (domains.length > 0) spec.allowedEgressDomains = domains;
    const ports = group.ports.map((p) => `${p.port}/${p.protocol.toUpperCase()}`).join(', ');
    documents.push({
      value: { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkSet', metadata: { name, labels: { [CALICO_SET_LABEL]: name } }, spec },
      header: [...(i === 0 ? header : []), `Allowed on ${ports}.`],
      comments,
    });
    for (const protocol of ['tcp', 'udp'] as const) {
      const numbers = group.ports.filter((p) => p.protocol === protocol).map((p) => p.port);
      if (numbers.length > 0) rules.push({ action: 'Allow', protocol: protocol.toUpperCase(), destination: { selector: `${CALICO_SET_LABEL} == '${name}'`, ports: numbers } });
    }
  });

  const { labels } = podSelectorOf(options);
  const selectors = [
    ...(namespace ? [`projectcalico.org/namespace == '${namespace}'`] : []),
    ...Object.entries(labels).map(([k, v]) => `${k} == '${v}'`),
  ];
  const policy = {
    apiVersion: 'projectcalico.org/v3',
    kind: 'GlobalNetworkPolicy',
    metadata: { name: base },
    spec: { selector: selectors.length > 0 ? selectors.join(' && ') : 'all()', types: ['Egress'], egress: rules },
  };
  const trailer = [
    ...leftOutLines(e, NODE_EGRESS_WHY),
    '',
    'Example policy for the selected pods (adapt, then uncomment). Once pods are selected for',
    'egress, anything not allowed is denied: add rules for the API server and in-cluster services.',
    '---',
    ...commentedYaml(yamlDocument(policy, [])),
  ];
  if (documents.length === 0) return commentOnly([...header, 'No external host to allow.', ...trailer]);
  return yamlStream(documents.map((d, i) => yamlDocument(d.value, d.header, d.comments, i === documents.length - 1 ? trailer : [])));
}
