// values/placeholder: unreplaced `<…>` tokens in registries, hosts, URLs and images, with the
// range on exactly the token; never on message templates or Go templates; fixes from
// mirror.registry for this token or all of them, applied and re-linted. Then the other
// conventions (CHANGEME, REPLACE_ME, YOUR_…/your-…, xxx, ALL-CAPS names) in host, URL,
// registry, credential and id values only, on copies of botkube and splunk files in
// test/fixtures/placeholder (see its SOURCES.md).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { ConfigInput } from '../server/src/engine/config';
import { applyEdits, fixAll } from '../server/src/engine/fixes';
import { Engine } from '../server/src/engine/lint';
import type { Finding } from '../server/src/engine/types';
import { CORPUS, FIXTURES, MemoryHost, findingText, range } from './helpers';

function lint(text: string, settings: ConfigInput = {}, name = 'values.yaml'): Finding[] {
  const host = new MemoryHost({ [`p/${name}`]: text });
  return new Engine(host, { settings }).lint(`/mem/p/${name}`).findings.filter((f) => f.code === 'values/placeholder');
}

const ranges = (findings: Finding[]) => findings.map((f) => [f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character]);
const harbor: ConfigInput = { mirror: { registry: 'harbor.corp:5000' } };

describe('values/placeholder', () => {
  it('kubernaut HEAD values-airgap.yaml: <mirror-registry> at L41, L53, L56, L60 (not in comments)', () => {
    const text = fs.readFileSync(nodePath.join(CORPUS, 'jordigilh__kubernaut/charts/kubernaut/values-airgap.yaml'), 'utf8');
    const findings = lint(text, {}, 'values-airgap.yaml');
    assert.deepEqual(ranges(findings), [
      [40, 14, 40, 31],
      [52, 9, 52, 26],
      [55, 9, 55, 26],
      [59, 11, 59, 28],
    ]);
    assert.ok(findings.every((f) => f.severity === 'error' && f.fixes.length === 0));
    assert.equal(findings[0].message, 'Unreplaced placeholder <mirror-registry> in global.image.registry: replace it with your registry host');
    assert.match(findings[0].detail!, /not a valid host name.*Set mirror\.registry in \.airgap-lint\.yaml to get a quick fix/);
    assert.equal(findings[1].message, 'Unreplaced placeholder <mirror-registry> in postgresql.image: replace it with your registry host');
    assert.match(findings[1].detail!, /^postgresql\.image is "<mirror-registry>\/rhel10\/postgresql-16"\. .*the image reference is not valid/);
  });

  it('a0781038 values-airgap.yaml: five placeholders; with mirror.registry, one fix each and a "replace all" fix; fix-all leaves none', () => {
    const text = fs.readFileSync(nodePath.join(CORPUS, 'jordigilh__kubernaut__a0781038/charts/kubernaut/values-airgap.yaml'), 'utf8');
    const findings = lint(text, harbor, 'values-airgap.yaml');
    assert.deepEqual(findings.map((f) => f.range.start.line + 1), [41, 54, 57, 61, 64]);
    const first = findings[0];
    assert.deepEqual(first.fixes.map((f) => [f.title, f.safe, f.edits.length]), [
      ['Replace <mirror-registry> with harbor.corp:5000', true, 1],
      ['Replace all 5 <mirror-registry> in this file with harbor.corp:5000', true, 5],
    ]);
    assert.deepEqual(first.fixes[0].edits, [{ range: range(40, 14, 40, 31), newText: 'harbor.corp:5000' }]);
    // "This one" touches only its token.
    const one = applyEdits(text, first.fixes[0].edits).text;
    assert.equal(lint(one, harbor, 'values-airgap.yaml').length, 4);
    // "All in file" clears the file in one go; applying it again changes nothing.
    const all = applyEdits(text, first.fixes[1].edits).text;
    assert.deepEqual(lint(all, harbor, 'values-airgap.yaml'), []);
    assert.match(all, /^  image: harbor\.corp:5000\/rhel10\/postgresql-16$/m);
    assert.match(all, /^  initImage: harbor\.corp:5000\/ubi10\/ubi-minimal:latest$/m);
    // The safe fixes are what --fix applies: the result equals "replace all", and a second run is a no-op.
    const path = '/mem/p/values-airgap.yaml';
    const lintText = (t: string) => lint(t, harbor, 'values-airgap.yaml');
    const fixed = fixAll(path, text, lintText);
    assert.equal(fixed.text, all);
    assert.equal(fixAll(path, fixed.text, lintText).changed, false);
  });

  it('registries, hosts, URLs, images and whole values are reported; templates and prose are not', () => {
    const text = fs.readFileSync(nodePath.join(FIXTURES, 'images/placeholders/values.yaml'), 'utf8');
    const findings = lint(text, harbor);
    assert.deepEqual(
      findings.map((f) => [f.range.start.line + 1, text.split('\n')[f.range.start.line].slice(f.range.start.character, f.range.end.character)]),
      [
        [3, '<mirror-registry>'], // global.imageRegistry
        [6, '<api-key>'], // the whole value
        [7, '<tenant>'], // inside a double-quoted URL
        [10, '<your-proxy>'], // proxy URL
        [13, '<tenant>'], // the whole value
        [16, '<mirror-registry>'], // after an escape: the token itself (escapes are mapped)
      ],
    );
    // Only the mirror tokens get the mirror.registry fix.
    assert.deepEqual(findings.map((f) => f.fixes.length), [2, 0, 0, 0, 0, 2]);
    assert.match(findings[3].message, /^Unreplaced placeholder <your-proxy> in proxy\.httpsProxy: /);
    assert.match(findings[3].detail!, /the URL has no valid host/);
    // Only the token is replaced; the escape before it stays as written.
    assert.deepEqual(findings[5].fixes[0].edits, [{ range: range(15, 22, 15, 39), newText: 'harbor.corp:5000' }]);
  });

  it('leaves message templates, Go templates, markup and unconfigured mirrors alone', () => {
    const text = [
      'sinksConfig:',
      '  - slack_sink:',
      '      name: main',
      '      template: "alert.<severity>.<name>"',
      '      title: Alert <name> is <status>',
      'alertmanager:',
      '  config:',
      '    receivers:',
      '      - name: robusta',
      '        webhook_configs:',
      '          - url: "http://{{ .Release.Name }}-runner.{{ .Release.Namespace }}.svc.cluster.local/api/alerts"',
      'routing: alert.<severity>.<name>',
      'banner: "<b>maintenance</b>"',
      'serviceMonitor:',
      '  proxyUrl: ""',
      '',
    ].join('\n');
    assert.deepEqual(lint(text, harbor), []);
  });

  it('no findings on the corpus charts as shipped (kube-prometheus-stack proxyUrl keys, Robusta templates)', () => {
    // botkube is no longer here: its ALL-CAPS placeholders are findings (see below).
    for (const p of [
      'prometheus-community__helm-charts/charts/kube-prometheus-stack/values.yaml',
      'robusta-dev__robusta/helm/robusta/values.yaml',
      'robusta-dev__robusta/helm/robusta/charts/holmes-0.39.0/holmes/values.yaml',
      'rancher__rancher/chart/values.yaml',
    ]) {
      assert.deepEqual(lint(fs.readFileSync(nodePath.join(CORPUS, p), 'utf8')), [], p);
    }
  });

  it('single-quoted scalars with doubled quotes before the token: the token itself; a mirror with a path prefix', () => {
    const text = "a:\n  image: '<mirror-registry>/team/app:1.0'\nb:\n  url: 'http://it''s/<tenant>'\n";
    const findings = lint(text, { mirror: { registry: 'harbor.corp/proxy' } });
    assert.deepEqual(ranges(findings), [
      [1, 10, 1, 27],
      [3, 21, 3, 29],
    ]);
    const fixed = applyEdits(text, findings[0].fixes[0].edits).text;
    assert.equal(fixed, "a:\n  image: 'harbor.corp/proxy/team/app:1.0'\nb:\n  url: 'http://it''s/<tenant>'\n");
  });

  describe('other conventions: CHANGEME, REPLACE_ME, YOUR_…, xxx, ALL-CAPS names', () => {
    const PH = nodePath.join(FIXTURES, 'placeholder');
    /** [1-based line, the text under the range] for each finding. */
    const spans = (text: string, findings: Finding[]) => {
      const lines = text.split('\n');
      return findings.map((f) => {
        assert.equal(f.range.start.line, f.range.end.line);
        return [f.range.start.line + 1, lines[f.range.start.line].slice(f.range.start.character, f.range.end.character)];
      });
    };

    it('botkube values.yaml: the ALL-CAPS names under url, token, server and password keys; not those under name, team, botID, id, username', () => {
      const text = fs.readFileSync(nodePath.join(PH, 'botkube-values.yaml'), 'utf8');
      const findings = lint(text);
      assert.deepEqual(ranges(findings), [
        [562, 12, 562, 33],
        [564, 14, 564, 30],
        [592, 14, 592, 27],
        [628, 15, 628, 36],
        [632, 17, 632, 39],
        [665, 12, 665, 23],
      ]);
      assert.deepEqual(spans(text, findings).map((s) => s[1]), ['MATTERMOST_SERVER_URL', 'MATTERMOST_TOKEN', 'DISCORD_TOKEN', 'ELASTICSEARCH_ADDRESS', 'ELASTICSEARCH_PASSWORD', 'WEBHOOK_URL']);
      assert.ok(findings.every((f) => f.severity === 'error' && f.fixes.length === 0));
      const [url, token, , server, password, webhook] = findings;
      assert.equal(url.message, 'Unreplaced placeholder MATTERMOST_SERVER_URL: replace it with the real value before install');
      assert.match(url.detail!, /an ALL-CAPS name standing for the value.*Helm installs it literally: the URL has no valid host, so every connection to it fails\./);
      // The key the placeholder is in is named (the headline leaves it out when it does not fit).
      assert.match(findingText(url), /communications\.default-group\.mattermost\.url/);
      assert.match(webhook.message, /^Unreplaced placeholder WEBHOOK_URL\b/);
      assert.match(findingText(webhook), /communications\.default-group\.webhook\.url/);
      assert.match(webhook.detail!, /the URL has no valid host/);
      assert.match(server.message, /^Unreplaced placeholder ELASTICSEARCH_ADDRESS\b/);
      assert.match(findingText(server), /communications\.default-group\.elasticsearch\.server/);
      assert.match(server.detail!, /not a valid host name/);
      for (const f of [token, password]) {
        assert.match(f.message, /: replace it with a Secret the chart reads$/);
        assert.match(f.detail!, /authentication fails\. A credential belongs in a Kubernetes Secret/);
      }
      // A configured mirror changes nothing: none of these is a registry.
      assert.deepEqual(ranges(lint(text, harbor)), ranges(findings));
      assert.ok(lint(text, harbor).every((f) => f.fixes.length === 0));
    });

    it('splunk use-proxy example: CHANGEME for clusterName, realm and accessToken (the token one says to use a Secret)', () => {
      const text = fs.readFileSync(nodePath.join(PH, 'splunk-use-proxy-values.yaml'), 'utf8');
      const findings = lint(text, harbor);
      assert.deepEqual(ranges(findings), [
        [0, 13, 0, 21],
        [2, 9, 2, 17],
        [3, 15, 3, 23],
      ]);
      assert.deepEqual(spans(text, findings).map((s) => s[1]), ['CHANGEME', 'CHANGEME', 'CHANGEME']);
      assert.ok(findings.every((f) => f.fixes.length === 0 && /CHANGEME convention/.test(f.detail!)));
      assert.equal(findings[0].message, 'Unreplaced placeholder CHANGEME in clusterName: replace it with the real value before install');
      assert.match(findings[0].detail!, /Helm installs it literally: the chart gets the literal text\.$/);
      assert.match(findings[1].message, /in splunkObservability\.realm: /);
      assert.doesNotMatch(findingText(findings[1]), /Secret/);
      assert.match(findings[2].message, /in splunkObservability\.accessToken: replace it with a Secret the chart reads$/);
      assert.match(findings[2].detail!, /credential.*Kubernetes Secret/);
    });

    it('each convention, with the range on exactly the token', () => {
      const text = [
        'a:', // 1
        '  url: https://CHANGEME.example.com/api', // 2
        '  proxy: http://xxx:8080', // 3
        '  apiKey: YOUR_API_KEY', // 4
        '  httpsProxy: http://your-proxy:3128', // 5
        '  endpoint: REPLACE_ME', // 6
        '  token: replaceme', // 7
        '  password: "changeme"', // 8
        '  host: CHANGE_ME.corp.example:443', // 9
        "  webhookUrl: 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXX'", // 10
        '  apiToken: sk-xxxxxxxx-xxxx', // 11
        '  tenantId: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', // 12
        "  serverUrl: 'SERVER_URL'", // 13
        '  proxyUrl: http://PROXY_HOST:3128', // 14
        '  realm: your-realm', // 15
        '  urls: ["http://changeme:80", "https://ok.example.com"]', // 16
        '  server: ELASTIC_HOST:9200', // 17
        '  api_key: MY_API_KEY', // 18
        '  clusterName: Your_Cluster', // 19
        '  sentryDSN: https://o0.ingest.sentry.io/xxxx', // 20
        '  extraArgs: ["--endpoint=https://changeme.example.com"]', // 21
        '  url2: "https://<tenant>.xxx.example.com"', // 22: both conventions, in order
        '',
      ].join('\n');
      const findings = lint(text);
      assert.deepEqual(spans(text, findings), [
        [2, 'CHANGEME'],
        [3, 'xxx'],
        [4, 'YOUR_API_KEY'],
        [5, 'your-proxy'],
        [6, 'REPLACE_ME'],
        [7, 'replaceme'],
        [8, 'changeme'],
        [9, 'CHANGE_ME'],
        [10, 'XXXXXXXXXXXX'],
        [11, 'xxxxxxxx-xxxx'],
        [12, 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx'],
        [13, 'SERVER_URL'],
        [14, 'PROXY_HOST'],
        [15, 'your-realm'],
        [16, 'changeme'],
        [17, 'ELASTIC_HOST'],
        [18, 'MY_API_KEY'],
        [19, 'Your_Cluster'],
        [20, 'xxxx'],
        [21, 'changeme'],
        [22, '<tenant>'],
        [22, 'xxx'],
      ]);
      assert.deepEqual(ranges(findings).slice(0, 3), [
        [1, 15, 1, 23],
        [2, 16, 2, 19],
        [3, 10, 3, 22],
      ]);
      const label = (line: number) => findings.find((f) => f.range.start.line === line - 1)!.detail!.match(/ is a placeholder \((.*?)\)\. Helm installs/)![1];
      assert.deepEqual([2, 3, 4, 5, 6, 13].map(label), [
        'CHANGEME convention',
        'xxx convention',
        'YOUR_…/your-… convention',
        'YOUR_…/your-… convention',
        'REPLACE_ME convention',
        'an ALL-CAPS name standing for the value',
      ]);
      assert.ok(findings.every((f) => f.fixes.length === 0));
    });

    it('an env entry is judged by its name: a placeholder value of WEBHOOK_URL or API_TOKEN, not of LOG_LEVEL', () => {
      const text = [
        'env:',
        '  - name: WEBHOOK_URL',
        '    value: CHANGEME',
        '  - name: LOG_LEVEL',
        '    value: DEBUG',
        '  - name: API_TOKEN',
        '    value: xxx',
        '  - name: SLACK_CHANNEL',
        '    value: your-channel',
        '  - name: MODE',
        '    value: REPLACE_ME',
        '',
      ].join('\n');
      const findings = lint(text);
      assert.deepEqual(ranges(findings), [
        [2, 11, 2, 19],
        [6, 11, 6, 14],
      ]);
      assert.match(findings[0].message, /in env\[0\]\.value: /);
      assert.match(findings[0].detail!, /no valid host/);
      assert.match(findings[1].message, /in env\[2\]\.value: /);
      assert.match(findings[1].detail!, /Kubernetes Secret/);
    });

    it('never on log levels, enums, prose, templates, env references, env names, Secret names and keys, or other keys', () => {
      const text = [
        'logLevel: DEBUG',
        'log:',
        '  level: INFO',
        'image:',
        '  pullPolicy: IfNotPresent',
        '  registry: docker.io',
        'service:',
        '  type: ClusterIP',
        '  protocol: TCP',
        'strategy:',
        '  type: RollingUpdate',
        'securityContext:',
        '  capabilities:',
        '    drop: [ALL]',
        'proxy: NONE',
        'searchNamespace: ALL',
        'watchMethod: WATCH',
        'url: SYSTEM_DEFAULT', // no host word in an ALL-CAPS whole value: an enum
        'registryMode: MIRROR_ONLY',
        'description: "Set url to CHANGEME and token to YOUR_API_KEY before install"',
        'help: replace xxx with the host',
        'webhook:',
        '  url: "{{ .Values.global.WEBHOOK_URL }}"',
        '  endpoint: "https://{{ .Values.CHANGEME }}.example.com"',
        '  server: ${ELASTICSEARCH_ADDRESS}',
        '  proxy: http://$(PROXY_HOST):3128',
        '  host: "%PROXY_HOST%"',
        'extraEnv:',
        '  - name: WEBHOOK_URL',
        '    value: https://hooks.example.com/abc',
        '  - name: MATTERMOST_TOKEN',
        '    valueFrom:',
        '      secretKeyRef:',
        '        name: botkube-secrets',
        '        key: MATTERMOST_TOKEN',
        'existingSecretAdminPasswordKey: HARBOR_ADMIN_PASSWORD',
        'jobservice:',
        '  existingSecretKey: JOBSERVICE_SECRET',
        '  existingXsrfSecretKey: CSRF_KEY',
        '  tokenEnvVar: GITHUB_TOKEN',
        '  secretName: MY_SECRET',
        'mattermost:',
        '  team: MATTERMOST_TEAM',
        '  username: ELASTICSEARCH_USERNAME',
        '  botID: DISCORD_BOT_ID',
        '  channelName: SLACK_CHANNEL',
        'httpsProxy: http://svc-robusta:changeme@proxy.corp.example:3128', // a password: never read
        'dsn: https://YOUR_KEY@o0.ingest.sentry.io/1', // user info: never read
        'host: exchange-me.corp.example',
        'exchangeServer: changemeplease.corp.example',
        'comment: xxx',
        'title: CHANGEME',
        'urls: [WEBHOOK_URL]', // an ALL-CAPS list item is not judged
        'tolerations:',
        '  - key: CriticalAddonsOnly',
        '    operator: Exists',
        '',
      ].join('\n');
      assert.deepEqual(lint(text, harbor).map((f) => f.message), []);
    });

    it('quotes the token only, never the rest of a credential or a URL password', () => {
      const text = 'a:\n  apiToken: sk-live-xxxxxxxx\n  url: https://admin:s3cr3t@xxx.example.com/v1\n  password: CHANGEME_p4ss\n';
      const findings = lint(text);
      assert.deepEqual(spans(text, findings), [
        [2, 'xxxxxxxx'],
        [3, 'xxx'],
        [4, 'CHANGEME_p4ss'],
      ]);
      assert.doesNotMatch(findingText(findings[0]), /sk-live/);
      assert.doesNotMatch(findingText(findings[1]), /s3cr3t|admin/);
    });

    it('a registry-keyed placeholder gets the mirror.registry fix (not safe); applied, the file lints clean; --fix leaves it', () => {
      const text = ['global:', '  imageRegistry: CHANGEME', 'image:', '  registry: "xxx/library"', '  repository: app', 'sidecar:', '  registry: CHANGEME:5000', 'cache:', '  registry: YOUR_REGISTRY', ''].join('\n');
      const findings = lint(text, harbor);
      assert.deepEqual(spans(text, findings), [
        [2, 'CHANGEME'],
        [4, 'xxx'],
        [7, 'CHANGEME'],
        [9, 'YOUR_REGISTRY'],
      ]);
      assert.deepEqual(findings.map((f) => f.fixes.map((x) => [x.title, x.safe])), [
        [['Replace CHANGEME with harbor.corp:5000', false]],
        [['Replace xxx with harbor.corp:5000', false]],
        [], // CHANGEME:5000 would become harbor.corp:5000:5000
        [['Replace YOUR_REGISTRY with harbor.corp:5000', false]],
      ]);
      assert.equal(findings[0].message, 'Unreplaced placeholder CHANGEME in global.imageRegistry: replace it with the registry the cluster pulls from');
      assert.match(findings[0].detail!, /mirror\.registry is harbor\.corp:5000\./);
      assert.deepEqual(findings[0].fixes[0].edits, [{ range: range(1, 17, 1, 25), newText: 'harbor.corp:5000' }]);
      let fixed = text;
      for (const i of [3, 1, 0]) fixed = applyEdits(fixed, findings[i].fixes[0].edits).text;
      assert.match(fixed, /^ {2}imageRegistry: harbor\.corp:5000$/m);
      assert.match(fixed, /^ {2}registry: "harbor\.corp:5000\/library"$/m);
      assert.deepEqual(spans(fixed, lint(fixed, harbor)), [[7, 'CHANGEME']]);
      // Each fix alone, re-linted: its finding is gone.
      for (const f of [findings[0], findings[1], findings[3]]) {
        const one = applyEdits(text, f.fixes[0].edits).text;
        assert.equal(lint(one, harbor).length, 3);
        assert.ok(!lint(one, harbor).some((g) => g.range.start.line === f.range.start.line));
      }
      // Not safe, so --fix does not apply it.
      assert.equal(fixAll('/mem/p/values.yaml', text, (t) => lint(t, harbor)).changed, false);
      // Without mirror.registry: no fix, and the message says how to get one.
      const bare = lint(text);
      assert.ok(bare.every((f) => f.fixes.length === 0));
      assert.equal(bare[0].message, 'Unreplaced placeholder CHANGEME in global.imageRegistry: replace it with your registry host');
      assert.match(bare[0].detail!, /Set mirror\.registry in \.airgap-lint\.yaml to get a quick fix\./);
    });
  });
});
