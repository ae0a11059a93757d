// No secret in any output (the issue "No secret in any output"): a proxy password seeded in
// the values never reaches a report format, a hover or a file rewritten by `--fix`; fixes that
// would carry it are offered in the editor only, and fixes never spread it to another env set.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { applyEdits, fixAll, safeEditsFor } from '../server/src/engine/fixes';
import { formatJson, formatSarif, formatText } from '../server/src/engine/report';
import { LanguageService } from '../server/src/engine/service';
import { carriesUrlCredential, isCredentialValue, redactCredentials } from '../server/src/engine/proxy/proxy-url';
import type { Finding } from '../server/src/engine/types';
import { fixAllAction, quickFixes } from '../server/src/lsp/code-actions';
import { DIAGNOSTIC_SOURCE } from '../server/src/lsp/diagnostics';
import { MemoryHost, REPO } from './helpers';
import { K3S, VALUES, lintProxy, one, only } from './proxy-helpers';

const PASSWORD = 'S3cr3tPa55';
const CLI = nodePath.join(REPO, 'dist/cli.js');

// HTTP_PROXY inline with a password (upper case only: env-case offers http_proxy), HTTPS_PROXY
// inline with a password, and a component without the proxy (component-missing copies).
const SEEDED = [
  'runner:',
  '  env:',
  `    - name: HTTP_PROXY`,
  `      value: "http://alice:${PASSWORD}@proxy.corp:3128"`,
  `    - name: HTTPS_PROXY`,
  `      value: "http://alice:${PASSWORD}@proxy.corp:3128"`,
  '    - name: NO_PROXY',
  '      value: "localhost,127.0.0.1,.cluster.local,.svc,10.43.0.0/16,10.42.0.0/16,169.254.169.254"',
  'holmes:',
  '  env:',
  '    - name: ROBUSTA_AI',
  '      value: "true"',
  '',
].join('\n');

function lint(text = SEEDED): Finding[] {
  return lintProxy(text, { settings: K3S });
}

describe('secrets: the credential helper', () => {
  it('finds URL passwords with or without a scheme, not user-only URLs or image digests', () => {
    assert.ok(carriesUrlCredential(`http://u:${PASSWORD}@p:3128`));
    assert.ok(carriesUrlCredential(`u:${PASSWORD}@p:3128`));
    assert.ok(carriesUrlCredential(`  - name: X\n    value: "http://u:${PASSWORD}@p:3128"\n`));
    assert.ok(!carriesUrlCredential('http://u@p:3128'));
    assert.ok(!carriesUrlCredential('http://p:3128'));
    assert.ok(!carriesUrlCredential(`nginx:1.25@sha256:${'a'.repeat(64)}`));
    assert.equal(redactCredentials(`value: "http://alice:${PASSWORD}@proxy:3128"`), 'value: "http://alice:***@proxy:3128"');
  });

  it('a secret-looking name or the chart knowledge marks a value as secret', () => {
    assert.ok(isCredentialValue('hunter2', { name: 'DB_PASSWORD' }));
    assert.ok(isCredentialValue('hunter2', { name: 'x', isSecret: () => true }));
    assert.ok(!isCredentialValue('http://p:3128', { name: 'HTTPS_PROXY', isSecret: () => false }));
  });
});

describe('secrets: fixes', () => {
  it('env-case: the copy of the value is sensitive (editor only, real text); the preferred fix references a Secret', () => {
    const f = only(lint(), 'proxy/env-case').find((x) => x.message.startsWith('Only upper-case HTTP_PROXY'))!;
    assert.ok(f);
    assert.ok(!f.message.includes(PASSWORD));
    const [ref, copy] = f.fixes;
    assert.equal(ref.title, 'Add http_proxy from key http_proxy of the Secret proxy-credentials (create the Secret proxy-credentials first)');
    assert.equal(ref.safe, false);
    assert.equal(ref.preferred, true);
    assert.ok(!ref.sensitive);
    const withRef = applyEdits(SEEDED, ref.edits).text;
    assert.ok(withRef.includes('    - name: HTTP_PROXY\n      value: "http://alice:S3cr3tPa55@proxy.corp:3128"\n    - name: http_proxy\n      valueFrom:\n        secretKeyRef:\n          name: proxy-credentials\n          key: http_proxy\n'), withRef);
    assert.equal(copy.title, 'Add http_proxy with the same value');
    assert.equal(copy.safe, false);
    assert.equal(copy.sensitive, true);
    // The engine keeps the real text, so that the editor can apply it.
    assert.ok(copy.edits[0].newText.includes(`alice:${PASSWORD}@`));
  });

  it('env-case: HTTP_PROXY from a secret gets http_proxy from the same reference', () => {
    const text = 'env:\n  - name: HTTP_PROXY\n    valueFrom:\n      secretKeyRef: {name: corp-proxy, key: url}\n';
    const f = one(lint(text), 'proxy/env-case');
    assert.equal(f.fixes.length, 1);
    assert.equal(f.fixes[0].safe, false);
    const fixed = applyEdits(text, f.fixes[0].edits).text;
    assert.equal(fixed, text + '  - name: http_proxy\n    valueFrom:\n      secretKeyRef:\n        name: corp-proxy\n        key: url\n');
    assert.deepEqual(only(lint(fixed), 'proxy/env-case'), []);
  });

  it('component-missing: the password is not copied; a secretKeyRef is proposed, not safe', () => {
    const f = one(lint(), 'proxy/component-missing');
    assert.equal(f.fixes.length, 1);
    const fix = f.fixes[0];
    assert.equal(fix.safe, false);
    assert.ok(!fix.sensitive);
    assert.match(fix.title, /create the Secret proxy-credentials first/);
    const fixed = applyEdits(SEEDED, fix.edits).text;
    assert.equal(fixed.split(PASSWORD).length - 1, 2, 'only the two original occurrences');
    assert.ok(fixed.endsWith([
      '    - name: ROBUSTA_AI', '      value: "true"',
      '    - name: HTTP_PROXY', '      valueFrom:', '        secretKeyRef:', '          name: proxy-credentials', '          key: http_proxy',
      '    - name: HTTPS_PROXY', '      valueFrom:', '        secretKeyRef:', '          name: proxy-credentials', '          key: https_proxy',
      '    - name: NO_PROXY', '      value: "localhost,127.0.0.1,.cluster.local,.svc,10.43.0.0/16,10.42.0.0/16,169.254.169.254"', '',
    ].join('\n')), fixed);
  });

  it('component-missing: valueFrom items are copied as written; an inline password becomes a reference', () => {
    const text = ['a:', '  env:', '    - name: HTTPS_PROXY', `      value: http://bob:${PASSWORD}@p:3128`, '    - name: NO_PROXY', '      valueFrom:', '        configMapKeyRef: {name: proxy, key: no-proxy}', 'b:', '  env: []', ''].join('\n');
    const f = one(lint(text), 'proxy/component-missing');
    const fixed = applyEdits(text, f.fixes[0].edits).text;
    assert.equal(f.fixes[0].safe, false);
    assert.equal(fixed.split(PASSWORD).length - 1, 1);
    assert.ok(fixed.endsWith('b:\n  env:\n    - name: HTTPS_PROXY\n      valueFrom:\n        secretKeyRef:\n          name: proxy-credentials\n          key: https_proxy\n    - name: NO_PROXY\n      valueFrom:\n        configMapKeyRef:\n          name: proxy\n          key: no-proxy\n'), fixed);
  });

  it('fix-all, the fix-all code action and safeEditsFor never apply a sensitive fix', () => {
    const findings = lint();
    const sensitive = findings.flatMap((f) => f.fixes).filter((x) => x.sensitive);
    assert.ok(sensitive.length > 0);
    // Even marked safe by mistake, a sensitive fix is skipped.
    const forced: Finding[] = findings.map((f) => ({ ...f, fixes: f.fixes.filter((x) => x.sensitive).map((x) => ({ ...x, safe: true })) }));
    assert.deepEqual(safeEditsFor(forced, VALUES), []);
    assert.equal(fixAllAction(forced, VALUES, 'file:///w/values.yaml', SEEDED), undefined);
    const { text } = fixAll(VALUES, SEEDED, lint);
    assert.equal(text.split(PASSWORD).length - 1, 2);
  });

  it('the editor still offers the sensitive fix as a quick fix, with its real text', () => {
    const f = only(lint(), 'proxy/env-case').find((x) => x.message.startsWith('Only upper-case HTTP_PROXY'))!;
    const diagnostic = { source: DIAGNOSTIC_SOURCE, message: f.message, range: f.range, data: { version: 1, fixes: f.fixes } };
    const actions = quickFixes([diagnostic as never], 'file:///w/values.yaml', 1, (p) => 'file://' + p);
    const copy = actions.find((a) => a.title === 'Add http_proxy with the same value');
    assert.ok(copy, actions.map((a) => a.title).join('\n'));
    assert.ok(JSON.stringify(copy.edit).includes(PASSWORD));
  });
});

describe('secrets: no report, hover or rewritten file shows the password', () => {
  const results = () => [{ path: VALUES, findings: lint() }];

  it('text, JSON and SARIF reports', () => {
    const text = formatText(results(), { cwd: '/w' });
    const json = formatJson(results(), { cwd: '/w' });
    const sarif = formatSarif(results(), { cwd: '/w', toolVersion: '0' });
    for (const [name, out] of [['text', text], ['json', json], ['sarif', sarif]]) assert.ok(!out.includes(PASSWORD), `${name} shows the password:\n${out}`);
    // The sensitive fix is listed, redacted, with the note.
    const report = JSON.parse(json) as { files: Array<{ diagnostics: Array<{ code: string; fixes: Array<{ title: string; edits: Array<{ newText: string }>; note?: string }> }> }> };
    const fixes = report.files[0].diagnostics.flatMap((d) => d.fixes);
    const copy = fixes.find((x) => x.title === 'Add http_proxy with the same value')!;
    assert.ok(copy, json);
    assert.equal(copy.note, 'contains a credential: apply it in the editor');
    assert.ok(copy.edits[0].newText.includes('http://alice:***@proxy.corp:3128'), copy.edits[0].newText);
    assert.match(sarif, /contains a credential: apply it in the editor/);
    assert.match(sarif, /alice:\*\*\*@proxy\.corp/);
  });

  it('the hover of the proxy variables', () => {
    const host = new MemoryHost({ [VALUES]: SEEDED, '/w/.airgap-lint.yaml': 'cluster:\n  distribution: k3s\n' });
    const service = new LanguageService(host, {});
    const lines = SEEDED.split('\n');
    for (let line = 0; line < lines.length; line++) {
      for (let character = 0; character <= lines[line].length; character += 3) {
        const h = service.hover(VALUES, { line, character });
        if (h) assert.ok(!JSON.stringify(h).includes(PASSWORD), `hover at ${line}:${character}`);
      }
    }
  });

  describe('the real CLI', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'airgap-secrets-'));
      fs.writeFileSync(nodePath.join(dir, 'values.yaml'), SEEDED);
      fs.writeFileSync(nodePath.join(dir, '.airgap-lint.yaml'), 'cluster:\n  distribution: k3s\n');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'check', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });

    for (const format of ['text', 'json', 'sarif']) {
      it(`check --format ${format}`, () => {
        const r = run(['--format', format, '.']);
        assert.ok(r.stdout.length > 0, r.stderr);
        assert.ok(!r.stdout.includes(PASSWORD), r.stdout);
        assert.ok(!r.stderr.includes(PASSWORD), r.stderr);
        if (format !== 'text') assert.match(r.stdout, /proxy\/component-missing/);
      });
    }

    it('check --fix does not spread the password to another env set', () => {
      const r = run(['--fix', '.']);
      assert.ok(!r.stdout.includes(PASSWORD) && !r.stderr.includes(PASSWORD), r.stdout + r.stderr);
      const after = fs.readFileSync(nodePath.join(dir, 'values.yaml'), 'utf8');
      assert.equal(after.split(PASSWORD).length - 1, 2, after);
      assert.ok(!after.slice(after.indexOf('holmes:')).includes(PASSWORD), after);
    });
  });
});
