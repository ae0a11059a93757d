// The `when` language of chart knowledge (schemas/README.md, "Conditions"): a feature, an
// image or a component exists only when a condition on the effective values holds. Each
// condition has exactly one operator; paths may use `*` (any match counts). A condition is
// checked once when its schema is read (`checkCondition`), so evaluation never meets a
// malformed one, and it can be described in words for lists ("only if enableHolmesGPT is true").
import type { JsonValue, ValuePath } from '../types';
import { mountPattern, parsePath, patternText, valuesAt, type PathPattern } from './paths';

export type Condition =
  | { op: 'exists' | 'truthy'; path: string[]; default?: JsonValue }
  | { op: 'equals'; path: string[]; value: JsonValue; default?: JsonValue }
  | { op: 'in'; path: string[]; values: JsonValue[]; default?: JsonValue }
  | { op: 'matches'; path: string[]; regex: RegExp; default?: JsonValue }
  | { op: 'any' | 'all'; of: Condition[] }
  | { op: 'not'; of: Condition };

const OPERATORS = ['exists', 'truthy', 'equals', 'in', 'matches', 'any', 'all', 'not'];
const MAX_NESTING = 16;

/** Parses a written condition; a problem message (with the JSON path inside it) when malformed. */
export function checkCondition(raw: unknown, depth = 0): { condition?: Condition; problem?: string } {
  if (depth > MAX_NESTING) return { problem: 'conditions nest too deeply' };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { problem: 'a condition is an object with one operator (exists, truthy, equals, in, matches, any, all, not)' };
  const obj = raw as Record<string, unknown>;
  const ops = Object.keys(obj).filter((k) => k !== 'default' && k !== 'source' && k !== 'why');
  const unknown = ops.filter((k) => !OPERATORS.includes(k));
  if (unknown.length) return { problem: `unknown condition operator "${unknown[0]}" (use ${OPERATORS.join(', ')})` };
  if (ops.length !== 1) return { problem: `a condition has exactly one operator, this one has ${ops.length}` };
  const op = ops[0];
  const arg = obj[op];
  const withDefault = <T extends object>(c: T): T => ('default' in obj ? { ...c, default: obj.default as JsonValue } : c);
  const path = (text: unknown): string[] | string => {
    const p = typeof text === 'string' ? parsePath(text) : undefined;
    return p ?? `"${String(text)}" is not a values path (write a.b[*].c)`;
  };
  switch (op) {
    case 'exists':
    case 'truthy': {
      const p = path(arg);
      return typeof p === 'string' ? { problem: `${op}: ${p}` } : { condition: withDefault({ op, path: p }) };
    }
    case 'equals':
    case 'in':
    case 'matches': {
      if (!Array.isArray(arg) || arg.length !== 2) return { problem: `${op} takes [path, ${op === 'in' ? '[values…]' : op === 'matches' ? '"regex"' : 'value'}]` };
      const p = path(arg[0]);
      if (typeof p === 'string') return { problem: `${op}: ${p}` };
      if (op === 'equals') return { condition: withDefault({ op, path: p, value: arg[1] as JsonValue }) };
      if (op === 'in') {
        if (!Array.isArray(arg[1])) return { problem: 'in takes [path, [values…]]' };
        return { condition: withDefault({ op, path: p, values: arg[1] as JsonValue[] }) };
      }
      if (typeof arg[1] !== 'string' || arg[1].length > 500) return { problem: 'matches takes [path, "regex"] with a regex of at most 500 characters' };
      try {
        return { condition: withDefault({ op: 'matches' as const, path: p, regex: new RegExp(arg[1]) }) };
      } catch (err) {
        return { problem: `matches: ${(err as Error).message}` };
      }
    }
    case 'any':
    case 'all': {
      if (!Array.isArray(arg) || arg.length === 0) return { problem: `${op} takes a non-empty list of conditions` };
      const of: Condition[] = [];
      for (const item of arg) {
        const r = checkCondition(item, depth + 1);
        if (r.problem) return r;
        of.push(r.condition!);
      }
      return { condition: { op, of } };
    }
    default: {
      const r = checkCondition(arg, depth + 1);
      return r.problem ? r : { condition: { op: 'not', of: r.condition! } };
    }
  }
}

/** True, a non-empty string other than "false", a non-zero number, a non-empty list or map. */
export function isTruthy(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.trim() !== '' && v.trim().toLowerCase() !== 'false';
  if (Array.isArray(v)) return v.length > 0;
  return Object.keys(v).length > 0;
}

function sameValue(a: JsonValue | undefined, b: JsonValue): boolean {
  if (a === undefined) return false;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return a === b || String(a) === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The values a leaf condition looks at: every match, or the chart's default when none. */
function leafValues(values: JsonValue, path: PathPattern, def: JsonValue | undefined, hasDefault: boolean): JsonValue[] {
  const found = valuesAt(values, path, 1000).map((m) => m.value);
  if (found.length === 0 && hasDefault) return [def as JsonValue];
  return found;
}

export function evaluate(c: Condition, values: JsonValue): boolean {
  switch (c.op) {
    case 'any':
      return c.of.some((x) => evaluate(x, values));
    case 'all':
      return c.of.every((x) => evaluate(x, values));
    case 'not':
      return !evaluate(c.of, values);
    default: {
      const vs = leafValues(values, c.path, c.default, 'default' in c);
      switch (c.op) {
        case 'exists':
          return vs.some((v) => v !== null && v !== undefined);
        case 'truthy':
          return vs.some(isTruthy);
        case 'equals':
          return vs.some((v) => sameValue(v, c.value));
        case 'in':
          return vs.some((v) => c.values.some((x) => sameValue(v, x)));
        case 'matches':
          return vs.some((v) => typeof v === 'string' && c.regex.test(v));
      }
    }
  }
  return false;
}

/** The same condition on a subchart's values, mounted under its key in the parent's. */
export function mountCondition(c: Condition, prefix: PathPattern): Condition {
  if (prefix.length === 0) return c;
  if (c.op === 'any' || c.op === 'all') return { op: c.op, of: c.of.map((x) => mountCondition(x, prefix)) };
  if (c.op === 'not') return { op: 'not', of: mountCondition(c.of, prefix) };
  return { ...c, path: mountPattern(prefix, (c as { path: string[] }).path) } as Condition;
}

const shown = (v: JsonValue): string => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

/** In words, for "only if …" notes: `enableHolmesGPT is true`, `sinksConfig.*.slack_sink is set`. */
export function describeCondition(c: Condition): string {
  switch (c.op) {
    case 'any':
      return c.of.map(describeCondition).join(' or ');
    case 'all':
      return c.of.map(describeCondition).join(' and ');
    case 'not':
      return `not (${describeCondition(c.of)})`;
    case 'exists':
      return `${patternText(c.path)} is set`;
    case 'truthy':
      return `${patternText(c.path)} is true`;
    case 'equals':
      return `${patternText(c.path)} is ${shown(c.value)}`;
    case 'in':
      return `${patternText(c.path)} is one of ${c.values.map(shown).join(', ')}`;
    case 'matches':
      return `${patternText(c.path)} matches /${c.regex.source}/`;
  }
}

/** The first leaf path of a condition: the value that turns a feature on, for "enabled by" lines. */
export function conditionPaths(c: Condition): string[][] {
  if (c.op === 'any' || c.op === 'all') return c.of.flatMap(conditionPaths);
  if (c.op === 'not') return conditionPaths(c.of);
  return [(c as { path: string[] }).path];
}

/** Concrete paths of the values that make a condition hold (for "enabled by FILE:LINE"). */
export function witnesses(c: Condition, values: JsonValue): ValuePath[] {
  switch (c.op) {
    case 'any':
      for (const x of c.of) if (evaluate(x, values)) return witnesses(x, values);
      return [];
    case 'all':
      return c.of.flatMap((x) => witnesses(x, values));
    case 'not':
      return [];
    default: {
      const leaf = c as Extract<Condition, { path: string[] }>;
      return valuesAt(values, leaf.path, 100)
        .filter((m) => evaluate({ ...leaf, path: m.path.map(String) } as Condition, values))
        .map((m) => m.path)
        .slice(0, 1);
    }
  }
}
