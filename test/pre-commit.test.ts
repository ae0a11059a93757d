// The pre-commit hook (.pre-commit-hooks.yaml), run for real by pre-commit (Debian's package in
// CI: apt-get install -y pre-commit) on a scratch git repository of values files: a file with an
// error is blocked and its finding shown, a clean one passes, `args: [--fail-on, warning]` (the
// README's snippet) blocks a warning-only file the default lets through, an overlay passed alone
// is linted on top of the values.yaml beside it, and files that are not values files are left out.
// Newer pre-commit (4.6.1 and later) installs the hook with `npm install -g git+file://…`
// instead; that install is run here too, with npm alone.
//
// The hook repository is a snapshot of this checkout (tracked files with their working-tree
// content, the same as `pre-commit try-repo` takes from a dirty tree), committed in a temp folder,
// so the test lints with the code being tested. pre-commit installs it as users get it
// (`language: node`: npm install, build, npm pack, npm install -g), from the npm cache when it
// can (npm_config_prefer_offline); that install is most of the test's time.
//
// With CI=true a missing pre-commit fails the test; elsewhere the test is skipped with the
// reason. AIRGAP_LINT_PRE_COMMIT names another pre-commit executable to run instead.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { DEFAULT_FILE_PATTERNS, isValuesFile } from '../server/src/engine';
import { skipOrFail, which } from './helpers';

const ROOT = path.resolve(__dirname, '..');

interface HookManifestEntry {
  id: string;
  entry: string;
  language: string;
  language_version?: string;
  files: string;
  pass_filenames?: boolean;
  args?: string[];
  require_serial?: boolean;
}

interface PreCommitConfig {
  repos: Array<{ repo: string; rev: string; hooks: Array<{ id: string; args?: string[] }> }>;
}

function readHook(): HookManifestEntry {
  const manifest = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as HookManifestEntry[];
  const hook = manifest.find((h) => h.id === 'airgap-lint');
  assert.ok(hook, '.pre-commit-hooks.yaml declares the airgap-lint hook');
  return hook;
}

/** The `.pre-commit-config.yaml` snippet of the README's "pre-commit" section. */
function readmeConfig(): PreCommitConfig {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('pre-commit'));
  assert.ok(section, 'the README has a "## pre-commit" section');
  const block = /```yaml\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'the pre-commit section has a yaml block');
  return parse(block[1]) as PreCommitConfig;
}


function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=airgap-lint test', '-c', 'user.email=test@airgap-lint.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `git ${args.join(' ')} in ${cwd}: ${r.stderr}`);
  return r.stdout;
}

/**
 * Copies the checkout's tracked files (working-tree content, deleted ones left out) into a new
 * git repository at `dest` and commits them; returns the commit.
 */
function snapshotCheckout(dest: string): string {
  const tracked = git(ROOT, 'ls-files', '-z').split('\0').filter(Boolean);
  for (const rel of tracked) {
    const from = path.join(ROOT, rel);
    const stat = fs.lstatSync(from, { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(dest, rel));
    fs.chmodSync(path.join(dest, rel), stat.mode);
  }
  git(dest, 'init', '-q');
  git(dest, 'add', '-A');
  git(dest, 'commit', '-q', '-m', 'snapshot of the checkout under test');
  return git(dest, 'rev-parse', 'HEAD').trim();
}

// The scratch repository: one chart whose overlays exercise the hook. The mirror is configured
// so that public registries are findings.
const SCRATCH_FILES: Record<string, string> = {
  '.airgap-lint.yaml': 'cluster:\n  distribution: k3s\n  cloud: none\nmirror:\n  registry: harbor.corp.example:5000\n',
  'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\nappVersion: "1.27.0"\n',
  // Base layer: pulls from docker.io, a warning on its own.
  'chart/values.yaml': 'image:\n  registry: docker.io\n  repository: library/nginx\n  tag: "1.27.0"\n',
  // Error: an unreplaced placeholder.
  'chart/values-placeholder.yaml': 'image:\n  registry: <mirror-registry>\n',
  // Clean: the image moved to the mirror, with a pull secret.
  'chart/values-good.yaml': 'image:\n  registry: harbor.corp.example:5000\nimagePullSecrets:\n  - name: harbor-pull\n',
  // Warnings only: no NO_PROXY, and a password in the proxy URL (never to be printed).
  'chart/values-proxy.yaml': 'env:\n  - name: HTTPS_PROXY\n    value: http://build:Canary-S3cret@proxy.corp.example:3128\n',
  // An air-gap overlay that names no image: the error it gets (values.yaml's image left
  // upstream) exists only through the base layer, read from disk when pre-commit passes the
  // overlay alone.
  'chart/values-airgap.yaml': '# Air-gapped install.\nimagePullSecrets:\n  - name: harbor-pull\n',
  // Not a values file: linted by name it would be an error, but the hook's files pattern skips it.
  'chart/templates/deployment.yaml': 'image: <mirror-registry>/nginx\n',
};

function isGitCheckout(): boolean {
  return spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: ROOT }).status === 0;
}

function skipNotGit(ctx: Mocha.Context): never {
  // A copy without .git has no tracked files to snapshot: nothing to install the hook from.
  console.log('      skipped: not a git checkout');
  return ctx.skip();
}

/** A temp folder with the snapshot of this checkout (the hook repository) and the scratch repository. */
function makeRepos(): { work: string; hookRepo: string; rev: string; scratch: string } {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'airgap-pre-commit-'));
  const hookRepo = path.join(work, 'airgap-lint');
  fs.mkdirSync(hookRepo);
  const rev = snapshotCheckout(hookRepo);
  const scratch = path.join(work, 'scratch');
  for (const [rel, text] of Object.entries(SCRATCH_FILES)) {
    fs.mkdirSync(path.dirname(path.join(scratch, rel)), { recursive: true });
    fs.writeFileSync(path.join(scratch, rel), text);
  }
  git(scratch, 'init', '-q');
  git(scratch, 'add', '-A');
  return { work, hookRepo, rev, scratch };
}

/** The environment of an install: the npm cache first, no colours, no git state of a caller. */
function installEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Users' machines reach the registry when pre-commit installs the hook; here the cache
    // makes the install fast and mostly offline.
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    NO_COLOR: '1',
  };
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete env[k];
  return env;
}

describe('pre-commit hook', function () {
  it('runs `airgap-lint check` on the values files pre-commit passes, failing on errors by default', () => {
    const hook = readHook();
    assert.equal(hook.entry, 'airgap-lint check');
    assert.equal(hook.language, 'node');
    assert.equal(hook.language_version, 'system', 'the Node.js on PATH: nodeenv downloads nothing');
    assert.notEqual(hook.pass_filenames, false);
    assert.deepEqual(hook.args, ['--fail-on', 'error']);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.ok(pkg.bin['airgap-lint'], 'package.json installs the airgap-lint command');
  });

  it("selects exactly the files the engine's default patterns lint", () => {
    // pre-commit matches `files` (Python re.search) against repository-relative paths with `/`;
    // this pattern uses nothing whose meaning differs between Python and JavaScript.
    const files = new RegExp(readHook().files);
    const samples = [
      'values.yaml', 'values.yml', 'values-prod.yaml', 'values-prod.yml', 'values.prod.yaml', 'values.prod.yml',
      'prod-values.yaml', 'prod-values.yml', 'values-.yaml', 'values..yaml', '-values.yaml', 'values.yaml.yaml',
      'charts/app/values.yaml', 'charts/app/values-airgap.yaml', '.github/values.yaml', 'a.b/values.v2.yml',
      'values.json', 'values.yaml.bak', 'myvalues.yaml', 'values_prod.yaml', 'Values.yaml', 'values.YAML',
      'values/app.yaml', 'values-x/app.yaml', 'prod-values/app.yaml', 'chart/Chart.yaml', 'chart/templates/deployment.yaml',
      'values', 'values-prod.yaml.orig', '.airgap-lint.yaml', 'x-values.yamll',
    ];
    const mismatches = samples.filter((p) => files.test(p) !== isValuesFile(p, DEFAULT_FILE_PATTERNS));
    assert.deepEqual(mismatches, [], 'paths on which the hook and the engine disagree');
    // Both outcomes occur, so the comparison above is not vacuous.
    assert.ok(samples.some((p) => files.test(p)) && samples.some((p) => !files.test(p)));
  });

  it("the README's .pre-commit-config.yaml snippet uses this hook and its --fail-on argument", () => {
    const config = readmeConfig();
    assert.equal(config.repos.length, 1);
    const [repo] = config.repos;
    assert.match(repo.repo, /^https:\/\/github\.com\/.+\/airgap-lint$/);
    assert.ok(repo.rev, 'the snippet pins a rev');
    assert.deepEqual(repo.hooks.map((h) => h.id), [readHook().id]);
    assert.deepEqual(repo.hooks[0].args, ['--fail-on', 'warning']);
  });

  describe('installed the way pre-commit 4.6.1 and later install it', function () {
    // `npm install --allow-git=root --install-links -g git+file://<hook clone>`, as in
    // pre-commit's languages/node.py; npm 11 prepares the git package without its
    // devDependencies unless scripts/prepare.mjs installs them. Runs without pre-commit.
    this.timeout(10 * 60 * 1000);
    let repos: ReturnType<typeof makeRepos> | undefined;

    before(function () {
      if (!isGitCheckout()) return skipNotGit(this);
      repos = makeRepos();
    });

    after(() => {
      if (repos) fs.rmSync(repos.work, { recursive: true, force: true });
    });

    it('builds the CLI on the way and installs a working airgap-lint command', () => {
      const { work, hookRepo, scratch } = repos!;
      const prefix = path.join(work, 'node_env');
      const env = { ...installEnv(), npm_config_prefix: prefix, NPM_CONFIG_PREFIX: prefix };
      const install = spawnSync('npm', ['install', '--allow-git=root', '--install-links', '-g', `git+file://${hookRepo}`], {
        cwd: hookRepo,
        env,
        encoding: 'utf8',
        timeout: 9 * 60 * 1000,
      });
      assert.equal(install.status, 0, `${install.stdout}${install.stderr}`);

      const bin = path.join(prefix, 'bin', 'airgap-lint');
      const lint = spawnSync(bin, ['check', '--fail-on', 'error', 'chart/values-good.yaml', 'chart/values-placeholder.yaml'], { cwd: scratch, env, encoding: 'utf8' });
      assert.equal(lint.status, 1, `${lint.stdout}${lint.stderr}`);
      assert.match(lint.stdout, /chart\/values-placeholder\.yaml:\d+:\d+/);
      assert.match(lint.stdout, /values\/placeholder/);
    });
  });

  describe('run by pre-commit', function () {
    // Two installs of the hook (try-repo's own store, then the store of the config runs), each
    // an `npm install` of the devDependencies and a build; a minute each when the cache is warm.
    this.timeout(15 * 60 * 1000);
    const preCommit = process.env.AIRGAP_LINT_PRE_COMMIT || which('pre-commit');
    let work: string;
    let hookRepo: string;
    let rev: string;
    let scratch: string;
    let env: NodeJS.ProcessEnv;

    function run(args: string[]): { status: number | null; output: string } {
      const r = spawnSync(preCommit!, args, { cwd: scratch, env, encoding: 'utf8', timeout: 14 * 60 * 1000 });
      const output = `${r.stdout}${r.stderr}`;
      assert.ok(!output.includes('Canary-S3cret'), 'no secret in pre-commit output');
      return { status: r.status, output };
    }

    /** A config from the README's snippet pointing at the snapshot, with `args` as given. */
    function writeConfig(name: string, args: string[] | undefined): string {
      const config = readmeConfig();
      config.repos[0].repo = hookRepo;
      config.repos[0].rev = rev;
      if (args) config.repos[0].hooks[0].args = args;
      else delete config.repos[0].hooks[0].args;
      const file = path.join(work, name);
      fs.writeFileSync(file, stringify(config));
      return file;
    }

    before(function () {
      if (!preCommit) return skipOrFail(this, 'pre-commit is not installed (apt-get install -y pre-commit)');
      if (!isGitCheckout()) return skipNotGit(this);
      ({ work, hookRepo, rev, scratch } = makeRepos());
      env = { ...installEnv(), PRE_COMMIT_HOME: path.join(work, 'store') };
      for (const k of ['PRE_COMMIT', 'PRE_COMMIT_CONFIG', 'SKIP']) delete env[k];
    });

    after(() => {
      if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    it('`pre-commit try-repo` blocks a values file with an error and shows the finding', () => {
      const r = run(['try-repo', hookRepo, 'airgap-lint', '--color', 'never', '--files', 'chart/values-placeholder.yaml']);
      assert.equal(r.status, 1, r.output);
      assert.match(r.output, /airgap-lint\.+Failed/);
      assert.match(r.output, /chart\/values-placeholder\.yaml:2:\d+/);
      assert.match(r.output, /values\/placeholder/);
    });

    it('passes a clean values file', () => {
      const config = writeConfig('default.yaml', undefined);
      const r = run(['run', '--config', config, '--color', 'never', '--files', 'chart/values-good.yaml']);
      assert.equal(r.status, 0, r.output);
      assert.match(r.output, /airgap-lint\.+Passed/);
    });

    it('lets warnings through by default and blocks them with args [--fail-on, warning]', () => {
      const byDefault = run(['run', '--config', writeConfig('default.yaml', undefined), '--color', 'never', '--files', 'chart/values-proxy.yaml']);
      assert.equal(byDefault.status, 0, byDefault.output);
      assert.match(byDefault.output, /airgap-lint\.+Passed/);

      const strict = run(['run', '--config', writeConfig('warning.yaml', ['--fail-on', 'warning']), '--color', 'never', '--files', 'chart/values-proxy.yaml']);
      assert.equal(strict.status, 1, strict.output);
      assert.match(strict.output, /airgap-lint\.+Failed/);
      assert.match(strict.output, /proxy\/no-proxy-absent/);
      assert.match(strict.output, /proxy\/credentials-inline/);
    });

    it('lints an overlay passed alone on top of the values.yaml beside it', () => {
      const r = run(['run', '--config', writeConfig('default.yaml', undefined), '--color', 'never', '--files', 'chart/values-airgap.yaml']);
      assert.equal(r.status, 1, r.output);
      assert.match(r.output, /chart\/values-airgap\.yaml:\d+:\d+/);
      assert.match(r.output, /image\/not-mirrored/);
    });

    it('leaves out files that are not values files, and reports several values files at once', () => {
      const config = writeConfig('default.yaml', undefined);
      const skipped = run(['run', '--config', config, '--color', 'never', '--files', 'chart/templates/deployment.yaml', 'chart/Chart.yaml']);
      assert.equal(skipped.status, 0, skipped.output);
      assert.match(skipped.output, /airgap-lint\.+\(no files to check\)Skipped/);

      const several = run(['run', '--config', config, '--color', 'never', '--files', 'chart/values-good.yaml', 'chart/templates/deployment.yaml', 'chart/values-placeholder.yaml', 'chart/values-airgap.yaml']);
      assert.equal(several.status, 1, several.output);
      assert.match(several.output, /chart\/values-placeholder\.yaml:\d+:\d+/);
      assert.match(several.output, /values\/placeholder/);
      assert.match(several.output, /chart\/values-airgap\.yaml:\d+:\d+/);
      assert.match(several.output, /image\/not-mirrored/);
      assert.doesNotMatch(several.output, /deployment\.yaml/);
    });
  });
});
