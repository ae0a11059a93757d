// Findings → LSP diagnostics. A diagnostic carries its fixes in `data`, so a code action
// request needs no second lint: the quick fix is read back from the diagnostic itself.
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Range as LspRange,
} from 'vscode-languageserver/node';
import { ruleDocsUrl, type Finding, type Fix, type Range, type Severity } from '../engine';

export const DIAGNOSTIC_SOURCE = 'airgap-lint';

/** What `Diagnostic.data` holds for an airgap-lint diagnostic. */
export interface DiagnosticData {
  /** Document version the fixes were computed on; fixes for another version are not offered. */
  version: number;
  fixes: Fix[];
}

/** What the client said it can render (LSP `publishDiagnostics` client capabilities). */
export interface DiagnosticSupport {
  relatedInformation: boolean;
  codeDescription: boolean;
  tags: ReadonlySet<DiagnosticTag>;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const TAG: Record<NonNullable<Finding['tags']>[number], DiagnosticTag> = {
  unnecessary: DiagnosticTag.Unnecessary,
  deprecated: DiagnosticTag.Deprecated,
};

function clampRange(range: Range): LspRange {
  const pos = (p: Range['start']) => ({ line: Math.max(0, p.line | 0), character: Math.max(0, p.character | 0) });
  return { start: pos(range.start), end: pos(range.end) };
}

export function toDiagnostic(
  finding: Finding,
  version: number,
  support: DiagnosticSupport,
  uriFor: (path: string) => string,
): Diagnostic {
  const diagnostic: Diagnostic = {
    range: clampRange(finding.range),
    severity: SEVERITY[finding.severity] ?? DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: finding.code,
    message: finding.message,
  };
  if (support.codeDescription) diagnostic.codeDescription = { href: ruleDocsUrl(finding.code) };
  // The message is the headline (the Problems panel shows one line of it). The explanation
  // goes where an editor shows detail: the first related-information row, at the finding
  // itself, then a row per cause. A client without related information gets it below the
  // headline instead, so nothing is lost.
  const related: DiagnosticRelatedInformation[] = [];
  if (finding.detail) related.push({ location: { uri: uriFor(finding.path), range: clampRange(finding.range) }, message: finding.detail });
  for (const r of finding.related ?? []) related.push({ location: { uri: uriFor(r.path), range: clampRange(r.range) }, message: r.message });
  if (support.relatedInformation) {
    if (related.length) diagnostic.relatedInformation = related;
  } else if (finding.detail) {
    diagnostic.message = `${finding.message}\n${finding.detail}`;
  }
  const tags = (finding.tags ?? []).map((t) => TAG[t]).filter((t) => t !== undefined && support.tags.has(t));
  if (tags.length) diagnostic.tags = tags;
  if (finding.fixes.length) {
    const data: DiagnosticData = { version, fixes: finding.fixes };
    diagnostic.data = data;
  }
  return diagnostic;
}

/** Reads back `Diagnostic.data`; anything a client mangled is treated as "no fixes". */
export function diagnosticData(diagnostic: Diagnostic): DiagnosticData | undefined {
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  if (!data || typeof data !== 'object' || typeof data.version !== 'number' || !Array.isArray(data.fixes)) return undefined;
  const fixes = data.fixes.filter(
    (f): f is Fix =>
      !!f && typeof f === 'object' && typeof f.title === 'string' && Array.isArray(f.edits) &&
      f.edits.every((e) => !!e && typeof e.newText === 'string' && !!e.range?.start && !!e.range?.end),
  );
  return { version: data.version, fixes };
}
