// Comparing an incrementally parsed document with a full parse of the same text: values,
// problems, located ranges and every node of the tree. Shared by the incremental parsing tests
// and the fuzz properties.
import { strict as assert } from 'node:assert';
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import { parseValuesDocument, type ValuesDocument } from '../server/src/engine/document';
import type { JsonValue, ValuePath } from '../server/src/engine/types';

/** Every node with its range, scalar value, comments and flags, in document order. */
export function dumpTree(doc: ValuesDocument): string[] {
  const out: string[] = [];
  const y = doc.yamlDoc;
  out.push(`doc ${JSON.stringify({ r: y?.range, cb: y?.commentBefore, c: y?.comment })}`);
  const walk = (n: unknown, path: string): void => {
    if (n === null || n === undefined) {
      out.push(`${path} null`);
      return;
    }
    const node = n as Record<string, unknown>;
    out.push(
      `${path} ${(n as object).constructor.name} ${JSON.stringify({
        r: node.range,
        v: isScalar(n) ? n.value : undefined,
        src: node.source,
        t: node.type,
        cb: node.commentBefore,
        c: node.comment,
        sb: node.spaceBefore,
        flow: node.flow,
        tag: node.tag,
        anchor: node.anchor,
      })}`,
    );
    if (isMap(n) || isSeq(n)) n.items.forEach((item, i) => walk(item, `${path}/${i}`));
    if (isPair(n)) {
      walk(n.key, `${path}:k`);
      walk(n.value, `${path}:v`);
    }
  };
  walk(doc.root, '$');
  return out;
}

function leafPaths(value: JsonValue, prefix: ValuePath = [], out: ValuePath[] = []): ValuePath[] {
  if (Array.isArray(value)) {
    if (!value.length) out.push(prefix);
    value.forEach((v, i) => leafPaths(v, [...prefix, i], out));
  } else if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (!keys.length) out.push(prefix);
    for (const k of keys) leafPaths(value[k], [...prefix, k], out);
  } else out.push(prefix);
  return out;
}

/** Asserts that `incremental` is indistinguishable from a full parse of the same text. */
export function assertSameAsFull(incremental: ValuesDocument, label: string): void {
  const full = parseValuesDocument(incremental.path, incremental.text, incremental.version);
  // Strings first: deepEqual on a 6k-line values tree is slow, and equal strings are the common case.
  if (JSON.stringify(incremental.values) !== JSON.stringify(full.values)) assert.deepEqual(incremental.values, full.values, `${label}: values`);
  assert.deepEqual(
    incremental.problems.map((p) => ({ kind: p.kind, message: p.message, range: p.range, firstRange: p.firstRange })),
    full.problems.map((p) => ({ kind: p.kind, message: p.message, range: p.range, firstRange: p.firstRange })),
    `${label}: problems`,
  );
  assert.equal(incremental.valuesIncomplete, full.valuesIncomplete, `${label}: valuesIncomplete`);
  for (const path of leafPaths(full.values)) {
    const a = incremental.locate(path);
    const b = full.locate(path);
    const ra = JSON.stringify(a && { node: incremental.rangeOf(a.node), key: a.key && incremental.rangeOf(a.key) });
    const rb = JSON.stringify(b && { node: full.rangeOf(b.node), key: b.key && full.rangeOf(b.key) });
    assert.equal(ra, rb, `${label}: locate ${JSON.stringify(path)}`);
  }
  const da = dumpTree(incremental);
  const db = dumpTree(full);
  const i = da.findIndex((line, k) => line !== db[k]);
  assert.ok(i < 0 && da.length === db.length, `${label}: node ${i}\n  incremental ${da[i]}\n  full        ${db[i]}`);
}
