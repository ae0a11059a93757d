// `--format aws-network-firewall`: the rule group of an AWS Network Firewall stateful domain list,
// exactly what `aws network-firewall create-rule-group --type STATEFUL --rule-group file://F
// --rule-group-name N --capacity C` accepts as F (a RuleGroup: RulesSource.RulesSourceList):
//   {"RulesSource":{"RulesSourceList":{"Targets":[…],"TargetTypes":["TLS_SNI","HTTP_HOST"],
//     "GeneratedRulesType":"ALLOWLIST"}}}
// JSON has no comments and the CLI rejects unknown keys, so the caveats live here and in the
// README, not in the output:
// - Targets (API reference, RulesSourceList): `abc.example.com` matches only that name;
//   `.example.com` matches example.com and every subdomain. So `*.x` is written `.x` (which also
//   opens x), and a name under a listed `.x`, or x itself, is dropped as already covered.
// - TLS_SNI matches HTTPS by the SNI of the ClientHello, HTTP_HOST plain HTTP by the Host header.
//   A domain list has no ports: a host is allowed on any port (the entries' ports are not
//   expressible); IPs, CIDRs and UDP entries cannot be written in a domain list and are left
//   out (allow them with a 5-tuple or Suricata rule group).
// - Node egress (image pulls) is kept: the firewall sees node and pod traffic alike. Features
//   off in these values (onlyIf) are left out. By default only traffic from the firewall's VPC
//   is inspected (HOME_NET); set RuleVariables.IPSets.HOME_NET for peered VPCs.
import type { Allowlist, AllowlistFormatOptions } from '../types';
import { domainSortKey, enforcement, isAtOrUnder } from './common';

export interface AwsRuleGroup {
  RulesSource: {
    RulesSourceList: {
      Targets: string[];
      TargetTypes: Array<'TLS_SNI' | 'HTTP_HOST'>;
      GeneratedRulesType: 'ALLOWLIST';
    };
  };
}

/** Domain list targets: `.x` for `*.x`, names not under a listed `.x`, parents first. */
export function awsTargets(list: Allowlist): string[] {
  const e = enforcement(list, false);
  const values = new Map<string, boolean>(); // name → dotted
  for (const t of e.allowed) {
    if (t.protocol !== 'tcp') continue;
    if (t.parsed.kind === 'wildcard') values.set(t.parsed.base as string, true);
    else if (t.parsed.kind === 'name' && !values.get(t.parsed.host)) values.set(t.parsed.host, false);
  }
  const sorted = [...values.entries()].sort(([a], [b]) => {
    const ka = domainSortKey(a);
    const kb = domainSortKey(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const parents: string[] = [];
  const targets: string[] = [];
  for (const [name, dotted] of sorted) {
    if (parents.some((p) => isAtOrUnder(name, p))) continue;
    if (dotted) parents.push(name);
    targets.push(dotted ? `.${name}` : name);
  }
  return targets;
}

export function formatAwsNetworkFirewall(list: Allowlist, _options: AllowlistFormatOptions = {}): string {
  const group: AwsRuleGroup = {
    RulesSource: {
      RulesSourceList: { Targets: awsTargets(list), TargetTypes: ['TLS_SNI', 'HTTP_HOST'], GeneratedRulesType: 'ALLOWLIST' },
    },
  };
  return `${JSON.stringify(group, null, 2)}\n`;
}
