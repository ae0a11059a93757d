import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import configSchema from '../schemas/airgap-lint.schema.json';
import { Engine } from '../server/src/engine/lint';
import { isValuesFile, resolveConfig } from '../server/src/engine/config';
import { builtInValidator } from '../server/src/engine/schema/compile';
import { MemoryHost, findingText, prng, range } from './helpers';

describe('config', () => {
  it('finds .airgap-lint.yaml in the nearest ancestor and fills in the distribution preset', () => {
    const host = new MemoryHost({
      '/repo/.airgap-lint.yaml': 'cluster:\n  distribution: openshift\nmirror:\n  registry: harbor.corp:5000\n',
      '/repo/charts/app/values.yaml': 'a: 1\n',
    });
    const config = resolveConfig('/repo/charts/app', host);
    assert.equal(config.configPath, '/repo/.airgap-lint.yaml');
    assert.deepEqual(config.cluster.podCIDR, ['10.128.0.0/14']);
    assert.deepEqual(config.cluster.serviceCIDR, ['172.30.0.0/16']);
    assert.equal(config.cluster.apiServerIP, '172.30.0.1');
    assert.equal(config.cluster.known, true);
    assert.equal(config.mirror.registry, 'harbor.corp:5000');
    assert.deepEqual(config.runtimes, ['go', 'python', 'curl']);
    assert.equal(config.problems.length, 0);
  });

  it('lets explicit values win over the preset and the file win over settings', () => {
    const host = new MemoryHost({
      '/r/.airgap-lint.yaml': 'cluster:\n  distribution: gke\n  podCIDR: [10.8.0.0/14, 10.12.0.0/14]\nruntimes: [node]\n',
    });
    const config = resolveConfig('/r', host, {
      cluster: { distribution: 'k3s', cloud: 'none' },
      mirror: { registry: 'from-settings.example' },
      rules: { 'yaml/duplicate-key': 'warning' },
    });
    assert.equal(config.cluster.distribution, 'gke');
    assert.deepEqual(config.cluster.podCIDR, ['10.8.0.0/14', '10.12.0.0/14']);
    assert.deepEqual(config.cluster.serviceCIDR, ['34.118.224.0/20']);
    assert.equal(config.cluster.cloud, 'none', 'settings fill in what the file does not set');
    assert.equal(config.mirror.registry, 'from-settings.example');
    assert.deepEqual(config.runtimes, ['node']);
    assert.equal(config.runtimesExplicit, true);
    assert.equal(config.rules['yaml/duplicate-key'], 'warning');
  });

  it('does not keep the preset apiserver IP when the service CIDR is overridden', () => {
    const host = new MemoryHost({ '/e/.airgap-lint.yaml': 'cluster:\n  distribution: eks\n  serviceCIDR: 172.20.0.0/16\n' });
    const config = resolveConfig('/e', host);
    assert.deepEqual(config.cluster.serviceCIDR, ['172.20.0.0/16']);
    assert.equal(config.cluster.apiServerIP, undefined, 'derived from the service CIDR by the proxy rules');
    const plain = resolveConfig('/e2', new MemoryHost({ '/e2/.airgap-lint.yaml': 'cluster:\n  distribution: eks\n' }));
    assert.equal(plain.cluster.apiServerIP, '10.100.0.1');
  });

  it('without any profile the cluster is unknown', () => {
    const config = resolveConfig('/nothing', new MemoryHost());
    assert.equal(config.configPath, undefined);
    assert.equal(config.cluster.known, false);
    assert.equal(config.cluster.clusterDomain, 'cluster.local');
  });

  it('reports config/invalid with ranges on the offending key or value, and keeps the valid parts', () => {
    const text = [
      'cluster:',
      '  distribution: gkee',
      '  podCIDR: 10.0.0.0/14',
      'mirorr:',
      '  registry: x',
      'rules:',
      '  yaml/syntax: loud',
      '',
    ].join('\n');
    const host = new MemoryHost({ '/c/.airgap-lint.yaml': text });
    const config = resolveConfig('/c', host);
    const byMessage = config.problems.map((p) => [p.code, p.range, p.message]);
    assert.deepEqual(
      byMessage.map(([code, r]) => [code, r]),
      [
        ['config/invalid', range(3, 0, 3, 6)],
        ['config/invalid', range(1, 16, 1, 20)],
        ['config/invalid', range(6, 15, 6, 19)],
      ],
    );
    assert.match(String(byMessage[0][2]), /Unknown key "mirorr"/);
    assert.match(String(byMessage[1][2]), /cluster\.distribution must be one of: eks, gke/);
    assert.deepEqual(config.cluster.podCIDR, ['10.0.0.0/14'], 'valid keys are still used');
  });

  it('reports a mirror.registry that runtimes would not read as a registry host, on its value', () => {
    // Headline, a line break, then the explanation (findingText).
    const cases: Array<[string, RegExp]> = [
      ['registry/team', /^mirror\.registry "registry\/team"\n"registry" has no "\." or ":" and is not "localhost", so container runtimes read it as a Docker Hub namespace \(docker\.io\/registry\/team\/\.\.\.\)\. Until it is fixed, image rules work as if no mirror were configured\.?$/],
      ['https://harbor.corp', /^mirror\.registry "https:\/\/harbor\.corp" has a URL scheme\nImage references name the host only \(e\.g\. harbor\.corp:5000\)\./],
      ['<mirror-registry>', /^mirror\.registry "<mirror-registry>" is an unreplaced placeholder\nSet it to your mirror's host/],
      ['harbor.corp:5000/Team', /^mirror\.registry "harbor\.corp:5000\/Team" is not a registry host with an optional path\nThe path prefix must be lowercase\./],
    ];
    for (const [value, message] of cases) {
      const text = `# the internal registry\nmirror:\n  registry: "${value}"\n  layout: nested\n`;
      const host = new MemoryHost({ '/m/.airgap-lint.yaml': text, '/m/values.yaml': 'image: nginx:1.27\n' });
      const config = resolveConfig('/m', host);
      assert.deepEqual(config.problems.map((p) => [p.code, p.range]), [['config/invalid', range(2, 12, 2, 14 + value.length)]], value);
      assert.match(findingText(config.problems[0]), message);
      // The config file itself shows it; values files get the summary finding.
      const findings = new Engine(host).lint('/m/values.yaml').findings.filter((f) => f.code === 'config/invalid');
      assert.equal(findings.length, 1);
      assert.match(findings[0].message, /has 1 problem\(s\)/);
    }
    for (const good of ['harbor.corp:5000', 'harbor.corp/project/sub', 'localhost:5000', '10.0.0.5:5000']) {
      const host = new MemoryHost({ '/g/.airgap-lint.yaml': `mirror:\n  registry: ${good}\n` });
      assert.deepEqual(resolveConfig('/g', host).problems, [], good);
    }
  });

  it('lints the config file itself and flags a broken config on values files', () => {
    const host = new MemoryHost({
      '/p/.airgap-lint.yaml': 'runtimes: [go, rust]\n',
      '/p/values.yaml': 'a: 1\n',
    });
    const engine = new Engine(host);
    const own = engine.lint('/p/.airgap-lint.yaml').findings;
    assert.equal(own.length, 1);
    assert.equal(own[0].code, 'config/invalid');
    assert.deepEqual(own[0].range, range(0, 15, 0, 19));
    const values = engine.lint('/p/values.yaml').findings;
    assert.equal(values.length, 1);
    assert.equal(values[0].code, 'config/invalid');
    assert.equal(values[0].related?.[0].path, '/p/.airgap-lint.yaml');
  });

  it('applies rule severities and off from the config', () => {
    const host = new MemoryHost({
      '/s/.airgap-lint.yaml': 'rules:\n  yaml/duplicate-key: warning\n',
      '/s/values.yaml': 'a: 1\na: 2\nb: [\n',
      // unquoted `off` is boolean false in YAML 1.1 (as Helm users write it): still means off
      '/t/.airgap-lint.yaml': 'rules:\n  yaml/duplicate-key: off\n',
      '/t/values.yaml': 'a: 1\na: 2\n',
    });
    const engine = new Engine(host);
    const s = engine.lint('/s/values.yaml').findings;
    assert.deepEqual(
      s.map((f) => [f.code, f.severity]),
      [
        ['yaml/duplicate-key', 'warning'],
        ['yaml/syntax', 'error'],
      ],
    );
    assert.deepEqual(engine.lint('/t/values.yaml').findings, []);
  });

  it('checks config files with the schema interpreter, which gives exactly the errors ajv gives', () => {
    const interpreted = builtInValidator(configSchema, '/airgap-lint/schemas/airgap-lint.schema.json');
    assert.ok(interpreted, 'the interpreter refused the config schema');
    const ajv = new Ajv({ allErrors: true, strict: false }).compile(configSchema);
    const shape = (errors: ErrorObject[] | null | undefined) =>
      (errors ?? []).map((e) => ({ instancePath: e.instancePath, schemaPath: e.schemaPath, keyword: e.keyword, params: e.params, message: e.message }));
    const root = nodePath.join(__dirname, '..');
    const configs = ['examples', 'test/fixtures/lsp/configured', 'test/fixtures/lsp/images', 'test/fixtures/lsp/mirrored', 'test/fixtures/lsp/proxied', 'test/fixtures/cli/badconfig', 'test/e2e/fixtures/workspace', 'test/e2e/fixtures/workspace/site'].map(
      (dir) => parseYaml(fs.readFileSync(nodePath.join(root, dir, '.airgap-lint.yaml'), 'utf8')) as unknown,
    );
    // Seeded mutations: any value replaced by one of the wrong kinds users write, keys added.
    const wrong: unknown[] = ['', 'x', 'k3s', '10.0.0.0/8', 'not a cidr', -1, 0, 3.5, true, null, [], ['a', 1], {}, { unknown: 1 }, 'error', 'off'];
    const rnd = prng(1121);
    const mutate = (v: unknown, depth: number): unknown => {
      if (rnd() < 0.12 || depth > 5) return wrong[Math.floor(rnd() * wrong.length)];
      if (Array.isArray(v)) return v.map((x) => mutate(x, depth + 1));
      if (v && typeof v === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[k] = mutate(x, depth + 1);
        if (rnd() < 0.1) out[`extra${Math.floor(rnd() * 3)}`] = 1;
        return out;
      }
      return v;
    };
    let invalid = 0;
    for (let i = 0; i < 600; i++) {
      const config = i < configs.length ? configs[i] : mutate(configs[i % configs.length], 0);
      const a: boolean = ajv(config) as boolean;
      const b: boolean = interpreted(config) as boolean;
      assert.equal(b, a, `valid? ${JSON.stringify(config)}`);
      assert.deepEqual(shape(interpreted.errors), shape(ajv.errors), JSON.stringify(config));
      if (!a) invalid++;
    }
    assert.ok(invalid > 300, `only ${invalid} invalid configs`);
  });

  it('matches the default values file patterns and nothing else', () => {
    for (const yes of ['values.yaml', 'values-airgap.yaml', 'values.prod.yml', 'prod-values.yaml', '/a/b/values-ocp.yml'])
      assert.ok(isValuesFile(yes), yes);
    for (const no of ['deployment.yaml', 'Chart.yaml', 'values.json', 'myvalues.yaml', 'values-x.txt'])
      assert.ok(!isValuesFile(no), no);
  });
});
