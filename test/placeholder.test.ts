// values/placeholder: unreplaced `<…>` tokens in registries, hosts, URLs and images, with the
// range on exactly the token; never on message templates or Go templates; fixes from
// mirror.registry for this token or all of them, applied and re-linted.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { ConfigInput } from '../server/src/engine/config';
import { applyEdits, fixAll } from '../server/src/engine/fixes';
import { Engine } from '../server/src/engine/lint';
import type { Finding } from '../server/src/engine/types';
import { CORPUS, FIXTURES, MemoryHost, range } from './helpers';

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
    assert.match(findings[0].message, /Unreplaced placeholder <mirror-registry> in global\.image\.registry: .*no valid host name.*set mirror\.registry in \.airgap-lint\.yaml to get a quick fix/);
    assert.match(findings[1].message, /in postgresql\.image \("<mirror-registry>\/rhel10\/postgresql-16"\): .*the image reference is invalid/);
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
        [16, '"\\u0041lpine/<mirror-registry>:3.20"'], // an escape before the token: the whole value
      ],
    );
    // Only the mirror tokens get the mirror.registry fix.
    assert.deepEqual(findings.map((f) => f.fixes.length), [2, 0, 0, 0, 0, 2]);
    assert.match(findings[3].message, /the URL has no valid host/);
    // The escaped scalar is rewritten whole, still double-quoted.
    assert.deepEqual(findings[5].fixes[0].edits, [{ range: range(15, 9, 15, 45), newText: '"Alpine/harbor.corp:5000:3.20"' }]);
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
    for (const p of [
      'prometheus-community__helm-charts/charts/kube-prometheus-stack/values.yaml',
      'robusta-dev__robusta/helm/robusta/values.yaml',
      'robusta-dev__robusta/helm/robusta/charts/holmes-0.39.0/holmes/values.yaml',
      'rancher__rancher/chart/values.yaml',
      'kubeshop__botkube/helm/botkube/values.yaml',
    ]) {
      assert.deepEqual(lint(fs.readFileSync(nodePath.join(CORPUS, p), 'utf8')), [], p);
    }
  });

  it('single-quoted scalars with doubled quotes before the token fall back to the whole value; a mirror with a path prefix', () => {
    const text = "a:\n  image: '<mirror-registry>/team/app:1.0'\nb:\n  url: 'http://it''s/<tenant>'\n";
    const findings = lint(text, { mirror: { registry: 'harbor.corp/proxy' } });
    assert.deepEqual(ranges(findings), [
      [1, 10, 1, 27],
      [3, 7, 3, 30],
    ]);
    const fixed = applyEdits(text, findings[0].fixes[0].edits).text;
    assert.equal(fixed, "a:\n  image: 'harbor.corp/proxy/team/app:1.0'\nb:\n  url: 'http://it''s/<tenant>'\n");
  });
});
