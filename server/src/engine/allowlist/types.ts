// The egress allowlist of a values stack, as the collector (collect.ts) builds it and every
// output format (formats/) reads it. One list, many dialects: each formatter writes the same
// hosts with its target's wildcard semantics (research: egress-and-image-lists.md §2).

/** Who makes the connection: the app's pods, or the nodes' container runtime (image pulls). */
export type EgressScope = 'pod' | 'node';

/** A place in a values file (1-based line), as reports show it. */
export interface SourceLine {
  path: string;
  line: number;
}

export interface AllowlistEntry {
  /** An exact host name, a `*.`-wildcard, an IP address or a CIDR; lower case, no port, no scheme. */
  host: string;
  port: number;
  protocol: 'tcp' | 'udp';
  /** The feature that needs it ("Robusta SaaS platform", "Image registry quay.io", "other"). */
  feature: string;
  /** Why this host: the vendor's words, or the values key it was found under. */
  reason: string;
  egress: EgressScope;
  /** `host` starts with `*.`. */
  wildcard: boolean;
  /** The exact hosts a wildcard stands for, as the vendor lists them (empty when unknown or not a wildcard). */
  expands: string[];
  /** The value that turns the feature on (null: always on). */
  enabledBy: SourceLine | null;
  /** Where the host itself comes from in the values (a URL value), when it does. */
  sources: SourceLine[];
  /** Set when the feature is off in these values and listed anyway (`--features all`): "only if …". */
  onlyIf?: string;
  /** Where the fact comes from (a vendor document), for comments. */
  source?: string;
  /** The component that connects, when known. */
  component?: string;
}

/** A value that looked like an external endpoint but could not be listed, and why. */
export interface SkippedValue {
  /** The value with any credentials redacted. */
  value: string;
  path: string;
  line: number;
  /** Values path of the key, e.g. `sinksConfig[2].webhook_sink.url`. */
  key: string;
  reason: string;
}

export interface Allowlist {
  /** Entries grouped by feature (features in the order found), hosts sorted within a feature. */
  entries: AllowlistEntry[];
  skipped: SkippedValue[];
  /** The values files of the stack, base first (display paths). */
  files: string[];
  /** The chart the knowledge came from, if any. */
  chart?: string;
}

export interface AllowlistFormatOptions {
  /** Namespace of the pods, for pod-scoped formats (cilium, egressfirewall, istio). */
  namespace?: string;
  /** Pod labels the policy selects (cilium); none selects every pod of the namespace. */
  podSelector?: Record<string, string>;
  /** Name for generated objects (default: `airgap-lint-egress`). */
  name?: string;
  /**
   * Where the pods reach the Kubernetes API server (`egressfirewall`: its first Allow rule), an
   * IP or CIDR such as `10.0.0.10/32`: the API server's endpoint addresses, not the `kubernetes`
   * Service ClusterIP. Unset: the rule allows the control-plane nodes by `nodeSelector` instead.
   */
  apiServerCIDR?: string;
}

export type AllowlistFormat =
  | 'text'
  | 'json'
  | 'csv'
  | 'squid'
  | 'cilium'
  | 'egressfirewall'
  | 'istio'
  | 'calico'
  | 'aws-network-firewall'
  | 'azure-firewall'
  | 'verify';

export const ALLOWLIST_FORMATS: readonly AllowlistFormat[] = ['text', 'json', 'csv', 'squid', 'cilium', 'egressfirewall', 'istio', 'calico', 'aws-network-firewall', 'azure-firewall', 'verify'];

export type AllowlistFormatter = (list: Allowlist, options: AllowlistFormatOptions) => string;
