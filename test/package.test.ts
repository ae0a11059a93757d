// The VSIX and its manifest: `npm run package` works offline, the archive holds the bundles,
// the schemas and the docs and nothing else, and the manifest activates only on values files.
// The npm package: `npm pack` builds the CLI and packs it alone; installed offline into an
// empty folder it runs with no other package.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { CONFIG_FILE_NAMES, DEFAULT_VALUES_PATTERNS, documentPatterns, serverDocumentPatterns } from '../client/src/selector';
import { allRules, DEFAULT_FILE_PATTERNS, ruleDocsAnchor } from '../server/src/engine';

const ROOT = path.resolve(__dirname, '..');
const VSIX = path.join(ROOT, 'dist', 'airgap-lint.vsix');
const MAX_VSIX_BYTES = 2 * 1024 * 1024;
/** One page per rule of the catalog (schema/* keywords share one). */
const RULE_PAGES = [...new Set(allRules().map((r) => `${ruleDocsAnchor(r.id)}.md`))].sort();

interface ZipEntry {
  name: string;
  compressedSize: number;
  size: number;
  method: number;
  localHeaderOffset: number;
}

/** Lists a zip archive from its central directory (no unzip binary needed). */
function listZip(buf: Buffer): ZipEntry[] {
  const EOCD = 0x06054b50;
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'end of central directory found');
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(offset), 0x02014b50, 'central directory header');
    const method = buf.readUInt16LE(offset + 10);
    const compressedSize = buf.readUInt32LE(offset + 20);
    const size = buf.readUInt32LE(offset + 24);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    const localHeaderOffset = buf.readUInt32LE(offset + 42);
    const name = buf.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({ name, compressedSize, size, method, localHeaderOffset });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function readZipEntry(buf: Buffer, entry: ZipEntry): Buffer {
  const local = entry.localHeaderOffset;
  const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
  const data = buf.subarray(start, start + entry.compressedSize);
  return entry.method === 0 ? data : inflateRawSync(data);
}

describe('VSIX package', function () {
  this.timeout(60000);
  let buf: Buffer;
  let names: string[];
  let entries: ZipEntry[];

  before(() => {
    fs.rmSync(VSIX, { force: true });
    execFileSync('npm', ['run', 'package', '--silent'], { cwd: ROOT, stdio: 'pipe', timeout: 55000 });
    buf = fs.readFileSync(VSIX);
    entries = listZip(buf);
    names = entries.map((e) => e.name);
  });

  it('is produced by `npm run package` and stays small', () => {
    assert.ok(buf.length > 50_000, `suspiciously small: ${buf.length} bytes`);
    assert.ok(buf.length < MAX_VSIX_BYTES, `VSIX is ${buf.length} bytes, limit ${MAX_VSIX_BYTES}`);
  });

  it('holds the bundles (client, server and its lint worker, CLI), the config schema and any bundled chart schemas, the readme, the rule pages and the licence', () => {
    const bundled = fs.existsSync(path.join(ROOT, 'schemas', 'charts'))
      ? fs.readdirSync(path.join(ROOT, 'schemas', 'charts')).filter((f) => f.endsWith('.json'))
      : [];
    for (const schema of bundled) assert.ok(names.includes(`extension/schemas/charts/${schema}`), `bundled schema ${schema} is packaged`);
    for (const required of [
      'extension/package.json',
      'extension/dist/server.js',
      'extension/dist/lint-worker.js',
      'extension/dist/client.js',
      'extension/dist/cli.js',
      'extension/schemas/airgap-lint.schema.json',
      'extension/readme.md',
      'extension/LICENSE.txt',
      // The rule pages "Show documentation" opens with no network: every rule's, and the index.
      'extension/dist/docs/rules/index.md',
      ...RULE_PAGES.map((page) => `extension/dist/docs/rules/${page}`),
    ]) {
      assert.ok(names.includes(required), `${required} missing from ${names.join(', ')}`);
    }
  });

  it('holds no node_modules, sources, tests, source maps or nested packages', () => {
    const offending = names.filter(
      (n) => /(^|\/)node_modules\//.test(n) || /\.(ts|map|vsix|tgz)$/.test(n) || /^extension\/(test|server|client|scripts|bench|examples)\//.test(n),
    );
    assert.deepEqual(offending, []);
    const allowed = /^(\[Content_Types\]\.xml|extension\.vsixmanifest|extension\/(package\.json|readme\.md|LICENSE\.txt|dist\/(client|server|lint-worker|cli)\.js|dist\/docs\/rules\/[a-z0-9-]+\.md|schemas\/.+\.json|syntaxes\/.+\.json))$/;
    assert.deepEqual(names.filter((n) => !allowed.test(n)), []);
  });

  it('ships a manifest whose entry point and contributed schema are inside the package', () => {
    const manifest = JSON.parse(readZipEntry(buf, entries.find((e) => e.name === 'extension/package.json')!).toString('utf8'));
    assert.ok(names.includes(path.posix.join('extension', manifest.main)), `main ${manifest.main} is packaged`);
    for (const v of manifest.contributes.yamlValidation) {
      assert.ok(names.includes(path.posix.join('extension', v.url)), `${v.url} is packaged`);
    }
    const server = readZipEntry(buf, entries.find((e) => e.name === 'extension/dist/server.js')!).toString('utf8');
    assert.ok(server.length > 100_000 && !/require\("vscode-languageserver/.test(server), 'the server is bundled, not required from node_modules');
  });
});

describe('extension manifest', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

  it('activates only on workspaces with values files or a config file, never on all YAML', () => {
    const expected = [...DEFAULT_FILE_PATTERNS, ...CONFIG_FILE_NAMES].map((p) => `workspaceContains:**/${p}`);
    assert.deepEqual([...manifest.activationEvents].sort(), expected.sort());
    assert.ok(!manifest.activationEvents.some((e: string) => e === '*' || e.startsWith('onLanguage:')));
  });

  it('hands the server the same files the engine lints by default', () => {
    assert.deepEqual([...DEFAULT_VALUES_PATTERNS].sort(), [...DEFAULT_FILE_PATTERNS].sort());
    assert.deepEqual(documentPatterns(undefined), [...DEFAULT_FILE_PATTERNS, ...CONFIG_FILE_NAMES].map((p) => `**/${p}`));
    assert.deepEqual(documentPatterns(['overrides/*.yaml', '**/env.yaml', '', 3, 'values.yaml']).slice(-2), ['**/overrides/*.yaml', '**/env.yaml']);
  });

  it('syncs every YAML file to the server, which alone knows the `files:` of each .airgap-lint.yaml', () => {
    assert.deepEqual(serverDocumentPatterns(undefined), ['**/*.yaml', '**/*.yml', '**/.airgap-lint.yaml', '**/.airgap-lint.yml']);
    // A configured pattern with another extension is added; YAML ones are covered already.
    assert.deepEqual(serverDocumentPatterns(['site/*.yaml', 'values.txt']).slice(4), ['**/values.txt']);
  });

  it('scopes every setting, describes it in markdown, and keeps the kubectl path machine-scoped and restricted', () => {
    const props: Record<string, { scope?: string; markdownDescription?: string; default?: unknown }> = manifest.contributes.configuration.properties;
    for (const [key, prop] of Object.entries(props)) {
      assert.ok(key.startsWith('airgapLint.'), key);
      assert.ok(prop.scope, `${key} has a scope`);
      assert.ok((prop.markdownDescription ?? '').length > 20, `${key} has a markdownDescription`);
      assert.ok('default' in prop, `${key} has a default`);
    }
    for (const key of ['cluster.distribution', 'cluster.podCIDR', 'mirror.registry', 'rules', 'files', 'layers', 'runtimes']) {
      assert.equal(props[`airgapLint.${key}`]?.scope, 'resource', key);
    }
    assert.equal(props['airgapLint.kubectl.path'].scope, 'machine');
    assert.equal(props['airgapLint.kubectl.enabled'].default, false);
    assert.deepEqual(props['airgapLint.trace.server'], { ...props['airgapLint.trace.server'], enum: ['off', 'messages', 'verbose'], default: 'off' });
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.sort(), ['airgapLint.kubectl.enabled', 'airgapLint.kubectl.path']);
    assert.equal(manifest.capabilities.virtualWorkspaces.supported, false);
  });

  it('contributes commands under the "Air-Gap Lint" category, and the config file schema', () => {
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'Air-Gap Lint', c.command);
    assert.deepEqual(manifest.contributes.commands.map((c: { command: string }) => c.command).sort(), [
      'airgapLint.detectClusterNetwork',
      'airgapLint.generateAirgapOverlay',
      'airgapLint.generateEgressAllowlist',
      'airgapLint.generateImageMirrorList',
      'airgapLint.restartServer',
      'airgapLint.setClusterProfile',
      'airgapLint.showEffectiveValues',
      'airgapLint.showOutput',
      'airgapLint.showRuleDocumentation',
    ]);
    // Running kubectl: hidden from the palette and disabled in untrusted workspaces.
    const detect = manifest.contributes.commands.find((c: { command: string }) => c.command === 'airgapLint.detectClusterNetwork');
    assert.equal(detect.enablement, 'isWorkspaceTrusted');
    assert.deepEqual(manifest.contributes.menus.commandPalette, [{ command: 'airgapLint.detectClusterNetwork', when: 'isWorkspaceTrusted' }]);
    assert.deepEqual(manifest.contributes.yamlValidation, [{ fileMatch: ['.airgap-lint.yaml', '.airgap-lint.yml'], url: './schemas/airgap-lint.schema.json' }]);
  });

  it('puts the generators in the editor title menu of values files (default names), under "…"', () => {
    const entries: Array<{ command: string; when: string; group: string }> = manifest.contributes.menus['editor/title'];
    assert.deepEqual(entries.map((e) => e.command), ['airgapLint.generateEgressAllowlist', 'airgapLint.generateImageMirrorList', 'airgapLint.generateAirgapOverlay']);
    for (const e of entries) {
      assert.ok(!e.group.startsWith('navigation'), 'no icon: not in the navigation group');
      const m = /^resourceScheme == file && resourceFilename =~ \/(.+)\/$/.exec(e.when);
      assert.ok(m, e.when);
      const re = new RegExp(m[1]);
      for (const name of ['values.yaml', 'values.yml', 'values-airgap.yaml', 'values.prod.yml', 'shop-values.yaml', 'values-.yaml']) assert.ok(re.test(name), name);
      for (const name of ['Chart.yaml', '.airgap-lint.yaml', 'values.json', 'myvalues.yaml', 'values-airgap.yaml.bak', 'values.schema.json']) assert.ok(!re.test(name), name);
    }
    // The server's executeCommand IDs are registered by vscode-languageclient itself: never contributed.
    const ids = manifest.contributes.commands.map((c: { command: string }) => c.command);
    assert.ok(!ids.includes('airgapLint.generateAllowlist') && !ids.includes('airgapLint.generateImageList'));
  });

  it('loads the bundled client with nothing but Node built-ins and the editor API', () => {
    const client = path.join(ROOT, 'dist', 'client.js');
    assert.ok(fs.existsSync(client), 'dist/client.js is built');
    const requested = new Set<string>();
    // Any property of the fake `vscode` module is a callable that returns another fake.
    const fake = (): unknown => new Proxy(function () {}, { get: (_t, k) => (k === 'then' ? undefined : fake()), apply: () => fake(), construct: () => fake() as object });
    const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const original = loader._load;
    loader._load = function (request: string, ...rest: unknown[]) {
      if (request === 'vscode') return fake();
      requested.add(request);
      return original.call(this, request, ...rest);
    };
    try {
      delete require.cache[client];
      const extension = require(client) as { activate?: unknown; deactivate?: unknown };
      assert.equal(typeof extension.activate, 'function');
      assert.equal(typeof extension.deactivate, 'function');
    } finally {
      loader._load = original;
      delete require.cache[client];
    }
    const external = [...requested].filter((r) => r !== client && !Module.isBuiltin(r));
    assert.deepEqual(external, []);
  });
});

describe('npm package', function () {
  this.timeout(120000);
  const version: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  let packDir: string;
  let installDir: string;
  let tarball: string;
  let names: string[];
  let bin: string;

  /** Runs the installed CLI from a folder outside the repository, with no NODE_PATH to fall back on. */
  function cli(...args: string[]) {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.NODE_PATH;
    return spawnSync(bin, args, { cwd: installDir, env, encoding: 'utf8', timeout: 60000 });
  }

  before(() => {
    packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'airgap-lint-pack-'));
    installDir = fs.mkdtempSync(path.join(os.tmpdir(), 'airgap-lint-install-'));
    // `prepare` (run by `npm pack` too) runs `npm run build`: the tarball gets the current bundle.
    execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: ROOT, stdio: 'pipe', timeout: 100000 });
    tarball = path.join(packDir, `airgap-lint-${version}.tgz`);
    names = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .sort();
    // The package has no dependencies: installing it from the local tarball fetches nothing.
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--prefix', installDir, tarball], {
      cwd: installDir,
      stdio: 'pipe',
      timeout: 60000,
    });
    bin = path.join(installDir, 'node_modules', '.bin', 'airgap-lint');
  });

  after(() => {
    for (const dir of [packDir, installDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds the CLI bundle, its bin script, the schemas and the docs (README, rule pages), and nothing else', () => {
    const schemas = fs.readdirSync(path.join(ROOT, 'schemas'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.posix.join('package', path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/')));
    const pages = ['index.md', ...RULE_PAGES].map((page) => `package/dist/docs/rules/${page}`);
    assert.deepEqual(names, ['package/LICENSE', 'package/README.md', 'package/bin/airgap-lint.js', 'package/dist/cli.js', 'package/package.json', ...pages, ...schemas].sort());
    const offending = names.filter((n) => /(^|\/)node_modules\//.test(n) || /\.(ts|map|vsix|tgz)$/.test(n) || /^package\/(test|server|client|scripts|bench|examples)\//.test(n));
    assert.deepEqual(offending, []);
    const size = fs.statSync(tarball).size;
    assert.ok(size > 50_000 && size < 2 * 1024 * 1024, `tarball is ${size} bytes`);
  });

  it('declares no dependencies and installs a working `airgap-lint` bin', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(installDir, 'node_modules', 'airgap-lint', 'package.json'), 'utf8'));
    assert.equal(manifest.dependencies, undefined);
    assert.deepEqual(manifest.bin, { 'airgap-lint': './bin/airgap-lint.js' });
    assert.deepEqual(fs.readdirSync(path.join(installDir, 'node_modules')).filter((n) => !n.startsWith('.')), ['airgap-lint']);
    const run = cli('--version');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, `${version}\n`);
  });

  it('runs `airgap-lint check` on the examples: findings, exit status 1', () => {
    const run = cli('check', path.join(ROOT, 'examples'));
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /:\d+:\d+ +error +.+ yaml\/duplicate-key/);
    assert.match(run.stdout, /\d+ problems \(\d+ errors?, \d+ warnings?\) in \d+ files? linted/);
  });

  it('runs `airgap-lint images --format list` on the examples: image references on stdout', () => {
    const run = cli('images', '--format', 'list', path.join(ROOT, 'examples'));
    assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
    const refs = run.stdout.split('\n').filter((l) => l && !l.startsWith('#'));
    assert.ok(refs.length > 0, run.stdout);
    for (const ref of refs) assert.match(ref, /^[a-z0-9.-]+(:\d+)?\/[^\s]+(:[\w.-]+|@sha256:[0-9a-f]{64})$/, ref);
  });
});
