// The status bar's facts about a layer stack (engine/services/stack-status.ts): the mode the
// files describe, the mirror registry without credentials, and each layer's problem count.
import * as assert from 'node:assert/strict';
import { Engine } from '../server/src/engine';
import { displayRegistry, stackStatus } from '../server/src/engine/services/stack-status';
import { MemoryHost } from './helpers';

const CHART = 'apiVersion: v2\nname: shop\nversion: 1.0.0\n';
const BASE = [
  'image:',
  '  registry: quay.io',
  '  repository: example/shop',
  '  tag: 2.4.0',
  'extraEnv:',
  '  - name: HTTPS_PROXY',
  '    value: http://proxy.corp.example.com:3128',
  '  - name: NO_PROXY',
  '    value: localhost',
  '',
].join('\n');
const OVERLAY = 'image:\n  registry: <mirror-registry>\n';

function engineFor(files: Record<string, string>): Engine {
  return new Engine(new MemoryHost({ '/w/charts/shop/Chart.yaml': CHART, ...files }));
}

describe('stack status', () => {
  it('an overlay over a proxied base: mode proxy, every layer counted', () => {
    const engine = engineFor({
      '/w/.airgap-lint.yaml': 'mirror:\n  registry: harbor.corp:5000\n',
      '/w/charts/shop/values.yaml': BASE,
      '/w/charts/shop/values-airgap.yaml': OVERLAY,
    });
    const status = stackStatus(engine, '/w/charts/shop/values-airgap.yaml');
    assert.equal(status.mode, 'proxy');
    assert.equal(status.mirrorRegistry, 'harbor.corp:5000');
    assert.deepEqual(status.layers.map((l) => l.path), ['/w/charts/shop/values.yaml', '/w/charts/shop/values-airgap.yaml']);
    // Each count is that layer's own lint: compare with the engine's findings.
    for (const layer of status.layers) {
      const findings = engine.lint(layer.path).findings.filter((f) => f.path === layer.path);
      assert.equal(layer.errors, findings.filter((f) => f.severity === 'error').length, layer.path);
      assert.equal(layer.warnings, findings.filter((f) => f.severity === 'warning').length, layer.path);
    }
    // The overlay's placeholder is an error; the base's quay.io image is not mirrored (a warning).
    assert.ok(status.layers[1].errors! >= 1, JSON.stringify(status.layers));
    assert.ok(status.layers[0].warnings! >= 1, JSON.stringify(status.layers));
  });

  it('layers the caller counts itself are left without numbers', () => {
    const engine = engineFor({ '/w/charts/shop/values.yaml': BASE, '/w/charts/shop/values-airgap.yaml': OVERLAY });
    const status = stackStatus(engine, '/w/charts/shop/values-airgap.yaml', (layer) => layer.endsWith('values.yaml'));
    assert.equal(status.layers[0].errors === undefined, false);
    assert.deepEqual(status.layers[1], { path: '/w/charts/shop/values-airgap.yaml' });
  });

  it('no proxy anywhere: air-gap with a mirror, nothing without one (never a guessed "direct")', () => {
    const plain = 'image:\n  registry: quay.io\n  repository: example/shop\n  tag: 2.4.0\n';
    const withMirror = engineFor({ '/w/.airgap-lint.yaml': 'mirror:\n  registry: harbor.corp:5000\n', '/w/charts/shop/values.yaml': plain });
    assert.equal(stackStatus(withMirror, '/w/charts/shop/values.yaml').mode, 'air-gap');
    const bare = engineFor({ '/w/charts/shop/values.yaml': plain });
    const status = stackStatus(bare, '/w/charts/shop/values.yaml');
    assert.equal(status.mode, undefined);
    assert.equal(status.mirrorRegistry, undefined);
  });

  it('a registry written with credentials is shown without them', () => {
    assert.equal(displayRegistry('robot:s3cret@harbor.corp:5000/mirror'), 'harbor.corp:5000/mirror');
    assert.equal(displayRegistry('  '), undefined);
    assert.equal(displayRegistry(undefined), undefined);
  });
});
