// Bad input for layer stacks (issue 4 "Checks"): cyclic and absurd `layers:` lists, layers that
// are folders or do not exist, a missing base, a 255+ character repository, an image part that
// is a map of maps. Each gives a clear finding at an exact range; nothing crashes or hangs.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { resolveConfig } from '../server/src/engine/config';
import { findStack } from '../server/src/engine/layers';
import { Engine } from '../server/src/engine/lint';
import { DiskHost } from '../server/src/engine/node-host';
import { imageHover } from '../server/src/engine/services/image-hover';
import type { Finding } from '../server/src/engine/types';
import { MemoryHost, range } from './helpers';

const CHART = 'apiVersion: v2\nname: shop\nversion: 1.2.0\nappVersion: "2.4.1"\n';
const BASE = 'image:\n  registry: docker.io\n  repository: acme/shop-api\n  tag: "2.4.1"\nworker:\n  image: docker.io/acme/shop-worker:2.4.1\n';

const problems = (fs: Finding[]) => fs.map((f) => [f.code, f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character]);
const noCrash = (fs: Finding[], what: string) => assert.deepEqual(fs.filter((f) => f.code === 'internal/error'), [], what);

describe('layers: bad input', () => {
  it('a file listed twice in one stack, the config file as a layer, and two stacks in opposite orders: config/invalid on each entry', () => {
    const config = [
      'mirror:',
      '  registry: harbor.corp:5000',
      'layers:',
      '  - [values.yaml, values-airgap.yaml, values.yaml]',
      '  - [.airgap-lint.yaml, values-ocp.yaml]',
      '  - [values-a.yaml, values-b.yaml]',
      '  - [values-b.yaml, values-a.yaml]',
      '',
    ].join('\n');
    const host = new MemoryHost({
      'w/.airgap-lint.yaml': config,
      'w/Chart.yaml': CHART,
      'w/values.yaml': BASE,
      'w/values-airgap.yaml': 'image:\n  registry: harbor.corp:5000\nimagePullSecrets: [harbor]\n',
      'w/values-ocp.yaml': 'image:\n  tag: "2.4.1-ubi"\n',
      'w/values-a.yaml': 'a: 1\n',
      'w/values-b.yaml': 'b: 1\n',
    });
    const resolved = resolveConfig('/mem/w', host);
    assert.deepEqual(problems(resolved.problems), [
      ['config/invalid', 3, 38, 3, 49],
      ['config/invalid', 4, 5, 4, 22],
      ['config/invalid', 6, 5, 6, 18],
      ['config/invalid', 6, 20, 6, 33],
    ]);
    const [twice, itself, b, a] = resolved.problems;
    assert.equal(twice.message, '"values.yaml" is listed twice in layers[0] (at [0] and [2])');
    assert.match(twice.detail!, /^A file has one place in a stack, so this entry is ignored\. To make its values win over the files between, move the first one here\.?$/);
    assert.equal(itself.message, 'layers[1][0] ".airgap-lint.yaml" is an airgap-lint configuration file, not a values file; it is not merged');
    assert.equal(itself.detail, undefined);
    assert.equal(b.message, '"values-b.yaml" is layered on values-a.yaml in layers[2] and on nothing here');
    assert.match(b.detail!, /^A file is linted in the first stack that lists it, so this order is not used for it\.?$/);
    assert.equal(a.message, '"values-a.yaml" is layered on nothing in layers[2] and on values-b.yaml here');
    assert.match(a.detail!, /^A file is linted in the first stack that lists it, so this order is not used for it\.?$/);
    // What the stacks become: the duplicate ignored, the config file never merged, the first order wins.
    assert.deepEqual(findStack('/mem/w/values-airgap.yaml', resolved, host).files, ['/mem/w/values.yaml', '/mem/w/values-airgap.yaml']);
    assert.deepEqual(findStack('/mem/w/values-ocp.yaml', resolved, host).files, ['/mem/w/values-ocp.yaml']);
    assert.deepEqual(findStack('/mem/w/values-b.yaml', resolved, host).files, ['/mem/w/values-a.yaml', '/mem/w/values-b.yaml']);
    assert.deepEqual(findStack('/mem/w/values-a.yaml', resolved, host).files, ['/mem/w/values-a.yaml']);
    const engine = new Engine(host);
    for (const f of ['values.yaml', 'values-airgap.yaml', 'values-ocp.yaml', 'values-a.yaml', 'values-b.yaml']) {
      const findings = engine.lint(`/mem/w/${f}`).findings;
      noCrash(findings, f);
      assert.ok(findings.some((x) => x.code === 'config/invalid' && /has 4 problem\(s\)/.test(x.message)), `${f} points at the config problems`);
    }
    // The config file itself, linted as one, shows the same four at their entries.
    assert.deepEqual(problems(engine.lint('/mem/w/.airgap-lint.yaml').findings), problems(resolved.problems));
  });

  it('1,000 layers: only the first 100 form the stack (reported at entry 100), and linting stays fast', () => {
    const host = new MemoryHost({ 'big/Chart.yaml': CHART, 'big/values.yaml': BASE });
    const names: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const name = `values-${String(i).padStart(4, '0')}.yaml`;
      names.push(name);
      host.set(`big/${name}`, `layer${i}:\n  index: ${i}\nimage:\n  registry: harbor${i % 7}.corp\n`);
    }
    host.set('big/.airgap-lint.yaml', `layers:\n  - [${['values.yaml', ...names].join(', ')}]\n`);
    const config = resolveConfig('/mem/big', host);
    assert.equal(config.layers[0].length, 100);
    assert.equal(config.problems.length, 1);
    const at = 'layers:\n  - ['.length + ['values.yaml', ...names.slice(0, 99)].join(', ').length + 2;
    assert.deepEqual(config.problems[0].range, range(1, at - 'layers:\n'.length, 1, at - 'layers:\n'.length + 16));
    assert.equal(config.problems[0].message, 'layers[0] lists 1001 files; only the first 100 are used as a stack (a Helm install takes a handful of -f files)');
    assert.equal(config.problems[0].detail, undefined);
    const engine = new Engine(host);
    const t0 = performance.now();
    const top = engine.lint('/mem/big/values-0098.yaml').findings; // the top of the capped stack
    const outside = engine.lint('/mem/big/values-0999.yaml').findings; // past the cap: the chart convention applies
    const ms = performance.now() - t0;
    noCrash([...top, ...outside], '1,000 layers');
    assert.deepEqual(findStack('/mem/big/values-0999.yaml', config, host).files, ['/mem/big/values.yaml', '/mem/big/values-0999.yaml']);
    assert.ok(ms < 5000, `linting took ${ms.toFixed(0)} ms`);
  });

  describe('on disk', () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'airgap-layers-'));
      fs.writeFileSync(nodePath.join(dir, 'Chart.yaml'), CHART);
      fs.writeFileSync(nodePath.join(dir, 'values.yaml'), BASE);
      fs.writeFileSync(nodePath.join(dir, 'values-airgap.yaml'), 'image:\n  registry: harbor.corp:5000\n');
      fs.mkdirSync(nodePath.join(dir, 'overrides'));
      fs.writeFileSync(nodePath.join(dir, 'overrides', 'values.yaml'), 'a: 1\n');
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('a layer that is a folder and one outside the workspace that does not exist: each reported on line 1, the rest still merges', () => {
      const outside = '../../../no/such/place/values.yaml';
      fs.writeFileSync(nodePath.join(dir, '.airgap-lint.yaml'), `layers:\n  - [values.yaml, overrides, ${outside}, values-airgap.yaml]\n`);
      const engine = new Engine(new DiskHost());
      const findings = engine.lint(nodePath.join(dir, 'values-airgap.yaml')).findings;
      noCrash(findings, 'folder layer');
      const unreadable = findings.filter((f) => f.code === 'config/invalid');
      assert.deepEqual(problems(unreadable), [
        ['config/invalid', 0, 0, 0, 6],
        ['config/invalid', 0, 0, 0, 6],
      ]);
      assert.equal(unreadable[0].message, 'The layer overrides listed before this file in layers: cannot be read: the stack is merged without it');
      assert.equal(unreadable[0].detail, `${nodePath.join(dir, 'overrides')} is a folder.`);
      assert.equal(unreadable[1].message, 'The layer values.yaml listed before this file in layers: cannot be read: the stack is merged without it');
      assert.equal(unreadable[1].detail, `${nodePath.resolve(dir, outside)}: missing, a folder or over 16 MB.`);
      // values.yaml is still below: the overlay's registry composes with its repository, on the air-gap overlay's stack.
      const hover = imageHover(engine.getDocument(nodePath.join(dir, 'values-airgap.yaml'))!, engine, nodePath.join(dir, 'values-airgap.yaml'), { line: 1, character: 14 });
      assert.match(hover!.markdown, /renders `harbor\.corp:5000\/acme\/shop-api:2\.4\.1`/);
    });

    it('a missing base: listed in the config it is reported; by the chart convention the overlay stands alone', () => {
      fs.writeFileSync(nodePath.join(dir, '.airgap-lint.yaml'), 'layers:\n  - [values-base.yaml, values-airgap.yaml]\n');
      const engine = new Engine(new DiskHost());
      const listed = engine.lint(nodePath.join(dir, 'values-airgap.yaml')).findings;
      noCrash(listed, 'missing base');
      assert.deepEqual(problems(listed.filter((f) => f.code === 'config/invalid')), [['config/invalid', 0, 0, 0, 6]]);
      fs.rmSync(nodePath.join(dir, '.airgap-lint.yaml'));
      fs.renameSync(nodePath.join(dir, 'values.yaml'), nodePath.join(dir, 'values.yaml.bak'));
      try {
        const alone = new Engine(new DiskHost());
        assert.deepEqual(findStack(nodePath.join(dir, 'values-airgap.yaml'), alone.configFor(dir), alone.host).files, [nodePath.join(dir, 'values-airgap.yaml')]);
        // A registry with nothing to compose with is a partial image: nothing to report, nothing crashes.
        const findings = alone.lint(nodePath.join(dir, 'values-airgap.yaml')).findings;
        noCrash(findings, 'no base');
        assert.deepEqual(findings.filter((f) => f.code.startsWith('image/')), []);
      } finally {
        fs.renameSync(nodePath.join(dir, 'values.yaml.bak'), nodePath.join(dir, 'values.yaml'));
      }
    });
  });

  it('a 255+ character repository in an overlay: invalid-reference on the repository value', () => {
    const repo = `${'a'.repeat(130)}/${'b'.repeat(130)}`;
    const host = new MemoryHost({ 'r/Chart.yaml': CHART, 'r/values.yaml': BASE, 'r/values-prod.yaml': `image:\n  repository: ${repo}\n` });
    const findings = new Engine(host).lint('/mem/r/values-prod.yaml').findings;
    noCrash(findings, 'long repository');
    const invalid = findings.filter((f) => f.code === 'image/invalid-reference');
    assert.deepEqual(problems(invalid), [['image/invalid-reference', 1, 14, 1, 14 + repo.length]]);
    assert.equal(invalid[0].message, 'image is not a valid image reference: the repository path is longer than 255 characters');
    assert.match(invalid[0].detail!, /^It renders "a{117}\.\.\." \(repository name must not be more than 255 characters\)/);
  });

  it('an image part that is a map of maps or a list: invalid-reference on that value, in the file that writes it', () => {
    const host = new MemoryHost({
      'm/Chart.yaml': CHART,
      'm/values.yaml': BASE,
      'm/values-odd.yaml': 'image:\n  registry: {a: {b: c}}\nworker:\n  image:\n    tag: [1, 2]\nsidecar:\n  image: {registry: {a: {b: c}}}\n',
    });
    const findings = new Engine(host).lint('/mem/m/values-odd.yaml').findings;
    noCrash(findings, 'map of maps');
    const invalid = findings.filter((f) => f.code === 'image/invalid-reference');
    assert.deepEqual(problems(invalid), [
      ['image/invalid-reference', 1, 12, 1, 23],
      ['image/invalid-reference', 4, 9, 4, 15],
      ['image/invalid-reference', 6, 20, 6, 31],
    ]);
    assert.equal(invalid[0].message, 'image.registry is a map, not a string: set it to a registry host string');
    assert.equal(invalid[0].detail, `The chart's template prints it into the image reference as "map[a:map[b:c]]", which is no valid registry, and the pull fails.`);
    assert.match(invalid[1].message, /^worker\.image\.tag is a list, not a string: set it to a tag string$/);
    assert.match(invalid[1].detail!, / as "\[1 2\]"/);
    assert.match(invalid[2].message, /^sidecar\.image\.registry is a map/);
  });
});
