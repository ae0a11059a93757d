// Layer stacks, Helm's merge, provenance of merged values, and schema validation on merged
// values with each finding on the file and line its value came from.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { parseValuesDocument } from '../server/src/engine/document';
import { applyEdits } from '../server/src/engine/fixes';
import { dependentsOf, findStack, mergeLayers, mergeValues } from '../server/src/engine/layers';
import { Engine } from '../server/src/engine/lint';
import { DiskHost } from '../server/src/engine/node-host';
import type { Finding, JsonValue } from '../server/src/engine/types';
import { FIXTURES, MemoryHost, findingText, range } from './helpers';

const SHOP = nodePath.join(FIXTURES, 'layers/shop');
const shopFile = (name: string) => nodePath.join(SHOP, name);
const read = (p: string) => fs.readFileSync(p, 'utf8');

function schemaFindings(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.code.startsWith('schema/') || f.code === 'config/invalid');
}

/** The shop chart in memory under /shop, optionally with a config and without some files. */
function shopHost(options: { config?: string; without?: string[]; replace?: Record<string, string> } = {}): MemoryHost {
  const host = new MemoryHost();
  for (const name of fs.readdirSync(SHOP)) {
    if (options.without?.includes(name)) continue;
    host.set(`/shop/${name}`, options.replace?.[name] ?? read(shopFile(name)));
  }
  if (options.config) host.set('/.airgap-lint.yaml', options.config);
  return host;
}

describe('layers', () => {
  describe('finding the stack', () => {
    const config = { layers: [] as string[][] };

    it('stacks a values-*.yaml beside Chart.yaml and values.yaml on that values.yaml', () => {
      const host = new DiskHost();
      assert.deepEqual(findStack(shopFile('values-prod.yaml'), config, host), {
        files: [shopFile('values.yaml'), shopFile('values-prod.yaml')],
        overlays: [],
        source: 'implicit',
      });
    });

    it("knows the chart's values.yaml has overlays, and re-lints them when it changes", () => {
      const host = new DiskHost();
      const stack = findStack(shopFile('values.yaml'), config, host);
      assert.deepEqual(stack.files, [shopFile('values.yaml')]);
      assert.deepEqual(stack.overlays, [shopFile('values-airgap.yaml'), shopFile('values-prod.yaml')]);
      assert.deepEqual(dependentsOf(shopFile('values.yaml'), config, host), stack.overlays);
    });

    it('does not stack files outside a chart, nor *-values.yaml, nor sibling overlays on each other', () => {
      const host = new MemoryHost({
        '/plain/values.yaml': 'a: 1\n',
        '/plain/values-prod.yaml': 'a: 2\n',
        '/chart/Chart.yaml': 'name: c\n',
        '/chart/values.yaml': 'a: 1\n',
        '/chart/prod-values.yaml': 'a: 2\n',
        '/chart/values.dev.yaml': 'a: 3\n',
      });
      assert.equal(findStack('/plain/values-prod.yaml', config, host).source, 'single');
      assert.equal(findStack('/chart/prod-values.yaml', config, host).source, 'single');
      assert.deepEqual(findStack('/chart/values.dev.yaml', config, host).files, ['/chart/values.yaml', '/chart/values.dev.yaml']);
      assert.deepEqual(findStack('/chart/values.yaml', config, host).overlays, ['/chart/values.dev.yaml']);
    });

    it('takes the stack from `layers:` in the config, up to the file; duplicates are listed once', () => {
      const host = new MemoryHost();
      const layers = [['/c/values.yaml', '/c/values-ocp.yaml', '/c/values.yaml', '/c/values-airgap.yaml']];
      assert.deepEqual(findStack('/c/values-ocp.yaml', { layers }, host), {
        files: ['/c/values.yaml', '/c/values-ocp.yaml'],
        overlays: ['/c/values-airgap.yaml'],
        source: 'config',
      });
      assert.deepEqual(findStack('/c/values-airgap.yaml', { layers }, host).files, ['/c/values.yaml', '/c/values-ocp.yaml', '/c/values-airgap.yaml']);
      assert.deepEqual(dependentsOf('/c/values.yaml', { layers }, host), ['/c/values-ocp.yaml', '/c/values-airgap.yaml']);
    });
  });

  describe("Helm's merge", () => {
    it('merges maps deeply; lists and scalars replace; null in an overlay deletes', () => {
      const base: JsonValue = { image: { registry: 'docker.io', repository: 'a/b', tag: '1' }, env: [{ name: 'A' }, { name: 'B' }], replicas: 1, keep: { x: 1 } };
      const overlay: JsonValue = { image: { registry: 'harbor.corp', tag: null }, env: [{ name: 'C' }], replicas: { auto: true }, extra: { a: null, b: 2 } };
      const before = JSON.stringify(base);
      const merged = mergeValues(base, overlay);
      assert.deepEqual(merged, {
        image: { registry: 'harbor.corp', repository: 'a/b' },
        env: [{ name: 'C' }],
        replicas: { auto: true },
        keep: { x: 1 },
        extra: { b: 2 },
      });
      assert.equal(JSON.stringify(base), before, 'inputs are not mutated');
      assert.equal((merged as { keep: unknown }).keep, (base as { keep: unknown }).keep, 'untouched subtrees are shared, not copied');
    });

    it('keeps a null written in the base layer (a chart default), and treats an empty overlay as {}', () => {
      const docs = [parseValuesDocument('/c/values.yaml', 'a: null\nb: 1\n'), parseValuesDocument('/c/values-x.yaml', '# nothing\n')];
      assert.deepEqual(mergeLayers(docs).values, { a: null, b: 1 });
    });

    it('says which layer each merged value comes from, and where it is written', () => {
      const base = parseValuesDocument('/c/values.yaml', 'image:\n  repository: a/b\n  tag: "1"\nenv:\n  - name: A\nlist: [1, 2]\n');
      const over = parseValuesDocument('/c/values-x.yaml', 'image:\n  tag: "2"\nenv:\n  - name: B\n    value: x\n');
      const merged = mergeLayers([base, over]);
      assert.equal(merged.originOf(['image', 'repository']), 0);
      assert.equal(merged.originOf(['image', 'tag']), 1);
      assert.equal(merged.originOf(['image']), 1, 'a merged map: the highest layer contributing');
      assert.equal(merged.originOf(['env', 0, 'value']), 1, 'the replacing list owns its items');
      assert.equal(merged.originOf(['list', 1]), 0);
      assert.equal(merged.originOf(['missing']), undefined);
      const where = merged.locate(['env', 0, 'value']);
      assert.equal(where?.doc.path, '/c/values-x.yaml');
      assert.deepEqual(where && where.doc.rangeOf(where.location?.node), range(4, 11, 4, 12));
      assert.equal(mergeLayers([base, over]), merged, 'cached while the documents are unchanged');
    });
  });

  describe('schema validation on merged values (implicit chart stack)', () => {
    it("the chart's values.yaml is validated alone and leaves top-level required keys to its overlays", () => {
      assert.deepEqual(schemaFindings(new Engine(new DiskHost()).lint(shopFile('values.yaml')).findings), []);
    });

    it('an overlay gets the errors of its own values, with exact lines, and the combination errors of lower values', () => {
      const findings = schemaFindings(new Engine(new DiskHost()).lint(shopFile('values-prod.yaml')).findings);
      assert.deepEqual(findings.map((f) => [f.code, f.path, f.range, f.message, f.detail]), [
        ['schema/additionalProperties', shopFile('values-prod.yaml'), range(4, 2, 4, 13), 'Unknown key "pullPolicyy" in image. Did you mean "pullPolicy"?', undefined],
        ['schema/required', shopFile('values-prod.yaml'), range(8, 4, 8, 14), 'Missing required key "name" in env[1]', undefined],
        [
          'schema/pattern',
          shopFile('values-prod.yaml'),
          range(9, 0, 9, 11),
          'persistence.size must match the pattern ^[0-9]+(Mi|Gi)$ (got string "20G")',
          'The value is set in values.yaml line 16 and is invalid once this file is layered on it.',
        ],
      ]);
      assert.deepEqual(findings[2].related, [{ path: shopFile('values.yaml'), range: range(15, 8, 15, 11), message: 'the value comes from here' }]);
    });

    it('a did-you-mean rename in an overlay suggests the key the base sets, and the fix clears the finding', () => {
      const host = new DiskHost();
      const engine = new Engine(host);
      const file = shopFile('values-prod.yaml');
      const [unknown] = schemaFindings(engine.lint(file).findings);
      const fixed = applyEdits(read(file), unknown.fixes[0].edits).text;
      assert.match(fixed, /\n {2}pullPolicy: Always\n/);
      host.open(file, fixed, 2);
      assert.deepEqual(schemaFindings(engine.lint(file).findings).map((f) => f.code), ['schema/required', 'schema/pattern']);
    });

    it('a required key no layer sets is reported once, on the overlay being edited (its first values line)', () => {
      const engine = new Engine(new DiskHost());
      const findings = schemaFindings(engine.lint(shopFile('values-airgap.yaml')).findings);
      assert.deepEqual(findings.map((f) => [f.code, f.range, f.message, f.detail]), [
        ['schema/required', range(1, 0, 1, 7), 'Missing required key "clusterName" at the top level', undefined],
        ['schema/type', range(5, 7, 5, 10), 'image.tag must be string (got number 3.1); quote it ("3.1") to keep it a string', undefined],
        ['schema/type', range(9, 11, 9, 13), 'proxy.noProxy must be string (got integer 10); quote it ("10") to keep it a string', undefined],
      ]);
      // values-prod.yaml sets clusterName; the base is not told about it at all.
      assert.ok(!schemaFindings(engine.lint(shopFile('values-prod.yaml')).findings).some((f) => findingText(f).includes('clusterName')));
      assert.ok(!schemaFindings(engine.lint(shopFile('values.yaml')).findings).some((f) => findingText(f).includes('clusterName')));
    });

    it('null in an overlay deletes a base value, and a required value deleted that way is reported on the overlay', () => {
      const host = shopHost({ without: ['values-prod.yaml'], replace: { 'values-airgap.yaml': 'clusterName: edge\nimage:\n  tag: null\n' } });
      const findings = schemaFindings(new Engine(host).lint('/shop/values-airgap.yaml').findings);
      assert.deepEqual(findings.map((f) => [f.code, f.range, f.message, f.detail]), [['schema/required', range(1, 0, 1, 5), 'Missing required key "tag" in image', undefined]]);
    });

    it('a values.yaml without overlays reports the missing required key itself', () => {
      const host = shopHost({ without: ['values-prod.yaml', 'values-airgap.yaml'] });
      const findings = schemaFindings(new Engine(host).lint('/shop/values.yaml').findings);
      assert.deepEqual(findings.map((f) => [f.code, f.range]), [['schema/required', range(2, 0, 2, 7)]]);
    });

    it("an error in the base's own values is reported on the base, not again on each overlay", () => {
      const base = read(shopFile('values.yaml')).replace('replicaCount: 1', 'replicaCount: one');
      const host = shopHost({ replace: { 'values.yaml': base } });
      const engine = new Engine(host);
      assert.deepEqual(schemaFindings(engine.lint('/shop/values.yaml').findings).map((f) => [f.code, f.range]), [['schema/type', range(9, 14, 9, 17)]]);
      assert.ok(!schemaFindings(engine.lint('/shop/values-airgap.yaml').findings).some((f) => f.code === 'schema/type' && f.message.startsWith('replicaCount')));
      // values-prod.yaml overrides replicaCount, so the base's bad value is gone from its merge.
      assert.ok(!schemaFindings(engine.lint('/shop/values-prod.yaml').findings).some((f) => f.message.startsWith('replicaCount')));
    });
  });

  describe('schema validation on merged values (config stack)', () => {
    const config = 'layers:\n  - [shop/values.yaml, shop/values-prod.yaml, shop/values-airgap.yaml]\n';

    it('validates the top of the stack on all three layers, without repeating what lower layers report', () => {
      const engine = new Engine(shopHost({ config }));
      const airgap = schemaFindings(engine.lint('/shop/values-airgap.yaml').findings);
      assert.deepEqual(airgap.map((f) => [f.code, f.range]), [
        ['schema/type', range(5, 7, 5, 10)],
        ['schema/type', range(9, 11, 9, 13)],
      ]);
      // The middle layer reports its own errors and the combination error of the base, and
      // no missing-required error (the layer above it may set the key).
      const prod = schemaFindings(engine.lint('/shop/values-prod.yaml').findings);
      assert.deepEqual(prod.map((f) => f.code), ['schema/additionalProperties', 'schema/required', 'schema/pattern']);
    });

    it('a layer listed in the config that cannot be read: config/invalid on line 1, and the rest still merges', () => {
      const host = shopHost({ config: 'layers:\n  - [shop/values.yaml, shop/values-gone.yaml, shop/values-airgap.yaml]\n' });
      const findings = schemaFindings(new Engine(host).lint('/shop/values-airgap.yaml').findings);
      assert.deepEqual(findings.map((f) => [f.code, f.range.start.line]), [
        ['config/invalid', 1],
        ['schema/required', 1],
        ['schema/type', 5],
        ['schema/type', 9],
      ]);
      assert.equal(findings[0].message, 'The layer values-gone.yaml listed before this file in layers: cannot be read: the stack is merged without it');
      assert.match(findings[0].detail!, /values-gone\.yaml: missing, a folder or over 16 MB\.$/);
    });
  });
});
