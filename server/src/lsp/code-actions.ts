// Code actions, as ESLint offers them: for each airgap-lint diagnostic the fixes carried in its
// data, "Fix all airgap-lint problems in this file" (the safe fixes, when there are any),
// "Suppress RULE for this line" / "… for this file" (comment edits from the engine) and
// "Show documentation for RULE" (a client command that opens the bundled rule page); plus
// `source.fixAll.airgapLint` with every safe fix of the current version as minimal edits.
// A fix that carries a credential (`sensitive`) is offered as a quick fix, with its real text,
// and never in fix-all (safeEditsFor skips it).
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import {
  applyEdits,
  parseValuesDocument,
  ruleInfo,
  safeEditsFor,
  suppressFileEdit,
  suppressLineEdit,
  type Finding,
  type Position,
  type TextEdit,
  type ValuesDocument,
} from '../engine';
import { Commands } from '../protocol';
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
 * The safe fixes of findings freshly computed on `text` as non-overlapping edits, or undefined
 * when there is nothing safe to fix. Edits that would turn valid YAML into invalid YAML are not offered.
 */
export function fixAllEdits(findings: Finding[], path: string, text: string): TextEdit[] | undefined {
  const edits = nonOverlapping(safeEditsFor(findings, path));
  if (!edits.length) return undefined;
  const hasSyntaxError = (t: string) => parseValuesDocument(path, t).problems.some((p) => p.kind === 'syntax');
  const fixed = applyEdits(text, edits).text;
  if (fixed === text) return undefined;
  if (hasSyntaxError(fixed) && !hasSyntaxError(text)) return undefined;
  return edits;
}

/** `source.fixAll.airgapLint` (on save, source action menu) for findings freshly computed on `text`. */
export function fixAllAction(findings: Finding[], path: string, uri: string, text: string): CodeAction | undefined {
  const edits = fixAllEdits(findings, path, text);
  if (!edits) return undefined;
  return {
    title: 'Fix all auto-fixable airgap-lint problems',
    kind: FIX_ALL_KIND,
    edit: { changes: { [uri]: edits } },
  };
}

export const FIX_ALL_QUICKFIX_TITLE = 'Fix all airgap-lint problems in this file';

/** The same safe edits as a quick fix, so that the light bulb menu offers them next to a diagnostic's own fixes. */
export function fixAllQuickFix(findings: Finding[], path: string, uri: string, text: string): CodeAction | undefined {
  const edits = fixAllEdits(findings, path, text);
  if (!edits) return undefined;
  return { title: FIX_ALL_QUICKFIX_TITLE, kind: CodeActionKind.QuickFix, edit: { changes: { [uri]: edits } } };
}

function ruleOf(diagnostic: Diagnostic): string | undefined {
  return diagnostic.source === DIAGNOSTIC_SOURCE && typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
}

/**
 * For each airgap-lint diagnostic: suppress its rule for its line, for the file, and show the
 * rule's documentation. One action per title: two findings of a rule on one line share them.
 * `doc` is the document's current text (the edits are computed on it, not on the diagnostic);
 * without one (a config file, where suppression comments mean nothing) only the docs are offered.
 */
export function ruleActions(diagnostics: Diagnostic[], doc: ValuesDocument | undefined, uri: string): CodeAction[] {
  const suppressions: CodeAction[] = [];
  const docs: CodeAction[] = [];
  const seen = new Set<string>();
  const add = (list: CodeAction[], action: CodeAction) => {
    if (seen.has(action.title)) return;
    seen.add(action.title);
    list.push(action);
  };
  for (const diagnostic of diagnostics) {
    const rule = ruleOf(diagnostic);
    if (!rule) continue;
    const line = doc && suppressLineEdit(doc, rule, diagnostic.range.start.line);
    if (line) {
      add(suppressions, { title: `Suppress ${rule} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: [line] } } });
    }
    const file = doc && suppressFileEdit(doc, rule);
    if (file) {
      add(suppressions, { title: `Suppress ${rule} for this file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: [file] } } });
    }
    // Only rules with a page (not internal/error).
    if (!ruleInfo(rule)) continue;
    const title = `Show documentation for ${rule}`;
    add(docs, { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: Commands.showRuleDocumentation, arguments: [rule] } });
  }
  return [...suppressions, ...docs];
}
