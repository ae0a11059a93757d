// Every proxy rule of rules.md "Proxy and NO_PROXY": exact ranges, message content, and each
// fix applied to the text and linted again (no finding of the same rule afterwards).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { parseValuesDocument } from '../server/src/engine/document';
import { fixAll } from '../server/src/engine/fixes';
import { ruleDocsUrl, ruleInfo } from '../server/src/engine/rules/catalog';
import { PROXY_RULE_INFO } from '../server/src/engine/rules/proxy';
import { REPO, findingText } from './helpers';
import { K3S, VALUES, applyFix, at, lintProxy, one, only, summary } from './proxy-helpers';

const K3S_ENTRIES = 'localhost,127.0.0.1,.cluster.local,10.43.0.0/16,10.42.0.0/16,169.254.169.254';

/** `part` in `text`, ignoring case (the detail starts each sentence with a capital). */
const includesText = (text: string, part: string) => text.toLowerCase().includes(part.toLowerCase());

describe('proxy/no-proxy-absent', () => {
  it('list env set: on the proxy variable, inserts a NO_PROXY item in the siblings\' style', () => {
    const text = ['agent:', '  extraEnvs:', '    - name: HTTPS_PROXY', '      value: "http://proxy.corp:3128"', 'other: 1', ''].join('\n');
    const findings = lintProxy(text, { settings: K3S });
    const f = one(findings, 'proxy/no-proxy-absent');
    assert.equal(f.severity, 'warning');
    assert.equal(at(f.range), '2:12-2:23');
    assert.equal(f.message, 'HTTPS_PROXY is set with no NO_PROXY: add NO_PROXY with localhost, 127.0.0.1, .cluster.local, 10.43.0.0/16 and 2 more');
    assert.match(f.detail!, /^In env set agent\.extraEnvs, every request, in-cluster ones included, goes to the proxy/);
    assert.ok(f.detail!.includes(`Add NO_PROXY: ${K3S_ENTRIES}.`), f.detail);
    assert.equal(f.fixes[0].safe, true);
    const fixed = applyFix(text, f);
    assert.equal(
      fixed,
      ['agent:', '  extraEnvs:', '    - name: HTTPS_PROXY', '      value: "http://proxy.corp:3128"', '    - name: NO_PROXY', `      value: "${K3S_ENTRIES}"`, 'other: 1', ''].join('\n'),
    );
    const after = lintProxy(fixed, { settings: K3S });
    assert.deepEqual(summary(after), []);
  });

  it('copies key order, dash spacing and plain quoting; lower-case proxies get no_proxy', () => {
    const text = ['env:', '-   value: http://proxy.corp:3128', '    name: https_proxy', ''].join('\n');
    const f = one(lintProxy(text, { settings: K3S }), 'proxy/no-proxy-absent');
    assert.equal(at(f.range), '2:10-2:21');
    const fixed = applyFix(text, f);
    assert.equal(fixed, ['env:', '-   value: http://proxy.corp:3128', '    name: https_proxy', `-   value: ${K3S_ENTRIES}`, '    name: no_proxy', ''].join('\n'));
    assert.deepEqual(summary(lintProxy(fixed, { settings: K3S })), []);
  });

  it('both cases of the proxy: both NO_PROXY and no_proxy, with the same value', () => {
    const text = ['env:', '  - name: HTTPS_PROXY', "    value: 'http://p:3128'", '  - name: https_proxy', "    value: 'http://p:3128'", ''].join('\n');
    const f = one(lintProxy(text, { settings: K3S }), 'proxy/no-proxy-absent');
    assert.equal(f.fixes[0].title, 'Add NO_PROXY and no_proxy with the required destinations');
    const fixed = applyFix(text, f);
    assert.ok(fixed.endsWith(`  - name: NO_PROXY\n    value: '${K3S_ENTRIES}'\n  - name: no_proxy\n    value: '${K3S_ENTRIES}'\n`), fixed);
    assert.deepEqual(summary(lintProxy(fixed, { settings: K3S })), []);
  });

  it('env map and flow list', () => {
    const map = ['opencost:', '  extraEnv:', '    HTTPS_PROXY: http://proxy.corp:3128', ''].join('\n');
    const f = one(lintProxy(map, { settings: K3S }), 'proxy/no-proxy-absent');
    assert.equal(at(f.range), '2:4-2:15');
    const fixed = applyFix(map, f);
    assert.equal(fixed, map + `    NO_PROXY: ${K3S_ENTRIES}\n`);
    assert.deepEqual(summary(lintProxy(fixed, { settings: K3S })), []);

    const flow = 'env: [{name: HTTPS_PROXY, value: "http://p:3128"}]\n';
    const g = one(lintProxy(flow, { settings: K3S }), 'proxy/no-proxy-absent');
    assert.equal(at(g.range), '0:13-0:24');
    const fixedFlow = applyFix(flow, g);
    assert.equal(fixedFlow, `env: [{name: HTTPS_PROXY, value: "http://p:3128"}, {name: NO_PROXY, value: "${K3S_ENTRIES}"}]\n`);
    assert.deepEqual(summary(lintProxy(fixedFlow, { settings: K3S })), []);
  });

  it('chart block: noProxy after the proxy keys, named by their convention', () => {
    const text = ['trivy:', '  httpsProxy: http://proxy.corp:3128', '  severity: HIGH', ''].join('\n');
    const f = one(lintProxy(text, { settings: K3S }), 'proxy/no-proxy-absent');
    assert.equal(at(f.range), '1:2-1:12');
    assert.match(f.message, /^httpsProxy is set with no noProxy key: add noProxy with /);
    assert.match(f.detail!, /^In the chart's proxy settings trivy, every request/);
    assert.ok(f.detail!.includes(`Add noProxy: ${K3S_ENTRIES}.`), f.detail);
    const fixed = applyFix(text, f);
    assert.equal(fixed, ['trivy:', '  httpsProxy: http://proxy.corp:3128', `  noProxy: ${K3S_ENTRIES}`, '  severity: HIGH', ''].join('\n'));
    assert.deepEqual(summary(lintProxy(fixed, { settings: K3S })), []);
  });

  it('not for an env set whose proxy is empty or absent', () => {
    assert.deepEqual(summary(lintProxy('env:\n  - name: HTTPS_PROXY\n    value: ""\n', { settings: K3S })), []);
    assert.deepEqual(summary(lintProxy('proxy:\n  httpProxy:\n  httpsProxy: ~\n', { settings: K3S })), []);
  });
});

describe('proxy/no-proxy-missing', () => {
  it('lists each missing destination with why, on the NO_PROXY name with a related row on the value per destination; the fix appends keeping double quotes', () => {
    const text = ['env:', '  - name: HTTPS_PROXY', '    value: "http://proxy.corp:3128"', '  - name: NO_PROXY', '    value: "localhost,127.0.0.1"', ''].join('\n');
    const f = one(lintProxy(text, { settings: K3S }), 'proxy/no-proxy-missing');
    assert.equal(at(f.range), '3:10-3:18'); // `- name: NO_PROXY`
    assert.equal(f.message, 'NO_PROXY misses 5 destinations: append .cluster.local, 10.43.0.0/16, 10.42.0.0/16, 169.254.169.254');
    assert.match(f.detail!, /^NO_PROXY in env: requests to them go to the proxy\. /);
    const parts = [
      'cluster domain cluster.local (kubernetes.default.svc.cluster.local): Services are reached by names under it',
      'apiserver ClusterIP 10.43.0.1: client-go connects to the IP in KUBERNETES_SERVICE_HOST, not a name',
      'pod CIDR 10.42.0.0/16: Prometheus scrapes pod IPs, not Service names',
      'service CIDR 10.43.0.0/16',
      'instance metadata 169.254.169.254',
    ];
    for (const part of parts) assert.ok(includesText(f.detail!, part), `${part}\n${f.detail}`);
    // One related row per destination, on the value `"localhost,127.0.0.1"`.
    assert.equal(f.related!.length, parts.length);
    f.related!.forEach((rel, i) => {
      assert.equal(at(rel.range), '4:11-4:32');
      assert.ok(includesText(rel.message, parts[i]), `${parts[i]}\n${rel.message}`);
    });
    assert.equal(f.fixes[0].safe, true);
    assert.deepEqual(f.fixes[0].edits.map((e) => [at(e.range), e.newText]), [['4:31-4:31', ',.cluster.local,10.43.0.0/16,10.42.0.0/16,169.254.169.254']]);
    const fixed = applyFix(text, f);
    assert.ok(fixed.includes(`value: "${K3S_ENTRIES}"`), fixed);
    assert.deepEqual(summary(lintProxy(fixed, { settings: K3S })), []);
  });

  it('single-quoted and plain values keep their style; a plain value inside a flow map becomes quoted', () => {
    const single = "env:\n  - {name: HTTPS_PROXY, value: 'http://p:3128'}\n  - name: NO_PROXY\n    value: 'it''s,localhost'\n";
    const f = one(lintProxy(single, { settings: K3S }), 'proxy/no-proxy-missing');
    const fixedSingle = applyFix(single, f);
    assert.ok(fixedSingle.includes("value: 'it''s,localhost,127.0.0.1,.cluster.local,10.43.0.0/16,10.42.0.0/16,169.254.169.254'"), fixedSingle);
    assert.deepEqual(only(lintProxy(fixedSingle, { settings: K3S }), 'proxy/no-proxy-missing'), []);

    const flow = 'extraEnv: {HTTPS_PROXY: http://p:3128, NO_PROXY: localhost}\n';
    const g = one(lintProxy(flow, { settings: K3S }), 'proxy/no-proxy-missing');
    assert.equal(at(g.range), '0:39-0:47'); // the key NO_PROXY, not its value
    const fixedFlow = applyFix(flow, g);
    assert.equal(fixedFlow, `extraEnv: {HTTPS_PROXY: http://p:3128, NO_PROXY: "${K3S_ENTRIES}"}\n`);
    assert.deepEqual(summary(lintProxy(fixedFlow, { settings: K3S })), []);
  });

  it('a service CIDR entry covers the apiserver IP under Go, but Node needs the IP itself', () => {
    const text = 'env:\n  - name: HTTPS_PROXY\n    value: http://p:3128\n  - name: NO_PROXY\n    value: localhost,127.0.0.1,.cluster.local,10.43.0.0/16,10.42.0.0/16,169.254.169.254\n';
    assert.deepEqual(summary(lintProxy(text, { settings: K3S })), []);
    const node = { ...K3S, runtimes: ['go', 'node'] as Array<'go' | 'node'> };
    const f = one(lintProxy(text, { settings: node }), 'proxy/no-proxy-missing');
    assert.equal(f.message, 'NO_PROXY misses 1 destination: append 10.43.0.1');
    assert.match(f.detail!, /^NO_PROXY in env: requests to it go to the proxy\. apiserver ClusterIP 10\.43\.0\.1 under Node\.js undici/i);
    // The entry that looks as if it covered it carries why it does not.
    assert.deepEqual(f.related!.map((rel) => at(rel.range)), ['4:46-4:58']);
    assert.match(f.related![0].message, /^undici has no CIDR support: 10\.43\.0\.0\/16 is compared as a host name \(apiserver ClusterIP 10\.43\.0\.1\)$/);
    // Node has no CIDR support at all: the pod CIDR is not "missing" (no entry could ever cover it).
    assert.ok(!includesText(findingText(f), 'pod CIDR'), findingText(f));
    const fixed = applyFix(text, f);
    assert.ok(fixed.endsWith(',169.254.169.254,10.43.0.1\n'), fixed);
    assert.deepEqual(only(lintProxy(fixed, { settings: node }), 'proxy/no-proxy-missing'), []);
  });

  it('upper and lower case with one value are fixed together; with different values each is checked for its readers', () => {
    const same = 'env:\n  - name: HTTPS_PROXY\n    value: http://p:3128\n  - name: NO_PROXY\n    value: localhost\n  - name: no_proxy\n    value: localhost\n';
    const f = one(lintProxy(same, { settings: K3S }), 'proxy/no-proxy-missing');
    assert.equal(f.fixes[0].edits.length, 2);
    const fixed = applyFix(same, f);
    assert.equal((fixed.match(new RegExp(K3S_ENTRIES.replace(/\./g, '\\.'), 'g')) ?? []).length, 2, fixed);
    assert.deepEqual(summary(lintProxy(fixed, { settings: K3S })), []);

    const differ = `env:\n  - name: HTTPS_PROXY\n    value: http://p:3128\n  - name: NO_PROXY\n    value: ${K3S_ENTRIES}\n  - name: no_proxy\n    value: localhost\n`;
    const findings = lintProxy(differ, { settings: K3S });
    const missing = one(findings, 'proxy/no-proxy-missing');
    assert.equal(at(missing.range), '5:10-5:18'); // `- name: no_proxy`
    assert.match(missing.message, /^no_proxy misses 6 destinations: /);
    assert.match(missing.detail!, /^no_proxy \(read by Python requests and curl\) in env: /);
    assert.equal(only(findings, 'proxy/env-case').length, 1);
  });

  it('in-cluster hosts the values point at are required (a .svc name, a short name with a port)', () => {
    const text = [
      'config:',
      '  prometheusUrl: http://prometheus-server.monitoring.svc:9090',
      '  redisAddress: redis:6379',
      '  image: redis:7',
      'env:',
      '  - name: HTTPS_PROXY',
      '    value: http://p:3128',
      '  - name: NO_PROXY',
      `    value: ${K3S_ENTRIES}`,
      '',
    ].join('\n');
    const f = one(lintProxy(text, { settings: K3S }), 'proxy/no-proxy-missing');
    assert.ok(includesText(f.detail!, 'in-cluster host prometheus-server.monitoring.svc:9090 (config.prometheusUrl): the values send requests there'), f.detail);
    assert.ok(includesText(f.detail!, 'in-cluster host redis:6379 (config.redisAddress)'), f.detail);
    assert.ok(!findingText(f).includes('redis:7'), findingText(f));
    assert.equal(f.message, 'NO_PROXY misses 2 destinations: append .svc, redis');
    const fixed = applyFix(text, f);
    assert.deepEqual(summary(lintProxy(fixed, { settings: K3S })), []);
  });

  it('extraNoProxy entries are required as written, domain suffixes included', () => {
    const settings = { cluster: { distribution: 'k3s' as const, extraNoProxy: ['.corp.example', 'registry.corp:5000', '192.168.10.0/24'] } };
    const text = `env:\n  - name: HTTPS_PROXY\n    value: http://p:3128\n  - name: NO_PROXY\n    value: ${K3S_ENTRIES}\n`;
    const f = one(lintProxy(text, { settings }), 'proxy/no-proxy-missing');
    assert.equal(f.message, 'NO_PROXY misses 3 destinations: append registry.corp, 192.168.10.0/24, .corp.example');
    assert.ok(includesText(f.detail!, 'names under corp.example (extraNoProxy)'), f.detail);
    // Destinations are named as configured (a host name keeps its case).
    assert.ok(f.detail!.includes('registry.corp:5000 (extraNoProxy)'), f.detail);
    const fixed = applyFix(text, f);
    assert.ok(fixed.includes(`${K3S_ENTRIES},registry.corp,192.168.10.0/24,.corp.example\n`), fixed);
    assert.deepEqual(summary(lintProxy(fixed, { settings })), []);
  });

  it('a chart block whose noProxy comes from the chart values.yaml (layers): checked there, fixed in the overlay', () => {
    const files = {
      '/w/harbor/Chart.yaml': 'apiVersion: v2\nname: harbor\nversion: 1.0.0\n',
      '/w/harbor/values.yaml': 'proxy:\n  httpProxy:\n  httpsProxy:\n  noProxy: 127.0.0.1,localhost,.local,.internal\n  components:\n    - core\n',
    };
    const overlay = 'proxy:\n  httpProxy: http://proxy.corp:3128\n  httpsProxy: http://proxy.corp:3128\n';
    const path = '/w/harbor/values-proxy.yaml';
    const findings = lintProxy(overlay, { settings: K3S, files, path });
    assert.deepEqual(only(findings, 'proxy/no-proxy-absent'), []);
    const f = one(findings, 'proxy/no-proxy-missing');
    assert.equal(at(f.range), '1:2-1:11');
    assert.equal(f.message, 'noProxy (from values.yaml) misses 4 destinations: append 10.43.0.0/16, 10.42.0.0/16, 169.254.169.254');
    assert.match(f.detail!, /^noProxy \("127\.0\.0\.1,localhost,\.local,\.internal", from values\.yaml line 4\): requests to them go to the proxy\. /);
    // The layer the value comes from, then a row per missed destination, all on that value.
    assert.deepEqual(f.related![0], { path: '/w/harbor/values.yaml', range: f.related![0].range, message: 'noProxy comes from this layer' });
    assert.deepEqual(f.related?.map((r) => [r.path, at(r.range)]), Array(5).fill(['/w/harbor/values.yaml', '3:11-3:47']));
    const fixed = applyFix(overlay, f);
    assert.equal(fixed, overlay + '  noProxy: 127.0.0.1,localhost,.local,.internal,10.43.0.0/16,10.42.0.0/16,169.254.169.254\n');
    assert.deepEqual(summary(lintProxy(fixed, { settings: K3S, files, path })), []);
  });

  it('a NO_PROXY from a secret (valueFrom) is not checked', () => {
    const text = 'env:\n  - name: HTTPS_PROXY\n    value: http://p:3128\n  - name: NO_PROXY\n    valueFrom:\n      configMapKeyRef: {name: proxy, key: no}\n';
    assert.deepEqual(summary(lintProxy(text, { settings: K3S })), []);
  });
});

describe('proxy/profile-unknown', () => {
  const text = 'env:\n  - name: HTTPS_PROXY\n    value: http://p:3128\n  - name: NO_PROXY\n    value: localhost,127.0.0.1,.cluster.local,169.254.169.254\n';

  it('one info finding on the first proxy variable\'s name, one action per preset plus the profile command', () => {
    const findings = lintProxy(text);
    assert.deepEqual(summary(findings), ['1:10-1:21 info proxy/profile-unknown']); // `- name: HTTPS_PROXY`
    const f = findings[0];
    assert.equal(f.message, 'HTTPS_PROXY is set but no cluster network profile is: set cluster.distribution in .airgap-lint.yaml');
    assert.match(f.detail!, /^Without a profile, NO_PROXY cannot be checked for the pod CIDR, the service CIDR and the apiserver IP\. Set cluster\.distribution, or cluster\.podCIDR and cluster\.serviceCIDR, in \.airgap-lint\.yaml\.$/);
    const titles = f.fixes.map((x) => x.title);
    assert.equal(titles.length, 13);
    assert.ok(titles.includes('Add GKE defaults: 10.0.0.0/14, 34.118.224.0/20'), titles.join('\n'));
    assert.ok(titles.includes('Add EKS defaults: 10.100.0.0/16'));
    assert.equal(titles[titles.length - 1], 'Set cluster network profile…');
    // No config file: every action is the client command, which creates .airgap-lint.yaml.
    for (const fix of f.fixes) {
      assert.equal(fix.safe, false);
      assert.deepEqual(fix.edits, []);
      assert.equal(fix.command?.command, 'airgapLint.setClusterProfile');
    }
    const gke = f.fixes.find((x) => x.title.startsWith('Add GKE'))!;
    assert.deepEqual(gke.command?.arguments, [{ distribution: 'gke', configPath: '/w/.airgap-lint.yaml', valuesPath: VALUES }]);
  });

  it('with a config file: edits it directly; the fixed config gives a known profile', () => {
    const config = '# team settings\nrules:\n  image/*: off\ncluster:\n  clusterDomain: cluster.local\n';
    const findings = lintProxy(text, { files: { '/w/.airgap-lint.yaml': config } });
    const f = one(findings, 'proxy/profile-unknown');
    const gke = f.fixes.find((x) => x.title.startsWith('Add GKE'))!;
    assert.equal(gke.path, '/w/.airgap-lint.yaml');
    assert.equal(gke.command, undefined);
    const newConfig = applyFix(config, f, f.fixes.indexOf(gke));
    assert.equal(newConfig, config + '  distribution: gke\n');
    const after = lintProxy(text, { files: { '/w/.airgap-lint.yaml': newConfig } });
    assert.deepEqual(only(after, 'proxy/profile-unknown'), []);
    assert.ok(includesText(one(after, 'proxy/no-proxy-missing').detail!, 'service CIDR 34.118.224.0/20'));
    // No `cluster:` block yet: one is appended.
    const bare = lintProxy(text, { files: { '/w/.airgap-lint.yaml': 'rules: {}' } });
    const k3s = one(bare, 'proxy/profile-unknown').fixes.find((x) => x.title.startsWith('Add k3s'))!;
    assert.equal(applyFix('rules: {}', one(bare, 'proxy/profile-unknown'), one(bare, 'proxy/profile-unknown').fixes.indexOf(k3s)), 'rules: {}\ncluster:\n  distribution: k3s\n');
  });

  it('not without a proxied env set, nor with a profile', () => {
    assert.deepEqual(summary(lintProxy('env:\n  - name: NO_PROXY\n    value: localhost\n')), []);
    assert.deepEqual(only(lintProxy(text, { settings: { cluster: { podCIDR: ['10.244.0.0/16'] } } }), 'proxy/profile-unknown'), []);
  });
});

describe('proxy/no-proxy-ineffective', () => {
  const lintNoProxy = (value: string, runtimes?: Array<'go' | 'curl' | 'python' | 'node'>) => {
    const text = `env:\n  - name: NO_PROXY\n    value: ${value}\n`;
    return { text, findings: only(lintProxy(text, { settings: { ...K3S, runtimes } }), 'proxy/no-proxy-ineffective') };
  };

  it('space-separated entries: on the item, fixed with commas', () => {
    const { text, findings } = lintNoProxy('"localhost,a.corp b.corp,127.0.0.1"');
    assert.equal(findings.length, 1);
    assert.equal(at(findings[0].range), '2:22-2:35');
    assert.equal(findings[0].message, 'NO_PROXY entry "a.corp b.corp" holds several entries: separate them with commas');
    assert.match(findings[0].detail!, /^"a\.corp b\.corp" holds 2 entries separated by whitespace; NO_PROXY entries must be separated by commas\. Go: nothing: Go splits NO_PROXY on commas only/);
    const fixed = applyFix(text, findings[0]);
    assert.ok(fixed.includes('value: "localhost,a.corp,b.corp,127.0.0.1"'), fixed);
    assert.deepEqual(only(lintProxy(fixed, { settings: K3S }), 'proxy/no-proxy-ineffective'), []);
  });

  it('a URL, `*.x`, a trailing dot, a port under curl: rewritten to what they mean', () => {
    const { text, findings } = lintNoProxy("'http://proxy.corp:3128/,*.corp.example,svc.cluster.local.,registry.corp:5000'");
    assert.deepEqual(findings.map((f) => at(f.range)), ['2:12-2:35', '2:36-2:50', '2:51-2:69', '2:70-2:88']);
    assert.deepEqual(findings.map((f) => f.message), [
      'NO_PROXY entry "http://proxy.corp:3128/" does not work as written under Go, Python requests and curl: write proxy.corp',
      'NO_PROXY entry *.corp.example does not work as written under Python requests and curl: write .corp.example',
      'NO_PROXY entry svc.cluster.local. does not work as written under Go and Python requests: write svc.cluster.local',
      'NO_PROXY entry "registry.corp:5000" does not work as written under curl: write registry.corp',
    ]);
    assert.match(findings[0].detail!, /^Under Go, Python requests and curl it matches nothing: a URL is compared as a host name, which it never equals .* Write proxy\.corp\.$/);
    assert.match(findings[1].detail!, /^Under Python requests it matches nothing: Python requests has no \*\. wildcard and compares the entry literally; under curl it matches nothing: curl has no \*\. wildcard.* \(it works under Go\)\. Write \.corp\.example\.$/);
    assert.match(findings[2].detail!, /^Under Go it matches nothing: Go compares the trailing dot literally, and host names are written without it; under Python requests it matches nothing: .* \(it works under curl\)\./);
    assert.match(findings[3].detail!, /^Under curl it matches nothing: curl does not support ports in NO_PROXY.* \(it works under Go and Python requests\)\. Write registry\.corp\.$/);
    let fixed = text;
    // Apply one at a time, from the last (earlier offsets stay valid).
    for (const f of [...findings].reverse()) fixed = applyFix(fixed, f);
    assert.ok(fixed.includes("value: 'proxy.corp,.corp.example,svc.cluster.local,registry.corp'"), fixed);
    assert.deepEqual(only(lintProxy(fixed, { settings: K3S }), 'proxy/no-proxy-ineffective'), []);
  });

  it('invalid CIDR, invalid IP and a typo: no fix', () => {
    const { findings } = lintNoProxy('10.0.0.0/33,10.0.0.256,[ocalhost');
    assert.deepEqual(findings.map((f) => at(f.range)), ['2:11-2:22', '2:23-2:33', '2:34-2:43']);
    assert.deepEqual(findings.map((f) => f.message), ['10.0.0.0/33', '10.0.0.256', '[ocalhost'].map((e) => `NO_PROXY entry ${e} does not match what it looks like under Go, Python requests and curl`));
    assert.ok(findings[0].detail!.includes('"10.0.0.0/33" is not a valid CIDR: the prefix length must be a number from 0 to 32'), findings[0].detail);
    assert.ok(findings[1].detail!.includes('"10.0.0.256" is not a valid IPv4 address'), findings[1].detail);
    assert.ok(findings[2].detail!.includes('"[ocalhost"'), findings[2].detail);
    for (const f of findings) assert.deepEqual(f.fixes, []);
  });

  it('bracketed IPv6 without a port, unless the bare form is listed too (the portable recipe)', () => {
    const alone = lintNoProxy('"[fd00::1],localhost"');
    assert.equal(alone.findings.length, 1);
    assert.equal(at(alone.findings[0].range), '2:12-2:21');
    assert.equal(alone.findings[0].message, 'NO_PROXY entry "[fd00::1]" does not work as written under Go, Python requests and curl: write "fd00::1"');
    assert.match(alone.findings[0].detail!, /^Under Go it matches nothing: brackets without a port make Go read it as a host name, which never matches an IP \(write fd00::1\)/);
    const fixed = applyFix(alone.text, alone.findings[0]);
    assert.ok(fixed.includes('"fd00::1,localhost"'), fixed);
    assert.deepEqual(lintNoProxy('"::1,[::1]"').findings, []);
  });

  it('CIDRs under Node (no CIDR support), `.svc` without the cluster domain', () => {
    const node = lintNoProxy('10.42.0.0/16,localhost', ['go', 'node']);
    assert.equal(node.findings.length, 1);
    assert.equal(at(node.findings[0].range), '2:11-2:23');
    assert.equal(node.findings[0].message, 'NO_PROXY entry 10.42.0.0/16 does not match what it looks like under Node.js undici');
    assert.equal(node.findings[0].detail, 'Under Node.js undici it matches nothing: undici has no CIDR support (it works under Go).');
    const svc = lintNoProxy('localhost,.svc');
    assert.equal(svc.findings.length, 1);
    assert.equal(at(svc.findings[0].range), '2:21-2:25');
    assert.equal(svc.findings[0].message, 'NO_PROXY entry .svc misses Service names under cluster.local: add .cluster.local');
    assert.match(svc.findings[0].detail!, /^\.svc matches only names ending in \.svc \(foo\.ns\.svc\), not the names cluster DNS gives Services \(foo\.ns\.svc\.cluster\.local\), and no other entry covers the cluster domain\.$/);
    const fixed = applyFix(svc.text, svc.findings[0]);
    assert.ok(fixed.includes('value: localhost,.svc,.cluster.local'), fixed);
    assert.deepEqual(lintNoProxy('localhost,.svc,.cluster.local').findings, []);
  });

  it('entries only curl skips after a blank are not reported twice', () => {
    const { findings } = lintNoProxy('"a.corp b.corp,*.x.corp"', ['curl']);
    assert.deepEqual(findings.map((f) => at(f.range)), ['2:12-2:25']);
  });
});

describe('proxy/no-proxy-wildcard', () => {
  it('`*` as the whole value, and `*` among others where runtimes disagree', () => {
    const whole = one(lintProxy('env:\n  - name: NO_PROXY\n    value: "*"\n', { settings: K3S }), 'proxy/no-proxy-wildcard');
    assert.equal(at(whole.range), '2:12-2:13');
    assert.equal(whole.message, 'NO_PROXY * sends every request past the proxy: list the hosts that must bypass it instead');
    assert.equal(whole.detail, 'Nothing this container sends uses the proxy, and behind a firewall every outside request fails.');
    const among = one(lintProxy('env:\n  - name: NO_PROXY\n    value: localhost,*\n', { settings: K3S }), 'proxy/no-proxy-wildcard');
    assert.equal(at(among.range), '2:21-2:22');
    assert.equal(among.message, 'NO_PROXY entry * among others: remove it, or make * the whole value if nothing should use the proxy');
    assert.equal(
      among.detail,
      'Go bypasses the proxy for every host when * is any entry, while Python requests and curl ignore it (they honour * only as the whole value): the runtimes disagree.',
    );
    assert.deepEqual(among.fixes, []);
  });
});

describe('proxy/no-proxy-redundant', () => {
  it('an IP inside a listed CIDR, and a duplicate: hint, unnecessary, safe removal', () => {
    const text = 'env:\n  - name: NO_PROXY\n    value: "localhost, 10.96.0.1, 10.96.0.0/12, LOCALHOST"\n';
    const findings = only(lintProxy(text, { settings: K3S }), 'proxy/no-proxy-redundant');
    assert.deepEqual(findings.map((f) => [at(f.range), f.severity, f.tags]), [
      ['2:23-2:32', 'hint', ['unnecessary']],
      ['2:48-2:57', 'hint', ['unnecessary']],
    ]);
    assert.equal(findings[0].message, 'NO_PROXY entry 10.96.0.1 is already covered by 10.96.0.0/12: remove it');
    assert.equal(findings[0].detail, 'Under Go, Python requests and curl, everything 10.96.0.1 matches is matched by 10.96.0.0/12 too.');
    assert.equal(findings[1].message, 'NO_PROXY entry LOCALHOST is listed twice: remove this one');
    assert.equal(findings[1].detail, 'Entry 1 is the same.');
    // Related: the entry that covers it.
    assert.deepEqual(findings.map((f) => f.related?.map((rel) => [at(rel.range), rel.message])), [[['2:34-2:46', '10.96.0.0/12 covers it']], [['2:12-2:21', 'localhost covers it']]]);
    assert.ok(findings.every((f) => f.fixes[0].safe));
    const fixed = applyFix(applyFix(text, findings[1]), findings[0]);
    assert.ok(fixed.includes('value: "localhost, 10.96.0.0/12"'), fixed);
    assert.deepEqual(only(lintProxy(fixed, { settings: K3S }), 'proxy/no-proxy-redundant'), []);
  });

  it('a subdomain entry under a domain entry; not when a runtime needs both forms', () => {
    const text = 'env:\n  - name: NO_PROXY\n    value: cluster.local,svc.cluster.local,.corp,corp\n';
    const findings = only(lintProxy(text, { settings: K3S }), 'proxy/no-proxy-redundant');
    // `.corp` (subdomains only under Go) is covered by `corp`; `corp` is not covered by `.corp` under Go.
    assert.deepEqual(findings.map((f) => [f.message, f.detail]), [
      ['NO_PROXY entry svc.cluster.local is already covered by cluster.local: remove it', 'Under Go, Python requests and curl, everything svc.cluster.local matches is matched by cluster.local too.'],
      ['NO_PROXY entry .corp is already covered by corp: remove it', 'Under Go, Python requests and curl, everything .corp matches is matched by corp too.'],
    ]);
    assert.equal(at(findings[0].range), '2:25-2:42');
    const first = applyFix(text, findings[0]);
    assert.ok(first.includes('value: cluster.local,.corp,corp'), first);
    // Under Node's built-in dialect… not active; with only `corp` and `.corp` reversed, Go keeps `corp`.
    assert.deepEqual(only(lintProxy('env:\n  - name: NO_PROXY\n    value: .corp\n', { settings: K3S }), 'proxy/no-proxy-redundant'), []);
  });
});

describe('proxy/url-invalid and proxy/credentials-inline', () => {
  const proxyValue = (value: string, runtimes?: Array<'go' | 'curl' | 'python' | 'node'>) =>
    lintProxy(`env:\n  - name: HTTPS_PROXY\n    value: ${value}\n  - name: NO_PROXY\n    value: ${K3S_ENTRIES}\n`, { settings: { ...K3S, runtimes } });

  it('placeholders, bad ports, unsupported schemes: errors on the part at fault', () => {
    const ph = one(proxyValue('"http://your-proxy:port"'), 'proxy/url-invalid');
    assert.equal(ph.severity, 'error');
    assert.equal(at(ph.range), '2:19-2:29');
    assert.equal(ph.message, 'HTTPS_PROXY is still a placeholder ("your-proxy"): put the real proxy URL here');
    assert.equal(ph.detail, 'Helm installs "http://your-proxy:port" literally, and every request through the proxy fails. A proxy URL looks like http://proxy.corp.example:3128.');
    const angle = one(proxyValue('"http://<proxy>:3128"'), 'proxy/url-invalid');
    assert.equal(at(angle.range), '2:19-2:26');
    const port = one(proxyValue('http://proxy.corp:99999'), 'proxy/url-invalid');
    assert.equal(at(port.range), '2:28-2:34');
    assert.equal(port.message, 'HTTPS_PROXY has an invalid port "99999": write a number from 1 to 65535');
    assert.match(port.detail!, /^"http:\/\/proxy\.corp:99999" is not a proxy URL/);
    const scheme = one(proxyValue('ftp://proxy.corp:21'), 'proxy/url-invalid');
    assert.equal(at(scheme.range), '2:11-2:14');
    assert.equal(scheme.message, 'HTTPS_PROXY uses the scheme "ftp", which Go, Python requests and curl cannot use for a proxy: write http://');
    assert.match(scheme.detail!, /https:\/\/ for a TLS proxy/);
  });

  it('no scheme and no port: a warning where curl and the others disagree; an error under Node', () => {
    const f = one(proxyValue('"192.168.0.10"'), 'proxy/url-invalid');
    assert.equal(f.severity, 'warning');
    assert.equal(at(f.range), '2:11-2:25');
    assert.equal(f.message, 'HTTPS_PROXY has no scheme and no port: write it, e.g. http://192.168.0.10:3128');
    assert.equal(f.detail, 'Without a port, curl connects to the proxy on port 1080, Go and Python requests on port 80.');
    assert.deepEqual(only(proxyValue('"192.168.0.10"', ['go']), 'proxy/url-invalid'), []);
    const node = only(proxyValue('proxy.corp:3128', ['go', 'node']), 'proxy/url-invalid');
    assert.deepEqual(node.map((x) => [x.severity, x.message, x.detail]), [
      ['error', 'HTTPS_PROXY has no scheme: write http://proxy.corp:3128', 'Node.js undici rejects a proxy URL without a scheme as invalid (Go, curl and Python would assume http://).'],
    ]);
    const socks = one(proxyValue('socks5://proxy.corp:1080'), 'proxy/url-invalid');
    assert.equal(socks.severity, 'warning');
    assert.match(socks.message, /Python requests needs the PySocks extra/);
    assert.match(socks.detail!, /fails every request through "socks5:\/\/proxy\.corp:1080"/);
    assert.deepEqual(only(proxyValue('https://proxy.corp'), 'proxy/url-invalid'), []);
  });

  it('a password in the URL: on the variable\'s name, the user info as related, never printed', () => {
    const findings = proxyValue('http://alice:S3cr3t%21@proxy.corp:3128');
    const f = one(findings, 'proxy/credentials-inline');
    assert.equal(f.severity, 'warning');
    assert.equal(at(f.range), '1:10-1:21'); // `- name: HTTPS_PROXY`
    assert.deepEqual(f.related?.map((r) => [at(r.range), r.message]), [['2:18-2:33', 'the user name and password in the URL']]);
    assert.equal(f.message, 'HTTPS_PROXY has a password in the values file: keep the URL in a Secret (valueFrom.secretKeyRef)');
    assert.equal(f.detail, 'Anyone who can read the file or the release (helm get values) can read it: http://alice:****@proxy.corp:3128.');
    const everything = (x: (typeof findings)[number]) => [findingText(x), ...(x.related ?? []).map((r) => r.message)].join('\n');
    for (const x of findings) assert.ok(!everything(x).includes('S3cr3t'), everything(x));
    const broken = proxyValue('"http://bob:hunter2@<proxy>:3128"');
    for (const x of broken) assert.ok(!everything(x).includes('hunter2'), everything(x));
    assert.deepEqual(only(proxyValue('http://alice@proxy.corp:3128'), 'proxy/credentials-inline'), []);
  });
});

describe('proxy/env-case', () => {
  it('upper and lower case forms that disagree: on the second, with both fixes', () => {
    const text = 'env:\n  - name: HTTPS_PROXY\n    value: http://a:3128\n  - name: https_proxy\n    value: http://b:3128\n';
    const f = one(lintProxy(text, { settings: K3S }), 'proxy/env-case');
    assert.equal(at(f.range), '4:11-4:24');
    assert.equal(f.message, 'https_proxy and HTTPS_PROXY differ in env: set both to the same value');
    assert.equal(
      f.detail,
      'https_proxy is "http://b:3128", HTTPS_PROXY is "http://a:3128". Go reads HTTPS_PROXY first; curl, Python and Node.js read https_proxy first, so the runtimes use different settings.',
    );
    assert.deepEqual(f.fixes.map((x) => [x.title, x.safe]), [
      ['Set https_proxy to the value of HTTPS_PROXY', false],
      ['Set HTTPS_PROXY to the value of https_proxy', false],
    ]);
    const fixed = applyFix(text, f, 0);
    assert.deepEqual(only(lintProxy(fixed, { settings: K3S }), 'proxy/env-case'), []);
    // An empty lower-case no_proxy disables NO_PROXY for curl, Python and Node.
    const empty = one(lintProxy('env:\n  - name: NO_PROXY\n    value: localhost\n  - name: no_proxy\n    value: ""\n', { settings: K3S }), 'proxy/env-case');
    assert.equal(empty.message, 'no_proxy and NO_PROXY differ in env: set both to the same value');
    assert.match(empty.detail!, /^no_proxy is "" \(empty\), NO_PROXY is localhost\. /);
  });

  it('HTTP_PROXY only in upper case while curl is active: on its name; add http_proxy', () => {
    const text = 'extraEnv:\n  - name: HTTP_PROXY\n    value: "http://superproxy.com:3128"\n';
    const f = one(lintProxy(text, { settings: K3S }), 'proxy/env-case');
    assert.equal(at(f.range), '1:10-1:20');
    assert.equal(f.message, 'Only upper-case HTTP_PROXY is set in extraEnv: add http_proxy with the same value');
    assert.match(f.detail!, /curl never reads HTTP_PROXY \(a guard against httpoxy\) and sends http:\/\/ requests directly, past the proxy/);
    const fixed = applyFix(text, f);
    assert.equal(fixed, text + '  - name: http_proxy\n    value: "http://superproxy.com:3128"\n');
    assert.deepEqual(only(lintProxy(fixed, { settings: K3S }), 'proxy/env-case'), []);
    assert.deepEqual(only(lintProxy(text, { settings: { ...K3S, runtimes: ['go', 'python'] } }), 'proxy/env-case'), []);
  });
});

describe('proxy/component-missing', () => {
  it('another env set of the same shape without the proxy: on its key, copy the items', () => {
    const text = ['runner:', '  additional_env_vars:', '    - name: HTTPS_PROXY', '      value: http://p:3128', '    - name: NO_PROXY', '      valueFrom:', '        configMapKeyRef: {name: proxy, key: no}', 'holmes:', '  additionalEnvVars: []', ''].join('\n');
    const f = one(lintProxy(text, { settings: K3S }), 'proxy/component-missing');
    assert.equal(at(f.range), '8:2-8:19');
    assert.equal(f.message, 'holmes.additionalEnvVars sets no proxy: copy HTTPS_PROXY, NO_PROXY from runner.additional_env_vars');
    assert.equal(f.detail, "runner.additional_env_vars (line 2) sets HTTPS_PROXY, NO_PROXY. This component's requests to the outside go direct and fail behind the firewall.");
    assert.deepEqual(f.related?.map((r) => at(r.range)), ['1:2-1:21']);
    // A flow `[]` target gets items rebuilt from their values; a valueFrom item has none, so no fix is offered.
    assert.deepEqual(f.fixes, []);
  });

  it('block to block: items copied as written, valueFrom included', () => {
    const text = ['runner:', '  additional_env_vars:', '    - name: HTTPS_PROXY', '      value: http://p:3128', '    - name: NO_PROXY', '      valueFrom:', '        configMapKeyRef: {name: proxy, key: no}', 'holmes:', '  additionalEnvVars:', '  - name: ROBUSTA_AI', '    value: "true"', ''].join('\n');
    const f = one(lintProxy(text, { settings: K3S }), 'proxy/component-missing');
    const fixed = applyFix(text, f);
    assert.ok(fixed.endsWith(['  - name: ROBUSTA_AI', '    value: "true"', '  - name: HTTPS_PROXY', '    value: http://p:3128', '  - name: NO_PROXY', '    valueFrom:', '      configMapKeyRef: {name: proxy, key: no}', ''].join('\n')), fixed);
    assert.deepEqual(only(lintProxy(fixed, { settings: K3S }), 'proxy/component-missing'), []);
  });

  it('a target that has its own NO_PROXY keeps it: only the proxy URLs are copied', () => {
    const text = `a:\n  env:\n    - name: HTTPS_PROXY\n      value: http://p:3128\n    - name: NO_PROXY\n      value: ${K3S_ENTRIES}\nb:\n  env:\n    - name: NO_PROXY\n      value: localhost\n`;
    const f = one(lintProxy(text, { settings: K3S }), 'proxy/component-missing');
    assert.equal(f.fixes[0].title, 'Copy HTTPS_PROXY from a.env');
    const fixed = applyFix(text, f);
    assert.ok(fixed.endsWith('    - name: NO_PROXY\n      value: localhost\n    - name: HTTPS_PROXY\n      value: http://p:3128\n'), fixed);
    const after = lintProxy(fixed, { settings: K3S });
    assert.deepEqual(only(after, 'proxy/component-missing'), []);
    // Now proxied, its short NO_PROXY is checked like any other.
    assert.equal(only(after, 'proxy/no-proxy-missing').length, 1);
  });

  it('not when the proxy is set chart-wide (defaults.env, global, a chart block) or set empty on purpose', () => {
    const defaults = 'defaults:\n  env:\n    - name: HTTPS_PROXY\n      value: http://p:3128\ncomponents:\n  agent:\n    env: []\n';
    assert.deepEqual(only(lintProxy(defaults, { settings: K3S }), 'proxy/component-missing'), []);
    const empty = 'a:\n  env:\n    - name: HTTPS_PROXY\n      value: http://p:3128\nb:\n  env:\n    - name: HTTPS_PROXY\n      value: ""\n';
    assert.deepEqual(only(lintProxy(empty, { settings: K3S }), 'proxy/component-missing'), []);
  });
});

describe('proxy/no-proxy-differs', () => {
  it('on each env set that lacks entries another one has; the fix appends the union', () => {
    const text = [
      'agent:',
      '  extraEnvs:',
      '    - name: HTTPS_PROXY',
      '      value: http://p:3128',
      '    - name: NO_PROXY',
      `      value: ${K3S_ENTRIES},.corp`,
      'clusterReceiver:',
      '  extraEnvs:',
      '    - name: HTTPS_PROXY',
      '      value: http://p:3128',
      '    - name: NO_PROXY',
      `      value: ${K3S_ENTRIES}`,
      '',
    ].join('\n');
    const findings = lintProxy(text, { settings: K3S });
    const f = one(findings, 'proxy/no-proxy-differs');
    assert.equal(f.severity, 'info');
    assert.equal(at(f.range), '10:12-10:20'); // `- name: NO_PROXY` of clusterReceiver
    assert.equal(f.message, 'NO_PROXY in clusterReceiver.extraEnvs lacks entries other env sets have: .corp');
    assert.equal(f.detail, 'It differs from the NO_PROXY of agent.extraEnvs: it lacks .corp. Components of one install usually need the same exceptions; make them equal.');
    assert.deepEqual(f.related?.map((r) => at(r.range)), ['5:13-5:95']);
    const fixed = applyFix(text, f);
    assert.deepEqual(summary(lintProxy(fixed, { settings: K3S })), []);
  });
});

describe('proxy rules and the engine', () => {
  it('suppression comments and severity overrides apply', () => {
    const text = 'extraEnv:\n  # airgap-lint-disable-next-line proxy/env-case\n  - name: HTTP_PROXY\n    value: http://p:3128\n  - name: NO_PROXY\n    value: localhost\n';
    const findings = lintProxy(text, { settings: { ...K3S, rules: { 'proxy/no-proxy-missing': 'error' } } });
    assert.deepEqual(summary(findings), ['4:10-4:18 error proxy/no-proxy-missing']);
  });
});

describe('proxy rule catalog', () => {
  it('every proxy rule is registered with its rules.md severity and documented under its README anchor', () => {
    const readme = readFileSync(nodePath.join(REPO, 'README.md'), 'utf8');
    const expected: Record<string, string> = {
      'proxy/no-proxy-absent': 'warning',
      'proxy/no-proxy-missing': 'warning',
      'proxy/profile-unknown': 'info',
      'proxy/no-proxy-ineffective': 'warning',
      'proxy/no-proxy-wildcard': 'warning',
      'proxy/no-proxy-redundant': 'hint',
      'proxy/url-invalid': 'error',
      'proxy/credentials-inline': 'warning',
      'proxy/env-case': 'warning',
      'proxy/component-missing': 'warning',
      'proxy/no-proxy-differs': 'info',
      'proxy/no-proxy-unsupported': 'warning',
    };
    assert.deepEqual(PROXY_RULE_INFO.map((r) => r.id), Object.keys(expected));
    for (const [id, severity] of Object.entries(expected)) {
      assert.equal(ruleInfo(id)?.severity, severity, id);
      const anchor = ruleDocsUrl(id).split('#')[1];
      assert.equal(anchor, id.replace('/', '-'));
      assert.ok(readme.includes(`<a id="${anchor}"></a>\n#### \`${id}\` — ${severity}`), id);
    }
  });
});

describe('proxy fixes together (fix all)', () => {
  it('every safe proxy fix of a messy file applies in a few rounds, keeps the YAML valid and leaves nothing safe to fix', () => {
    const text = [
      'runner:',
      '  additional_env_vars:',
      '    - name: HTTPS_PROXY',
      '      value: "http://proxy.corp:3128"',
      '    - name: NO_PROXY',
      '      value: "localhost, 10.43.0.1, 10.43.0.0/16, localhost"',
      'holmes:',
      '  additionalEnvVars:',
      '    - name: ROBUSTA_AI',
      '      value: "true"',
      'kubewatch:',
      '  config:',
      '    url: http://kubewatch-api.monitoring.svc:8080',
      '',
    ].join('\n');
    const lintText = (t: string) => lintProxy(t, { settings: K3S });
    const { text: fixed, rounds, changed } = fixAll(VALUES, text, lintText);
    assert.ok(changed);
    assert.ok(rounds <= 4, `${rounds} rounds`);
    assert.deepEqual(parseValuesDocument(VALUES, fixed).problems, []);
    const left = lintText(fixed);
    assert.deepEqual(left.filter((f) => f.fixes.some((x) => x.safe)), []);
    assert.ok(fixed.includes('value: "localhost, 10.43.0.0/16, 127.0.0.1, .cluster.local, 10.42.0.0/16, 169.254.169.254, .svc"'), fixed);
    assert.match(fixed, /holmes:\n  additionalEnvVars:\n    - name: ROBUSTA_AI\n      value: "true"\n    - name: HTTPS_PROXY\n/);
  });
});
