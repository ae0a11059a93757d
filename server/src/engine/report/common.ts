// What every output format shares: grouping findings by the file they land in, display
// paths, severity counts, and scrubbing messages before they reach a terminal or a log.
import * as nodePath from 'node:path';
import type { FileResult, Finding, Severity } from '../types';

export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Where the linted tree is: display paths are relative to it. */
export interface ReportOptions {
  /** Absolute folder that output paths are relative to (the CLI's working directory). */
  cwd: string;
}

/**
 * Findings regrouped by the file they point at. A layered lint can report on another file
 * (the base layer a value came from), and two overlays of one base can report the same
 * finding on it: each finding is listed once, under its own file. Files keep the order in
 * which they were linted (files reached only through findings come last); every linted file
 * is listed, with or without findings.
 */
export function groupByFile(results: FileResult[]): FileResult[] {
  const byPath = new Map<string, Finding[]>();
  const seen = new Set<string>();
  for (const r of results) if (!byPath.has(r.path)) byPath.set(r.path, []);
  for (const r of results) {
    for (const f of r.findings) {
      const path = f.path || r.path;
      const key = `${path}\0${f.code}\0${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}\0${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let list = byPath.get(path);
      if (!list) byPath.set(path, (list = []));
      list.push(path === f.path ? f : { ...f, path });
    }
  }
  return [...byPath].map(([path, findings]) => ({ path, findings: findings.sort(byPosition) }));
}

function byPosition(a: Finding, b: Finding): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    a.code.localeCompare(b.code)
  );
}

/** A path for output: relative to `cwd`, with `/` separators on every platform. */
export function displayPath(absPath: string, cwd: string): string {
  const rel = nodePath.relative(cwd, absPath);
  if (rel === '') return '.';
  // On Windows a path on another drive has no relative form; keep it absolute.
  const chosen = nodePath.isAbsolute(rel) ? absPath : rel;
  return chosen.split(nodePath.sep).join('/');
}

export type SeverityCounts = Record<Severity, number>;

export function countSeverities(results: FileResult[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of results) for (const f of r.findings) counts[f.severity]++;
  return counts;
}

/** True when some finding is at or above `threshold` (error > warning > info > hint). */
export function hasFindingsAtOrAbove(results: FileResult[], threshold: Severity): boolean {
  return results.some((r) => r.findings.some((f) => SEVERITY_RANK[f.severity] <= SEVERITY_RANK[threshold]));
}

// `scheme://user:password@host`: the password never leaves the process, whatever a rule
// put in its message.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:'"]+):([^\s/@'"]+)@/gi;

export function redactSecrets(message: string): string {
  return message.replace(URL_CREDENTIALS, '$1$2:***@');
}

/**
 * The basis of a fingerprint that survives edits elsewhere in a file: the rule, the path, the
 * trimmed text of the finding's first line (its message when the text is unknown), and which
 * repeat of that basis in the report the finding is. SARIF and Code Quality hash it their way.
 */
export function fingerprintBasis(sourceText?: (absPath: string) => string | undefined): (f: Finding, path: string) => { basis: string; repeat: number } {
  const lines = new Map<string, string[] | undefined>();
  const seen = new Map<string, number>();
  return (f, path) => {
    if (!lines.has(f.path)) lines.set(f.path, sourceText?.(f.path)?.split(/\r\n|\r|\n/));
    const line = lines.get(f.path)?.[f.range.start.line];
    // The line's text rather than its number: inserting lines above keeps the fingerprint.
    const basis = `${f.code}\0${path}\0${line !== undefined ? line.trim() : f.message}`;
    const repeat = (seen.get(basis) ?? 0) + 1;
    seen.set(basis, repeat);
    return { basis, repeat };
  };
}
