// Reading kubectl's answers for "Detect Cluster Network with kubectl", on the outputs in
// test/fixtures/kubectl (kind, k3s with custom CIDRs, EKS with the VPC CNI).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ClusterInfoDumpScanner,
  combineDetection,
  coveringCidrs,
  KUBECTL_QUERIES,
  parseApiServerIP,
  parseCidr,
  parseNodePodCIDRs,
  scanClusterInfoDump,
} from '../server/src/engine/services/kubectl-parse';
import { FIXTURES } from './helpers';

const recorded = (cluster: string, file: string) => fs.readFileSync(path.join(FIXTURES, 'kubectl', cluster, file), 'utf8');

function detectFrom(cluster: string) {
  return combineDetection({
    context: recorded(cluster, 'current-context.txt'),
    apiServerIP: recorded(cluster, 'svc-clusterip.txt'),
    nodePodCIDRs: recorded(cluster, 'nodes-podcidr.txt'),
    dump: scanClusterInfoDump(recorded(cluster, 'cluster-info-dump.txt')),
  });
}

describe('kubectl output parsing', () => {
  it('runs exactly the read-only queries of the CloudZero guide, as argument vectors', () => {
    assert.deepEqual(KUBECTL_QUERIES.apiServerIP, ['get', 'svc', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.spec.clusterIP}']);
    assert.deepEqual(KUBECTL_QUERIES.nodePodCIDRs, ['get', 'nodes', '-o', 'jsonpath={.items[*].spec.podCIDR}']);
    assert.deepEqual(KUBECTL_QUERIES.clusterInfoDump, ['cluster-info', 'dump']);
    for (const args of Object.values(KUBECTL_QUERIES)) {
      assert.ok(['get', 'cluster-info', 'config'].includes(args[0]), `read-only verb: ${args.join(' ')}`);
    }
  });

  it('kind: --cluster-cidr and --service-cluster-ip-range from the control-plane pod specs', () => {
    assert.deepEqual(detectFrom('kind'), {
      context: 'kind-shop-e2e',
      apiServerIP: '10.96.0.1',
      podCIDR: ['10.244.0.0/16'],
      podCIDRSource: 'cluster-cidr',
      nodePodCIDRs: ['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24'],
      serviceCIDR: ['10.96.0.0/16'],
      notes: [],
    });
  });

  it('k3s: the flags from the k3s.io/node-args annotation (JSON in a JSON string), --service-cidr included', () => {
    const d = detectFrom('k3s');
    assert.equal(d.context, 'default');
    assert.equal(d.apiServerIP, '10.53.0.1');
    assert.deepEqual(d.podCIDR, ['10.52.0.0/16']);
    assert.deepEqual(d.serviceCIDR, ['10.53.0.0/16']);
    assert.deepEqual(d.nodePodCIDRs, ['10.52.0.0/24', '10.52.1.0/24']);
  });

  it('EKS: only the apiserver IP; the notes say why the CIDRs are missing and where to get them', () => {
    const d = detectFrom('eks');
    assert.equal(d.apiServerIP, '172.20.0.1');
    assert.deepEqual(d.podCIDR, []);
    assert.deepEqual(d.serviceCIDR, []);
    assert.equal(d.notes.length, 2);
    assert.match(d.notes[0], /No pod CIDR found .*VPC\/VNet CNI/);
    assert.match(d.notes[1], /No --service-cluster-ip-range .*cloud provider's CLI/);
  });

  it('without --cluster-cidr the node slices give the smallest covering block, with a note', () => {
    const d = combineDetection({ apiServerIP: '10.96.0.1', nodePodCIDRs: recorded('kind', 'nodes-podcidr.txt'), dump: {} });
    assert.deepEqual(d.podCIDR, ['10.244.0.0/22']);
    assert.equal(d.podCIDRSource, 'nodes');
    assert.match(d.notes[0], /10\.244\.0\.0\/22 is the smallest block holding the 3 node slice\(s\)/);
  });

  it('finds a flag split across two chunks, and never takes a value cut at a chunk end', () => {
    const dump = recorded('kind', 'cluster-info-dump.txt');
    for (const size of [1, 7, 64, 4096]) {
      const scanner = new ClusterInfoDumpScanner();
      for (let i = 0; i < dump.length && !scanner.done; i += size) scanner.feed(dump.slice(i, i + size));
      scanner.end();
      assert.deepEqual([scanner.clusterCIDR, scanner.serviceCIDR], [['10.244.0.0/16'], ['10.96.0.0/16']], `chunk size ${size}`);
    }
    // `10.244.0.0/1` is a valid CIDR: the scanner must wait for the rest of the prefix.
    const scanner = new ClusterInfoDumpScanner();
    scanner.feed('"--cluster-cidr=10.244.0.0/1');
    assert.equal(scanner.clusterCIDR, undefined);
    scanner.feed('6",');
    assert.deepEqual(scanner.clusterCIDR, ['10.244.0.0/16']);
    // ... and a value at the very end of the output counts once the stream has ended.
    const last = new ClusterInfoDumpScanner();
    last.feed('--service-cluster-ip-range 10.96.0.0/12');
    assert.equal(last.serviceCIDR, undefined);
    last.end();
    assert.deepEqual(last.serviceCIDR, ['10.96.0.0/12']);
  });

  it('stops scanning once both flags are found', () => {
    const scanner = new ClusterInfoDumpScanner();
    scanner.feed('"--cluster-cidr=10.244.0.0/16", "--service-cluster-ip-range=10.96.0.0/16",\n');
    assert.ok(scanner.done);
  });

  it('dual-stack flags keep both families', () => {
    assert.deepEqual(scanClusterInfoDump('"--cluster-cidr=10.244.0.0/16,fd00:10:244::/56",\n'), {
      clusterCIDR: ['10.244.0.0/16', 'fd00:10:244::/56'],
      serviceCIDR: undefined,
    });
  });

  it('ignores mentions that carry no CIDR and text that only looks like one', () => {
    assert.deepEqual(scanClusterInfoDump('the cluster-cidr flag is deprecated; cluster-cidr: default\n--cluster-cidr=999.1.1.1/16 "'), {
      clusterCIDR: undefined,
      serviceCIDR: undefined,
    });
  });

  it('apiserver IP: one address, quotes tolerated, garbage refused', () => {
    assert.equal(parseApiServerIP('10.96.0.1'), '10.96.0.1');
    assert.equal(parseApiServerIP("'10.43.0.1'\n"), '10.43.0.1');
    assert.equal(parseApiServerIP('fd00:10:96::1'), 'fd00:10:96::1');
    assert.equal(parseApiServerIP('error: the server does not have a resource type "svc"'), undefined);
    assert.equal(parseApiServerIP(''), undefined);
  });

  it('node pod CIDRs: podCIDR and podCIDRs forms, canonical and deduplicated', () => {
    assert.deepEqual(parseNodePodCIDRs('10.244.0.0/24 10.244.1.0/24 10.244.0.0/24'), ['10.244.0.0/24', '10.244.1.0/24']);
    assert.deepEqual(parseNodePodCIDRs('["10.244.0.0/24","fd00:10:244::/64"] ["10.244.1.0/24","fd00:10:244:1::/64"]'), [
      '10.244.0.0/24',
      'fd00:10:244::/64',
      '10.244.1.0/24',
      'fd00:10:244:1::/64',
    ]);
    assert.deepEqual(parseNodePodCIDRs('10.244.0.7/24'), ['10.244.0.0/24']);
    assert.deepEqual(parseNodePodCIDRs(''), []);
  });

  it('covering blocks per family', () => {
    assert.deepEqual(coveringCidrs(['10.244.0.0/24']), ['10.244.0.0/24']);
    assert.deepEqual(coveringCidrs(['10.244.0.0/24', '10.244.3.0/24']), ['10.244.0.0/22']);
    assert.deepEqual(coveringCidrs(['10.0.0.0/24', '192.168.0.0/24']), ['0.0.0.0/0']);
    assert.deepEqual(coveringCidrs(['fd00:10:244::/64', 'fd00:10:244:1::/64', '10.1.0.0/24']), ['10.1.0.0/24', 'fd00:10:244::/63']);
  });

  it('parseCidr refuses what is not a CIDR', () => {
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/-1', 'fd00::/129', 'x/8', '10.0.0.0/08a', `${'1'.repeat(80)}/8`]) {
      assert.equal(parseCidr(bad), undefined, bad);
    }
    assert.equal(parseCidr('10.96.0.1/12')?.text, '10.96.0.0/12');
  });
});
