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

describe('NO_PROXY completion', () => {
  it('after the trailing comma: missing entries first (with what they cover), then presets, then usual entries', () => {
    const items = noProxyCompletions(doc, k3s, { line: 6, character: 55 });
    const missing = items.filter((i) => i.group === 'missing').map((i) => i.label);
    assert.deepEqual(missing, ['127.0.0.1', '.cluster.local', '10.42.0.0/16', '169.254.169.254']);
    assert.equal(items[2].detail, 'missing: pod CIDR 10.42.0.0/16');
    assert.equal(at(items[0].range), '6:55-6:55');
    const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText));
    assert.deepEqual(sorted.slice(0, 4).map((i) => i.label), missing);
    assert.ok(items.some((i) => i.group === 'preset' && i.label === '34.118.224.0/20' && i.detail === 'Google GKE service CIDR'));
    // Entries already in the value are not offered again.
    for (const present of ['localhost', '10.43.0.0/16', '.svc']) assert.ok(!items.some((i) => i.label === present), present);
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
