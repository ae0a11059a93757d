// `--format azure-firewall`: an ARM template with one Azure Firewall Policy rule collection group
// (`Microsoft.Network/firewallPolicies/ruleCollectionGroups`), deployable on its own:
//   az deployment group create -g RG --template-file F --parameters firewallPolicyName=POLICY
// Classic firewalls (rules on the firewall itself) take the same rules as
// `applicationRuleCollections` / `networkRuleCollections`.
//
// Semantics (ARM reference firewallPolicies/ruleCollectionGroups; azure-rest-api-specs
// firewallPolicy.json 2024-05-01, which the tests' schema follows; Azure Firewall FAQ on
// wildcards):
// - Application rules (FQDN filtering by SNI / Host header) take `targetFqdns`; `*` works
//   left-most only and then matches several levels. Whether `*.x` also matches x is not
//   documented clearly, so x is written beside every `*.x` (research §2), and names under a
//   listed `*.x` in the same rule are dropped as covered. Protocols: `Http:80` for port 80,
//   `Https:PORT` for any other TCP port up to 64000 (the API's maximum).
// - Network rules take no wildcards: IPs and CIDRs go to a network rule collection
//   (`destinationAddresses`, ports, TCP or UDP), and so do exact names on UDP (NTP) or on ports
//   above 64000, as `destinationFqdns` (these need the firewall's DNS proxy: said in the rule's
//   description). A wildcard on UDP cannot be written: left out, listed in `metadata.leftOut`.
// - sourceAddresses `*` (narrow it to the cluster's node/pod ranges). Node egress (image pulls)
//   is kept: the firewall filters node and pod traffic alike. Features off in these values
//   (onlyIf) are left out (listed in `metadata.leftOut`). A host needed by several features is
//   written once, in the first feature's rule, the others named in its description.
// - ARM evaluates any string that starts with "[" and ends with "]" as an expression; every
//   generated string starting with "[" is escaped as "[[" (ARM template syntax, "Escape
//   characters"), so no feature or reason text can become an expression.
import type { Allowlist, AllowlistFormatOptions } from '../types';
import { describeTarget, enforcement, headerLines, hostWithPort, isUnder, leftOutLines, objectName, oneLine, portSetKey, parsePortSetKey, slug, type Target } from './common';

const MAX_APP_PORT = 64000;

interface AppRule {
  ruleType: 'ApplicationRule';
  name: string;
  description: string;
  sourceAddresses: string[];
  protocols: Array<{ protocolType: 'Http' | 'Https'; port: number }>;
  targetFqdns: string[];
}

interface NetRule {
  ruleType: 'NetworkRule';
  name: string;
  description: string;
  ipProtocols: Array<'TCP' | 'UDP'>;
  sourceAddresses: string[];
  destinationAddresses?: string[];
  destinationFqdns?: string[];
  destinationPorts: string[];
}

/** ARM template strings: a leading "[" would start an expression, "[[" is the literal. */
function armEscape<T>(value: T): T {
  if (typeof value === 'string') return (value.startsWith('[') ? `[${value}` : value) as T;
  if (Array.isArray(value)) return value.map(armEscape) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, armEscape(v)])) as T;
  }
  return value;
}

function uniqueName(used: Set<string>, wanted: string): string {
  let name = wanted.slice(0, 80).replace(/-+$/, '');
  for (let i = 2; used.has(name); i++) name = `${wanted.slice(0, 74)}-${i}`;
  used.add(name);
  return name;
}

function merged(targets: Target[]): Target {
  return { ...targets[0], features: [...new Set(targets.flatMap((t) => t.features))], reasons: [...new Set(targets.flatMap((t) => t.reasons))] };
}

export function formatAzureFirewall(list: Allowlist, options: AllowlistFormatOptions = {}): string {
  const e = enforcement(list, false);
  const appGroups = new Map<string, { feature: string; ports: string; hosts: Map<string, Target[]> }>();
  const netGroups = new Map<string, { feature: string; protocol: 'tcp' | 'udp'; ports: number[]; kind: 'address' | 'fqdn'; hosts: Map<string, Target[]> }>();
  const leftOut: string[] = [];

  // per host: its ports, for the first feature that needs it
  const byHost = new Map<string, Target[]>();
  for (const t of e.allowed) {
    const list = byHost.get(t.parsed.host);
    if (list) list.push(t);
    else byHost.set(t.parsed.host, [t]);
  }
  for (const [host, targets] of byHost) {
    const p = targets[0].parsed;
    const feature = targets[0].features[0];
    const app = targets.filter((t) => t.protocol === 'tcp' && t.port <= MAX_APP_PORT && (p.kind === 'name' || p.kind === 'wildcard'));
    const rest = targets.filter((t) => !app.includes(t));
    if (app.length > 0) {
      const ports = portSetKey(app);
      const key = JSON.stringify([feature, ports]);
      let g = appGroups.get(key);
      if (!g) {
        g = { feature, ports, hosts: new Map() };
        appGroups.set(key, g);
      }
      g.hosts.set(host, app);
    }
    const kind = p.kind === 'name' ? 'fqdn' : 'address';
    for (const protocol of ['tcp', 'udp'] as const) {
      const these = rest.filter((t) => t.protocol === protocol);
      if (these.length === 0) continue;
      if (p.kind === 'wildcard') {
        for (const t of these) {
          leftOut.push(`${hostWithPort(p, t.port, t.protocol)} (${describeTarget(t, 160)}): a wildcard on ${t.protocol === 'udp' ? 'UDP' : `port ${t.port}`} fits no Azure Firewall rule`);
        }
        continue;
      }
      const ports = [...new Set(these.map((t) => t.port))].sort((a, b) => a - b);
      const key = JSON.stringify([feature, protocol, kind, ports]);
      let g = netGroups.get(key);
      if (!g) {
        g = { feature, protocol, ports, kind, hosts: new Map() };
        netGroups.set(key, g);
      }
      g.hosts.set(host, these);
    }
  }

  const used = new Set<string>();
  const appRules: AppRule[] = [];
  for (const g of appGroups.values()) {
    const ports = parsePortSetKey(g.ports);
    const fqdns: string[] = [];
    const wildcardBases = [...g.hosts.keys()].filter((h) => h.startsWith('*.')).map((h) => h.slice(2));
    for (const host of g.hosts.keys()) {
      if (host.startsWith('*.')) {
        const apex = host.slice(2);
        if (wildcardBases.some((b) => isUnder(apex, b))) continue; // *.eu.x under *.x
        if (!fqdns.includes(host)) fqdns.push(host);
        if (!fqdns.includes(apex)) fqdns.push(apex);
      } else if (!wildcardBases.some((b) => isUnder(host, b)) && !fqdns.includes(host)) {
        fqdns.push(host);
      }
    }
    const description = oneLine([...g.hosts.values()].map((ts) => describeTarget(merged(ts), 120)).join(' | '), 240);
    const protoSlug = ports.map((p) => (p.port === 80 ? 'http-80' : `https-${p.port}`)).join('-');
    appRules.push({
      ruleType: 'ApplicationRule',
      name: uniqueName(used, `${slug(g.feature, 40)}-${protoSlug}`),
      description,
      sourceAddresses: ['*'],
      protocols: ports.map((p) => ({ protocolType: p.port === 80 ? 'Http' : 'Https', port: p.port })),
      targetFqdns: fqdns,
    });
  }
  const netRules: NetRule[] = [];
  for (const g of netGroups.values()) {
    const hosts = [...g.hosts.keys()].map((h) => g.hosts.get(h)?.[0].parsed.cidr ?? h);
    const description = oneLine(
      `${[...g.hosts.values()].map((ts) => describeTarget(merged(ts), 120)).join(' | ')}${g.kind === 'fqdn' ? ' (FQDNs in network rules need the firewall DNS proxy)' : ''}`,
      240,
    );
    const rule: NetRule = {
      ruleType: 'NetworkRule',
      name: uniqueName(used, `${slug(g.feature, 40)}-${g.protocol}-${g.ports.join('-')}`),
      description,
      ipProtocols: [g.protocol === 'udp' ? 'UDP' : 'TCP'],
      sourceAddresses: ['*'],
      destinationPorts: g.ports.map(String),
    };
    if (g.kind === 'fqdn') rule.destinationFqdns = [...g.hosts.keys()];
    else rule.destinationAddresses = hosts;
    netRules.push(rule);
  }

  const collections: unknown[] = [];
  if (netRules.length > 0) {
    collections.push({ ruleCollectionType: 'FirewallPolicyFilterRuleCollection', name: 'airgap-lint-network', priority: 1100, action: { type: 'Allow' }, rules: netRules });
  }
  if (appRules.length > 0) {
    collections.push({ ruleCollectionType: 'FirewallPolicyFilterRuleCollection', name: 'airgap-lint-application', priority: 1200, action: { type: 'Allow' }, rules: appRules });
  }
  const header = headerLines(list, 'Azure Firewall Policy rule collection group of the egress allowlist');
  const template = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: armEscape({
      generator: 'airgap-lint',
      description: header.join(' '),
      notes: [
        'Application rules: "*.x" matches names under x at any depth; x itself is listed beside it.',
        'sourceAddresses "*": narrow it to the cluster node and pod ranges.',
        'Network rules are processed before application rules.',
      ],
      leftOut: [...leftOutLines(e), ...leftOut],
    }),
    parameters: {
      firewallPolicyName: { type: 'string', metadata: { description: 'Name of the existing Azure Firewall Policy.' } },
      ruleCollectionGroupName: { type: 'string', defaultValue: objectName(options) },
    },
    resources: [
      {
        type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
        apiVersion: '2024-05-01',
        name: "[format('{0}/{1}', parameters('firewallPolicyName'), parameters('ruleCollectionGroupName'))]",
        properties: armEscape({ priority: 1000, ruleCollections: collections }),
      },
    ],
  };
  return `${JSON.stringify(template, null, 2)}\n`;
}
