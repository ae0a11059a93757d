// `npm run bench`: airgap-lint's engine against yaml-language-server's doValidation on the same
// inputs and schemas (research/anchors-lsp.md §5). Each competitor runs in a fresh child process
// per input, so JIT and heap state are not shared. Prints a table and writes .bench-tmp/bench.json.
//
// Measures, per input:
//   cold  first lint of the file in a fresh Engine / first doValidation against a newly
//         registered schema, after a warm-up on a tiny chart (reading the schema included); ours
//         with an empty on-disk schema code cache: a chart never seen before ("first ever").
//         Median of BENCH_COLD_RUNS fresh processes per competitor.
//   cold, cache warm  ours only: the same in a fresh process whose on-disk cache of compiled
//         schema code (server/src/engine/schema/code-cache.ts) was filled by an earlier process,
//         as after an editor or CI restart on the same chart; compared with yls's cold. It only
//         differs from "first ever" for schemas ajv compiles: interpreted ones (interpret.ts,
//         the bench's schemas) need no code.
//   edit  server side edit → diagnostics: a one-character change in the middle of the file, a new
//         text version, then Engine.lint / doValidation (median and p90)
// and the retained heap per open document (kube-prometheus-stack, node --expose-gc).
import { bundleOptions } from '../scripts/bundle-options.mjs';
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateInputs } from './inputs.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TMP = join(ROOT, '.bench-tmp');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20);
const HEAP_DOCS = Number(process.env.BENCH_HEAP_DOCS ?? 10);
/** yaml-language-server needs ~20 s per validation of the alias file: a few runs only. */
const YLS_ALIAS_BUDGET_MS = Number(process.env.BENCH_YLS_ALIAS_BUDGET_MS ?? 25_000);
/** Untimed edits before the timed ones ("warm" edit→diagnostics), for both competitors. */
const WARM_EDITS = Number(process.env.BENCH_WARM_EDITS ?? 3);
/** Fresh processes per competitor for the cold measure (median reported). */
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15);
const TARGETS = { cold: 1.0, edit: 0.5, aliases: 0.02 };

process.chdir(ROOT);
mkdirSync(TMP, { recursive: true });
const started = performance.now();

// The engine as the server bundles it, plus the parse statistics of incremental.ts.
const enginePath = join(TMP, 'engine.cjs');
await build({
  stdin: {
    contents: "export * from './server/src/engine/index';\nexport { parseStatsOf } from './server/src/engine/document/incremental';\n",
    resolveDir: ROOT,
    loader: 'ts',
    sourcefile: 'bench-engine.ts',
  },
  ...bundleOptions,
  outfile: enginePath,
});

const { warmup, inputs } = generateInputs(join(TMP, 'inputs'));
const scratch = join(TMP, 'heap');
rmSync(scratch, { recursive: true, force: true });

/** A new, not yet existing schema code cache directory (the engine creates it, mode 0700). */
let cacheDirs = 0;
const CACHE_ROOT = join(TMP, 'schema-code-cache');
rmSync(CACHE_ROOT, { recursive: true, force: true });
mkdirSync(CACHE_ROOT, { recursive: true });
const freshCacheDir = () => join(CACHE_ROOT, `run-${cacheDirs++}`);

function runWorker(worker, job, timeoutMs, cacheDir = freshCacheDir()) {
  const jobFile = join(TMP, `job-${worker}-${job.mode}-${job.input.name}.json`);
  const out = jobFile.replace(/\.json$/, '.out.json');
  rmSync(out, { force: true });
  writeFileSync(jobFile, JSON.stringify({ ...job, engine: enginePath, warmup, scratch, out }));
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', join(ROOT, 'bench', `worker-${worker}.mjs`), jobFile], {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, AIRGAP_LINT_CACHE_DIR: cacheDir },
  });
  const wall = performance.now() - t0;
  try {
    return { ...JSON.parse(readFileSync(out, 'utf8')), wallMs: wall };
  } catch {
    const why = r.error ? r.error.message : `exit ${r.status}: ${(r.stderr || '').split('\n').slice(-8).join('\n')}`;
    return { error: why, wallMs: wall };
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const results = [];
/** BENCH_ONLY=generators runs the generators' section alone (quick checks while working on them). */
const GENERATORS_ONLY = process.env.BENCH_ONLY === 'generators';
for (const input of GENERATORS_ONLY ? [] : inputs) {
  process.stderr.write(`bench: ${input.label} (${input.lines} lines)…\n`);
  const isAliases = input.name === 'aliases';
  // The first process starts with an empty cache and fills it for the cache-warm runs below.
  const warmCacheDir = freshCacheDir();
  const ours = runWorker('ours', { mode: 'speed', input, iterations: ITERATIONS, warmEdits: WARM_EDITS }, 120_000, warmCacheDir);
  const yls = runWorker(
    'yls',
    {
      mode: 'speed',
      input,
      iterations: ITERATIONS,
      warmEdits: isAliases ? 0 : WARM_EDITS,
      minIterations: isAliases ? 2 : ITERATIONS,
      budgetMs: isAliases ? YLS_ALIAS_BUDGET_MS : 120_000,
    },
    isAliases ? 150_000 : 120_000,
  );
  // Cold is one sample per process, and this host is noisy: more fresh processes, alternating
  // competitors, median reported (not for yls on the alias file: ~20 s per sample).
  if (!isAliases && !ours.error && !yls.error) {
    const oursCold = [ours.cold];
    const ylsCold = [yls.cold];
    for (let i = 1; i < COLD_RUNS; i++) {
      oursCold.push(runWorker('ours', { mode: 'cold', input }, 120_000).cold);
      ylsCold.push(runWorker('yls', { mode: 'cold', input }, 120_000).cold);
    }
    ours.coldSamples = oursCold;
    yls.coldSamples = ylsCold;
    ours.cold = median(oursCold.filter((x) => x !== undefined));
    yls.cold = median(ylsCold.filter((x) => x !== undefined));
  }
  if (!ours.error) {
    const cached = [];
    for (let i = 0; i < COLD_RUNS; i++) cached.push(runWorker('ours', { mode: 'cold', input }, 120_000, warmCacheDir).cold);
    ours.coldCacheWarmSamples = cached;
    ours.coldCacheWarm = median(cached.filter((x) => x !== undefined));
  }
  results.push({ input: { name: input.name, label: input.label, lines: input.lines, schema: Boolean(input.schema) }, ours, yls });
}

if (!GENERATORS_ONLY) process.stderr.write('bench: retained heap per open document…\n');
const kps = inputs[0];
const heap = GENERATORS_ONLY
  ? { ours: {}, yls: {} }
  : {
      ours: runWorker('ours', { mode: 'heap', input: kps, heapDocs: HEAP_DOCS }, 120_000),
      yls: runWorker('yls', { mode: 'heap', input: kps, heapDocs: HEAP_DOCS }, 120_000),
    };

// The generators: allowlist and image list of the proxied stack and of Robusta, against one check.
process.stderr.write('bench: generators (allowlist, image list)…\n');
const stackInput = inputs.find((i) => i.alsoLint);
const robustaDir = join(ROOT, 'test/fixtures/charts/robusta');
const generatorInputs = [
  stackInput && { name: 'gen-stack', label: stackInput.label, target: stackInput.alsoLint?.[0] ?? stackInput.valuesPath, files: [stackInput.valuesPath, ...(stackInput.alsoLint ?? [])] },
  { name: 'gen-robusta', label: 'Robusta values-proxy.yaml (HolmesGPT, sinks, subchart values)', target: join(robustaDir, 'values-proxy.yaml'), files: [join(robustaDir, 'values.yaml'), join(robustaDir, 'values-proxy.yaml')] },
].filter(Boolean);
const generatorResults = [];
for (const g of generatorInputs) {
  const samples = { check: [], allowlist: [], images: [] };
  // Interleaved fresh processes, so that load on the host spreads over all three.
  for (let i = 0; i < 7; i++) {
    for (const which of Object.keys(samples)) samples[which].push(runWorker('ours', { mode: 'generators', which, input: { name: `${g.name}-${which}` }, target: g.target, files: g.files }, 120_000));
  }
  const row = { ...g };
  for (const [which, list] of Object.entries(samples)) {
    const ok = list.filter((x) => !x.error);
    row[which] = { n: ok.length, error: list.find((x) => x.error)?.error, cold: ok.length ? median(ok.map((x) => x.cold)) : undefined, warm: ok.length ? median(ok.map((x) => x.warm)) : undefined };
  }
  generatorResults.push(row);
}

// ---- report ----
const fmt = (ms) => (ms === undefined || Number.isNaN(ms) ? '—' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const ratio = (a, b) => (a !== undefined && b ? a / b : undefined);
const fmtRatio = (r, target) => (r === undefined ? '—' : `${r < 0.01 ? r.toFixed(4) : r.toFixed(3)} ${r <= target ? '✓' : '✗'} (≤ ${target})`);

const rows = [];
for (const r of results) {
  const aliasTarget = r.input.name === 'aliases';
  const o = r.ours;
  const y = r.yls;
  const coldR = ratio(o.cold, y.cold);
  const editR = ratio(o.edit?.median, y.edit?.median);
  const coldWarmR = ratio(o.coldCacheWarm, y.cold);
  r.ratios = { cold: coldR, coldCacheWarm: coldWarmR, editMedian: editR, editP90: ratio(o.edit?.p90, y.edit?.p90) };
  r.targets = aliasTarget ? { cold: TARGETS.aliases, edit: TARGETS.aliases } : { cold: TARGETS.cold, edit: TARGETS.edit };
  rows.push([
    `${r.input.label}, ${r.input.lines.toLocaleString('en-US')} lines${r.input.schema ? ', strict schema' : ', no schema'}`,
    o.error ? `ERROR ${o.error}` : `cold, first ever (empty cache) ${fmt(o.cold)}${o.coldSamples ? ` (median of ${o.coldSamples.length})` : ''} | cold, cache warm (editor restart) ${fmt(o.coldCacheWarm)}${o.coldCacheWarmSamples ? ` (median of ${o.coldCacheWarmSamples.length})` : ''} | edit median ${fmt(o.edit.median)} p90 ${fmt(o.edit.p90)} (n=${o.edit.n}) | findings ${o.findings}${r.input.schema ? `, schema ${o.schemaActive ? 'active' : 'NOT ACTIVE'}` : ''}`,
    y.error ? `ERROR ${y.error}` : `cold ${fmt(y.cold)}${y.coldSamples ? ` (median of ${y.coldSamples.length})` : ''} | edit median ${fmt(y.edit.median)} p90 ${fmt(y.edit.p90)} (n=${y.edit.n}) | diagnostics ${y.findings}${r.input.schema ? `, schema ${y.schemaActive ? 'active' : 'NOT ACTIVE'}` : ''}`,
    `cold, first ever ${fmtRatio(coldR, r.targets.cold)} | cold, cache warm ${fmtRatio(coldWarmR, r.targets.cold)} | edit ${fmtRatio(editR, r.targets.edit)}`,
    o.parseModes ? Object.entries(o.parseModes).map(([k, v]) => `${k} ×${v}`).join(', ') : '',
  ]);
}

console.log('\nairgap-lint vs yaml-language-server 1.25.0 (doValidation); ratios are ours / theirs, lower is better\n');
for (const [label, ours, yls, ratios, modes] of rows) {
  console.log(label);
  console.log(`  airgap-lint  ${ours}`);
  console.log(`  yls          ${yls}`);
  console.log(`  ratio        ${ratios}`);
  if (modes) console.log(`  our parses   ${modes}`);
  console.log('');
}
const mib = (x) => (x?.perDocMiB === undefined ? `ERROR ${x?.error}` : `${x.perDocMiB.toFixed(2)} MiB`);
console.log(`Retained heap per open document (kps, ${HEAP_DOCS} documents, text itself excluded): airgap-lint ${mib(heap.ours)} | yls ${mib(heap.yls)}${heap.ours.perDocMiB && heap.yls.perDocMiB ? ` | ratio ${(heap.ours.perDocMiB / heap.yls.perDocMiB).toFixed(2)}` : ''}`);
console.log(`Targets: cold ≤ ${TARGETS.cold}, edit ≤ ${TARGETS.edit}, aliases ≤ ${TARGETS.aliases} (cold and edit).`);
console.log(
  `Notes: edits are ${WARM_EDITS} untimed + ${ITERATIONS} timed one-character changes of a string value near the middle line; yaml-language-server on the alias file runs as many as fit in ${YLS_ALIAS_BUDGET_MS / 1000} s (at least 2), since each takes seconds. Cold is the median of ${COLD_RUNS} fresh processes (1 for the alias file); ours "first ever" starts each process with an empty schema code cache, "cache warm" runs ${COLD_RUNS} more processes on the cache the first one filled (yls has no such cache: both ratios divide by its cold).`,
);
console.log('\nGenerators against one check of the same stack (fresh processes, interleaved; median of 7; target: cold ≤ the check cold)');
for (const g of generatorResults) {
  const c = g.check;
  console.log(`  ${g.label}: check cold ${fmt(c.cold)} warm ${fmt(c.warm)}`);
  for (const which of ['allowlist', 'images']) {
    const x = g[which];
    if (!x.n || !c.n) {
      console.log(`    ${which}: ERROR ${x.error ?? c.error}`);
      continue;
    }
    const r = x.cold / c.cold;
    console.log(`    ${which === 'images' ? 'image list' : 'allowlist '} cold ${fmt(x.cold)} warm ${fmt(x.warm)} | cold / check cold ${r.toFixed(2)} ${r <= 1 ? '✓' : '✗'}`);
  }
}
const total = (performance.now() - started) / 1000;
console.log(`Total ${total.toFixed(0)} s. Node ${process.version}, ${(await import('node:os')).cpus().length} CPUs. JSON: .bench-tmp/bench.json`);

writeFileSync(
  join(TMP, 'bench.json'),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, iterations: ITERATIONS, targets: TARGETS, results, heap, generators: generatorResults, totalSeconds: total }, null, 2),
);
