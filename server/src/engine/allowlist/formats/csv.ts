// `--format csv`: the json format's entries as RFC 4180 CSV (CRLF line ends, a header row, fields
// quoted when they hold a comma, a quote, CR or LF, quotes doubled), for spreadsheets and change
// tickets. Columns:
//   host,port,protocol,feature,reason,egress,wildcard,expands,enabled_by,sources,only_if
// expands: exact hosts separated by spaces; enabled_by: PATH:LINE; sources: PATH:LINE joined "; ".
// A text field that starts with =, +, -, @, TAB or CR gets a leading apostrophe, as OWASP advises
// against formula injection ("CSV Injection"), since a spreadsheet would otherwise evaluate it.
import type { Allowlist, AllowlistFormatOptions, SourceLine } from '../types';
import { toAllowlistJson } from './json';

export const CSV_COLUMNS = ['host', 'port', 'protocol', 'feature', 'reason', 'egress', 'wildcard', 'expands', 'enabled_by', 'sources', 'only_if'] as const;

function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function csvField(value: string | number | boolean): string {
  const text = typeof value === 'string' ? neutralise(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function at(s: SourceLine): string {
  return `${s.path}:${s.line}`;
}

export function formatCsv(list: Allowlist, _options: AllowlistFormatOptions = {}): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const e of toAllowlistJson(list).entries) {
    rows.push(
      [
        e.host,
        e.port,
        e.protocol,
        e.feature,
        e.reason,
        e.egress,
        e.wildcard,
        e.expands.join(' '),
        e.enabledBy ? at(e.enabledBy) : '',
        e.sources.map(at).join('; '),
        e.onlyIf ?? '',
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}
