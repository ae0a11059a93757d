// The fuzz properties (test/fuzz/) with a fixed seed and few runs, so that `npm test` replays
// the same documents every time and stays fast; `npm run fuzz -- --runs N` runs them long with
// a random seed. A failure prints the seed, the path and the shrunk counterexample (a seed
// document's label and the mutations): bugs found that way get a test in fuzz-regressions.test.ts.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { fixProperty, incrementalProperty, lintProperty, resetStats, stats } from './fuzz/engine-properties';
import { SERVER, serverProperty, serverStats } from './fuzz/server-property';
import { loadSeeds } from './fuzz/seeds';

const SEED = 20261203;

describe('fuzzing (fixed seed)', function () {
  this.timeout(60_000);

  beforeEach(resetStats);

  it('has seed documents from the corpus and the fixtures, each once', () => {
    const seeds = loadSeeds();
    assert.ok(seeds.length >= 60, `only ${seeds.length} seed documents`);
    assert.equal(new Set(seeds.map((s) => s.text)).size, seeds.length);
    assert.ok(seeds.some((s) => s.label.startsWith('test/corpus/')) && seeds.some((s) => s.label.endsWith('.airgap-lint.yaml')));
  });

  it('lints mutated documents without throwing, within the budget, with every range inside the document', () => {
    fc.assert(lintProperty(), { seed: SEED, numRuns: 150 });
    assert.equal(stats.documents, 150);
  });

  it('offers only fixes that parse, keep every comment and are idempotent', () => {
    fc.assert(fixProperty(), { seed: SEED, numRuns: 100 });
    assert.ok(stats.fixesChecked >= 20, `only ${stats.fixesChecked} fixes checked`);
  });

  it('re-parses incrementally exactly as a full parse does, after random edit sequences', () => {
    fc.assert(incrementalProperty(), { seed: SEED, numRuns: 100 });
    assert.ok(stats.incrementalEdits >= 100, `only ${stats.incrementalEdits} edits`);
  });

  it('keeps the language server answering through mutated versions of a document', async function () {
    if (!fs.existsSync(SERVER)) throw new Error('dist/server.js is missing: run `npm run build` (npm test does).');
    serverStats.sessions = serverStats.versions = 0;
    await fc.assert(serverProperty(), { seed: SEED, numRuns: 4 });
    assert.equal(serverStats.sessions, 4);
    assert.ok(serverStats.versions >= 3);
  });
});
