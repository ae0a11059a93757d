// One benchmark run of airgap-lint's engine in a fresh process (spawned by run.mjs).
// argv[2]: JSON job file; writes the result JSON to job.out.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { editSite, editedText } from './inputs.mjs';
import { distinctCopies, settledHeap, summary } from './stats.mjs';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const E = createRequire(import.meta.url)(job.engine);

function warmUp() {
  // Loads and JIT-warms the engine on a tiny chart, as an editor session would have done.
  const host = new E.DiskHost();
  const engine = new E.Engine(host);
  for (let i = 0; i < 20; i++) {
    host.open(job.warmup.valuesPath, `image:\n  repository: nginx\n  tag: "1.${i}"\nreplicas: ${i}\n`, i + 1);
    engine.lint(job.warmup.valuesPath);
  }
}

function speed() {
  const input = job.input;
  const path = input.valuesPath;
  const text = readFileSync(path, 'utf8');
  warmUp();
  const host = new E.DiskHost();
  const engine = new E.Engine(host);
  host.open(path, text, 1);
  // An edit of a base layer re-lints its open overlays too (the server does the same).
  const dependents = input.alsoLint ?? [];
  const lintAll = () => {
    const result = engine.lint(path);
    for (const other of dependents) engine.lint(other);
    return result;
  };
  let t0 = performance.now();
  const first = lintAll();
  const cold = performance.now() - t0;

  if (job.mode === 'cold') return { cold };

  const site = editSite(text);
  let version = 2;
  for (let i = 0; i < (job.warmEdits ?? 0); i++) {
    host.open(path, editedText(text, site, i + 1000), version++);
    lintAll();
  }
  const edits = [];
  const modes = {};
  for (let i = 0; i < job.iterations; i++) {
    host.open(path, editedText(text, site, i), version++);
    t0 = performance.now();
    lintAll();
    edits.push(performance.now() - t0);
    const st = E.parseStatsOf(engine.getDocument(path));
    const key = st ? (st.mode === 'blocks' ? `blocks ${st.reparsedBlocks}/${st.blocks}` : `full (${st.reason})`) : '?';
    modes[key] = (modes[key] ?? 0) + 1;
  }

  // Is the schema in effect? An unknown top-level key must be reported.
  host.open(path, 'benchUnknownKey: 1\n' + text, 1000);
  const injected = engine.lint(path).findings.filter((f) => f.code.startsWith('schema/')).length;

  return {
    cold,
    edit: summary(edits),
    findings: first.findings.length,
    findingCodes: [...new Set([...first.findings, ...dependents.flatMap((d) => engine.lint(d).findings)].map((f) => f.code))].sort(),
    schemaActive: injected > 0,
    editSite: { line: site.line + 1, text: site.lineText.trim() },
    parseModes: modes,
  };
}

function heap() {
  const input = job.input;
  const text = readFileSync(input.valuesPath, 'utf8');
  const site = editSite(text);
  const n = job.heapDocs;
  const dirs = [];
  for (let i = 0; i <= n; i++) {
    const dir = join(job.scratch, `ours-${i}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(input.dir, 'Chart.yaml'), join(dir, 'Chart.yaml'));
    if (input.schema) copyFileSync(join(input.dir, 'values.schema.json'), join(dir, 'values.schema.json'));
    dirs.push(join(dir, 'values.yaml'));
  }
  const texts = distinctCopies(text, n + 1, site.offset);
  const host = new E.DiskHost();
  const engine = new E.Engine(host);
  // The first document pays the one-time costs (schema compile, code warm-up); not counted.
  host.open(dirs[0], texts[0], 1);
  engine.lint(dirs[0]);
  for (let i = 1; i <= n; i++) host.open(dirs[i], texts[i], 1);
  const before = settledHeap();
  for (let i = 1; i <= n; i++) engine.lint(dirs[i]);
  const after = settledHeap();
  if (engine.cachedDocumentCount < n) throw new Error('documents were not kept');
  return { docs: n, perDocMiB: (after - before) / n / 1048576, textMiB: (text.length * 2) / 1048576 };
}

/**
 * One generator (or the check of the same stack) in a fresh process, after the usual warm-up: cold
 * in a fresh service, then warm in the same one. `job.which`: check, allowlist or images.
 */
function generators() {
  const target = job.target;
  warmUp();
  const time = (fn) => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  const run = (s) => {
    if (job.which === 'check') for (const f of job.files) s.lint(f);
    else if (job.which === 'allowlist') s.allowlist([target], { format: 'text' });
    else s.imageList([target], { format: 'list' });
  };
  const service = new E.LanguageService(new E.DiskHost());
  const cold = time(() => run(service));
  const warm = time(() => run(service));
  return { cold, warm };
}

const result = job.mode === 'heap' ? heap() : job.mode === 'generators' ? generators() : speed(); // speed() also does mode 'cold'
writeFileSync(job.out, JSON.stringify(result));
