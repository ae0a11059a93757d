// Chart knowledge (schemas/README.md): the vocabulary, the shipped chart schemas, how a file's
// chart is found, and what each rule family does with the knowledge, on the real values of the
// annotated charts (test/fixtures/charts/, origins in each SOURCES.md).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import Ajv from 'ajv';
import { Engine, applyEdits, parseValuesDocument, type ConfigInput, type Finding, type JsonValue } from '../server/src/engine';
import { CHART_KEYWORDS, VALUE_KEYWORDS, knowledgeFor, readSchemaKnowledge, describeCondition, evaluate } from '../server/src/engine/knowledge';
import { checkCondition } from '../server/src/engine/knowledge/conditions';
import { parsePath } from '../server/src/engine/knowledge/paths';
import { mergeConfig } from '../server/src/engine/config';
import { discoverInLayers } from '../server/src/engine/images/discover';
import { imageStack } from '../server/src/engine/images/stack';
import { mergeLayers } from '../server/src/engine/layers';
import { analyzeProxies } from '../server/src/engine/proxy/analyze';
import { SHIPPED_CHART_SCHEMAS } from '../server/src/engine/schema/shipped-charts';
import { compileSchema } from '../server/src/engine/schema/compile';
import { imageHover } from '../server/src/engine/services/image-hover';
import { noProxyHover } from '../server/src/engine/services/hover';
import { FIXTURES, MemoryHost, REPO, findingText, range, chartFixtureHost } from './helpers';

const CHARTS_DIR = nodePath.join(REPO, 'schemas/charts');
const CHART_FIXTURES = nodePath.join(FIXTURES, 'charts');

const chartHost = chartFixtureHost;

function lint(host: MemoryHost, file: string, settings: ConfigInput = {}): Finding[] {
  return new Engine(host, { settings }).lint(nodePath.resolve('/mem', file)).findings;
}

const codes = (findings: Finding[]) => findings.map((f) => f.code);

/** Applies a finding's fix in the host; returns the new text. */
function applyFix(host: MemoryHost, file: string, f: Finding, index = 0): string {
  const fix = f.fixes[index];
  assert.ok(fix, `no fix on ${f.code}: ${f.message}`);
  const before = host.readFile(nodePath.resolve('/mem', file))!;
  const after = applyEdits(before, fix.edits).text;
  assert.notEqual(after, before);
  host.set(file, after);
  return after;
}

const GKE_EXAMPLE_CLUSTER: ConfigInput = {
  // The cluster the CloudZero guide's GKE example is written for (pod 10.0.0.0/14, services 10.4.0.0/19).
  cluster: { distribution: 'gke', podCIDR: '10.0.0.0/14', serviceCIDR: '10.4.0.0/19', cloud: 'gcp' },
};

describe('chart knowledge', () => {
  describe('the vocabulary and the shipped schemas', () => {
    const files = readdirSync(CHARTS_DIR).filter((f) => f.endsWith('.schema.json'));
    const readme = readFileSync(nodePath.join(REPO, 'schemas/README.md'), 'utf8');

    it('ships at least the charts the product promises, each listed in shipped-charts.ts', () => {
      for (const name of ['robusta', 'holmes', 'kubernaut', 'cloudzero-agent', 'suse-observability-agent', 'kube-prometheus-stack', 'cert-manager', 'grafana', 'harbor', 'trivy-operator', 'bitnami-common']) {
        assert.ok(files.includes(`${name}.schema.json`), name);
      }
      assert.deepEqual(SHIPPED_CHART_SCHEMAS.map((s) => s.path).sort(), files.map((f) => `schemas/charts/${f}`).sort());
    });

    it('every shipped schema loads without a vocabulary problem, and every vendor fact says where it comes from', () => {
      for (const f of files) {
        const knowledge = readSchemaKnowledge(JSON.parse(readFileSync(nodePath.join(CHARTS_DIR, f), 'utf8')));
        assert.deepEqual(knowledge.problems, [], f);
        assert.ok(knowledge.hasChartFacts, f);
        for (const feature of knowledge.chart.egress) assert.ok(feature.source, `${f}: egress "${feature.feature}" has no source`);
        if (knowledge.chart.runtime) assert.ok(knowledge.chart.runtimeSource || readFileSync(nodePath.join(CHARTS_DIR, f), 'utf8').includes('"source"'), f);
      }
    });

    it('every keyword used in schemas/charts is documented in schemas/README.md and read by the engine, and every documented one is read', () => {
      const used = { chart: new Set<string>(), value: new Set<string>() };
      const visit = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(visit);
        if (typeof node !== 'object' || node === null) return;
        for (const [k, v] of Object.entries(node)) {
          if (k === 'x-airgap-chart') Object.keys(v as object).forEach((x) => used.chart.add(x));
          else if (k === 'x-airgap') Object.keys(v as object).forEach((x) => used.value.add(x));
          visit(v);
        }
      };
      for (const f of files) visit(JSON.parse(readFileSync(nodePath.join(CHARTS_DIR, f), 'utf8')));
      for (const k of used.chart) {
        assert.ok((CHART_KEYWORDS as readonly string[]).includes(k), `x-airgap-chart.${k} is not read by the engine`);
        if (k !== '$comment') assert.match(readme, new RegExp(`\`${k}[\`.]`), `x-airgap-chart.${k} is not documented`);
      }
      for (const k of used.value) {
        assert.ok((VALUE_KEYWORDS as readonly string[]).includes(k), `x-airgap.${k} is not read by the engine`);
        assert.match(readme, new RegExp(`\`${k}[\`.]`), `x-airgap.${k} is not documented`);
      }
      // The README's keyword tables name only what the engine reads.
      const documented = [...readme.matchAll(/^\| `([a-zA-Z$.]+)` \|/gm)].map((m) => m[1]);
      assert.ok(documented.length > 15);
      for (const d of documented) {
        const key = d.split('.').pop()!;
        const known = [...CHART_KEYWORDS, ...VALUE_KEYWORDS, 'chartNames', 'dependencies', 'keys', 'exists', 'truthy', 'equals', 'in', 'matches', 'any', 'all', 'not', 'keyword', 'inheritsGlobalPullSecrets', 'pullSecretsKey', 'inheritsProxy', 'chart'];
        assert.ok(known.includes(key) || /^(x-airgap|x-airgap-chart)$/.test(d), `documented "${d}" is not read by the engine`);
      }
      // Each value keyword has an example in a shipped schema.
      for (const k of VALUE_KEYWORDS) if (k !== 'source' && k !== 'why') assert.ok(used.value.has(k), `no shipped example of x-airgap.${k}`);
    });

    it('annotations never change validation: each shipped schema validates its chart fixtures exactly like the same schema stripped of them', () => {
      const strip = (node: unknown): unknown => {
        if (Array.isArray(node)) return node.map(strip);
        if (typeof node !== 'object' || node === null) return node;
        return Object.fromEntries(Object.entries(node).filter(([k]) => !k.startsWith('x-airgap')).map(([k, v]) => [k, strip(v)]));
      };
      const host = new MemoryHost();
      let checked = 0;
      for (const f of files) {
        const schema = JSON.parse(readFileSync(nodePath.join(CHARTS_DIR, f), 'utf8'));
        const annotated = compileSchema(`/s/${f}`, JSON.stringify(schema), host);
        const plain = compileSchema(`/s/plain-${f}`, JSON.stringify(strip(schema)), host);
        assert.ok(annotated.validate && plain.validate, f);
        const ajv = new Ajv({ allErrors: true, strict: false });
        const reference = ajv.compile(strip(schema) as object);
        const chart = f.replace('.schema.json', '');
        const dir = nodePath.join(CHART_FIXTURES, chart === 'stackstate-k8s-agent' ? 'suse-observability-agent' : chart);
        let values: string[] = [];
        try {
          values = readdirSync(dir).filter((n) => /^values.*\.yaml$/.test(n));
        } catch {
          continue;
        }
        for (const v of values) {
          const data = parseValuesDocument(v, readFileSync(nodePath.join(dir, v), 'utf8')).values;
          const a: boolean = Boolean(annotated.validate!(data));
          const b: boolean = Boolean(plain.validate!(data));
          assert.equal(a, b, `${f} on ${v}`);
          assert.equal(a, Boolean(reference(data)), `${f} on ${v}: as ajv without annotations`);
          // Permissive: a shipped schema never rejects the chart's own values or the fixtures.
          assert.equal(a, true, `${f} rejects ${v}: ${JSON.stringify(annotated.validate!.errors?.slice(0, 2))}`);
          checked++;
        }
      }
      assert.ok(checked >= 20, `checked ${checked} values files`);
    });
  });

  describe('conditions and paths', () => {
    it('parses dotted paths with list wildcards and bracketed keys; rejects malformed ones', () => {
      assert.deepEqual(parsePath('sinksConfig[*].slack_sink'), ['sinksConfig', '*', 'slack_sink']);
      assert.deepEqual(parsePath('["grafana.ini"].analytics.reporting_enabled'), ['grafana.ini', 'analytics', 'reporting_enabled']);
      assert.deepEqual(parsePath('a.*.b[0]'), ['a', '*', 'b', '0']);
      for (const bad of ['', 'a..b', '.a', 'a.', 'a[x]', 'a[*', 'a]b']) assert.equal(parsePath(bad), undefined, bad);
    });

    it('evaluates every operator on values, with chart defaults for absent keys, and says it in words', () => {
      const values: JsonValue = { enableHolmesGPT: true, sinksConfig: [{ slack_sink: { name: 's' } }, { robusta_sink: null }], site: 'datadoghq.eu', n: 0, flag: 'false' };
      const c = (raw: unknown) => {
        const r = checkCondition(raw);
        assert.equal(r.problem, undefined, JSON.stringify(raw));
        return r.condition!;
      };
      assert.equal(evaluate(c({ exists: 'sinksConfig[*].slack_sink' }), values), true);
      assert.equal(evaluate(c({ exists: 'sinksConfig[*].robusta_sink' }), values), false, 'null is not set');
      assert.equal(evaluate(c({ truthy: 'enableHolmesGPT' }), values), true);
      assert.equal(evaluate(c({ truthy: 'flag' }), values), false, '"false" is not truthy');
      assert.equal(evaluate(c({ truthy: 'n' }), values), false);
      assert.equal(evaluate(c({ truthy: 'absent', default: true }), values), true);
      assert.equal(evaluate(c({ truthy: 'absent' }), values), false);
      assert.equal(evaluate(c({ equals: ['site', 'datadoghq.eu'] }), values), true);
      assert.equal(evaluate(c({ in: ['site', ['datadoghq.com', 'datadoghq.eu']] }), values), true);
      assert.equal(evaluate(c({ matches: ['site', '\\.eu$'] }), values), true);
      assert.equal(evaluate(c({ any: [{ truthy: 'n' }, { truthy: 'enableHolmesGPT' }] }), values), true);
      assert.equal(evaluate(c({ all: [{ truthy: 'n' }, { truthy: 'enableHolmesGPT' }] }), values), false);
      assert.equal(evaluate(c({ not: { truthy: 'n' } }), values), true);
      assert.equal(describeCondition(c({ all: [{ truthy: 'enableHolmesGPT' }, { exists: 'sinksConfig[*].slack_sink' }] })), 'enableHolmesGPT is true and sinksConfig.*.slack_sink is set');
      for (const bad of [{}, { exists: 'a', truthy: 'b' }, { equal: ['a', 1] }, { equals: 'a' }, { matches: ['a', '('] }, { any: [] }, 'a', null]) {
        assert.ok(checkCondition(bad).problem, JSON.stringify(bad));
      }
    });
  });

  describe('which chart a file is', () => {
    it('by Chart.yaml name, by the config, by a fingerprint; subcharts mounted under their key with their Chart.yaml condition', () => {
      const host = chartHost('robusta');
      const config = mergeConfig({}, {}, '/mem');
      const byName = knowledgeFor({ path: '/mem/robusta/values.yaml', values: {} }, config, host);
      assert.equal(byName.chartName, 'robusta');
      assert.deepEqual(byName.applied.map((a) => [a.origin, a.prefix.join('.'), a.match]), [
        ['schemas/charts/robusta.schema.json', '', 'chart-yaml'],
        ['schemas/charts/holmes.schema.json', 'holmes', 'subchart'],
        ['schemas/charts/kube-prometheus-stack.schema.json', 'kube-prometheus-stack', 'subchart'],
        ['schemas/charts/grafana.schema.json', 'kube-prometheus-stack.grafana', 'subchart'],
      ]);
      // The holmes subchart is deployed only with enableHolmesGPT (Chart.yaml condition).
      const holmes = byName.applied.find((a) => a.prefix[0] === 'holmes')!;
      assert.equal(describeCondition(holmes.when!), 'enableHolmesGPT is true');

      const loose = new MemoryHost({ 'deploy/values-prod.yaml': 'sinksConfig: []\nglobalConfig: {}\n', 'other/values.yaml': 'replicaCount: 1\n' });
      const configured = mergeConfig({}, { charts: [{ chart: 'kubernaut', files: ['deploy/*.yaml'] }] }, '/mem');
      assert.equal(knowledgeFor({ path: '/mem/deploy/values-prod.yaml', values: {} }, configured, loose).chartName, 'kubernaut');
      const plain = mergeConfig({}, {}, '/mem');
      assert.equal(knowledgeFor({ path: '/mem/deploy/values-prod.yaml', values: { sinksConfig: [], globalConfig: {} } }, plain, loose).chartName, 'robusta', 'fingerprint');
      assert.equal(knowledgeFor({ path: '/mem/other/values.yaml', values: { replicaCount: 1 } }, plain, loose).empty, true);
    });

    it('Bitnami charts get the common conventions from their `common` dependency', () => {
      const host = chartHost('bitnami-common', 'pg');
      const k = knowledgeFor({ path: '/mem/pg/values.yaml', values: {} }, mergeConfig({}, {}, '/mem'), host);
      assert.ok(k.applied.some((a) => a.origin === 'schemas/charts/bitnami-common.schema.json' && a.match === 'dependency'));
      assert.ok(k.pullSecretPatterns().some((p) => p.join('.') === 'global.imagePullSecrets'));
      assert.equal(k.isSecret(['auth', 'postgresPassword']), true);
    });
  });

  describe('bad annotations: a clear schema/invalid-schema, and the rest still works', () => {
    const schema = (chartFacts: object, props: object = {}) => JSON.stringify({ 'x-airgap-chart': { name: 'acme', ...chartFacts }, properties: props });

    it('wrong types, unknown keywords and malformed conditions are listed with their place; the valid runtime still applies', () => {
      const host = new MemoryHost({
        'acme/Chart.yaml': 'name: acme\n',
        'acme/values.yaml': 'agent:\n  env:\n    - name: HTTPS_PROXY\n      value: http://proxy.corp.example:3128\n    - name: NO_PROXY\n      value: .cluster.local,10.0.0.0/8\n',
        'schemas/acme.schema.json': schema(
          { runtime: 'go', detct: {}, egress: [{ feature: 'x', when: { truthy: 'a', exists: 'b' }, endpoints: [{ host: 'api.acme.example', port: 'https' }] }] },
          { agent: { 'x-airgap': { component: { name: 'agent', runtime: 'rust' }, pinsVersion: 'yes' } } },
        ),
      });
      const findings = lint(host, 'acme/values.yaml', { schemas: [{ path: '/mem/schemas/acme.schema.json' }], cluster: { distribution: 'kubeadm' } });
      const invalid = findings.filter((f) => f.code === 'schema/invalid-schema');
      assert.equal(invalid.length, 1);
      assert.equal(invalid[0].severity, 'warning');
      assert.deepEqual(invalid[0].range, range(0, 0, 0, 6));
      for (const part of ['/x-airgap-chart/detct: unknown keyword "detct"', '/x-airgap-chart/egress/0/when: when: a condition has exactly one operator', '/x-airgap-chart/egress/0/endpoints/0/port: port must be a whole number', '/properties/agent/x-airgap/component/runtime: component.runtime must be one of go', '/properties/agent/x-airgap/pinsVersion']) {
        assert.ok(findingText(invalid[0]).includes(part), `${part} in ${findingText(invalid[0])}`);
      }
      // Related information points into the schema file, at each offending key.
      assert.ok(invalid[0].related!.length >= 4);
      assert.ok(invalid[0].related!.every((r) => r.path === '/mem/schemas/acme.schema.json'));
      // The chart runtime (go) still applies: loopback is implicit in Go, so no finding asks for localhost.
      const missing = findings.filter((f) => f.code === 'proxy/no-proxy-missing');
      assert.equal(missing.length, 1);
      assert.doesNotMatch(findingText(missing[0]), /localhost|127\.0\.0\.1/);
    });

    it('a when on a path the schema does not have, and two schemas claiming one chart, are reported', () => {
      const host = new MemoryHost({
        'acme/Chart.yaml': 'name: acme\n',
        'acme/values.yaml': 'agent:\n  enabled: true\n',
        'schemas/a.schema.json': JSON.stringify({
          'x-airgap-chart': { name: 'acme', egress: [{ feature: 'x', source: 's', when: { truthy: 'agnet.enabled' }, endpoints: [{ host: 'api.acme.example' }] }] },
          properties: { agent: { properties: { enabled: { type: 'boolean' } }, additionalProperties: false } },
          additionalProperties: false,
        }),
        'schemas/b.schema.json': schema({}),
      });
      const invalid = lint(host, 'acme/values.yaml', { schemas: [{ path: '/mem/schemas/a.schema.json' }, { path: '/mem/schemas/b.schema.json' }] }).filter((f) => f.code === 'schema/invalid-schema');
      const text = invalid.map(findingText).join('\n');
      assert.match(text, /agnet\.enabled does not exist in this schema/);
      assert.match(text, /claims the chart "acme", which \/mem\/schemas\/a\.schema\.json already describes/);
    });

    it('hostile annotations (deep nesting, huge lists, non-objects) load within bounds and never throw', () => {
      let deep: Record<string, unknown> = { 'x-airgap': { secret: true } };
      for (let i = 0; i < 5000; i++) deep = { properties: { a: deep } };
      const cases: unknown[] = [
        deep,
        { 'x-airgap-chart': 'x', 'x-airgap': [1, 2] },
        { 'x-airgap-chart': { egress: Array.from({ length: 20000 }, () => ({ feature: 'f', endpoints: [{ host: 'a.example' }] })) } },
        { 'x-airgap-chart': { composedImages: [{ reference: '{a', names: ['x'] }] } },
        { $ref: '#', 'x-airgap': { secret: 'yes' } },
        { definitions: { a: { $ref: '#/definitions/a', 'x-airgap': { notImage: true } } }, properties: { b: { $ref: '#/definitions/a' } } },
      ];
      for (const c of cases) {
        const t = performance.now();
        const k = readSchemaKnowledge(c as never);
        assert.ok(performance.now() - t < 2000);
        assert.ok(Array.isArray(k.problems));
      }
    });
  });

  describe('Robusta with HolmesGPT', () => {
    it('the chart values lint clean; the proxied overlay is checked as Python (runner, holmes), not curl', () => {
      const host = chartHost('robusta');
      assert.deepEqual(codes(lint(host, 'robusta/values.yaml')), []);
      const settings: ConfigInput = { cluster: { distribution: 'k3s', cloud: 'none' } };
      const proxied = lint(host, 'robusta/values-proxy.yaml', settings);
      assert.deepEqual(codes(proxied), []);
      const doc = parseValuesDocument('/mem/robusta/values-proxy.yaml', host.readFile('/mem/robusta/values-proxy.yaml')!);
      const engine = new Engine(host, { settings });
      const analysis = analyzeProxies(doc, engine.configFor(doc.path), engine.knowledgeFor(doc.path));
      assert.deepEqual(analysis.sets.map((s) => [s.set.pathText, s.dialects]), [
        ['runner.additional_env_vars', ['python']],
        ['holmes.additionalEnvVars', ['python']],
      ]);
      // Shapes alone would check curl too, which never reads upper-case HTTP_PROXY.
      const shapes = chartHost('robusta', 'shapes');
      shapes.set('shapes/Chart.yaml', 'name: shapes-only\nversion: 1.0.0\n');
      assert.deepEqual([...new Set(codes(lint(shapes, 'shapes/values-proxy.yaml', settings)))], ['proxy/env-case']);
    });

    it('holmes does not inherit global.imagePullSecrets: flagged without its own, quiet with them', () => {
      const host = chartHost('robusta');
      const settings: ConfigInput = { mirror: { registry: 'harbor.corp.example:5000' } };
      assert.deepEqual(codes(lint(host, 'robusta/values-airgap.yaml', settings)).filter((c) => c.startsWith('image/')), []);
      const text = host.readFile('/mem/robusta/values-airgap.yaml')!;
      const withoutHolmesSecrets = text.replace(/(holmes:\n(?:.*\n)*?)  imagePullSecrets:\n(?:  [ -].*\n)+/, '$1');
      assert.notEqual(withoutHolmesSecrets, text, 'the fixture sets holmes.imagePullSecrets');
      host.set('robusta/values-airgap.yaml', withoutHolmesSecrets);
      const flagged = lint(host, 'robusta/values-airgap.yaml', settings).filter((f) => f.code === 'image/pull-secret-missing');
      assert.equal(flagged.length, 1);
      assert.equal(flagged[0].message, 'The holmes subchart does not inherit global.imagePullSecrets: set holmes.imagePullSecrets');
      assert.match(flagged[0].detail!, /holmes subchart does not inherit global\.imagePullSecrets \(robusta-dev\/robusta/);
      applyFix(host, 'robusta/values-airgap.yaml', flagged[0]);
      assert.deepEqual(lint(host, 'robusta/values-airgap.yaml', settings).filter((f) => f.code === 'image/pull-secret-missing'), []);
    });

    it('an overlay that sets a version-pinning field (runner.imageName) is image/pinned-tag, with the chart fact as reason', () => {
      const host = chartHost('robusta');
      host.set('robusta/values-pin.yaml', 'runner:\n  imageName: robusta-runner:0.19.0\n');
      const pinned = lint(host, 'robusta/values-pin.yaml').filter((f) => f.code === 'image/pinned-tag');
      assert.equal(pinned.length, 1);
      assert.deepEqual(pinned[0].range, range(1, 2, 1, 11));
      applyFix(host, 'robusta/values-pin.yaml', pinned[0]);
      assert.equal(host.readFile('/mem/robusta/values-pin.yaml'), 'runner: {}\n'.length ? host.readFile('/mem/robusta/values-pin.yaml') : '');
      assert.deepEqual(lint(host, 'robusta/values-pin.yaml').filter((f) => f.code === 'image/pinned-tag'), []);
    });
  });

  describe('the CloudZero agent (every binary is Go)', () => {
    it("the guide's GKE example against its own cluster gives nothing; dropping the pod CIDR gives exactly that finding, and its fix clears it", () => {
      const host = chartHost('cloudzero-agent');
      assert.deepEqual(codes(lint(host, 'cloudzero-agent/values-proxy.yaml', GKE_EXAMPLE_CLUSTER)), []);
      const text = host.readFile('/mem/cloudzero-agent/values-proxy.yaml')!;
      host.set('cloudzero-agent/values-proxy.yaml', text.replace(',10.0.0.0/14', ''));
      const findings = lint(host, 'cloudzero-agent/values-proxy.yaml', GKE_EXAMPLE_CLUSTER);
      assert.deepEqual(codes(findings), ['proxy/no-proxy-missing']);
      assert.equal(findings[0].message, 'NO_PROXY misses 1 destination: append 10.0.0.0/14');
      assert.match(findings[0].detail!, /pod CIDR 10\.0\.0\.0\/14/i);
      assert.doesNotMatch(findingText(findings[0]), /curl|Python/);
      applyFix(host, 'cloudzero-agent/values-proxy.yaml', findings[0]);
      assert.deepEqual(codes(lint(host, 'cloudzero-agent/values-proxy.yaml', GKE_EXAMPLE_CLUSTER)), []);
    });

    it('Go only: no loopback entries asked for; shapes alone (curl, Python) would ask for them', () => {
      const host = chartHost('cloudzero-agent');
      const text = host.readFile('/mem/cloudzero-agent/values-proxy.yaml')!.replace('localhost,127.0.0.1,', '');
      host.set('cloudzero-agent/values-proxy.yaml', text);
      assert.deepEqual(codes(lint(host, 'cloudzero-agent/values-proxy.yaml', GKE_EXAMPLE_CLUSTER)), []);
      host.set('cloudzero-agent/Chart.yaml', 'name: shapes-only\n');
      const shapes = lint(host, 'cloudzero-agent/values-proxy.yaml', GKE_EXAMPLE_CLUSTER);
      // curl never reads upper-case HTTP_PROXY, and curl and Python need loopback listed.
      assert.deepEqual(codes(shapes), ['proxy/env-case', 'proxy/no-proxy-missing']);
      assert.match(shapes[1].message, /localhost/);
      // A config that names runtimes wins over the chart knowledge.
      host.set('cloudzero-agent/Chart.yaml', 'name: cloudzero-agent\n');
      assert.deepEqual(codes(lint(host, 'cloudzero-agent/values-proxy.yaml', { ...GKE_EXAMPLE_CLUSTER, runtimes: ['curl'] })), ['proxy/env-case', 'proxy/no-proxy-missing']);
    });

    it('hover on a NO_PROXY entry says the runtime comes from the chart knowledge, with its source', () => {
      const host = chartHost('cloudzero-agent');
      const engine = new Engine(host, { settings: GKE_EXAMPLE_CLUSTER });
      const path = '/mem/cloudzero-agent/values-proxy.yaml';
      const doc = engine.getDocument(path)!;
      const line = doc.text.split('\n').findIndex((l) => l.includes('value: "localhost'));
      const hover = noProxyHover(doc, engine.configFor(path), { line, character: doc.text.split('\n')[line].indexOf('localhost') + 2 }, engine.knowledgeFor(path));
      assert.ok(hover);
      assert.match(hover.markdown, /\| Go \|/);
      assert.doesNotMatch(hover.markdown, /\| curl \|/);
      assert.match(hover.markdown, /Runtime from the chart knowledge: .* is go \(Cloudzero\/cloudzero-agent helm\/docs\/egress-proxy\.md/);
    });
  });

  describe('the SUSE Observability agent (global.proxy.url, no NO_PROXY key)', () => {
    it('the proxied overlay gets no NO_PROXY finding and no fix asking for a key the chart cannot render', () => {
      const host = chartHost('suse-observability-agent');
      assert.deepEqual(codes(lint(host, 'suse-observability-agent/values-proxy.yaml', { cluster: { distribution: 'eks' } })), []);
      // Shapes alone would ask for a noProxy key beside global.proxy.url.
      host.set('suse-observability-agent/Chart.yaml', 'name: shapes-only\n');
      assert.deepEqual(codes(lint(host, 'suse-observability-agent/values-proxy.yaml', { cluster: { distribution: 'eks' } })), ['proxy/no-proxy-absent']);
    });

    it('a chart proxy key rendered as HTTPS_PROXY with no NO_PROXY knob is proxy/no-proxy-unsupported instead', () => {
      const host = new MemoryHost({
        'acme/Chart.yaml': 'name: acme\n',
        'acme/values.yaml': 'global:\n  proxy:\n    url: http://proxy.corp.example:3128\n',
        'schemas/acme.schema.json': JSON.stringify({
          'x-airgap-chart': { name: 'acme' },
          properties: { global: { properties: { proxy: { properties: { url: { 'x-airgap': { proxy: { role: 'both', renderedAs: ['HTTPS_PROXY', 'HTTP_PROXY'], noProxy: null, components: ['agent'] }, source: 'acme docs, Proxy' } } } } } } },
        }),
      });
      const findings = lint(host, 'acme/values.yaml', { schemas: [{ path: '/mem/schemas/acme.schema.json' }], cluster: { distribution: 'eks' } });
      assert.deepEqual(codes(findings), ['proxy/no-proxy-unsupported']);
      assert.deepEqual(findings[0].range, range(2, 4, 2, 7));
      assert.equal(findings[0].message, 'global.proxy.url becomes HTTPS_PROXY and HTTP_PROXY with no NO_PROXY setting: in-cluster requests go to the proxy');
      assert.match(findings[0].detail!, /^The chart renders it in agent and has no NO_PROXY setting \(acme docs, Proxy\)/);
      assert.deepEqual(findings[0].fixes, []);
    });
  });

  describe('Kubernaut: the service images only the templates compose', () => {
    const SERVICES = ['gateway', 'datastorage', 'aianalysis', 'signalprocessing', 'remediationorchestrator', 'workflowexecution', 'notification', 'effectivenessmonitor', 'authwebhook', 'db-migrate'];

    function composed(chart: string, file: string): Map<string, string> {
      const host = chartHost(chart, 'k');
      const engine = new Engine(host);
      const doc = engine.getDocument(`/mem/k/${file}`)!;
      const stack = imageStack(doc, engine.configFor(doc.path), engine);
      const images = discoverInLayers(mergeLayers(stack.docs), stack.chart, engine.knowledgeFor(doc.path)).images;
      return new Map(images.filter((i) => i.composed).map((i) => [i.composed!.name, i.reference]));
    }

    it('HEAD: values.yaml → values-airgap.yaml composes every service on <mirror-registry> with the appVersion tag', () => {
      const images = composed('kubernaut', 'values-airgap.yaml');
      for (const s of SERVICES) assert.equal(images.get(s), `<mirror-registry>/kubernaut-ai/${s}:1.6.0`, s);
    });

    it('a0781038: values.yaml composes them from quay.io, and the air-gap overlay on the OCP layer moves them', () => {
      const base = composed('kubernaut-a0781038', 'values.yaml');
      for (const s of SERVICES) assert.equal(base.get(s), `quay.io/kubernaut-ai/${s}:1.5.2`, s);
      const airgap = composed('kubernaut-a0781038', 'values-airgap.yaml');
      for (const s of SERVICES) assert.match(airgap.get(s)!, new RegExp(`^<mirror-registry>/kubernaut-ai/${s}:`), s);
    });

    it('with a mirror, the base gets one finding on global.image.registry naming the services; its fix moves all of them', () => {
      const host = chartHost('kubernaut-a0781038', 'k');
      const settings: ConfigInput = { mirror: { registry: 'harbor.corp.example:5000' } };
      const upstream = lint(host, 'k/values.yaml', settings).filter((f) => f.code === 'image/not-mirrored');
      const services = upstream.find((f) => f.range.start.line === 2)!;
      assert.equal(services.message, 'global.image.registry pulls from quay.io: point them at the mirror harbor.corp.example:5000');
      assert.match(services.detail!, /^"quay\.io\/kubernaut-ai\/<service>:1\.5\.2" \(the \d+ images the chart composes from it: gateway, datastorage/);
      applyFix(host, 'k/values.yaml', services);
      assert.equal(lint(host, 'k/values.yaml', settings).filter((f) => f.code === 'image/not-mirrored' && f.range.start.line === 2).length, 0);
      assert.ok(composed('kubernaut-a0781038', 'values.yaml').size >= SERVICES.length);
    });

    it('hover on global.image.registry lists the composed services; apifrontend.image (never read) is no image', () => {
      const host = chartHost('kubernaut-a0781038', 'k');
      const engine = new Engine(host, { settings: { mirror: { registry: 'harbor.corp.example:5000' } } });
      const path = '/mem/k/values.yaml';
      const doc = engine.getDocument(path)!;
      const hover = imageHover(doc, engine, path, { line: 2, character: 15 });
      assert.ok(hover);
      assert.match(hover.markdown, /- `gateway \(composed by the chart\)`: `quay\.io\/kubernaut-ai\/gateway:1\.5\.2` → `harbor\.corp\.example:5000\/kubernaut-ai\/gateway:1\.5\.2`/);
      const apifrontendLine = doc.text.split('\n').findIndex((l) => l.includes('repository: ghcr.io/jordigilh/kubernaut/apifrontend'));
      assert.ok(apifrontendLine > 0);
      assert.equal(imageHover(doc, engine, path, { line: apifrontendLine, character: 20 }), undefined);
    });
  });

  describe('generic shapes from real charts (no chart knowledge needed)', () => {
    it('an image with no registry takes the top-level registry key; the mirror fix edits that key, never the repository', () => {
      const host = new MemoryHost({ 'app/values.yaml': 'registry: docker.io/acme\nagent:\n  image:\n    repository: agent\n    tag: "1.4.2"\n' });
      const settings: ConfigInput = { mirror: { registry: 'harbor.corp.example:5000' } };
      const findings = lint(host, 'app/values.yaml', settings).filter((f) => f.code === 'image/not-mirrored');
      assert.equal(findings.length, 1);
      assert.deepEqual(findings[0].range, range(0, 10, 0, 24));
      assert.equal(findings[0].message, 'agent.image pulls from docker.io: point it at the mirror harbor.corp.example:5000');
      assert.match(findings[0].detail!, /^"docker\.io\/acme\/agent:1\.4\.2"/);
      const after = applyFix(host, 'app/values.yaml', findings[0]);
      assert.equal(after, 'registry: harbor.corp.example:5000/acme\nagent:\n  image:\n    repository: agent\n    tag: "1.4.2"\n');
      assert.deepEqual(lint(host, 'app/values.yaml', settings).filter((f) => f.code === 'image/not-mirrored'), []);
    });

    it('{registry, repository: organisation, name: image} composes registry/repository/name:tag', () => {
      const host = new MemoryHost({ 'app/values.yaml': 'image:\n  registry: quay.io\n  repository: stackstate\n  name: stackstate-k8s-agent\n  tag: 7d1b2c3\n' });
      const findings = lint(host, 'app/values.yaml', { mirror: { registry: 'harbor.corp.example:5000' } }).filter((f) => f.code === 'image/not-mirrored');
      assert.equal(findings.length, 1);
      assert.equal(findings[0].message, 'image pulls from quay.io: point it at the mirror harbor.corp.example:5000');
      assert.match(findings[0].detail!, /^"quay\.io\/stackstate\/stackstate-k8s-agent:7d1b2c3"/);
      assert.deepEqual(findings[0].range, range(1, 12, 1, 19));
      const after = applyFix(host, 'app/values.yaml', findings[0]);
      assert.match(after, /registry: harbor\.corp\.example:5000\n  repository: stackstate\n  name: stackstate-k8s-agent\n/);
    });

    it('an image string with a sibling imageTag (or tag) is tagged by it: no implicit-latest', () => {
      const host = new MemoryHost({ 'app/values.yaml': 'exporter:\n  image: quay.io/acme/exporter\n  imageTag: v0.9.1\nsidecar:\n  image: quay.io/acme/sidecar\n  tag: latest\nloose:\n  image: quay.io/acme/loose\n' });
      const latest = lint(host, 'app/values.yaml').filter((f) => f.code === 'image/implicit-latest');
      assert.deepEqual(latest.map((f) => f.range), [range(5, 7, 5, 13), range(7, 9, 7, 27)]);
      assert.equal(latest[0].message, 'sidecar.image uses the tag latest: pin a version tag or a digest');
      assert.match(latest[0].detail!, /^"quay\.io\/acme\/sidecar:latest"/);
    });
  });
});
