// The contract between the VS Code client and the language server, in one place (as
// vscode-eslint's shared customMessages.ts): custom request names with their parameter and
// result types, command IDs, and the few pure helpers the client runs itself (it parses
// kubectl output locally because kubectl runs on the client's machine). The client imports
// this module and nothing else from the server; it has no transport and no `vscode` import.
export { combineDetection, KUBECTL_QUERIES, ClusterInfoDumpScanner, KUBECTL_REQUEST_TIMEOUT, parseCidr, type DetectedNetwork, type KubectlOutputs } from './engine/services/kubectl-parse';
export { PRESETS, presetFor, type DistributionPreset } from './engine/config/presets';
export { parseIP } from './engine/noproxy/ip';
export { allRules, ruleDocsAnchor, type RuleInfo } from './engine/rules/catalog';

/** Custom requests (client → server). */
export const Requests = {
  /** `{uri}` → `{text}` | Failure: the annotated effective values of the file's stack. */
  effectiveValues: 'airgapLint/effectiveValues',
  /** `{uri}` → StackStatusResult | Failure: mode, mirror and problem counts of the file's layer stack. */
  stackStatus: 'airgapLint/stackStatus',
  /** `{uri}` → ClusterProfileInfo | Failure. */
  clusterProfile: 'airgapLint/clusterProfile',
  /** ClusterProfileEditParams → ClusterProfileEditResult: the edit the client applies as one WorkspaceEdit. */
  clusterProfileEdit: 'airgapLint/clusterProfileEdit',
} as const;

/** Commands: the server's (workspace/executeCommand) and the client's (palette, code actions). */
export const Commands = {
  /** Server: `{uris, format, features?, namespace?, podSelector?}` → GenerateResult. */
  generateAllowlist: 'airgapLint.generateAllowlist',
  /** Server: `{uris, format, optional?}` → GenerateResult. */
  generateImageList: 'airgapLint.generateImageList',
  /** Client: the cluster profile quick pick (code actions of proxy/profile-unknown run it). */
  setClusterProfile: 'airgapLint.setClusterProfile',
  /**
   * Client (palette, editor title): format and scope quick picks, then the allowlist in a new
   * editor. Not `generateAllowlist`: vscode-languageclient registers the server's
   * executeCommandProvider commands under their own IDs in VS Code.
   */
  generateEgressAllowlist: 'airgapLint.generateEgressAllowlist',
  /** Client: format and scope quick picks, then the image list in a new editor. */
  generateImageMirrorList: 'airgapLint.generateImageMirrorList',
  /** Client: the `overlay` image list written beside the chart as values-airgap.yaml. */
  generateAirgapOverlay: 'airgapLint.generateAirgapOverlay',
  /**
   * Client (code actions, palette): `(ruleId?)` opens the rule's page bundled in the extension
   * (dist/docs/rules/<ruleDocsAnchor>.md) in a Markdown preview, no network needed; without a
   * rule it asks with a quick pick. Clients other than VS Code may ignore it.
   */
  showRuleDocumentation: 'airgapLint.showRuleDocumentation',
} as const;

export type Failure = { error: string };

export function isFailure(v: unknown): v is Failure {
  return typeof v === 'object' && v !== null && typeof (v as Failure).error === 'string';
}

export interface UriParams {
  uri: string;
}

export interface EffectiveValuesResult {
  text: string;
  /** URIs of the stack's layers, base first: a view of the text is stale when one of them (or a config file) changes. */
  layers?: string[];
}

/** What the status bar shows beside the cluster profile (engine/services/stack-status.ts says how it is derived). */
export interface StackStatusResult {
  /** `proxy`: a layer sets an HTTP(S) proxy; `air-gap`: none does and mirror.registry is set; absent: neither. */
  mode?: 'proxy' | 'air-gap';
  /** `mirror.registry` in effect, without credentials. */
  mirrorRegistry?: string;
  /** The stack's layers, base first. Counts are absent for documents open in the client (it has their diagnostics). */
  layers: Array<{ uri: string; errors?: number; warnings?: number }>;
}

/** The cluster profile as the server resolves it for one file (status bar, profile commands). */
export interface ClusterProfileInfo {
  distribution?: string;
  podCIDR: string[];
  serviceCIDR: string[];
  apiServerIP?: string;
  clusterDomain: string;
  cloud?: string;
  /** Whether anything about the cluster network is known (a preset or explicit values). */
  known: boolean;
  /** The config file in effect, if any. */
  configPath?: string;
  /** Where "Set Cluster Network Profile" writes: the config in effect, else the workspace folder's. */
  targetConfigPath: string;
  /** Problems in the config file (it is still used in part). */
  configProblems: number;
}

export interface ClusterProfileEditParams {
  path: string;
  text: string | null;
  profile: { distribution?: string | null; podCIDR?: string[] | null; serviceCIDR?: string[] | null; apiServerIP?: string | null };
}

export interface GenerateParams {
  /** The values files (their stacks are listed); a folder's URI lists every values file under it. */
  uris: string[];
  format: string;
  /** Allowlist: `enabled` (default) or `all` (disabled features too, marked "only if …"). */
  features?: 'enabled' | 'all';
  namespace?: string;
  podSelector?: Record<string, string>;
  /** Image list: `include` (default) or `exclude` optional images. */
  optional?: 'include' | 'exclude';
  /** Allowlist (egressfirewall): the API server CIDR allowed first. */
  apiServerCIDR?: string;
  /** Image list (overlay): the pull secret it names (default airgap-registry-credentials). */
  pullSecret?: string;
}

/** What a generator returns: the text, and the language the client opens it in. */
export interface GenerateResult {
  text: string;
  /** `egress-allowlist`, `yaml`, `json`, `csv`, `shellscript` or `plaintext`. */
  language: string;
  /** Notes for the user (values skipped and why), never secrets. */
  notes: string[];
  /** Something asked for could not be listed or moved (the CLI's exit status 1); see notes. */
  incomplete?: boolean;
}

// The generators' formats, for the client's quick picks (plain data, one source for the engine too).
export { ALLOWLIST_FORMAT_CHOICES, IMAGE_LIST_FORMAT_CHOICES, type GeneratorFormat } from './engine/generator-formats';
