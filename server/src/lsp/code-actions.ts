// Code actions: one `quickfix` per fix carried in a diagnostic's data, and
// `source.fixAll.airgapLint` with every safe fix of the current version as minimal edits.
// A fix that carries a credential (`sensitive`) is offered as a quick fix, with its real text,
// and never in fix-all (safeEditsFor skips it).
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import { applyEdits, parseValuesDocument, safeEditsFor, type Finding, type Position, type TextEdit } from '../engine';
import { DIAGNOSTIC_SOURCE, diagnosticData } from './diagnostics';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.airgapLint`;

/** Whether a request's `only` filter asks for actions of `kind` (kinds are dot-separated hierarchies). */
export function wantsKind(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

/**
 * Quick fixes for the diagnostics of a code action request. Fixes computed for another
 * version of the document are skipped: their ranges may no longer point at the same text,
 * and fresh diagnostics (with fresh fixes) follow within the debounce delay.
 */
export function quickFixes(
  diagnostics: Diagnostic[],
  documentUri: string,
  version: number,
  uriFor: (path: string) => string,
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const data = diagnosticData(diagnostic);
    if (!data || data.version !== version) continue;
    for (const fix of data.fixes) {
      if (!fix.edits.length && !fix.command) continue;
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic] };
      // A credential-carrying fix is never the one applied on "auto fix" shortcuts.
      if (fix.preferred && !fix.sensitive) action.isPreferred = true;
      if (fix.edits.length) action.edit = { changes: { [fix.path ? uriFor(fix.path) : documentUri]: fix.edits } };
      if (fix.command) action.command = { title: fix.command.title, command: fix.command.command, arguments: fix.command.arguments };
      actions.push(action);
    }
  }
  return actions;
}

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Edits sorted by position with any edit that overlaps an earlier one dropped (LSP forbids overlaps). */
export function nonOverlapping(edits: TextEdit[]): TextEdit[] {
  const sorted = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => comparePositions(a.edit.range.start, b.edit.range.start) || comparePositions(a.edit.range.end, b.edit.range.end) || a.index - b.index);
  const kept: TextEdit[] = [];
  let lastEnd: Position | undefined;
  for (const { edit } of sorted) {
    if (lastEnd && comparePositions(edit.range.start, lastEnd) < 0) continue;
    kept.push(edit);
    if (!lastEnd || comparePositions(edit.range.end, lastEnd) > 0) lastEnd = edit.range.end;
  }
  return kept;
}

/**
 * The fix-all action for findings freshly computed on `text`, or undefined when there is
 * nothing safe to fix. Edits that would turn valid YAML into invalid YAML are not offered.
 */
export function fixAllAction(findings: Finding[], path: string, uri: string, text: string): CodeAction | undefined {
  const edits = nonOverlapping(safeEditsFor(findings, path));
  if (!edits.length) return undefined;
  const hasSyntaxError = (t: string) => parseValuesDocument(path, t).problems.some((p) => p.kind === 'syntax');
  const fixed = applyEdits(text, edits).text;
  if (fixed === text) return undefined;
  if (hasSyntaxError(fixed) && !hasSyntaxError(text)) return undefined;
  return {
    title: 'Fix all auto-fixable airgap-lint problems',
    kind: FIX_ALL_KIND,
    edit: { changes: { [uri]: edits } },
  };
}
