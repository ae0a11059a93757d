// The per-file image rules on real values files (test/corpus) and realistic fixtures:
// exact ranges, messages that name the image, and fixes applied with applyEdits and re-linted.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { ConfigInput } from '../server/src/engine/config';
import { parseValuesDocument } from '../server/src/engine/document';
import { applyEdits, fixAll } from '../server/src/engine/fixes';
import { Engine } from '../server/src/engine/lint';
import { IMAGE_RULE_INFO, imageRules, isAirgapOverlay, mirrorOverrides } from '../server/src/engine/rules/images';
import { ruleDocsUrl, ruleInfo } from '../server/src/engine/rules/catalog';
import { placeholderRules } from '../server/src/engine/rules/placeholder';
import type { LintContext } from '../server/src/engine/rules/types';
import { resolveConfig } from '../server/src/engine/config';
import type { Finding } from '../server/src/engine/types';
import { discoverInDocument } from '../server/src/engine/images/discover';
import { mirrorReference } from '../server/src/engine/images/mirror';
import { ChartFolder, CORPUS, FIXTURES, MemoryHost, REPO, findingText, range } from './helpers';

const read = (p: string) => fs.readFileSync(p, 'utf8');
const corpusText = (p: string) => read(nodePath.join(CORPUS, p));

// The kubernaut tests here are about shapes: the Chart.yaml is renamed so that no chart knowledge
// applies (knowledge.test.ts checks the same stacks with it).
const KUBERNAUT_OLD = 'jordigilh__kubernaut__a0781038/charts/kubernaut';
const KUBERNAUT = 'jordigilh__kubernaut/charts/kubernaut';

const MINE = /^(image\/|values\/placeholder)/;

/** A chart folder in memory: files by name under /mem/<dir>. */
class Workspace extends ChartFolder {
  lint(name: string, settings: ConfigInput = {}): Finding[] {
    return new Engine(this.host, { settings }).lint(this.path(name)).findings.filter((f) => MINE.test(f.code));
  }
}

function only(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

/** A Chart.yaml renamed so that no shipped chart knowledge applies: the test is about shapes alone. */
function withoutKnowledge(chartYaml: string): string {
  return chartYaml.replace(/^name: .*$/m, 'name: shapes-only');
}

function summary(findings: Finding[]): Array<[string, string, number, number, number, number]> {
  return findings.map((f) => [f.code, f.severity, f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character]);
}

/** Applies a fix to the workspace file, checks it changed, and returns the findings after. */
function applyFix(ws: Workspace, name: string, finding: Finding, settings: ConfigInput = {}, fixIndex = 0): Finding[] {
  const fix = finding.fixes[fixIndex];
  assert.ok(fix, `no fix #${fixIndex} on ${finding.code}: ${finding.message}`);
  const before = ws.text(name);
  const after = applyEdits(before, fix.edits).text;
  assert.notEqual(after, before, 'the fix changes the file');
  assert.equal(parseValuesDocument(ws.path(name), after).problems.filter((p) => p.kind === 'syntax').length, 0, 'still valid YAML');
  ws.host.set(`${ws.dir}/${name}`, after);
  return ws.lint(name, settings);
}

const harbor: ConfigInput = { mirror: { registry: 'harbor.corp:5000', layout: 'nested' } };

describe('image rules', () => {
  describe('kubernaut stacks (corpus)', () => {
    it('HEAD values-airgap.yaml: untagged RHEL images and kubectl:latest are errors in an air-gap overlay; placeholders are not invalid references', () => {
      const ws = new Workspace('k', { 'Chart.yaml': withoutKnowledge(corpusText(`${KUBERNAUT}/Chart.yaml`)), 'values-airgap.yaml': corpusText(`${KUBERNAUT}/values-airgap.yaml`) });
      const findings = ws.lint('values-airgap.yaml').filter((f) => f.code.startsWith('image/'));
      assert.deepEqual(summary(findings), [
        ['image/implicit-latest', 'error', 52, 9, 52, 47], // L53 postgresql.image, untagged: the whole value
        ['image/implicit-latest', 'error', 55, 9, 55, 42], // L56 valkey.image
        ['image/implicit-latest', 'error', 59, 45, 59, 51], // L60 kubectl:latest: the tag
      ]);
      assert.match(findings[0].message, /^postgresql\.image has no tag and no digest: pin a version tag or a digest$/);
      assert.match(findings[0].detail!, /^"<mirror-registry>\/rhel10\/postgresql-16": Kubernetes pulls it with imagePullPolicy Always/);
      assert.match(findings[2].message, /uses the tag latest/);
    });

    it('a0781038 values-ocp.yaml: direct registry.redhat.io pulls without tags, and ubi-minimal:latest in a quoted string', () => {
      const ws = new Workspace('k', { 'Chart.yaml': withoutKnowledge(corpusText(`${KUBERNAUT_OLD}/Chart.yaml`)), 'values-ocp.yaml': corpusText(`${KUBERNAUT_OLD}/values-ocp.yaml`) });
      assert.deepEqual(summary(ws.lint('values-ocp.yaml')), [
        ['image/implicit-latest', 'warning', 34, 9, 34, 48],
        ['image/implicit-latest', 'warning', 37, 9, 37, 43],
        ['image/implicit-latest', 'warning', 51, 59, 51, 65],
      ]);
    });

    it('a0781038 values.yaml: kubectl:latest pinned by digest is no implicit latest; empty tags come from appVersion', () => {
      const ws = new Workspace('k', { 'Chart.yaml': withoutKnowledge(corpusText(`${KUBERNAUT_OLD}/Chart.yaml`)), 'values.yaml': corpusText(`${KUBERNAUT_OLD}/values.yaml`) });
      assert.deepEqual(ws.lint('values.yaml'), []);
    });

    it('with mirror.registry: every upstream image of values-ocp.yaml is flagged on its host, and the fix rewrites only the string', () => {
      const ws = new Workspace('k', { 'Chart.yaml': withoutKnowledge(corpusText(`${KUBERNAUT_OLD}/Chart.yaml`)), 'values-ocp.yaml': corpusText(`${KUBERNAUT_OLD}/values-ocp.yaml`) });
      const upstream = only(ws.lint('values-ocp.yaml', harbor), 'image/not-mirrored');
      assert.deepEqual(summary(upstream), [
        ['image/not-mirrored', 'warning', 34, 9, 34, 27], // registry.redhat.io in L35
        ['image/not-mirrored', 'warning', 37, 9, 37, 27],
        ['image/not-mirrored', 'warning', 41, 11, 41, 29],
        ['image/not-mirrored', 'warning', 51, 14, 51, 40], // registry.access.redhat.com inside the quotes
      ]);
      assert.match(upstream[0].message, /^postgresql\.image pulls from registry\.redhat\.io: point it at the mirror harbor\.corp:5000$/);
      assert.match(upstream[0].detail!, /harbor\.corp:5000\/rhel10\/postgresql-16/);
      // The quoted initImage keeps its quotes.
      assert.deepEqual(upstream[3].fixes[0].edits, [{ range: range(51, 13, 51, 66), newText: '"harbor.corp:5000/ubi10/ubi-minimal:latest"' }]);
      let after = applyFix(ws, 'values-ocp.yaml', upstream[3], harbor);
      assert.equal(only(after, 'image/not-mirrored').length, 3);
      assert.match(ws.text('values-ocp.yaml'), /initImage: "harbor\.corp:5000\/ubi10\/ubi-minimal:latest"\n/);
      for (const f of only(after, 'image/not-mirrored')) after = applyFix(ws, 'values-ocp.yaml', only(after, 'image/not-mirrored')[0], harbor);
      assert.equal(only(after, 'image/not-mirrored').length, 0);
    });

    it('with mirror.registry: the a0781038 base is rewritten by global.image.registry for all service images, each third-party image by its own field', () => {
      const ws = new Workspace('k', { 'Chart.yaml': withoutKnowledge(corpusText(`${KUBERNAUT_OLD}/Chart.yaml`)), 'values.yaml': corpusText(`${KUBERNAUT_OLD}/values.yaml`) });
      const upstream = only(ws.lint('values.yaml', harbor), 'image/not-mirrored');
      assert.deepEqual(
        upstream.map((f) => [f.range.start.line + 1, f.fixes[0]?.edits.map((e) => e.newText)]),
        [
          [3, ['harbor.corp:5000']], // global.image.registry: quay.io
          [623, ['harbor.corp:5000/library/postgres:16-alpine']],
          [649, ['harbor.corp:5000/valkey/valkey:8-alpine']],
          [670, ['harbor.corp:5000/kubernaut-ai/fleetmetadatacache']], // repository with its host: the repository
          [698, ['harbor.corp:5000/bitnami/kubectl:latest@sha256:6e2cdb22d6ab7264ea198c717f555e30536b54029d26c8781b9f25f78951b564']],
          [811, ['harbor.corp:5000/jordigilh/kubernaut/apifrontend']],
        ],
      );
      assert.match(upstream[0].message, /^global\.image pulls from quay\.io: point it at the mirror harbor\.corp:5000$/);
      assert.match(upstream[0].detail!, /^"quay\.io\/kubernaut-ai\/<service>:1\.5\.2".*harbor\.corp:5000\/kubernaut-ai\/<service>:1\.5\.2/);
      // Fix everything, then nothing is left, and a second round changes nothing (idempotent).
      const settings = harbor;
      const lintText = (text: string) => {
        ws.host.set('k/values.yaml', text);
        return ws.lint('values.yaml', settings);
      };
      // The rewrite is not a safe fix (the mirror must hold the image): apply the preferred fixes by hand.
      let text = ws.text('values.yaml');
      const edits = upstream.flatMap((f) => f.fixes[0].edits);
      text = applyEdits(text, edits).text;
      assert.equal(only(lintText(text), 'image/not-mirrored').length, 0);
      assert.equal(fixAll(ws.path('values.yaml'), text, lintText).changed, false);
    });

    it('flat mirror layout: kubernaut service images need separator "-" too, third-party paths are joined', () => {
      const ws = new Workspace('k', { 'Chart.yaml': withoutKnowledge(corpusText(`${KUBERNAUT_OLD}/Chart.yaml`)), 'values.yaml': corpusText(`${KUBERNAUT_OLD}/values.yaml`) });
      const flat: ConfigInput = { mirror: { registry: 'quay.io/myorg', layout: 'flat' } };
      const upstream = only(ws.lint('values.yaml', flat), 'image/not-mirrored');
      assert.deepEqual(upstream[0].fixes[0].edits.map((e) => [e.range.start.line, e.newText]), [
        [2, 'quay.io/myorg'],
        [4, '"-"'],
      ]);
      assert.match(findingText(upstream[0]), /quay\.io\/myorg\/kubernaut-ai-<service>:1\.5\.2/);
      const after = applyFix(ws, 'values.yaml', upstream[0], flat);
      // The service images now come from the mirror, which needs credentials: global.imagePullSecrets is [].
      assert.deepEqual(summary(after.filter((f) => f.range.start.line <= 4)), [['image/pull-secret-missing', 'warning', 2, 14, 2, 27]]);
    });
  });

  describe('not-mirrored', () => {
    it('Robusta: one finding on the shared image.registry (a Docker Hub organisation), fixed by keeping the organisation under the mirror', () => {
      const ws = new Workspace('r', { 'values.yaml': corpusText('robusta-dev__robusta/helm/robusta/values.yaml'), 'Chart.yaml': corpusText('robusta-dev__robusta/helm/robusta/Chart.yaml') });
      const upstream = only(ws.lint('values.yaml', harbor), 'image/not-mirrored');
      assert.equal(upstream.length, 1);
      assert.deepEqual(upstream[0].range, range(638, 12, 638, 22));
      // Chart knowledge (schemas/charts/robusta.schema.json): the grafana renderer is deployed only
      // with grafanaRenderer.enableContainer, and the runner launches disk-tools from image.registry.
      assert.match(upstream[0].message, /^kubewatch\.imageName pulls from Docker Hub \(docker\.io, implied\): point it at the mirror harbor\.corp:5000$/);
      assert.match(upstream[0].detail!, /^"robustadev\/kubewatch:v2\.14\.0" \(and 2 more images using image\.registry: runner\.imageName, disk-tools:1\.8\): /);
      assert.deepEqual(upstream[0].fixes[0].edits, [{ range: range(638, 12, 638, 22), newText: 'harbor.corp:5000/robustadev' }]);
      const after = applyFix(ws, 'values.yaml', upstream[0], harbor);
      assert.equal(only(after, 'image/not-mirrored').length, 0);
      const images = discoverInDocument(parseValuesDocument(ws.path('values.yaml'), ws.text('values.yaml'))).images;
      assert.deepEqual(images.map((i) => i.reference), [
        'harbor.corp:5000/robustadev/kubewatch:v2.14.0',
        'harbor.corp:5000/robustadev/grafana-renderer:7',
        'harbor.corp:5000/robustadev/robusta-runner:0.0.0',
      ]);
    });

    it('split objects change only `registry` (nested); Docker Hub official images also get library/ in the repository', () => {
      const text = corpusText('prometheus-community__helm-charts/charts/kube-prometheus-stack/values.yaml');
      // Shapes alone: with chart knowledge, the images of components that are off by default
      // (admission webhook deployment, Thanos, the CRD upgrade job) are not linted (knowledge.test.ts).
      const ws = new Workspace('kps', { 'values.yaml': text, 'Chart.yaml': withoutKnowledge(corpusText('prometheus-community__helm-charts/charts/kube-prometheus-stack/Chart.yaml')) });
      const upstream = only(ws.lint('values.yaml', harbor), 'image/not-mirrored');
      assert.equal(upstream.length, 10);
      const op = upstream.find((f) => f.range.start.line === 3523)!;
      assert.deepEqual(op.range, range(3523, 14, 3523, 21));
      assert.deepEqual(op.fixes[0].edits, [{ range: range(3523, 14, 3523, 21), newText: 'harbor.corp:5000' }]);
      const busybox = upstream.find((f) => f.range.start.line === 45)!;
      assert.deepEqual(busybox.fixes[0].edits.map((e) => e.newText), ['harbor.corp:5000', 'library/busybox']);
      const after = applyFix(ws, 'values.yaml', busybox, harbor);
      assert.equal(only(after, 'image/not-mirrored').length, 9);
    });

    it('an air-gap overlay without mirror.registry still flags images left on public registries (error, no fix)', () => {
      const ws = new Workspace('o', {
        'values-airgap.yaml': 'console:\n  oauth2Proxy:\n    image: quay.io/oauth2-proxy/oauth2-proxy:v7.15.3\nlocal:\n  image: registry.corp.example:5000/tools/kubectl:v1.31.0\n',
      });
      assert.equal(isAirgapOverlay(ws.path('values-airgap.yaml')), true);
      const findings = ws.lint('values-airgap.yaml');
      assert.deepEqual(summary(findings), [
        ['image/not-mirrored', 'error', 2, 11, 2, 18],
        // The other image comes from a private registry and the overlay sets no pull secret.
        ['image/pull-secret-missing', 'warning', 4, 9, 4, 35],
      ]);
      assert.match(findings[0].message, /^console\.oauth2Proxy\.image pulls from the public registry quay\.io: mirror it$/);
      assert.match(findings[0].detail!, /^"quay\.io\/oauth2-proxy\/oauth2-proxy:v7\.15\.3": an air-gapped cluster cannot reach it\./);
      assert.deepEqual(findings[0].fixes, []);
    });

    it('mirrorOverrides picks the fewest fields that make the chart render the mirror reference', () => {
      const doc = parseValuesDocument('/mem/v.yaml', 'image:\n  registry: robustadev\nrunner:\n  imageName: runner:1.0\n');
      const img = discoverInDocument(doc).images[0];
      assert.ok(img.parsed.ok);
      const target = mirrorReference(img.parsed, { registry: 'harbor.corp/proxy', layout: 'flat' });
      assert.ok(target.ok);
      assert.equal(target.reference, 'harbor.corp/proxy/robustadev-runner:1.0');
      const plan = mirrorOverrides(img, target)!;
      assert.deepEqual([...plan].map(([f, v]) => [f.path.join('.'), v]), [['runner.imageName', 'robustadev-runner:1.0'], ['image.registry', 'harbor.corp/proxy']].reverse());
    });
  });

  describe('flat-layout', () => {
    it('a flat mirror (quay.io organisation) with separator "/" and a namespace is flagged on the separator; the fix sets "-"', () => {
      const dir = nodePath.join(FIXTURES, 'images/kubernaut-flat');
      const ws = new Workspace('f', { 'Chart.yaml': read(nodePath.join(dir, 'Chart.yaml')), 'values-quay.yaml': read(nodePath.join(dir, 'values-quay.yaml')) });
      const findings = ws.lint('values-quay.yaml');
      assert.deepEqual(summary(findings), [['image/flat-layout', 'warning', 6, 15, 6, 18]]);
      assert.equal(findings[0].message, 'global.image.separator "/" nests service images on the flat registry quay.io: set separator: "-"');
      assert.match(findings[0].detail!, /render as "quay\.io\/myorg\/kubernaut-ai\/<service>:1\.5\.2": quay\.io is a flat registry.*With "-" they are quay\.io\/myorg\/kubernaut-ai-<service>:1\.5\.2/);
      assert.equal(findings[0].fixes[0].safe, true);
      assert.deepEqual(applyFix(ws, 'values-quay.yaml', findings[0]), []);
      assert.match(ws.text('values-quay.yaml'), /separator: "-"  # "\/" for nested/);
      // With the mirror configured as that flat organisation, it is the mirror: nothing else to say.
      assert.deepEqual(ws.lint('values-quay.yaml', { mirror: { registry: 'quay.io/myorg', layout: 'flat' } }), []);
    });

    it('quay.io with the namespace as the organisation is fine; mirror.layout: flat flags the configured mirror and a missing separator', () => {
      const ws = new Workspace('f', {
        'values.yaml': 'global:\n  image:\n    registry: quay.io\n    namespace: kubernaut-ai\n    separator: "/"\n',
        'values-mirror.yaml': 'global:\n  image:\n    registry: registry.corp:5000/kubernaut\n    namespace: kubernaut-ai\n',
      });
      assert.deepEqual(ws.lint('values.yaml'), []);
      const flat: ConfigInput = { mirror: { registry: 'registry.corp:5000/kubernaut', layout: 'flat' } };
      const findings = only(ws.lint('values-mirror.yaml', flat), 'image/flat-layout');
      assert.deepEqual(summary(findings), [['image/flat-layout', 'warning', 3, 15, 3, 27]]); // on the namespace: no separator key
      const after = applyFix(ws, 'values-mirror.yaml', findings[0], flat);
      assert.equal(only(after, 'image/flat-layout').length, 0);
      assert.equal(ws.text('values-mirror.yaml'), 'global:\n  image:\n    registry: registry.corp:5000/kubernaut\n    namespace: kubernaut-ai\n    separator: "-"\n');
    });
  });

  describe('double-registry', () => {
    it('cert-manager override with registry and a repository that names quay.io: range on the host, fix strips it', () => {
      const dir = nodePath.join(FIXTURES, 'images/cert-manager-legacy');
      const ws = new Workspace('c', { 'Chart.yaml': read(nodePath.join(dir, 'Chart.yaml')), 'values-legacy.yaml': read(nodePath.join(dir, 'values-legacy.yaml')) });
      const findings = ws.lint('values-legacy.yaml');
      assert.deepEqual(summary(findings), [['image/double-registry', 'error', 4, 14, 4, 21]]);
      assert.equal(findings[0].message, 'image.repository already starts with the host quay.io: remove "quay.io/" from it');
      assert.match(findings[0].detail!, /^image\.registry is "harbor\.corp:5000", so the chart renders "harbor\.corp:5000\/quay\.io\/jetstack\/cert-manager-controller:v1\.17\.2"/);
      assert.deepEqual(findings[0].fixes[0].edits, [{ range: range(4, 14, 4, 22), newText: '' }]);
      assert.deepEqual(applyFix(ws, 'values-legacy.yaml', findings[0]), []);
      assert.match(ws.text('values-legacy.yaml'), /repository: jetstack\/cert-manager-controller\n/);
    });

    it('a sibling registry in front of an image string with a host (HolmesGPT shape)', () => {
      const ws = new Workspace('h', { 'values.yaml': 'registry: robustadev\nimage: "docker.io/robustadev/holmes:0.39.0"\n' });
      const findings = ws.lint('values.yaml');
      assert.deepEqual(summary(findings), [['image/double-registry', 'error', 1, 8, 1, 17]]);
      assert.deepEqual(applyFix(ws, 'values.yaml', findings[0]), []);
      assert.equal(ws.text('values.yaml'), 'registry: robustadev\nimage: "robustadev/holmes:0.39.0"\n');
    });
  });

  describe('invalid-reference', () => {
    it('puts the range on the bad part: uppercase path, bad tag, bad digest, 255+ characters', () => {
      const long = `team/${'a'.repeat(260)}`;
      const ws = new Workspace('i', {
        'values.yaml': [
          'a:',
          '  image: registry.corp/Team/App:1.0',
          'b:',
          '  image:',
          '    registry: registry.corp',
          '    repository: team/app',
          '    tag: "-bad"',
          'c:',
          '  image: "registry.corp/team/app@sha256:abc"',
          'd:',
          `  image: registry.corp/${long}:1`,
          '',
        ].join('\n'),
      });
      const findings = ws.lint('values.yaml');
      assert.deepEqual(summary(findings), [
        ['image/invalid-reference', 'error', 1, 23, 1, 31], // the path Team/App
        ['image/invalid-reference', 'error', 6, 10, 6, 14], // the tag field's text
        ['image/invalid-reference', 'error', 8, 33, 8, 43], // the digest
        ['image/invalid-reference', 'error', 10, 23, 10, 23 + long.length],
      ]);
      assert.match(findings[0].message, /^a\.image is not a valid image reference: repository paths must be lowercase/);
      assert.match(findings[0].detail!, /^It renders "registry\.corp\/Team\/App:1\.0"/);
      assert.match(findings[3].message, /longer than 255 characters/);
    });
  });

  describe('implicit-latest and digest-required', () => {
    it('grafana imageRenderer.image.tag: latest; nothing else in grafana, kube-prometheus-stack only its explicit busybox latest', () => {
      // Shapes alone: with chart knowledge the image renderer and the CRD upgrade job are off by default, so not linted.
      const grafana = new Workspace('g', {
        'values.yaml': corpusText('grafana-community__helm-charts/charts/grafana/values.yaml'),
        'Chart.yaml': withoutKnowledge(corpusText('grafana-community__helm-charts/charts/grafana/Chart.yaml')),
      });
      assert.deepEqual(summary(grafana.lint('values.yaml')), [['image/implicit-latest', 'warning', 1563, 9, 1563, 15]]);
      const kps = new Workspace('kps', {
        'values.yaml': corpusText('prometheus-community__helm-charts/charts/kube-prometheus-stack/values.yaml'),
        'Chart.yaml': withoutKnowledge(corpusText('prometheus-community__helm-charts/charts/kube-prometheus-stack/Chart.yaml')),
      });
      assert.deepEqual(summary(kps.lint('values.yaml')), [['image/implicit-latest', 'warning', 47, 14, 47, 20]]);
    });

    it('mirror.digestsOnly: a tag-only reference is flagged on its tag; digests (sha, tag@digest) pass', () => {
      const dir = nodePath.join(FIXTURES, 'images/kps-pinned');
      const ws = new Workspace('p', {
        'Chart.yaml': read(nodePath.join(dir, 'Chart.yaml')),
        'values-pinned.yaml': `${read(nodePath.join(dir, 'values-pinned.yaml'))}thanosImage:\n  registry: quay.io\n  repository: thanos/thanos\n  tag: v0.42.4\n`,
      });
      const findings = ws.lint('values-pinned.yaml', { mirror: { digestsOnly: true } });
      assert.deepEqual(summary(findings), [['image/digest-required', 'warning', 29, 7, 29, 14]]);
      assert.match(findings[0].message, /^thanosImage has no digest, but mirrors redirect digest pulls only: pin the digest$/);
      assert.match(findings[0].detail!, /ImageDigestMirrorSet/);
    });
  });

  describe('bitnami-relocation', () => {
    const chart = corpusText('bitnami__charts/bitnami/postgresql/Chart.yaml');
    const values = corpusText('bitnami__charts/bitnami/postgresql/values.yaml');

    it('the chart as shipped is fine', () => {
      const ws = new Workspace('b', { 'Chart.yaml': chart, 'values.yaml': values });
      assert.deepEqual(ws.lint('values.yaml'), []);
    });

    it('an air-gap overlay with global.imageRegistry needs the flag; the fix inserts it under global with sibling indentation', () => {
      const dir = nodePath.join(FIXTURES, 'images/bitnami-postgresql');
      const ws = new Workspace('b', { 'Chart.yaml': chart, 'values-airgap.yaml': read(nodePath.join(dir, 'values-airgap.yaml')) });
      const findings = ws.lint('values-airgap.yaml');
      assert.deepEqual(summary(findings), [['image/bitnami-relocation', 'error', 2, 17, 2, 33]]);
      assert.equal(findings[0].message, 'global.imageRegistry relocates Bitnami images: set global.security.allowInsecureImages: true');
      assert.match(findings[0].detail!, /^"harbor\.corp:5000" relocates 3 images of a Bitnami chart/);
      assert.deepEqual(applyFix(ws, 'values-airgap.yaml', findings[0]), []);
      assert.match(ws.text('values-airgap.yaml'), /  defaultStorageClass: ""\n  security:\n    allowInsecureImages: true\n\nprimary:/);
    });

    it('a registry override in the chart values flips allowInsecureImages: false to true', () => {
      const ws = new Workspace('b', { 'Chart.yaml': chart, 'values.yaml': values.replace('  registry: docker.io\n  repository: bitnami/postgresql', '  registry: harbor.corp:5000\n  repository: bitnami/postgresql') });
      const findings = ws.lint('values.yaml');
      assert.deepEqual(summary(findings), [['image/bitnami-relocation', 'error', 123, 12, 123, 28]]);
      assert.deepEqual(findings[0].fixes[0].edits, [{ range: range(25, 25, 25, 30), newText: 'true' }]);
      assert.deepEqual(applyFix(ws, 'values.yaml', findings[0]), []);
    });

    it('the flag set in another layer of the stack counts; set false above a true, it does not', () => {
      const overlay = 'global:\n  imageRegistry: harbor.corp:5000\n  imagePullSecrets: [harbor-pull]\n';
      const ws = new Workspace('b', {
        'Chart.yaml': chart,
        'values.yaml': values,
        'values-security.yaml': 'global:\n  security:\n    allowInsecureImages: true\n',
        'values-airgap.yaml': overlay,
      });
      const stack: ConfigInput = { layers: [['/mem/b/values.yaml', '/mem/b/values-security.yaml', '/mem/b/values-airgap.yaml']] };
      assert.deepEqual(only(ws.lint('values-airgap.yaml', stack), 'image/bitnami-relocation'), []);
      // Without that layer (the implicit stack: values.yaml under the overlay) the chart's false applies.
      assert.deepEqual(summary(only(ws.lint('values-airgap.yaml'), 'image/bitnami-relocation')), [['image/bitnami-relocation', 'error', 1, 17, 1, 33]]);
      // An overlay that sets it back to false is flagged, and the fix rewrites its own value.
      ws.host.set('b/values-airgap.yaml', `${overlay}  security:\n    allowInsecureImages: false\n`);
      const flipped = only(ws.lint('values-airgap.yaml', stack), 'image/bitnami-relocation');
      assert.deepEqual(summary(flipped), [['image/bitnami-relocation', 'error', 1, 17, 1, 33]]);
      assert.deepEqual(flipped[0].fixes[0].edits, [{ range: range(4, 25, 4, 30), newText: 'true' }]);
    });

    it('docker.io/bitnamilegacy copies only warn in the chart: no finding', () => {
      const ws = new Workspace('b', { 'Chart.yaml': chart, 'values-legacy.yaml': 'image:\n  registry: docker.io\n  repository: bitnamilegacy/postgresql\n' });
      assert.deepEqual(ws.lint('values-legacy.yaml'), []);
    });
  });

  describe('pull-secret-missing', () => {
    it('images from the mirror with no pull secret anywhere in the file', () => {
      const ws = new Workspace('p', { 'values-prod.yaml': 'image:\n  registry: harbor.corp:5000\n  repository: bitnami/redis\n  tag: 8.2.1\n' });
      const findings = ws.lint('values-prod.yaml', harbor);
      assert.deepEqual(summary(findings), [['image/pull-secret-missing', 'warning', 1, 12, 1, 28]]);
      assert.equal(findings[0].message, 'Images pull from the private registry harbor.corp:5000 with no imagePullSecrets: set global.imagePullSecrets');
      assert.match(findings[0].detail!, /^image pull from harbor\.corp:5000, but neither this file nor a layer below it sets imagePullSecrets/);
      ws.host.set('p/values-prod.yaml', `${ws.text('values-prod.yaml')}  pullSecrets:\n    - harbor-pull\n`);
      assert.deepEqual(ws.lint('values-prod.yaml', harbor), []);
    });

    it('pull secrets set in another layer of the stack count, for the global list and for a subchart', () => {
      const ws = new Workspace('s', {
        'Chart.yaml': corpusText('robusta-dev__robusta/helm/robusta/Chart.yaml'),
        'values.yaml': 'global:\n  imagePullSecrets: []\nimage:\n  registry: robustadev\nholmes:\n  enabled: true\n',
        'values-secrets.yaml': 'global:\n  imagePullSecrets:\n    - name: harbor-pull\nholmes:\n  imagePullSecrets:\n    - name: harbor-pull\n',
        'values-airgap.yaml': 'image:\n  registry: harbor.corp:5000/robustadev\nrunner:\n  imageName: robusta-runner:0.30.0\nholmes:\n  registry: harbor.corp:5000/robustadev\n',
      });
      const layers = (...names: string[]): ConfigInput => ({ ...harbor, layers: [names.map((n) => `/mem/s/${n}`)] });
      assert.deepEqual(only(ws.lint('values-airgap.yaml', layers('values.yaml', 'values-secrets.yaml', 'values-airgap.yaml')), 'image/pull-secret-missing'), []);
      // Without the secrets layer: nothing anywhere in the stack (the chart's [] is no secret).
      const missing = only(ws.lint('values-airgap.yaml', layers('values.yaml', 'values-airgap.yaml')), 'image/pull-secret-missing');
      assert.deepEqual(summary(missing), [['image/pull-secret-missing', 'warning', 1, 12, 1, 39]]);
      // Only the global list below: holmes still needs its own, copied from the merged global value.
      ws.host.set('s/values-secrets.yaml', 'global:\n  imagePullSecrets:\n    - name: harbor-pull\n');
      const holmes = only(ws.lint('values-airgap.yaml', layers('values.yaml', 'values-secrets.yaml', 'values-airgap.yaml')), 'image/pull-secret-missing');
      assert.deepEqual(summary(holmes), [['image/pull-secret-missing', 'warning', 5, 12, 5, 39]]);
      assert.match(holmes[0].message, /holmes subchart does not inherit global\.imagePullSecrets/);
      assert.deepEqual(holmes[0].fixes[0].edits.map((e) => e.newText), ['  imagePullSecrets:\n    - name: harbor-pull\n']);
    });

    it('Robusta: global.imagePullSecrets is not inherited by the holmes subchart; the fix copies it', () => {
      const ws = new Workspace('r', {
        'Chart.yaml': corpusText('robusta-dev__robusta/helm/robusta/Chart.yaml'),
        'values-airgap.yaml': [
          'global:',
          '  imagePullSecrets:',
          '    - name: harbor-pull',
          'image:',
          '  registry: harbor.corp:5000/robustadev',
          'holmes:',
          '  registry: harbor.corp:5000/robustadev',
          '',
        ].join('\n'),
      });
      const findings = ws.lint('values-airgap.yaml', harbor);
      assert.deepEqual(summary(findings), [['image/pull-secret-missing', 'warning', 6, 12, 6, 39]]);
      assert.match(findings[0].message, /holmes subchart does not inherit global\.imagePullSecrets/);
      assert.deepEqual(applyFix(ws, 'values-airgap.yaml', findings[0], harbor), []);
      assert.match(ws.text('values-airgap.yaml'), /holmes:\n  registry: harbor\.corp:5000\/robustadev\n  imagePullSecrets:\n    - name: harbor-pull\n$/);
    });
  });

  describe('overlays judged against the layers below (layer stacks)', () => {
    const oldStack = () =>
      new Workspace('k', {
        'Chart.yaml': withoutKnowledge(corpusText(`${KUBERNAUT_OLD}/Chart.yaml`)),
        'values.yaml': corpusText(`${KUBERNAUT_OLD}/values.yaml`),
        'values-ocp.yaml': corpusText(`${KUBERNAUT_OLD}/values-ocp.yaml`),
        'values-airgap.yaml': corpusText(`${KUBERNAUT_OLD}/values-airgap.yaml`),
      });

    it('a0781038 values.yaml → values-airgap.yaml: base images left upstream are errors on the overlay, the kubectl digest is dropped', () => {
      const ws = oldStack();
      const findings = ws.lint('values-airgap.yaml').filter((f) => f.code === 'image/not-mirrored' || f.code === 'image/digest-dropped');
      assert.deepEqual(summary(findings), [
        ['image/not-mirrored', 'error', 38, 0, 38, 6], // fleetmetadatacache: the overlay has no key for it, so its first key
        ['image/not-mirrored', 'error', 38, 0, 38, 6], // apifrontend
        ['image/digest-dropped', 'warning', 60, 11, 60, 59],
      ]);
      assert.equal(findings[0].message, 'fleetmetadatacache.image still pulls from quay.io: override it here with your mirror');
      assert.match(findings[0].detail!, /^"quay\.io\/kubernaut-ai\/fleetmetadatacache:v1\.6\.0", from values\.yaml line 670\b.*: this air-gap overlay leaves it upstream/);
      assert.deepEqual(findings[0].related?.map((r) => [nodePath.basename(r.path), r.range.start.line]), [['values.yaml', 669]]);
      assert.match(findings[1].message, /^apifrontend\.image still pulls from ghcr\.io/);
      assert.match(findings[1].detail!, /^"ghcr\.io\/jordigilh\/kubernaut\/apifrontend:1\.5\.2", from values\.yaml line 811\b/);
      assert.match(findings[2].message, /drops the digest of the layer below: keep the digest$/);
      assert.match(findings[2].detail!, /replaces "docker\.io\/bitnami\/kubectl:latest@sha256:6e2c.*\(values\.yaml line 698\) with a different image/);
      assert.deepEqual(findings[2].fixes, [], 'the kubectl digest is no digest for ose-cli');
      // values-ocp.yaml on its own stack drops the same digest.
      assert.deepEqual(summary(only(ws.lint('values-ocp.yaml'), 'image/digest-dropped')), [['image/digest-dropped', 'warning', 41, 11, 41, 60]]);
    });

    it('layers: [values, ocp, airgap] with mirror.registry: the overlay gets an override it can apply, and then nothing is upstream', () => {
      const ws = oldStack();
      const settings: ConfigInput = { ...harbor, layers: [['/mem/k/values.yaml', '/mem/k/values-ocp.yaml', '/mem/k/values-airgap.yaml']] };
      const upstream = only(ws.lint('values-airgap.yaml', settings), 'image/not-mirrored');
      assert.equal(upstream.length, 2);
      assert.deepEqual(upstream[0].fixes[0].edits.map((e) => e.newText), ['fleetmetadatacache:\n  image:\n    repository: harbor.corp:5000/kubernaut-ai/fleetmetadatacache\n']);
      let after = applyFix(ws, 'values-airgap.yaml', upstream[0], settings);
      after = applyFix(ws, 'values-airgap.yaml', only(after, 'image/not-mirrored')[0], settings);
      assert.deepEqual(only(after, 'image/not-mirrored'), []);
      assert.match(ws.text('values-airgap.yaml'), /\napifrontend:\n  image:\n    repository: harbor\.corp:5000\/jordigilh\/kubernaut\/apifrontend\n$/);
      // The ocp layer below already replaced kubectl with ose-cli: nothing is dropped by the air-gap overlay.
      assert.deepEqual(only(after, 'image/digest-dropped'), []);
    });

    it('pinned-tag: an overlay repeating a Bitnami tag, or setting one the chart leaves to appVersion; the fix deletes only the pin', () => {
      const ws = new Workspace('b', {
        'Chart.yaml': corpusText('bitnami__charts/bitnami/postgresql/Chart.yaml'),
        'values.yaml': corpusText('bitnami__charts/bitnami/postgresql/values.yaml'),
        'values-prod.yaml': 'global:\n  security:\n    allowInsecureImages: true\n  imagePullSecrets: [harbor-pull]\nimage:\n  registry: harbor.corp:5000\n  tag: 17.6.0-debian-12-r4\n',
      });
      const pins = only(ws.lint('values-prod.yaml'), 'image/pinned-tag');
      assert.deepEqual(summary(pins), [['image/pinned-tag', 'warning', 6, 7, 6, 26]]);
      assert.equal(pins[0].message, 'image.tag "17.6.0-debian-12-r4" pins a chart image: delete this key, override only the registry');
      assert.match(pins[0].detail!, /^It pins docker\.io\/bitnami\/postgresql:17\.6\.0-debian-12-r4 \(from values\.yaml line 125\): it repeats the chart's own tag/);
      assert.equal(pins[0].fixes[0].safe, true);
      assert.deepEqual(applyFix(ws, 'values-prod.yaml', pins[0]).filter((f) => f.code === 'image/pinned-tag'), []);
      assert.match(ws.text('values-prod.yaml'), /image:\n  registry: harbor\.corp:5000\n$/);

      const kps = new Workspace('kps', {
        'Chart.yaml': corpusText('prometheus-community__helm-charts/charts/kube-prometheus-stack/Chart.yaml'),
        'values.yaml': corpusText('prometheus-community__helm-charts/charts/kube-prometheus-stack/values.yaml'),
        'values-pin.yaml': 'prometheusOperator:\n  image:\n    tag: v0.90.0\ngrafana:\n  enabled: true\n',
      });
      const kpsPins = only(kps.lint('values-pin.yaml'), 'image/pinned-tag');
      assert.deepEqual(summary(kpsPins), [['image/pinned-tag', 'warning', 2, 9, 2, 16]]);
      assert.match(findingText(kpsPins[0]), /the chart leaves the tag empty so that it follows the chart's appVersion \(now v0\.93\.1\)/);
      // `image:` and `prometheusOperator:` would be left null (Helm would delete the chart's maps): they go too.
      assert.deepEqual(applyFix(kps, 'values-pin.yaml', kpsPins[0]).filter((f) => f.code === 'image/pinned-tag'), []);
      assert.equal(kps.text('values-pin.yaml'), 'grafana:\n  enabled: true\n');
      // Digest pins are what mirror.digestsOnly asks for.
      kps.host.set('kps/values-pin.yaml', 'prometheusOperator:\n  image:\n    sha: 0e072dddd1f7f8fc8909a2ca6f65e76c5f0d2fcfb8be47935ae3457e8bbceb20\n');
      assert.equal(only(kps.lint('values-pin.yaml'), 'image/pinned-tag').length, 1);
      assert.equal(only(kps.lint('values-pin.yaml', { mirror: { digestsOnly: true } }), 'image/pinned-tag').length, 0);
    });

    it('digest-dropped: the same image moved to the mirror by tag gets "keep the digest"; an emptied sha is deleted', () => {
      const digest = 'sha256:6e2cdb22d6ab7264ea198c717f555e30536b54029d26c8781b9f25f78951b564';
      const ws = new Workspace('d', {
        'Chart.yaml': 'apiVersion: v2\nname: hooks\nversion: 1.0.0\nappVersion: 1.0.0\n',
        'values.yaml': `hooks:\n  image: docker.io/bitnami/kubectl:latest@${digest}\nexporter:\n  image:\n    registry: quay.io\n    repository: prometheus/node-exporter\n    tag: v1.9.1\n    sha: ${digest.slice(7)}\n`,
        'values-mirror.yaml': 'hooks:\n  image: harbor.corp:5000/bitnami/kubectl:latest\nexporter:\n  image:\n    registry: harbor.corp:5000\n    sha: ""\n',
      });
      const dropped = only(ws.lint('values-mirror.yaml', harbor), 'image/digest-dropped');
      assert.deepEqual(summary(dropped), [
        ['image/digest-dropped', 'warning', 1, 9, 1, 48],
        ['image/digest-dropped', 'warning', 5, 9, 5, 11],
      ]);
      assert.deepEqual(dropped[0].fixes.map((f) => [f.safe, f.edits[0].newText]), [[false, `harbor.corp:5000/bitnami/kubectl:latest@${digest}`]]);
      assert.deepEqual(dropped[1].fixes.map((f) => [f.safe, f.edits[0].newText]), [[true, '']]);
      let after = applyFix(ws, 'values-mirror.yaml', dropped[1], harbor);
      after = applyFix(ws, 'values-mirror.yaml', only(after, 'image/digest-dropped')[0], harbor);
      assert.deepEqual(only(after, 'image/digest-dropped'), []);
      assert.equal(ws.text('values-mirror.yaml'), `hooks:\n  image: harbor.corp:5000/bitnami/kubectl:latest@${digest}\nexporter:\n  image:\n    registry: harbor.corp:5000\n`);
    });
  });

  describe('no false positives on charts as shipped', () => {
    const charts: Array<[string, string]> = [
      ['goharbor__harbor-helm/values.yaml', 'goharbor__harbor-helm/Chart.yaml'],
      ['cert-manager__cert-manager/deploy/charts/cert-manager/values.yaml', 'cert-manager__cert-manager/deploy/charts/cert-manager/Chart.yaml'],
      ['aquasecurity__trivy-operator/deploy/helm/values.yaml', 'aquasecurity__trivy-operator/deploy/helm/Chart.yaml'],
      ['robusta-dev__robusta/helm/robusta/values.yaml', 'robusta-dev__robusta/helm/robusta/Chart.yaml'],
      ['robusta-dev__robusta/helm/robusta/charts/holmes-0.39.0/holmes/values.yaml', 'robusta-dev__robusta/helm/robusta/charts/holmes-0.39.0/holmes/Chart.yaml'],
      ['rancher__rancher/chart/values.yaml', 'rancher__rancher/chart/Chart.yaml'],
      ['Cloudzero__cloudzero-agent/helm/values.yaml', 'Cloudzero__cloudzero-agent/helm/Chart.yaml'],
      ['kubeshop__botkube/helm/botkube/values.yaml', 'kubeshop__botkube/helm/botkube/Chart.yaml'],
    ];
    for (const [values, chart] of charts) {
      it(values.split('/')[0], () => {
        const ws = new Workspace('x', { 'values.yaml': corpusText(values), 'Chart.yaml': corpusText(chart) });
        // botkube ships ALL-CAPS placeholders (MATTERMOST_SERVER_URL …): true findings, checked in placeholder.test.ts.
        const findings = ws.lint('values.yaml').filter((f) => !(f.code === 'values/placeholder' && values.startsWith('kubeshop')));
        assert.deepEqual(summary(findings), []);
      });
    }
  });

  it('bad input never crashes the image rules: odd shapes, non-map roots, a list as base layer', () => {
    const odd = [
      'global: 5',
      'image: [a, b]',
      'registry: {x: 1}',
      'imageRegistry: ""',
      'a:',
      '  image: 123',
      '  initImage: {repository: {nested: {x: 1}}, tag: [1]}',
      'b:',
      '  image: {registry: [x], repository: "", tag: {a: b}, sha: 5}',
      'c: {image: {name: "", digest: "sha256:zz"}}',
      'global2: &g {image: {namespace: {a: 1}, registry: [x], separator: 7}}',
      'd: *g',
      '',
    ].join('\n');
    for (const [name, text] of [
      ['values.yaml', odd],
      ['values-airgap.yaml', odd.replace('global: 5', 'global:\n  image:\n    namespace: {a: 1}\n    registry: [x]\n    separator: 7')],
      ['values-list.yaml', '- image: busybox\n- 1\n'],
      ['values-scalar.yaml', 'just text\n'],
      ['values-empty.yaml', ''],
    ]) {
      const ws = new Workspace('bad', { 'Chart.yaml': 'name: [broken', 'values.yaml': '- a\n- b\n', [name]: text });
      const all = new Engine(ws.host, { settings: { ...harbor, mirror: { registry: 'harbor.corp:5000', layout: 'flat', digestsOnly: true } } }).lint(ws.path(name)).findings;
      assert.deepEqual(all.filter((f) => f.code === 'internal/error'), [], name);
    }
  });

  it('every image rule is in the catalog with its default severity and documented at its README anchor', () => {
    const readme = read(nodePath.join(REPO, 'README.md'));
    for (const { id, severity } of [...IMAGE_RULE_INFO, { id: 'values/placeholder', severity: 'error' }]) {
      assert.equal(ruleInfo(id)?.severity, severity, id);
      const anchor = ruleDocsUrl(id).split('#')[1];
      assert.ok(readme.includes(`<a id="${anchor}"></a>`), `README anchor for ${id}`);
    }
  });

  it('discovery + image rules + placeholder rule on kube-prometheus-stack take a few ms per lint', () => {
    const path = nodePath.join(CORPUS, 'prometheus-community__helm-charts/charts/kube-prometheus-stack/values.yaml');
    const host = new MemoryHost();
    const config = resolveConfig('/mem', host, harbor);
    const base = parseValuesDocument(path, read(path));
    const ctx = (): LintContext => ({
      // A fresh document object per run: discovery is cached per document, as after each keystroke.
      doc: { ...base },
      config,
      host,
      getDocument: () => undefined,
      report: () => undefined,
    });
    for (let i = 0; i < 5; i++) {
      const c = ctx();
      imageRules.check(c);
      placeholderRules.check(c);
    }
    const runs = 30;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) {
      const c = ctx();
      imageRules.check(c);
      placeholderRules.check(c);
    }
    const perRun = (performance.now() - t0) / runs;
    assert.ok(perRun < 25, `${perRun.toFixed(2)} ms per lint`);
  });
});
