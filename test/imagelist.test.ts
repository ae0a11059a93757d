// The image mirror list and the air-gap overlay, from real charts' values (test/fixtures/charts/):
// every image the install pulls, including the ones only the templates compose and the ones of
// optional components, with its source reference, mirror reference and the line that sets it;
// and the overlay that, layered last, leaves nothing upstream.
import assert from 'node:assert/strict';
import * as nodePath from 'node:path';
import { parse as parseYaml } from 'yaml';
import { LanguageService, mergeValues, type ConfigInput, type JsonValue } from '../server/src/engine';
import { collectImageList } from '../server/src/engine/imagelist/collect';
import { imageStack } from '../server/src/engine/images/stack';
import { parseNormalizedNamed } from '../server/src/engine/images/normalize';
import { MemoryHost, chartFixtureHost } from './helpers';

const HARBOR: ConfigInput = { mirror: { registry: 'harbor.corp.example:5000' } };

const chartHost = chartFixtureHost;

function list(host: MemoryHost, files: string[], settings: ConfigInput = {}) {
  const service = new LanguageService(host, { settings });
  return collectImageList(
    files.map((f) => nodePath.resolve('/mem', f)),
    service,
    { displayPath: (p) => nodePath.basename(p) },
  );
}

const KUBERNAUT_SERVICES = ['gateway', 'datastorage', 'aianalysis', 'signalprocessing', 'remediationorchestrator', 'workflowexecution', 'notification', 'effectivenessmonitor', 'authwebhook', 'db-migrate'];

describe('image mirror list', () => {
  describe('Kubernaut, both corpus stacks', () => {
    it('HEAD values.yaml → values-airgap.yaml: the services from global.image (schema defaults, appVersion tag), the third-party images of the schema, the hook kubectl with its digest; off-by-default ones marked optional', () => {
      const l = list(chartHost('kubernaut', 'k'), ['k/values-airgap.yaml']);
      const sources = l.images.map((i) => i.source);
      for (const s of KUBERNAUT_SERVICES) assert.ok(sources.includes(`quay.io/kubernaut-ai/${s}:1.6.0`), s);
      const byKey = new Map(l.images.map((i) => [i.source, i]));
      const kubectl = byKey.get('docker.io/bitnami/kubectl:latest@sha256:6e2cdb22d6ab7264ea198c717f555e30536b54029d26c8781b9f25f78951b564')!;
      assert.ok(kubectl, 'the hook image with its digest, from the schema default');
      assert.equal(kubectl.digest, 'sha256:6e2cdb22d6ab7264ea198c717f555e30536b54029d26c8781b9f25f78951b564');
      assert.deepEqual(kubectl.sources, [{ path: 'values.schema.json', line: 3330 }]);
      assert.equal(byKey.get('docker.io/library/postgres:16-alpine')?.optional, null);
      assert.equal(byKey.get('docker.io/valkey/valkey:8-alpine')?.optional, null);
      // Missed by hack/airgap/generate-image-list.sh (helm template with defaults): off by default.
      assert.equal(byKey.get('quay.io/oauth2-proxy/oauth2-proxy:v7.15.3')?.optional, 'console.enabled is true');
      assert.equal(byKey.get('quay.io/kubernaut-ai/kubernaut-console:1.6.0')?.optional, 'console.enabled is true');
      assert.match(byKey.get('quay.io/kubernaut-ai/fleetmetadatacache:v1.6.0')!.optional!, /fleetmetadatacache\.enabled is true/);
      // The overlay's <mirror-registry> is no source; without mirror.registry there is no mirror reference.
      assert.ok(l.images.every((i) => !i.source.includes('<') && i.mirror === null));
      assert.deepEqual(l.invalid, []);
      assert.deepEqual(l.chart, { name: 'kubernaut', version: '1.6.0' });
    });

    it('a0781038 values → ocp → airgap with a mirror: the services at 1.5.2, the Red Hat images of the OCP layer, each with its mirror reference', () => {
      const host = chartHost('kubernaut-a0781038', 'k');
      const layers = [['/mem/k/values.yaml', '/mem/k/values-ocp.yaml', '/mem/k/values-airgap.yaml']];
      const l = list(host, ['k/values-airgap.yaml'], { ...HARBOR, layers });
      const pairs = new Map(l.images.map((i) => [i.source, i.mirror]));
      for (const s of KUBERNAUT_SERVICES) assert.equal(pairs.get(`quay.io/kubernaut-ai/${s}:1.5.2`), `harbor.corp.example:5000/kubernaut-ai/${s}:1.5.2`, s);
      assert.equal(pairs.get('registry.redhat.io/rhel10/postgresql-16'), 'harbor.corp.example:5000/rhel10/postgresql-16');
      assert.equal(pairs.get('registry.redhat.io/rhel10/valkey-8'), 'harbor.corp.example:5000/rhel10/valkey-8');
      assert.equal(pairs.get('registry.redhat.io/openshift4/ose-cli-rhel9:v4.17'), 'harbor.corp.example:5000/openshift4/ose-cli-rhel9:v4.17');
      assert.equal(pairs.get('registry.access.redhat.com/ubi10/ubi-minimal:latest'), 'harbor.corp.example:5000/ubi10/ubi-minimal:latest');
      // The OCP layer replaced the chart's postgres and valkey: they are not pulled.
      assert.ok(!pairs.has('docker.io/library/postgres:16-alpine'));
      const ose = l.images.find((i) => i.source.includes('ose-cli'))!;
      assert.deepEqual(ose.sources[0], { path: 'values-ocp.yaml', line: 42 });
      assert.deepEqual(l.mirror, { registry: 'harbor.corp.example:5000', layout: 'nested' });
      // Flat layout: the organisation joins the name.
      const flat = list(host, ['k/values-airgap.yaml'], { mirror: { registry: 'quay.io/myorg', layout: 'flat' }, layers });
      assert.equal(flat.images.find((i) => i.source === 'quay.io/kubernaut-ai/gateway:1.5.2')?.mirror, 'quay.io/myorg/kubernaut-ai-gateway:1.5.2');
    });
  });

  it('Robusta with HolmesGPT: the MCP add-on images on their pinned tags, from the holmes subchart, optional on their add-on', () => {
    const l = list(chartHost('robusta'), ['robusta/values-proxy.yaml']);
    const byKey = new Map(l.images.map((i) => [i.source, i]));
    assert.ok(byKey.get('docker.io/robustadev/holmes:0.39.0'), 'the holmes image (subchart values)');
    assert.deepEqual(byKey.get('docker.io/robustadev/holmes:0.39.0')!.sources[0], { path: 'values.yaml', line: 63 });
    const mcp = l.images.filter((i) => i.source.startsWith('us-central1-docker.pkg.dev/genuine-flight-317411/mcp/'));
    assert.ok(mcp.length >= 10, `MCP images: ${mcp.length}`);
    for (const i of mcp) {
      assert.ok(i.tag && /\d/.test(i.tag), `${i.source} is pinned`);
      assert.match(i.optional ?? '', /enabled is true/, i.source);
    }
    assert.ok(byKey.get('us-central1-docker.pkg.dev/genuine-flight-317411/mcp/aws-api-mcp-server:2.1.0'));
    // The runner's images: kubewatch and the runner itself, always; the grafana renderer only when enabled.
    assert.equal(byKey.get('docker.io/robustadev/robusta-runner:0.0.0')?.optional, null);
    assert.equal(byKey.get('docker.io/robustadev/grafana-renderer:7')?.optional, 'grafanaRenderer.enableContainer is true');
  });

  it('CloudZero and kube-prometheus-stack: every image the chart defines, each with its line (hand-checked against the values)', () => {
    const rows = (chart: string) => list(chartHost(chart), [`${chart}/values.yaml`]).images.map((i) => [i.source, i.sources[0]?.line, i.optional !== null]);
    assert.deepEqual(rows('cloudzero-agent'), [
      ['ghcr.io/cloudzero/cloudzero-agent/cloudzero-agent:1.2.13', 327, false],
      // An empty tag: the template's "<appVersion>-distroless" (chart knowledge), not the bare appVersion.
      ['quay.io/prometheus/prometheus:v3.10.0-distroless', 728, false],
      ['registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.17.0', 1007, false],
    ]);
    assert.deepEqual(rows('kube-prometheus-stack'), [
      ['docker.io/library/busybox:latest', 47, true], // the CRD upgrade job, off by default
      ['ghcr.io/jkroepke/kube-webhook-certgen:1.8.7', 3131, false],
      ['quay.io/prometheus-operator/admission-webhook:v0.93.1', 3012, true],
      ['quay.io/prometheus-operator/prometheus-config-reloader:v0.93.1', 3552, false],
      ['quay.io/prometheus-operator/prometheus-operator:v0.93.1', 3525, false],
      ['quay.io/prometheus/alertmanager:v0.34.0', 1020, false],
      ['quay.io/prometheus/prometheus:v3.14.0-distroless', 4346, false],
      ['quay.io/thanos/thanos:v0.42.4', 3573, true],
      ['registry.k8s.io/kubectl', 53, true],
    ]);
  });

  describe('bad input: listed apart or right, never guessed, never a crash', () => {
    it('an image that does not parse, a digest without a tag, a registry with a port, a placeholder mirror', () => {
      const host = new MemoryHost({
        'app/values.yaml': [
          'bad:',
          '  image: Quay.io/UPPER/Case:1',
          'pinned:',
          '  image: harbor.corp:5000/team/app@sha256:' + 'a'.repeat(64),
          'port:',
          '  image:',
          '    registry: registry.corp.example:5000',
          '    repository: tools/kubectl',
          '    tag: v1.31.0',
          '',
        ].join('\n'),
        'app/values-airgap.yaml': 'port:\n  image:\n    registry: <mirror-registry>\n',
        'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
      });
      const l = list(host, ['app/values.yaml']);
      assert.deepEqual(l.invalid.map((i) => [i.key, i.line]), [['bad.image', 2]]);
      const pinned = l.images.find((i) => i.key === 'pinned.image')!;
      assert.equal(pinned.source, `harbor.corp:5000/team/app@sha256:${'a'.repeat(64)}`);
      assert.equal(pinned.tag, null);
      assert.ok(l.images.some((i) => i.source === 'registry.corp.example:5000/tools/kubectl:v1.31.0'));
      // The air-gap overlay's placeholder does not replace the source the registry team copies.
      const overlay = list(host, ['app/values-airgap.yaml']);
      assert.ok(overlay.images.some((i) => i.source === 'registry.corp.example:5000/tools/kubectl:v1.31.0' && i.mirror === null));
      // The CLI's contract: an invalid image makes the output incomplete (exit 1).
      const service = new LanguageService(host);
      const generated = service.imageList(['/mem/app/values.yaml'], { format: 'json' });
      assert.equal(generated.incomplete, true);
      assert.match(generated.notes[0], /bad\.image: "Quay\.io\/UPPER\/Case:1" is not listed/);
      const json = JSON.parse(generated.text);
      assert.equal(json.version, 1);
      assert.equal(json.invalid.length, 1);
    });

    it('a 5,000-image values file is listed whole', function () {
      this.timeout(60_000);
      const lines = ['services:'];
      for (let i = 0; i < 5000; i++) lines.push(`  s${i}:`, `    image: registry.corp.example/team/app${i}:1.${i}`);
      const host = new MemoryHost({ 'big/values.yaml': lines.join('\n') + '\n' });
      const l = list(host, ['big/values.yaml'], HARBOR);
      assert.equal(l.images.length, 5000);
      assert.ok(l.images.every((i) => i.mirror?.startsWith('harbor.corp.example:5000/team/app')));
    });
  });

  describe('the air-gap overlay', () => {
    const allowedKey = /^(registry|imageRegistry|systemDefaultRegistry|separator|imagePullSecrets|pullSecrets|allowInsecureImages)$/;

    /** Leaf paths where two values differ. */
    function diff(a: JsonValue | undefined, b: JsonValue | undefined, path: string[] = [], out: Array<{ path: string[]; before: JsonValue | undefined; after: JsonValue | undefined }> = []) {
      const isMap = (v: JsonValue | undefined): v is { [k: string]: JsonValue } => typeof v === 'object' && v !== null && !Array.isArray(v);
      if ((isMap(a) || a === undefined) && (isMap(b) || b === undefined) && (isMap(a) || isMap(b))) {
        a ??= {};
        b ??= {};
        for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diff(a[k], b[k], [...path, k], out);
      } else if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, before: a, after: b });
      return out;
    }

    for (const chart of ['kubernaut', 'kubernaut-a0781038', 'robusta', 'cloudzero-agent', 'kube-prometheus-stack', 'cert-manager', 'grafana', 'harbor', 'trivy-operator', 'bitnami-common', 'falco', 'datadog', 'suse-observability-agent']) {
      it(`${chart}: layered last, nothing upstream, nothing pinned, no placeholder; only registry, separator, pull-secret and relocation values change`, () => {
        const host = chartHost(chart, 'c');
        host.files.delete('/mem/c/values-airgap.yaml');
        const service = new LanguageService(host, { settings: HARBOR });
        const generated = service.imageList(['/mem/c/values.yaml'], { format: 'overlay' });
        assert.match(generated.text, /^# Air-gap overlay generated by airgap-lint/);
        const overlay = parseYaml(generated.text) as JsonValue;
        host.set('c/values-airgap.yaml', generated.text);
        const findings = new LanguageService(host, { settings: HARBOR }).lint('/mem/c/values-airgap.yaml').findings;
        const bad = findings.filter((f) => ['image/not-mirrored', 'image/pinned-tag', 'values/placeholder'].includes(f.code));
        // What the overlay could not move by registry fields is said in its header; nothing else may remain.
        assert.deepEqual(bad.map((f) => `${f.code}: ${f.message.slice(0, 160)}`), [], generated.notes.join('\n'));
        // The stack as the chart renders it: values.yaml over its schema defaults and subcharts' values.
        const baseDoc = service.getDocument('/mem/c/values.yaml')!;
        const base = imageStack(baseDoc, service.configFor(baseDoc.path), service, { schemaDefaults: 'always' }).values;
        for (const d of diff(base, mergeValues(base, overlay))) {
          const key = d.path[d.path.length - 1];
          if (allowedKey.test(key)) continue;
          // A registry-carrying key the values leave to the chart's default (the Datadog operator's repository).
          if (d.before === undefined && typeof d.after === 'string') {
            const set = parseNormalizedNamed(d.after);
            assert.ok(set.ok && set.domain === 'harbor.corp.example:5000' && set.tag === undefined && set.digest === undefined, `${d.path.join('.')} set to ${d.after}`);
            continue;
          }
          // A chart that takes the whole reference in one string: only its registry part may change.
          assert.equal(typeof d.before, 'string', `${d.path.join('.')} changed`);
          const before = parseNormalizedNamed(String(d.before));
          const after = parseNormalizedNamed(String(d.after));
          assert.ok(before.ok && after.ok, d.path.join('.'));
          if (before.ok && after.ok) {
            assert.equal(after.tag, before.tag, `${d.path.join('.')}: the tag stays`);
            assert.equal(after.digest, before.digest, `${d.path.join('.')}: the digest stays`);
            // A whole reference moves to the mirror; a repository only gains Docker Hub's implied `library/`.
            if (key === 'repository' && after.domain !== 'harbor.corp.example:5000') assert.equal(after.path, before.path, d.path.join('.'));
            else assert.equal(after.domain, 'harbor.corp.example:5000', d.path.join('.'));
          }
        }
      });
    }

    it('sets the pull secret for the chart and for the subchart that does not inherit it, in the shape the chart uses', () => {
      const service = new LanguageService(chartHost('robusta'), { settings: HARBOR });
      const overlay = parseYaml(service.imageList(['/mem/robusta/values.yaml'], { format: 'overlay', pullSecret: 'harbor-pull' }).text);
      assert.deepEqual(overlay.global.imagePullSecrets, [{ name: 'harbor-pull' }]);
      assert.deepEqual(overlay.holmes.imagePullSecrets, [{ name: 'harbor-pull' }]);
      assert.equal(overlay.image.registry, 'harbor.corp.example:5000/robustadev');
    });

    it('Bitnami: allowInsecureImages is set when the chart is relocated; without mirror.registry there is no overlay but a clear error', () => {
      const host = chartHost('bitnami-common', 'pg');
      const overlay = parseYaml(new LanguageService(host, { settings: HARBOR }).imageList(['/mem/pg/values.yaml'], { format: 'overlay' }).text);
      assert.equal(overlay.global.security.allowInsecureImages, true);
      assert.throws(() => new LanguageService(host).imageList(['/mem/pg/values.yaml'], { format: 'overlay' }), /Set mirror\.registry/);
    });
  });
});
