// The CLI as users run it: `node dist/cli.js` spawned with real files (npm test builds
// first). Exit codes, the JSON contract, SARIF, text, folder walking, --fix, hostile input.
// The --fix loop with a rule that has a safe fix runs in process, with a test-only rule.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { parseArgs } from '../server/src/cli/args';
import { lintSafely, runCheck } from '../server/src/cli/check';
import type { Engine } from '../server/src/engine/lint';
import { isMap, isScalar } from '../server/src/engine/document';
import { MAX_FILE_BYTES } from '../server/src/engine/node-host';
import { yamlRules } from '../server/src/engine/rules/yaml';
import type { RuleModule } from '../server/src/engine/rules/types';
import { FINGERPRINT_KEY, type SarifResult } from '../server/src/engine/report';
import { FIXTURES, range, REPO } from './helpers';

const CLI = nodePath.join(REPO, 'dist/cli.js');
const CLI_FIXTURES = nodePath.join(FIXTURES, 'cli');
const VERSION: string = JSON.parse(fs.readFileSync(nodePath.join(REPO, 'package.json'), 'utf8')).version;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(args: string[], cwd = CLI_FIXTURES, timeout = 60_000): Run {
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

/** A stack trace line ("    at fn (file.js:1:2)") must never reach the user. */
function assertNoStackTrace(r: Run): void {
  assert.doesNotMatch(r.stderr, /^\s+at .+:\d+:\d+\)?$/m, `stack trace on stderr:\n${r.stderr}`);
  assert.doesNotMatch(r.stdout, /^\s+at .+:\d+:\d+\)?$/m);
}

function tmpDir(): string {
  return fs.mkdtempSync(nodePath.join(os.tmpdir(), 'airgap-lint-cli-'));
}

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

describe('cli', function () {
  this.timeout(60_000);
  const tmps: string[] = [];
  const tmp = () => {
    const d = tmpDir();
    tmps.push(d);
    return d;
  };

  before(() => {
    // `npm test` builds first; running mocha alone on a fresh clone builds here.
    if (!fs.existsSync(CLI)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO });
  });
  after(() => {
    for (const d of tmps) fs.rmSync(d, { recursive: true, force: true });
  });

  describe('exit status', () => {
    it('0 for a clean file', () => {
      const r = run(['check', 'clean/values.yaml']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, 'No problems found (1 file linted).\n');
      assert.equal(r.stderr, '');
    });

    it('1 for an error', () => {
      const r = run(['check', 'errors/values.yaml']);
      assert.equal(r.status, 1);
    });

    it('0 for warnings only by default, 1 with --fail-on warning', () => {
      assert.equal(run(['check', 'warnings/values.yaml']).status, 0);
      assert.equal(run(['check', '--fail-on', 'warning', 'warnings/values.yaml']).status, 1);
      assert.equal(run(['check', '--fail-on=warning', 'warnings/values.yaml']).status, 1);
      assert.equal(run(['check', '--fail-on', 'error', 'warnings/values.yaml']).status, 0);
    });

    const usage: Array<[string, string[], RegExp]> = [
      ['an unknown flag', ['check', '--bogus', 'clean/values.yaml'], /^airgap-lint: Unknown option --bogus\.\nRun "airgap-lint --help" for usage\.\n$/],
      ['no command', [], /Missing command/],
      ['an unknown command', ['lint', 'clean'], /Unknown command "lint"/],
      ['a missing PATH', ['check'], /Missing PATH/],
      ['a PATH that does not exist', ['check', 'no/such/values.yaml'], /^airgap-lint: Cannot read no\/such\/values\.yaml: no such file or folder\.\n$/],
      ['a bad --fail-on', ['check', '--fail-on', 'info', 'clean'], /Invalid --fail-on "info": expected error or warning/],
      ['a bad --format', ['check', '--format', 'xml', 'clean'], /Unknown format "xml": expected text, json, sarif, github, codeclimate\./],
      ['--format without a value', ['check', 'clean', '--format'], /Option --format needs a value/],
      ['a --config that does not exist', ['check', '--config', 'nope.yaml', 'clean'], /Cannot read nope\.yaml: no such file or folder/],
      ['a --config that is a folder', ['check', '--config', 'configs', 'clean'], /--config configs is not a file/],
      ['an invalid --config', ['check', '--config', 'configs/invalid.yaml', 'clean'], /Invalid configuration configs\/invalid\.yaml:\n {2}configs\/invalid\.yaml:2:11 {2}mirror\.layout must be one of: nested, flat\./],
      ['an invalid discovered config', ['check', 'badconfig'], /Invalid configuration badconfig\/\.airgap-lint\.yaml:\n {2}badconfig\/\.airgap-lint\.yaml:3:3 {2}Unknown key "podCidr" in cluster\./],
      ['an unknown allowlist format', ['allowlist', '--format', 'iptables', 'clean'], /Invalid --format "iptables": expected text, json, csv, squid/],
      ['an images option given to allowlist', ['allowlist', '--optional', 'exclude', 'clean'], /Option --optional belongs to "airgap-lint images"/],
      ['images without PATH', ['images', '--format', 'list'], /Missing PATH/],
      ['an overlay without mirror.registry', ['images', '--format', 'overlay', 'clean/values.yaml'], /Set mirror\.registry/],
      ['an invalid --pod-selector', ['allowlist', '--format', 'cilium', '--pod-selector', 'app', 'clean'], /Invalid --pod-selector "app"/],
    ];
    for (const [what, args, message] of usage) {
      it(`2 for ${what}, with a message on stderr and no stack trace`, () => {
        const r = run(args);
        assert.equal(r.status, 2, r.stdout + r.stderr);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '');
        assertNoStackTrace(r);
      });
    }

    it('2 for an unreadable file (permission denied)', function () {
      if (process.platform === 'win32') this.skip();
      const dir = tmp();
      fs.chmodSync(dir, 0o755);
      const file = nodePath.join(dir, 'values.yaml');
      fs.writeFileSync(file, 'a: 1\n');
      fs.chmodSync(file, 0o000);
      // root reads whatever the mode: run the CLI as `nobody` then. `nobody` may not be able to
      // traverse the checkout (a private parent folder), so it runs a copy of the bundled CLI
      // (dist/cli.js is self-contained) from a world-readable temporary folder.
      const asRoot = process.getuid?.() === 0;
      let cli = CLI;
      if (asRoot) {
        const bin = tmp();
        fs.chmodSync(bin, 0o755);
        cli = nodePath.join(bin, 'cli.js');
        fs.copyFileSync(CLI, cli);
        fs.chmodSync(cli, 0o644);
        // Node itself (process.execPath) must be runnable by `nobody`, and the copy readable.
        const probe = spawnSync(process.execPath, ['-e', 'require("fs").accessSync(process.argv[1], require("fs").constants.R_OK)', cli], { uid: 65534, gid: 65534, encoding: 'utf8' });
        if (probe.status !== 0) {
          console.warn(`      skipped: cannot run ${process.execPath} as nobody (uid 65534) on a copy of the CLI in ${bin}: ${probe.error?.message ?? probe.stderr.trim()}`);
          this.skip();
        }
      }
      const r = spawnSync(process.execPath, [cli, 'check', 'values.yaml'], {
        cwd: dir,
        encoding: 'utf8',
        ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      });
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.equal(r.stderr, 'airgap-lint: Cannot read values.yaml: permission denied.\n');
    });

    it('2 for a path through a file, and for something that is neither file nor folder', function () {
      const r = run(['check', 'clean/values.yaml/values.yaml']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /Cannot read clean\/values\.yaml\/values\.yaml: a path component is not a folder\./);
      if (process.platform === 'win32') return;
      const dir = tmp();
      const fifo = spawnSync('mkfifo', [nodePath.join(dir, 'values.yaml')]);
      if (fifo.status !== 0) return;
      const f = run(['check', 'values.yaml'], dir, 10_000);
      assert.equal(f.status, 2);
      assert.equal(f.stderr, 'airgap-lint: values.yaml is neither a file nor a folder.\n');
    });

    it('2 for a file larger than the size limit, without reading it', () => {
      const dir = tmp();
      const file = nodePath.join(dir, 'values.yaml');
      fs.writeFileSync(file, '');
      fs.truncateSync(file, MAX_FILE_BYTES + 1); // sparse: costs no disk
      const r = run(['check', 'values.yaml'], dir);
      assert.equal(r.status, 2);
      const mb = MAX_FILE_BYTES / (1024 * 1024);
      assert.equal(r.stderr, `airgap-lint: values.yaml is ${Math.round(mb)} MB, larger than the ${mb} MB airgap-lint reads; it is not a values file.\n`);
      assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
    });

    it('keeps its status and prints no EPIPE trace when the reader closes the pipe early', function () {
      if (process.platform === 'win32' || spawnSync('bash', ['-c', 'true']).status !== 0) this.skip();
      const dir = tmp();
      // 5,000 duplicate keys: about 1 MB of output, far more than a pipe buffer.
      const lines = Array.from({ length: 5_000 }, (_, i) => `k${i}: 1\nk${i}: 2\n`).join('');
      fs.writeFileSync(nodePath.join(dir, 'values.yaml'), lines);
      for (const format of ['text', 'json']) {
        const r = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${CLI}" check --format ${format} values.yaml | head -c 10 >/dev/null`], {
          cwd: dir,
          encoding: 'utf8',
        });
        assert.equal(r.stderr, '', format);
        assert.equal(r.status, 1, format);
      }
    });

    it('--help and --version exit 0', () => {
      const help = run(['--help']);
      assert.equal(help.status, 0);
      assert.match(help.stdout, /airgap-lint check +\[--config FILE\] \[--format text\|json\|sarif\|github\|codeclimate\] \[--fail-on error\|warning\] \[--fix\] \[--quiet\] PATH\.\.\./);
      assert.match(help.stdout, /airgap-lint allowlist \[--config FILE\] \[--format FORMAT\]/);
      assert.match(help.stdout, /airgap-lint images +\[--config FILE\] \[--format FORMAT\]/);
      assert.equal(run(['check', '--help']).status, 0);
      const version = run(['--version']);
      assert.equal(version.status, 0);
      assert.equal(version.stdout, `${VERSION}\n`);
    });

    it('allowlist and images write their formats and exit 0; an invalid image is a note on stderr and exit 1', () => {
      const chart = nodePath.join(FIXTURES, 'charts', 'cloudzero-agent');
      const allow = run(['allowlist', '--format', 'json', 'values-proxy.yaml'], chart);
      assert.equal(allow.status, 0, allow.stderr);
      const json = JSON.parse(allow.stdout);
      assert.equal(json.version, 1);
      assert.ok(json.entries.some((e: { host: string; egress: string }) => e.host === 'api.cloudzero.com' && e.egress === 'pod'));
      const list = run(['images', 'values.yaml'], chart);
      assert.equal(list.status, 0, list.stderr);
      assert.match(list.stdout, /^ghcr\.io\/cloudzero\/cloudzero-agent\/cloudzero-agent:1\.2\.13$/m);
      const dir = tmp();
      fs.writeFileSync(nodePath.join(dir, 'values.yaml'), 'app:\n  image: Quay.io/Bad/Name:1\nok:\n  image: quay.io/acme/ok:1.0\n');
      const bad = run(['images', '--format', 'json', 'values.yaml'], dir);
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /airgap-lint: note: values\.yaml:2 app\.image: "Quay\.io\/Bad\/Name:1" is not listed/);
      assert.equal(JSON.parse(bad.stdout).images.length, 1);
      assertNoStackTrace(bad);
    });

    it('an explicit --config replaces discovery and its rule severities apply', () => {
      // configs/valid.yaml turns yaml/duplicate-key into a warning.
      assert.equal(run(['check', '--config', 'configs/valid.yaml', 'errors/values.yaml']).status, 0);
      const r = run(['check', '--config', 'configs/valid.yaml', '--fail-on', 'warning', 'errors/values.yaml']);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /errors\/values\.yaml:4:1 {2}warning {2}Duplicate key "resources"/);
    });
  });

  describe('output formats', () => {
    it('json: exactly the contract, 0-based ranges, paths relative to the working directory', () => {
      const r = run(['check', '--format', 'json', 'errors/values.yaml', 'clean']);
      assert.equal(r.status, 1);
      assert.deepEqual(JSON.parse(r.stdout), {
        version: 1,
        files: [
          {
            path: 'errors/values.yaml',
            diagnostics: [
              {
                code: 'yaml/duplicate-key',
                severity: 'error',
                message: 'Duplicate key "resources" (first defined on line 1): Helm rejects the file, keep one',
                range: range(3, 0, 3, 9),
                related: [{ path: 'errors/values.yaml', range: range(0, 0, 0, 9), message: 'first definition' }],
                fixes: [],
              },
            ],
          },
          { path: 'clean/values.yaml', diagnostics: [] },
        ],
      });
    });

    it('json: characters are UTF-16 code units (CJK and an emoji before the error)', () => {
      const r = run(['check', '--format=json', 'utf16/values.yaml']);
      const d = JSON.parse(r.stdout).files[0].diagnostics[0];
      assert.equal(d.code, 'yaml/duplicate-key');
      // `podLabels: {"名前🚀": monitoring, team: sre, team: …`: 名 and 前 are one unit each,
      // 🚀 is a surrogate pair (two), so the second `team` starts at 43 (42 in code points).
      const line = fs.readFileSync(nodePath.join(CLI_FIXTURES, 'utf16/values.yaml'), 'utf8').split('\n')[1];
      assert.equal(line.indexOf('team: platform'), 43);
      assert.equal([...line.slice(0, 43)].length, 42);
      assert.deepEqual(d.range, range(1, 43, 1, 47));
    });

    it('text: path:line:col severity message rule-id, 1-based, with a summary; no colour in a pipe', () => {
      const r = run(['check', 'errors', 'utf16/values.yaml']);
      assert.equal(
        r.stdout,
        [
          'errors/values.yaml:4:1  error  Duplicate key "resources" (first defined on line 1): Helm rejects the file, keep one  yaml/duplicate-key',
          '',
          'utf16/values.yaml:2:44  error  Duplicate key "team" (first defined on line 2): Helm rejects the file, keep one  yaml/duplicate-key',
          '',
          '2 problems (2 errors, 0 warnings) in 2 files linted.',
          '',
        ].join('\n'),
      );
    });

    it('text: the explanation is wrapped and indented under each finding; --quiet (-q) prints the headlines only', () => {
      const dir = tmp();
      fs.writeFileSync(nodePath.join(dir, 'values.yaml'), 'global:\n  imageRegistry: <mirror-registry>\n');
      const headline =
        'values.yaml:2:18  error  Unreplaced placeholder <mirror-registry> in global.imageRegistry: replace it with your registry host  values/placeholder';
      const summary = '1 problem (1 error, 0 warnings) in 1 file linted.';
      const full = run(['check', '.'], dir);
      assert.equal(full.status, 1, full.stderr);
      const lines = full.stdout.split('\n');
      assert.equal(lines[0], headline);
      // The detail follows on lines of its own, each indented 4 spaces, before the summary.
      const detailLines = lines.slice(1, lines.indexOf(''));
      assert.ok(detailLines.length >= 1, full.stdout);
      for (const l of detailLines) assert.match(l, /^ {4}\S/);
      assert.match(detailLines.map((l) => l.trim()).join(' '), /^global\.imageRegistry is <mirror-registry>\. Helm installs it literally: .*Set mirror\.registry in \.airgap-lint\.yaml to get a quick fix\.$/);
      assert.ok(full.stdout.endsWith(`\n\n${summary}\n`), full.stdout);
      for (const flag of ['--quiet', '-q']) {
        const quiet = run(['check', flag, '.'], dir);
        assert.equal(quiet.status, 1, quiet.stderr);
        // One line per finding: no indented detail lines.
        assert.equal(quiet.stdout, `${headline}\n\n${summary}\n`, flag);
      }
      // --quiet changes only the text format.
      const json = JSON.parse(run(['check', '--quiet', '--format', 'json', '.'], dir).stdout);
      assert.match(json.files[0].diagnostics[0].detail, /^global\.imageRegistry is <mirror-registry>\. Helm installs it literally/);
    });

    it('sarif: the fields GitHub code scanning requires, regions matching the JSON ranges', () => {
      const sarifRun = run(['check', '--format', 'sarif', 'errors', 'utf16', 'warnings', 'clean']);
      const jsonRun = run(['check', '--format', 'json', 'errors', 'utf16', 'warnings', 'clean']);
      assert.equal(sarifRun.status, 1);
      const sarif = JSON.parse(sarifRun.stdout);
      assert.equal(sarif.version, '2.1.0');
      assert.equal(sarif.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
      assert.equal(sarif.runs.length, 1);
      const [sr] = sarif.runs;
      assert.equal(sr.tool.driver.name, 'airgap-lint');
      assert.equal(sr.tool.driver.version, VERSION);
      assert.equal(sr.columnKind, 'utf16CodeUnits');
      assert.ok(Array.isArray(sr.results));

      const expected = JSON.parse(jsonRun.stdout).files.flatMap((f: { path: string; diagnostics: Array<{ code: string; range: ReturnType<typeof range> }> }) =>
        f.diagnostics.map((d) => ({ path: f.path, code: d.code, range: d.range })),
      );
      assert.equal(sr.results.length, expected.length);
      assert.equal(expected.length, 3);
      sr.results.forEach((res: SarifResult, i: number) => {
        const want = expected[i];
        assert.equal(res.ruleId, want.code);
        assert.equal(sr.tool.driver.rules[res.ruleIndex].id, res.ruleId);
        assert.ok(['error', 'warning', 'note'].includes(res.level));
        assert.ok(res.message.text.length > 0);
        const loc = res.locations[0].physicalLocation;
        assert.deepEqual(loc.artifactLocation, { uri: want.path, uriBaseId: '%SRCROOT%' });
        assert.deepEqual(loc.region, {
          startLine: want.range.start.line + 1,
          startColumn: want.range.start.character + 1,
          endLine: want.range.end.line + 1,
          endColumn: want.range.end.character + 1,
        });
        assert.match(res.partialFingerprints[FINGERPRINT_KEY], /^[0-9a-f]{32}:1$/);
      });
      assert.deepEqual(sr.results.map((r: { level: string }) => r.level), ['error', 'error', 'warning']);
    });

    it('github and codeclimate: one annotation / Code Quality issue per finding, same exit codes', () => {
      const gh = run(['check', '--format', 'github', 'errors', 'clean']);
      assert.equal(gh.status, 1, gh.stderr);
      assert.equal(
        gh.stdout,
        '::error file=errors/values.yaml,line=4,col=1,endLine=4,endColumn=9,title=yaml/duplicate-key::' +
          'Duplicate key "resources" (first defined on line 1): Helm rejects the file, keep one\n',
      );
      const cq = run(['check', '--format=codeclimate', 'errors', 'clean']);
      assert.equal(cq.status, 1, cq.stderr);
      const issues = JSON.parse(cq.stdout);
      assert.equal(issues.length, 1);
      assert.match(issues[0].fingerprint, /^[0-9a-f]{64}$/);
      assert.deepEqual({ ...issues[0], fingerprint: undefined }, {
        type: 'issue',
        check_name: 'yaml/duplicate-key',
        description: 'Duplicate key "resources" (first defined on line 1): Helm rejects the file, keep one',
        categories: ['Bug Risk'],
        fingerprint: undefined,
        severity: 'major',
        location: { path: 'errors/values.yaml', lines: { begin: 4 } },
      });
      assert.equal(JSON.parse(run(['check', '--format', 'codeclimate', 'errors']).stdout)[0].fingerprint, issues[0].fingerprint, 'stable across runs');
      for (const format of ['github', 'codeclimate']) {
        const clean = run(['check', '--format', format, 'clean']);
        assert.equal(clean.status, 0, clean.stderr);
        assert.equal(clean.stdout, format === 'github' ? '' : '[]\n');
        assert.equal(run(['check', '--format', format, 'warnings']).status, 0);
        assert.equal(run(['check', '--format', format, '--fail-on', 'warning', 'warnings']).status, 1);
      }
      assert.match(run(['check', '--format', 'github', 'warnings']).stdout, /^::warning file=warnings\/values\.yaml,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[^:,]+::.+$/m);
    });

    it('sarif: fingerprints survive lines inserted above the finding', () => {
      const dir = tmp();
      fs.writeFileSync(nodePath.join(dir, 'values.yaml'), 'a: 1\na: 2\n');
      const before = JSON.parse(run(['check', '--format', 'sarif', '.'], dir).stdout).runs[0].results[0];
      fs.writeFileSync(nodePath.join(dir, 'values.yaml'), '# a comment\n\na: 1\na: 2\n');
      const after = JSON.parse(run(['check', '--format', 'sarif', '.'], dir).stdout).runs[0].results[0];
      assert.equal(before.locations[0].physicalLocation.region.startLine, 2);
      assert.equal(after.locations[0].physicalLocation.region.startLine, 4);
      assert.deepEqual(after.partialFingerprints, before.partialFingerprints);
    });
  });

  describe('files', () => {
    function walkTree(): string {
      const dir = tmp();
      copyDir(nodePath.join(CLI_FIXTURES, 'walk'), dir);
      // Folders a walk must skip, each holding a values file with an error.
      for (const skipped of ['node_modules/some-chart', '.git/hooks', '.cache']) {
        fs.mkdirSync(nodePath.join(dir, skipped), { recursive: true });
        fs.writeFileSync(nodePath.join(dir, skipped, 'values.yaml'), 'x: 1\nx: 2\n');
      }
      return dir;
    }

    it('walks folders with the default patterns, skipping other YAML, node_modules and hidden folders', () => {
      const dir = walkTree();
      const r = run(['check', '--format', 'json', '.'], dir);
      assert.equal(r.status, 1);
      const files = JSON.parse(r.stdout).files as Array<{ path: string; diagnostics: Array<{ code: string; range: unknown }> }>;
      assert.deepEqual(
        files.map((f) => f.path),
        ['chart/ci/prod-values.yml', 'chart/values-prod.yaml', 'chart/values.yaml'],
      );
      // Each reported once, on its own file, even though values.yaml is the base layer of values-prod.yaml.
      assert.deepEqual(
        files.map((f) => f.diagnostics.map((d) => [d.code, d.range])),
        [
          [['yaml/duplicate-key', range(2, 2, 2, 9)]],
          [['yaml/duplicate-key', range(3, 2, 3, 8)]],
          [['yaml/duplicate-key', range(1, 0, 1, 12)]],
        ],
      );
    });

    it('lints a file given by name whatever its name', () => {
      const dir = walkTree();
      const r = run(['check', 'chart/templates/deployment.yaml'], dir);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /^chart\/templates\/deployment\.yaml:4:1 {2}error {2}Duplicate key "kind"/);
    });

    it('uses the file patterns of the configuration in effect for each folder', () => {
      const dir = tmp();
      fs.mkdirSync(nodePath.join(dir, 'overrides'));
      fs.writeFileSync(nodePath.join(dir, '.airgap-lint.yaml'), 'files: ["overrides/*.yaml"]\n');
      fs.writeFileSync(nodePath.join(dir, 'overrides/prod.yaml'), 'a: 1\na: 2\n');
      fs.writeFileSync(nodePath.join(dir, 'values.yaml'), 'b: 1\nb: 2\n');
      const r = run(['check', '--format', 'json', '.'], dir);
      assert.deepEqual(JSON.parse(r.stdout).files.map((f: { path: string }) => f.path), ['overrides/prod.yaml']);
    });

    it('lists each file once when given twice or through a folder and a file', () => {
      const r = run(['check', '--format', 'json', 'clean', 'clean/values.yaml', './clean/values.yaml']);
      assert.deepEqual(JSON.parse(r.stdout).files.map((f: { path: string }) => f.path), ['clean/values.yaml']);
    });

    it('says so on stderr when a folder holds no values file, and exits 0', () => {
      const dir = tmp();
      fs.writeFileSync(nodePath.join(dir, 'deployment.yaml'), 'kind: Deployment\n');
      const r = run(['check', '.'], dir);
      assert.equal(r.status, 0);
      assert.equal(r.stderr, 'airgap-lint: no values files found in ..\n');
      assert.equal(r.stdout, 'No problems found (0 files linted).\n');
    });

    it('does not loop on a symbolic link back up the tree', function () {
      if (process.platform === 'win32') this.skip();
      const dir = tmp();
      fs.mkdirSync(nodePath.join(dir, 'chart'));
      fs.writeFileSync(nodePath.join(dir, 'chart/values.yaml'), 'a: 1\n');
      fs.symlinkSync(dir, nodePath.join(dir, 'chart/loop'));
      const r = run(['check', '--format', 'json', '.'], dir, 10_000);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout).files.map((f: { path: string }) => f.path), ['chart/values.yaml']);
    });
  });

  describe('--fix', () => {
    it('leaves a file without safe fixes byte for byte and still reports its findings', () => {
      const dir = tmp();
      copyDir(nodePath.join(CLI_FIXTURES, 'errors'), dir);
      const file = nodePath.join(dir, 'values.yaml');
      const before = fs.readFileSync(file);
      const mtime = fs.statSync(file).mtimeMs;
      const r = run(['check', '--fix', '--format', 'json', '.'], dir);
      assert.equal(r.status, 1);
      assert.deepEqual(fs.readFileSync(file), before);
      assert.equal(fs.statSync(file).mtimeMs, mtime, 'not even rewritten');
      assert.deepEqual(JSON.parse(r.stdout).files[0].diagnostics.map((d: { code: string }) => d.code), ['yaml/duplicate-key']);
      assert.equal(r.stderr, '');
    });

    it('does not apply an unsafe fix (the did-you-mean rename): the file stays, the fix is reported', () => {
      const dir = tmp();
      copyDir(nodePath.join(CLI_FIXTURES, 'unsafe-fix'), dir);
      const file = nodePath.join(dir, 'values.yaml');
      const before = fs.readFileSync(file);
      const r = run(['check', '--fix', '--format', 'json', '.'], dir);
      assert.equal(r.status, 1, r.stderr);
      assert.deepEqual(fs.readFileSync(file), before);
      assert.deepEqual(JSON.parse(r.stdout), {
        version: 1,
        files: [
          {
            path: 'values.yaml',
            diagnostics: [
              {
                code: 'schema/additionalProperties',
                severity: 'error',
                message: 'Unknown key "replicaCont" at the top level. Did you mean "replicaCount"?',
                range: range(1, 0, 1, 11),
                fixes: [{ title: 'Rename to "replicaCount"', edits: [{ range: range(1, 0, 1, 11), newText: 'replicaCount' }] }],
              },
            ],
          },
        ],
      });
      assert.equal(r.stderr, '');
    });

    // A test-only rule with a safe fix: every `tag:` given as a bare number is quoted.
    const quoteTags: RuleModule = {
      name: 'test-quote-tags',
      check(ctx) {
        const visit = (node: unknown) => {
          if (!isMap(node)) return;
          for (const pair of node.items) {
            if (isScalar(pair.key) && pair.key.value === 'tag' && isScalar(pair.value) && typeof pair.value.value === 'number') {
              const r = ctx.doc.rangeOf(pair.value);
              ctx.report({
                code: 'test/quote-tag',
                severity: 'warning',
                message: 'Quote the tag: YAML reads 1.10 as the number 1.1.',
                range: r,
                fixes: [{ title: 'Quote the tag', safe: true, edits: [{ range: r, newText: JSON.stringify(String(pair.value.source)) }] }],
              });
            }
            visit(pair.value);
          }
        };
        visit(ctx.doc.root);
      },
    };

    function checkInProcess(args: string[], cwd: string, rules: RuleModule[]) {
      const out: string[] = [];
      const err: string[] = [];
      const parsed = parseArgs(args);
      assert.equal(parsed.command, 'check');
      const status = runCheck(parsed as Parameters<typeof runCheck>[0], {
        cwd,
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
        color: false,
        toolVersion: '0.0.0-test',
        rules,
      });
      return { status, stdout: out.join(''), stderr: err.join('') };
    }

    it('applies safe fixes in place, keeps the rest of the file, and reports what remains', () => {
      const dir = tmp();
      const file = nodePath.join(dir, 'values.yaml');
      fs.writeFileSync(file, '# agent image\nimage:\n  tag: 1.10 # keep this comment\n  tag: 2.0\nsidecar:\n  tag: 3.1\r\n');
      const r = checkInProcess(['check', '--fix', '.'], dir, [yamlRules, quoteTags]);
      assert.equal(fs.readFileSync(file, 'utf8'), '# agent image\nimage:\n  tag: "1.10" # keep this comment\n  tag: "2.0"\nsidecar:\n  tag: "3.1"\r\n');
      // The duplicate key has no fix and remains; the warnings are gone.
      assert.equal(
        r.stdout,
        'values.yaml:4:3  error  Duplicate key "tag" (first defined on line 3): Helm rejects the file, keep one  yaml/duplicate-key\n\n' +
          '1 problem (1 error, 0 warnings) in 1 file linted.\nSafe fixes applied to 1 file: values.yaml.\n',
      );
      assert.equal(r.status, 1);
    });

    it('reports the remaining findings in the chosen format and names fixed files on stderr', () => {
      const dir = tmp();
      const file = nodePath.join(dir, 'values.yaml');
      fs.writeFileSync(file, 'tag: 1.10\n');
      const r = checkInProcess(['check', '--fix', '--format', 'json', '--fail-on', 'warning', 'values.yaml'], dir, [yamlRules, quoteTags]);
      assert.equal(fs.readFileSync(file, 'utf8'), 'tag: "1.10"\n');
      assert.deepEqual(JSON.parse(r.stdout), { version: 1, files: [{ path: 'values.yaml', diagnostics: [] }] });
      assert.equal(r.stderr, 'airgap-lint: safe fixes applied to values.yaml.\n');
      assert.equal(r.status, 0);
    });

    it('without --fix, reports the safe fix and writes nothing', () => {
      const dir = tmp();
      const file = nodePath.join(dir, 'values.yaml');
      fs.writeFileSync(file, 'tag: 1.10\n');
      const r = checkInProcess(['check', '--format', 'json', 'values.yaml'], dir, [yamlRules, quoteTags]);
      assert.equal(fs.readFileSync(file, 'utf8'), 'tag: 1.10\n');
      assert.deepEqual(JSON.parse(r.stdout).files[0].diagnostics[0].fixes, [
        { title: 'Quote the tag', edits: [{ range: range(0, 5, 0, 9), newText: '"1.10"' }] },
      ]);
    });

    it('never writes a fix that would break the YAML', () => {
      const breaker: RuleModule = {
        name: 'test-breaker',
        check(ctx) {
          ctx.report({
            code: 'test/breaker',
            severity: 'warning',
            message: 'a bad fix',
            range: range(0, 0, 0, 0),
            fixes: [{ title: 'Break it', safe: true, edits: [{ range: range(0, 0, 0, 0), newText: '[' }] }],
          });
        },
      };
      const dir = tmp();
      const file = nodePath.join(dir, 'values.yaml');
      fs.writeFileSync(file, 'a: 1\n');
      const r = checkInProcess(['check', '--fix', 'values.yaml'], dir, [yamlRules, breaker]);
      assert.equal(fs.readFileSync(file, 'utf8'), 'a: 1\n');
      assert.match(r.stdout, /values\.yaml:1:1 {2}warning {2}a bad fix {2}test\/breaker/);
      assert.doesNotMatch(r.stdout, /Safe fixes applied/);
    });
  });

  describe('hostile input: a clear finding, exit 1, no crash, no hang', () => {
    function lintGenerated(name: string, content: string | Buffer, timeout = 30_000) {
      const dir = tmp();
      fs.writeFileSync(nodePath.join(dir, name), content);
      const r = run(['check', '--format', 'json', name], dir, timeout);
      assertNoStackTrace(r);
      assert.equal(r.status, 1, `exit ${r.status}\n${r.stderr}`);
      return { ...r, diagnostics: JSON.parse(r.stdout).files[0].diagnostics as Array<{ code: string; message: string; range: unknown }> };
    }

    it('malformed YAML → yaml/syntax at the parser position', () => {
      // An unclosed flow map: the parser notices at the next key, and reports to the end of that line.
      const r = lintGenerated('values.yaml', 'replicaCount: 1\nresources:\n  limits: {memory: 1Gi\nnodeSelector: {}\n');
      assert.deepEqual(
        r.diagnostics.map((d) => [d.code, d.range]),
        [['yaml/syntax', range(3, 0, 3, 16)]],
      );
      assert.ok(r.ms < 5_000, `took ${r.ms} ms`);
    });

    it('a binary file → yaml/syntax "looks binary"', () => {
      const bytes = Buffer.alloc(4096);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
      const r = lintGenerated('values.yaml', bytes);
      assert.deepEqual(r.diagnostics.map((d) => d.code), ['yaml/syntax']);
      assert.match(r.diagnostics[0].message, /binary/);
      assert.ok(r.ms < 5_000, `took ${r.ms} ms`);
    });

    it('10,000 nested flow sequences → findings, not a stack overflow', () => {
      const r = lintGenerated('values.yaml', 'a: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n');
      assert.ok(r.diagnostics.length >= 1);
      assert.ok(r.diagnostics.every((d) => d.code === 'yaml/syntax'));
      assert.ok(r.diagnostics.some((d) => /Nesting deeper than 500 levels/.test(d.message)));
      assert.ok(r.ms < 5_000, `took ${r.ms} ms`);
    });

    it('an alias bomb (9 levels × 9 aliases) → a finding, in well under a second of work', () => {
      const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
      const names = 'abcdefghi';
      for (let i = 1; i < names.length; i++) {
        lines.push(`${names[i]}: &${names[i]} [${Array(9).fill('*' + names[i - 1]).join(', ')}]`);
      }
      const r = lintGenerated('values.yaml', lines.join('\n') + '\n');
      assert.equal(r.diagnostics[0].code, 'yaml/syntax');
      assert.match(r.diagnostics[0].message, /alias bomb/);
      assert.ok(r.ms < 5_000, `took ${r.ms} ms`);
    });

    it('a 10 MB values file → its findings (here one duplicate key at the end)', function () {
      this.timeout(180_000);
      const block = Array.from({ length: 200 }, (_, i) =>
        `component${i}:\n  image:\n    registry: quay.io\n    repository: example-org/component-${i}\n    tag: "1.${i}.0"\n  env:\n    - name: LOG_LEVEL\n      value: info\n  resources:\n    limits:\n      memory: 256Mi\n`,
      ).join('');
      let text = '';
      for (let n = 0; text.length < 10 * 1024 * 1024; n++) text += `group${n}:\n` + block.replace(/^(?=.)/gm, '  ');
      text += 'group0:\n  again: true\n';
      const r = lintGenerated('values.yaml', text, 170_000);
      assert.deepEqual(r.diagnostics.map((d) => d.code), ['yaml/duplicate-key']);
      // Parsing dominates (the yaml library); the figure goes in the report.
      console.log(`      10 MB file: ${r.ms} ms`);
    });
  });

  it('turns an exception while linting one file into a finding on that file, not a crash', () => {
    const throwing = {
      lint() {
        throw new RangeError('Maximum call stack size exceeded');
      },
    } as unknown as Engine;
    const file = nodePath.resolve('/charts/x/values.yaml');
    assert.deepEqual(lintSafely(throwing, file), {
      path: file,
      findings: [
        {
          code: 'internal/error',
          severity: 'error',
          message: 'airgap-lint could not lint this file: the file is too deeply nested or too large to parse (Maximum call stack size exceeded).',
          path: file,
          range: range(0, 0, 0, 0),
          fixes: [],
        },
      ],
    });
  });

  describe('bundled examples (the README quick start)', () => {
    it('`npx airgap-lint check examples` prints real findings and exits 1', () => {
      const r = spawnSync(process.execPath, [nodePath.join(REPO, 'bin/airgap-lint.js'), 'check', 'examples'], {
        cwd: REPO,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stderr, '');
      // One of each rule family that exists today, at exact positions in the air-gap overlay.
      assert.match(r.stdout, /^examples\/monitoring-agent\/values-airgap\.yaml:20:15 +error +components\.agent\.replicas must be integer \(got string "2"\) +schema\/type$/m);
      assert.match(r.stdout, /^examples\/monitoring-agent\/values-airgap\.yaml:29:5 +error +Unknown key "retension" in components\.collector\. Did you mean "retention"\? +schema\/additionalProperties$/m);
      assert.match(r.stdout, /^examples\/monitoring-agent\/values-airgap\.yaml:41:3 +error +Duplicate key "image" \(first defined on line 38\)/m);
      assert.match(r.stdout, /^examples\/robusta\/generated-values\.yaml:66:3 +error +Duplicate key "prometheus"/m);
      // The suppressed finding on `batchSize: 20000` (line 35) never shows…
      assert.doesNotMatch(r.stdout, /values-airgap\.yaml:35:/);
      // …but it is there without the comment (so the suppression is what hides it).
      const dir = tmp();
      copyDir(nodePath.join(REPO, 'examples'), dir);
      const overlay = nodePath.join(dir, 'monitoring-agent/values-airgap.yaml');
      fs.writeFileSync(overlay, fs.readFileSync(overlay, 'utf8').replace(/^ *# airgap-lint-disable-next-line .*\n/m, '# (suppression removed)\n'));
      const unsuppressed = run(['check', 'monitoring-agent/values-airgap.yaml'], dir);
      assert.match(unsuppressed.stdout, /^monitoring-agent\/values-airgap\.yaml:35:16 +error +components\.shipper\.batchSize must be <= 10000 \(got integer 20000\) +schema\/maximum$/m);
      // Secrets in the examples' proxy URLs never reach the output.
      assert.doesNotMatch(r.stdout, /changeme/);
      assert.match(r.stdout, /\d+ problems? \(\d+ errors?, \d+ warnings?.*\) in 4 files linted\.\n$/);
    });

    it('`npm run examples` succeeds although the examples have errors', function () {
      if (process.platform === 'win32') this.skip();
      // The script is "build, then lint the examples, accepting exit 1"; run its lint half
      // (the build already ran) so that the test does not rebuild dist/ under other tests.
      const script: string = JSON.parse(fs.readFileSync(nodePath.join(REPO, 'package.json'), 'utf8')).scripts.examples;
      const prefix = 'npm run build && ';
      assert.ok(script.startsWith(prefix), script);
      const r = spawnSync('sh', ['-c', script.slice(prefix.length)], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /examples\/monitoring-agent\/values-airgap\.yaml:41:3/);
      // …and a real failure (exit 2) still fails the script.
      const broken = spawnSync('sh', ['-c', script.slice(prefix.length).replace('check examples', 'check examples/no-such-folder')], { cwd: REPO, encoding: 'utf8' });
      assert.notEqual(broken.status, 0);
    });
  });
});
