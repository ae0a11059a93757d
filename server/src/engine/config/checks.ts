// Checks of a `.airgap-lint.yaml` beyond its JSON Schema: values the schema accepts as strings
// but that cannot mean what the user wants. Each problem is a `config/invalid` finding on the
// value in the config file.
// - mirror.registry must be what a container runtime reads as a registry host: `registry/team`
//   (no `.`/`:`) is a Docker Hub namespace, `https://harbor.corp` has a scheme, `<mirror-registry>`
//   was never filled in (images/mirror.ts parseMirrorRegistry).
// - layers: a file twice in one stack (its place, and so what it is layered on, is ambiguous),
//   the config file itself as a layer, a file whose lower layers differ between two stacks
//   (only the first stack that lists a file is used for it: [a, b] and [b, a] contradict each
//   other), and absurdly long stacks (only the first MAX_LAYERS_PER_STACK files are used).
import * as nodePath from 'node:path';
import type { ValuesDocument } from '../document';
import { parseMirrorRegistry } from '../images/mirror';
import type { Finding, JsonValue, ValuePath } from '../types';
import { splitSentence } from '../wording';

/** A Helm install takes a handful of -f files; past this, a stack is a generated mistake. */
export const MAX_LAYERS_PER_STACK = 100;

const CONFIG_NAMES = ['.airgap-lint.yaml', '.airgap-lint.yml'];

type JsonMap = { [k: string]: JsonValue };
const isMap = (v: JsonValue | undefined): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkConfigValues(doc: ValuesDocument): Finding[] {
  const out: Finding[] = [];
  const values = doc.values;
  if (!isMap(values)) return out;
  const report = (path: ValuePath, message: string) => {
    const loc = doc.locate(path);
    const node = loc?.node ?? loc?.key;
    // Written as "what: why" sentences; the editor shows the what as the headline.
    const split = splitSentence(message);
    const headline = split.message.replace(/\.$/, '');
    const detail = split.detail;
    out.push({ code: 'config/invalid', severity: 'error', message: headline, ...(detail ? { detail } : {}), path: doc.path, range: node ? doc.rangeOf(node) : doc.spanRange(0, 0), fixes: [] });
  };
  checkMirrorRegistry(values, report);
  checkLayers(values, nodePath.dirname(doc.path), report);
  return out;
}

function checkMirrorRegistry(values: JsonMap, report: (path: ValuePath, message: string) => void): void {
  const mirror = values.mirror;
  if (!isMap(mirror) || typeof mirror.registry !== 'string' || mirror.registry.trim() === '') return;
  const registry = mirror.registry;
  if (/<[^<>]*>/.test(registry)) {
    report(['mirror', 'registry'], `mirror.registry "${registry}" is an unreplaced placeholder: set it to your mirror's host (e.g. harbor.corp:5000 or harbor.corp:5000/project); until then image rules work as if no mirror were configured`);
    return;
  }
  const parsed = parseMirrorRegistry(registry);
  if ('ok' in parsed) report(['mirror', 'registry'], `${parsed.message}. Until it is fixed, image rules work as if no mirror were configured.`);
}

function checkLayers(values: JsonMap, baseDir: string, report: (path: ValuePath, message: string) => void): void {
  if (!Array.isArray(values.layers)) return;
  /** For each file, the first stack that lists it and the files below it there. */
  const firstPlace = new Map<string, { stack: number; below: string[] }>();
  values.layers.forEach((stack, s) => {
    if (!Array.isArray(stack)) return;
    if (stack.length > MAX_LAYERS_PER_STACK) {
      report(['layers', s, MAX_LAYERS_PER_STACK], `layers[${s}] lists ${stack.length} files; only the first ${MAX_LAYERS_PER_STACK} are used as a stack (a Helm install takes a handful of -f files).`);
    }
    const seen = new Map<string, number>();
    const below: string[] = [];
    stack.slice(0, MAX_LAYERS_PER_STACK).forEach((entry, i) => {
      if (typeof entry !== 'string' || entry === '') return;
      const abs = nodePath.resolve(baseDir, entry);
      const name = JSON.stringify(entry);
      if (CONFIG_NAMES.includes(nodePath.basename(abs))) {
        report(['layers', s, i], `layers[${s}][${i}] ${name} is an airgap-lint configuration file, not a values file; it is not merged.`);
        return;
      }
      const earlier = seen.get(abs);
      if (earlier !== undefined) {
        report(['layers', s, i], `${name} is listed twice in layers[${s}] (at [${earlier}] and [${i}]): a file has one place in a stack, so this entry is ignored. To make its values win over the files between, move the first one here.`);
        return;
      }
      seen.set(abs, i);
      const first = firstPlace.get(abs);
      if (!first) firstPlace.set(abs, { stack: s, below: [...below] });
      else if (first.stack !== s && first.below.join('\n') !== below.join('\n')) {
        const describe = (files: string[]) => (files.length ? files.map((f) => nodePath.relative(baseDir, f) || f).join(', ') : 'nothing');
        report(
          ['layers', s, i],
          `${name} is layered on ${describe(first.below)} in layers[${first.stack}] and on ${describe(below)} here: a file is linted in the first stack that lists it, so this order is not used for it.`,
        );
      }
      below.push(abs);
    });
  });
}
