// "Show Effective Values": the merged stack as YAML with `# from FILE:LINE` after every value.
// On the kubernaut a0781038 stack (values.yaml → values-ocp.yaml → values-airgap.yaml, as the
// chart README layers them) and on small stacks with the edge cases.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { parse } from 'yaml';
import { DiskHost, Engine } from '../server/src/engine';
import { effectiveValuesFor } from '../server/src/engine/services/effective-values';
import { CORPUS, MemoryHost } from './helpers';

const KUBERNAUT = nodePath.join(CORPUS, 'jordigilh__kubernaut__a0781038/charts/kubernaut');
const STACK = ['values.yaml', 'values-ocp.yaml', 'values-airgap.yaml'].map((f) => nodePath.join(KUBERNAUT, f));

const ANNOTATION = / # from ([^:]+):(\d+)$/;

describe('effective values', () => {
  describe('kubernaut a0781038: values.yaml + values-ocp.yaml + values-airgap.yaml', () => {
    let text: string;
    let lines: string[];
    before(() => {
      const engine = new Engine(new DiskHost(), { settings: { layers: [STACK] } });
      text = effectiveValuesFor(STACK[2], engine).text;
      lines = text.split('\n');
    });

    it('starts with the stack in helm -f order', () => {
      assert.deepEqual(lines.slice(0, 5), [
        '# Effective values of values-airgap.yaml (layers from the configuration)',
        '# Layers in helm -f order, later files win:',
        '#   1. values.yaml',
        '#   2. values-ocp.yaml',
        '#   3. values-airgap.yaml',
      ]);
    });

    it('names the layer that won for each value, at the line that sets it', () => {
      const has = (line: string) => assert.ok(lines.includes(line), `missing line: ${line}`);
      // global.image: the overlay's registry and separator over the base's, the base's tag.
      has('global:');
      has('  image:');
      has('    registry: <mirror-registry> # from values-airgap.yaml:41');
      has('    namespace: kubernaut-ai # from values-airgap.yaml:42');
      has('    separator: / # from values-airgap.yaml:43');
      has('    tag: "" # from values.yaml:6');
      has('    pullPolicy: IfNotPresent # from values.yaml:8');
      has('  imagePullSecrets: [] # from values.yaml:9');
      has('  nodeSelector: {} # from values.yaml:10');
      // postgresql: the ocp layer adds variant, the air-gap layer replaces the image.
      has('  variant: ocp # from values-ocp.yaml:34');
      has('  image: <mirror-registry>/rhel10/postgresql-16 # from values-airgap.yaml:54');
      has('    image: <mirror-registry>/openshift4/ose-cli-rhel9:v4.17 # from values-airgap.yaml:61');
      has('  initImage: <mirror-registry>/ubi10/ubi-minimal:latest # from values-airgap.yaml:64');
      // values-ocp.yaml sets `tls` twice (lines 69 and 75): the last one wins, as in Helm.
      has('    enabled: true # from values-ocp.yaml:77');
      has('    certDir: /etc/tls # from values.yaml:73');
      // A list replaces the lists below it: every item comes from the ocp layer.
      has('      - name: alertmanager # from values-ocp.yaml:47');
      has('        serviceAccount: alertmanager-main # from values-ocp.yaml:48');
    });

    it('is the merged values, and every annotation points at a line that sets that key', () => {
      const withoutHeader = lines.filter((l) => !l.startsWith('#')).join('\n');
      assert.equal(typeof parse(withoutHeader), 'object');
      const files = new Map(STACK.map((p) => [nodePath.basename(p), fs.readFileSync(p, 'utf8').split('\n')]));
      let checked = 0;
      for (const line of lines) {
        if (line.startsWith('#')) continue;
        const m = ANNOTATION.exec(line);
        const keyMatch = /^\s*(?:- )?([^\s:#"-][^:]*):(?: |$)/.exec(line);
        if (!m) {
          // Only map keys with nested values go without an annotation.
          assert.ok(/^\s*(- )?[^:]+:$/.test(line) || line === '', `value without annotation: ${line}`);
          continue;
        }
        const source = files.get(m[1])![Number(m[2]) - 1];
        assert.ok(source !== undefined, `${m[1]}:${m[2]} exists`);
        if (keyMatch) assert.ok(source.includes(`${keyMatch[1].trim()}:`), `${line} → ${m[1]}:${m[2]} is "${source}"`);
        checked++;
      }
      assert.ok(checked > 400, `annotated values: ${checked}`);
    });
  });

  it('a chart overlay alone is stacked on its values.yaml (implicit stack)', () => {
    const host = new MemoryHost({
      'chart/Chart.yaml': 'name: c\nversion: 1.0.0\n',
      'chart/values.yaml': 'image:\n  registry: quay.io\n  tag: "1.0"\nreplicas: 1\n',
      'chart/values-prod.yaml': '# prod\nreplicas: 3\n',
    });
    const { text } = effectiveValuesFor('/mem/chart/values-prod.yaml', new Engine(host));
    assert.equal(
      text,
      [
        "# Effective values of values-prod.yaml (the chart's values.yaml under this overlay)",
        '# Layers in helm -f order, later files win:',
        '#   1. values.yaml',
        '#   2. values-prod.yaml',
        'image:',
        '  registry: quay.io # from values.yaml:2',
        '  tag: "1.0" # from values.yaml:3',
        'replicas: 3 # from values-prod.yaml:2',
        '',
      ].join('\n'),
    );
  });

  it('null in an overlay deletes the key; a value reached through an anchor names the anchor line', () => {
    const host = new MemoryHost({
      'c/Chart.yaml': 'name: c\n',
      'c/values.yaml': 'defaults: &d\n  timeout: 30s\n  retries: 2\napi:\n  <<: *d\n  retries: 5\nlegacy:\n  enabled: true\n',
      'c/values-x.yaml': 'legacy: null\n',
    });
    const { text } = effectiveValuesFor('/mem/c/values-x.yaml', new Engine(host));
    const body = text.split('\n').filter((l) => !l.startsWith('#'));
    assert.deepEqual(body, [
      'defaults:',
      '  timeout: 30s # from values.yaml:2',
      '  retries: 2 # from values.yaml:3',
      'api:',
      '  timeout: 30s # from values.yaml:2',
      '  retries: 5 # from values.yaml:6',
      '',
    ]);
  });

  it('a lone file, an empty file and a broken file: no stack, no crash, the problem in the header', () => {
    const host = new MemoryHost({
      'a/values.yaml': 'multi: "line\\none"\nkey with spaces: x\n"quoted: key": 1\n',
      'b/values.yaml': '',
      'c/values.yaml': 'a: [1, 2\nb: 3\n',
    });
    const engine = new Engine(host);
    assert.equal(
      effectiveValuesFor('/mem/a/values.yaml', engine).text,
      '# Effective values of values.yaml (a single file)\nmulti: "line\\none" # from values.yaml:1\nkey with spaces: x # from values.yaml:2\n"quoted: key": 1 # from values.yaml:3\n',
    );
    assert.equal(effectiveValuesFor('/mem/b/values.yaml', engine).text, '# Effective values of values.yaml (a single file)\n{}\n');
    const broken = effectiveValuesFor('/mem/c/values.yaml', engine).text.split('\n');
    assert.match(broken[1], /^# values\.yaml has \d+ YAML problem\(s\): its values are what could be read\. First: /);
  });

  it('a missing layer is named in the header', () => {
    const host = new MemoryHost({ 'd/values-b.yaml': 'x: 1\n' });
    const engine = new Engine(host, { settings: { layers: [['/mem/d/values-a.yaml', '/mem/d/values-b.yaml']] } });
    const { text, missing } = effectiveValuesFor('/mem/d/values-b.yaml', engine);
    assert.deepEqual(missing, ['/mem/d/values-a.yaml']);
    assert.ok(text.includes('# Not read (missing or too large): values-a.yaml\n'), text);
    assert.ok(text.endsWith('x: 1 # from values-b.yaml:1\n'), text);
  });
});
