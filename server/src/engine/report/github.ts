// `--format github`: GitHub Actions workflow commands, one line per finding, which the runner
// turns into annotations on the run and on the pull request's diff:
//   ::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::MESSAGE
// (https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions,
// "Setting an error message"). error → `::error`, warning → `::warning`, info and hint →
// `::notice`. Lines and columns are 1-based; `endColumn` is the last column of the range
// (inclusive). Paths are relative to the working directory, as in json and sarif: run it from
// the repository root so GitHub can map them to the checkout.
//
// Escaping is that of actions/toolkit, packages/core/src/command.ts (`escapeData` for the
// message, `escapeProperty` for property values): in properties `%`→`%25`, `\r`→`%0D`,
// `\n`→`%0A`, `:`→`%3A`, `,`→`%2C`; in the message `%`, `\r` and `\n` only. `%` goes first
// so the runner's unescaping gives back the original text.
import type { FileResult, Finding, Severity } from '../types';
import { redactCredentials } from '../proxy/proxy-url';
import { displayPath, groupByFile, redactSecrets, type ReportOptions } from './common';

export type GithubCommand = 'error' | 'warning' | 'notice';

export function githubCommand(severity: Severity): GithubCommand {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'notice';
}

/** actions/toolkit `escapeData`: the message after `::`. */
export function escapeGithubData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** actions/toolkit `escapeProperty`: a `key=value` property value. */
export function escapeGithubProperty(s: string): string {
  return escapeGithubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

// Messages are redacted as in json and sarif (redactSecrets, redactCredentials); fixes are
// never shown.
// Control characters other than line breaks (ANSI escapes …) could rewrite the log a reader
// sees; line breaks are kept and escaped, the rest dropped, as the text format does.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

function clean(s: string): string {
  return s.replace(CONTROL, '');
}

export function githubLine(f: Finding, cwd: string): string {
  const line = f.range.start.line + 1;
  const col = f.range.start.character + 1;
  const endLine = f.range.end.line + 1;
  // LSP ends are exclusive: the last character is at `end.character` (1-based). An empty range
  // marks one column.
  const endColumn = endLine === line ? Math.max(col, f.range.end.character) : Math.max(1, f.range.end.character);
  const props: Array<[string, string]> = [
    ['file', displayPath(f.path, cwd)],
    ['line', String(line)],
    ['col', String(col)],
    ['endLine', String(endLine)],
    ['endColumn', String(endColumn)],
    ['title', f.code],
  ];
  const properties = props.map(([k, v]) => `${k}=${escapeGithubProperty(clean(v))}`).join(',');
  // The headline, then the detail on the annotation's following lines.
  const text = f.detail ? `${f.message}\n\n${f.detail}` : f.message;
  return `::${githubCommand(f.severity)} ${properties}::${escapeGithubData(clean(redactCredentials(redactSecrets(text))))}`;
}

export function formatGithub(results: FileResult[], options: ReportOptions): string {
  const lines: string[] = [];
  for (const r of groupByFile(results)) for (const f of r.findings) lines.push(githubLine(f, options.cwd));
  return lines.map((l) => l + '\n').join('');
}
