// Test helpers: an in-memory FileHost and small range builders.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as nodePath from 'node:path';
import type { FileHost, Range } from '../server/src/engine/types';

export const REPO = nodePath.resolve(__dirname, '..');
// Copies of the shared corpus and vectors, kept in the repository (origins and licences: SOURCES.md / README.md there).
export const CORPUS = nodePath.join(REPO, 'test/corpus');
export const VECTORS = nodePath.join(REPO, 'test/vectors');
export const FIXTURES = nodePath.join(REPO, 'test/fixtures');

/** Files held in memory, keyed by absolute path (relative keys are resolved against `/mem`). */
export class MemoryHost implements FileHost {
  readonly files = new Map<string, string>();
  constructor(files: Record<string, string> = {}) {
    for (const [p, text] of Object.entries(files)) this.set(p, text);
  }
  set(path: string, text: string): this {
    this.files.set(nodePath.resolve('/mem', path), text);
    return this;
  }
  readFile(path: string): string | undefined {
    return this.files.get(nodePath.resolve(path));
  }
  listDir(dir: string): string[] {
    const abs = nodePath.resolve(dir);
    return [...this.files.keys()].filter((p) => nodePath.dirname(p) === abs).map((p) => nodePath.basename(p));
  }
}

/** 0-based range from line/char pairs. */
export function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

/** A chart folder in memory: files by name under /mem/<dir>, read through `host`. */
export class ChartFolder {
  readonly host = new MemoryHost();
  constructor(
    readonly dir: string,
    files: Record<string, string>,
  ) {
    for (const [name, text] of Object.entries(files)) this.host.set(`${dir}/${name}`, text);
  }
  path(name: string): string {
    return nodePath.resolve('/mem', this.dir, name);
  }
  text(name: string): string {
    return this.host.readFile(this.path(name))!;
  }
}

/** mulberry32: a small seeded PRNG, so that a failure can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Every file of a chart under test/fixtures/charts/ (subfolders included, SOURCES.md left out),
 * in memory under /mem/<as>/ so that a test can edit them.
 */
export function chartFixtureHost(chart: string, as = chart, host = new MemoryHost()): MemoryHost {
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir)) {
      const abs = nodePath.join(dir, name);
      if (statSync(abs).isDirectory()) walk(abs, `${rel}${name}/`);
      else if (!name.endsWith('.md')) host.set(`${as}/${rel}${name}`, readFileSync(abs, 'utf8'));
    }
  };
  walk(nodePath.join(FIXTURES, 'charts', chart), '');
  return host;
}

/** A finding's headline and its explanation, for assertions on what the finding says as a whole. */
export function findingText(f: { message: string; detail?: string }): string {
  return `${f.message}\n${f.detail ?? ''}`;
}

/** Skip with the reason printed, except in CI (CI=true), where a missing tool fails the test. */
export function skipOrFail(ctx: Mocha.Context, reason: string): never {
  if (process.env.CI === 'true') throw new Error(`cannot run in CI: ${reason}`);
  console.log(`      skipped: ${reason}`);
  return ctx.skip();
}

/** The path of a program on PATH, or undefined. */
export function which(tool: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}
