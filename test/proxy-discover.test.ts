// Env-set discovery by shape (every form the corpus shows, and the look-alikes that are not
// egress proxies), in-cluster hosts found in values, scalar offsets and edits, proxy URLs.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { mergeConfig } from '../server/src/engine/config';
import { parseValuesDocument, type Scalar } from '../server/src/engine/document';
import { applyEdits } from '../server/src/engine/fixes';
import { analyzeProxies } from '../server/src/engine/proxy/analyze';
import { discoverProxySettings, isProxied } from '../server/src/engine/proxy/discover';
import { checkProxyUrl, parseProxyUrl, redactProxyUrl } from '../server/src/engine/proxy/proxy-url';
import { isPlainSafe, setScalarValueEdit, valueIndexAt, valuePartRange, valueSpan } from '../server/src/engine/edits/scalar';
import { inClusterHost } from '../server/src/engine/proxy/urls';
import { CORPUS } from './helpers';
import { at } from './proxy-helpers';

function discover(text: string) {
  const doc = parseValuesDocument('/w/values.yaml', text);
  return { doc, ...discoverProxySettings(doc) };
}

function corpus(rel: string) {
  const path = nodePath.join(CORPUS, rel);
  const doc = parseValuesDocument(path, readFileSync(path, 'utf8'));
  return { doc, ...discoverProxySettings(doc) };
}

/** `kind path: NAME=value …` per set. */
function sets(d: ReturnType<typeof discover>): string[] {
  return d.sets.map((s) => `${s.kind} ${s.pathText}: ${s.vars.map((v) => `${v.name}=${v.source === 'value' ? v.value : v.source}`).join(' ')}`.trim());
}

describe('proxy env-set discovery', () => {
  it('`{name, value}` / `{name, valueFrom}` lists under any env key, with name and value ranges', () => {
    const d = discover(
      [
        'runner:',
        '  additional_env_vars:',
        '    - name: HTTPS_PROXY',
        '      value: "http://p:3128"',
        '    - name: NO_PROXY',
        '      valueFrom:',
        '        secretKeyRef: {name: proxy, key: no}',
        '    - name: OTHER',
        '      value: x',
        'holmes:',
        '  additionalEnvVars: []',
        'agent:',
        '  extraEnvs: [{name: https_proxy, value: http://p:3128}]',
        'containers:',
        '  - name: app',
        '    env:',
        '      - name: HTTP_PROXY',
        "        value: 'http://p:3128'",
        '',
      ].join('\n'),
    );
    assert.deepEqual(sets(d), [
      'list runner.additional_env_vars: HTTPS_PROXY=http://p:3128 NO_PROXY=valueFrom',
      'list holmes.additionalEnvVars:',
      'list agent.extraEnvs: https_proxy=http://p:3128',
      'list containers[0].env: HTTP_PROXY=http://p:3128',
    ]);
    const runner = d.sets[0];
    assert.equal(runner.size, 3);
    assert.equal(at(d.doc.rangeOf(runner.vars[0].nameNode)), '2:12-2:23');
    assert.equal(at(d.doc.rangeOf(runner.vars[0].valueNode)), '3:13-3:28');
    assert.equal(runner.vars[0].case, 'upper');
    assert.equal(d.sets[2].flow, true);
    assert.equal(d.sets[2].vars[0].inFlow, true);
    assert.equal(d.sets[2].vars[0].case, 'lower');
    assert.equal((d.sets[3].vars[0].valueNode as Scalar & { type: string }).type, 'QUOTE_SINGLE');
  });

  it('env maps (`extraEnv: {HTTPS_PROXY: …}`, `global.extraEnv.open`) and chart proxy blocks', () => {
    const d = discover(
      [
        'global:',
        '  extraEnv:',
        '    open:',
        '      HTTPS_PROXY: http://p:3128',
        '    secret: {}',
        '  proxy:',
        '    url: http://proxy.corp.example:3128',
        'opencost:',
        '  exporter:',
        '    extraEnv:',
        '      HTTPS_PROXY: http://p:3128',
        '      NO_PROXY: kubernetes.default.svc',
        'proxy:',
        '  httpProxy:',
        '  httpsProxy: http://p:3128',
        '  noProxy: 127.0.0.1,localhost',
        '  components: [core]',
        'operator:',
        '  httpProxy: ~',
        'http_proxy: http://p:8080',
        'no_proxy: 127.0.0.1',
        '',
      ].join('\n'),
    );
    assert.deepEqual(sets(d), [
      'block (root): http_proxy=http://p:8080 no_proxy=127.0.0.1',
      'map global.extraEnv.open: HTTPS_PROXY=http://p:3128',
      'map global.extraEnv.secret:',
      'block global.proxy: url=http://proxy.corp.example:3128',
      'map opencost.exporter.extraEnv: HTTPS_PROXY=http://p:3128 NO_PROXY=kubernetes.default.svc',
      'block proxy: httpProxy=null httpsProxy=http://p:3128 noProxy=127.0.0.1,localhost',
      'block operator: httpProxy=null',
    ]);
    assert.deepEqual(d.sets.map((s) => isProxied(s)), [true, true, false, true, true, true, false]);
    assert.deepEqual(d.sets[3].vars.map((v) => v.role), ['both']);
    assert.deepEqual(d.sets[0].vars.map((v) => [v.role, v.literal]), [['http', false], ['no', false]]);
  });

  it('rancher: a top-level `proxy` URL counts beside `noProxy`', () => {
    const d = discover('proxy: http://p:3128\nnoProxy: 127.0.0.0/8,.svc,.cluster.local\nhostname: rancher.corp\n');
    assert.deepEqual(sets(d), ['block (root): proxy=http://p:3128 noProxy=127.0.0.0/8,.svc,.cluster.local']);
    assert.deepEqual(d.sets[0].vars.map((v) => v.role), ['both', 'no']);
  });

  it('look-alikes are not proxies: serviceMonitor.proxyUrl, a sidecar named proxy, HTTP_HOST, proxyInit, per-destination proxyURL', () => {
    const d = discover(
      [
        'serviceMonitor:',
        '  proxyUrl: "http://scrape-proxy:8080"',
        'httpHeaderInjectorWebhook:',
        '  proxy:',
        '    image: {repository: stackstate/http-header-injector-proxy, tag: sha-1}',
        '    resources: {}',
        '  proxyInit:',
        '    image: {repository: stackstate/proxy-init, tag: sha-1}',
        'imageRenderer:',
        '  env:',
        '    HTTP_HOST: "0.0.0.0"',
        'destinations:',
        '  prometheus:',
        '    url: http://prometheus.example.com/api/v1/write',
        '    proxyURL: https://myproxy.default.svc:8080',
        '    noProxy: settings.example.com',
        'features:',
        '  proxy: {http: true}',
        '',
      ].join('\n'),
    );
    // The renderer's env map is an env set (it could take a proxy), but holds no proxy variable.
    assert.deepEqual(sets(d), ['map imageRenderer.env:']);
  });

  it('corpus: the files that set proxies, and the big ones that do not', () => {
    assert.deepEqual(sets(corpus('prometheus-community__helm-charts/charts/prometheus-blackbox-exporter/ci/extraenv-values.yaml')), [
      'list extraEnv: HTTP_PROXY=http://superproxy.com:3128 NO_PROXY=localhost,127.0.0.1',
    ]);
    assert.deepEqual(sets(corpus('grafana__k8s-monitoring-helm/charts/k8s-monitoring/docs/examples/proxies/values.yaml')), [
      'list collectors.alloy-receiver.alloy.extraEnv: HTTPS_PROXY=https://myproxy.default.svc:8080 NO_PROXY=kubernetes.default.svc',
      'map telemetryServices.opencost.opencost.exporter.extraEnv: HTTPS_PROXY=https://myproxy.default.svc:8080 NO_PROXY=kubernetes.default.svc',
    ]);
    assert.deepEqual(sets(corpus('grafana__k8s-monitoring-helm/charts/k8s-monitoring/tests/integration/proxies/values.yaml')), []);
    assert.deepEqual(sets(corpus('signalfx__splunk-otel-collector-chart/examples/use-proxy/use-proxy-values.yaml')), [
      'list agent.extraEnvs: HTTPS_PROXY=192.168.0.10',
      'list clusterReceiver.extraEnvs: HTTPS_PROXY=192.168.0.10',
    ]);
    const harbor = sets(corpus('goharbor__harbor-helm/values.yaml'));
    assert.equal(harbor[0], 'block proxy: httpProxy=null httpsProxy=null noProxy=127.0.0.1,localhost,.local,.internal');
    assert.equal(harbor.length, 11); // + ten empty `extraEnvVars: []`
    assert.deepEqual(sets(corpus('aquasecurity__trivy-operator/deploy/helm/values.yaml')), [
      'list extraEnv:',
      'block operator: httpProxy=null httpsProxy=null noProxy=null',
      'block trivy: httpProxy=null httpsProxy=null noProxy=null',
    ]);
    assert.deepEqual(sets(corpus('rancher__rancher/chart/values.yaml')), ['block (root): noProxy=127.0.0.0/8,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,.svc,.cluster.local']);
    // cert-manager's proxy keys are commented out: only its four empty extraEnv lists.
    assert.deepEqual(sets(corpus('cert-manager__cert-manager/deploy/charts/cert-manager/values.yaml')), ['list extraEnv:', 'list webhook.extraEnv:', 'list cainjector.extraEnv:', 'list startupapicheck.extraEnv:']);
    const kps = corpus('prometheus-community__helm-charts/charts/kube-prometheus-stack/values.yaml');
    assert.deepEqual(sets(kps), ['map crds.upgradeJob.env:', 'map prometheusOperator.env:', 'list thanosRuler.thanosRulerSpec.extraEnv:']);
    assert.deepEqual(kps.hosts, []);
    const cloudzero = corpus('Cloudzero__cloudzero-agent/helm/values.yaml');
    assert.equal(cloudzero.sets.length, 12);
    assert.ok(cloudzero.sets.every((s) => s.kind === 'list' && s.vars.length === 0));
    assert.equal(cloudzero.sets[0].pathText, 'defaults.env');
  });
});

describe('in-cluster hosts in values', () => {
  it('finds .svc and cluster-domain URLs and short names with ports under address keys', () => {
    const d = discover(
      [
        'remoteWrite: {url: "http://prometheus-server.monitoring.svc:9090/api/v1/write"}',
        'loki: {endpoint: "loki-gateway.loki.svc.cluster.local"}',
        'cache: {address: "redis:6379", image: "redis:7", tag: "1:2"}',
        'env:',
        '  - name: REDIS_ADDR',
        '    value: redis-master:6379',
        '  - name: HTTPS_PROXY',
        '    value: http://proxy.proxy.svc:3128',
        'db: {url: "postgres://pg.db.svc:5432/app"}',
        'links: {docs: "https://example.com/docs", hostname: "http://hostname:14268/api/traces"}',
        'tpl: {url: "http://{{ .Release.Name }}-runner.{{ .Release.Namespace }}.svc/api"}',
        'local: {reloadURL: "http://localhost:3000/reload", ip: "http://10.96.0.10:53"}',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      d.hosts.map((h) => [h.host, h.port, h.key, h.path.join('.')]),
      [
        ['prometheus-server.monitoring.svc', 9090, 'url', 'remoteWrite.url'],
        ['loki-gateway.loki.svc.cluster.local', undefined, 'endpoint', 'loki.endpoint'],
        ['redis', 6379, 'address', 'cache.address'],
        ['redis-master', 6379, 'REDIS_ADDR', 'env.0.value'],
      ],
    );
    const h = d.hosts[0];
    assert.equal(at(d.doc.spanRange(h.node.range![0] + 1 + h.start, h.node.range![0] + 1 + h.end)), '0:27-0:59');
  });

  it('corpus: the k8s-monitoring integration test points at .svc hosts; other charts at none', () => {
    const k8s = corpus('grafana__k8s-monitoring-helm/charts/k8s-monitoring/tests/integration/proxies/values.yaml');
    assert.deepEqual(k8s.hosts.map((h) => `${h.host}:${h.port}`), ['prometheus-server.prometheus.svc:9090', 'loki.loki.svc:3100', 'tempo.tempo.svc:4318']);
    for (const rel of [
      'goharbor__harbor-helm/values.yaml',
      'robusta-dev__robusta/helm/robusta/values.yaml',
      'grafana-community__helm-charts/charts/grafana/values.yaml',
      'jordigilh__kubernaut__a0781038/charts/kubernaut/values.yaml',
      'kubeshop__botkube/helm/botkube/values.yaml',
      'Cloudzero__cloudzero-agent/helm/values.yaml',
    ]) {
      assert.deepEqual(corpus(rel).hosts.map((h) => h.host), [], rel);
    }
  });

  it('inClusterHost: the rules one by one', () => {
    assert.equal(inClusterHost('http://api.corp.example/v1', 'url', 'cluster.local'), undefined);
    assert.equal(inClusterHost('redis:6379', 'image', 'cluster.local'), undefined);
    assert.deepEqual(inClusterHost('grpc://otel-collector:4317', 'x', 'cluster.local'), { host: 'otel-collector', port: 4317, scheme: 'grpc', start: 7, end: 21 });
    assert.equal(inClusterHost('redis://redis:6379', 'url', 'cluster.local'), undefined);
    assert.equal(inClusterHost('svc.namespace:80', 'host', 'cluster.local'), undefined);
    assert.deepEqual(inClusterHost('api.example.internal:443', 'host', 'example.internal')?.host, 'api.example.internal');
    assert.equal(inClusterHost('redis', 'host', 'cluster.local'), undefined);
  });
});

describe('scalar offsets and edits', () => {
  const node = (text: string) => {
    const doc = parseValuesDocument('/w/values.yaml', text);
    return { doc, n: (doc.root as unknown as { items: Array<{ value: Scalar }> }).items[0].value };
  };

  it('maps value offsets to the source through quotes, doubled quotes and escapes', () => {
    const plain = node('k: a,b\n');
    assert.deepEqual(valueSpan(plain.doc, plain.n, 2, 3), [5, 6]);
    const single = node("k: 'it''s,b'\n");
    assert.equal(single.n.value, "it's,b");
    assert.deepEqual(valueSpan(single.doc, single.n, 5, 6), [10, 11]);
    const dbl = node('k: "\\tx\\u00e9,b\\"c"\n');
    assert.equal(dbl.n.value, '\txé,b"c');
    assert.deepEqual(valueSpan(dbl.doc, dbl.n, 0, 3), [4, 13]); // \t x \u00e9
    assert.deepEqual(valueSpan(dbl.doc, dbl.n, 4, 7), [14, 18]); // b \" c
    assert.equal(valueIndexAt(dbl.doc, dbl.n, 9), 2);
    // Folded over lines: ambiguous, the whole value.
    const folded = node('k: "a,\n  b"\n');
    assert.equal(valueSpan(folded.doc, folded.n, 0, 1), undefined);
    assert.equal(at(valuePartRange(folded.doc, folded.n, 0, 1)), '0:3-1:4');
    const block = node('k: |\n  a,b\n');
    assert.equal(valueSpan(block.doc, block.n, 0, 1), undefined);
  });

  it('edits keep the quoting; plain becomes quoted only when it must', () => {
    const edit = (text: string, next: string, inFlow = false) => {
      const { doc, n } = node(text);
      return applyEdits(text, [setScalarValueEdit(doc, n, next, inFlow)]).text;
    };
    assert.equal(edit('k: a,b # c\n', 'a,b,c'), 'k: a,b,c # c\n');
    assert.equal(edit("k: 'a'\n", "a,it's"), "k: 'a,it''s'\n");
    assert.equal(edit('k: "\\ta"\n', '\ta,é"'), 'k: "\\ta,é\\""\n');
    assert.equal(edit('k: a\n', 'a: b'), 'k: "a: b"\n');
    assert.equal(edit('k: a\n', 'yes'), 'k: "yes"\n');
    assert.equal(edit('k:\n', 'localhost'), 'k: localhost\n');
    assert.equal(edit('k: "a,\n  b"\n', 'a, b,c'), 'k: "a, b,c"\n');
    assert.equal(isPlainSafe('a,b', true), false);
    assert.equal(isPlainSafe('10.0.0.0/8,.svc'), true);
    assert.equal(isPlainSafe('*.svc'), false);
  });
});

describe('proxy URLs', () => {
  it('parses and redacts', () => {
    assert.deepEqual(parseProxyUrl('http://u:p@[fd00::1]:3128/'), {
      text: 'http://u:p@[fd00::1]:3128/',
      scheme: 'http',
      userinfo: { start: 7, end: 10, user: 'u', hasPassword: true },
      host: '[fd00::1]',
      hostStart: 11,
      hostEnd: 20,
      port: 3128,
      portText: '3128',
      path: '/',
    });
    assert.equal(redactProxyUrl('http://alice:s3cret@proxy:3128'), 'http://alice:****@proxy:3128');
    assert.equal(redactProxyUrl(' junk alice:s3cret@x '), 'junk alice:****@x');
    assert.equal(redactProxyUrl('http://proxy:3128'), 'http://proxy:3128');
  });

  it('judges per runtime', () => {
    // The headline (after the variable's name) | the detail.
    const msgs = (v: string, d: Array<'go' | 'curl' | 'python' | 'node'>) => checkProxyUrl(v, d).map((p) => `${p.severity}: ${p.message} | ${p.detail}`);
    assert.deepEqual(msgs('http://proxy:3128', ['go', 'curl', 'python', 'node']), []);
    assert.deepEqual(msgs('socks5h://proxy:1080', ['go', 'curl']), []);
    assert.deepEqual(msgs('socks5://proxy:1080', ['go', 'node']), ['warning: uses the scheme "socks5", which Node.js undici cannot use for a proxy | Requests of Node.js undici through "socks5://proxy:1080" fail; the other runtimes of this container can use it.']);
    assert.deepEqual(msgs('http://proxy', ['go', 'curl']), ['warning: has no port: write it, e.g. http://proxy:3128 | Without a port, curl connects to the proxy on port 1080, Go on port 80.']);
    assert.deepEqual(msgs('https://proxy', ['go', 'curl']), []);
    assert.deepEqual(msgs('http://pro xy:80', ['go']), ['error: has an invalid host "pro xy": write a host name or IP address | "http://pro xy:80" is not a proxy URL, so every request through it fails.']);
    assert.deepEqual(msgs('http://u:changeme@proxy:3128', ['go']), []);
    assert.deepEqual(msgs('http://CHANGEME:3128', ['go']), [
      'error: is still a placeholder ("CHANGEME"): put the real proxy URL here | Helm installs "http://CHANGEME:3128" literally, and every request through the proxy fails. A proxy URL looks like http://proxy.corp.example:3128.',
    ]);
    assert.deepEqual(msgs('http://bücher.example:3128', ['go']), []);
  });
});

describe('env-set hints (chart schema annotations)', () => {
  it('a hinted runtime replaces the default runtimes for that set, unless the config sets runtimes', () => {
    const text = 'runner:\n  additional_env_vars:\n    - name: NO_PROXY\n      value: localhost\nholmes:\n  additionalEnvVars: []\n';
    const doc = parseValuesDocument('/w/values.yaml', text);
    const hints = [{ path: ['runner', 'additional_env_vars'], component: 'runner', runtime: 'python' as const }];
    const byDefault = analyzeProxies(doc, mergeConfig({}, {}, '/w'), hints);
    assert.deepEqual(byDefault.sets.map((s) => s.dialects), [['python'], ['go', 'python', 'curl']]);
    assert.deepEqual(byDefault.sets[0].readings.map((r) => r.dialects), [['python']]);
    const explicit = analyzeProxies(doc, mergeConfig({ runtimes: ['go'] }, {}, '/w'), hints);
    assert.deepEqual(explicit.sets.map((s) => s.dialects), [['go'], ['go']]);
    const wildcard = analyzeProxies(doc, mergeConfig({}, {}, '/w'), [{ path: ['*', 'additionalEnvVars'], runtime: 'node' }]);
    assert.deepEqual(wildcard.sets.map((s) => s.dialects), [['go', 'python', 'curl'], ['node']]);
  });
});
