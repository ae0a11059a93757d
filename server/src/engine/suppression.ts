// In-file suppression comments:
//   # airgap-lint-disable-next-line RULE-ID[, RULE-ID…]   silences those rules on the next line
//   # airgap-lint-disable RULE-ID[, RULE-ID…]             at the top of the file: for the whole file
// A rule pattern may end in `*` (`schema/*`) to cover a family.
import type { ValuesDocument } from './document';

export interface Suppressions {
  fileWide: string[];
  /** 0-based line → rule patterns silenced on that line. */
  byLine: Map<number, string[]>;
}

/** Text every suppression comment contains (a cheap pre-check before the regex). */
export const SUPPRESSION_MARKER = 'airgap-lint-disable';
const MARKER = SUPPRESSION_MARKER;
/** A suppression comment: group 1 is `-next-line` (or undefined), group 2 the rule list. */
export const SUPPRESSION_COMMENT = /#\s*airgap-lint-disable(-next-line)?(?:\s+(.*))?$/;
const COMMENT = SUPPRESSION_COMMENT;

/** The lines of a text, all suppression needs (a ValuesDocument or a bare TextBase). */
export type SuppressionText = Pick<ValuesDocument, 'text' | 'lineCount' | 'lineText'>;

/** Whether a line still belongs to the header where file-wide comments count (blank, comment, `---`). */
export function isHeaderLine(text: string): boolean {
  const trimmed = text.trim();
  return !trimmed || trimmed.startsWith('#') || trimmed === '---';
}

export function parseIds(list: string | undefined): string[] {
  if (!list) return ['*'];
  const ids = list
    .replace(/\s+--.*$/, '') // allow a trailing "-- reason"
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return ids.length ? ids : ['*'];
}

export function collectSuppressions(doc: SuppressionText): Suppressions {
  const result: Suppressions = { fileWide: [], byLine: new Map() };
  if (!doc.text.includes(MARKER)) return result;
  let inHeader = true;
  for (let line = 0; line < doc.lineCount; line++) {
    const text = doc.lineText(line);
    const trimmed = text.trim();
    const isCommentLine = trimmed.startsWith('#');
    if (!isHeaderLine(text)) inHeader = false;
    if (!text.includes(MARKER)) continue;
    const m = COMMENT.exec(text);
    if (!m) continue;
    const ids = parseIds(m[2]);
    if (m[1]) {
      // next-line: the next line that is not blank or another comment
      let target = line + 1;
      while (target < doc.lineCount && /^\s*(#.*)?$/.test(doc.lineText(target)) && !doc.lineText(target).includes(MARKER)) target++;
      const prev = result.byLine.get(target) ?? [];
      result.byLine.set(target, [...prev, ...ids]);
    } else if (inHeader && isCommentLine) {
      result.fileWide.push(...ids);
    }
  }
  return result;
}

function matches(pattern: string, code: string): boolean {
  if (pattern === '*' || pattern === code) return true;
  return pattern.endsWith('*') && code.startsWith(pattern.slice(0, -1));
}

export function isSuppressed(s: Suppressions, code: string, line: number): boolean {
  if (s.fileWide.some((p) => matches(p, code))) return true;
  const ids = s.byLine.get(line);
  return Boolean(ids && ids.some((p) => matches(p, code)));
}
