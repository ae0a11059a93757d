// The server's start-up line (server/src/lsp/startup.ts): which config files a folder holds and
// how the profile in effect is described.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mergeConfig } from '../server/src/engine/config';
import { describeProfile, findConfigFiles, startupLine } from '../server/src/lsp/startup';

describe('server start-up line', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'airgap-startup-'));
    const write = (rel: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), 'cluster: {}\n');
    };
    for (const rel of ['.airgap-lint.yaml', 'charts/a/.airgap-lint.yml', 'charts/b/deep/.airgap-lint.yaml', 'node_modules/x/.airgap-lint.yaml', '.hidden/.airgap-lint.yaml', 'charts/a/values.yaml']) write(rel);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('finds the config files breadth first, skipping node_modules and hidden folders', async () => {
    const found = await findConfigFiles(root);
    assert.deepEqual(found.files.map((f) => path.relative(root, f)), ['.airgap-lint.yaml', 'charts/a/.airgap-lint.yml', 'charts/b/deep/.airgap-lint.yaml']);
    assert.equal(found.truncated, false);
  });

  it('stops early on a huge tree and says so', async () => {
    const found = await findConfigFiles(root, 2);
    assert.equal(found.truncated, true);
    assert.deepEqual(found.files.map((f) => path.relative(root, f)), ['.airgap-lint.yaml']);
    const line = startupLine('9.9.9', [{ folder: root, search: found, config: mergeConfig({}, {}, root) }]);
    assert.ok(line.includes('config files .airgap-lint.yaml (search stopped early)'), line);
  });

  it('describes the profile: a distribution, custom CIDRs, or none, and where it comes from', () => {
    const rel = (p: string) => path.basename(p);
    assert.equal(describeProfile({ ...mergeConfig({ cluster: { distribution: 'k3s' } }, {}, '/w'), configPath: '/w/.airgap-lint.yaml' }, rel), 'k3s (from .airgap-lint.yaml)');
    assert.equal(describeProfile(mergeConfig({}, { cluster: { podCIDR: ['10.1.0.0/16'], apiServerIP: '10.2.0.1' } }, '/w'), rel), 'custom: pod 10.1.0.0/16, apiserver 10.2.0.1 (from settings)');
    assert.equal(describeProfile(mergeConfig({}, {}, '/w'), rel), 'none');
  });

  it('is one line even without folders', () => {
    const line = startupLine('9.9.9', []);
    assert.match(line, /^airgap-lint 9\.9\.9 started, node v\d+[^\n]*\. No workspace folder/);
  });
});
