// The product in real editors, started by the test suite itself (issue 5):
// - Neovim (Debian's 0.7) as a plain LSP client of `node dist/server.js --stdio`;
// - code-server (a real VS Code) with our VSIX installed: a mocha suite inside its extension
//   host (test/e2e/suite), then a few checks through the UI in Debian's chromium, with
//   screenshots in test-artifacts/e2e/ui.
// In CI (CI=true) a missing editor fails the run; elsewhere these tests are skipped with the
// reason printed. Install the editors with test/e2e/install-tools.sh plus
// `apt-get install -y chromium neovim` (see .ci/run).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { installedExtensionDir, outputChannelLog, startCodeServer } from './e2e/code-server';
import { runExtensionTests, type ExtensionTestRun } from './e2e/ext-host-runner';
import { runGroup } from './e2e/processes';
import { runUiChecks } from './e2e/ui-checks';
import {
  ARTIFACTS,
  CHROMIUM,
  copyWorkspace,
  findCodeServer,
  findProgram,
  installFakeKubectl,
  isolatedEnv,
  ROOT,
  runDir,
  skipOrFail,
  type CodeServerTools,
} from './e2e/tools';

const timings: Record<string, number> = {};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

after(() => {
  if (Object.keys(timings).length) {
    console.log(`      end-to-end timings: ${Object.entries(timings).map(([k, v]) => `${k} ${seconds(v)}`).join(', ')}`);
  }
});

describe('end to end: Neovim as an LSP client of dist/server.js --stdio', function () {
  this.timeout(120_000);

  it('gets our diagnostics, applies a code action, writes the file', async function () {
    const nvim = findProgram('nvim', ['--version']);
    if (typeof nvim === 'string') return skipOrFail(this, nvim);
    const server = path.join(ROOT, 'dist/server.js');
    assert.ok(fs.existsSync(server), 'dist/server.js is built (npm test builds it)');
    const dir = runDir('neovim');
    const ws = copyWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'airgap-e2e-nvim-')));
    const file = path.join(ws, 'charts/shop/values-airgap.yaml');
    const out = path.join(dir, 'result.json');
    const t0 = Date.now();
    try {
      const code = await runGroup('nvim', ['--headless', '--clean', '-n', '-i', 'NONE', '-c', `luafile ${path.join(ROOT, 'test/e2e/neovim/lsp-client.lua')}`], {
        cwd: ws,
        logFile: path.join(dir, 'nvim.log'),
        timeoutMs: 90_000,
        env: isolatedEnv(dir, {
          LSP_CMD: JSON.stringify([process.execPath, server, '--stdio']),
          TEST_FILE: file,
          ROOT_DIR: ws,
          OUT_JSON: out,
          EXPECT_CODE: 'values/placeholder',
          FIX_TITLE: 'Replace <mirror-registry> with harbor.corp.example.com:5000',
        }),
      });
      timings.neovim = Date.now() - t0;
      const result = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : { missing: true };
      assert.equal(code, 0, `nvim exit ${code}: ${JSON.stringify(result).slice(0, 3000)}`);
      assert.match(result.nvim, /^0\.\d+\.\d+$/);
      assert.deepEqual(result.steps, ['client started', 'diagnostics received', 'code actions answered', 'fix offered', 'diagnostic gone after the fix', 'written']);
      // The diagnostic as the server sent it: our code, source, exact range, README link.
      assert.equal(result.diagnostic.source, 'airgap-lint');
      assert.equal(result.diagnostic.severity, 1);
      assert.deepEqual(result.diagnostic.range, { start: { line: 2, character: 12 }, end: { line: 2, character: 29 } });
      assert.match(result.diagnostic.message, /^Unreplaced placeholder <mirror-registry> in image\.registry/);
      assert.ok(result.vim_diagnostic_count >= 1, 'vim.diagnostic holds it');
      assert.equal(result.action.kind, 'quickfix');
      assert.equal(result.action.isPreferred, true);
      assert.equal(
        fs.readFileSync(file, 'utf8'),
        '# Air-gap overlay: pull every image from the site mirror (helm -f values-airgap.yaml).\nimage:\n  registry: harbor.corp.example.com:5000\nworker:\n  image:\n    registry: harbor.corp.example.com:5000\n',
      );
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });
});

describe('end to end: code-server with the VSIX installed', function () {
  // Generous: a cold start on a busy 2-core machine; each wait inside is on a condition.
  this.timeout(300_000);
  let tools: CodeServerTools;
  let vsix: string;

  before(async function () {
    const found = findCodeServer();
    if (typeof found === 'string') return skipOrFail(this, found);
    const browser = findProgram(CHROMIUM, ['--version']);
    if (typeof browser === 'string') return skipOrFail(this, browser);
    tools = found;
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    // The VSIX of the bundles `npm test` just built (what `npm run package` ships).
    const t0 = Date.now();
    vsix = path.join(ARTIFACTS, 'airgap-lint.vsix');
    fs.rmSync(vsix, { force: true });
    execFileSync(path.join(ROOT, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '-o', vsix], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
    timings.package = Date.now() - t0;
  });

  it('a mocha suite in the real extension host: diagnostics, quick fix, every command, the status bar', async () => {
    const dir = runDir('extension-host');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'airgap-e2e-cs-'));
    const ws = copyWorkspace(path.join(tmp, 'ws'));
    // kubectl on PATH answers like a kind cluster; the one in the user settings like k3s; the
    // one the workspace names must never run.
    const pathKubectlDir = path.join(tmp, 'bin');
    installFakeKubectl(pathKubectlDir, 'kind');
    const settingKubectl = installFakeKubectl(path.join(tmp, 'k3s-kubectl'), 'k3s');
    const marker = path.join(tmp, 'WORKSPACE-KUBECTL-RAN');
    const evil = path.join(ws, 'tools/kubectl');
    fs.mkdirSync(path.dirname(evil), { recursive: true });
    fs.writeFileSync(evil, `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(ws, '.vscode/settings.json'), JSON.stringify({ 'airgapLint.kubectl.path': evil }, null, 2));

    // The specs, bundled next to the repo's node_modules so that `require('mocha')` resolves.
    const suiteDir = path.join(ROOT, 'out/e2e-suite');
    fs.rmSync(suiteDir, { recursive: true, force: true });
    await build({
      entryPoints: [path.join(ROOT, 'test/e2e/suite/index.ts'), path.join(ROOT, 'test/e2e/suite/extension.e2e.ts')],
      outdir: suiteDir,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode', 'mocha'],
      logLevel: 'warning',
    });

    const session = await startCodeServer({ tools, dir, vsix, extraPath: [pathKubectlDir], smokeTestDriver: true });
    timings['install VSIX'] = session.timings.installMs;
    timings['code-server start'] = session.timings.readyMs;
    let run: ExtensionTestRun | undefined;
    try {
      const installedDir = installedExtensionDir(session.extDir);
      fs.writeFileSync(
        path.join(tmp, 'params.json'),
        JSON.stringify({ installedExtensionDir: installedDir, pathKubectlDir, settingKubectl, workspaceKubectlMarker: marker }),
      );
      run = await runExtensionTests({
        port: session.port,
        extensionDevelopmentPath: installedDir,
        extensionTestsPath: path.join(suiteDir, 'index.js'),
        workspace: ws,
        timeoutMs: 240_000,
      });
      timings['extension-host suite'] = run.ms;
    } finally {
      await session.stop();
      fs.writeFileSync(path.join(dir, 'extension-host.log'), run ? run.lines.join('\n') : 'no run');
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    assert.ok(run);
    const report = run.lines.filter((l) => /✔|✓|passing|failing|pending|^\[\w+\]\s+\d+\)|Error|assert/i.test(l)).join('\n');
    console.log(report.replace(/^\[\w+\] /gm, '        '));
    assert.equal(run.exitCode, 0, `extension-host suite failed (${run.exitCode}); log: ${path.join(dir, 'extension-host.log')}\n${run.lines.slice(-80).join('\n')}`);
    const specs = (fs.readFileSync(path.join(ROOT, 'test/e2e/suite/extension.e2e.ts'), 'utf8').match(/^  it\(/gm) ?? []).length;
    assert.match(report, new RegExp(`\\b${specs} passing\\b`), `all ${specs} specs ran`);
    // The output channel holds the server's log and, with airgapLint.trace.server, the LSP traffic.
    const channel = outputChannelLog(session.userDir);
    assert.ok(channel, `an "Air-Gap Lint" output channel log under ${session.userDir}/logs`);
    assert.match(channel, /Sending request 'textDocument\/codeAction/, 'trace.server messages are in the output channel');
    assert.match(channel, /Air-Gap Lint server restarted\./);
    // At the default log level, one start-up line says which configuration is in effect (issue 15).
    assert.match(channel, /airgap-lint \d+\.\d+\.\d+ started, node v[\d.]+\. Folder \S+: config files \.airgap-lint\.yaml, site\/\.airgap-lint\.yaml; cluster profile none\./);
  });

  it('through the UI in chromium: Problems panel, light bulb fix, palette commands, generators, status bar (screenshots)', async () => {
    const dir = runDir('ui');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'airgap-e2e-ui-'));
    const ws = copyWorkspace(path.join(tmp, 'ws'));
    const session = await startCodeServer({ tools, dir: path.join(dir, 'code-server'), vsix });
    try {
      const t0 = Date.now();
      const result = await runUiChecks({ url: session.url, workspace: ws, screenshots: dir });
      timings['UI checks'] = Date.now() - t0;
      assert.deepEqual(result.failed, [], `UI checks failed; screenshots in ${dir}\n${result.log.join('\n')}`);
      assert.ok(result.screenshots.length >= 4, result.screenshots.join(', '));
    } finally {
      await session.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
