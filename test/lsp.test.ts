// The language server end to end: spawns `node dist/server.js --stdio` (built by `npm test`)
// and speaks LSP to it like an editor would (the client: test/lsp-session.ts). Plus unit tests of the adapter's pure helpers.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node';
import { fixAllAction, fixAllQuickFix, nonOverlapping, quickFixes, ruleActions, wantsKind } from '../server/src/lsp/code-actions';
import { toDiagnostic, type DiagnosticSupport } from '../server/src/lsp/diagnostics';
import { readSettings } from '../server/src/lsp/settings';
import { applyEdits, DiskHost, LanguageService, parseValuesDocument, type Finding } from '../server/src/engine';
import { ALLOWLIST_FORMAT_INFO } from '../server/src/engine/allowlist/formats';
import { ALLOWLIST_FORMATS, IMAGE_LIST_FORMATS } from '../server/src/engine';
import { ALLOWLIST_FORMAT_CHOICES, Commands, IMAGE_LIST_FORMAT_CHOICES, type Failure, type GenerateResult } from '../server/src/protocol';
import { DEBOUNCE_MS, FIXTURES, LspSession, read, ROOT, SERVER, sleep, uriOf } from './lsp-session';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const fixture = (...parts: string[]) => path.join(FIXTURES, ...parts);

/** Range as [startLine, startChar, endLine, endChar] for compact exact assertions. */
const span = (d: { range: Diagnostic['range'] }) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];

describe('language server over stdio', function () {
  this.timeout(20000);
  let lsp: LspSession;

  before(function () {
    if (!fs.existsSync(SERVER)) throw new Error('dist/server.js is missing: run `npm run build` (npm test does).');
  });

  beforeEach(async () => {
    lsp = LspSession.stdio();
  });

  afterEach(() => lsp.kill());

  it('initializes with incremental sync, quick fixes and fix-all, and pulls the airgapLint settings', async () => {
    const result = await lsp.initialize();
    assert.equal(result.serverInfo?.name, 'airgap-lint');
    assert.equal(result.capabilities.textDocumentSync.change, 2);
    assert.deepEqual(result.capabilities.codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll.airgapLint']);
    const uri = lsp.open(fixture('broken', 'values.yaml'));
    await lsp.nextDiagnostics(uri);
    assert.ok(lsp.configurationRequests >= 1, 'the server asked for workspace/configuration');
    assert.deepEqual(lsp.registrations.sort(), ['workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles']);
  });

  it('logs one start-up line at the default level: version, folders, config files, the profile in effect', async () => {
    const version = (JSON.parse(read(path.join(ROOT, 'package.json'))) as { version: string }).version;
    // Two folders: one with its own k3s config, one (the fixtures root) with five config files below it.
    lsp.settings = { validate: { debounceMs: DEBOUNCE_MS }, mirror: { registry: 'robot:s3cret@harbor.corp:5000' } };
    await lsp.initialize(fixture('proxied'), FIXTURES);
    const start = () => lsp.logs.filter((l) => l.startsWith(`airgap-lint ${version} started`));
    for (let i = 0; i < 100 && start().length === 0; i++) await sleep(50);
    assert.equal(start().length, 1, lsp.logs.join('\n'));
    const line = start()[0];
    assert.ok(line.includes(`Folder ${fixture('proxied')}: config files .airgap-lint.yaml; cluster profile k3s (from .airgap-lint.yaml)`), line);
    assert.ok(line.includes(`folder ${FIXTURES}: config files configured/.airgap-lint.yaml, images/.airgap-lint.yaml, menu/.airgap-lint.yaml, mirrored/.airgap-lint.yaml, proxied/.airgap-lint.yaml; cluster profile none`), line);
    assert.ok(!line.includes('s3cret') && !line.includes('robot'), 'nothing from the settings but paths and the profile');
    assert.ok(!line.includes('\n'), 'one line');
  });

  it('publishes duplicate-key and syntax diagnostics with exact ranges, source, code and docs link', async () => {
    await lsp.initialize();
    const file = fixture('broken', 'values.yaml');
    const uri = lsp.open(file);
    const published = await lsp.nextDiagnostics(uri);
    assert.equal(published.version, 1);
    const diags = published.diagnostics;
    assert.deepEqual(
      diags.map((d) => [d.code, d.severity, ...span(d)]),
      [
        ['yaml/duplicate-key', 1, 8, 2, 8, 6], // the second `team` key
        ['yaml/syntax', 1, 12, 9, 12, 20], // `500m: burst` to the end of the line
      ],
    );
    for (const d of diags) assert.equal(d.source, 'airgap-lint');
    assert.equal(diags[0].codeDescription?.href, 'https://github.com/airgap-lint/airgap-lint/blob/main/README.md#yaml-duplicate-key');
    assert.equal(diags[1].codeDescription?.href, 'https://github.com/airgap-lint/airgap-lint/blob/main/README.md#yaml-syntax');
    assert.match(String(diags[0].message), /Duplicate key "team"/);
    assert.deepEqual(diags[0].relatedInformation, [
      { location: { uri, range: { start: { line: 6, character: 2 }, end: { line: 6, character: 6 } } }, message: 'first definition' },
    ]);
    assert.equal(diags[0].data, undefined, 'no fixes, no data');
  });

  it('clears diagnostics when an edit fixes the text, and clears them on close', async () => {
    await lsp.initialize();
    const file = fixture('broken', 'values.yaml');
    const uri = lsp.open(file);
    assert.equal((await lsp.nextDiagnostics(uri)).diagnostics.length, 2);
    // Incremental edits: drop the duplicate key line, then repair the compact mapping.
    lsp.edit(uri, 2, { start: { line: 8, character: 0 }, end: { line: 9, character: 0 } }, '');
    lsp.edit(uri, 3, { start: { line: 11, character: 9 }, end: { line: 11, character: 20 } }, '500m');
    const fixed = await lsp.nextDiagnostics(uri);
    assert.equal(fixed.version, 3);
    assert.deepEqual(fixed.diagnostics, []);
    // Break it again, then close: the close publishes an empty list.
    lsp.change(uri, 4, 'a: 1\na: 2\n');
    const broken = await lsp.nextDiagnostics(uri);
    assert.deepEqual(broken.diagnostics.map((d) => [d.code, ...span(d)]), [['yaml/duplicate-key', 1, 0, 1, 1]]);
    lsp.close(uri);
    const closed = await lsp.nextDiagnostics(uri);
    assert.deepEqual(closed.diagnostics, []);
  });

  it('frees what it held for a document when it closes', async () => {
    await lsp.initialize();
    const stats = () => lsp.conn.sendRequest<Record<string, number>>('airgapLint/serverStats');
    const base = lsp.open(fixture('configured', 'values.yaml'));
    const prod = lsp.open(fixture('configured', 'values-prod.yaml'));
    await lsp.nextDiagnostics(base);
    await lsp.nextDiagnostics(prod);
    assert.deepEqual(await stats(), { openDocuments: 2, cachedDocuments: 2, pendingValidations: 0, publishedDocuments: 1, engines: 1, lintWorkerAlive: false });
    lsp.close(base);
    assert.deepEqual((await lsp.nextDiagnostics(base)).diagnostics, []);
    assert.deepEqual(await stats(), { openDocuments: 1, cachedDocuments: 1, pendingValidations: 0, publishedDocuments: 0, engines: 1, lintWorkerAlive: false });
    lsp.close(prod);
    await lsp.nextDiagnostics(prod);
    assert.deepEqual(await stats(), { openDocuments: 0, cachedDocuments: 0, pendingValidations: 0, publishedDocuments: 0, engines: 1, lintWorkerAlive: false });

    // An overlay of a chart reads the chart's values.yaml too; closing it drops that as well,
    // even while a document elsewhere in the workspace stays open.
    const other = lsp.open(fixture('broken', 'values.yaml'));
    const overlay = lsp.open(fixture('chart', 'values-prod.yaml'));
    await lsp.nextDiagnostics(other);
    await lsp.nextDiagnostics(overlay);
    lsp.close(overlay);
    await lsp.nextDiagnostics(overlay);
    assert.equal((await stats()).cachedDocuments, 1);
  });

  it('debounces a burst of edits and publishes only the last version', async () => {
    await lsp.initialize();
    const file = fixture('broken', 'values-burst.yaml'); // not on disk: the buffer is all there is
    const uri = lsp.open(file, 'replicaCount: 1\n');
    assert.deepEqual((await lsp.nextDiagnostics(uri)).diagnostics, []);
    lsp.change(uri, 2, 'replicaCount: 1\nreplicaCount: 2\n'); // would be a duplicate key
    lsp.change(uri, 3, 'replicaCount: 1\nimage: {repository: nginx\n'); // a syntax error instead
    const last = await lsp.nextDiagnostics(uri);
    assert.equal(last.version, 3);
    assert.deepEqual(last.diagnostics.map((d) => d.code), ['yaml/syntax']);
    await sleep(DEBOUNCE_MS * 3);
    assert.deepEqual(lsp.pending(uri), [], 'version 2 was never published');
  });

  it('leaves other YAML alone: a template gets no diagnostics', async () => {
    await lsp.initialize();
    const template = lsp.open(fixture('chart', 'templates', 'deployment.yaml')); // has a duplicate key and template braces
    const values = lsp.open(fixture('broken', 'values.yaml'));
    await lsp.nextDiagnostics(values);
    await sleep(DEBOUNCE_MS * 2);
    assert.deepEqual(lsp.pending(template), []);
  });

  it('uses the folder config file: severities from .airgap-lint.yaml, re-lint when the config buffer changes', async () => {
    await lsp.initialize();
    const values = lsp.open(fixture('configured', 'values.yaml'));
    const first = await lsp.nextDiagnostics(values);
    assert.deepEqual(first.diagnostics.map((d) => [d.code, d.severity, ...span(d)]), [['yaml/duplicate-key', 2, 1, 0, 1, 12]]);

    const configFile = fixture('configured', '.airgap-lint.yaml');
    const config = lsp.open(configFile);
    assert.deepEqual((await lsp.nextDiagnostics(config)).diagnostics, []);
    await sleep(DEBOUNCE_MS * 2);
    assert.deepEqual(lsp.pending(values), [], 'opening a config buffer equal to the disk re-lints nothing else');

    // Switch the rule off in the (unsaved) config buffer: the values file is re-linted.
    lsp.change(config, 2, read(configFile).replace('yaml/duplicate-key: warning', 'yaml/duplicate-key: "off"'));
    assert.deepEqual((await lsp.nextDiagnostics(config)).diagnostics, []);
    assert.deepEqual((await lsp.nextDiagnostics(values)).diagnostics, []);

    // An invalid config is reported on the config file itself, on the offending key.
    lsp.change(config, 3, 'cluster:\n  distribution: k3s\n  podCidr: 10.42.0.0/16\n');
    const invalid = await lsp.nextDiagnostics(config);
    assert.deepEqual(invalid.diagnostics.map((d) => [d.code, d.severity, ...span(d)]), [['config/invalid', 1, 2, 2, 2, 9]]);
    assert.match(String(invalid.diagnostics[0].message), /podCidr/);
  });

  it('re-lints the other open layers of a folder when one of them changes', async () => {
    await lsp.initialize();
    const base = lsp.open(fixture('configured', 'values.yaml'));
    const prod = lsp.open(fixture('configured', 'values-prod.yaml'));
    await lsp.nextDiagnostics(base);
    await lsp.nextDiagnostics(prod);
    lsp.change(prod, 2, 'controller:\n  replicas: 4\n');
    const [again, prodAgain] = await Promise.all([lsp.nextDiagnostics(base), lsp.nextDiagnostics(prod)]);
    assert.equal(again.version, 1, 'the base layer was re-linted at its own version');
    assert.equal(prodAgain.version, 2);
  });

  it('applies settings pulled from the client, and re-pulls them on didChangeConfiguration', async () => {
    lsp.settings = { validate: { debounceMs: DEBOUNCE_MS }, rules: { 'yaml/duplicate-key': 'hint' } };
    await lsp.initialize();
    const uri = lsp.open(fixture('broken', 'values.yaml'));
    assert.deepEqual((await lsp.nextDiagnostics(uri)).diagnostics.map((d) => [d.code, d.severity]), [
      ['yaml/duplicate-key', 4],
      ['yaml/syntax', 1],
    ]);
    lsp.settings = { validate: { debounceMs: DEBOUNCE_MS }, rules: { 'yaml/duplicate-key': false }, files: ['*-values.yaml'] };
    const before = lsp.configurationRequests;
    void lsp.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    // `files` no longer matches values.yaml: its diagnostics are withdrawn.
    assert.deepEqual((await lsp.nextDiagnostics(uri)).diagnostics, []);
    assert.ok(lsp.configurationRequests > before);
  });

  it('re-reads a config file changed on disk (didChangeWatchedFiles)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'airgap-lint-lsp-'));
    try {
      fs.writeFileSync(path.join(dir, 'values.yaml'), read(fixture('configured', 'values.yaml')));
      fs.writeFileSync(path.join(dir, '.airgap-lint.yaml'), 'rules:\n  yaml/duplicate-key: info\n');
      await lsp.initialize(dir);
      const uri = lsp.open(path.join(dir, 'values.yaml'));
      assert.deepEqual((await lsp.nextDiagnostics(uri)).diagnostics.map((d) => d.severity), [3]);
      fs.writeFileSync(path.join(dir, '.airgap-lint.yaml'), 'rules:\n  yaml/duplicate-key: hint\n');
      void lsp.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(dir, '.airgap-lint.yaml')), type: 2 }] });
      assert.deepEqual((await lsp.nextDiagnostics(uri)).diagnostics.map((d) => d.severity), [4]);
      fs.rmSync(path.join(dir, '.airgap-lint.yaml'));
      void lsp.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(dir, '.airgap-lint.yaml')), type: 3 }] });
      assert.deepEqual((await lsp.nextDiagnostics(uri)).diagnostics.map((d) => d.severity), [1]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps settings per workspace folder in a multi-root workspace', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'airgap-lint-lsp-'));
    try {
      const [a, b] = ['team-a', 'team-b'].map((name) => path.join(dir, name));
      for (const folder of [a, b]) {
        fs.mkdirSync(folder);
        fs.writeFileSync(path.join(folder, 'values.yaml'), 'replicaCount: 1\nreplicaCount: 2\n');
      }
      lsp.folderSettings.set(uriOf(a), { rules: { 'yaml/duplicate-key': 'hint' } });
      lsp.folderSettings.set(uriOf(b), { rules: { 'yaml/duplicate-key': 'warning' } });
      await lsp.initialize(a, b);
      const ua = lsp.open(path.join(a, 'values.yaml'));
      const ub = lsp.open(path.join(b, 'values.yaml'));
      assert.deepEqual((await lsp.nextDiagnostics(ua)).diagnostics.map((d) => d.severity), [4]);
      assert.deepEqual((await lsp.nextDiagnostics(ub)).diagnostics.map((d) => d.severity), [2]);
      const stats = await lsp.conn.sendRequest<Record<string, number>>('airgapLint/serverStats');
      assert.equal(stats.engines, 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('offers the quick fixes carried in a diagnostic, only for the version they were computed on', async () => {
    await lsp.initialize();
    const file = fixture('chart', 'values.yaml');
    const uri = lsp.open(file);
    await lsp.nextDiagnostics(uri);
    const other = fixture('chart', 'values-prod.yaml');
    const range = { start: { line: 5, character: 2 }, end: { line: 5, character: 13 } };
    const diagnostic: Diagnostic = {
      range,
      severity: 1,
      source: 'airgap-lint',
      code: 'schema/additionalProperties',
      message: 'Unknown property "pullPolicyy".',
      data: {
        version: 1,
        fixes: [
          { title: 'Rename to "pullPolicy"', edits: [{ range, newText: 'pullPolicy' }], safe: false, preferred: true },
          { title: 'Add it to values-prod.yaml', edits: [{ range: { start: range.start, end: range.start }, newText: 'x: 1\n' }], safe: false, path: other },
          { title: 'Pick a profile', edits: [], safe: false, command: { command: 'airgapLint.setProfile', title: 'Pick a profile' } },
        ],
      },
    };
    const foreign: Diagnostic = { ...diagnostic, source: 'yaml' };
    const actions = await lsp.codeActions(uri, [diagnostic, foreign], ['quickfix']);
    // The menu's own actions follow the carried fixes (tested in 'the quick-fix menu …' below).
    assert.deepEqual(actions.slice(3).map((a) => a.title), [
      'Fix all airgap-lint problems in this file',
      'Suppress schema/additionalProperties for this line',
      'Suppress schema/additionalProperties for this file',
      'Show documentation for schema/additionalProperties',
    ]);
    assert.deepEqual(actions.slice(0, 3), [
      { title: 'Rename to "pullPolicy"', kind: 'quickfix', diagnostics: [diagnostic], isPreferred: true, edit: { changes: { [uri]: [{ range, newText: 'pullPolicy' }] } } },
      {
        title: 'Add it to values-prod.yaml',
        kind: 'quickfix',
        diagnostics: [diagnostic],
        edit: { changes: { [uriOf(other)]: [{ range: { start: range.start, end: range.start }, newText: 'x: 1\n' }] } },
      },
      { title: 'Pick a profile', kind: 'quickfix', diagnostics: [diagnostic], command: { title: 'Pick a profile', command: 'airgapLint.setProfile' } },
    ]);
    // After an edit the carried ranges may be wrong: no carried fix and no fix-all is offered until
    // fresh diagnostics arrive. Suppressing and the docs are computed on the current text.
    lsp.change(uri, 2, read(file) + '\n');
    assert.deepEqual((await lsp.codeActions(uri, [diagnostic], ['quickfix'])).map((a) => a.title), [
      'Suppress schema/additionalProperties for this line',
      'Suppress schema/additionalProperties for this file',
      'Show documentation for schema/additionalProperties',
    ]);
  });

  it('renames an unknown key close to a known one ("did you mean")', async () => {
    await lsp.initialize();
    const file = fixture('chart', 'values.yaml');
    const uri = lsp.open(file);
    const { diagnostics } = await lsp.nextDiagnostics(uri);
    const unknown = diagnostics.find((d) => d.code === 'schema/additionalProperties');
    assert.ok(unknown, `expected schema/additionalProperties on pullPolicyy, got ${JSON.stringify(diagnostics.map((d) => d.code))}`);
    assert.deepEqual(span(unknown), [5, 2, 5, 13]);
    const actions = await lsp.codeActions(uri, [unknown], ['quickfix']);
    const rename = actions.find((a) => a.isPreferred);
    assert.ok(rename, 'a preferred rename quick fix');
    assert.match(rename.title, /pullPolicy\b/);
    assert.deepEqual(rename.edit, { changes: { [uri]: [{ range: { start: { line: 5, character: 2 }, end: { line: 5, character: 13 } }, newText: 'pullPolicy' }] } });
    assert.deepEqual(rename.diagnostics, [unknown]);
  });

  it('explains a NO_PROXY entry on hover and completes the missing entries first', async () => {
    const result = await lsp.initialize();
    assert.equal(result.capabilities.hoverProvider, true);
    assert.deepEqual(result.capabilities.completionProvider.triggerCharacters, [',']);
    const uri = lsp.open(fixture('proxied', 'values.yaml'));
    const published = await lsp.nextDiagnostics(uri);
    // The value-wide finding sits on the variable's name (line 4), not over the entries: VS Code
    // shows a diagnostic's message above the hover, and the entry table must come first.
    const missing = published.diagnostics.find((d) => d.code === 'proxy/no-proxy-missing');
    assert.ok(missing, 'a proxy/no-proxy-missing finding');
    assert.deepEqual(span(missing), [4, 12, 4, 20]);
    assert.ok(String(missing.message).length <= 120, String(missing.message));
    const covering = published.diagnostics.filter((d) => d.range.start.line <= 5 && d.range.end.line >= 5 && d.range.start.character <= 40 && d.range.end.character >= 40);
    assert.deepEqual(covering.map((d) => d.code), [], 'no diagnostic covers the entry');
    // line 5: `      value: "localhost,127.0.0.1,10.43.0.0/16,"`; the CIDR spans characters 34-46
    const hover = await lsp.conn.sendRequest<{ contents: { kind: string; value: string }; range: Diagnostic['range'] } | null>(
      'textDocument/hover',
      { textDocument: { uri }, position: { line: 5, character: 40 } },
    );
    assert.ok(hover, 'a hover on the service CIDR entry');
    assert.equal(hover.contents.kind, 'markdown');
    assert.deepEqual(span(hover), [5, 34, 5, 46]);
    assert.match(hover.contents.value, /65,536 addresses/);
    // The hover starts with the entry itself and its table, not with a finding's text.
    assert.match(hover.contents.value, /^\*\*NO_PROXY entry `10\.43\.0\.0\/16`\*\* [^\n]*\n\n\| runtime \| matches \|/);
    assert.match(hover.contents.value, /service CIDR/i);
    const items = await lsp.conn.sendRequest<Array<{ label: string; sortText: string; textEdit: { newText: string } }>>(
      'textDocument/completion',
      { textDocument: { uri }, position: { line: 5, character: 47 }, context: { triggerKind: 2, triggerCharacter: ',' } },
    );
    const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText));
    const firstLabels = sorted.slice(0, 2).map((i) => i.label).sort();
    assert.deepEqual(firstLabels, ['.cluster.local', '10.42.0.0/16'], 'the missing cluster domain and pod CIDR come first');
    // Outside a NO_PROXY value there is nothing to hover or complete.
    const none = await lsp.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
    assert.equal(none, null);
  });

  it('airgapLint/stackStatus: mode, mirror, and the counts of the layers the client does not have open', async () => {
    await lsp.initialize();
    const overlay = lsp.open(fixture('images', 'values-airgap.yaml'));
    await lsp.nextDiagnostics(overlay);
    type Status = { mode?: string; mirrorRegistry?: string; layers: Array<{ uri: string; errors?: number; warnings?: number }> };
    const status = await lsp.conn.sendRequest<Status>('airgapLint/stackStatus', { uri: overlay });
    assert.equal(status.mode, 'air-gap');
    assert.equal(status.mirrorRegistry, 'harbor.corp:5000');
    assert.deepEqual(status.layers.map((l) => path.basename(fileURLToPath(l.uri))), ['values.yaml', 'values-airgap.yaml']);
    // The base is not open: the server lints it (its docker.io worker image is not mirrored); the overlay is the client's to count.
    assert.ok((status.layers[0].warnings ?? 0) + (status.layers[0].errors ?? 0) > 0, JSON.stringify(status.layers[0]));
    assert.deepEqual([status.layers[1].errors, status.layers[1].warnings], [undefined, undefined]);
    // Effective values name the same layers, so that a view of them can follow edits.
    const effective = await lsp.conn.sendRequest<{ text: string; layers: string[] }>('airgapLint/effectiveValues', { uri: overlay });
    assert.deepEqual(effective.layers, status.layers.map((l) => l.uri));
    const bad = await lsp.conn.sendRequest<{ error?: string }>('airgapLint/stackStatus', { uri: 'untitled:Untitled-1' });
    assert.match(bad.error ?? '', /file on disk/);
  });

  it('explains an image field on hover: the reference after layering, where each part is set, the mirror reference', async () => {
    await lsp.initialize();
    type HoverReply = { contents: { kind: string; value: string }; range: Diagnostic['range'] } | null;
    const hoverAt = (uri: string, line: number, character: number) =>
      lsp.conn.sendRequest<HoverReply>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
    // The overlay moves `image` to the mirror by its registry alone: repository and tag come from below.
    const overlay = lsp.open(fixture('images', 'values-airgap.yaml'));
    await lsp.nextDiagnostics(overlay);
    const hover = await hoverAt(overlay, 2, 15); // `  registry: harbor.corp:5000`
    assert.ok(hover, 'a hover on the overlay registry');
    assert.equal(hover.contents.kind, 'markdown');
    assert.deepEqual(span(hover), [2, 12, 2, 28]);
    assert.equal(
      hover.contents.value,
      [
        '**Image `image`** renders `harbor.corp:5000/acme/shop-api:2.4.1`',
        '',
        'Replaces `ghcr.io/acme/shop-api:2.4.1` (values.yaml line 2).',
        '',
        '| part | value | from |',
        '|---|---|---|',
        '| registry `image.registry` | `harbor.corp:5000` | this file line 3 |',
        '| repository `image.repository` | `acme/shop-api` | values.yaml line 3 |',
        '| tag | `2.4.1` | Chart.yaml appVersion (the tag is empty) |',
        '',
        'Already pulled from the mirror `harbor.corp:5000`.',
      ].join('\n'),
    );
    // In the chart's values.yaml: an image left on Docker Hub, and where it belongs in the mirror.
    const base = lsp.open(fixture('images', 'values.yaml'));
    await lsp.nextDiagnostics(base);
    const worker = await hoverAt(base, 9, 20); // `    repository: acme/shop-worker`
    assert.ok(worker);
    assert.deepEqual(span(worker), [9, 16, 9, 32]);
    assert.match(worker.contents.value, /^\*\*Image `worker\.image`\*\* renders `docker\.io\/acme\/shop-worker:2\.4\.1`/);
    assert.match(worker.contents.value, /\| registry `worker\.image\.registry` \| `docker\.io` \| this file line 9 \|/);
    assert.match(worker.contents.value, /\nMirror \(nested\): `harbor\.corp:5000\/acme\/shop-worker:2\.4\.1`$/);
    // Not on an image field: no hover (the comment line, an unrelated key).
    assert.equal(await hoverAt(overlay, 0, 5), null);
    assert.equal(await hoverAt(base, 6, 4), null);
  });

  it('fixes all safe problems in one source.fixAll.airgapLint action with non-overlapping edits', async () => {
    await lsp.initialize();
    const file = fixture('mirrored', 'values.yaml'); // two <mirror-registry> placeholders; the config names the mirror
    const uri = lsp.open(file);
    const { diagnostics } = await lsp.nextDiagnostics(uri);
    const placeholders = diagnostics.filter((d) => d.code === 'values/placeholder');
    assert.deepEqual(placeholders.map(span), [
      [2, 17, 2, 34],
      [4, 15, 4, 32],
    ]);
    const mirror = 'harbor.corp.example.com:5000';
    // Per diagnostic: the preferred single replacement first, then "replace all".
    const quick = await lsp.codeActions(uri, [placeholders[0]], ['quickfix']);
    assert.deepEqual(quick.map((a) => [a.title, a.isPreferred ?? false]), [
      [`Replace <mirror-registry> with ${mirror}`, true],
      [`Replace all 2 <mirror-registry> in this file with ${mirror}`, false],
      ['Fix all airgap-lint problems in this file', false],
      ['Suppress values/placeholder for this line', false],
      ['Suppress values/placeholder for this file', false],
      ['Show documentation for values/placeholder', false],
    ]);
    // Not offered on a light-bulb request (no `only`, automatic trigger): it would cost a lint per cursor move.
    const auto = await lsp.conn.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: placeholders[0].range,
      context: { diagnostics: [], triggerKind: 2 },
    });
    assert.deepEqual(auto, []);
    for (const only of [['source.fixAll'], ['source.fixAll.airgapLint'], ['source']]) {
      const actions = await lsp.codeActions(uri, [], only);
      assert.deepEqual(actions, [
        {
          title: 'Fix all auto-fixable airgap-lint problems',
          kind: 'source.fixAll.airgapLint',
          edit: {
            changes: {
              [uri]: [
                { range: placeholders[0].range, newText: mirror },
                { range: placeholders[1].range, newText: mirror },
              ],
            },
          },
        },
      ]);
    }
    // The client applies the edit; the next lint has nothing left to fix.
    lsp.change(uri, 2, read(file).replace(/<mirror-registry>/g, mirror));
    assert.deepEqual((await lsp.nextDiagnostics(uri)).diagnostics.filter((d) => d.code === 'values/placeholder'), []);
    assert.deepEqual(await lsp.codeActions(uri, [], ['source.fixAll']), []);
  });

  it('the quick-fix menu of every diagnostic: its fixes, fix-all (when safe fixes exist), suppress for line and file, show docs', async () => {
    await lsp.initialize();
    let checked = 0;
    const rules = new Set<string>();
    for (const file of [fixture('menu', 'values.yaml'), fixture('proxied', 'values.yaml'), fixture('mirrored', 'values.yaml'), fixture('images', 'values-airgap.yaml'), fixture('chart', 'values.yaml')]) {
      const uri = lsp.open(file);
      const { diagnostics } = await lsp.nextDiagnostics(uri);
      assert.ok(diagnostics.length, `${file} has diagnostics`);
      const [sourceFixAll] = await lsp.codeActions(uri, [], ['source.fixAll']);
      for (const d of diagnostics) {
        const rule = String(d.code);
        const actions = await lsp.codeActions(uri, [d], ['quickfix']);
        const titles = actions.map((a) => a.title);
        const carried = ((d.data as { fixes?: Array<{ title: string }> } | undefined)?.fixes ?? []).map((f) => f.title);
        assert.deepEqual(titles.slice(0, carried.length), carried, `${rule}: its own fixes first`);
        const fixAll = actions.find((a) => a.title === 'Fix all airgap-lint problems in this file');
        // The same safe edits as source.fixAll.airgapLint, and only when there are some.
        assert.deepEqual(fixAll?.edit, sourceFixAll?.edit, `${rule}: fix-all`);
        assert.deepEqual(titles.slice(carried.length + (fixAll ? 1 : 0)), [
          `Suppress ${rule} for this line`,
          `Suppress ${rule} for this file`,
          `Show documentation for ${rule}`,
        ]);
        assert.deepEqual(actions.at(-1)!.command, { title: `Show documentation for ${rule}`, command: 'airgapLint.showRuleDocumentation', arguments: [rule] });
        assert.equal(actions.at(-1)!.edit, undefined);
        for (const a of actions.slice(-3)) assert.deepEqual(a.diagnostics, [d]);
        checked++;
        rules.add(rule);
      }
      lsp.close(uri);
      await lsp.nextDiagnostics(uri); // the clearing publish
    }
    assert.ok(checked >= 8 && rules.size >= 5, `${checked} diagnostics of ${[...rules].join(', ')}`);
  });

  it('"Suppress RULE for this line" silences exactly that finding, and is not offered twice', async () => {
    await lsp.initialize();
    const file = fixture('menu', 'values.yaml'); // three rules on the NO_PROXY line, a list item
    const text = read(file);
    const uri = lsp.open(file);
    const before = (await lsp.nextDiagnostics(uri)).diagnostics;
    const key = (d: Diagnostic, shiftFrom = Infinity) => `${d.code}@${d.range.start.line + (d.range.start.line >= shiftFrom ? 1 : 0)}:${d.range.start.character}`;
    let version = 1;
    for (const target of before) {
      const actions = await lsp.codeActions(uri, [target], ['quickfix']);
      const suppress = actions.find((a) => a.title === `Suppress ${target.code} for this line`)!;
      const edits = suppress.edit!.changes![uri];
      assert.equal(edits.length, 1);
      const at = edits[0].range.start.line;
      assert.ok(edits[0].newText.startsWith(`${' '.repeat(read(file).split('\n')[target.range.start.line].search(/\S/))}# airgap-lint-disable-next-line ${target.code}`));
      const edited = applyEdits(text, edits).text;
      lsp.change(uri, ++version, edited);
      const after = (await lsp.diagnosticsOf(uri, version)).diagnostics;
      // Only the suppressed rule's findings on that line go; every other one stays, one line lower below the comment.
      assert.deepEqual(
        after.map((d) => key(d)),
        before.filter((d) => !(d.code === target.code && d.range.start.line === target.range.start.line)).map((d) => key(d, at)),
        `suppressing ${key(target)}`,
      );
      // The same finding, where the client would now keep it: applying again is not offered.
      const moved = { ...target, range: { start: { ...target.range.start, line: target.range.start.line + 1 }, end: { ...target.range.end, line: target.range.end.line + 1 } } };
      const again = await lsp.codeActions(uri, [moved], ['quickfix']);
      assert.ok(!again.some((a) => a.title === `Suppress ${target.code} for this line`), 'offered twice');
      lsp.change(uri, ++version, text);
      assert.deepEqual((await lsp.diagnosticsOf(uri, version)).diagnostics.map((d) => key(d)), before.map((d) => key(d)));
    }
    assert.ok(before.length >= 6, 'neighbouring findings to keep');
  });

  it('"Suppress RULE for this file" silences that rule only, through the header comment', async () => {
    await lsp.initialize();
    const file = fixture('images', 'values-airgap.yaml');
    const text = read(file);
    const uri = lsp.open(file);
    const before = (await lsp.nextDiagnostics(uri)).diagnostics;
    const target = before[0];
    const actions = await lsp.codeActions(uri, [target], ['quickfix']);
    const suppress = actions.find((a) => a.title === `Suppress ${target.code} for this file`)!;
    assert.deepEqual(suppress.edit!.changes![uri], [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `# airgap-lint-disable ${target.code}\n` }]);
    lsp.change(uri, 2, applyEdits(text, suppress.edit!.changes![uri]).text);
    const after = (await lsp.diagnosticsOf(uri, 2)).diagnostics;
    assert.deepEqual(after.map((d) => `${d.code}@${d.range.start.line - 1}`), before.filter((d) => d.code !== target.code).map((d) => `${d.code}@${d.range.start.line}`));
  });

  it('returns source.fixAll.airgapLint only when asked, and nothing when no fix is safe', async () => {
    await lsp.initialize();
    const uri = lsp.open(fixture('broken', 'values-fixall.yaml'), 'replicaCount: 1\nreplicaCount: 2\n');
    const { diagnostics } = await lsp.nextDiagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => d.code), ['yaml/duplicate-key']);
    assert.deepEqual((await lsp.codeActions(uri, diagnostics, ['quickfix'])).map((a) => a.title), [
      'Suppress yaml/duplicate-key for this line',
      'Suppress yaml/duplicate-key for this file',
      'Show documentation for yaml/duplicate-key',
    ]);
    // A duplicate key has no safe fix (which value wins is the author's call): no empty fix-all action.
    assert.deepEqual(await lsp.codeActions(uri, [], ['source.fixAll']), []);
    assert.deepEqual(await lsp.codeActions(uri, [], ['source']), []);
  });

  it('survives binary junk, malformed and deeply nested YAML, and malformed protocol messages', async () => {
    await lsp.initialize();
    const junk = lsp.open(fixture('broken', 'values-junk.yaml'), '\u0000\u0001\u0002PNG\r\n\u001a\n\u0000\uFFFD\uFFFD: [\u0000');
    const junkDiags = await lsp.nextDiagnostics(junk);
    assert.ok(junkDiags.diagnostics.length >= 1, 'binary content is reported, not ignored');
    const nested = lsp.open(fixture('broken', 'values-nested.yaml'), `${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    await lsp.nextDiagnostics(nested);
    const tabs = lsp.open(fixture('broken', 'values-tabs.yaml'), 'a:\n\t- b\n  c: [\n}}}: {{{\n');
    assert.ok((await lsp.nextDiagnostics(tabs)).diagnostics.some((d) => d.code === 'yaml/syntax'));
    // A frame whose body is not JSON, then requests with nonsense parameters.
    const body = Buffer.from('{"jsonrpc":"2.0","id":99,"method":"textDocument/codeAction","params":{');
    lsp.proc.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    lsp.proc.stdin!.write(body);
    assert.deepEqual(await lsp.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: 'untitled:x' }, context: {} }), []);
    assert.deepEqual(await lsp.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: junk }, context: { diagnostics: [{ source: 'airgap-lint', data: { version: 1, fixes: [null, { title: 1 }] } }] } }), []);
    // Still alive and linting.
    lsp.change(junk, 2, 'a: 1\na: 2\n');
    assert.deepEqual((await lsp.diagnosticsOf(junk, 2)).diagnostics.map((d) => d.code), ['yaml/duplicate-key']);
    assert.equal(await lsp.shutdown(), 0);
  });

  it('exits with code 0 after shutdown and exit', async () => {
    await lsp.initialize();
    assert.equal(await lsp.shutdown(), 0);
  });
});

describe('language server: workspace/executeCommand generators (same text as the CLI)', function () {
  this.timeout(30000);
  let lsp: LspSession;
  let ws: string;
  const chart = () => path.join(ws, 'charts', 'robusta');

  /** `node dist/cli.js ARGS` run from the workspace folder: its stdout, whatever the exit status. */
  const cli = (...args: string[]) => {
    const run = spawnSync(process.execPath, [CLI, ...args], { cwd: ws, encoding: 'utf8' });
    assert.ok(run.status === 0 || run.status === 1, `cli ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
    return run.stdout;
  };
  const generate = (command: string, ...args: unknown[]) =>
    lsp.conn.sendRequest<GenerateResult | Failure>('workspace/executeCommand', { command, arguments: args });
  const ok = (r: GenerateResult | Failure): GenerateResult => {
    assert.ok(!('error' in r), `unexpected error: ${(r as Failure).error}`);
    return r as GenerateResult;
  };

  before(function () {
    if (!fs.existsSync(SERVER) || !fs.existsSync(CLI)) throw new Error('dist/server.js or dist/cli.js is missing: run `npm run build` (npm test does).');
  });

  beforeEach(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'airgap-lint-generate-'));
    fs.cpSync(path.join(__dirname, 'fixtures', 'charts', 'robusta'), chart(), { recursive: true });
    fs.writeFileSync(path.join(ws, '.airgap-lint.yaml'), 'mirror: {registry: harbor.corp.example:5000}\n');
    lsp = LspSession.stdio();
  });

  afterEach(() => {
    lsp.kill();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('advertises both generators in executeCommandProvider, and Show documentation to a client that does not run it itself', async () => {
    const { capabilities } = await lsp.initialize(ws);
    assert.deepEqual(capabilities.executeCommandProvider, { commands: ['airgapLint.generateAllowlist', 'airgapLint.generateImageList', 'airgapLint.showRuleDocumentation'] });
    assert.equal(Commands.generateAllowlist, 'airgapLint.generateAllowlist');
    assert.equal(Commands.generateImageList, 'airgapLint.generateImageList');
  });

  it('Show documentation for a client such as Neovim: the server asks it to open the bundled page (window/showDocument)', async () => {
    await lsp.initialize(ws);
    const asked: string[] = [];
    lsp.conn.onRequest('window/showDocument', (p: { uri: string }) => {
      asked.push(p.uri);
      return { success: true };
    });
    const shown = await lsp.conn.sendRequest<{ uri: string }>('workspace/executeCommand', { command: 'airgapLint.showRuleDocumentation', arguments: ['image/not-mirrored'] });
    assert.equal(shown.uri, pathToFileURL(path.join(ROOT, 'dist/docs/rules/image-not-mirrored.md')).href);
    assert.deepEqual(asked, [shown.uri]);
    assert.match(fs.readFileSync(fileURLToPath(shown.uri), 'utf8'), /^# `image\/not-mirrored`/);
    // An unknown rule gets the index of every rule.
    const index = await lsp.conn.sendRequest<{ uri: string }>('workspace/executeCommand', { command: 'airgapLint.showRuleDocumentation', arguments: ['nope/rule'] });
    assert.equal(path.basename(fileURLToPath(index.uri)), 'index.md');
  });

  it('gives the CLI text byte for byte: allowlist text and json, images list and overlay, for a file stack', async () => {
    await lsp.initialize(ws);
    const proxy = path.join(chart(), 'values-proxy.yaml');
    const base = path.join(chart(), 'values.yaml');
    const cases: Array<[string, string, string, string, string]> = [
      [Commands.generateAllowlist, 'allowlist', 'text', proxy, 'egress-allowlist'],
      [Commands.generateAllowlist, 'allowlist', 'json', proxy, 'json'],
      [Commands.generateImageList, 'images', 'list', base, 'plaintext'],
      [Commands.generateImageList, 'images', 'overlay', base, 'yaml'],
    ];
    for (const [command, cliCommand, format, file, language] of cases) {
      const result = ok(await generate(command, { uris: [uriOf(file)], format }));
      const expected = cli(cliCommand, '--format', format, path.relative(ws, file));
      assert.ok(expected.length > 100, `${cliCommand} ${format}: the CLI wrote something`);
      assert.equal(result.text, expected, `${cliCommand} --format ${format}`);
      assert.equal(result.language, language, format);
      assert.ok(Array.isArray(result.notes));
    }
    // Paths are relative to the workspace folder, as the CLI's (run from the folder) are.
    const text = ok(await generate(Commands.generateAllowlist, { uris: [uriOf(proxy)], format: 'text' })).text;
    assert.match(text, /^# from charts\/robusta\/charts\/holmes\/values\.yaml, charts\/robusta\/values\.yaml, charts\/robusta\/values-proxy\.yaml \(chart robusta\)\.$/m);
    const overlay = ok(await generate(Commands.generateImageList, { uris: [uriOf(base)], format: 'overlay' })).text;
    assert.match(overlay, /harbor\.corp\.example:5000/);
    // Options travel: --features all, --pull-secret.
    assert.equal(ok(await generate(Commands.generateAllowlist, { uris: [uriOf(proxy)], format: 'csv', features: 'all' })).text, cli('allowlist', '--format', 'csv', '--features', 'all', 'charts/robusta/values-proxy.yaml'));
    assert.equal(
      ok(await generate(Commands.generateImageList, { uris: [uriOf(base)], format: 'overlay', pullSecret: 'harbor-creds' })).text,
      cli('images', '--format', 'overlay', '--pull-secret', 'harbor-creds', 'charts/robusta/values.yaml'),
    );
  });

  it('lists every values file under a folder URI, as `airgap-lint … FOLDER` does', async () => {
    await lsp.initialize(ws);
    const list = ok(await generate(Commands.generateImageList, { uris: [uriOf(ws)], format: 'list' }));
    assert.equal(list.text, cli('images', '--format', 'list', '.'));
    assert.match(list.text, /^# Generated by airgap-lint from charts\/robusta\/charts\/holmes\/values\.yaml, charts\/robusta\/values\.yaml, charts\/robusta\/values-airgap\.yaml, charts\/robusta\/values-proxy\.yaml\.$/m);
    const allowlist = ok(await generate(Commands.generateAllowlist, { uris: [uriOf(chart())], format: 'text' }));
    assert.equal(allowlist.text, cli('allowlist', '--format', 'text', 'charts/robusta'));
    assert.equal(allowlist.language, 'egress-allowlist');
  });

  it('reads unsaved buffers: the list follows what the editor shows', async () => {
    await lsp.initialize(ws);
    const proxy = path.join(chart(), 'values-proxy.yaml');
    const uri = lsp.open(proxy, read(proxy).replace(/proxy\.corp\.example:3128/g, 'squid.edge.example:8080'));
    await lsp.nextDiagnostics(uri);
    const text = ok(await generate(Commands.generateAllowlist, { uris: [uri], format: 'text' })).text;
    assert.match(text, /^squid\.edge\.example:8080$/m);
    assert.doesNotMatch(text, /proxy\.corp\.example:3128/);
  });

  it('answers a bad request with {error}, never a crash, and keeps serving', async () => {
    await lsp.initialize(ws);
    const base = uriOf(path.join(chart(), 'values.yaml'));
    const error = async (command: string, ...args: unknown[]) => {
      const r = await generate(command, ...args);
      assert.ok('error' in r && typeof r.error === 'string', `expected {error}, got ${JSON.stringify(r).slice(0, 200)}`);
      return r.error;
    };
    assert.match(await error(Commands.generateAllowlist, { uris: [base], format: 'nope' }), /^Unknown allowlist format "nope": expected text, json, /);
    assert.match(await error(Commands.generateImageList, { uris: [base], format: 'nope' }), /^Unknown image list format "nope"/);
    assert.match(await error(Commands.generateAllowlist), /Expected one argument/);
    assert.match(await error(Commands.generateAllowlist, { uris: [], format: 'text' }), /"uris"/);
    assert.match(await error(Commands.generateAllowlist, { uris: [base] }), /"format"/);
    assert.match(await error(Commands.generateAllowlist, { uris: ['untitled:Untitled-1'], format: 'text' }), /not a file on disk/);
    assert.match(await error(Commands.generateAllowlist, { uris: [uriOf(path.join(chart(), 'Chart.yaml'))], format: 'text' }), /^charts\/robusta\/Chart\.yaml is not a values file/);
    assert.match(await error(Commands.generateAllowlist, { uris: [uriOf(path.join(chart(), 'values-gone.yaml'))], format: 'text' }), /^Cannot read charts\/robusta\/values-gone\.yaml/);
    fs.mkdirSync(path.join(ws, 'empty'));
    assert.match(await error(Commands.generateImageList, { uris: [uriOf(path.join(ws, 'empty'))], format: 'list' }), /^No values files found in empty\.$/);
    assert.match(await error(Commands.generateImageList, { uris: [uriOf(ws)], format: 'overlay' }), /overlay format takes one values file/);
    assert.match(await error('airgapLint.somethingElse', {}), /Unknown command/);
    // Without mirror.registry the overlay cannot be written: the error says what to set.
    fs.writeFileSync(path.join(ws, '.airgap-lint.yaml'), 'runtimes: [go]\n');
    void lsp.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(ws, '.airgap-lint.yaml')), type: 2 }] });
    assert.match(await error(Commands.generateImageList, { uris: [base], format: 'overlay' }), /mirror\.registry/);
    // An invalid configuration is refused, as the CLI refuses it.
    fs.writeFileSync(path.join(ws, '.airgap-lint.yaml'), 'mirror: {registry: 5}\nbogus: 1\n');
    void lsp.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(ws, '.airgap-lint.yaml')), type: 2 }] });
    assert.match(await error(Commands.generateImageList, { uris: [base], format: 'list' }), /^Invalid configuration \.airgap-lint\.yaml:/);
    // Still alive (and still linting, the broken config included).
    const uri = lsp.open(path.join(ws, 'values-x.yaml'), 'a: 1\na: 2\n');
    assert.deepEqual((await lsp.nextDiagnostics(uri)).diagnostics.map((d) => d.code), ['config/invalid', 'yaml/duplicate-key']);
    assert.equal(await lsp.shutdown(), 0);
  });

  it('offers the client the engine\'s formats, summaries and languages (protocol.ts lists them as data)', () => {
    assert.deepEqual(ALLOWLIST_FORMAT_CHOICES.map((f) => f.format), [...ALLOWLIST_FORMATS]);
    for (const f of ALLOWLIST_FORMAT_CHOICES) {
      const info = ALLOWLIST_FORMAT_INFO[f.format as keyof typeof ALLOWLIST_FORMAT_INFO];
      assert.deepEqual({ summary: f.summary, language: f.language }, { summary: info.summary, language: info.language }, f.format);
    }
    assert.deepEqual(IMAGE_LIST_FORMAT_CHOICES.map((f) => f.format), [...IMAGE_LIST_FORMATS]);
    const service = new LanguageService(new DiskHost(), { settings: { mirror: { registry: 'harbor.corp.example:5000' } } });
    const file = path.join(__dirname, 'fixtures', 'charts', 'robusta', 'values.yaml');
    for (const f of IMAGE_LIST_FORMAT_CHOICES) {
      assert.equal(service.imageList([file], { format: f.format as (typeof IMAGE_LIST_FORMATS)[number] }).language, f.language, f.format);
      assert.ok(f.summary.length > 10, f.format);
    }
  });
});

describe('language server over node IPC (what VS Code uses)', function () {
  this.timeout(20000);

  it('initializes and publishes diagnostics', async () => {
    const lsp = LspSession.ipc();
    try {
      await lsp.initialize();
      const uri = lsp.open(fixture('broken', 'values.yaml'));
      assert.deepEqual((await lsp.nextDiagnostics(uri)).diagnostics.map((d) => d.code), ['yaml/duplicate-key', 'yaml/syntax']);
      assert.equal(await lsp.shutdown(), 0);
    } finally {
      lsp.kill();
    }
  });
});

describe('server without a transport argument', () => {
  it('explains how to start it and exits 2 instead of throwing', async () => {
    const proc = spawn(process.execPath, [SERVER], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr!.on('data', (c) => (stderr += c));
    const code = await new Promise((resolve) => proc.on('exit', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /--stdio/);
    assert.doesNotMatch(stderr, /at .*\.js:\d+/, 'no stack trace');
  });
});

// ---------------------------------------------------------------------------- pure helpers

const FULL_SUPPORT: DiagnosticSupport = { relatedInformation: true, codeDescription: true, tags: new Set([1, 2]) };

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    code: 'proxy/redundant-entry',
    severity: 'hint',
    message: 'Redundant',
    path: '/charts/app/values.yaml',
    range: { start: { line: 3, character: 12 }, end: { line: 3, character: 20 } },
    fixes: [],
    ...overrides,
  };
}

describe('lsp adapter: findings to diagnostics', () => {
  it('maps severity, tags, related locations and carries fixes with the version in data', () => {
    const fix = { title: 'Remove', edits: [{ range: finding().range, newText: '' }], safe: true };
    const d = toDiagnostic(
      finding({ tags: ['unnecessary'], fixes: [fix], related: [{ path: '/charts/app/values-prod.yaml', range: finding().range, message: 'also here' }] }),
      7,
      FULL_SUPPORT,
      (p) => `file://${p}`,
    );
    assert.equal(d.severity, 4);
    assert.deepEqual(d.tags, [1]);
    assert.equal(d.source, 'airgap-lint');
    assert.equal(d.code, 'proxy/redundant-entry');
    assert.deepEqual(d.relatedInformation, [{ location: { uri: 'file:///charts/app/values-prod.yaml', range: finding().range }, message: 'also here' }]);
    assert.deepEqual(d.data, { version: 7, fixes: [fix] });
  });

  it('leaves out what the client cannot render', () => {
    const d = toDiagnostic(
      finding({ tags: ['unnecessary'], related: [{ path: '/x', range: finding().range, message: 'm' }] }),
      1,
      { relatedInformation: false, codeDescription: false, tags: new Set() },
      (p) => p,
    );
    assert.equal(d.codeDescription, undefined);
    assert.equal(d.relatedInformation, undefined);
    assert.equal(d.tags, undefined);
  });

  it('quick fixes ignore other sources and mangled data', () => {
    const base: Diagnostic = { range: finding().range, message: 'm', source: 'airgap-lint' };
    const mangled = [
      { ...base, data: 'nope' },
      { ...base, data: { version: 1, fixes: [{ title: 'x', edits: [{ newText: 1 }] }] } },
      { ...base, source: 'eslint', data: { version: 1, fixes: [{ title: 'x', edits: [{ range: finding().range, newText: '' }], safe: true }] } },
    ];
    assert.deepEqual(quickFixes(mangled, 'file:///a', 1, (p) => p), []);
  });
});

describe('lsp adapter: fix-all', () => {
  const text = 'proxy:\n  noProxy: localhost,localhost,.svc\n';
  const at = (line: number, start: number, end: number, newText: string) => ({ range: { start: { line, character: start }, end: { line, character: end } }, newText });

  it('drops overlapping edits and keeps order', () => {
    assert.deepEqual(nonOverlapping([at(1, 20, 30, 'b'), at(1, 11, 21, 'a'), at(1, 30, 30, 'c'), at(1, 30, 30, 'd')]), [
      at(1, 11, 21, 'a'),
      at(1, 30, 30, 'c'),
      at(1, 30, 30, 'd'),
    ]);
  });

  it('returns one action with the safe edits, never one that breaks the YAML', () => {
    const safe = finding({ path: '/v.yaml', fixes: [{ title: 'dedupe', edits: [at(1, 20, 30, '')], safe: true }] });
    const unsafe = finding({ path: '/v.yaml', fixes: [{ title: 'guess', edits: [at(0, 0, 5, 'nope')], safe: false }] });
    const action = fixAllAction([safe, unsafe], '/v.yaml', 'file:///v.yaml', text);
    assert.deepEqual(action, { title: 'Fix all auto-fixable airgap-lint problems', kind: 'source.fixAll.airgapLint', edit: { changes: { 'file:///v.yaml': [at(1, 20, 30, '')] } } });
    const breaking = finding({ path: '/v.yaml', fixes: [{ title: 'break', edits: [at(1, 2, 2, '- [')], safe: true }] });
    assert.equal(fixAllAction([breaking], '/v.yaml', 'file:///v.yaml', text), undefined);
    assert.equal(fixAllAction([unsafe], '/v.yaml', 'file:///v.yaml', text), undefined);
  });

  it('the quick-fix fix-all carries the same edits as source.fixAll, as a quickfix', () => {
    const safe = finding({ path: '/v.yaml', fixes: [{ title: 'dedupe', edits: [at(1, 20, 30, '')], safe: true }] });
    assert.deepEqual(fixAllQuickFix([safe], '/v.yaml', 'file:///v.yaml', text), {
      title: 'Fix all airgap-lint problems in this file',
      kind: 'quickfix',
      edit: fixAllAction([safe], '/v.yaml', 'file:///v.yaml', text)!.edit,
    });
    assert.equal(fixAllQuickFix([], '/v.yaml', 'file:///v.yaml', text), undefined);
  });

  it('rule actions: our diagnostics only, one per title, docs only where comments mean nothing or for yaml/syntax', () => {
    const diag = (code: string, line: number, source = 'airgap-lint'): Diagnostic => ({ range: { start: { line, character: 2 }, end: { line, character: 9 } }, source, code, message: 'm' });
    const doc = parseValuesDocument('/v.yaml', text);
    const titles = (ds: Diagnostic[], d: typeof doc | undefined) => ruleActions(ds, d, 'file:///v.yaml').map((a) => a.title);
    assert.deepEqual(titles([diag('proxy/no-proxy-redundant', 1), diag('proxy/no-proxy-redundant', 1), diag('proxy/no-proxy-redundant', 1, 'yaml')], doc), [
      'Suppress proxy/no-proxy-redundant for this line',
      'Suppress proxy/no-proxy-redundant for this file',
      'Show documentation for proxy/no-proxy-redundant',
    ]);
    assert.deepEqual(titles([diag('config/invalid', 1)], undefined), ['Show documentation for config/invalid']);
    assert.deepEqual(titles([diag('yaml/syntax', 1)], doc), ['Show documentation for yaml/syntax']);
    // No page for an internal error: nothing to show.
    assert.deepEqual(titles([diag('internal/error', 1)], doc), ['Suppress internal/error for this line', 'Suppress internal/error for this file']);
  });

  it('matches code action kinds hierarchically', () => {
    assert.ok(wantsKind(undefined, 'source.fixAll.airgapLint'));
    assert.ok(wantsKind(['source'], 'source.fixAll.airgapLint'));
    assert.ok(wantsKind(['source.fixAll'], 'source.fixAll.airgapLint'));
    assert.ok(!wantsKind(['source.fixAl'], 'source.fixAll.airgapLint'));
    assert.ok(!wantsKind(['quickfix'], 'source.fixAll.airgapLint'));
  });
});

describe('lsp adapter: settings', () => {
  it('maps the airgapLint section to the engine config and drops empty defaults', () => {
    const s = readSettings(
      {
        cluster: { distribution: 'gke', podCIDR: [], serviceCIDR: '10.4.0.0/19', apiServerIP: '', cloud: null, extraNoProxy: ['.corp.example.com', 3] },
        mirror: { registry: '', layout: 'flat', digestsOnly: 'yes' },
        runtimes: ['go', 'cobol'],
        layers: [['values.yaml', 'values-prod.yaml'], 'bad', []],
        files: [],
        schemas: [{ path: 'schemas/app.schema.json', files: ['charts/app/**'] }, { path: '' }, 'x', { path: 'b.json' }],
        rules: { 'yaml/duplicate-key': false, 'proxy/*': 'warning', 'x/y': 'loud' },
        validate: { debounceMs: 99999 },
        kubectl: { enabled: true },
      },
      '/work/repo',
    );
    assert.deepEqual(s.config, {
      cluster: { distribution: 'gke', serviceCIDR: ['10.4.0.0/19'], extraNoProxy: ['.corp.example.com'] },
      mirror: { layout: 'flat' },
      runtimes: ['go'],
      layers: [['/work/repo/values.yaml', '/work/repo/values-prod.yaml']],
      schemas: [{ path: '/work/repo/schemas/app.schema.json', files: ['charts/app/**'] }, { path: '/work/repo/b.json' }],
      rules: { 'yaml/duplicate-key': 'off', 'proxy/*': 'warning' },
    });
    assert.equal(s.debounceMs, 10000);
  });

  it('defers modeline schemas to the YAML extension when it is active (auto), unless told otherwise', () => {
    const yaml = { yamlExtensionActive: true };
    assert.equal(readSettings({}, undefined, yaml).config.schemaModeline, 'defer');
    assert.equal(readSettings({ schema: { modeline: 'auto' } }, undefined, {}).config.schemaModeline, undefined);
    assert.equal(readSettings({ schema: { modeline: 'validate' } }, undefined, yaml).config.schemaModeline, undefined);
    assert.equal(readSettings({ schema: { modeline: 'defer' } }, undefined, {}).config.schemaModeline, 'defer');
  });

  it('falls back to defaults for anything that is not an object', () => {
    assert.deepEqual(readSettings(null), { config: {}, debounceMs: 200 });
    assert.deepEqual(readSettings([1, 2]), { config: {}, debounceMs: 200 });
  });
});
