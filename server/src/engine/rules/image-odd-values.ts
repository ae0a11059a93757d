// image/invalid-reference for image parts that are not scalars: `image: {registry: {a: {b: c}}}`
// or `tag: [1]`. Discovery reads only strings and numbers, so such a part is invisible to it,
// yet the chart's template prints it into the reference (Go prints a map as `map[a:map[b:c]]`
// and a list as `[x]`) and the pull fails. Reported on the value, in the file that writes it.
import { isImageKey } from '../images/discover';
import type { JsonValue, ValuePath } from '../types';
import { type FileFacts, pathText } from './image-support';
import { clip } from '../wording';

type JsonMap = { [k: string]: JsonValue };
const isMap = (v: JsonValue | undefined): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parts a template prints into a reference. */
const PART_KEYS = ['registry', 'repository', 'tag', 'digest', 'sha'];

/** What Go's fmt prints for a collection: map[k:v] with sorted keys, [a b] for a list. */
function goPrint(v: JsonValue, budget = { left: 120 }): string {
  if (budget.left <= 0) return '…';
  budget.left -= 1;
  if (Array.isArray(v)) return `[${v.map((x) => goPrint(x, budget)).join(' ')}]`;
  if (isMap(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goPrint(v[k], budget)}`).join(' ')}]`;
  return v === null ? '<nil>' : String(v);
}

export function checkOddImageValues(f: FileFacts): void {
  const doc = f.doc;
  let budget = 200_000; // nodes: aliases can make values far larger than the text
  const path: ValuePath = []; // one mutable path for the walk, copied when a finding needs it
  const walk = (value: JsonValue, key: string | undefined): void => {
    if (budget-- <= 0 || path.length > 100) return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item !== 'object' || item === null) {
          budget--;
          continue;
        }
        path.push(i);
        walk(item, undefined);
        path.pop();
      }
      return;
    }
    if (!isMap(value)) return;
    const imageish = (key !== undefined && isImageKey(key)) || typeof value.repository === 'string';
    for (const k of Object.keys(value)) {
      const child = value[k];
      if (typeof child !== 'object' || child === null) {
        budget--; // scalars are discovery's business, but count as visited nodes
        continue;
      }
      path.push(k);
      if (imageish && PART_KEYS.includes(k)) {
        const loc = doc.locate(path);
        if (loc?.node && !loc.viaAlias) {
          const kind = Array.isArray(child) ? 'a list' : 'a map';
          f.report({
            code: 'image/invalid-reference',
            message: clip(`${pathText(path)} is ${kind}, not a string: set it to a ${k === 'registry' ? 'registry host' : k} string`),
            detail: `The chart's template prints it into the image reference as "${goPrint(child).slice(0, 80)}", which is no valid ${k}, and the pull fails.`,
            range: doc.rangeOf(loc.node),
          });
        }
      } else walk(child, k);
      path.pop();
    }
  };
  walk(doc.values, undefined);
}
