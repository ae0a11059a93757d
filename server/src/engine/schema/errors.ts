// From ajv's raw error list to the findings a person wants to read. ajv reports every branch
// of a failed oneOf/anyOf plus the composite itself, and an `if` error on top of the `then`
// errors; here each composite becomes either the errors of its best-matching branch or one
// summary, and each error gets a sentence that names the value path and what was found.
import type { ErrorObject } from 'ajv';
import type { JsonValue, ValuePath } from '../types';
import type { CompiledSchema } from './compile';

/** A composite error whose branches were all wrong in shape: one finding lists the alternatives. */
export interface BranchSummary {
  alternatives: string[];
  /** Every alternative is a plain type/const/enum of the value itself ("a string", "null"). */
  simple: boolean;
}

export type RefinedError = ErrorObject & { summary?: BranchSummary };

const COMPOSITES = new Set(['oneOf', 'anyOf']);
/** Nesting of oneOf/anyOf analysed; deeper composites are reported as ajv gives them. */
const MAX_COMPOSITE_DEPTH = 6;

function prefixed(errors: ErrorObject[] | null | undefined, prefix: string): ErrorObject[] {
  if (!errors) return [];
  return errors.map((e) => ({ ...e, instancePath: prefix + e.instancePath }));
}

/** The errors of one branch of a composite, validated on its own; undefined if it cannot be compiled. */
function branchErrors(branch: unknown, err: ErrorObject, compiled: CompiledSchema): ErrorObject[] | undefined {
  if (branch === true) return [];
  if (branch === false) {
    return [{ keyword: 'false schema', instancePath: err.instancePath, schemaPath: err.schemaPath, params: {}, data: err.data }];
  }
  const validate = compiled.validatorFor(branch);
  if (!validate) return undefined;
  validate(err.data);
  return prefixed(validate.errors, err.instancePath);
}

/** How wrong a branch is: a mismatch of the value's own type or a const discriminator dominates. */
function branchScore(errors: ErrorObject[], at: string): number {
  let score = 0;
  for (const e of errors) {
    if (e.instancePath === at && (e.keyword === 'type' || e.keyword === 'false schema' || e.keyword === 'const' || e.keyword === 'enum')) score += 1000;
    else if (e.keyword === 'const') score += 100;
    else if (e.keyword === 'required' && e.instancePath === at) score += 5;
    else score += 1;
  }
  return score;
}

interface Unit {
  raw: number;
  out: RefinedError[];
}

/**
 * Replaces each failed oneOf/anyOf (and the branch errors ajv emitted for it) by the errors of
 * its best-matching branch, or by one summary when no branch is clearly best; drops `if`
 * errors (their `then`/`else` errors are already in the list).
 *
 * ajv appends the errors of every branch just before the composite's own error, so the branch
 * errors are the last N entries before it, where N is the sum of each branch's error count
 * when validated alone. Validating each branch alone also gives the per-branch lists.
 */
export function refineErrors(errors: ErrorObject[], compiled: CompiledSchema, depth = 0): RefinedError[] {
  const units: Unit[] = [];
  for (const e of errors) {
    if (e.keyword === 'if') {
      units.push({ raw: 1, out: [] });
      continue;
    }
    const passing = (e.params as { passingSchemas?: unknown }).passingSchemas;
    if (!COMPOSITES.has(e.keyword) || !Array.isArray(e.schema) || depth >= MAX_COMPOSITE_DEPTH || Array.isArray(passing)) {
      units.push({ raw: 1, out: [e] });
      continue;
    }
    const perBranch = (e.schema as unknown[]).map((b) => branchErrors(b, e, compiled));
    if (perBranch.some((b) => b === undefined)) {
      units.push({ raw: 1, out: [e] });
      continue;
    }
    const branches = perBranch as ErrorObject[][];
    const expected = branches.reduce((n, b) => n + b.length, 0);
    // Take back the units that hold this composite's branch errors.
    const taken: Unit[] = [];
    let count = 0;
    while (count < expected && units.length) {
      const u = units.pop() as Unit;
      taken.unshift(u);
      count += u.raw;
    }
    if (count !== expected) {
      // The list does not look as expected (should not happen): keep everything as ajv said.
      units.push(...taken, { raw: 1, out: [e] });
      continue;
    }
    units.push({ raw: expected + 1, out: chooseBranch(e, branches, compiled, depth) });
  }
  return units.flatMap((u) => u.out);
}

function chooseBranch(e: ErrorObject, branches: ErrorObject[][], compiled: CompiledSchema, depth: number): RefinedError[] {
  const scores = branches.map((b) => branchScore(b, e.instancePath));
  const best = Math.min(...scores);
  const bestIndexes = scores.flatMap((s, i) => (s === best ? [i] : []));
  if (best < 1000 && bestIndexes.length === 1) {
    return refineErrors(branches[bestIndexes[0]], compiled, depth + 1);
  }
  // No clear winner: one finding that lists what each candidate branch wants.
  const candidates = best < 1000 ? bestIndexes : branches.map((_, i) => i);
  const alternatives: string[] = [];
  let simple = true;
  for (const i of candidates) {
    const refined = refineErrors(branches[i], compiled, depth + 1);
    const first = refined[0];
    if (!first || first.instancePath !== e.instancePath || !['type', 'const', 'enum'].includes(first.keyword) || first.summary) simple = false;
    const text = first ? describeRelative(first, e.instancePath) : 'any value';
    if (!alternatives.includes(text)) alternatives.push(text);
  }
  return [{ ...e, summary: { alternatives, simple } }];
}

// ---------------------------------------------------------------- messages

/**
 * `/a/0/b` → ['a', 0, 'b'], numeric segments as indexes only where the data is a list (a map
 * key "0" stays a string); where the data is unknown (undefined), numeric segments are indexes.
 */
export function pointerToPath(pointer: string, data: JsonValue | undefined): ValuePath {
  if (!pointer) return [];
  const out: ValuePath = [];
  let node: JsonValue | undefined = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if ((node === undefined || Array.isArray(node)) && /^(0|[1-9]\d*)$/.test(seg)) {
      out.push(Number(seg));
      node = Array.isArray(node) ? (node[Number(seg)] ?? null) : undefined;
    } else {
      out.push(seg);
      if (node !== undefined) node = node && typeof node === 'object' && !Array.isArray(node) ? (node[seg] ?? null) : null;
    }
  }
  return out;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** `['image', 'tag']` → `image.tag`; `['env', 0, 'name']` → `env[0].name`; odd keys in brackets. */
export function formatPath(path: ValuePath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function truncate(s: string, max = 60): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return `boolean ${v}`;
  if (typeof v === 'number') return `${Number.isInteger(v) ? 'integer' : 'number'} ${v}`;
  if (typeof v === 'string') return v === '' ? 'an empty string' : `string ${truncate(JSON.stringify(v))}`;
  if (Array.isArray(v)) return v.length ? `a list of ${v.length} item${v.length === 1 ? '' : 's'}` : 'an empty list';
  const n = Object.keys(v as object).length;
  return n ? 'a map' : 'an empty map';
}

function literal(v: unknown): string {
  return v === undefined ? 'undefined' : truncate(JSON.stringify(v) ?? String(v), 40);
}

function listOf(values: unknown[], max = 12): string {
  const shown = values.slice(0, max).map(literal).join(', ');
  return values.length > max ? `${shown} … (${values.length - max} more)` : shown;
}

function typeList(t: unknown): string {
  const types = Array.isArray(t) ? t : String(t).split(',');
  return types.length > 1 ? `${types.slice(0, -1).join(', ')} or ${types[types.length - 1]}` : String(types[0]);
}

function withArticles(t: unknown): string {
  const types = Array.isArray(t) ? t : String(t).split(',');
  return types.map((x) => (x === 'null' ? 'null' : /^[aeiou]/.test(String(x)) ? `an ${x}` : `a ${x}`)).join(' or ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface Described {
  /** Rule ID: `schema/<keyword>`. */
  code: string;
  message: string;
  /** The values path the finding is about (the unknown key itself for unknown keys). */
  path: ValuePath;
  /** Where in the text: the value, the key, or the parent's key (a missing key). */
  target: 'value' | 'key' | 'parentKey';
}

/** The keyword as a rule ID suffix (`false schema` → `false`). */
export function ruleIdFor(keyword: string): string {
  return `schema/${keyword === 'false schema' ? 'false' : keyword}`;
}

/** The sentence for a refined error; `path` is relative to the validated values. */
export function describeError(err: RefinedError, data: JsonValue | undefined): Described {
  const base = pointerToPath(err.instancePath, data);
  const where = formatPath(base);
  const subject = where || 'The values';
  const inWhere = where ? ` in ${where}` : ' at the top level';
  const p = err.params as Record<string, unknown>;
  const got = describeValue(err.data);
  const code = ruleIdFor(err.keyword);
  const value = (message: string): Described => ({ code, message, path: base, target: 'value' });
  if (err.summary) {
    const alts = err.summary.alternatives;
    if (err.summary.simple) return value(`${subject} must be ${alts.join(' or ')} (got ${got})`);
    const shapes = alts.length === 1 ? alts[0] : alts.map((a, i) => `(${i + 1}) ${a}`).join('; ');
    return value(`${subject} matches none of the ${err.keyword === 'oneOf' ? 'allowed' : 'accepted'} forms (got ${got}): ${shapes}.`);
  }
  switch (err.keyword) {
    case 'type':
      return value(`${subject} must be ${typeList(p.type)} (got ${got})`);
    case 'enum':
      return value(`${subject} must be one of ${listOf(p.allowedValues as unknown[])} (got ${got})`);
    case 'const':
      return value(`${subject} must be ${literal(p.allowedValue)} (got ${got})`);
    case 'required':
      return { code, message: `Missing required key "${p.missingProperty}"${inWhere}`, path: base, target: 'parentKey' };
    case 'dependentRequired':
    case 'dependencies':
      return {
        code,
        message: `Missing key "${p.missingProperty}"${inWhere}: it is required when "${p.property}" is set`,
        path: base,
        target: 'parentKey',
      };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(p.additionalProperty ?? p.unevaluatedProperty);
      return { code, message: `Unknown key "${name}"${inWhere}`, path: [...base, name], target: 'key' };
    }
    case 'propertyNames':
      return { code, message: `Key "${p.propertyName}"${inWhere} is not an allowed name`, path: [...base, String(p.propertyName)], target: 'key' };
    case 'false schema': {
      const last = base[base.length - 1];
      const parent = formatPath(base.slice(0, -1));
      const message =
        last === undefined
          ? 'No values are allowed here'
          : typeof last === 'number'
            ? `Item ${last} of ${parent} is not allowed`
            : `Key "${last}"${parent ? ` in ${parent}` : ''} is not allowed`;
      return { code, message, path: base, target: 'key' };
    }
    case 'pattern':
      return value(`${subject} must match the pattern ${p.pattern} (got ${got})`);
    case 'format':
      return value(`${subject} must be a valid ${p.format} (got ${got})`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return value(`${subject} must be ${p.comparison} ${p.limit} (got ${got})`);
    case 'multipleOf':
      return value(`${subject} must be a multiple of ${p.multipleOf} (got ${got})`);
    case 'minLength':
      return value(`${subject} must have at least ${plural(Number(p.limit), 'character')} (got ${got})`);
    case 'maxLength':
      return value(`${subject} must have at most ${plural(Number(p.limit), 'character')} (got ${got})`);
    case 'minItems':
      return value(`${subject} must have at least ${plural(Number(p.limit), 'item')} (got ${got})`);
    case 'maxItems':
    case 'additionalItems':
    case 'unevaluatedItems':
      return value(`${subject} must have at most ${plural(Number(p.limit), 'item')} (got ${got})`);
    case 'minProperties':
      return value(`${subject} must have at least ${plural(Number(p.limit), 'key')} (got ${got})`);
    case 'maxProperties':
      return value(`${subject} must have at most ${plural(Number(p.limit), 'key')} (got ${got})`);
    case 'uniqueItems':
      return value(`${subject} must not repeat items (items ${p.j} and ${p.i} are equal)`);
    case 'contains':
      return value(`${subject} must contain at least ${plural(Number(p.minContains ?? 1), 'item')} of the required form`);
    case 'not':
      return value(`${subject} has a value the schema rules out (got ${got})`);
    case 'oneOf':
      return value(
        Array.isArray(p.passingSchemas)
          ? `${subject} matches more than one of the allowed forms (${(p.passingSchemas as number[]).map((i) => `#${i + 1}`).join(' and ')}); it must match exactly one`
          : `${subject} matches none of the allowed forms (got ${got})`,
      );
    case 'anyOf':
      return value(`${subject} matches none of the accepted forms (got ${got})`);
    default:
      return value(`${subject} ${err.message ?? 'is invalid'}`);
  }
}

/** A short description of a branch error, relative to the composite's own location. */
function describeRelative(err: RefinedError, at: string): string {
  const rel = { ...err, instancePath: err.instancePath.slice(at.length) };
  const d = describeError(rel, undefined);
  // "The values must be string (got …)" reads better as "a string" in a list of alternatives.
  if (!rel.instancePath && err.keyword === 'type') return withArticles((err.params as { type: unknown }).type);
  if (!rel.instancePath && err.keyword === 'const') return literal((err.params as { allowedValue: unknown }).allowedValue);
  if (!rel.instancePath && err.keyword === 'enum') return `one of ${listOf((err.params as { allowedValues: unknown[] }).allowedValues)}`;
  return d.message.replace(/ \(got [^)]*\)$/, '').replace(/^The values /, '').replace(/ at the top level$/, '');
}
