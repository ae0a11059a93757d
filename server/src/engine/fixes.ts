// Applying fixes as text edits. Edits never re-serialise YAML: comments, quoting and
// indentation outside the edited span survive byte for byte.
import { computeLineStarts, parseValuesDocument } from './document';
import { CREDENTIAL_NOTE, redactCredentials } from './proxy/proxy-url';
import type { Finding, Fix, TextEdit } from './types';

/**
 * Applies non-overlapping edits to a text. Overlapping edits (two fixes touching the same
 * span) are skipped after the first, so a caller can apply several fixes and re-lint.
 * Returns the new text and how many edits were applied.
 */
export function applyEdits(text: string, edits: TextEdit[]): { text: string; applied: number } {
  const starts = computeLineStarts(text);
  const toOffset = (line: number, character: number) => {
    if (line >= starts.length) return text.length;
    const lineEnd = line + 1 < starts.length ? starts[line + 1] : text.length;
    return Math.min(starts[line] + character, lineEnd);
  };
  const spans = edits
    .map((e, i) => ({
      start: toOffset(e.range.start.line, e.range.start.character),
      end: toOffset(e.range.end.line, e.range.end.character),
      newText: e.newText,
      i,
    }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
  const kept: typeof spans = [];
  let lastEnd = -1;
  for (const s of spans) {
    if (s.start < lastEnd) continue;
    // Two insertions at the same point are both kept (in order); a replacement after an insertion too.
    kept.push(s);
    lastEnd = Math.max(lastEnd, s.end);
  }
  let out = '';
  let pos = 0;
  for (const s of kept) {
    out += text.slice(pos, s.start) + s.newText;
    pos = s.end;
  }
  out += text.slice(pos);
  return { text: out, applied: kept.length };
}

/**
 * A fix as reports show it: the edits' texts with every URL password replaced by `***`, and
 * for a fix that carries a credential (`sensitive`, or a password found in its text) a note
 * that it must be applied in the editor. A sensitive fix whose credential is not URL-shaped
 * (a value the chart marks as secret) shows no text at all. The real text stays in the
 * engine's findings, for the editor.
 */
export function reportableFix(fix: Fix): { title: string; edits: TextEdit[]; note?: string } {
  let edits = fix.edits.map((e) => ({ range: { start: { ...e.range.start }, end: { ...e.range.end } }, newText: redactCredentials(e.newText) }));
  const found = edits.some((e, i) => e.newText !== fix.edits[i].newText);
  if (fix.sensitive && !found) edits = edits.map((e) => ({ ...e, newText: e.newText === '' ? '' : '***' }));
  const title = redactCredentials(fix.title);
  return fix.sensitive || found ? { title, edits, note: CREDENTIAL_NOTE } : { title, edits };
}

/** Whether `--fix` and fix-all may apply a fix: safe, and carrying no credential. */
export function appliesUnasked(fix: Fix): boolean {
  return fix.safe && !fix.sensitive && !fix.command;
}

/** The safe fixes of findings in one file, as one list of edits (first fix of each finding). */
export function safeEditsFor(findings: Finding[], path: string): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const f of findings) {
    // A fix that carries a credential is for the editor only, whatever else marks it safe.
    const fix = f.fixes.find((x) => appliesUnasked(x) && (x.path === undefined || x.path === path));
    if (fix) edits.push(...fix.edits);
  }
  return edits;
}

/**
 * Applies all safe fixes to a file's text, re-linting between rounds until nothing changes
 * (fixes computed on a stale text are never applied). `lintText` lints a text of that file.
 */
export function fixAll(
  path: string,
  text: string,
  lintText: (text: string) => Finding[],
  maxRounds = 5,
): { text: string; rounds: number; changed: boolean } {
  let current = text;
  let rounds = 0;
  for (; rounds < maxRounds; rounds++) {
    const edits = safeEditsFor(lintText(current), path);
    if (!edits.length) break;
    const next = applyEdits(current, edits).text;
    if (next === current) break;
    // Never write a fix that breaks the YAML.
    if (parseValuesDocument(path, next).problems.some((p) => p.kind === 'syntax') &&
        !parseValuesDocument(path, current).problems.some((p) => p.kind === 'syntax')) break;
    current = next;
  }
  return { text: current, rounds, changed: current !== text };
}
