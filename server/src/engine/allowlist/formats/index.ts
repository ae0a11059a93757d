// The egress allowlist's output formats: pure functions Allowlist → string, one module per
// target, each with its target's wildcard, port and scope semantics (see each module's header and
// research: egress-and-image-lists.md §2). `formatAllowlist` is what the CLI (`airgap-lint
// allowlist --format F`) and the LSP command (`airgapLint.generateAllowlist`) call.
import { ALLOWLIST_FORMATS, type Allowlist, type AllowlistFormat, type AllowlistFormatOptions, type AllowlistFormatter } from '../types';
import { formatAwsNetworkFirewall } from './aws-network-firewall';
import { formatAzureFirewall } from './azure-firewall';
import { formatCalico } from './calico';
import { formatCilium } from './cilium';
import { formatCsv } from './csv';
import { formatEgressFirewall } from './egressfirewall';
import { formatIstio } from './istio';
import { formatJson } from './json';
import { formatSquid } from './squid';
import { formatText } from './text';
import { formatVerify } from './verify';

export { ALLOWLIST_FORMATS };
export { validateFormatOptions, DEFAULT_OBJECT_NAME, parseHost } from './common';
export { toAllowlistJson, type AllowlistJson, type AllowlistJsonEntry } from './json';
export { shellQuote } from './verify';

export const ALLOWLIST_FORMATTERS: Readonly<Record<AllowlistFormat, AllowlistFormatter>> = {
  text: formatText,
  json: formatJson,
  csv: formatCsv,
  squid: formatSquid,
  cilium: formatCilium,
  egressfirewall: formatEgressFirewall,
  istio: formatIstio,
  calico: formatCalico,
  'aws-network-firewall': formatAwsNetworkFirewall,
  'azure-firewall': formatAzureFirewall,
  verify: formatVerify,
};

export interface AllowlistFormatInfo {
  /** VS Code language id to open the output with. */
  language: string;
  /** File extension for a saved output (without the dot). */
  extension: string;
  /** Whether --namespace / --pod-selector apply (and node egress is left out). */
  podScoped: boolean;
  summary: string;
}

export const ALLOWLIST_FORMAT_INFO: Readonly<Record<AllowlistFormat, AllowlistFormatInfo>> = {
  text: { language: 'egress-allowlist', extension: 'txt', podScoped: false, summary: 'By feature, for people (Robusta style): wildcards with their exact hosts' },
  json: { language: 'json', extension: 'json', podScoped: false, summary: 'Machine-readable list (CLI contract: version 1)' },
  csv: { language: 'csv', extension: 'csv', podScoped: false, summary: 'Spreadsheet / change ticket rows' },
  squid: { language: 'plaintext', extension: 'conf', podScoped: false, summary: 'Squid dstdomain/dst ACLs and http_access lines' },
  cilium: { language: 'yaml', extension: 'yaml', podScoped: true, summary: 'CiliumNetworkPolicy with toFQDNs and the DNS rule' },
  egressfirewall: { language: 'yaml', extension: 'yaml', podScoped: true, summary: 'OVN-Kubernetes / OpenShift EgressFirewall' },
  istio: { language: 'yaml', extension: 'yaml', podScoped: true, summary: 'Istio ServiceEntries (MESH_EXTERNAL)' },
  calico: { language: 'yaml', extension: 'yaml', podScoped: true, summary: 'Calico Enterprise GlobalNetworkSets (allowedEgressDomains)' },
  'aws-network-firewall': { language: 'json', extension: 'json', podScoped: false, summary: 'AWS Network Firewall domain list rule group' },
  'azure-firewall': { language: 'json', extension: 'json', podScoped: false, summary: 'Azure Firewall Policy rule collection group (ARM template)' },
  verify: { language: 'shellscript', extension: 'sh', podScoped: false, summary: 'Shell script checking TCP+TLS to each host from a pod' },
};

export function isAllowlistFormat(value: string): value is AllowlistFormat {
  return (ALLOWLIST_FORMATS as readonly string[]).includes(value);
}

/** The allowlist in one format. Never throws on odd input: unusable entries are left out (and said so where the format has comments). */
export function formatAllowlist(list: Allowlist, format: AllowlistFormat, options: AllowlistFormatOptions = {}): string {
  const formatter = ALLOWLIST_FORMATTERS[format];
  if (!formatter) throw new Error(`unknown allowlist format: ${String(format)}`);
  return formatter(list, options);
}
