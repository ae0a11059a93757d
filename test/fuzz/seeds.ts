// The documents the fuzzer mutates: every values file (and .airgap-lint.yaml) of test/corpus
// and test/fixtures, each with the files around it (Chart.yaml, values.schema.json, sibling
// layers, subcharts) so that the schema, knowledge, layer and image rules run as they do in a
// real chart. Identical texts are kept once, the fixture copy first (fixtures carry more context).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as nodePath from 'node:path';
import { CORPUS, FIXTURES, MemoryHost, REPO } from '../helpers';

export interface Seed {
  /** Repository-relative path: what a failure report names. */
  label: string;
  /** The file's directory, with everything the engine may read next to it. */
  dir: string;
  /** Absolute path of the file on disk (the server reads its neighbours there). */
  diskPath: string;
  text: string;
}

const LINTED = /^(values([-.].*)?|.*-values)\.ya?ml$|^\.airgap-lint\.ya?ml$/;
/** Neighbours worth loading: what the engine reads (charts, schemas, configs, layers). */
const CONTEXT = /\.(ya?ml|json)$/;
/** Folders the engine never reads and that only make a context expensive to build. */
const SKIPPED_DIRS = new Set(['templates', 'tests', 'docs', 'ci', 'examples', 'crds', 'dashboards', 'files']);

function walk(dir: string, visit: (abs: string) => void, depth = 0): void {
  for (const name of readdirSync(dir).sort()) {
    const abs = nodePath.join(dir, name);
    if (statSync(abs).isDirectory()) {
      if (depth < 4 && !SKIPPED_DIRS.has(name)) walk(abs, visit, depth + 1);
    } else visit(abs);
  }
}

let cached: Seed[] | undefined;

/** Every seed, in a stable order (fixtures, then corpus; sorted paths). */
export function loadSeeds(): Seed[] {
  if (cached) return cached;
  const seen = new Set<string>();
  const out: Seed[] = [];
  for (const root of [FIXTURES, CORPUS]) {
    const found: string[] = [];
    // Test folders of the corpus hold values files too (schema pass/fail cases): walk everything here.
    const all = (dir: string) => {
      for (const name of readdirSync(dir).sort()) {
        const abs = nodePath.join(dir, name);
        if (statSync(abs).isDirectory()) all(abs);
        else if (LINTED.test(name)) found.push(abs);
      }
    };
    all(root);
    for (const abs of found) {
      const text = readFileSync(abs, 'utf8');
      if (seen.has(text)) continue;
      seen.add(text);
      out.push({ label: nodePath.relative(REPO, abs), dir: nodePath.dirname(abs), diskPath: abs, text });
    }
  }
  cached = out;
  return out;
}

export function seedByLabel(label: string): Seed {
  const seed = loadSeeds().find((s) => s.label === label);
  if (!seed) throw new Error(`no seed document ${label}`);
  return seed;
}

/** In-memory path of a seed: the engine must never see the repository's real files change. */
export const MEM_ROOT = '/mem/fuzz';

export function memPathOf(seed: Seed): string {
  return nodePath.join(MEM_ROOT, nodePath.relative(REPO, seed.diskPath));
}

const contexts = new Map<string, Map<string, string>>();

/** The files around a seed (its folder, subfolders the engine reads), keyed by in-memory path. */
function contextOf(seed: Seed): Map<string, string> {
  let files = contexts.get(seed.dir);
  if (!files) {
    files = new Map();
    const f = files;
    walk(seed.dir, (abs) => {
      if (!CONTEXT.test(abs) || statSync(abs).size > 1_000_000) return;
      f.set(nodePath.join(MEM_ROOT, nodePath.relative(REPO, abs)), readFileSync(abs, 'utf8'));
    });
    contexts.set(seed.dir, files);
  }
  return files;
}

/** A host holding the seed's context, with `text` in place of the seed file. */
export function hostFor(seed: Seed, text: string): MemoryHost {
  const host = new MemoryHost();
  for (const [p, t] of contextOf(seed)) host.set(p, t);
  host.set(memPathOf(seed), text);
  return host;
}
