// Values paths (`runner.additional_env_vars[0].value`) as messages show them, and the value at one.
import type { JsonValue, ValuePath } from './types';

/** `a.b[0].c`: keys joined by dots, list indexes in brackets. */
export function pathText(path: ValuePath): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
}

/** The value at a concrete path of plain values (maps only), or undefined. */
export function valueAt(values: JsonValue, path: ValuePath): JsonValue | undefined {
  let v: JsonValue | undefined = values;
  for (const seg of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !(String(seg) in v)) return undefined;
    v = (v as { [k: string]: JsonValue })[String(seg)];
  }
  return v;
}
