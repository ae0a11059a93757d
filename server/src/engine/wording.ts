// How findings are worded. A headline says what is wrong and what to do in at most
// HEADLINE_MAX characters, so the Problems panel shows the action; the why goes to `detail`
// and related information. Editors show messages raw: no Markdown, no backticks.

export const HEADLINE_MAX = 120;

/** A value quoted for a message: as is when it reads unambiguously, in double quotes otherwise. */
export function quoted(s: string, max = 60): string {
  const t = s.length > max ? s.slice(0, max - 1) + '…' : s;
  return t === '' || /[\s,;:"']/.test(t) ? `"${t.replace(/"/g, "'")}"` : t;
}

/**
 * `lead` followed by as many `items` (joined with ", ") as fit in `max` characters, the rest
 * counted: "append .cluster.local, 10.42.0.0/16 and 2 more". At least one item is shown.
 */
export function fitList(lead: string, items: readonly string[], max = HEADLINE_MAX, tail = ''): string {
  for (let shown = items.length; shown >= 1; shown--) {
    const rest = items.length - shown;
    const list = items.slice(0, shown).join(', ') + (rest ? ` and ${rest} more` : '');
    const text = `${lead}${list}${tail}`;
    if (text.length <= max || shown === 1) return text;
  }
  return `${lead}${tail}`;
}

/** Shortens a headline that would still run past `max` (a long key path or value in it), at a word break when there is one near the end. */
export function clip(text: string, max = HEADLINE_MAX): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(' ', max - 1);
  return (cut > max - 30 ? text.slice(0, cut) : text.slice(0, max - 1)) + '…';
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The start of a sentence: "pod CIDR …" → "Pod CIDR …". A first word that is a name (a host,
 * a key path, airgap-lint) keeps its case.
 */
export function sentence(s: string): string {
  return /^[a-z]+(\s|$)/.test(s) ? capitalize(s) : s;
}

/**
 * Text an editor shows raw: Markdown code spans (`x`) lose their backticks, which VS Code would
 * print literally. The shared NO_PROXY explanations are written for hovers (Markdown) and reach
 * messages too.
 */
export function plainText(s: string): string {
  return s.includes('`') ? s.replace(/`+([^`]*)`+/g, '$1').replace(/`/g, "'") : s;
}

/**
 * A headline and a detail from one sentence written as "what: why" (parser and schema
 * messages): the text as is when it fits, else split at the last ": " or "; " that leaves a
 * headline that fits, else clipped with the whole text as the detail.
 */
export function splitSentence(text: string, max = HEADLINE_MAX): { message: string; detail?: string } {
  const t = text.trim();
  if (t.length <= max) return { message: t };
  // The longest headline that fits: it keeps as much of the what as the panel shows.
  const cut = /[:;] /g;
  let best = -1;
  for (let m = cut.exec(t); m && m.index <= max; m = cut.exec(t)) if (m.index > 20) best = m.index;
  if (best > 20) return { message: t.slice(0, best), detail: sentence(t.slice(best + 2)) };
  return { message: clip(t, max), detail: t };
}

/** The first headline that fits, else the last one clipped. */
export function firstFitting(...candidates: string[]): string {
  return candidates.find((c) => c.length <= HEADLINE_MAX) ?? clip(candidates[candidates.length - 1]);
}
