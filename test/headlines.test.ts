// Every finding's headline fits the Problems panel and says what to do; the why is in its
// detail, related information or the rule's documentation. Checked over every values file the
// repository has (fixtures, corpus, examples, each with its own configuration) and in-memory
// cases for the rules no file on disk triggers, so that every rule of the catalog is seen.
import * as assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import * as nodePath from 'node:path';
import { DiskHost, Engine, allRules, ruleDocsUrl, type Finding } from '../server/src/engine';
import type { ConfigInput } from '../server/src/engine/config';
import { HEADLINE_MAX } from '../server/src/engine/wording';
import { toDiagnostic } from '../server/src/lsp/diagnostics';
import { FIXTURES, MemoryHost, REPO } from './helpers';

const VALUES_FILE = /(^|[-.])values([-.][\w.-]+)?\.ya?ml$|^values\.ya?ml$/;

function valuesFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = nodePath.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...valuesFilesUnder(p));
    else if (VALUES_FILE.test(name)) out.push(p);
  }
  return out;
}

/** In-memory values files for rules that no file on disk triggers. */
const CASES: Array<{ name: string; files: Record<string, string>; lint: string; settings?: ConfigInput }> = [
  {
    name: 'NO_PROXY wildcards, redundancy, differing env sets and broken proxy URLs',
    lint: 'values.yaml',
    settings: { cluster: { distribution: 'k3s' } },
    files: {
      'values.yaml': [
        'agent:',
        '  env:',
        '    - name: HTTPS_PROXY',
        '      value: "socks4://proxy.corp.example"',
        '    - name: NO_PROXY',
        '      value: "*,.svc,localhost,localhost,.local,.cluster.local,10.42.0.0/16,10.43.0.0/16,127.0.0.1"',
        'collector:',
        '  env:',
        '    - name: HTTPS_PROXY',
        '      value: "http://<your-proxy>:3128"',
        '    - name: NO_PROXY',
        '      value: "*"',
        'shipper:',
        '  env:',
        '    - name: HTTPS_PROXY',
        '      value: "proxy.corp.example:99999"',
        '    - name: NO_PROXY',
        '      value: ".cluster.local 10.42.0.0/16"',
        '',
      ].join('\n'),
    },
  },
  {
    name: 'images: invalid reference, digest required, an overridden registry, a private mirror without pull secrets',
    lint: 'values.yaml',
    settings: { mirror: { registry: 'harbor.corp:5000', digestsOnly: true } },
    files: {
      'values.yaml': [
        'global:',
        '  imageRegistry: harbor.corp:5000',
        'image:',
        '  registry: docker.io',
        '  repository: bitnami/postgresql',
        '  tag: 17.6.0',
        'broken:',
        '  image: "registry.corp/Team/App:1.0"',
        '',
      ].join('\n'),
    },
  },
  {
    name: 'a schema with too many errors, an unusable schema and an unreadable layer',
    lint: 'values-prod.yaml',
    settings: { layers: [['values-gone.yaml', 'values-prod.yaml']] },
    files: {
      'Chart.yaml': 'name: many-errors\n',
      'values.schema.json': JSON.stringify({ type: 'object', properties: { n: { type: 'integer' } }, additionalProperties: false }),
      'values-prod.yaml': Array.from({ length: 130 }, (_, i) => `extraKey${i}: ${i}\n`).join(''),
    },
  },
  {
    name: 'an unusable schema',
    lint: 'values.yaml',
    files: { 'Chart.yaml': 'name: broken-schema\n', 'values.schema.json': '{ "type": ', 'values.yaml': 'a: 1\n' },
  },
  {
    name: 'a chart proxy key with no NO_PROXY knob',
    lint: 'values.yaml',
    settings: { schemas: [{ path: '/mem/a-chart-proxy-key-with-no-NO_PROXY-knob/acme.schema.json' }], cluster: { distribution: 'eks' } },
    files: {
      'Chart.yaml': 'name: acme\n',
      'values.yaml': 'global:\n  proxy:\n    url: http://proxy.corp.example:3128\n',
      'acme.schema.json': JSON.stringify({
        'x-airgap-chart': { name: 'acme' },
        properties: { global: { properties: { proxy: { properties: { url: { 'x-airgap': { proxy: { role: 'both', renderedAs: ['HTTPS_PROXY', 'HTTP_PROXY'], noProxy: null, components: ['agent'] }, source: 'acme docs, Proxy' } } } } } } },
      }),
    },
  },
  {
    name: 'YAML that does not parse',
    lint: 'values.yaml',
    files: { 'values.yaml': 'a: [1, 2\nb: {c: d: e}\n' },
  },
];

function checkFinding(f: Finding, where: string): void {
  const what = `${f.code} in ${where}: ${f.message}`;
  assert.ok(f.message.length > 0, `${what}: an empty headline`);
  assert.ok(f.message.length <= HEADLINE_MAX, `${what}: the headline has ${f.message.length} characters (at most ${HEADLINE_MAX})`);
  assert.ok(!/\r|\n/.test(f.message), `${what}: the headline spans lines`);
  for (const [field, text] of [
    ['headline', f.message],
    ['detail', f.detail ?? ''],
    ...(f.related ?? []).map((r) => ['related', r.message] as const),
  ] as const) {
    assert.ok(!text.includes('`'), `${what}: a backtick in the ${field}: ${text}`);
    assert.ok(!/\)\s*\(/.test(text) && !/\(\(/.test(text), `${what}: doubled parentheses in the ${field}: ${text}`);
  }
  // The why is somewhere a user finds it: the detail, related rows, or the rule's page.
  assert.ok(f.detail || f.related?.length || ruleDocsUrl(f.code).includes('#'), `${what}: no explanation anywhere`);
}

describe('headlines of every rule', function () {
  this.timeout(120_000);

  it('every finding on the fixtures, corpus and examples has a short plain headline, and its detail says why', () => {
    const seen = new Set<string>();
    let count = 0;
    const files = [FIXTURES, nodePath.join(REPO, 'test/corpus'), nodePath.join(REPO, 'examples')].flatMap(valuesFilesUnder);
    assert.ok(files.length > 50, `only ${files.length} values files found`);
    const engine = new Engine(new DiskHost());
    for (const file of files) {
      for (const f of engine.lint(file).findings) {
        checkFinding(f, nodePath.relative(REPO, file));
        seen.add(f.code);
        count++;
      }
    }
    for (const c of CASES) {
      const host = new MemoryHost();
      for (const [name, text] of Object.entries(c.files)) host.set(`${c.name.replace(/\W+/g, '-')}/${name}`, text);
      const path = nodePath.resolve('/mem', c.name.replace(/\W+/g, '-'), c.lint);
      for (const f of new Engine(host, { settings: c.settings ?? {} }).lint(path).findings) {
        checkFinding(f, c.name);
        seen.add(f.code);
        count++;
      }
    }
    assert.ok(count > 150, `only ${count} findings checked`);
    // Every rule of the catalog was checked at least once (schema/* stands for its keywords).
    const unseen = allRules()
      .map((r) => r.id)
      .filter((id) => (id === 'schema/*' ? ![...seen].some((s) => s.startsWith('schema/')) : !seen.has(id)));
    assert.deepEqual(unseen, [], `rules no fixture triggered: ${unseen.join(', ')}`);
  });

  it('a NO_PROXY finding names the entries to append in its headline and one related row per missed destination', () => {
    const host = new MemoryHost({
      'np/values.yaml': ['runner:', '  additional_env_vars:', '    - name: HTTPS_PROXY', '      value: http://proxy.corp.example:3128', '    - name: NO_PROXY', '      value: localhost,127.0.0.1,.svc,10.43.0.1', ''].join('\n'),
    });
    const findings = new Engine(host, { settings: { cluster: { distribution: 'k3s', cloud: 'none', extraNoProxy: ['.corp.example'] } } }).lint('/mem/np/values.yaml').findings;
    const missing = findings.find((f) => f.code === 'proxy/no-proxy-missing');
    assert.ok(missing, 'no proxy/no-proxy-missing finding');
    assert.equal(missing.message, 'NO_PROXY misses 4 destinations: append .cluster.local, 10.42.0.0/16, 10.43.0.0/16, .corp.example');
    // Anchored on the name (line 4, `NO_PROXY`), not the value, so the entries' hovers come first.
    assert.deepEqual([missing.range.start.line, missing.range.start.character, missing.range.end.character], [4, 12, 20]);
    assert.match(missing.detail ?? '', /requests to them go to the proxy/);
    assert.equal(missing.related?.length, 4);
    // The cluster domain's row sits on `.svc`, the entry that looks as if it covered it.
    const svcRow = missing.related!.find((r) => r.message.includes('cluster domain'))!;
    assert.deepEqual([svcRow.range.start.line, svcRow.range.start.character, svcRow.range.end.character], [5, 33, 37]);
    assert.match(svcRow.message, /\.svc matches only names ending in \.svc/);
    const cidrRow = missing.related!.find((r) => r.message.includes('service CIDR'))!;
    assert.match(cidrRow.message, /10\.43\.0\.1 covers one address/);
  });
});

describe('lsp adapter: headline and detail', () => {
  const finding: Finding = {
    code: 'proxy/env-case',
    severity: 'warning',
    message: 'Only upper-case HTTP_PROXY is set in extraEnv: add http_proxy with the same value',
    detail: 'curl never reads HTTP_PROXY (a guard against httpoxy) and sends http:// requests directly, past the proxy.',
    path: '/charts/app/values.yaml',
    range: { start: { line: 3, character: 4 }, end: { line: 3, character: 14 } },
    fixes: [],
    related: [{ path: '/charts/app/values.yaml', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 8 } }, message: 'extraEnv starts here' }],
  };

  it('keeps the message to the headline and puts the detail first in related information, at the finding', () => {
    const d = toDiagnostic(finding, 1, { relatedInformation: true, codeDescription: true, tags: new Set() }, (p) => `file://${p}`);
    assert.equal(d.message, finding.message);
    assert.deepEqual(
      d.relatedInformation?.map((r) => [r.message, r.location.range.start.line]),
      [
        [finding.detail, 3],
        ['extraEnv starts here', 1],
      ],
    );
  });

  it('gives a client without related information the detail below the headline', () => {
    const d = toDiagnostic(finding, 1, { relatedInformation: false, codeDescription: false, tags: new Set() }, (p) => p);
    assert.equal(d.message, `${finding.message}\n${finding.detail}`);
    assert.equal(d.relatedInformation, undefined);
  });
});
