// One benchmark run of yaml-language-server's doValidation in a fresh process (spawned by
// run.mjs), as in research/anchors-lsp.md §5.4: in-memory schemaRequestService, new
// TextDocument version per edit. argv[2]: JSON job file; writes the result JSON to job.out.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { editSite, editedText } from './inputs.mjs';
import { distinctCopies, settledHeap, summary } from './stats.mjs';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const require = createRequire(import.meta.url);
const { getLanguageService } = require('yaml-language-server');
const { TextDocument } = require('vscode-languageserver-textdocument');

function makeService(name, schema) {
  const uri = `file:///bench/${name}/values.schema.json`;
  const contents = new Map(schema ? [[uri, JSON.stringify(schema)]] : []);
  const ls = getLanguageService({
    schemaRequestService: (u) => (contents.has(u) ? Promise.resolve(contents.get(u)) : Promise.reject(`no schema ${u}`)),
    workspaceContext: { resolveRelativePath: (rel, res) => new URL(rel, res).toString() },
  });
  ls.configure({
    validate: true,
    hover: false,
    completion: false,
    customTags: [],
    yamlVersion: '1.1', // as Helm (go-yaml v2) and our engine read values
    schemas: schema ? [{ uri, fileMatch: [`/bench/${name}/*.yaml`], priority: 3 }] : [],
  });
  return ls;
}

const docUri = (name, i = '') => `file:///bench/${name}/values${i}.yaml`;

async function warmUp() {
  const w = job.warmup;
  const ls = makeService('warmup', w.schema);
  for (let i = 0; i < 20; i++) {
    const doc = TextDocument.create(docUri('warmup'), 'yaml', i + 1, `image:\n  repository: nginx\n  tag: "1.${i}"\nreplicas: ${i}\n`);
    await ls.doValidation(doc, false);
  }
}

async function speed() {
  const input = job.input;
  const text = readFileSync(input.valuesPath, 'utf8');
  await warmUp();
  const ls = makeService(input.name, input.schema);
  const uri = docUri(input.name);
  let version = 1;
  let t0 = performance.now();
  const first = await ls.doValidation(TextDocument.create(uri, 'yaml', version++, text), false);
  const cold = performance.now() - t0;

  if (job.mode === 'cold') return { cold };

  const site = editSite(text);
  for (let i = 0; i < (job.warmEdits ?? 0); i++) {
    await ls.doValidation(TextDocument.create(uri, 'yaml', version++, editedText(text, site, i + 1000)), false);
  }
  const edits = [];
  const budgetEnd = performance.now() + job.budgetMs;
  for (let i = 0; i < job.iterations; i++) {
    const doc = TextDocument.create(uri, 'yaml', version++, editedText(text, site, i));
    t0 = performance.now();
    await ls.doValidation(doc, false);
    edits.push(performance.now() - t0);
    if (performance.now() > budgetEnd && edits.length >= job.minIterations) break;
  }

  let schemaActive = false;
  if (input.schema) {
    const bad = await ls.doValidation(TextDocument.create(uri, 'yaml', version++, 'benchUnknownKey: 1\n' + text), false);
    schemaActive = bad.length > first.length;
  }
  return { cold, edit: summary(edits), findings: first.length, schemaActive, editSite: { line: site.line + 1, text: site.lineText.trim() } };
}

async function heap() {
  const input = job.input;
  const text = readFileSync(input.valuesPath, 'utf8');
  const site = editSite(text);
  const n = job.heapDocs;
  const ls = makeService(input.name, input.schema);
  // As an LSP server, yls holds each open document as a TextDocument: created before the baseline.
  const docs = distinctCopies(text, n + 1, site.offset).map((t, i) => TextDocument.create(docUri(input.name, `-${i}`), 'yaml', 1, t));
  await ls.doValidation(docs[0], false); // one-time costs (schema fetch and compile, warm-up)
  const before = settledHeap();
  for (let i = 1; i <= n; i++) await ls.doValidation(docs[i], false);
  const after = settledHeap();
  return { docs: n, perDocMiB: (after - before) / n / 1048576, textMiB: (text.length * 2) / 1048576, keep: docs.length };
}

const result = job.mode === 'heap' ? await heap() : await speed(); // speed() also does mode 'cold'
writeFileSync(job.out, JSON.stringify(result));
