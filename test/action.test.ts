// The GitHub action (action.yml): its manifest passes every input to its step, and the step's
// script (scripts/action/run.sh, run here as the runner runs it) writes SARIF, annotates, and
// exits with the CLI's status.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const SCRIPT = path.join(ROOT, 'scripts', 'action', 'run.sh');
const CLI = path.join(ROOT, 'dist', 'cli.js');

interface ActionManifest {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Array<{ id?: string; run?: string; env?: Record<string, string> }> };
}

function runAction(cwd: string, env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('bash', [SCRIPT], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), AIRGAP_LINT_CLI: CLI, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('GitHub action', () => {
  let work: string;

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'airgap-action-'));
    fs.mkdirSync(path.join(work, 'bad'));
    fs.writeFileSync(path.join(work, 'bad', 'values.yaml'), 'image:\n  tag: "1.0"\nimage:\n  tag: "2.0"\n');
    fs.mkdirSync(path.join(work, 'good chart'));
    fs.writeFileSync(path.join(work, 'good chart', 'values.yaml'), '# a clean file\nreplicaCount: 1\n');
  });

  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('is a composite action whose step gets every input and runs the tested script', () => {
    const manifest = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionManifest;
    assert.equal(manifest.runs.using, 'composite');
    const step = manifest.runs.steps.find((s) => s.id === 'lint');
    assert.ok(step?.run, 'a step with id lint runs a script');
    assert.ok(step.run.includes('$GITHUB_ACTION_PATH/scripts/action/run.sh'), 'the step runs scripts/action/run.sh');
    const passed = Object.values(step.env ?? {}).join('\n');
    for (const input of Object.keys(manifest.inputs)) {
      assert.ok(passed.includes(`\${{ inputs.${input} }}`), `input ${input} reaches the script`);
    }
    const script = fs.readFileSync(SCRIPT, 'utf8');
    for (const variable of Object.keys(step.env ?? {})) {
      assert.ok(script.includes(variable), `the script reads ${variable}`);
    }
    assert.match(manifest.outputs['sarif-file'].value, /steps\.lint\.outputs\.sarif-file/);
  });

  it('fails on findings: SARIF written, one annotation per finding, the output set', () => {
    const output = path.join(work, 'github-output');
    const result = runAction(work, {
      AIRGAP_LINT_PATHS: '  bad/\n\n',
      AIRGAP_LINT_SARIF: 'reports/lint.sarif',
      GITHUB_OUTPUT: output,
    });
    assert.equal(result.status, 1, result.stderr);
    const sarif = JSON.parse(fs.readFileSync(path.join(work, 'reports', 'lint.sarif'), 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    const results = sarif.runs[0].results as Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
    assert.ok(results.some((r) => r.ruleId === 'yaml/duplicate-key'));
    assert.ok(results.every((r) => r.locations[0].physicalLocation.artifactLocation.uri === 'bad/values.yaml'));
    const annotations = result.stdout.split('\n').filter((line) => line.startsWith('::'));
    assert.equal(annotations.length, results.length, 'as many annotations as SARIF results');
    assert.match(result.stdout, /^::error file=bad\/values\.yaml,line=3,col=1,.*title=yaml\/duplicate-key::/m);
    assert.equal(fs.readFileSync(output, 'utf8'), 'sarif-file=reports/lint.sarif\n');
    assert.match(result.stderr, /findings at or above 'error'/);
  });

  it('passes on a clean folder (a path with spaces), with an empty SARIF run', () => {
    const result = runAction(work, { AIRGAP_LINT_PATHS: 'good chart' });
    assert.equal(result.status, 0, result.stderr);
    const sarif = JSON.parse(fs.readFileSync(path.join(work, 'airgap-lint.sarif'), 'utf8'));
    assert.deepEqual(sarif.runs[0].results, []);
    assert.equal(result.stdout.trim(), '');
  });

  it('fail-on warning turns a warning into a failure that fail-on error lets pass', () => {
    // A placeholder-free file whose only finding is a warning: an image pinned by tag "latest".
    fs.writeFileSync(path.join(work, 'good chart', 'values.yaml'), 'image:\n  repository: nginx\n  tag: latest\n');
    const lenient = runAction(work, { AIRGAP_LINT_PATHS: 'good chart' });
    const strict = runAction(work, { AIRGAP_LINT_PATHS: 'good chart', AIRGAP_LINT_FAIL_ON: 'warning' });
    assert.ok(/::warning /.test(lenient.stdout), `a warning is reported: ${lenient.stdout}`);
    assert.ok(!/::error /.test(lenient.stdout), 'and no error');
    assert.equal(lenient.status, 0);
    assert.equal(strict.status, 1);
  });

  it('uses the config input: a rule turned off there is not reported', () => {
    fs.writeFileSync(path.join(work, 'ci-lint.yaml'), 'rules:\n  yaml/duplicate-key: off\n');
    const result = runAction(work, { AIRGAP_LINT_PATHS: 'bad', AIRGAP_LINT_CONFIG: 'ci-lint.yaml' });
    assert.doesNotMatch(result.stdout, /duplicate-key/);
    const sarif = JSON.parse(fs.readFileSync(path.join(work, 'airgap-lint.sarif'), 'utf8'));
    assert.ok(!sarif.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'yaml/duplicate-key'));
  });

  it('a usage error exits 2 with the reason and leaves no report', () => {
    const result = runAction(work, { AIRGAP_LINT_PATHS: 'bad', AIRGAP_LINT_FAIL_ON: 'sometimes' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Invalid --fail-on "sometimes"/);
    assert.ok(!fs.existsSync(path.join(work, 'airgap-lint.sarif')));
  });
});
