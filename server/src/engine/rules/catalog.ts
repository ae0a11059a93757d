// Every rule ID with its default severity and the README anchor its diagnostics link to.
// `schema/<keyword>` IDs are open-ended (one per JSON Schema keyword) and share one entry.
import type { Severity } from '../types';

export interface RuleInfo {
  id: string;
  severity: Severity;
  summary: string;
}

const CORE_RULE_INFO: RuleInfo[] = [
  { id: 'yaml/syntax', severity: 'error', summary: 'YAML parse error' },
  { id: 'yaml/duplicate-key', severity: 'error', summary: 'a key repeated in one mapping (Helm rejects it)' },
  { id: 'schema/*', severity: 'error', summary: 'JSON Schema violation; the suffix is the failing keyword' },
  { id: 'schema/unresolved-ref', severity: 'warning', summary: 'a remote or missing $ref; validation continues without it' },
  { id: 'config/invalid', severity: 'error', summary: '.airgap-lint.yaml breaks its schema, or another config error' },
];

export const SCHEMA_RULE_INFO: RuleInfo[] = [
  { id: 'schema/invalid-schema', severity: 'error', summary: 'the schema itself is broken (bad JSON, or not a valid JSON Schema)' },
  { id: 'schema/too-many-errors', severity: 'info', summary: 'more schema errors than are shown for one file' },
];

export const PLACEHOLDER_RULE_INFO: RuleInfo[] = [
  {
    id: 'values/placeholder',
    severity: 'error',
    summary: 'an unreplaced placeholder (<…>, CHANGEME, REPLACE_ME, YOUR_…, xxx, an ALL-CAPS name) in a registry, host, URL, credential or image value',
  },
];

export const IMAGE_RULE_INFO: RuleInfo[] = [
  { id: 'image/invalid-reference', severity: 'error', summary: 'the composed image reference does not parse under the distribution grammar' },
  { id: 'image/not-mirrored', severity: 'warning', summary: 'the image pulls from a registry other than the mirror (error in air-gap overlays)' },
  { id: 'image/pinned-tag', severity: 'warning', summary: 'an overlay pins the tag or digest of a chart image' },
  { id: 'image/implicit-latest', severity: 'warning', summary: 'no tag and no digest, or :latest (error in air-gap overlays)' },
  { id: 'image/digest-dropped', severity: 'warning', summary: 'an overlay replaces a digest-pinned reference with a tag-only one' },
  { id: 'image/digest-required', severity: 'warning', summary: 'mirror.digestsOnly is set and the reference has no digest' },
  { id: 'image/flat-layout', severity: 'warning', summary: 'a nested image path on a flat registry' },
  { id: 'image/double-registry', severity: 'error', summary: 'registry set while repository already starts with a registry host' },
  { id: 'image/bitnami-relocation', severity: 'error', summary: 'a Bitnami chart with a registry override and no global.security.allowInsecureImages' },
  { id: 'image/registry-overridden', severity: 'hint', summary: "an image's own registry that a global registry replaces (shown faded)" },
  { id: 'image/pull-secret-missing', severity: 'warning', summary: 'images come from a private mirror but no pull secret is set' },
];

export const PROXY_RULE_INFO: RuleInfo[] = [
  { id: 'proxy/no-proxy-absent', severity: 'warning', summary: 'a proxied env set has no NO_PROXY at all' },
  { id: 'proxy/no-proxy-missing', severity: 'warning', summary: 'NO_PROXY does not cover some required destinations' },
  { id: 'proxy/profile-unknown', severity: 'info', summary: 'a proxied env set, but no cluster network profile to check NO_PROXY against' },
  { id: 'proxy/no-proxy-ineffective', severity: 'warning', summary: 'a NO_PROXY entry that does not do what it looks like under an active runtime' },
  { id: 'proxy/no-proxy-wildcard', severity: 'warning', summary: '`*` as a NO_PROXY entry' },
  { id: 'proxy/no-proxy-redundant', severity: 'hint', summary: 'a NO_PROXY entry another entry already covers, or a duplicate' },
  { id: 'proxy/url-invalid', severity: 'error', summary: 'HTTP(S)_PROXY is no usable proxy URL, has an unsupported scheme, or is a placeholder' },
  { id: 'proxy/credentials-inline', severity: 'warning', summary: 'user:password in a proxy URL in a values file' },
  { id: 'proxy/env-case', severity: 'warning', summary: 'upper and lower case proxy variables disagree, or HTTP_PROXY only in upper case while curl is active' },
  { id: 'proxy/component-missing', severity: 'warning', summary: 'some env sets of the install set the proxy, another does not' },
  { id: 'proxy/no-proxy-differs', severity: 'info', summary: 'proxied env sets of one install have different NO_PROXY values' },
  { id: 'proxy/no-proxy-unsupported', severity: 'warning', summary: 'a chart proxy key becomes HTTP(S)_PROXY but the chart has no NO_PROXY setting' },
];

/** Every rule, in one explicit list (no registration by import side effect). */
const RULES: RuleInfo[] = [...CORE_RULE_INFO, ...SCHEMA_RULE_INFO, ...PLACEHOLDER_RULE_INFO, ...IMAGE_RULE_INFO, ...PROXY_RULE_INFO];

const byId = new Map(RULES.map((r) => [r.id, r]));

export function ruleInfo(id: string): RuleInfo | undefined {
  return byId.get(id) ?? (id.startsWith('schema/') && id !== 'schema/unresolved-ref' ? byId.get('schema/*') : undefined);
}

export function allRules(): readonly RuleInfo[] {
  return RULES;
}

export const DOCS_BASE = 'https://github.com/airgap-lint/airgap-lint/blob/main/README.md';

/**
 * The README anchor of a rule's section, also the name of its bundled page (dist/docs/rules/ANCHOR.md):
 * `proxy/no-proxy-missing` → `proxy-no-proxy-missing`; all schema keywords share `schema-keyword`.
 */
export function ruleDocsAnchor(id: string): string {
  // Registered schema/* IDs (unresolved-ref, invalid-schema …) have their own section.
  const key = id.startsWith('schema/') && (!byId.has(id) || id === 'schema/*') ? 'schema/keyword' : id;
  return key.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
}

export function ruleDocsUrl(id: string): string {
  return `${DOCS_BASE}#${ruleDocsAnchor(id)}`;
}
