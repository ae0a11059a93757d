// Vendor proxy variables beside the standard ones (the Datadog Agent's DD_PROXY_*, with its
// space-separated DD_PROXY_NO_PROXY; the SUSE Observability agent's STS_PROXY_*; a chart
// block's `<PREFIX>_HTTPS_PROXY` keys), and a chart `proxy` block that is an in-cluster hop
// rather than the egress proxy. Fixtures are hand-made values files in test/fixtures/proxy.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { parseValuesDocument } from '../server/src/engine/document';
import { discoverProxySettings, isProxied } from '../server/src/engine/proxy/discover';
import { inClusterProxyHost } from '../server/src/engine/proxy/urls';
import { applyFix, at, K3S, lintProxy, one, only, summary } from './proxy-helpers';

const fixture = (name: string) => readFileSync(nodePath.join(__dirname, 'fixtures/proxy', name), 'utf8');

function discover(text: string) {
  const doc = parseValuesDocument('/w/values.yaml', text);
  return discoverProxySettings(doc);
}

/** `kind path [hop]: NAME(role,vendor prefix,separator)` per set, and whether it is proxied. */
function sets(text: string): string[] {
  return discover(text).sets.map((s) => {
    const vars = s.vars.map((v) => `${v.name}(${v.role}${v.literal ? ',literal' : ''}${v.case ? ',' + v.case : ''}${v.vendor ? `,${v.vendor.prefix}${v.vendor.separator ? `,sep'${v.vendor.separator}'` : ''}${v.vendor.backendOnly ? ',backend' : ''}` : ''})`);
    return `${s.kind} ${s.pathText}${s.internalHop ? ' hop' : ''}${isProxied(s) ? ' proxied' : ''}: ${vars.join(' ')}`;
  });
}

describe('vendor proxy variables: discovery', () => {
  it('DD_PROXY_* and STS_PROXY_* in lists and env maps, with their prefix; DD_PROXY_NO_PROXY is space-separated', () => {
    assert.deepEqual(sets(fixture('datadog-proxy-values.yaml')), [
      "list datadog.env proxied: DD_PROXY_HTTPS(https,literal,DD) DD_PROXY_HTTP(http,literal,DD) DD_PROXY_NO_PROXY(no,literal,DD,sep' ')",
    ]);
    assert.deepEqual(sets(fixture('suse-observability-agent-sts-env-values.yaml')), [
      'map global.extraEnv.open proxied: STS_PROXY_HTTPS(https,literal,STS,backend) STS_PROXY_HTTP(http,literal,STS,backend)',
      'map global.extraEnv.secret: ',
    ]);
    // Standard names keep their case and get no vendor; a vendor name that only looks alike does not count.
    assert.deepEqual(sets('env:\n  - name: HTTPS_PROXY\n    value: http://p:3128\n  - name: DD_PROXY_HTTPS\n    value: http://p:3128\n  - name: dd_proxy_https\n    value: x\n'), [
      'list env proxied: HTTPS_PROXY(https,literal,upper) DD_PROXY_HTTPS(https,literal,DD)',
    ]);
  });

  it('a chart block: vendor names and `<PREFIX>_HTTPS_PROXY` / `<PREFIX>_NO_PROXY` keys', () => {
    assert.deepEqual(
      sets(
        [
          'datadog:',
          '  envDict:',
          '    DD_PROXY_HTTPS: http://proxy.corp.example:3128',
          '    DD_PROXY_NO_PROXY: localhost .cluster.local',
          'collector:',
          '  config:',
          '    ACME_HTTPS_PROXY: http://proxy.corp.example:3128',
          '    ACME_NO_PROXY: localhost,.cluster.local',
          '    ACME_LOG_LEVEL: info',
          '',
        ].join('\n'),
      ),
      [
        "block datadog.envDict proxied: DD_PROXY_HTTPS(https,literal,DD) DD_PROXY_NO_PROXY(no,literal,DD,sep' ')",
        'block collector.config proxied: ACME_HTTPS_PROXY(https,literal,ACME) ACME_NO_PROXY(no,literal,ACME)',
      ],
    );
  });
});

describe('in-cluster hop: a chart `proxy` block pointing at a component', () => {
  it('`proxy.url` / `proxy.https` at a *.svc name, a *.svc.<domain> name or a bare Service name is a hop, never proxied', () => {
    assert.deepEqual(
      sets(
        [
          'agent:',
          '  proxy:',
          '    url: http://telemetry-gateway.observability.svc:4318',
          'nodeAgent:',
          '  proxy:',
          '    https: https://gateway.observability.svc.cluster.local:8443',
          '    http: ""',
          'logsAgent:',
          '  proxy:',
          '    url: telemetry-gateway:4318',
          '',
        ].join('\n'),
      ),
      ['block agent.proxy hop: url(both)', 'block nodeAgent.proxy hop: https(https) http(http)', 'block logsAgent.proxy hop: url(both)'],
    );
  });

  it('still an egress proxy: a sibling noProxy, env-like keys, a host outside the cluster, a single label naming a proxy, and the standard env names', () => {
    assert.deepEqual(
      sets(
        [
          'a:',
          '  proxy:',
          '    url: http://squid.proxy.svc:3128',
          '    noProxy: .cluster.local',
          'b:',
          '  proxy:',
          '    httpsProxy: http://squid.proxy.svc:3128',
          'c:',
          '  proxy:',
          '    url: http://proxy.corp.example:3128',
          'd:',
          '  proxy:',
          '    url: http://proxy:3128',
          'e:',
          '  extraEnv:',
          '    - name: HTTPS_PROXY',
          '      value: https://myproxy.default.svc:8080',
          '',
        ].join('\n'),
      ),
      [
        'block a.proxy proxied: url(both) noProxy(no)',
        'block b.proxy proxied: httpsProxy(https)',
        'block c.proxy proxied: url(both)',
        'block d.proxy proxied: url(both)',
        'list e.extraEnv proxied: HTTPS_PROXY(https,literal,upper)',
      ],
    );
    assert.equal(inClusterProxyHost('http://your-proxy:port', 'cluster.local'), undefined);
    assert.equal(inClusterProxyHost('http://gateway.corp.example:4318', 'cluster.local'), undefined);
    assert.equal(inClusterProxyHost('http://gw.obs.svc.k8s.internal:4318', 'k8s.internal')?.host, 'gw.obs.svc.k8s.internal');
  });
});

describe('vendor proxy variables: rules', () => {
  it('Datadog: missing entries found in the space-separated DD_PROXY_NO_PROXY, appended with a space; fixed, nothing left', () => {
    const text = fixture('datadog-proxy-values.yaml');
    const findings = lintProxy(text, { settings: K3S });
    assert.deepEqual(summary(findings), ['17:12-17:29 warning proxy/no-proxy-missing']); // the name DD_PROXY_NO_PROXY
    const f = one(findings, 'proxy/no-proxy-missing');
    assert.equal(f.message, 'DD_PROXY_NO_PROXY misses 3 destinations: append 10.43.0.0/16, 10.42.0.0/16');
    assert.ok(
      f.detail!.startsWith('DD_PROXY_NO_PROXY (read by the Datadog Agent, which matches it as Go does) in datadog.env: requests to them go to the proxy. '),
      f.detail,
    );
    const parts = [
      'apiserver ClusterIP 10.43.0.1: client-go connects to the IP in KUBERNETES_SERVICE_HOST, not a name',
      'pod CIDR 10.42.0.0/16: Prometheus scrapes pod IPs, not Service names; webhooks and peers connect to pod IPs',
      'service CIDR 10.43.0.0/16: clients that connect to Service ClusterIPs',
    ];
    for (const part of parts) assert.ok(f.detail!.toLowerCase().includes(part.toLowerCase()), `${part}\n${f.detail}`);
    assert.deepEqual(f.related?.map((r) => [at(r.range), r.message]), parts.map((p) => ['18:13-18:65', `missing: ${p}`]));
    assert.equal(f.fixes[0].title, 'Append 10.43.0.0/16 10.42.0.0/16 to DD_PROXY_NO_PROXY');
    assert.equal(f.fixes[0].safe, true);
    const fixed = applyFix(text, f);
    assert.match(fixed, /\n {6}value: "localhost 127\.0\.0\.1 169\.254\.169\.254 \.cluster\.local 10\.43\.0\.0\/16 10\.42\.0\.0\/16"\n/);
    assert.deepEqual(summary(lintProxy(fixed, { settings: K3S })), []);
  });

  it('Datadog: the entries are never "space-separated" ineffective, whatever runtimes the config names; other checks still apply to each entry', () => {
    const text = [
      'datadog:',
      '  env:',
      '    - name: DD_PROXY_HTTPS',
      '      value: http://proxy.corp.example:3128',
      '    - name: DD_PROXY_NO_PROXY',
      '      value: localhost .svc 10.42.0.0/16 10.43.0.0/16 http://registry.corp.example 169.254.169.254',
      '',
    ].join('\n');
    const findings = lintProxy(text, { settings: { ...K3S, runtimes: ['node', 'python'] } });
    assert.deepEqual(summary(findings), ['4:12-4:29 warning proxy/no-proxy-missing', '5:23-5:27 warning proxy/no-proxy-ineffective', '5:54-5:82 warning proxy/no-proxy-ineffective']);
    const missing = one(findings, 'proxy/no-proxy-missing');
    assert.equal(missing.message, 'DD_PROXY_NO_PROXY misses 1 destination: append .cluster.local');
    assert.ok(
      missing.detail!.startsWith('DD_PROXY_NO_PROXY (read by the Datadog Agent, which matches it as Go does) in datadog.env: requests to it go to the proxy. '),
      missing.detail,
    );
    assert.match(missing.detail!, /cluster domain cluster\.local \(kubernetes\.default\.svc\.cluster\.local\): Services are reached by names under it\W+\.svc matches only names ending in \.svc; kubernetes\.default\.svc\.cluster\.local goes on past "svc" and ends in \.cluster\.local\./i);
    // The related row sits on `.svc`, the entry that looks as if it covered the cluster domain.
    assert.deepEqual(missing.related?.map((r) => at(r.range)), ['5:23-5:27']);
    assert.match(missing.related![0].message, /^\.svc matches only names ending in \.svc; .*\(cluster domain cluster\.local/);
    assert.equal(applyFix(text, missing).split('\n')[5], '      value: localhost .svc 10.42.0.0/16 10.43.0.0/16 http://registry.corp.example 169.254.169.254 .cluster.local');
    const [svc, url] = only(findings, 'proxy/no-proxy-ineffective');
    assert.equal(svc.message, 'NO_PROXY entry .svc misses Service names under cluster.local: add .cluster.local');
    assert.equal(
      svc.detail,
      '.svc matches only names ending in .svc (foo.ns.svc), not the names cluster DNS gives Services (foo.ns.svc.cluster.local), and no other entry covers the cluster domain.',
    );
    // The rewrite that adds an entry keeps the list space-separated.
    assert.equal(applyFix(text, svc).split('\n')[5], '      value: localhost .svc .cluster.local 10.42.0.0/16 10.43.0.0/16 http://registry.corp.example 169.254.169.254');
    assert.equal(url.message, 'NO_PROXY entry "http://registry.corp.example" does not work as written under Go: write registry.corp.example');
    assert.equal(url.detail, 'Under Go it matches nothing: a URL is compared as a host name, which it never equals (write "registry.corp.example"). Write registry.corp.example.');
    assert.equal(applyFix(text, url).split('\n')[5], '      value: localhost .svc 10.42.0.0/16 10.43.0.0/16 registry.corp.example 169.254.169.254');
  });

  it('Datadog: DD_PROXY_HTTPS without any NO_PROXY: absent, the fix adds DD_PROXY_NO_PROXY joined with spaces; fixed, nothing left', () => {
    const text = [
      'datadog:',
      '  site: datadoghq.eu',
      '  env:',
      '    - name: DD_PROXY_HTTPS',
      '      value: "http://proxy.corp.example:3128"',
      '    - name: DD_LOGS_CONFIG_FORCE_USE_HTTP',
      '      value: "true"',
      '',
    ].join('\n');
    const f = one(lintProxy(text, { settings: K3S }), 'proxy/no-proxy-absent');
    assert.equal(at(f.range), '3:12-3:26');
    assert.equal(f.message, 'DD_PROXY_HTTPS is set with no DD_PROXY_NO_PROXY or NO_PROXY: add DD_PROXY_NO_PROXY with .cluster.local and 3 more');
    assert.equal(
      f.detail,
      'In env set datadog.env, every request, in-cluster ones included, goes to the proxy (Services, the API server, pod IPs, the metadata endpoint). ' +
        'Add DD_PROXY_NO_PROXY: .cluster.local 10.43.0.0/16 10.42.0.0/16 169.254.169.254 (space-separated: the Datadog Agent splits it on spaces).',
    );
    assert.equal(f.fixes[0].title, 'Add DD_PROXY_NO_PROXY with the required destinations');
    assert.equal(f.fixes[0].safe, true);
    const fixed = applyFix(text, f);
    assert.equal(
      fixed,
      text.replace(
        '      value: "http://proxy.corp.example:3128"\n',
        '      value: "http://proxy.corp.example:3128"\n    - name: DD_PROXY_NO_PROXY\n      value: ".cluster.local 10.43.0.0/16 10.42.0.0/16 169.254.169.254"\n',
      ),
    );
    assert.deepEqual(summary(lintProxy(fixed, { settings: K3S })), []);
  });

  it('Datadog: proxy/env-case leaves vendor names alone; the proxy URL is checked as the Go agent reads it', () => {
    const text = [
      'datadog:',
      '  env:',
      '    - name: DD_PROXY_HTTP',
      '      value: http://proxy.corp.example',
      '    - name: https_proxy',
      '      value: http://other.corp.example:3128',
      '    - name: DD_PROXY_HTTPS',
      '      value: http://proxy.corp.example:3128',
      '    - name: NO_PROXY',
      '      value: .cluster.local,10.42.0.0/16,10.43.0.0/16,169.254.169.254',
      '    - name: no_proxy',
      '      value: .cluster.local,10.42.0.0/16,10.43.0.0/16,169.254.169.254,localhost,127.0.0.1',
      '',
    ].join('\n');
    const findings = lintProxy(text, { settings: { ...K3S, runtimes: ['go', 'curl'] } });
    // Only the standard NO_PROXY / no_proxy pair disagrees; DD_PROXY_HTTP is no upper-case HTTP_PROXY for curl,
    // and its missing port is no curl/Go disagreement: the agent is Go.
    assert.deepEqual(summary(findings), ['11:13-11:89 warning proxy/env-case']);
  });

  it('SUSE Observability agent: STS_PROXY_* in an env map are proxied but need no NO_PROXY: no absent, no profile request', () => {
    const text = fixture('suse-observability-agent-sts-env-values.yaml');
    assert.deepEqual(summary(lintProxy(text, { settings: K3S })), []);
    assert.deepEqual(summary(lintProxy(text)), []);
    // Their URLs are still checked.
    const bad = text.replace('STS_PROXY_HTTPS: http://proxy.corp.example:3128', 'STS_PROXY_HTTPS: http://alice:s3cret@proxy.corp.example:3128');
    const inline = lintProxy(bad, { settings: K3S });
    assert.deepEqual(summary(inline), ['12:6-12:21 warning proxy/credentials-inline']); // the key STS_PROXY_HTTPS
    assert.deepEqual(inline[0].related?.map((r) => at(r.range)), ['12:30-12:42']); // alice:s3cret
  });

  it('SUSE Observability agent: STS_PROXY_HTTPS beside a standard HTTPS_PROXY: the standard one still needs NO_PROXY', () => {
    const text = ['global:', '  extraEnv:', '    open:', '      STS_PROXY_HTTPS: http://proxy.corp.example:3128', '      HTTPS_PROXY: http://proxy.corp.example:3128', ''].join('\n');
    const f = one(lintProxy(text, { settings: K3S }), 'proxy/no-proxy-absent');
    assert.equal(at(f.range), '4:6-4:17');
    assert.match(f.message, /^HTTPS_PROXY is set with no NO_PROXY: add NO_PROXY with /);
    assert.match(f.detail!, /^In env set global\.extraEnv\.open, every request/);
  });
});

describe('in-cluster hop: rules', () => {
  it('an agent sending to the chart\'s own gateway: no finding on the hop, the gateway\'s forward proxy is checked as usual', () => {
    const text = fixture('in-cluster-gateway-values.yaml');
    assert.deepEqual(summary(lintProxy(text, { settings: K3S })), []);
    // The hop's host is a required destination of the gateway's NO_PROXY.
    const narrow = text.replace('localhost,127.0.0.1,.cluster.local,', 'localhost,127.0.0.1,');
    const f = one(lintProxy(narrow, { settings: K3S }), 'proxy/no-proxy-missing');
    assert.equal(f.message, 'NO_PROXY misses 2 destinations: append .cluster.local');
    assert.match(f.detail!, /in-cluster host telemetry-gateway\.observability\.svc\.cluster\.local:4318 \(agent\.proxy\.url\)/i);
  });

  it('a real external `global.proxy.url` (SUSE Observability agent) is still an egress proxy', () => {
    // Recognised as the SUSE Observability agent (stackstate.url + stackstate.cluster.name), the
    // chart knowledge says the key has no NO_PROXY counterpart and carries only the agent's own
    // traffic: nothing to ask for (knowledge.test.ts). By shape alone, without those keys:
    const recognised = fixture('suse-observability-agent-proxy-values.yaml');
    assert.deepEqual(summary(lintProxy(recognised, { settings: K3S })), []);
    const text = recognised.replace('  cluster:\n    name: prod-eu-1\n', '');
    assert.notEqual(text, recognised);
    assert.deepEqual(summary(lintProxy(text, { settings: K3S })), ['8:4-8:7 warning proxy/no-proxy-absent']);
    assert.deepEqual(summary(lintProxy(text)), ['8:4-8:7 warning proxy/no-proxy-absent', '8:4-8:7 info proxy/profile-unknown']);
    // The same block pointing at a Service in the cluster is a hop: nothing.
    const hop = text.replace('http://proxy.corp.example:3128', 'http://receiver-gateway.observability.svc.cluster.local:7077');
    assert.deepEqual(summary(lintProxy(hop, { settings: K3S })), []);
    assert.deepEqual(summary(lintProxy(hop)), []);
  });

  it('k8s-monitoring-style HTTPS_PROXY at an in-cluster proxy Service in an env list or map is a forward proxy', () => {
    const text = [
      'alloy:',
      '  extraEnv:',
      '    - name: HTTPS_PROXY',
      '      value: https://myproxy.default.svc:8080',
      'opencost:',
      '  exporter:',
      '    extraEnv:',
      '      HTTPS_PROXY: https://myproxy.default.svc:8080',
      '',
    ].join('\n');
    assert.deepEqual(summary(lintProxy(text, { settings: K3S })), ['2:12-2:23 warning proxy/no-proxy-absent', '7:6-7:17 warning proxy/no-proxy-absent']);
  });
});
