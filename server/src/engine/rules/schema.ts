// schema/<keyword>, schema/unresolved-ref, schema/invalid-schema, schema/too-many-errors:
// JSON Schema validation of a values file, on the merged values of its layer stack.
//
// Layering semantics (see layers.ts for how stacks are found and merged). Linting file F whose
// stack is [L0 … F] with overlays O above F (O may be empty):
// - the values validated are merge(L0 … F), so F is judged as Helm would see it;
// - each error is attributed to the layer its value comes from (the topmost layer setting that
//   path; for an unknown key, the layer that wrote the key) and reported on F only when that
//   layer is F. An error whose value comes from a lower layer L is that layer's business (it is
//   reported when L is linted, where it is validated as merge(L0 … L)); only when L's own
//   validation does not show it (it arises from the combination) is it reported on F, at F's
//   nearest location for that path, naming L's line and with L's location as related
//   information;
// - a missing required key of a map (outside lists) belongs to no layer: it is reported on the
//   top of the stack only, i.e. when F has no overlays. A chart's values.yaml with sibling
//   overlays therefore does not report keys its overlays may set; each overlay reports what the
//   merged values still lack, once. Inside a list the list's layer owns the item, so a missing
//   key there is reported like any other error.
import * as nodePath from 'node:path';
import { isAlias, isMap, isScalar, type Scalar } from 'yaml';
import type { ValuesDocument } from '../document';
import { effectiveStack, effectiveValues, mergeLayers, type MergedLayers } from '../layers';
import { errorKey, schemaDisplayName, schemaForDocument, validateValues } from '../schema';
import { rangeInDocument, firstLineRange } from '../schema/ranges';
import { suggestNames } from '../schema/did-you-mean';
import { describeError, type RefinedError } from '../schema/errors';
import type { CompiledSchema } from '../schema/compile';
import type { Fix, JsonValue, ValuePath } from '../types';
import type { LintContext, RuleModule } from './types';
import { clip, plural, sentence, splitSentence } from '../wording';

/** Findings per file before the rest is summed up in one `schema/too-many-errors`. */
export const MAX_SCHEMA_FINDINGS = 100;


export const schemaRules: RuleModule = {
  name: 'schema',
  check(ctx) {
    const { doc } = ctx;
    const firstLine = firstLineRange(doc);
    const { discovery, compiled } = schemaForDocument(doc, ctx.config, ctx.host);
    for (const note of discovery.notes) {
      ctx.report({ code: 'schema/unresolved-ref', ...splitSentence(note.message), range: note.range ?? firstLine });
    }
    if (!compiled || !discovery.source) return;
    const name = schemaDisplayName(discovery.source.path, doc.path);
    const anchor = discovery.source.kind === 'modeline' && discovery.modeline ? discovery.modeline.range : firstLine;
    if (compiled.error) {
      ctx.report({
        code: 'schema/invalid-schema',
        message: clip(`The schema ${name} cannot be used: ${compiled.error}`),
        detail: `${sentence(compiled.error)}. Values are not checked against it (Helm would reject it too).`,
        range: anchor,
      });
      return;
    }
    if (compiled.metaProblem) {
      ctx.report({
        code: 'schema/invalid-schema',
        severity: 'warning',
        message: clip(`The schema ${name} is not a valid ${compiled.dialect} schema: it is applied as far as it can be`),
        detail: `${sentence(compiled.metaProblem)}.`,
        range: anchor,
      });
    }
    if (compiled.unresolved.length) {
      const shown = compiled.unresolved.slice(0, 3).join(', ');
      const more = compiled.unresolved.length > 3 ? ` and ${compiled.unresolved.length - 3} more` : '';
      ctx.report({
        code: 'schema/unresolved-ref',
        message: clip(`The schema ${name} refers to ${plural(compiled.unresolved.length, 'schema')} that airgap-lint does not fetch: validation continues without ${compiled.unresolved.length === 1 ? 'it' : 'them'}`),
        detail: `airgap-lint never goes online. Not fetched: ${shown}${more}.`,
        range: anchor,
      });
    }
    // Values of a file that does not parse cleanly would give errors about what the parser
    // guessed, not what the user wrote: fix the YAML first.
    if (doc.valuesIncomplete || doc.problems.some((p) => p.kind === 'syntax' || p.kind === 'binary')) return;
    validateDocument(ctx, compiled);
  },
};

interface Layered {
  docs: ValuesDocument[];
  merged?: MergedLayers;
  data: JsonValue;
  hasOverlays: boolean;
}

function layeredValues(ctx: LintContext): Layered {
  // A layer that is missing is reported by the layers rule (rules/layers.ts); one that is not
  // clean YAML is merged as far as it was read, and its own lint says what is wrong.
  const { docs, stack, merged } = effectiveStack(ctx.doc, ctx.config, ctx);
  const hasOverlays = stack.overlays.length > 0;
  if (docs.length === 1) return { docs, data: effectiveValues(ctx.doc), hasOverlays };
  return { docs, merged, data: merged.values, hasOverlays };
}

function validateDocument(ctx: LintContext, compiled: CompiledSchema): void {
  const { doc } = ctx;
  const { docs, merged, data, hasOverlays } = layeredValues(ctx);
  const top = docs.length - 1;
  const errors = validateValues(compiled, data);
  const lowerKeys = new Map<number, Set<string>>();
  const reportedBy = (layer: number): Set<string> => {
    let keys = lowerKeys.get(layer);
    if (!keys) {
      const lowerData = layer === 0 ? effectiveValues(docs[0]) : mergeLayers(docs.slice(0, layer + 1)).values;
      keys = new Set(validateValues(compiled, lowerData).map(errorKey));
      lowerKeys.set(layer, keys);
    }
    return keys;
  };
  const reportedBelow = (from: number, to: number, key: string): boolean => {
    for (let k = from; k < to; k++) if (reportedBy(k).has(key)) return true;
    return false;
  };
  let shown = 0;
  let hidden = 0;
  for (const err of errors) {
    const described = describeError(err, data);
    const inList = described.path.some((s) => typeof s === 'number');
    const missingKey = described.target === 'parentKey';
    if (missingKey && !inList && hasOverlays) continue; // the top of the stack reports it
    let layer = top;
    if (merged && !(missingKey && !inList)) layer = merged.originOf(described.path) ?? top;
    // Reported already by the layer it comes from, or by a layer in between (as its own
    // combination): linting that layer shows it.
    if (layer !== top && reportedBelow(layer, top, errorKey(err))) continue;
    if (shown >= MAX_SCHEMA_FINDINGS) {
      hidden++;
      continue;
    }
    shown++;
    if (layer === top) reportHere(ctx, compiled, err, described);
    else reportFromLowerLayer(ctx, docs[layer], err, described);
  }
  if (hidden) {
    ctx.report({
      code: 'schema/too-many-errors',
      message: `${hidden} more schema error${hidden === 1 ? '' : 's'} in this file are not shown (the first ${MAX_SCHEMA_FINDINGS} are)`,
      range: firstLineRange(doc),
    });
  }
}

type Described = ReturnType<typeof describeError>;

function reportFromLowerLayer(ctx: LintContext, lower: ValuesDocument, err: RefinedError, described: Described): void {
  const here = rangeInDocument(ctx.doc, described.path, described.target);
  const there = rangeInDocument(lower, described.path, described.target);
  const split = splitSentence(described.message);
  ctx.report({
    code: described.code,
    message: split.message,
    detail: [split.detail, `The value is set in ${nodePath.basename(lower.path)} line ${there.range.start.line + 1} and is invalid once this file is layered on it.`].filter(Boolean).join(' '),
    range: here.range,
    related: [{ path: lower.path, range: there.range, message: 'the value comes from here' }],
  });
}

function reportHere(ctx: LintContext, compiled: CompiledSchema, err: RefinedError, described: Described): void {
  const { doc } = ctx;
  const target = rangeInDocument(doc, described.path, described.target);
  let message = described.message;
  let detail: string | undefined;
  const fixes: Fix[] = [];
  const editable = target.exact && !target.viaAlias;
  if (err.keyword === 'additionalProperties' || err.keyword === 'unevaluatedProperties') {
    const key = described.path[described.path.length - 1] as string;
    const allowed = allowedKeys(err, compiled);
    // A name the same map already spells in this file would collide; one set by another layer
    // would not (overriding it is likely what the typo meant).
    const present = keysWritten(doc, described.path.slice(0, -1));
    const suggestions = suggestNames(key, allowed, present);
    if (suggestions.length) {
      message += `. Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`;
      const keyNode = target.location?.key;
      if (editable && keyNode && isScalar(keyNode)) {
        suggestions.forEach((s, i) =>
          fixes.push({
            title: `Rename to "${s}"`,
            edits: [{ range: doc.rangeOf(keyNode), newText: scalarText(keyNode, s) }],
            safe: false,
            preferred: i === 0 && suggestions.length === 1,
          }),
        );
      }
    } else {
      const names = [...allowed];
      if (names.length && names.length <= 8) detail = `Allowed here: ${names.join(', ')}.`;
    }
  } else if (err.keyword === 'enum' && typeof err.data === 'string') {
    const allowed = ((err.params as { allowedValues?: unknown[] }).allowedValues ?? []).filter((v): v is string => typeof v === 'string');
    const suggestions = suggestNames(err.data, allowed);
    const node = target.location?.node;
    if (suggestions.length) {
      message += `. Did you mean "${suggestions[0]}"?`;
      if (editable && node && isScalar(node) && suggestions.length === 1) {
        fixes.push({
          title: `Change to "${suggestions[0]}"`,
          edits: [{ range: doc.rangeOf(node), newText: scalarText(node, suggestions[0]) }],
          safe: false,
          preferred: true,
        });
      }
    }
  } else if (err.keyword === 'type' && wantsString(err) && (typeof err.data === 'number' || typeof err.data === 'boolean')) {
    // YAML 1.1 reads `1.10`, `yes`, `on` as a number or a boolean; the author usually meant the text.
    const node = target.location?.node;
    if (editable && node && isScalar(node) && node.type === 'PLAIN' && node.range) {
      const source = doc.text.slice(node.range[0], node.range[1]);
      message += `; quote it (${JSON.stringify(source)}) to keep it a string`;
      fixes.push({ title: `Quote ${source}`, edits: [{ range: doc.rangeOf(node), newText: JSON.stringify(source) }], safe: false, preferred: true });
    }
  }
  const split = splitSentence(message);
  const details = [split.detail, detail].filter(Boolean);
  ctx.report({ code: described.code, message: split.message, ...(details.length ? { detail: details.map((d) => endSentence(d!)).join(' ') } : {}), range: target.range, fixes });
}

function keysWritten(doc: ValuesDocument, mapPath: ValuePath): Set<string> {
  const loc = doc.locate(mapPath);
  let node = loc?.node;
  if (node && isAlias(node)) node = doc.aliasTarget(node) ?? null;
  const out = new Set<string>();
  if (isMap(node)) for (const pair of node.items) if (isScalar(pair.key)) out.add(String(pair.key.value));
  return out;
}

function endSentence(message: string): string {
  return /[.?!]$/.test(message) ? message : `${message}.`;
}

function wantsString(err: RefinedError): boolean {
  const t = (err.params as { type?: unknown }).type;
  return (Array.isArray(t) ? t : String(t).split(',')).includes('string');
}

/** The property names an object schema allows, for "did you mean". */
function allowedKeys(err: RefinedError, compiled: CompiledSchema): Set<string> {
  const out = new Set<string>();
  const parent = err.parentSchema as Record<string, unknown> | undefined;
  if (!parent) return out;
  if (err.keyword === 'additionalProperties') {
    // Exactly what `additionalProperties: false` lets through, so a rename always fixes it.
    for (const k of Object.keys((parent.properties as object) ?? {})) out.add(k);
    return out;
  }
  // unevaluatedProperties: properties evaluated anywhere in the schema's applicators.
  const seen = new Set<object>();
  const visit = (s: unknown, depth: number) => {
    if (!s || typeof s !== 'object' || seen.has(s) || depth > 6) return;
    seen.add(s);
    const schema = s as Record<string, unknown>;
    for (const k of Object.keys((schema.properties as object) ?? {})) out.add(k);
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      if (Array.isArray(schema[key])) for (const sub of schema[key] as unknown[]) visit(sub, depth + 1);
    }
    for (const key of ['then', 'else']) visit(schema[key], depth + 1);
    if (typeof schema.$ref === 'string') visit(compiled.prepared?.resolveRef(schema, schema.$ref), depth + 1);
  };
  visit(parent, 0);
  return out;
}

const YAML11_SPECIAL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;

/** `text` written like `node` was: same quotes, or plain when plain is safe. */
function scalarText(node: Scalar, text: string): string {
  if (node.type === 'QUOTE_SINGLE') return `'${text.replace(/'/g, "''")}'`;
  if (node.type === 'QUOTE_DOUBLE') return JSON.stringify(text);
  const plainSafe = /^[A-Za-z_/][\w./-]*$/.test(text) && !YAML11_SPECIAL.test(text);
  return plainSafe ? text : JSON.stringify(text);
}

