// What must hold for any document, however broken: checks that throw an AssertionError naming
// the finding or fix at fault. The fuzz properties call them on mutated corpus files.
import { strict as assert } from 'node:assert';
import { Lexer } from 'yaml';
import { computeLineStarts, parseValuesDocument } from '../../server/src/engine/document';
import { applyEdits } from '../../server/src/engine/fixes';
import type { Finding, Fix, Range } from '../../server/src/engine/types';

/** Line lengths (UTF-16, without the break) as an LSP client counts lines: \n, \r\n and \r. */
export function lineLengths(text: string): number[] {
  const starts = computeLineStarts(text);
  return starts.map((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    return text.slice(start, end).replace(/\r?\n$|\r$/, '').length;
  });
}

/** A range that an editor can show: inside the document, start not after end. */
export function assertRangeInside(range: Range, lengths: number[], what: string): void {
  for (const [name, p] of [['start', range.start], ['end', range.end]] as const) {
    assert.ok(Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0, `${what}: ${name} ${JSON.stringify(p)} is not a position`);
    assert.ok(p.line < lengths.length, `${what}: ${name} line ${p.line} past the last line ${lengths.length - 1}`);
    assert.ok(p.character <= lengths[p.line], `${what}: ${name} ${p.line}:${p.character} past the end of the line (${lengths[p.line]} characters)`);
  }
  const { start, end } = range;
  assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `${what}: start ${JSON.stringify(start)} after end ${JSON.stringify(end)}`);
}

/** The fixes of a finding whose edits apply to `path` (others edit another file). */
export function fixesOn(finding: Finding, path: string): Fix[] {
  return finding.fixes.filter((f) => (f.path ?? finding.path) === path);
}

/** Every range of every finding in `path` (and of their fixes and related locations there) lies inside `text`. */
export function assertFindingsInside(findings: Finding[], path: string, text: string): void {
  const lengths = lineLengths(text);
  for (const f of findings) {
    const what = `${f.code} at ${JSON.stringify(f.range)}`;
    if (f.path === path) assertRangeInside(f.range, lengths, what);
    for (const r of f.related ?? []) if (r.path === path) assertRangeInside(r.range, lengths, `${what}, related "${r.message}"`);
    for (const fix of fixesOn(f, path)) for (const e of fix.edits) assertRangeInside(e.range, lengths, `${what}, fix "${fix.title}"`);
  }
}

/** A rule that threw is caught by the engine and shown as internal/error: for the fuzzer, a crash. */
export function assertNoInternalError(findings: Finding[]): void {
  const internal = findings.find((f) => f.code.startsWith('internal/'));
  assert.ok(!internal, `internal error: ${internal?.message}`);
}

/** The comments of a YAML text, in order, as the lexer sees them (trailing blanks dropped). */
export function commentsOf(text: string): string[] {
  const out: string[] = [];
  for (const token of new Lexer().lex(text)) if (token.startsWith('#')) out.push(token.trimEnd());
  return out;
}

/** Every comment of `before` is still in `after` (as many times): fixes never drop a comment. */
export function assertCommentsKept(before: string, after: string, what: string): void {
  const left = new Map<string, number>();
  for (const c of commentsOf(after)) left.set(c, (left.get(c) ?? 0) + 1);
  for (const c of commentsOf(before)) {
    const n = left.get(c) ?? 0;
    assert.ok(n > 0, `${what}: comment ${JSON.stringify(c)} is gone`);
    left.set(c, n - 1);
  }
}

/** Syntax errors and duplicate keys of a text, as the engine parses it (Helm's YAML 1.1). */
export function yamlProblems(path: string, text: string): { syntax: number; duplicates: number } {
  const problems = parseValuesDocument(path, text).problems;
  return { syntax: problems.filter((p) => p.kind === 'syntax').length, duplicates: problems.filter((p) => p.kind === 'duplicate-key').length };
}

/** The span of `after` that differs from `before` (common prefix and suffix removed), as offsets in `after`. */
export function changedSpan(before: string, after: string): { start: number; end: number } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { start, end: after.length - tail };
}

export function applyFix(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits).text;
}
