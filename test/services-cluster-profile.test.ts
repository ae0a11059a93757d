// The `.airgap-lint.yaml` profile writer: creates the file, updates an existing one with one
// minimal edit (comments, other keys and their formatting untouched), is idempotent, and
// refuses what it cannot edit safely.
import * as assert from 'node:assert/strict';
import { applyEdits, checkConfigDocument, parseValuesDocument } from '../server/src/engine';
import { clusterProfileEdit, type ClusterProfileInput } from '../server/src/engine/services/cluster-profile';

/** Applies the edits to the input and checks they give the text the writer reports. */
function write(existing: string | undefined, profile: ClusterProfileInput): string {
  const r = clusterProfileEdit(existing, profile);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(applyEdits(existing ?? '', r.edits).text, r.text, 'edits give the reported text');
  // Whatever it writes is a valid config.
  assert.deepEqual(checkConfigDocument(parseValuesDocument('/x/.airgap-lint.yaml', r.text)), []);
  return r.text;
}

function error(existing: string | undefined, profile: ClusterProfileInput): string {
  const r = clusterProfileEdit(existing, profile);
  assert.ok(!r.ok, 'refused');
  return r.error;
}

const K3S: ClusterProfileInput = { distribution: 'k3s', podCIDR: null, serviceCIDR: null, apiServerIP: null };

describe('cluster profile writer', () => {
  it('creates the file when there is none', () => {
    const r = clusterProfileEdit(undefined, { distribution: 'kubeadm', podCIDR: ['10.244.0.0/16'], serviceCIDR: null, apiServerIP: null });
    assert.ok(r.ok);
    assert.equal(r.created, true);
    assert.equal(r.text, 'cluster:\n  distribution: kubeadm\n  podCIDR: 10.244.0.0/16\n');
    assert.deepEqual(r.edits, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: r.text }]);
  });

  it('adds a cluster section to a file without one, keeping its comments and keys', () => {
    const before = '# Site settings.\nmirror:\n    registry: harbor.corp:5000   # the Harbor mirror\nrules:\n    proxy/no-proxy-missing: error\n';
    assert.equal(write(before, K3S), `${before}cluster:\n    distribution: k3s\n`);
    // No final newline: one is added before the new section.
    assert.equal(write('mirror:\n  registry: harbor.corp', K3S), 'mirror:\n  registry: harbor.corp\ncluster:\n  distribution: k3s\n');
    // Only comments.
    assert.equal(write('# nothing yet\n', K3S), '# nothing yet\ncluster:\n  distribution: k3s\n');
  });

  it('updates an existing profile in place: values replaced, stale explicit keys removed, others kept', () => {
    const before = [
      '# Cluster: the prod EKS cluster.',
      'cluster:',
      '  distribution: eks      # set by the platform team',
      '  podCIDR:',
      '    - 10.0.0.0/16',
      '    - 10.1.0.0/16',
      '  cloud: aws',
      '  extraNoProxy: [.corp.example.com]',
      '',
      '# Images',
      'mirror:',
      '  registry: harbor.corp:5000',
      '',
    ].join('\n');
    const after = write(before, { distribution: 'k3s', podCIDR: null, serviceCIDR: ['10.43.0.0/16', 'fd00:10:43::/112'], apiServerIP: '10.43.0.10' });
    assert.equal(
      after,
      [
        '# Cluster: the prod EKS cluster.',
        'cluster:',
        '  distribution: k3s      # set by the platform team',
        '  cloud: aws',
        '  extraNoProxy: [.corp.example.com]',
        '  serviceCIDR: [10.43.0.0/16, "fd00:10:43::/112"]',
        '  apiServerIP: 10.43.0.10',
        '',
        '# Images',
        'mirror:',
        '  registry: harbor.corp:5000',
        '',
      ].join('\n'),
    );
    // The edit covers the cluster block only.
    const r = clusterProfileEdit(before, { distribution: 'k3s', podCIDR: null, serviceCIDR: ['10.43.0.0/16', 'fd00:10:43::/112'], apiServerIP: '10.43.0.10' });
    assert.ok(r.ok);
    assert.deepEqual(r.edits[0].range, { start: { line: 2, character: 16 }, end: { line: 7, character: 35 } });
  });

  it('is idempotent: the same profile again is no edit, and equal values in another spelling are left alone', () => {
    const once = write('mirror:\n  registry: harbor.corp\n', { distribution: 'kind', podCIDR: ['10.244.0.0/16'], apiServerIP: null });
    const again = clusterProfileEdit(once, { distribution: 'kind', podCIDR: ['10.244.0.0/16'], apiServerIP: null });
    assert.ok(again.ok);
    assert.deepEqual(again.edits, []);
    assert.equal(again.text, once);
    // A list of one written as a block list is the same value.
    const block = 'cluster:\n  distribution: kind\n  podCIDR:\n    - 10.244.0.0/16  # pods\n';
    const same = clusterProfileEdit(block, { distribution: 'kind', podCIDR: ['10.244.0.0/16'] });
    assert.ok(same.ok);
    assert.deepEqual(same.edits, []);
  });

  it('undefined leaves a key alone (kubectl detection writes only what it found)', () => {
    const before = 'cluster:\n  distribution: kubeadm\n  podCIDR: 192.168.0.0/16\n  clusterDomain: corp.local\n';
    assert.equal(
      write(before, { serviceCIDR: ['10.96.0.0/12'], apiServerIP: '10.96.0.1' }),
      'cluster:\n  distribution: kubeadm\n  podCIDR: 192.168.0.0/16\n  clusterDomain: corp.local\n  serviceCIDR: 10.96.0.0/12\n  apiServerIP: 10.96.0.1\n',
    );
  });

  it('fills an empty cluster key in each of its spellings', () => {
    assert.equal(write('cluster:\nmirror:\n  registry: harbor.corp\n', K3S), 'cluster:\n  distribution: k3s\nmirror:\n  registry: harbor.corp\n');
    assert.equal(write('cluster: # to do\nmirror: {}\n', K3S), 'cluster: # to do\n  distribution: k3s\nmirror: {}\n');
    assert.equal(write('cluster: ~\n', K3S), 'cluster:\n  distribution: k3s\n');
    assert.equal(write('cluster: {}\n', K3S), 'cluster:\n  distribution: k3s\n');
    assert.equal(write('cluster:', K3S), 'cluster:\n  distribution: k3s');
  });

  it('keeps CRLF line ends', () => {
    assert.equal(write('# win\r\nmirror:\r\n  registry: harbor.corp\r\n', { distribution: 'gke' }), '# win\r\nmirror:\r\n  registry: harbor.corp\r\ncluster:\r\n  distribution: gke\r\n');
    assert.equal(
      write('cluster:\r\n  distribution: eks\r\n  cloud: aws\r\n', { distribution: 'gke', apiServerIP: '34.118.224.10' }),
      'cluster:\r\n  distribution: gke\r\n  cloud: aws\r\n  apiServerIP: 34.118.224.10\r\n',
    );
  });

  it('quotes only what plain YAML would misread', () => {
    assert.equal(write(undefined, { podCIDR: ['10.42.0.0/16'], apiServerIP: 'fd00::1' }), 'cluster:\n  podCIDR: 10.42.0.0/16\n  apiServerIP: "fd00::1"\n');
  });

  it('refuses what it cannot edit safely, with a reason', () => {
    assert.match(error('cluster: {distribution: eks}\n', K3S), /flow mapping/);
    assert.match(error('cluster: [a]\n', K3S), /cluster is not a mapping/);
    assert.match(error('- a\n- b\n', K3S), /not a block mapping/);
    assert.match(error('mirror: [\n', K3S), /YAML problem on line \d+/);
    assert.match(error('cluster:\n  distribution: eks\ncluster:\n  cloud: aws\n', K3S), /more than one cluster: key/);
    assert.match(error('cluster:\n  podCIDR: a\n  podCIDR: b\n', { podCIDR: ['10.0.0.0/8'] }), /cluster\.podCIDR more than once/);
    assert.match(error('mirror: {}\n', {}), /Nothing to write/);
  });
});
