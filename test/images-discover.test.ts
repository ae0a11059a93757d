// Image discovery and composition on real values files (test/corpus) and realistic
// fixtures: every shape of research/domain.md §2.3, the look-alikes that are not images, and
// the exact place of each part in the file.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { parseChartYaml, readChartBeside, type ChartInfo } from '../server/src/engine/chart';
import { parseValuesDocument, type ValuesDocument } from '../server/src/engine/document';
import { fieldSpans, placeholderStandIn } from '../server/src/engine/images/compose';
import { type DiscoveredImage, type Discovery, discoverImages, discoverInDocument, documentLocator } from '../server/src/engine/images/discover';
import type { Range } from '../server/src/engine/types';
import { CORPUS, FIXTURES, MemoryHost, range } from './helpers';

const diskHost = { readFile: (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) };

function load(path: string): { doc: ValuesDocument; chart?: ChartInfo; d: Discovery } {
  const doc = parseValuesDocument(path, fs.readFileSync(path, 'utf8'));
  const chart = readChartBeside(path, diskHost);
  return { doc, chart, d: discoverInDocument(doc, chart) };
}

const corpus = (p: string) => load(nodePath.join(CORPUS, p));

function image(d: Discovery, path: string): DiscoveredImage {
  const img = d.images.find((i) => i.path.join('.') === path);
  assert.ok(img, `no image at ${path}; found ${d.images.map((i) => i.path.join('.')).join(', ')}`);
  return img!;
}

function canonical(img: DiscoveredImage): string {
  assert.ok(img.parsed.ok, `${img.path.join('.')}: ${!img.parsed.ok && img.parsed.message}`);
  const p = img.parsed as Extract<DiscoveredImage['parsed'], { ok: true }>;
  return `${p.domain}/${p.path}${p.tag !== undefined ? `:${p.tag}` : ''}${p.digest !== undefined ? `@${p.digest}` : ''}`;
}

/** Range of a field's value node. */
function fieldRange(img: DiscoveredImage, role: keyof DiscoveredImage['fields']): Range {
  const f = img.fields[role];
  assert.ok(f?.origin?.node, `${img.path.join('.')} has no located ${role}`);
  return f!.origin!.doc.rangeOf(f!.origin!.node);
}

describe('image discovery', () => {
  it('kube-prometheus-stack: split images with their registry, the appVersion for an empty tag, and nothing from commented blocks', () => {
    const { d } = corpus('prometheus-community__helm-charts/charts/kube-prometheus-stack/values.yaml');
    assert.deepEqual(
      d.images.map((i) => i.path.join('.')),
      [
        'crds.upgradeJob.image.busybox',
        'crds.upgradeJob.image.kubectl',
        'alertmanager.alertmanagerSpec.image',
        'prometheusOperator.admissionWebhooks.deployment.image',
        'prometheusOperator.admissionWebhooks.patch.image',
        'prometheusOperator.image',
        'prometheusOperator.prometheusConfigReloader.image',
        'prometheusOperator.thanosImage',
        'prometheus.prometheusSpec.image',
        'thanosRuler.thanosRulerSpec.image',
      ],
    );
    const op = image(d, 'prometheusOperator.image');
    assert.equal(op.shape, 'split');
    assert.equal(op.reference, 'quay.io/prometheus-operator/prometheus-operator:v0.93.1');
    assert.equal(op.tagDefault, 'appVersion');
    assert.deepEqual(fieldRange(op, 'registry'), range(3523, 14, 3523, 21)); // L3524 `registry: quay.io`
    assert.deepEqual(fieldRange(op, 'repository'), range(3524, 16, 3524, 55));
    assert.equal(op.registryField, op.fields.registry);
    assert.equal(op.fields.sha, undefined, 'sha: "" is no digest');
    // The crds subchart's kubectl leaves its tag to the subchart, whose appVersion is not known here.
    const kubectl = image(d, 'crds.upgradeJob.image.kubectl');
    assert.equal(kubectl.subchart, 'crds');
    assert.equal(kubectl.tagDefault, 'chart');
    assert.equal(canonical(image(d, 'crds.upgradeJob.image.busybox')), 'docker.io/library/busybox:latest');
    // serviceMonitor.proxyUrl and the commented oauth2-proxy sidecars (L1252, L4871) are not images.
    assert.ok(!d.images.some((i) => i.path.includes('proxyUrl') || i.reference.includes('oauth2-proxy')));
  });

  it('kube-prometheus-stack bare-hex sha gets "sha256:", kube-state-metrics keeps its prefix, a tag may carry a digest', () => {
    const { d } = load(nodePath.join(FIXTURES, 'images/kps-pinned/values-pinned.yaml'));
    const op = image(d, 'prometheusOperator.image');
    assert.equal(op.reference, 'quay.io/prometheus-operator/prometheus-operator:v0.93.1@sha256:0e072dddd1f7f8fc8909a2ca6f65e76c5f0d2fcfb8be47935ae3457e8bbceb20');
    assert.equal(op.parsed.ok && op.parsed.digest, 'sha256:0e072dddd1f7f8fc8909a2ca6f65e76c5f0d2fcfb8be47935ae3457e8bbceb20');
    assert.deepEqual(fieldRange(op, 'sha'), range(10, 9, 10, 75));
    // The digest span of the rendered reference maps back onto the sha field (after the "sha256:" glue).
    const span = op.parsed.ok ? op.parsed.spans.digest! : { start: 0, end: 0 };
    const spans = fieldSpans(op.segments, span.start, span.end);
    assert.deepEqual(spans.map((s) => [s.field.role, s.start, s.end]), [['sha', 0, 64]]);

    const ksm = image(d, 'kube-state-metrics.image');
    assert.equal(canonical(ksm), 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.17.0@sha256:1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef');
    const opencost = image(d, 'opencost.exporter.image');
    assert.equal(canonical(opencost), 'ghcr.io/opencost/opencost:1.115.0@sha256:fb6468a1ef45dbd4a9e521122c8d306f882bb33d1657d28d21aeaef79412e9e1');
  });

  it('harbor: registry.registry.image is an image; the `registry` component and cert keys are not registries', () => {
    const { d } = corpus('goharbor__harbor-helm/values.yaml');
    assert.equal(d.images.length, 10);
    const reg = image(d, 'registry.registry.image');
    assert.equal(reg.reference, 'docker.io/goharbor/registry-photon:dev');
    assert.equal(reg.fields.registry, undefined);
    assert.equal(reg.fields.sharedRegistry, undefined);
    // The host is written inside the repository: that field carries the registry.
    assert.equal(reg.registryField, reg.fields.repository);
    assert.deepEqual(fieldRange(reg, 'repository'), range(814, 18, 814, 52));
    assert.equal(d.globals.rootRegistry, undefined, 'the top-level `registry:` is a component map, not a registry');
    assert.ok(d.images.every((i) => i.parsed.ok && !i.fields.sharedRegistry));
  });

  it('Robusta: image.registry is a Docker Hub organisation shared by every <component>.imageName', () => {
    const { d } = corpus('robusta-dev__robusta/helm/robusta/values.yaml');
    assert.deepEqual(
      d.images.map((i) => [i.path.join('.'), i.shape, canonical(i)]),
      [
        ['kubewatch.imageName', 'imageName', 'docker.io/robustadev/kubewatch:v2.14.0'],
        ['grafanaRenderer.imageName', 'imageName', 'docker.io/robustadev/grafana-renderer:7'],
        ['runner.imageName', 'imageName', 'docker.io/robustadev/robusta-runner:0.0.0'],
      ],
    );
    const kubewatch = d.images[0];
    assert.equal(kubewatch.registryField, d.globals.imageHolderRegistry);
    assert.deepEqual(fieldRange(kubewatch, 'sharedRegistry'), range(638, 12, 638, 22)); // L639 `registry: robustadev`
    assert.deepEqual(fieldRange(kubewatch, 'reference'), range(643, 13, 643, 30));
  });

  it('HolmesGPT: flat `image` + sibling `registry`, a parent-level registry shared by nested MCP images, *Image keys', () => {
    const { d } = corpus('robusta-dev__robusta/helm/robusta/charts/holmes-0.39.0/holmes/values.yaml');
    assert.equal(canonical(image(d, 'image')), 'docker.io/robustadev/holmes:0.39.0');
    assert.deepEqual(fieldRange(image(d, 'image'), 'sharedRegistry'), range(63, 10, 63, 20)); // L64
    for (const name of ['gcloud', 'observability', 'storage']) {
      const img = image(d, `mcpAddons.gcp.${name}.image`);
      assert.deepEqual(img.registryField?.path, ['mcpAddons', 'gcp', 'registry']); // L368, shared
    }
    assert.equal(canonical(image(d, 'mcpAddons.gitlabMcp.image')), 'docker.io/supercorp/supergateway:3.4.3');
    assert.equal(
      canonical(image(d, 'mcpAddons.github.auth.githubApp.multiOrgImage')),
      'us-central1-docker.pkg.dev/genuine-flight-317411/mcp/github-app-mcp:2.0.0',
    );
    assert.equal(d.images.length, 18);
  });

  it('cert-manager: top-level imageRegistry + imageNamespace + image.name, tag from appVersion', () => {
    const { d } = corpus('cert-manager__cert-manager/deploy/charts/cert-manager/values.yaml');
    const controller = image(d, 'image');
    assert.equal(controller.shape, 'name');
    assert.equal(controller.reference, 'quay.io/jetstack/cert-manager-controller:v0.0.0');
    assert.equal(controller.registryField?.path.join('.'), 'imageRegistry');
    assert.deepEqual(fieldRange(controller, 'sharedRegistry'), range(181, 15, 181, 22)); // L182
    assert.deepEqual(fieldRange(controller, 'namespace'), range(188, 16, 188, 24)); // L189
    assert.deepEqual(d.images.map((i) => i.path.join('.')), ['image', 'webhook.image', 'cainjector.image', 'acmesolver.image', 'startupapicheck.image']);
  });

  it('trivy-operator: flat image objects without an image key, and the integer tag 1', () => {
    const { d } = corpus('aquasecurity__trivy-operator/deploy/helm/values.yaml');
    const bundle = image(d, 'policiesBundle');
    assert.equal(bundle.reference, 'mirror.gcr.io/aquasec/trivy-checks:1');
    assert.equal(bundle.fields.tag?.raw, 1);
    assert.equal(bundle.fields.tag?.value, '1');
    assert.equal(canonical(image(d, 'nodeCollector')), 'ghcr.io/aquasecurity/node-collector:0.3.1');
    // `trivy.registry.mirror` (a map of mirrors) and `global.image.registry: ""` are no images.
    assert.ok(!d.images.some((i) => i.path.join('.').startsWith('trivy.registry') || i.path[0] === 'global'));
  });

  it('kubernaut at a0781038: global.image composition, plain strings, a repository with its host, latest with a digest', () => {
    const { d } = corpus('jordigilh__kubernaut__a0781038/charts/kubernaut/values.yaml');
    const g = image(d, 'global.image');
    assert.equal(g.shape, 'globalComposite');
    assert.equal(g.display, 'quay.io/kubernaut-ai/<service>:1.5.2');
    assert.deepEqual(fieldRange(g, 'sharedRegistry'), range(2, 14, 2, 21));
    assert.deepEqual(fieldRange(g, 'separator'), range(4, 15, 4, 18));
    assert.equal(canonical(image(d, 'postgresql.image')), 'docker.io/library/postgres:16-alpine');
    assert.equal(canonical(image(d, 'valkey.image')), 'docker.io/valkey/valkey:8-alpine');
    const kubectl = image(d, 'hooks.tlsCerts.image');
    assert.equal(kubectl.parsed.ok && kubectl.parsed.tag, 'latest');
    assert.equal(kubectl.parsed.ok && kubectl.parsed.digest, 'sha256:6e2cdb22d6ab7264ea198c717f555e30536b54029d26c8781b9f25f78951b564');
    const api = image(d, 'apifrontend.image');
    assert.equal(api.reference, 'ghcr.io/jordigilh/kubernaut/apifrontend:1.5.2');
    assert.equal(api.registryField, api.fields.repository);
  });

  it('kubernaut air-gap overlays: placeholders are kept, and the rest still parses (untagged stays untagged)', () => {
    const { d } = corpus('jordigilh__kubernaut/charts/kubernaut/values-airgap.yaml');
    const pg = image(d, 'postgresql.image');
    assert.equal(pg.placeholder, true);
    assert.equal(pg.reference, '<mirror-registry>/rhel10/postgresql-16');
    assert.ok(pg.parsed.ok && pg.parsed.tag === undefined && pg.parsed.digest === undefined);
    assert.equal(placeholderStandIn('<mirror-registry>/rhel10/postgresql-16'), 'ppppppppppppppp.p/rhel10/postgresql-16');
    assert.equal(image(d, 'global.image').display, '<mirror-registry>/kubernaut-ai/<service>:1.6.0');
  });

  it('grafana: an empty tag takes the chart appVersion; imageRenderer keeps its explicit latest', () => {
    const { d } = corpus('grafana-community__helm-charts/charts/grafana/values.yaml');
    assert.equal(image(d, 'image').reference, 'docker.io/grafana/grafana:13.2.0');
    const renderer = image(d, 'imageRenderer.image');
    assert.equal(renderer.fields.tag?.value, 'latest');
    assert.deepEqual(fieldRange(renderer, 'tag'), range(1563, 9, 1563, 15));
    assert.equal(d.globals.globalRegistry, undefined, 'global.imageRegistry: null is not set');
  });

  it('overlays that only pin digests are partial images (composed once merged with their base)', () => {
    const { d } = corpus('grafana__k8s-monitoring-helm/charts/k8s-monitoring/docs/examples/images/images-by-digest/values.yaml');
    assert.equal(d.images.length, 11);
    assert.ok(d.images.every((i) => i.shape === 'partial'));
    const ksm = image(d, 'telemetryServices.kube-state-metrics.image');
    assert.equal(ksm.fields.sha?.value, 'sha256:1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef');
  });

  it('global.imageRegistry wins over an image registry; a registry without "." is a Docker Hub namespace', () => {
    const text = ['global:', '  imageRegistry: harbor.corp:5000', 'image:', '  registry: docker.io', '  repository: bitnami/redis', '  tag: 8.2.1', 'exporter:', '  image: oliver006/redis_exporter:v1.62.0', '  registry: myorg', ''].join('\n');
    const doc = parseValuesDocument('/mem/values.yaml', text);
    const d = discoverImages(doc.values, documentLocator(doc));
    const redis = image(d, 'image');
    assert.equal(redis.reference, 'harbor.corp:5000/bitnami/redis:8.2.1');
    assert.equal(redis.registryField?.path.join('.'), 'global.imageRegistry');
    assert.equal(canonical(image(d, 'exporter.image')), 'docker.io/myorg/oliver006/redis_exporter:v1.62.0');
  });

  it('never crashes on odd values: maps of maps under image, lists, anchors, huge strings', () => {
    const long = 'a'.repeat(300);
    const text = [
      'image:',
      '  repository:',
      '    nested: {deeper: {x: 1}}',
      'sidecars:',
      '  - name: a',
      '    image: &img busybox:1.36',
      '  - name: b',
      '    image: *img',
      `big: {image: "${long}:1"}`,
      'weird:',
      '  image: {tag: {a: b}}',
      '  initImage: true',
      '  dbImage: "{{ .Values.x }}"',
      '',
    ].join('\n');
    const doc = parseValuesDocument('/mem/values.yaml', text);
    const d = discoverImages(doc.values, documentLocator(doc));
    assert.deepEqual(d.images.map((i) => i.path.join('.')), ['sidecars.0.image', 'sidecars.1.image', 'big.image']);
    // The alias use is located at its anchor (one place to report, and no edit through the alias).
    assert.equal(d.images[1].origin?.node, d.images[0].origin?.node);
    assert.ok(d.images[1].origin?.viaAlias);
    assert.equal(d.images[0].origin?.viaAlias, undefined);
    const big = d.images[2];
    assert.equal(big.parsed.ok, false);
    assert.equal(!big.parsed.ok && big.parsed.error, 'ErrNameTooLong');
  });

  it('Chart.yaml: dependencies with aliases, Bitnami images annotation, rancher build tokens', () => {
    const kps = parseChartYaml('/x/Chart.yaml', fs.readFileSync(nodePath.join(CORPUS, 'prometheus-community__helm-charts/charts/kube-prometheus-stack/Chart.yaml'), 'utf8'));
    assert.equal(kps.appVersion, 'v0.93.1');
    assert.deepEqual(kps.dependencies.map((d) => d.key), ['crds', 'kube-state-metrics', 'prometheus-node-exporter', 'grafana', 'prometheus-windows-exporter']);
    const bitnami = parseChartYaml('/x/Chart.yaml', fs.readFileSync(nodePath.join(CORPUS, 'bitnami__charts/bitnami/postgresql/Chart.yaml'), 'utf8'));
    assert.deepEqual(bitnami.annotatedImages.map((i) => i.image), [
      'docker.io/bitnami/os-shell:12-debian-12-r51',
      'docker.io/bitnami/postgres-exporter:0.17.1-debian-12-r16',
      'docker.io/bitnami/postgresql:17.6.0-debian-12-r4',
    ]);
    const rancher = parseChartYaml('/x/Chart.yaml', fs.readFileSync(nodePath.join(CORPUS, 'rancher__rancher/chart/Chart.yaml'), 'utf8'));
    assert.equal(rancher.repaired, true);
    assert.equal(rancher.name, 'rancher');
    assert.equal(rancher.appVersion, undefined, '%APP_VERSION% is no version');
    const alias = parseChartYaml('/x/Chart.yaml', 'name: p\nappVersion: 1.10\ndependencies:\n  - name: postgresql\n    alias: db\n');
    assert.equal(alias.appVersion, '1.10', 'written form, not the float 1.1');
    assert.deepEqual(alias.dependencies, [{ name: 'postgresql', key: 'db', alias: 'db' }]);
    const broken = parseChartYaml('/x/Chart.yaml', 'name: [unclosed\nappVersion: 2.0.0\n');
    assert.equal(broken.appVersion, '2.0.0');
    assert.ok(broken.problems.length);
    // A values file without a Chart.yaml beside it.
    assert.equal(readChartBeside('/mem/nowhere/values.yaml', new MemoryHost()), undefined);
  });

  it('is fast enough to run on every keystroke (kube-prometheus-stack, 6k lines)', () => {
    const path = nodePath.join(CORPUS, 'prometheus-community__helm-charts/charts/kube-prometheus-stack/values.yaml');
    const doc = parseValuesDocument(path, fs.readFileSync(path, 'utf8'));
    const chart = readChartBeside(path, diskHost);
    for (let i = 0; i < 5; i++) discoverImages(doc.values, documentLocator(doc), { chart });
    const runs = 30;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) discoverImages(doc.values, documentLocator(doc), { chart });
    const perRun = (performance.now() - t0) / runs;
    assert.ok(perRun < 15, `discovery took ${perRun.toFixed(2)} ms per run`);
  });
});
