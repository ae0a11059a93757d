// NO_PROXY hover and completion: pure functions of (document, config, position).
import * as assert from 'node:assert/strict';
import { mergeConfig } from '../server/src/engine/config';
import { parseValuesDocument } from '../server/src/engine/document';
import { noProxyCompletions } from '../server/src/engine/services/completion';
import { noProxyHover } from '../server/src/engine/services/hover';
import { at } from './proxy-helpers';

const TEXT = [
  'config:',
  '  url: http://loki.loki.svc:3100/push',
  'env:',
  '  - name: HTTPS_PROXY',
  '    value: http://proxy.corp:3128',
  '  - name: NO_PROXY',
  '    value: "localhost,10.43.0.0/16,*.corp.example,.svc,"',
  '',
].join('\n');
const doc = parseValuesDocument('/w/values.yaml', TEXT);
const k3s = mergeConfig({ cluster: { distribution: 'k3s' } }, {}, '/w');

describe('NO_PROXY hover', () => {
  it('a CIDR: size, range, meaning per runtime, required destinations it covers', () => {
    const h = noProxyHover(doc, k3s, { line: 6, character: 26 });
    assert.ok(h);
    assert.equal(at(h.range), '6:22-6:34');
    assert.equal(
      h.markdown,
      [
        '**NO_PROXY entry `10.43.0.0/16`** — IPv4 CIDR: 65,536 addresses, 10.43.0.0 – 10.43.255.255',
        '',
        '| runtime | matches |',
        '|---|---|',
        '| Go | IP addresses in 10.43.0.0/16 (65,536 addresses), not host names |',
        '| Python requests | IP addresses in 10.43.0.0/16 (65,536 addresses), not host names |',
        '| curl | IP addresses in 10.43.0.0/16 (65,536 addresses), not host names |',
        '',
        'Covers required destinations:',
        '- apiserver ClusterIP 10.43.0.1',
        '- service CIDR 10.43.0.0/16',
      ].join('\n'),
    );
  });

  it('an entry runtimes disagree on, and one that covers a destination under some runtimes only', () => {
    const star = noProxyHover(doc, k3s, { line: 6, character: 35 });
    assert.ok(star);
    assert.equal(at(star.range), '6:35-6:49');
    assert.ok(star.markdown.includes('| Go | subdomains of corp.example only (not corp.example itself) |'), star.markdown);
    assert.ok(star.markdown.includes('| curl | nothing: curl has no `*.` wildcard and compares the entry literally |'), star.markdown);
    assert.ok(star.markdown.endsWith('Covers none of the required destinations of this cluster profile.'), star.markdown);
    const svc = noProxyHover(doc, k3s, { line: 6, character: 51 })!;
    assert.ok(svc.markdown.includes('- in-cluster host loki.loki.svc:3100 (config.url)'), svc.markdown);
    const localhost = noProxyHover(doc, mergeConfig({}, {}, '/w'), { line: 6, character: 12 })!;
    assert.ok(localhost.markdown.includes('- localhost'), localhost.markdown);
    assert.ok(localhost.markdown.endsWith('_No cluster network profile is set: pod and service CIDRs are not among the required destinations._'));
  });

  it('nothing outside NO_PROXY values or between entries', () => {
    assert.equal(noProxyHover(doc, k3s, { line: 4, character: 15 }), undefined);
    assert.equal(noProxyHover(doc, k3s, { line: 0, character: 2 }), undefined);
    assert.equal(noProxyHover(doc, k3s, { line: 6, character: 4 }), undefined);
  });
});

const items = (list: ReturnType<typeof noProxyCompletions>, group: string) => list.filter((i) => i.group === group).map((i) => i.label);

describe('NO_PROXY completion', () => {
  it('after the trailing comma: missing entries first (with what they cover), then usual entries', () => {
    const items = noProxyCompletions(doc, k3s, { line: 6, character: 55 });
    const missing = items.filter((i) => i.group === 'missing').map((i) => i.label);
    assert.deepEqual(missing, ['127.0.0.1', '.cluster.local', '10.42.0.0/16', '169.254.169.254']);
    assert.equal(items[2].detail, 'missing: pod CIDR 10.42.0.0/16');
    assert.equal(at(items[0].range), '6:55-6:55');
    const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText));
    assert.deepEqual(sorted.slice(0, 4).map((i) => i.label), missing);
    // Entries already in the value are not offered again; the apiserver IP is inside 10.43.0.0/16.
    for (const present of ['localhost', '10.43.0.0/16', '.svc', '10.43.0.1']) assert.ok(!items.some((i) => i.label === present), present);
  });

  // Issue 15: a k3s profile was offered `10.96.0.0/12 — kubeadm service CIDR` and every other distribution's ranges.
  const completeAfter = (cluster: Record<string, unknown> | undefined, value: string) => {
    const text = `env:\n  - name: HTTPS_PROXY\n    value: http://proxy.corp:3128\n  - name: NO_PROXY\n    value: "${value}"\n`;
    const config = mergeConfig(cluster ? { cluster } : {}, {}, '/w');
    return noProxyCompletions(parseValuesDocument('/w/values.yaml', text), config, { line: 4, character: 12 + value.length });
  };
  const labels = (items: ReturnType<typeof noProxyCompletions>) => items.map((i) => i.label);
  const OTHER_DISTRIBUTIONS = ['10.96.0.0/12', '10.100.0.0/16', '10.0.0.0/14', '34.118.224.0/20', '10.244.0.0/16', '10.0.0.0/16', '172.30.0.0/16', '10.128.0.0/14'];

  it('with a profile: its own ranges and what the value misses, never another distribution\'s', () => {
    const items = completeAfter({ distribution: 'k3s' }, 'localhost,');
    for (const other of OTHER_DISTRIBUTIONS) assert.ok(!labels(items).includes(other), other);
    assert.ok(!items.some((i) => i.group === 'preset'), 'no distribution defaults beside the profile');
    const byLabel = new Map(items.map((i) => [i.label, i]));
    assert.equal(byLabel.get('10.42.0.0/16')?.group, 'missing');
    assert.equal(byLabel.get('10.43.0.0/16')?.group, 'missing');
    // The apiserver ClusterIP alone, for a value that should not exempt the whole service CIDR.
    assert.deepEqual([byLabel.get('10.43.0.1')?.group, byLabel.get('10.43.0.1')?.detail], ['profile', 'k3s apiserver ClusterIP']);
    // An on-premises profile (no cloud) gets the generic metadata address, not the cloud-specific names.
    assert.ok(labels(items).includes('169.254.169.254'));
    for (const cloudOnly of ['metadata.google.internal', '169.254.170.23', '100.100.100.200']) assert.ok(!labels(items).includes(cloudOnly), cloudOnly);
    // Profile entries come after the missing ones and before the portable ones.
    const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText)).map((i) => i.group);
    assert.deepEqual([...new Set(sorted)], ['missing', 'profile', 'common']);
  });

  it('with a profile whose ranges the value covers: only what is still missing, and the cloud\'s own metadata names', () => {
    const gke = completeAfter({ distribution: 'gke' }, 'localhost,127.0.0.1,.cluster.local,10.0.0.0/14,34.118.224.0/20,');
    assert.ok(!items(gke, 'profile').length, JSON.stringify(items(gke, 'profile')));
    assert.deepEqual(items(gke, 'missing'), ['169.254.169.254', 'metadata.google.internal']);
    assert.ok(!labels(gke).includes('169.254.170.23'), 'the EKS agent is no GKE entry');
    const custom = completeAfter({ podCIDR: '10.1.0.0/16', cloud: 'none', extraNoProxy: ['.corp.example'] }, 'localhost,');
    assert.ok(labels(custom).includes('10.1.0.0/16') && labels(custom).includes('.corp.example'));
    for (const meta of ['169.254.169.254', 'metadata.google.internal']) assert.ok(!labels(custom).includes(meta), `cloud: none needs no ${meta}`);
    for (const other of OTHER_DISTRIBUTIONS) assert.ok(!labels(custom).includes(other), other);
  });

  it('without a profile: each distribution default once, labelled with the distributions that use it, after the missing entries', () => {
    const items = completeAfter(undefined, 'localhost,');
    const presets = items.filter((i) => i.group === 'preset');
    assert.equal(new Set(presets.map((i) => i.label)).size, presets.length, 'one item per range');
    const detail = (label: string) => presets.find((i) => i.label === label)?.detail;
    assert.equal(detail('10.96.0.0/12'), 'service CIDR of kubeadm, minikube');
    assert.equal(detail('10.43.0.0/16'), 'service CIDR of k3s, rke2');
    assert.equal(detail('10.244.0.0/16'), 'pod CIDR of aks-kubenet, aks-azure-cni-overlay, kind, minikube');
    assert.match(presets[0].documentation ?? '', /No cluster network profile is set/);
    const ranks = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText)).map((i) => i.group);
    assert.ok(ranks.lastIndexOf('missing') < ranks.indexOf('preset'), ranks.join(' '));
    // The cloud is unknown too: every metadata endpoint, each saying whose it is.
    assert.ok(labels(items).includes('metadata.google.internal') && labels(items).includes('169.254.170.23'));
  });

  it('inside a partial entry: replaces what was typed', () => {
    const text = 'env:\n  - name: NO_PROXY\n    value: localhost,169.2\n';
    const d = parseValuesDocument('/w/values.yaml', text);
    const items = noProxyCompletions(d, k3s, { line: 2, character: 26 });
    const meta = items.find((i) => i.label === '169.254.169.254')!;
    assert.equal(meta.group, 'missing');
    assert.equal(at(meta.range), '2:21-2:26');
    assert.deepEqual(noProxyCompletions(d, k3s, { line: 1, character: 10 }), []);
  });
});
