// `--format json`, exactly the shape of product.md's CLI contract:
//   {"version":1,"files":[{"path":P,"diagnostics":[{"code","severity","message","range",
//     "fixes":[{"title","edits":[{"range","newText"}]}]}]}]}
// `message` is the finding's headline; `detail` (the why) and `related` (the locations it is
// about, paths as P) are added when the finding has them.
// Ranges are LSP ranges (0-based lines, UTF-16 characters). P is relative to the working
// directory with `/` separators. Every linted file is listed, even without diagnostics.
import type { FileResult, Finding, Range, Severity } from '../types';
import { redactCredentials } from '../proxy/proxy-url';
import { reportableFix } from '../fixes';
import { displayPath, groupByFile, redactSecrets, type ReportOptions } from './common';

export interface JsonEdit {
  range: Range;
  newText: string;
}

export interface JsonFix {
  title: string;
  edits: JsonEdit[];
  /** Set when the fix carries a credential: its edits are redacted, apply it in the editor. */
  note?: string;
}

export interface JsonDiagnostic {
  code: string;
  severity: Severity;
  /** The headline: what is wrong and what to do. */
  message: string;
  /** The why, when the rule explains it (plain sentences). */
  detail?: string;
  range: Range;
  related?: Array<{ path: string; range: Range; message: string }>;
  fixes: JsonFix[];
}

export interface JsonReport {
  version: 1;
  files: Array<{ path: string; diagnostics: JsonDiagnostic[] }>;
}

function copyRange(r: Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

/**
 * The fixes a JSON consumer can apply to this file: text edits to the finding's own file.
 * Command-only fixes (they need the editor) and edits to another file are left out, since
 * the contract's edits carry no path.
 */
function jsonFixes(f: Finding): JsonFix[] {
  return f.fixes
    .filter((fix) => fix.edits.length > 0 && (fix.path === undefined || fix.path === f.path))
    .map((fix) => {
      // A credential never reaches the report: redacted edits and a note (the editor has the real text).
      const shown = reportableFix(fix);
      const out: JsonFix = { title: shown.title, edits: shown.edits.map((e) => ({ range: copyRange(e.range), newText: e.newText })) };
      if (shown.note) out.note = shown.note;
      return out;
    });
}

export function toJsonReport(results: FileResult[], options: ReportOptions): JsonReport {
  return {
    version: 1,
    files: groupByFile(results).map((r) => ({
      path: displayPath(r.path, options.cwd),
      diagnostics: r.findings.map((f) => {
        const d: JsonDiagnostic = { code: f.code, severity: f.severity, message: redactCredentials(redactSecrets(f.message)), range: copyRange(f.range), fixes: jsonFixes(f) };
        if (f.detail) d.detail = redactCredentials(redactSecrets(f.detail));
        if (f.related?.length) {
          d.related = f.related.map((rel) => ({ path: displayPath(rel.path, options.cwd), range: copyRange(rel.range), message: redactCredentials(redactSecrets(rel.message)) }));
        }
        return d;
      }),
    })),
  };
}

export function formatJson(results: FileResult[], options: ReportOptions): string {
  return JSON.stringify(toJsonReport(results, options)) + '\n';
}
