// Applying fixes as text edits. Edits never re-serialise YAML: comments, quoting and
// indentation outside the edited span survive byte for byte.
import { computeLineStarts, parseValuesDocument } from './document';
import type { Finding, TextEdit } from './types';

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

/** The safe fixes of findings in one file, as one list of edits (first fix of each finding). */
export function safeEditsFor(findings: Finding[], path: string): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.safe && !x.command && (x.path === undefined || x.path === path));
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
