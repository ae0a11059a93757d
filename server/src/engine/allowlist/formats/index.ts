// The egress allowlist's output formats: pure functions Allowlist → string, one module per
// target, each with its target's wildcard, port and scope semantics (see each module's header and
// research: egress-and-image-lists.md §2). `formatAllowlist` is what the CLI (`airgap-lint
// allowlist --format F`) and the LSP command (`airgapLint.generateAllowlist`) call.
import { ALLOWLIST_FORMATS, type Allowlist, type AllowlistFormat, type AllowlistFormatOptions, type AllowlistFormatter } from '../types';
import { ALLOWLIST_FORMAT_CHOICES } from '../../generator-formats';
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

/** What only the engine needs of each format; the summary and language come from generator-formats. */
const ALLOWLIST_FORMAT_SHAPE: Readonly<Record<AllowlistFormat, Pick<AllowlistFormatInfo, 'extension' | 'podScoped'>>> = {
  text: { extension: 'txt', podScoped: false },
  json: { extension: 'json', podScoped: false },
  csv: { extension: 'csv', podScoped: false },
  squid: { extension: 'conf', podScoped: false },
  cilium: { extension: 'yaml', podScoped: true },
  egressfirewall: { extension: 'yaml', podScoped: true },
  istio: { extension: 'yaml', podScoped: true },
  calico: { extension: 'yaml', podScoped: true },
  'aws-network-firewall': { extension: 'json', podScoped: false },
  'azure-firewall': { extension: 'json', podScoped: false },
  verify: { extension: 'sh', podScoped: false },
};

export const ALLOWLIST_FORMAT_INFO = Object.fromEntries(
  ALLOWLIST_FORMAT_CHOICES.map(({ format, language, summary }) => [format, { ...ALLOWLIST_FORMAT_SHAPE[format], language, summary }]),
) as Readonly<Record<AllowlistFormat, AllowlistFormatInfo>>;

export function isAllowlistFormat(value: string): value is AllowlistFormat {
  return (ALLOWLIST_FORMATS as readonly string[]).includes(value);
}

/** The allowlist in one format. Never throws on odd input: unusable entries are left out (and said so where the format has comments). */
export function formatAllowlist(list: Allowlist, format: AllowlistFormat, options: AllowlistFormatOptions = {}): string {
  const formatter = ALLOWLIST_FORMATTERS[format];
  if (!formatter) throw new Error(`unknown allowlist format: ${String(format)}`);
  return formatter(list, options);
}
