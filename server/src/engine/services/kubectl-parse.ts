// Reading what kubectl prints when "Detect Cluster Network with kubectl" runs the read-only
// queries of the CloudZero proxy guide (vendor/cloudzero-agent-http-proxy.txt):
//
//   kubectl get svc kubernetes -n default -o jsonpath={.spec.clusterIP}     → the apiserver ClusterIP
//   kubectl get nodes -o jsonpath={.items[*].spec.podCIDR}                  → each node's pod slice
//   kubectl cluster-info dump | grep -m1 -E 'cluster-cidr|service-cluster-ip-range'
//
// Pure text in, plain data out: the client runs the programs (no shell) and this module
// decides what the output means. Nothing here trusts the output: a value is kept only if it
// parses as an address or CIDR.
import { formatRange, parseCidrText, rangeOf } from '../noproxy/cidr';
import { formatIP, parseIP, type IPFamily, type IPValue } from '../noproxy/ip';

/** The three queries, as argument vectors for execFile/spawn (never a shell string). */
export const KUBECTL_QUERIES = {
  apiServerIP: ['get', 'svc', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.spec.clusterIP}'],
  nodePodCIDRs: ['get', 'nodes', '-o', 'jsonpath={.items[*].spec.podCIDR}'],
  clusterInfoDump: ['cluster-info', 'dump'],
  currentContext: ['config', 'current-context'],
} as const;

/** Never let a query wait on an unreachable apiserver for kubectl's default of forever. */
export const KUBECTL_REQUEST_TIMEOUT = '--request-timeout=15s';

export interface ParsedCidr {
  family: IPFamily;
  start: bigint;
  prefix: number;
  /** Canonical text, host bits cleared: `10.244.0.0/24`. */
  text: string;
}

/** A CIDR (`10.244.1.0/24`, `fd00:10:244::/64`) in canonical form, or undefined. */
export function parseCidr(s: string): ParsedCidr | undefined {
  const parsed = s.length > 64 ? undefined : parseCidrText(s);
  if (!parsed) return undefined;
  const { ip, prefix } = parsed;
  const range = rangeOf(ip, prefix);
  return { family: ip.family, start: range.start, prefix, text: formatRange(range) };
}

/** The apiserver ClusterIP from `get svc kubernetes -o jsonpath={.spec.clusterIP}`. */
export function parseApiServerIP(output: string): string | undefined {
  const text = output.trim().replace(/^'|'$/g, '');
  const ip = parseIP(text);
  return ip ? formatIP(ip) : undefined;
}

/**
 * Node pod CIDRs from `get nodes -o jsonpath={.items[*].spec.podCIDR}` (space-separated), also
 * accepting the `podCIDRs` form (`["10.244.0.0/24","fd00::/64"] [...]`). Canonical, deduplicated.
 */
export function parseNodePodCIDRs(output: string): string[] {
  const out: string[] = [];
  for (const token of output.split(/[\s,[\]"']+/)) {
    const cidr = token ? parseCidr(token) : undefined;
    if (cidr && !out.includes(cidr.text)) out.push(cidr.text);
  }
  return out;
}

/**
 * The smallest block per address family that holds every node slice: what the node slices
 * prove about the cluster-wide pod range (the real range is often wider, e.g. a /16 cut into /24s).
 */
export function coveringCidrs(cidrs: string[]): string[] {
  const out: string[] = [];
  for (const family of [4, 6] as IPFamily[]) {
    const parsed = cidrs.map(parseCidr).filter((c): c is ParsedCidr => c !== undefined && c.family === family);
    if (!parsed.length) continue;
    const width = family === 4 ? 32 : 128;
    let lo = parsed[0].start;
    let hi = 0n;
    let prefix = width;
    for (const c of parsed) {
      const end = c.start + (1n << BigInt(width - c.prefix)) - 1n;
      if (c.start < lo) lo = c.start;
      if (end > hi) hi = end;
      prefix = Math.min(prefix, c.prefix);
    }
    // Shorten the prefix until one block holds both ends.
    while (prefix > 0 && lo >> BigInt(width - prefix) !== hi >> BigInt(width - prefix)) prefix--;
    out.push(formatRange(rangeOf({ family, value: lo } as IPValue, prefix)));
  }
  return out;
}

/**
 * Finds `--cluster-cidr` and `--service-cluster-ip-range` in `kubectl cluster-info dump` output
 * as it streams by (the dump can be tens of MB): feed chunks, stop when `done`, call `end()`
 * when the stream ends. The flags show up in controller-manager/apiserver pod specs
 * (`"--cluster-cidr=10.244.0.0/16"`), and on k3s/RKE2 in the `k3s.io/node-args` node
 * annotation (`\"--cluster-cidr\",\"10.52.0.0/16\",\"--service-cidr\",…`).
 */
export class ClusterInfoDumpScanner {
  clusterCIDR: string[] | undefined;
  serviceCIDR: string[] | undefined;
  /** The end of what was seen, so that a flag split across two chunks is still found. */
  private tail = '';
  private static readonly CARRY = 512;

  get done(): boolean {
    return this.clusterCIDR !== undefined && this.serviceCIDR !== undefined;
  }

  feed(chunk: string): void {
    this.scan(this.tail + chunk, false);
  }

  /** The stream ended: a value at the very end of the output is complete now. */
  end(): void {
    this.scan(this.tail, true);
  }

  private scan(text: string, atEnd: boolean): void {
    this.clusterCIDR ??= firstFlagValue(text, 'cluster-cidr', atEnd);
    this.serviceCIDR ??= firstFlagValue(text, 'service-cluster-ip-range', atEnd) ?? firstFlagValue(text, 'service-cidr', atEnd);
    this.tail = text.slice(-ClusterInfoDumpScanner.CARRY);
  }
}

/** Convenience for a complete dump held in memory (tests, small clusters). */
export function scanClusterInfoDump(output: string): { clusterCIDR?: string[]; serviceCIDR?: string[] } {
  const scanner = new ClusterInfoDumpScanner();
  scanner.feed(output);
  scanner.end();
  return { clusterCIDR: scanner.clusterCIDR, serviceCIDR: scanner.serviceCIDR };
}

function firstFlagValue(text: string, flag: string, atEnd: boolean): string[] | undefined {
  // `--flag=V`, `--flag V`, `"--flag","V"`, `\"--flag\",\"V\"`, `flag: V` (config files).
  const re = new RegExp(`(?:^|[^A-Za-z0-9-])-{0,2}${flag}(?:[=:\\s"\\\\,])+([0-9A-Fa-f][0-9A-Fa-f.:/,]*)`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    // A value running into the end of a chunk may be cut short (`10.244.0.0/1|6`): wait for more.
    if (!atEnd && m.index + m[0].length === text.length) return undefined;
    const cidrs = m[1]
      .split(',')
      .map((s) => parseCidr(s))
      .filter((c): c is ParsedCidr => c !== undefined)
      .map((c) => c.text);
    if (cidrs.length) return cidrs;
  }
  return undefined;
}

export interface DetectedNetwork {
  context?: string;
  apiServerIP?: string;
  /** Cluster-wide pod CIDRs: `--cluster-cidr` if found, else the block covering the node slices. */
  podCIDR: string[];
  podCIDRSource?: 'cluster-cidr' | 'nodes';
  nodePodCIDRs: string[];
  serviceCIDR: string[];
  /** What could not be found and what to do about it, for the summary shown to the user. */
  notes: string[];
}

export interface KubectlOutputs {
  context?: string;
  apiServerIP?: string;
  nodePodCIDRs?: string;
  dump?: { clusterCIDR?: string[]; serviceCIDR?: string[] };
}

/** Puts the three answers together into what gets written to the profile. */
export function combineDetection(outputs: KubectlOutputs): DetectedNetwork {
  const notes: string[] = [];
  const apiServerIP = outputs.apiServerIP !== undefined ? parseApiServerIP(outputs.apiServerIP) : undefined;
  if (!apiServerIP) notes.push('The apiserver ClusterIP was not found (kubectl get svc kubernetes -n default).');
  const nodePodCIDRs = outputs.nodePodCIDRs !== undefined ? parseNodePodCIDRs(outputs.nodePodCIDRs) : [];
  let podCIDR: string[] = [];
  let podCIDRSource: DetectedNetwork['podCIDRSource'];
  if (outputs.dump?.clusterCIDR?.length) {
    podCIDR = outputs.dump.clusterCIDR;
    podCIDRSource = 'cluster-cidr';
  } else if (nodePodCIDRs.length) {
    podCIDR = coveringCidrs(nodePodCIDRs);
    podCIDRSource = 'nodes';
    notes.push(
      `No --cluster-cidr in the cluster-info dump: the pod CIDR ${podCIDR.join(', ')} is the smallest block holding the ${nodePodCIDRs.length} node slice(s); the cluster-wide range may be wider (check your cloud provider's CLI).`,
    );
  } else {
    notes.push('No pod CIDR found (no --cluster-cidr in the dump, no node podCIDR): with a VPC/VNet CNI, pods use the subnet ranges.');
  }
  const serviceCIDR = outputs.dump?.serviceCIDR ?? [];
  if (!serviceCIDR.length) {
    notes.push('No --service-cluster-ip-range in the cluster-info dump (managed control planes hide it): take it from your cloud provider\'s CLI.');
  }
  return { context: outputs.context?.trim() || undefined, apiServerIP, podCIDR, podCIDRSource, nodePodCIDRs, serviceCIDR, notes };
}
