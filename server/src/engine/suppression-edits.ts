// The edits behind "Suppress RULE for this line" and "… for this file": a suppression comment
// that suppression.ts will read back, added as one minimal insertion. An existing comment gets
// the rule appended to its list instead of a second comment beside it. Each edit is checked
// by reading the edited text back with collectSuppressions, so an edit is offered only when
// it silences exactly what it says; and none is offered when the rule is already silenced
// there (applying the action twice changes nothing).
import { isScalar, visit } from 'yaml';
import { createTextBase, type ValuesDocument } from './document';
import { applyEdits } from './fixes';
import {
  collectSuppressions,
  isHeaderLine,
  isSuppressed,
  parseIds,
  SUPPRESSION_COMMENT,
  SUPPRESSION_MARKER,
  type SuppressionText,
} from './suppression';
import type { TextEdit } from './types';

/**
 * Rules a comment cannot meaningfully silence: a syntax error must be fixed, since while it
 * stands the rest of the file is not checked as the author thinks.
 */
const NOT_SUPPRESSIBLE = new Set(['yaml/syntax']);

export function isSuppressible(code: string): boolean {
  return !NOT_SUPPRESSIBLE.has(code) && /^[a-z][a-z0-9-]*\/[A-Za-z0-9*<>._-]+$/.test(code);
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * The insertion that appends `code` to the rule list of the suppression comment on `line`:
 * before a trailing `-- reason`, else after the last rule. Undefined when the comment lists
 * no rule (it already silences everything).
 */
function appendToComment(doc: SuppressionText, line: number, code: string): TextEdit | undefined {
  const text = doc.lineText(line);
  const m = SUPPRESSION_COMMENT.exec(text);
  if (!m || m[2] === undefined || parseIds(m[2]).includes('*')) return undefined;
  const listStart = text.length - m[2].length;
  const reason = /\s+--.*$/.exec(m[2]);
  const listEnd = listStart + (reason ? reason.index : m[2].trimEnd().length);
  const at = { line, character: listEnd };
  return { range: { start: at, end: at }, newText: `, ${code}` };
}

/** Whether inserting a line before `line` would land inside a multi-line scalar (a block scalar's text). */
function splitsScalar(doc: ValuesDocument, line: number): boolean {
  if (!doc.yamlDoc) return false;
  const offset = doc.offsetAt({ line, character: 0 });
  let inside = false;
  visit(doc.yamlDoc, {
    Scalar(_key, node) {
      if (isScalar(node) && node.range && node.range[0] < offset && offset < node.range[1]) {
        inside = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return inside;
}

/** The lines of `text` after applying `edit`, as suppression reads them. */
function afterEdit(doc: SuppressionText, edit: TextEdit): SuppressionText {
  return createTextBase('', applyEdits(doc.text, [edit]).text);
}

/**
 * "Suppress `code` for this line": `# airgap-lint-disable-next-line CODE` above `line` with
 * that line's indentation, or `code` added to the disable-next-line comment that already
 * applies to `line`. Undefined when the rule is already silenced there, or when no comment
 * can do it (the line is itself a comment or blank, or lies inside a block scalar, where a
 * `#` line would become part of the value).
 */
export function suppressLineEdit(doc: ValuesDocument, code: string, line: number): TextEdit | undefined {
  if (!isSuppressible(code) || line < 0 || line >= doc.lineCount) return undefined;
  const target = doc.lineText(line);
  if (!target.trim() || target.trim().startsWith('#')) return undefined;
  if (isSuppressed(collectSuppressions(doc), code, line)) return undefined;

  // The comment that applies to `line` is the last marker comment above it with only blank
  // lines and ordinary comments between (collectSuppressions skips those).
  let edit: TextEdit | undefined;
  let shift = 1;
  for (let above = line - 1; above >= 0; above--) {
    const text = doc.lineText(above);
    if (text.includes(SUPPRESSION_MARKER)) {
      if (SUPPRESSION_COMMENT.exec(text)?.[1]) {
        edit = appendToComment(doc, above, code);
        shift = 0;
      }
      break;
    }
    if (text.trim() && !text.trim().startsWith('#')) break;
  }
  if (!edit) {
    if (splitsScalar(doc, line)) return undefined;
    const indent = /^[ \t]*/.exec(target)![0];
    const at = { line, character: 0 };
    edit = { range: { start: at, end: at }, newText: `${indent}# ${SUPPRESSION_MARKER}-next-line ${code}${eolOf(doc.text)}` };
  }
  return isSuppressed(collectSuppressions(afterEdit(doc, edit)), code, line + shift) ? edit : undefined;
}

/**
 * "Suppress `code` for this file": `code` added to a `# airgap-lint-disable` comment in the
 * file's header (the leading comments, blank lines and `---`), or a new one as the first line.
 * Undefined when the rule is already silenced for the whole file.
 */
export function suppressFileEdit(doc: ValuesDocument, code: string): TextEdit | undefined {
  if (!isSuppressible(code)) return undefined;
  const before = collectSuppressions(doc);
  if (before.fileWide.some((p) => isSuppressed({ fileWide: [p], byLine: new Map() }, code, -1))) return undefined;
  let edit: TextEdit | undefined;
  for (let line = 0; line < doc.lineCount && isHeaderLine(doc.lineText(line)); line++) {
    const text = doc.lineText(line);
    const m = text.trim().startsWith('#') ? SUPPRESSION_COMMENT.exec(text) : null;
    if (m && !m[1]) {
      edit = appendToComment(doc, line, code);
      if (edit) break;
    }
  }
  const start = { line: 0, character: 0 };
  edit ??= { range: { start, end: start }, newText: `# ${SUPPRESSION_MARKER} ${code}${eolOf(doc.text)}` };
  const after = collectSuppressions(afterEdit(doc, edit));
  return isSuppressed({ fileWide: after.fileWide, byLine: new Map() }, code, -1) ? edit : undefined;
}
