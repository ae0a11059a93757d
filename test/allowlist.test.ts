// The egress allowlist from real charts' values (test/fixtures/charts/) and hand-made variants:
// host by host what the vendors document for the features that are on, nothing for the ones that
// are off, other URLs under "other", registries as node egress, never a secret in any format.
import assert from 'node:assert/strict';
import * as nodePath from 'node:path';
import { LanguageService, type Allowlist, type ConfigInput } from '../server/src/engine';
import { collectAllowlist } from '../server/src/engine/allowlist/collect';
import { ALLOWLIST_FORMATS } from '../server/src/engine/allowlist/types';
import { MemoryHost, chartFixtureHost } from './helpers';


const chartHost = chartFixtureHost;

function allowlist(host: MemoryHost, file: string, settings: ConfigInput = {}, features: 'enabled' | 'all' = 'enabled'): Allowlist {
  return collectAllowlist([nodePath.resolve('/mem', file)], new LanguageService(host, { settings }), { features, displayPath: (p) => nodePath.basename(p) });
}

/** feature → hosts (host:port when not 443), pod egress only. */
function byFeature(list: Allowlist, egress: 'pod' | 'node' = 'pod'): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of list.entries) {
    if (e.egress !== egress) continue;
    (out[e.feature] ??= []).push(e.port === 443 ? e.host : `${e.host}:${e.port}`);
  }
  return out;
}

const hosts = (list: Allowlist) => new Set(list.entries.map((e) => e.host));

describe('egress allowlist', () => {
  describe('Robusta with HolmesGPT', () => {
    it('the chart as shipped (no sink, HolmesGPT off): no Robusta platform, no Slack, no HolmesGPT endpoint', () => {
      const list = allowlist(chartHost('robusta'), 'robusta/values.yaml');
      const features = Object.keys(byFeature(list));
      assert.ok(!features.some((f) => /Robusta SaaS platform|Slack|HolmesGPT/.test(f)), features.join(' | '));
      assert.ok(!hosts(list).has('relay.robusta.dev'));
      // Its images still come from Docker Hub, pulled by the nodes.
      assert.deepEqual(byFeature(list, 'node')['Image registry docker.io'], ['registry-1.docker.io', 'auth.docker.io', 'production.cloudflare.docker.com']);
    });

    it("the proxied install with a robusta_sink, a Slack sink and HolmesGPT: the vendor's list for each of them, the proxy itself, and the line that turns each on", () => {
      const list = allowlist(chartHost('robusta'), 'robusta/values-proxy.yaml');
      const f = byFeature(list);
      assert.deepEqual(f['HTTP(S) proxy'], ['proxy.corp.example:3128']);
      assert.deepEqual(f['Robusta SaaS platform'], ['*.robusta.dev', '*.supabase.co']);
      const platform = list.entries.find((e) => e.host === '*.robusta.dev')!;
      assert.deepEqual(platform.expands, ['api.robusta.dev', 'relay.robusta.dev', 'platform.robusta.dev', 'sp.robusta.dev', 'docs.robusta.dev']);
      assert.deepEqual(platform.enabledBy, { path: 'values-proxy.yaml', line: 15 });
      const slack = Object.entries(f).find(([k]) => /Slack/.test(k))!;
      assert.ok(slack[1].includes('*.slack.com'), slack.join(' '));
      assert.deepEqual(list.entries.find((e) => e.host === '*.slack.com')!.expands, ['slack.com', 'hooks.slack.com', 'files.slack.com']);
      assert.ok(Object.keys(f).some((k) => /HolmesGPT/.test(k)));
      // --features all: what is off is listed too, marked with the value that would turn it on.
      const all = allowlist(chartHost('robusta'), 'robusta/values-proxy.yaml', {}, 'all');
      const teams = all.entries.find((e) => /Teams/i.test(e.feature))!;
      assert.ok(teams, 'the Teams sink is listed with --features all');
      assert.match(teams.onlyIf ?? '', /ms_teams_sink/);
      assert.ok(!list.entries.some((e) => /Teams/i.test(e.feature)), 'but not by default');
    });

    it('a custom webhook URL is listed under "other" with its key path, host only', () => {
      const host = chartHost('robusta');
      host.set('robusta/values-webhook.yaml', 'sinksConfig:\n  - webhook_sink:\n      name: ops\n      url: "https://alerts.ops.corp.example:8443/hooks/robusta?token=s3cr3t-token-value"\n');
      const list = allowlist(host, 'robusta/values-webhook.yaml');
      const hook = list.entries.find((e) => e.host === 'alerts.ops.corp.example')!;
      assert.ok(hook, JSON.stringify(list.entries.map((e) => e.host)));
      assert.equal(hook.port, 8443);
      assert.ok(['other', 'Webhook sink'].some((f) => hook.feature.includes(f)) || /webhook/i.test(hook.feature), hook.feature);
      assert.deepEqual(hook.sources, [{ path: 'values-webhook.yaml', line: 4 }]);
    });
  });

  describe('the CloudZero agent', () => {
    it('the GKE example: the proxy, api.cloudzero.com from `host`, the S3 uploads, and the registries as node egress', () => {
      const list = allowlist(chartHost('cloudzero-agent'), 'cloudzero-agent/values-proxy.yaml');
      const f = byFeature(list);
      assert.deepEqual(f['HTTP(S) proxy'], ['proxy.internal.example.com:3128']);
      assert.deepEqual(f['CloudZero API'], ['api.cloudzero.com']);
      assert.deepEqual(list.entries.find((e) => e.host === 'api.cloudzero.com')!.sources, [{ path: 'values.yaml', line: 2 }]);
      assert.ok(Object.values(f).flat().includes('*.s3.amazonaws.com'));
      const node = byFeature(list, 'node');
      assert.deepEqual(Object.keys(node).sort(), ['Image registry ghcr.io', 'Image registry quay.io', 'Image registry registry.k8s.io']);
      assert.deepEqual(node['Image registry quay.io'], ['quay.io', 'cdn01.quay.io', 'cdn02.quay.io', 'cdn03.quay.io']);
    });

    it('an image set wholly mirrored drops the public registries (and lists the mirror the nodes pull from instead)', () => {
      const host = chartHost('cloudzero-agent');
      const settings: ConfigInput = { mirror: { registry: 'harbor.corp.example:5000' } };
      const mirrored = new LanguageService(host, { settings }).imageList(['/mem/cloudzero-agent/values.yaml'], { format: 'overlay' });
      host.set('cloudzero-agent/values-airgap.yaml', mirrored.text);
      const list = allowlist(host, 'cloudzero-agent/values-airgap.yaml', settings);
      assert.deepEqual(byFeature(list, 'node'), {});
      assert.ok(!hosts(list).has('quay.io') && !hosts(list).has('ghcr.io'));
      assert.ok(hosts(list).has('api.cloudzero.com'), 'the SaaS endpoint stays');
    });
  });

  it('the SUSE Observability agent: the tenant receiver from stackstate.url, port 443, never its path', () => {
    const list = allowlist(chartHost('suse-observability-agent'), 'suse-observability-agent/values.yaml');
    const receiver = list.entries.filter((e) => e.host === 'acme.app.stackstate.io');
    assert.ok(receiver.length >= 1);
    assert.ok(receiver.every((e) => e.port === 443));
    assert.ok(!list.entries.some((e) => e.host.includes('/')));
  });

  it('Kubernaut: an LLM endpoint in llmProfiles is listed; in-cluster and .invalid values are not', () => {
    const host = chartHost('kubernaut');
    host.set('kubernaut/values-llm.yaml', 'global:\n  llmProfiles:\n    primary:\n      provider: openai\n      endpoint: https://llm-gateway.corp.example:8443/v1\n');
    const list = allowlist(host, 'kubernaut/values-llm.yaml');
    const llm = list.entries.find((e) => e.host === 'llm-gateway.corp.example')!;
    assert.ok(llm, JSON.stringify([...hosts(list)]));
    assert.equal(llm.port, 8443);
    assert.ok(![...hosts(list)].some((h) => h.endsWith('.svc') || h.endsWith('.cluster.local') || h.endsWith('.invalid')), [...hosts(list)].join(', '));
  });

  it('bad input: a URL without a scheme, IPv6, a host with a port, a template, a placeholder, in-cluster hosts: listed or skipped with a reason', () => {
    const host = new MemoryHost({
      'app/values.yaml': [
        'exporter:',
        '  endpoint: otel.corp.example:4317',
        '  url: "https://[2001:db8::10]:9443/v1/traces"',
        '  address: "{{ .Values.global.host }}:9000"',
        '  server: https://<tenant>.app.stackstate.io',
        '  host: prometheus.monitoring.svc.cluster.local',
        '  target: http://10.43.12.7:9090/metrics',
        '',
      ].join('\n'),
    });
    const list = allowlist(host, 'app/values.yaml', { cluster: { distribution: 'k3s' } });
    const other = list.entries.filter((e) => e.feature === 'other').map((e) => `${e.host}:${e.port}`);
    assert.deepEqual(other.sort(), ['2001:db8::10:9443', 'otel.corp.example:4317']);
    const reasons = Object.fromEntries(list.skipped.map((s) => [s.key, s.reason]));
    assert.match(reasons['exporter.server'], /placeholder/);
    assert.equal(reasons['exporter.address'], undefined, 'a template under an address key is not even a URL');
    assert.ok(!list.skipped.some((s) => s.value.includes('<tenant>.app') && s.value.length > 60));
  });

  it('a 10,000-sink values file is listed in bounded time', function () {
    this.timeout(60_000);
    const lines = ['sinksConfig:'];
    for (let i = 0; i < 10_000; i++) lines.push(`  - webhook_sink:`, `      name: s${i}`, `      url: https://hooks${i % 50}.corp.example/path/${i}`);
    const host = chartHost('robusta');
    host.set('robusta/values-many.yaml', lines.join('\n') + '\n');
    const t = performance.now();
    const list = allowlist(host, 'robusta/values-many.yaml');
    assert.ok(performance.now() - t < 30_000);
    assert.equal(list.entries.filter((e) => /^hooks\d+\.corp\.example$/.test(e.host)).length, 50);
  });

  it('no format ever prints a seeded secret: proxy passwords, API keys, tokens, webhook paths, DSN keys', () => {
    const SECRETS = ['Pr0xyPassw0rd', 'xoxb-1234-5678-SECRET', 'T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'sk-live-0123456789abcdef', 'dsnkey0123456789', 'eyJhbGciOiJIUzI1NiJ9.secret'];
    const host = chartHost('robusta');
    host.set(
      'robusta/values-secrets.yaml',
      [
        'runner:',
        '  additional_env_vars:',
        `    - name: HTTPS_PROXY`,
        `      value: http://svc-user:${SECRETS[0]}@proxy.corp.example:3128`,
        `    - name: OPENAI_API_KEY`,
        `      value: ${SECRETS[3]}`,
        'sinksConfig:',
        '  - slack_sink:',
        '      name: main',
        `      api_key: ${SECRETS[1]}`,
        '  - webhook_sink:',
        '      name: hook',
        `      url: https://hooks.slack.com/services/${SECRETS[2]}`,
        '  - robusta_sink:',
        '      name: ui',
        `      token: ${SECRETS[5]}`,
        'holmes:',
        `  sentryDSN: https://${SECRETS[4]}@o1.ingest.sentry.io/42`,
        '',
      ].join('\n'),
    );
    const service = new LanguageService(host, { settings: { cluster: { distribution: 'eks' } } });
    for (const format of ALLOWLIST_FORMATS) {
      for (const features of ['enabled', 'all'] as const) {
        const out = service.allowlist(['/mem/robusta/values-secrets.yaml'], { format, features, namespace: 'robusta' });
        for (const s of SECRETS) {
          assert.ok(!out.text.includes(s), `${format} (${features}) prints ${s}`);
          assert.ok(!out.notes.some((n) => n.includes(s)), `${format} notes print ${s}`);
        }
        if (format === 'text') {
          assert.match(out.text, /^hooks\.slack\.com$/m);
          assert.match(out.text, /^proxy\.corp\.example:3128$/m);
        }
      }
    }
  });
});
