// The image hover service on the kubernaut a0781038 stack (values.yaml → values-ocp.yaml →
// values-airgap.yaml, test/corpus) and on kube-prometheus-stack: the reference after
// layering, the file and line of each part, the mirror reference, exact ranges.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { ConfigInput } from '../server/src/engine/config';
import { Engine } from '../server/src/engine/lint';
import { imageHover } from '../server/src/engine/services/image-hover';
import type { Position } from '../server/src/engine/types';
import { ChartFolder, CORPUS, range } from './helpers';

const corpusText = (p: string) => fs.readFileSync(nodePath.join(CORPUS, p), 'utf8');
const KUBERNAUT_OLD = 'jordigilh__kubernaut__a0781038/charts/kubernaut';
const KPS = 'prometheus-community__helm-charts/charts/kube-prometheus-stack';
const harbor: ConfigInput = { mirror: { registry: 'harbor.corp:5000', layout: 'nested' } };

/** A chart folder in memory under /mem/<dir>, hovered through an Engine as the server does. */
class Chart extends ChartFolder {
  hover(name: string, position: Position, settings: ConfigInput = harbor) {
    const engine = new Engine(this.host, { settings });
    const path = this.path(name);
    return imageHover(engine.getDocument(path)!, engine, path, position);
  }
}

/**
 * These hovers are about image shapes and layers: the chart is renamed so that no chart knowledge
 * applies (knowledge.test.ts has the hovers with it: composed service images, optional components).
 */
function shapesOnly(chartYaml: string): string {
  return chartYaml.replace(/^name: .*$/m, 'name: shapes-only');
}

const kubernaut = () =>
  new Chart('k', {
    'Chart.yaml': shapesOnly(corpusText(`${KUBERNAUT_OLD}/Chart.yaml`)),
    'values.yaml': corpusText(`${KUBERNAUT_OLD}/values.yaml`),
    'values-ocp.yaml': corpusText(`${KUBERNAUT_OLD}/values-ocp.yaml`),
    'values-airgap.yaml': corpusText(`${KUBERNAUT_OLD}/values-airgap.yaml`),
  });

const threeLayers: ConfigInput = { ...harbor, layers: [['/mem/k/values.yaml', '/mem/k/values-ocp.yaml', '/mem/k/values-airgap.yaml']] };

describe('image hover', () => {
  describe('kubernaut a0781038 stack', () => {
    it('values.yaml: a third-party image, each part with its line, and its place in the nested and flat mirror', () => {
      const k = kubernaut();
      // L670 `    repository: quay.io/kubernaut-ai/fleetmetadatacache`
      const hover = k.hover('values.yaml', { line: 669, character: 30 });
      assert.ok(hover);
      assert.deepEqual(hover.range, range(669, 16, 669, 55));
      assert.equal(
        hover.markdown,
        [
          '**Image `fleetmetadatacache.image`** renders `quay.io/kubernaut-ai/fleetmetadatacache:v1.6.0`',
          '',
          '| part | value | from |',
          '|---|---|---|',
          '| repository `fleetmetadatacache.image.repository` | `quay.io/kubernaut-ai/fleetmetadatacache` | this file line 670 |',
          '| tag `fleetmetadatacache.image.tag` | `v1.6.0` | this file line 671 |',
          '',
          'Mirror (nested): `harbor.corp:5000/kubernaut-ai/fleetmetadatacache:v1.6.0`',
        ].join('\n'),
      );
      const flat = k.hover('values.yaml', { line: 669, character: 30 }, { mirror: { registry: 'harbor.corp:5000', layout: 'flat' } });
      assert.match(flat!.markdown, /\nMirror \(flat\): `harbor\.corp:5000\/kubernaut-ai-fleetmetadatacache:v1\.6\.0`$/);
      const none = k.hover('values.yaml', { line: 669, character: 30 }, {});
      assert.match(none!.markdown, /\n_No mirror configured: set `mirror\.registry` in \.airgap-lint\.yaml to see where this image should come from\._$/);
      const bad = k.hover('values.yaml', { line: 669, character: 30 }, { mirror: { registry: 'registry/team' } });
      assert.match(bad!.markdown, /_mirror\.registry is not usable: mirror\.registry "registry\/team": "registry" has no "\." or ":" and is not "localhost", so container runtimes read it as a Docker Hub namespace/);
    });

    it('values.yaml: the digest-pinned kubectl and a Docker Hub short name show what is pulled', () => {
      const k = kubernaut();
      const kubectl = k.hover('values.yaml', { line: 697, character: 12 }); // L698 `    image: docker.io/bitnami/kubectl:latest@sha256:…`
      assert.ok(kubectl);
      assert.deepEqual(kubectl.range, range(697, 11, 697, 115));
      assert.match(kubectl.markdown, /\nMirror \(nested\): `harbor\.corp:5000\/bitnami\/kubectl:latest@sha256:6e2cdb22d6ab7264ea198c717f555e30536b54029d26c8781b9f25f78951b564`$/);
      const postgres = k.hover('values.yaml', { line: 622, character: 12 }); // L623 `  image: postgres:16-alpine`
      assert.ok(postgres);
      assert.deepEqual(postgres.range, range(622, 9, 622, 27));
      assert.match(postgres.markdown, /\nPulled as `docker\.io\/library\/postgres:16-alpine` \(Docker Hub implied\)\.\n/);
      assert.match(postgres.markdown, /\nMirror \(nested\): `harbor\.corp:5000\/library\/postgres:16-alpine`$/);
    });

    it("values-airgap.yaml on the chart's values.yaml: what the overlay replaces, and the placeholder filled with the mirror", () => {
      const k = kubernaut();
      // L61 `    image: <mirror-registry>/openshift4/ose-cli-rhel9:v4.17`
      const hover = k.hover('values-airgap.yaml', { line: 60, character: 20 });
      assert.ok(hover);
      assert.deepEqual(hover.range, range(60, 11, 60, 59));
      assert.equal(
        hover.markdown,
        [
          '**Image `hooks.tlsCerts.image`** renders `<mirror-registry>/openshift4/ose-cli-rhel9:v4.17`',
          '',
          'Replaces `docker.io/bitnami/kubectl:latest@sha256:6e2cdb22d6ab7264ea198c717f555e30536b54029d26c8781b9f25f78951b564` (values.yaml line 698).',
          '',
          'Contains an unreplaced `<…>` placeholder: Helm installs it literally.',
          '',
          '| part | value | from |',
          '|---|---|---|',
          '| image `hooks.tlsCerts.image` | `<mirror-registry>/openshift4/ose-cli-rhel9:v4.17` | this file line 61 |',
          '',
          'Mirror: with the placeholder replaced by mirror.registry, `harbor.corp:5000/openshift4/ose-cli-rhel9:v4.17`.',
        ].join('\n'),
      );
    });

    it('global.image: the composed service image takes registry, namespace, separator from the overlay and the tag from appVersion', () => {
      const k = kubernaut();
      const hover = k.hover('values-airgap.yaml', { line: 41, character: 16 }); // L42 `    namespace: kubernaut-ai`
      assert.ok(hover);
      assert.deepEqual(hover.range, range(41, 15, 41, 27));
      assert.match(hover.markdown, /^\*\*Image `global\.image`\*\* renders `<mirror-registry>\/kubernaut-ai\/<service>:1\.5\.2`\n/);
      assert.match(
        hover.markdown,
        /\| registry \(shared\) `global\.image\.registry` \| `<mirror-registry>` \| this file line 41 \|\n\| namespace `global\.image\.namespace` \| `kubernaut-ai` \| this file line 42 \|\n\| separator `global\.image\.separator` \| `\/` \| this file line 43 \|\n\| tag \| `1\.5\.2` \| Chart\.yaml appVersion \(the tag is empty\) \|/,
      );
      assert.match(hover.markdown, /Mirror: with the placeholder replaced by mirror\.registry, `harbor\.corp:5000\/kubernaut-ai\/<service>:1\.5\.2`\.$/);
    });

    it('layers: [values, ocp, airgap]: the overlay replaces the ocp image, named with its file and line', () => {
      const k = kubernaut();
      const hover = k.hover('values-airgap.yaml', { line: 60, character: 20 }, threeLayers);
      assert.match(hover!.markdown, /\nReplaces `registry\.redhat\.io\/openshift4\/ose-cli-rhel9:v4\.17` \(values-ocp\.yaml line 42\)\.\n/);
      // On values-ocp.yaml itself (its stack stops there) the same image has no placeholder and a mirror target.
      const ocp = k.hover('values-ocp.yaml', { line: 41, character: 20 }, threeLayers);
      assert.ok(ocp);
      assert.deepEqual(ocp.range, range(41, 11, 41, 60));
      assert.match(ocp.markdown, /Replaces `docker\.io\/bitnami\/kubectl:latest@sha256:6e2c[0-9a-f]+` \(values\.yaml line 698\)/);
      assert.match(ocp.markdown, /\nMirror \(nested\): `harbor\.corp:5000\/openshift4\/ose-cli-rhel9:v4\.17`$/);
    });

    it('nothing to say off image fields: comments, other keys, a pull policy, a list root', () => {
      const k = kubernaut();
      assert.equal(k.hover('values-airgap.yaml', { line: 0, character: 3 }), undefined);
      assert.equal(k.hover('values.yaml', { line: 7, character: 6 }), undefined); // global.image.pullPolicy
      assert.equal(k.hover('values-ocp.yaml', { line: 47, character: 10 }), undefined); // gateway.auth.signalSources
      const odd = new Chart('odd', { 'values.yaml': '- image: busybox\n', 'values-x.yaml': 'image: {registry: {a: {b: c}}}\n', 'Chart.yaml': 'name: odd\n' });
      assert.equal(odd.hover('values.yaml', { line: 0, character: 10 }), undefined);
      assert.equal(odd.hover('values-x.yaml', { line: 0, character: 25 }), undefined);
    });
  });

  it('kubernaut HEAD: a part no values file sets comes from the schema default, named with its line', () => {
    const head = 'jordigilh__kubernaut/charts/kubernaut';
    const k = new Chart('h', Object.fromEntries(['Chart.yaml', 'values.yaml', 'values.schema.json', 'values-airgap.yaml'].map((f) => [f, f === 'Chart.yaml' ? shapesOnly(corpusText(`${head}/${f}`)) : corpusText(`${head}/${f}`)])));
    const hover = k.hover('values-airgap.yaml', { line: 59, character: 20 }); // L60 `    image: <mirror-registry>/bitnami/kubectl:latest`
    assert.ok(hover);
    assert.deepEqual(hover.range, range(59, 11, 59, 51));
    assert.match(hover.markdown, /\nReplaces `docker\.io\/bitnami\/kubectl:latest@sha256:6e2c[0-9a-f]{60}` \(values\.schema\.json line 3330, schema default\)\.\n/);
    assert.match(hover.markdown, /Mirror: with the placeholder replaced by mirror\.registry, `harbor\.corp:5000\/bitnami\/kubectl:latest`\.$/);
    // global.image: registry from the overlay, the tag from Chart.yaml (the schema default "" leaves it to appVersion).
    const composite = k.hover('values-airgap.yaml', { line: 40, character: 16 });
    assert.match(composite!.markdown, /renders `<mirror-registry>\/kubernaut-ai\/<service>:1\.6\.0`/);
    assert.match(composite!.markdown, /\| tag \| `1\.6\.0` \| Chart\.yaml appVersion \(the tag is empty\) \|/);
  });

  describe('kube-prometheus-stack', () => {
    const kps = () =>
      new Chart('kps', {
        'Chart.yaml': shapesOnly(corpusText(`${KPS}/Chart.yaml`)),
        'values.yaml': corpusText(`${KPS}/values.yaml`),
        'values-mirror.yaml': 'global:\n  imageRegistry: harbor.corp:5000\nprometheusOperator:\n  image:\n    registry: quay.io\n',
      });

    it('a shared global.imageRegistry lists the images it moves; an own registry it overrides says it is not used', () => {
      const k = kps();
      const shared = k.hover('values-mirror.yaml', { line: 1, character: 20 });
      assert.ok(shared);
      assert.deepEqual(shared.range, range(1, 17, 1, 33));
      const lines = shared.markdown.split('\n');
      assert.equal(lines[0], '**Registry `global.imageRegistry`** = `harbor.corp:5000` (this file line 2), used by 10 images:');
      assert.equal(lines.filter((l) => l.startsWith('- `')).length, 10);
      assert.ok(lines.includes('- `prometheusOperator.image`: `harbor.corp:5000/prometheus-operator/prometheus-operator:v0.93.1`'));
      assert.equal(lines[lines.length - 1], 'Already pulled from the mirror `harbor.corp:5000`.');
      // Seen from the chart's values.yaml with the mirror elsewhere, each image gets its mirror reference.
      k.host.set('kps/values-mirror.yaml', 'global:\n  imageRegistry: registry.example.org\n');
      const moved = k.hover('values-mirror.yaml', { line: 1, character: 20 });
      assert.ok(moved!.markdown.includes('\n- `prometheusOperator.image`: `registry.example.org/prometheus-operator/prometheus-operator:v0.93.1` → `harbor.corp:5000/prometheus-operator/prometheus-operator:v0.93.1`\n'));
      k.host.set('kps/values-mirror.yaml', 'global:\n  imageRegistry: harbor.corp:5000\nprometheusOperator:\n  image:\n    registry: quay.io\n');
      const own = k.hover('values-mirror.yaml', { line: 4, character: 15 });
      assert.ok(own);
      assert.deepEqual(own.range, range(4, 14, 4, 21));
      assert.match(own.markdown, /\| registry `prometheusOperator\.image\.registry` \| `quay\.io` \| this file line 5, not used: global\.imageRegistry wins \|/);
      assert.match(own.markdown, /\| registry \(shared\) `global\.imageRegistry` \| `harbor\.corp:5000` \| this file line 2 \|/);
      assert.match(own.markdown, /Already pulled from the mirror `harbor\.corp:5000`\.$/);
    });

    it('answers within a few milliseconds once the stack is parsed', () => {
      const k = kps();
      const engine = new Engine(k.host, { settings: harbor });
      const path = k.path('values.yaml');
      const doc = engine.getDocument(path)!;
      const line = doc.text.split('\n').findIndex((l) => /^ {4}repository: prometheus-operator\/prometheus-operator$/.test(l));
      const position = { line, character: 20 };
      const t0 = performance.now();
      assert.ok(imageHover(doc, engine, path, position), 'a hover on the operator repository');
      const cold = performance.now() - t0;
      const runs = 50;
      const t1 = performance.now();
      for (let i = 0; i < runs; i++) imageHover(doc, engine, path, position);
      const warm = (performance.now() - t1) / runs;
      console.log(`      image hover on kube-prometheus-stack values.yaml: first ${cold.toFixed(1)} ms, then ${warm.toFixed(2)} ms`);
      assert.ok(warm < 20, `warm hover took ${warm.toFixed(2)} ms`);
    });
  });
});
