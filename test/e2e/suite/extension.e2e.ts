// Runs INSIDE code-server's extension host, with the real `vscode` API, against the extension
// installed from our VSIX (the harness points extensionDevelopmentPath at the installed folder).
// Bundled by test/e2e.test.ts; the workspace is a copy of test/e2e/fixtures/workspace and
// params.json beside it says where the fake kubectl binaries are.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AirgapLintApi } from '../../../client/src/extension';

interface Params {
  installedExtensionDir: string;
  /** Folder on the extension host's PATH with a fake kubectl answering with kind outputs. */
  pathKubectlDir: string;
  /** A fake kubectl answering with k3s outputs, for the airgapLint.kubectl.path setting. */
  settingKubectl: string;
  /** Created if the workspace's own kubectl.path were ever run. */
  workspaceKubectlMarker: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Runs a command that asks questions and answers each with its default: the active quick pick
 * item (the first), the prefilled input box value. Accepting when nothing is open does nothing.
 */
async function answeringPrompts<T>(run: Thenable<T>, ms = 30_000): Promise<T> {
  let done = false;
  const result = Promise.resolve(run).finally(() => {
    done = true;
  });
  const end = Date.now() + ms;
  while (!done) {
    if (Date.now() > end) throw new Error('the command did not finish (a prompt left unanswered?)');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await sleep(150);
  }
  return result;
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  return typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}

function rangeOf(d: vscode.Diagnostic | vscode.Range): [number, number, number, number] {
  const r = 'range' in d ? d.range : d;
  return [r.start.line, r.start.character, r.end.line, r.end.character];
}

async function diagnosticsWith(uri: vscode.Uri, code: string): Promise<vscode.Diagnostic[]> {
  return waitFor(`a ${code} diagnostic on ${path.basename(uri.fsPath)}`, () => {
    const found = vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === code);
    return found.length ? found : undefined;
  });
}

async function open(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

describe('Air-Gap Lint in code-server (installed from the VSIX)', () => {
  let params: Params;
  let api: AirgapLintApi;
  let ws: vscode.Uri;
  let overlay: vscode.Uri;
  let base: vscode.Uri;
  let config: vscode.Uri;
  let configBefore: string;
  const configText = () => fs.readFileSync(config.fsPath, 'utf8');

  before(async () => {
    ws = vscode.workspace.workspaceFolders![0].uri;
    params = JSON.parse(fs.readFileSync(path.join(path.dirname(ws.fsPath), 'params.json'), 'utf8')) as Params;
    overlay = vscode.Uri.joinPath(ws, 'charts/shop/values-airgap.yaml');
    base = vscode.Uri.joinPath(ws, 'charts/shop/values.yaml');
    config = vscode.Uri.joinPath(ws, '.airgap-lint.yaml');
    configBefore = configText();
  });

  it('activates from the installed VSIX, before any of its files is opened', async () => {
    const ext = vscode.extensions.getExtension<AirgapLintApi>('airgap-lint.airgap-lint');
    assert.ok(ext, 'airgap-lint.airgap-lint is installed');
    assert.equal(ext.extensionPath, params.installedExtensionDir);
    // workspaceContains:**/values.yaml activates it at startup.
    await waitFor('activation', () => ext.isActive);
    api = ext.exports;
    assert.equal(typeof api.clusterProfileStatus, 'function');
  });

  it('publishes diagnostics with our codes, exact ranges and README links', async () => {
    await open(overlay);
    const [placeholder] = await diagnosticsWith(overlay, 'values/placeholder');
    assert.equal(placeholder.source, 'airgap-lint');
    assert.equal(placeholder.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(rangeOf(placeholder), [2, 12, 2, 29]);
    assert.match(placeholder.message, /^Unreplaced placeholder <mirror-registry> in image\.registry: /);
    const target = typeof placeholder.code === 'object' ? placeholder.code.target.toString() : '';
    assert.match(target, /#values-placeholder$/);

    await open(base);
    const [notMirrored] = await diagnosticsWith(base, 'image/not-mirrored');
    assert.deepEqual(rangeOf(notMirrored), [3, 12, 3, 19]);
    assert.equal(notMirrored.severity, vscode.DiagnosticSeverity.Warning);
    const [unknown] = await diagnosticsWith(base, 'proxy/profile-unknown');
    // On the variable's name (`- name: HTTPS_PROXY`), not its URL: the link underline would hide it.
    assert.equal(unknown.range.start.line, 16);
    assert.ok(unknown.message.length <= 120, `a headline: ${unknown.message}`);
    // The why is the first related row, at the finding itself.
    assert.match(unknown.relatedInformation?.[0]?.message ?? '', /NO_PROXY cannot be checked/);
  });

  it('Show Effective Values opens the merged stack in a read-only YAML view, each value with its file and line', async () => {
    await open(overlay);
    const result = await vscode.commands.executeCommand<{ text: string; uri: string }>('airgapLint.showEffectiveValues');
    assert.ok(result, 'the command returned the document');
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), result.uri);
    // A virtual document of our own scheme, named after the file: nothing to save, nothing asked on close.
    assert.equal(editor.document.uri.scheme, 'airgap-lint-effective');
    assert.equal(path.posix.basename(editor.document.uri.path), 'values-airgap.effective.yaml');
    assert.equal(editor.document.languageId, 'yaml');
    assert.equal(editor.document.getText(), result.text);
    assert.deepEqual(result.text.split('\n'), [
      "# Effective values of charts/shop/values-airgap.yaml (the chart's values.yaml under this overlay)",
      '# Layers in helm -f order, later files win:',
      '#   1. charts/shop/values.yaml',
      '#   2. charts/shop/values-airgap.yaml',
      'replicaCount: 2 # from charts/shop/values.yaml:1',
      'image:',
      '  registry: <mirror-registry> # from charts/shop/values-airgap.yaml:3',
      '  repository: example/shop # from charts/shop/values.yaml:5',
      '  tag: 2.4.0 # from charts/shop/values.yaml:6',
      '  pullPolicy: IfNotPresent # from charts/shop/values.yaml:7',
      'worker:',
      '  image:',
      '    registry: harbor.corp.example.com:5000 # from charts/shop/values-airgap.yaml:6',
      '    repository: example/shop-worker # from charts/shop/values.yaml:12',
      '    tag: 2.4.0 # from charts/shop/values.yaml:13',
      'extraEnv:',
      '  - name: HTTPS_PROXY # from charts/shop/values.yaml:17',
      '    value: http://proxy.corp.example.com:3128 # from charts/shop/values.yaml:18',
      '  - name: NO_PROXY # from charts/shop/values.yaml:19',
      '    value: localhost,127.0.0.1,.svc,.cluster.local # from charts/shop/values.yaml:20',
      'service:',
      '  type: ClusterIP # from charts/shop/values.yaml:23',
      '  port: 8080 # from charts/shop/values.yaml:24',
      '',
    ]);
    // Nothing to save (the UI checks show that typing into it is refused).
    assert.equal(editor.document.isDirty, false);
    // Run again: the same view, no untitled editor anywhere.
    await open(overlay);
    const again = await vscode.commands.executeCommand<{ text: string; uri: string }>('airgapLint.showEffectiveValues');
    assert.deepEqual(again, result);
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'untitled').length, 0);
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.uri.toString() === result.uri).length, 1);
  });

  it('the effective values view follows an unsaved edit of a lower layer, and the revert', async () => {
    const baseDoc = await open(base);
    const view = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'airgap-lint-effective');
    assert.ok(view, 'the view of the previous test is still open');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(base, baseDoc.lineAt(0).range, 'replicaCount: 5');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('the view to show the edited base', () => view.getText().includes('replicaCount: 5 # from charts/shop/values.yaml:1'), 15_000);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('the view to follow the revert', () => view.getText().includes('replicaCount: 2 # from charts/shop/values.yaml:1'), 15_000);
    // Closing the view asks nothing (it is not a document to save).
    await vscode.window.showTextDocument(view, { preview: false });
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('a quick fix from the light bulb edits the text as expected and the diagnostic goes away', async () => {
    const doc = await open(overlay);
    const [placeholder] = await diagnosticsWith(overlay, 'values/placeholder');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', overlay, placeholder.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Replace <mirror-registry> with harbor.corp.example.com:5000');
    assert.ok(fix, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.equal(
      doc.getText(),
      '# Air-gap overlay: pull every image from the site mirror (helm -f values-airgap.yaml).\nimage:\n  registry: harbor.corp.example.com:5000\nworker:\n  image:\n    registry: harbor.corp.example.com:5000\n',
    );
    await waitFor('the placeholder diagnostic to go', () => !vscode.languages.getDiagnostics(overlay).some((d) => codeOf(d) === 'values/placeholder'));
    assert.ok(await doc.save());
  });

  it('"Show documentation for RULE" opens the rule page bundled in the VSIX in a Markdown preview; the palette asks for the rule', async () => {
    await open(base);
    const [notMirrored] = await diagnosticsWith(base, 'image/not-mirrored');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', base, notMirrored.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    for (const title of ['Suppress image/not-mirrored for this line', 'Suppress image/not-mirrored for this file', 'Show documentation for image/not-mirrored']) {
      assert.ok(titles.includes(title), `${title} offered: ${titles.join(' | ')}`);
    }
    const docs = actions.find((a) => a.title === 'Show documentation for image/not-mirrored')!;
    assert.equal(docs.edit, undefined);
    const shown = await vscode.commands.executeCommand<{ uri: string }>(docs.command!.command, ...(docs.command!.arguments ?? []));
    const page = path.join(params.installedExtensionDir, 'dist/docs/rules/image-not-mirrored.md');
    assert.equal(vscode.Uri.parse(shown.uri).fsPath, page);
    assert.match(fs.readFileSync(page, 'utf8'), /^# `image\/not-mirrored` — warning/);
    const previews = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType));
    await waitFor('the Markdown preview tab', () => previews().some((t) => t.label.includes('image-not-mirrored.md')));
    // The preview takes the focus when its webview loads: let it settle, then give the focus back
    // to the values file, as a user would before opening the palette.
    await sleep(1500);
    await open(base);
    // From the palette, without a rule: a quick pick of the catalog (its first item: yaml/syntax).
    const asking = vscode.commands.executeCommand<{ uri: string } | undefined>('airgapLint.showRuleDocumentation');
    // Accepting before the pick has its active item would cancel it.
    await sleep(1000);
    const picked = await answeringPrompts(asking);
    assert.ok(picked, 'a rule was picked');
    assert.equal(path.basename(vscode.Uri.parse(picked.uri).fsPath), 'yaml-syntax.md');
    await waitFor('the second preview', () => previews().some((t) => t.label.includes('yaml-syntax.md')));
    await vscode.window.tabGroups.close(previews());
    await open(base);
  });

  it('the status bar says whose it is, "no profile" while none is set, the mode and the mirror', async () => {
    await open(base);
    // The base sets HTTPS_PROXY; .airgap-lint.yaml names the mirror. The item follows the active
    // editor, which has just changed: wait for it rather than read it once.
    const expected = 'Air-Gap Lint: no profile · proxy · harbor.corp.example.com:5000';
    await waitFor(`the status bar to read "${expected}"`, async () => (await api.clusterProfileStatus()) === expected, 15_000).catch(() => undefined);
    assert.equal(await api.clusterProfileStatus(), expected);
  });

  it('the status bar tooltip counts the errors and warnings of the whole layer stack', async () => {
    await open(base);
    await diagnosticsWith(base, 'image/not-mirrored');
    await open(overlay);
    await waitFor('the status bar on the overlay', async () => (await api.clusterProfileStatus()) !== '');
    const ours = (uri: vscode.Uri, severity: vscode.DiagnosticSeverity) =>
      vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'airgap-lint' && d.severity === severity).length;
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
    const expected = () => {
      const errors = ours(base, vscode.DiagnosticSeverity.Error) + ours(overlay, vscode.DiagnosticSeverity.Error);
      const warnings = ours(base, vscode.DiagnosticSeverity.Warning) + ours(overlay, vscode.DiagnosticSeverity.Warning);
      return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in the 2 files of this layer stack`;
    };
    await waitFor(`the tooltip to say "${expected()}"`, () => api.statusTooltip().includes(expected()), 15_000);
    assert.ok(!expected().startsWith('0 errors, 0 warnings'), 'the stack has problems to count');
  });

  it('the profile-unknown quick fix runs "Set Cluster Network Profile": quick pick and input boxes answered, config written', async () => {
    await open(base);
    const [unknown] = await diagnosticsWith(base, 'proxy/profile-unknown');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', base, unknown.range, vscode.CodeActionKind.QuickFix.value);
    const action = actions.find((a) => a.command?.command === 'airgapLint.setClusterProfile' && a.title === 'Set cluster network profile…');
    assert.ok(action?.command, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    // The first preset (kubeadm) and its prefilled values: no pod CIDR, 10.96.0.0/12, 10.96.0.1.
    const result = await answeringPrompts(vscode.commands.executeCommand<{ ok: boolean; configPath: string; changed: boolean }>(action.command.command, ...(action.command.arguments ?? [])));
    assert.deepEqual(result, { ok: true, configPath: config.fsPath, changed: true, created: false });
    assert.equal(configText(), `${configBefore}cluster:\n  distribution: kubeadm\n`);
    await waitFor('status bar: kubeadm', async () => (await api.clusterProfileStatus()) === 'Air-Gap Lint: kubeadm · proxy · harbor.corp.example.com:5000');
    await waitFor('profile-unknown to go', () => !vscode.languages.getDiagnostics(base).some((d) => codeOf(d) === 'proxy/profile-unknown'));
  });

  it('"Set Cluster Network Profile" with a distribution argument skips the pick and replaces the profile in place', async () => {
    await open(base);
    const result = await answeringPrompts(vscode.commands.executeCommand('airgapLint.setClusterProfile', { distribution: 'k3s' }));
    assert.deepEqual(result, { ok: true, configPath: config.fsPath, changed: true, created: false });
    assert.equal(configText(), `${configBefore}cluster:\n  distribution: k3s\n`);
    await waitFor('status bar: k3s', async () => (await api.clusterProfileStatus()) === 'Air-Gap Lint: k3s · proxy · harbor.corp.example.com:5000');
    // The same again changes nothing.
    const again = await answeringPrompts(vscode.commands.executeCommand('airgapLint.setClusterProfile', { distribution: 'k3s' }));
    assert.deepEqual(again, { ok: true, configPath: config.fsPath, changed: false, created: false });
  });

  it('"Detect Cluster Network with kubectl" is opt-in: off, it runs nothing', async () => {
    const result = await vscode.commands.executeCommand<{ status: string }>('airgapLint.detectClusterNetwork');
    assert.equal(result.status, 'disabled');
    assert.ok(!fs.existsSync(path.join(params.pathKubectlDir, 'calls.log')), 'kubectl was not run');
  });

  it('detects with the kubectl on PATH (kind outputs), shows what it found, writes it on confirmation; the workspace cannot pick the binary', async () => {
    await vscode.workspace.getConfiguration('airgapLint').update('kubectl.enabled', true, vscode.ConfigurationTarget.Global);
    // The workspace's .vscode/settings.json names another kubectl: it must be ignored.
    const inspected = vscode.workspace.getConfiguration('airgapLint').inspect<string>('kubectl.path');
    assert.equal(inspected?.globalValue, undefined);
    await open(base);
    const result = await answeringPrompts(vscode.commands.executeCommand<{ status: string; detected: Record<string, unknown> }>('airgapLint.detectClusterNetwork'));
    assert.equal(result.status, 'written', JSON.stringify(result));
    assert.deepEqual(result.detected, {
      context: 'kind-shop-e2e',
      apiServerIP: '10.96.0.1',
      podCIDR: ['10.244.0.0/16'],
      podCIDRSource: 'cluster-cidr',
      nodePodCIDRs: ['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24'],
      serviceCIDR: ['10.96.0.0/16'],
      notes: [],
    });
    assert.equal(configText(), `${configBefore}cluster:\n  distribution: k3s\n  podCIDR: 10.244.0.0/16\n  serviceCIDR: 10.96.0.0/16\n  apiServerIP: 10.96.0.1\n`);
    const calls = fs.readFileSync(path.join(params.pathKubectlDir, 'calls.log'), 'utf8').trim().split('\n').sort();
    assert.deepEqual(calls, [
      'cluster-info dump --request-timeout=15s',
      'config current-context --request-timeout=15s',
      'get nodes -o jsonpath={.items[*].spec.podCIDR} --request-timeout=15s',
      'get svc kubernetes -n default -o jsonpath={.spec.clusterIP} --request-timeout=15s',
    ]);
    assert.ok(!fs.existsSync(params.workspaceKubectlMarker), 'the kubectl named in the workspace settings never ran');
  });

  it('uses airgapLint.kubectl.path from the user settings (k3s outputs) and updates the profile again', async () => {
    await vscode.workspace.getConfiguration('airgapLint').update('kubectl.path', params.settingKubectl, vscode.ConfigurationTarget.Global);
    await open(base);
    const result = await answeringPrompts(vscode.commands.executeCommand<{ status: string }>('airgapLint.detectClusterNetwork'));
    assert.equal(result.status, 'written', JSON.stringify(result));
    assert.equal(configText(), `${configBefore}cluster:\n  distribution: k3s\n  podCIDR: 10.52.0.0/16\n  serviceCIDR: 10.53.0.0/16\n  apiServerIP: 10.53.0.1\n`);
    assert.equal(fs.readFileSync(path.join(path.dirname(params.settingKubectl), 'calls.log'), 'utf8').trim().split('\n').length, 4);
    await waitFor('status bar: k3s', async () => (await api.clusterProfileStatus()) === 'Air-Gap Lint: k3s · proxy · harbor.corp.example.com:5000');
  });

  it('lints a file named only by a `files:` pattern in a nested .airgap-lint.yaml, and leaves other YAML alone', async () => {
    const site = vscode.Uri.joinPath(ws, 'site/cluster-prod.yaml');
    await open(site);
    const [placeholder] = await diagnosticsWith(site, 'values/placeholder');
    assert.deepEqual(rangeOf(placeholder), [2, 8, 2, 23]);
    // Chart.yaml is synced to the server too, and gets nothing.
    const chart = vscode.Uri.joinPath(ws, 'charts/shop/Chart.yaml');
    await open(chart);
    await sleep(1500);
    assert.deepEqual(vscode.languages.getDiagnostics(chart), []);
  });

  it('Show Output and Restart Server run, and the restarted server lints again', async () => {
    await vscode.commands.executeCommand('airgapLint.showOutput');
    await vscode.commands.executeCommand('airgapLint.restartServer');
    const doc = await open(overlay);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(overlay, new vscode.Range(2, 12, 2, 41), '<mirror-registry>');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(doc.lineAt(2).text, '  registry: <mirror-registry>');
    const [again] = await diagnosticsWith(overlay, 'values/placeholder');
    assert.deepEqual(rangeOf(again), [2, 12, 2, 29]);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('"Generate Egress Allowlist": format and stack picked, the allowlist opens in the egress-allowlist language', async () => {
    await open(base);
    // The first item of each pick: the `text` format, this file's layer stack.
    const result = await answeringPrompts(vscode.commands.executeCommand<{ text: string; language: string; uri: string }>('airgapLint.generateEgressAllowlist'));
    assert.ok(result, 'the command returned the document');
    const doc = vscode.window.activeTextEditor!.document;
    assert.equal(doc.uri.toString(), result.uri);
    assert.equal(doc.uri.scheme, 'untitled');
    assert.equal(doc.languageId, 'egress-allowlist');
    assert.equal(result.language, 'egress-allowlist');
    assert.equal(doc.getText(), result.text);
    assert.match(result.text, /^# Egress allowlist, generated by airgap-lint\n# from charts\/shop\/values\.yaml \(chart shop\)\.\n/);
    assert.match(result.text, /^proxy\.corp\.example\.com:3128$/m);
    assert.match(result.text, /^quay\.io$/m);
    // One engine call, three adapters: the CLI of the installed extension writes the same text.
    const cli = path.join(params.installedExtensionDir, 'dist', 'cli.js');
    assert.equal(result.text, execFileSync(process.execPath, [cli, 'allowlist', '--format', 'text', 'charts/shop/values.yaml'], { cwd: ws.fsPath, encoding: 'utf8' }));
    // Arguments skip the picks: JSON for every values file of the folder.
    const json = await vscode.commands.executeCommand<{ text: string; language: string }>('airgapLint.generateEgressAllowlist', { format: 'json', scope: 'folder' });
    assert.equal(json.language, 'json');
    assert.equal(vscode.window.activeTextEditor!.document.languageId, 'json');
    assert.equal((JSON.parse(json.text) as { version: number }).version, 1);
  });

  it('"Generate Image Mirror List": the images of the stack in a new editor', async () => {
    await open(base);
    const result = await answeringPrompts(vscode.commands.executeCommand<{ text: string; language: string; uri: string }>('airgapLint.generateImageMirrorList'));
    assert.ok(result, 'the command returned the document');
    const doc = vscode.window.activeTextEditor!.document;
    assert.equal(doc.uri.toString(), result.uri);
    assert.equal(doc.languageId, 'plaintext');
    assert.equal(doc.getText(), result.text);
    assert.deepEqual(
      result.text.split('\n').filter((l) => l && !l.startsWith('#')),
      ['docker.io/example/shop-worker:2.4.0', 'quay.io/example/shop:2.4.0'],
    );
  });

  it('"Generate Air-Gap Overlay": a diff first when values-airgap.yaml exists, then the overlay written and its diagnostics clean', async () => {
    // Back to the fixture's overlay, with its <mirror-registry> placeholder, saved.
    const doc = await open(overlay);
    const fixture = '# Air-gap overlay: pull every image from the site mirror (helm -f values-airgap.yaml).\nimage:\n  registry: <mirror-registry>\nworker:\n  image:\n    registry: harbor.corp.example.com:5000\n';
    const reset = new vscode.WorkspaceEdit();
    reset.replace(overlay, new vscode.Range(0, 0, doc.lineCount, 0), fixture);
    assert.ok(await vscode.workspace.applyEdit(reset));
    assert.ok(await doc.save());
    await diagnosticsWith(overlay, 'values/placeholder');

    // The file exists: "Show Diff" (the modal's other button, preset here) compares without writing.
    type Outcome = { status: string; text: string; language: string; uri: string; created: boolean };
    const diff = await vscode.commands.executeCommand<Outcome>('airgapLint.generateAirgapOverlay', { valuesPath: base.fsPath, ifExists: 'diff' });
    assert.equal(diff.status, 'diff');
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputTextDiff, 'a diff editor is active');
    assert.equal(input.original.toString(), overlay.toString());
    assert.equal(input.modified.toString(), diff.uri);
    assert.equal(vscode.window.activeTextEditor?.document.getText(), diff.text);
    assert.equal(fs.readFileSync(overlay.fsPath, 'utf8'), fixture, 'nothing written');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // "Replace": written as one edit, saved, opened; the same text as `airgap-lint images --format overlay`.
    const written = await vscode.commands.executeCommand<Outcome>('airgapLint.generateAirgapOverlay', { valuesPath: base.fsPath, ifExists: 'replace' });
    assert.deepEqual([written.status, written.uri, written.created, written.language], ['written', overlay.toString(), false, 'yaml']);
    assert.equal(fs.readFileSync(overlay.fsPath, 'utf8'), written.text);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), overlay.toString());
    assert.equal(vscode.window.activeTextEditor?.document.isDirty, false);
    const cli = path.join(params.installedExtensionDir, 'dist', 'cli.js');
    const fromCli = execFileSync(process.execPath, [cli, 'images', '--format', 'overlay', 'charts/shop/values.yaml'], { cwd: ws.fsPath, encoding: 'utf8' });
    assert.equal(written.text, fromCli);
    assert.match(written.text, /^# Air-gap overlay generated by airgap-lint from charts\/shop\/values\.yaml\.\n/);
    assert.match(written.text, /^image:\n  registry: harbor\.corp\.example\.com:5000\nworker:\n  image:\n    registry: harbor\.corp\.example\.com:5000\n/m);

    // Layered last, it leaves nothing to fix: the placeholder goes, and no image finding comes.
    await waitFor('the placeholder diagnostic to go', () => !vscode.languages.getDiagnostics(overlay).some((d) => codeOf(d) === 'values/placeholder'));
    await sleep(1500);
    const left = vscode.languages.getDiagnostics(overlay).map(codeOf).filter((c) => c === 'image/not-mirrored' || c === 'image/pinned-tag' || c === 'values/placeholder');
    assert.deepEqual(left, []);
    // Run again: nothing to change.
    const again = await vscode.commands.executeCommand<Outcome>('airgapLint.generateAirgapOverlay', { valuesPath: base.fsPath });
    assert.equal(again.status, 'unchanged');
  });
});
