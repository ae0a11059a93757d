// `--format text` (the default), for people: one line per finding,
//   path:line:col  severity  headline  rule-id
// with 1-based line and column (what editors and terminals make clickable), the finding's
// explanation wrapped and indented below it (not with `quiet`), files separated by a blank
// line, and a summary. Colours are the caller's decision (a TTY without NO_COLOR).
import type { FileResult, Severity } from '../types';
import { redactCredentials } from '../proxy/proxy-url';
import { countSeverities, displayPath, groupByFile, redactSecrets, type ReportOptions } from './common';

export interface TextOptions extends ReportOptions {
  color?: boolean;
  /** Files that `--fix` rewrote, for the summary. */
  fixedFiles?: string[];
  /** Headlines only: no explanation under each finding (`--quiet`). */
  quiet?: boolean;
  /** Column the explanations wrap at (default 100). */
  width?: number;
}

const DETAIL_INDENT = '    ';

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
  green: '\u001b[32m',
};

const SEVERITY_COLOR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.blue, hint: ANSI.dim };

/**
 * One line of plain text: line breaks become spaces and other control characters (an ANSI
 * escape in a value quoted by a message could repaint the terminal) are dropped.
 */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\r\n|[\r\n\t]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

/** Words of `text` in lines of at most `width` columns (a longer word gets a line of its own). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatText(results: FileResult[], options: TextOptions): string {
  const paint = (code: string, s: string) => (options.color ? code + s + ANSI.reset : s);
  const grouped = groupByFile(results);
  const blocks: string[] = [];
  for (const r of grouped) {
    if (!r.findings.length) continue;
    const path = displayPath(r.path, options.cwd);
    const rows = r.findings.map((f) => ({
      location: `${path}:${f.range.start.line + 1}:${f.range.start.character + 1}`,
      severity: f.severity,
      message: oneLine(redactCredentials(redactSecrets(f.message))),
      detail: !options.quiet && f.detail ? oneLine(redactCredentials(redactSecrets(f.detail))) : undefined,
      code: f.code,
    }));
    const width = Math.max(40, (options.width ?? 100) - DETAIL_INDENT.length);
    const locWidth = Math.max(...rows.map((x) => x.location.length));
    const sevWidth = Math.max(...rows.map((x) => x.severity.length));
    blocks.push(
      rows
        .map(
          (x) =>
            `${x.location.padEnd(locWidth)}  ${paint(SEVERITY_COLOR[x.severity], x.severity.padEnd(sevWidth))}  ${x.message}  ${paint(ANSI.dim, x.code)}` +
            (x.detail ? wrapText(x.detail, width).map((l) => `\n${DETAIL_INDENT}${paint(ANSI.dim, l)}`).join('') : ''),
        )
        .join('\n'),
    );
  }

  const counts = countSeverities(grouped);
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const lines: string[] = [];
  if (blocks.length) lines.push(blocks.join('\n\n'), '');
  const files = plural(results.length, 'file');
  if (total === 0) {
    lines.push(paint(ANSI.green, `No problems found (${files} linted).`));
  } else {
    const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
    if (counts.info) parts.push(`${counts.info} info`);
    if (counts.hint) parts.push(plural(counts.hint, 'hint'));
    const summary = `${plural(total, 'problem')} (${parts.join(', ')}) in ${files} linted.`;
    lines.push(paint(ANSI.bold + (counts.error ? ANSI.red : counts.warning ? ANSI.yellow : ''), summary));
  }
  if (options.fixedFiles?.length) {
    lines.push(`Safe fixes applied to ${plural(options.fixedFiles.length, 'file')}: ${options.fixedFiles.map((p) => displayPath(p, options.cwd)).join(', ')}.`);
  }
  return lines.join('\n') + '\n';
}
