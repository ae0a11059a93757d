// Values paths as chart knowledge writes them: `global.image.registry`, `sinksConfig[*].slack_sink`,
// `holmes.toolsets.*.enabled`, `podAnnotations["prometheus.io/scrape"]`. A pattern is a list of
// segments where `*` matches any map key or list index. One parser and one matcher serve the
// conditions, the composed-image templates, `hostFrom` and the annotation locations read from
// a schema (`properties` → key, `items` → `[*]`, `additionalProperties` → `*`).
import type { JsonValue, ValuePath } from '../types';

/** `*` matches any key or index. */
export const ANY = '*';
export type PathPattern = ReadonlyArray<string>;

/** Parses a dotted path; undefined when it is not well formed (reported by the caller). */
export function parsePath(text: string): string[] | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 1000) return undefined;
  const out: string[] = [];
  let i = 0;
  let expectKey = true;
  while (i < text.length) {
    const c = text[i];
    if (c === '[') {
      const end = text.indexOf(']', i);
      if (end < 0) return undefined;
      let inner = text.slice(i + 1, end);
      if (/^"(?:[^"\\]|\\.)*"$/.test(inner) || /^'[^']*'$/.test(inner)) inner = inner.slice(1, -1);
      else if (inner !== '*' && !/^\d+$/.test(inner)) return undefined;
      out.push(inner);
      i = end + 1;
      expectKey = false;
      continue;
    }
    if (c === '.') {
      if (expectKey) return undefined;
      i++;
      expectKey = true;
      continue;
    }
    if (!expectKey) return undefined;
    let j = i;
    while (j < text.length && text[j] !== '.' && text[j] !== '[') j++;
    const key = text.slice(i, j);
    if (key.includes(']') || key.includes('"')) return undefined;
    out.push(key);
    i = j;
    expectKey = false;
  }
  return expectKey ? undefined : out;
}

/** How a pattern is shown in messages: `sinksConfig[*].slack_sink`. */
export function patternText(pattern: PathPattern): string {
  let s = '';
  for (const seg of pattern) {
    if (/^\d+$/.test(seg)) s += `[${seg}]`;
    else if (seg === ANY || /^[A-Za-z0-9_-]+$/.test(seg)) s += s ? `.${seg}` : seg;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s || '(root)';
}

/** Whether a concrete values path is matched by a pattern of the same length. */
export function matchesPattern(pattern: PathPattern, path: ValuePath): boolean {
  if (pattern.length !== path.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i];
    if (seg !== ANY && seg !== String(path[i])) return false;
  }
  return true;
}

/** Whether the pattern matches a prefix of the path (the path lies inside what the pattern names). */
export function matchesPrefix(pattern: PathPattern, path: ValuePath): boolean {
  if (pattern.length > path.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i];
    if (seg !== ANY && seg !== String(path[i])) return false;
  }
  return true;
}

type JsonMap = { [k: string]: JsonValue };
const isMap = (v: JsonValue | undefined): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every value a pattern reaches, with its concrete path; bounded for hostile values. */
export function valuesAt(root: JsonValue, pattern: PathPattern, limit = 10_000): Array<{ path: ValuePath; value: JsonValue }> {
  const out: Array<{ path: ValuePath; value: JsonValue }> = [];
  const walk = (node: JsonValue, i: number, path: ValuePath): void => {
    if (out.length >= limit) return;
    if (i === pattern.length) {
      out.push({ path: path.slice(), value: node });
      return;
    }
    const seg = pattern[i];
    if (Array.isArray(node)) {
      if (seg === ANY) {
        for (let k = 0; k < node.length; k++) (path.push(k), walk(node[k], i + 1, path), path.pop());
      } else if (/^\d+$/.test(seg) && Number(seg) < node.length) {
        path.push(Number(seg));
        walk(node[Number(seg)], i + 1, path);
        path.pop();
      }
      return;
    }
    if (!isMap(node)) return;
    if (seg === ANY) {
      for (const k of Object.keys(node)) (path.push(k), walk(node[k], i + 1, path), path.pop());
    } else if (Object.prototype.hasOwnProperty.call(node, seg)) {
      path.push(seg);
      walk(node[seg], i + 1, path);
      path.pop();
    }
  };
  walk(root, 0, []);
  return out;
}

/** The single value at a concrete pattern (no `*`), or undefined. */
export function valueAtPattern(root: JsonValue, pattern: PathPattern): JsonValue | undefined {
  let node: JsonValue | undefined = root;
  for (const seg of pattern) {
    if (Array.isArray(node) && /^\d+$/.test(seg)) node = node[Number(seg)];
    else if (isMap(node) && Object.prototype.hasOwnProperty.call(node, seg)) node = node[seg];
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * A pattern of a subchart's knowledge, mounted under the subchart's key in the parent's values.
 * `global` is shared by a parent and its subcharts (Helm copies it down), so it is not prefixed.
 */
export function mountPattern(prefix: PathPattern, pattern: PathPattern): string[] {
  if (prefix.length === 0 || pattern[0] === 'global') return [...pattern];
  return [...prefix, ...pattern];
}
