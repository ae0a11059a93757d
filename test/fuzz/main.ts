// `npm run fuzz -- --runs N [--seed S] [--only NAME] [--path P]`: the fuzz properties run long.
// Prints, per property, the runs, seconds and the failure with the seed and path that replay
// it (`--only NAME --seed S --path P`); exits 1 when any property failed.
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { fixProperty, incrementalProperty, lintProperty, resetStats, stats } from './engine-properties';
import { serverProperty, serverStats } from './server-property';
import { loadSeeds } from './seeds';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    seed: { type: 'string' },
    only: { type: 'string', multiple: true },
    path: { type: 'string' },
  },
});

const runs = Number(values.runs);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- --runs N [--seed S] [--only lint|fixes|incremental|server] [--path P]');
  process.exit(2);
}

/** The server property spawns a process per run: it gets a tenth of the runs. */
const PROPERTIES: Array<{ name: string; make: () => fc.IRawProperty<any, any>; share: number }> = [
  { name: 'lint', make: lintProperty, share: 1 },
  { name: 'fixes', make: fixProperty, share: 1 },
  { name: 'incremental', make: incrementalProperty, share: 1 },
  { name: 'server', make: serverProperty, share: 0.1 },
];

async function main(): Promise<number> {
  console.log(`fuzz: ${loadSeeds().length} seed documents, seed ${seed}, ${runs} runs per property`);
  let failed = 0;
  for (const p of PROPERTIES) {
    if (values.only && !values.only.includes(p.name)) continue;
    resetStats();
    const numRuns = Math.max(1, Math.round(runs * p.share));
    const started = Date.now();
    const result = await fc.check(p.make(), { numRuns, seed, ...(values.path ? { path: values.path } : {}) });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const measured =
      p.name === 'server'
        ? `, ${serverStats.sessions} sessions, ${serverStats.versions} versions`
        : `, ${stats.documents} lints (slowest ${stats.slowest.ms.toFixed(0)} ms: ${stats.slowest.label}), ${stats.fixesChecked} fixes, ${stats.incrementalEdits} incremental edits`;
    console.log(`${p.name}: ${result.numRuns} runs in ${seconds} s${measured}`);
    if (result.failed) {
      failed++;
      console.log(fc.defaultReportMessage(result));
      console.log(result.errorInstance);
      console.log(`replay: npm run fuzz -- --only ${p.name} --runs ${numRuns} --seed ${result.seed} --path ${result.counterexamplePath}`);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
