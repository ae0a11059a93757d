// "Did you mean" for unknown keys: the closest allowed name by optimal-string-alignment
// (Damerau-Levenshtein with adjacent transpositions), or a case-insensitive match.

/** Edit distance counting insertions, deletions, substitutions and adjacent transpositions. */
export function editDistance(a: string, b: string, cutoff = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > cutoff) return cutoff + 1;
  const n = a.length;
  const m = b.length;
  // Three rolling rows are enough for the transposition look-back.
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, prev2[j - 2] + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cutoff) return cutoff + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m];
}

/**
 * The allowed names closest to `name`, best first: an exact case-insensitive match wins;
 * otherwise names within distance 2 (1 for names of three characters or fewer, where two
 * edits would turn any short key into any other). `exclude` holds names that would collide.
 */
export function suggestNames(name: string, allowed: Iterable<string>, exclude: ReadonlySet<string> = new Set()): string[] {
  const lower = name.toLowerCase();
  const scored: Array<{ candidate: string; score: number }> = [];
  for (const candidate of allowed) {
    if (candidate === name || exclude.has(candidate)) continue;
    if (candidate.toLowerCase() === lower) {
      scored.push({ candidate, score: 0 });
      continue;
    }
    const limit = Math.min(name.length, candidate.length) <= 3 ? 1 : 2;
    const d = editDistance(name, candidate, limit);
    if (d <= limit) scored.push({ candidate, score: d });
  }
  scored.sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate));
  if (!scored.length) return [];
  const best = scored[0].score;
  return scored.filter((s) => s.score === best).map((s) => s.candidate);
}
