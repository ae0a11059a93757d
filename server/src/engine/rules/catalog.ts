// Every rule ID with its default severity and the README anchor its diagnostics link to.
// `schema/<keyword>` IDs are open-ended (one per JSON Schema keyword) and share one entry.
import type { Severity } from '../types';

export interface RuleInfo {
  id: string;
  severity: Severity;
  summary: string;
}

const RULES: RuleInfo[] = [
  { id: 'yaml/syntax', severity: 'error', summary: 'YAML parse error' },
  { id: 'yaml/duplicate-key', severity: 'error', summary: 'a key repeated in one mapping (Helm rejects it)' },
  { id: 'schema/*', severity: 'error', summary: 'JSON Schema violation; the suffix is the failing keyword' },
  { id: 'schema/unresolved-ref', severity: 'warning', summary: 'a remote or missing $ref; validation continues without it' },
  { id: 'config/invalid', severity: 'error', summary: '.airgap-lint.yaml breaks its schema, or another config error' },
];

const byId = new Map(RULES.map((r) => [r.id, r]));

export function ruleInfo(id: string): RuleInfo | undefined {
  return byId.get(id) ?? (id.startsWith('schema/') && id !== 'schema/unresolved-ref' ? byId.get('schema/*') : undefined);
}

export function registerRules(rules: RuleInfo[]): void {
  for (const r of rules) {
    if (!byId.has(r.id)) {
      RULES.push(r);
      byId.set(r.id, r);
    }
  }
}

export function allRules(): readonly RuleInfo[] {
  return RULES;
}

export const DOCS_BASE = 'https://github.com/airgap-lint/airgap-lint/blob/main/README.md';

/** The README anchor for a rule: `schema/type` → `#schema-type`; all schema keywords share `#schema-keyword`. */
export function ruleDocsUrl(id: string): string {
  // Registered schema/* IDs (unresolved-ref, invalid-schema …) have their own section.
  const key = id.startsWith('schema/') && !byId.has(id) ? 'schema/keyword' : id;
  return `${DOCS_BASE}#${key.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
}
