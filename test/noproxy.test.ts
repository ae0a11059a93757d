// NO_PROXY engine: parsing with offsets, coverage across runtimes (where they disagree, per
// research/domain.md §1.10), minimal entries to append, the CloudZero proxy guide's worked
// examples, and hostile input.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import {
  NoProxyChecker,
  appendEntries,
  bypasses,
  cidrInfo,
  coverage,
  destination,
  matchEntry,
  minimalEntries,
  parseNoProxy,
  entryAt,
  describeEntry,
  type Dialect,
} from '../server/src/engine/noproxy';
import { rangeOf } from '../server/src/engine/noproxy/cidr';
import { formatIP, parseInetAton, parseIPv4, parseIPv6 } from '../server/src/engine/noproxy/ip';
import { PRESETS } from '../server/src/engine/config/presets';
import { CORPUS } from './helpers';

const ALL: Dialect[] = ['go', 'curl', 'python', 'node'];
const DEFAULT: Dialect[] = ['go', 'python', 'curl'];

/** Which of the four runtimes cover `dest` with `noProxy`. */
function coveredBy(noProxy: string, dest: string): Dialect[] {
  const c = coverage(noProxy, dest, ALL);
  assert.ok(c, `destination ${dest} parses`);
  return c.verdicts.filter((v) => v.covered).map((v) => v.dialect);
}

describe('NO_PROXY parsing', () => {
  it('gives every entry its exact offsets and a kind', () => {
    const s = ' localhost, .svc ,*.cluster.local,http://proxy.corp:3128, a.com b.com,,[::1],[ocalhost,10.0.0.0/8,example.com.,redis:6379,10.0.0.1/8,fd00::/8,[fd00::1]:443,';
    const p = parseNoProxy(s);
    const rows = p.entries.map((e) => [e.text, e.start, e.end, e.kind]);
    assert.deepEqual(rows, [
      ['localhost', 1, 10, 'domain'],
      ['.svc', 12, 16, 'domain'],
      ['*.cluster.local', 18, 33, 'domain'],
      ['http://proxy.corp:3128', 34, 56, 'url'],
      ['a.com b.com', 58, 69, 'multiple'],
      ['', 70, 70, 'empty'],
      ['[::1]', 71, 76, 'ipv6'],
      ['[ocalhost', 77, 86, 'invalid'],
      ['10.0.0.0/8', 87, 97, 'cidr'],
      ['example.com.', 98, 110, 'domain'],
      ['redis:6379', 111, 121, 'host-port'],
      ['10.0.0.1/8', 122, 132, 'cidr'],
      ['fd00::/8', 133, 141, 'cidr'],
      ['[fd00::1]:443', 142, 155, 'host-port'],
      ['', 156, 156, 'empty'],
    ]);
    for (const e of p.entries) assert.equal(s.slice(e.start, e.end), e.text);
    // Item offsets span the whitespace up to the commas.
    assert.deepEqual([p.entries[1].itemStart, p.entries[1].itemEnd], [11, 17]);
  });

  it('classifies each form and names its oddity', () => {
    const p = parseNoProxy('.svc,*.cluster.local,http://user:pw@Proxy.Corp:3128/x,a.com b.com,[::1],[ocalhost,example.com.,redis:6379,10.0.0.1/8,10.0.0.0/33,10.0.0.256,foo.com:99999,[fd00::1]:443,example.com/api,foo*bar');
    const [svc, star, url, multi, br, typo, dot, hp, hostBits, badCidr, badIp, badPort, v6port, path, glob] = p.entries;
    assert.deepEqual([svc.form, svc.host], ['dot', 'svc']);
    assert.deepEqual([star.form, star.host, star.issues.map((i) => i.code)], ['star-dot', 'cluster.local', ['wildcard-label']]);
    assert.equal(url.urlHost, 'proxy.corp:3128');
    assert.match(url.issues[0].message, /is a URL.*write "proxy\.corp:3128"/);
    assert.deepEqual(
      multi.words!.map((w) => [w.text, w.start, w.end, w.kind]),
      [
        ['a.com', 54, 59, 'domain'],
        ['b.com', 60, 65, 'domain'],
      ],
    );
    assert.equal(multi.issues[0].code, 'space-separated');
    assert.deepEqual([br.bracketed, br.host, br.issues[0].code], [true, '::1', 'bracketed-ipv6']);
    assert.deepEqual([typo.kind, typo.issues[0].code], ['invalid', 'invalid-name']);
    assert.deepEqual([dot.host, dot.issues[0].code], ['example.com', 'trailing-dot']);
    assert.deepEqual([hp.host, hp.port], ['redis', 6379]);
    assert.deepEqual([hostBits.kind, hostBits.prefix, hostBits.issues[0].code], ['cidr', 8, 'cidr-host-bits']);
    assert.match(hostBits.issues[0].message, /means 10\.0\.0\.0\/8/);
    assert.deepEqual([badCidr.kind, badCidr.issues[0].code], ['invalid', 'invalid-cidr']);
    assert.deepEqual([badIp.kind, badIp.issues[0].code], ['invalid', 'invalid-ip']);
    assert.deepEqual([badPort.kind, badPort.issues[0].code], ['invalid', 'invalid-port']);
    assert.deepEqual([v6port.kind, v6port.family, v6port.host, v6port.port, v6port.bracketed], ['host-port', 6, 'fd00::1', 443, true]);
    assert.deepEqual([path.kind, path.urlHost], ['url', 'example.com']);
    assert.equal(glob.kind, 'invalid');
  });

  it('reads IPs, CIDRs and IDN names', () => {
    const p = parseNoProxy('2001:db8::52:0:1,::ffff:10.0.0.1,2002:db8:a::45/64,例え.テスト,xn--r8jz45g.xn--zckzah,*');
    assert.deepEqual(
      p.entries.map((e) => e.kind),
      ['ipv6', 'ipv6', 'cidr', 'domain', 'domain', 'wildcard'],
    );
    assert.equal(p.entries[0].host, '2001:db8::52:0:1');
    assert.equal(p.entries[2].range!.start, parseIPv6('2002:db8:a::')!);
  });

  it('has no entries for an empty or blank string, and survives non-strings', () => {
    assert.deepEqual(parseNoProxy('').entries, []);
    assert.deepEqual(parseNoProxy('  \t').entries, []);
    assert.deepEqual(parseNoProxy(undefined as unknown as string).entries, []);
    assert.equal(parseNoProxy(',').entries.length, 2);
  });

  it('finds the entry under a cursor offset', () => {
    const p = parseNoProxy('localhost, 10.0.0.0/8');
    assert.equal(entryAt(p, 3)?.text, 'localhost');
    assert.equal(entryAt(p, 10), undefined);
    assert.equal(entryAt(p, 21)?.text, '10.0.0.0/8');
  });
});

describe('IP helpers', () => {
  it('parse the forms each runtime accepts', () => {
    assert.equal(parseIPv4('10.96.0.1'), 0x0a600001n);
    assert.equal(parseIPv4('010.96.0.1'), undefined); // leading zero: Go, inet_pton and Node refuse it
    assert.equal(parseIPv4('10.96.0'), undefined);
    assert.equal(parseInetAton('10.1'), 0x0a000001n); // Python's inet_aton is lenient
    assert.equal(parseInetAton('0x7f.1'), 0x7f000001n);
    assert.equal(parseInetAton('08.1.1.1'), undefined);
    assert.equal(parseIPv6('::'), 0n);
    assert.equal(parseIPv6('::1'), 1n);
    assert.equal(parseIPv6('1::'), 1n << 112n);
    assert.equal(parseIPv6('::ffff:1.2.3.4'), (0xffffn << 32n) | 0x01020304n);
    assert.equal(parseIPv6('1:2:3:4:5:6:7:8'), 0x00010002000300040005000600070008n);
    for (const bad of ['1:2:3:4:5:6:7:8:9', '1::2::3', ':1', '1:', '12345::', '1:2:3:4:5:6:7::8', 'g::1', '::1.2.3']) {
      assert.equal(parseIPv6(bad), undefined, bad);
    }
    assert.equal(formatIP({ family: 6, value: parseIPv6('2001:db8:0:0:1:0:0:1')! }), '2001:db8::1:0:0:1');
  });

  it('agree with ip-cidr on CIDR ranges, and count addresses', () => {
    for (const cidr of ['10.96.0.0/12', '10.244.0.0/16', '34.118.224.0/20', '0.0.0.0/0', '10.0.0.7/32', 'fd00::/8', '2002:db8:a::45/64', '::1/128']) {
      const info = cidrInfo(cidr)!;
      const [addr, bits] = cidr.split('/');
      const v4 = parseIPv4(addr);
      const ours = rangeOf(v4 !== undefined ? { family: 4, value: v4 } : { family: 6, value: parseIPv6(addr)! }, Number(bits));
      assert.deepEqual(info.range, ours, cidr);
    }
    assert.equal(cidrInfo('10.244.0.0/16')!.size, 65536n);
    assert.equal(cidrInfo('10.96.0.1/12')!.cidr, '10.96.0.0/12');
    assert.equal(cidrInfo('fd00::/8')!.size, 1n << 120n);
    for (const bad of ['10.0.0.0/33', '010.0.0.0/8', '10.0.0.0/ 8', '10.0.0.0', 'foo/8', '::/129']) assert.equal(cidrInfo(bad), undefined, bad);
  });
});

describe('NO_PROXY coverage across runtimes', () => {
  it('leading dot: subdomains only in Go, apex too elsewhere', () => {
    assert.deepEqual(coveredBy('.example.com', 'example.com'), ['curl', 'python', 'node']);
    assert.deepEqual(coveredBy('.example.com', 'www.example.com'), ALL);
    assert.deepEqual(coveredBy('example.com', 'www.example.com'), ALL);
    assert.deepEqual(coveredBy('ample.com', 'example.com'), []);
  });

  it('`*.x` matches nothing under curl and Python', () => {
    assert.deepEqual(coveredBy('*.example.com', 'www.example.com'), ['go', 'node']);
    assert.deepEqual(coveredBy('*.example.com', 'example.com'), ['node']);
    const c = coverage('*.cluster.local', 'kubernetes.default.svc.cluster.local', DEFAULT)!;
    assert.deepEqual(c.failing, ['python', 'curl']);
    assert.equal(
      c.message,
      'kubernetes.default.svc.cluster.local is not covered under Python requests: Python has no `*.` wildcard: `*.cluster.local` is compared literally, so it never matches; under curl: curl has no `*.` wildcard: it compares `*.cluster.local` literally, so it never matches (covered under Go)',
    );
  });

  it('`.svc` alone does not cover names under the cluster domain', () => {
    assert.deepEqual(coveredBy('.svc', 'kubernetes.default.svc.cluster.local'), []);
    assert.deepEqual(coveredBy('.svc', 'prometheus.monitoring.svc'), ALL);
    const c = coverage('.svc', 'kubernetes.default.svc.cluster.local', ['go'])!;
    assert.equal(
      c.message,
      'kubernetes.default.svc.cluster.local is not covered under Go: `.svc` matches only names ending in .svc; kubernetes.default.svc.cluster.local goes on past "svc" and ends in .cluster.local',
    );
  });

  it('IPv6 forms: bracketed without port works only in Node; bare works everywhere', () => {
    assert.deepEqual(coveredBy('[fd00:ec2::254]', 'fd00:ec2::254'), ['node']);
    assert.deepEqual(coveredBy('fd00:ec2::254', 'fd00:ec2::254'), ALL);
    assert.deepEqual(coveredBy('[fd00:ec2::254]:443', 'https://[fd00:ec2::254]/'), ['go', 'node']);
    const c = coverage('[fd00:ec2::254]', 'fd00:ec2::254', ['go'])!;
    assert.match(c.message, /under Go: Go never matches the host-name entry `\[fd00:ec2::254\]` against an IP literal/);
  });

  it('space-separated entries: one dead entry in Go and Python, list ends in curl, two entries in Node', () => {
    assert.deepEqual(coveredBy('a.com b.com', 'b.com'), ['node']);
    assert.deepEqual(coveredBy('a.com b.com', 'a.com'), ['curl', 'node']);
    assert.deepEqual(coveredBy('a.com b.com,c.com', 'c.com'), ['go', 'python', 'node']);
    const c = coverage('a.com b.com', 'b.com', ['go'])!;
    assert.match(c.message, /Go splits NO_PROXY on commas only, so `a\.com b\.com` is one entry containing a space/);
  });

  it('`*` as one entry among others counts only in Go; as the whole value everywhere', () => {
    assert.deepEqual(coveredBy('x.com,*', 'example.org'), ['go']);
    assert.deepEqual(coveredBy('*', 'example.org'), ALL);
    assert.deepEqual(coveredBy('*', '10.244.0.0/16'), ALL);
    assert.match(coverage('x.com,*', 'example.org', ['curl'])!.message, /`\*` means "every host" only when it is the whole NO_PROXY value/);
  });

  it('CIDR entries: IPv4 in Go, curl, Python; IPv6 in Go and curl; never in Node', () => {
    assert.deepEqual(coveredBy('10.0.0.0/8', '10.1.2.3'), ['go', 'curl', 'python']);
    assert.deepEqual(coveredBy('fd00:ec2::/32', 'fd00:ec2::254'), ['go', 'curl']);
    assert.deepEqual(coveredBy('10.0.0.0/8', 'ten.example.com'), []); // no DNS lookup anywhere
    assert.deepEqual(coveredBy('10.96.0.0/12', 'https://10.96.0.1:443'), ['go', 'curl', 'python']);
  });

  it('ports: default port applied in Go and Node, ignored-and-never-matching in curl, explicit-only in Python', () => {
    assert.deepEqual(coveredBy('example.com:443', 'https://example.com/'), ['go', 'node']);
    assert.deepEqual(coveredBy('example.com:443', 'https://example.com:443/'), ['go', 'python', 'node']);
    assert.deepEqual(coveredBy('example.com:443', 'example.com'), []); // port unknown: a port-bound entry is no cover
    assert.deepEqual(coveredBy('redis', 'redis:6379'), ALL);
  });

  it('loopback: implicit in Go only', () => {
    assert.deepEqual(coveredBy('', 'localhost'), ['go']);
    assert.deepEqual(coveredBy('example.com', '127.0.0.1'), ['go']);
    assert.deepEqual(coveredBy('', '127.0.0.0/8'), ['go']);
    assert.deepEqual(coveredBy('localhost', 'localhost'), ALL);
  });

  it('trailing dots: only curl ignores them', () => {
    assert.deepEqual(coveredBy('example.com.', 'example.com'), ['curl']);
  });

  it('a whole CIDR is covered only by one entry containing all of it', () => {
    assert.deepEqual(coveredBy('10.96.0.0/12', '10.96.0.0/16'), ['go', 'curl', 'python']);
    assert.deepEqual(coveredBy('10.96.0.0/16', '10.96.0.0/12'), []);
    assert.deepEqual(coveredBy('10.244.0.0/17,10.244.128.0/17', '10.244.0.0/16'), []);
    assert.deepEqual(coveredBy('fd00::/8', 'fd00:10::/64'), ['go', 'curl']);
    // A one-address block is that address: Node covers it with the IP itself.
    assert.deepEqual(coveredBy('10.96.0.1', '10.96.0.1/32'), ALL);
    const c = coverage('10.244.0.0/16', '10.244.0.0/16', ['go', 'node'])!;
    assert.equal(c.message, '10.244.0.0/16 (65,536 addresses) is not covered under Node.js undici: undici has no CIDR support: only `*` (the whole value) covers a range of addresses (covered under Go)');
  });

  it('names the covering entry, and ignores runtimes that do not read NO_PROXY', () => {
    const c = coverage('localhost,.cluster.local,10.96.0.0/12', 'kubernetes.default.svc.cluster.local', ['go', 'java', 'curl'])!;
    assert.deepEqual(
      c.verdicts.map((v) => [v.dialect, v.covered, v.entry?.text]),
      [
        ['go', true, '.cluster.local'],
        ['curl', true, '.cluster.local'],
      ],
    );
    assert.equal(c.message, 'kubernetes.default.svc.cluster.local is covered by `.cluster.local` under Go and curl');
  });

  it('explains one entry for a destination (hover)', () => {
    const checker = new NoProxyChecker('localhost, 10.96.0.0/12, .svc', ALL);
    const [, cidr, svc] = checker.parsed.entries;
    assert.deepEqual(checker.explainEntry(cidr, '10.96.0.1', 'go'), { matches: true, why: '10.96.0.1 is inside `10.96.0.0/12`' });
    assert.equal(checker.explainEntry(cidr, '10.96.0.1', 'node').matches, false);
    assert.equal(checker.explainEntry(cidr, '10.96.0.1', 'node').why, 'undici has no CIDR support: `10.96.0.0/12` is compared as a host name');
    assert.equal(checker.explainEntry(svc, 'prometheus.monitoring.svc', 'curl').why, 'prometheus.monitoring.svc is a subdomain of svc');
    assert.deepEqual({ ...matchEntry('.svc', 'kubernetes.default.svc.cluster.local', 'node') }, {
      matches: false,
      why: '`.svc` matches only svc and names ending in .svc; kubernetes.default.svc.cluster.local goes on past "svc" and ends in .cluster.local',
    });
    assert.equal(matchEntry('192.168.1.2:81', 'http://192.168.1.2/', 'go').why, '`192.168.1.2:81` applies only to port 81, and the request uses port 80');
  });

  it('reads destinations in every form the rules pass', () => {
    const d = (s: string) => {
      const x = destination(s);
      return x && (x.kind === 'range' ? ['range', x.text, x.size] : ['host', x.text, x.target.host, x.target.port, x.target.scheme]);
    };
    assert.deepEqual(d('http://prometheus-server.monitoring.svc:9090/metrics'), ['host', 'prometheus-server.monitoring.svc:9090', 'prometheus-server.monitoring.svc', 9090, 'http']);
    assert.deepEqual(d('redis:6379'), ['host', 'redis:6379', 'redis', 6379, undefined]);
    assert.deepEqual(d('10.244.0.0/16'), ['range', '10.244.0.0/16', 65536n]);
    assert.deepEqual(d('10.96.0.1/32'), ['host', '10.96.0.1', '10.96.0.1', undefined, undefined]);
    assert.deepEqual(d('[FD00::1]:443'), ['host', '[fd00::1]:443', 'fd00::1', 443, undefined]);
    assert.deepEqual(d('2001:0db8::0001'), ['host', '2001:db8::1', '2001:db8::1', undefined, undefined]);
    assert.equal(destination('10.0.0.0/33'), undefined);
    assert.equal(destination('a b'), undefined);
    assert.equal(destination(''), undefined);
  });

  it('agrees with the bypasses() dispatcher', () => {
    for (const d of ALL) {
      assert.equal(bypasses(d, '.cluster.local', 'http://kubernetes.default.svc.cluster.local/'), true, d);
      assert.equal(bypasses(d, '.cluster.local', 'http://example.com/'), false, d);
    }
  });
});

describe('minimalEntries', () => {
  const required = ['localhost', '127.0.0.1', 'kubernetes.default.svc.cluster.local', '10.96.0.1', '10.96.0.0/12', '10.244.0.0/16', '169.254.169.254'];

  it('a service CIDR also covers the apiserver IP when every runtime reads CIDRs', () => {
    const r = minimalEntries(required, DEFAULT, 'localhost');
    assert.deepEqual(r.entries, ['127.0.0.1', '.cluster.local', '10.96.0.0/12', '10.244.0.0/16', '169.254.169.254']);
    assert.deepEqual(r.suggestions.find((s) => s.entry === '10.96.0.0/12')!.covers, ['10.96.0.1', '10.96.0.0/12']);
    assert.deepEqual(r.uncovered, []);
  });

  it('Node needs the apiserver IP itself, and cannot cover pod or service CIDRs', () => {
    const r = minimalEntries(required, ALL, 'localhost');
    assert.deepEqual(r.entries, ['127.0.0.1', '.cluster.local', '10.96.0.0/12', '10.96.0.1', '10.244.0.0/16', '169.254.169.254']);
    assert.deepEqual(
      r.uncovered.map((u) => [u.destination.text, u.dialects, u.why]),
      [
        ['10.96.0.0/12', ['node'], 'Node.js undici has no CIDR support: no single entry covers every address of 10.96.0.0/12 (only `*` as the whole value would)'],
        ['10.244.0.0/16', ['node'], 'Node.js undici has no CIDR support: no single entry covers every address of 10.244.0.0/16 (only `*` as the whole value would)'],
      ],
    );
  });

  it('Go alone needs no loopback entries', () => {
    assert.deepEqual(minimalEntries(required, ['go'], '').entries, ['.cluster.local', '10.96.0.0/12', '10.244.0.0/16', '169.254.169.254']);
  });

  it('in-cluster URL hosts: `.svc` for service names, the short name itself otherwise', () => {
    const r = minimalEntries(['http://prometheus-server.monitoring.svc:9090', 'http://alertmanager.monitoring.svc:9093', 'redis:6379', 'http://grafana.monitoring.svc.cluster.local'], DEFAULT, '');
    assert.deepEqual(r.entries, ['.svc', 'redis', '.cluster.local']);
  });

  it('uses the cluster domain of the profile', () => {
    assert.deepEqual(minimalEntries(['kubernetes.default.svc.corp.internal'], DEFAULT, '', { clusterDomain: 'corp.internal' }).entries, ['.corp.internal']);
  });

  it('replaces a `*.` entry curl and Python cannot read, and never repeats an existing entry', () => {
    assert.deepEqual(minimalEntries(['kubernetes.default.svc.cluster.local'], DEFAULT, '*.cluster.local').entries, ['.cluster.local']);
    assert.deepEqual(minimalEntries(['kubernetes.default.svc.cluster.local'], ['go', 'node'], '*.cluster.local').entries, []);
    // The existing `.cluster.local` is dead for curl past the stray blank; adding it again cannot help.
    const r = minimalEntries(['kubernetes.default.svc.cluster.local'], DEFAULT, 'localhost example.com,.cluster.local');
    assert.deepEqual(r.entries, []);
    assert.deepEqual(r.uncovered.map((u) => u.dialects), [['curl']]);
    assert.match(r.uncovered[0].why, /curl \(8\.9 and later\) stops reading NO_PROXY at a blank.*at offset 10\); fix that entry first/);
  });

  it('is idempotent once the entries are appended', () => {
    const before = 'localhost, 127.0.0.1,';
    const r = minimalEntries(required, DEFAULT, before);
    const after = appendEntries(before, r.entries);
    assert.equal(after, 'localhost, 127.0.0.1, .cluster.local, 10.96.0.0/12, 10.244.0.0/16, 169.254.169.254');
    assert.deepEqual(minimalEntries(required, DEFAULT, after).entries, []);
    for (const dest of required) assert.equal(coverage(after, dest, DEFAULT)!.covered, true, dest);
  });

  it('writes IPv6 addresses bare, which every runtime reads', () => {
    const r = minimalEntries(['fd00:10:96::1', 'fd00:10:244::/56'], ALL, '');
    assert.deepEqual(r.entries, ['fd00:10:96::1', 'fd00:10:244::/56']);
    assert.deepEqual(r.uncovered.map((u) => [u.destination.text, u.dialects]), [['fd00:10:244::/56', ['python', 'node']]]);
  });

  it('keeps the separator style when appending', () => {
    assert.equal(appendEntries('a,b', ['c', 'd']), 'a,b,c,d');
    assert.equal(appendEntries('a, b', ['c']), 'a, b, c');
    assert.equal(appendEntries('a,b,', ['c']), 'a,b,c');
    assert.equal(appendEntries('', ['c', 'd']), 'c,d');
    assert.equal(appendEntries('a,b\n', ['c']), 'a,b,c\n');
    assert.equal(appendEntries('a', []), 'a');
  });
});

describe('CloudZero proxy guide worked examples', () => {
  // test/corpus/Cloudzero__cloudzero-agent/helm/docs/egress-proxy.md: every CloudZero binary
  // is Go, so the runtime is `go`. Each example is checked against the network it describes.
  const guide = readFileSync(nodePath.join(CORPUS, 'Cloudzero__cloudzero-agent/helm/docs/egress-proxy.md'), 'utf8');
  function exampleNoProxy(heading: string): string {
    const section = guide.slice(guide.indexOf(heading));
    const m = /- name: NO_PROXY\s+value: "([^"]+)"/.exec(section);
    assert.ok(m, heading);
    return m[1];
  }
  const eks = exampleNoProxy('### AWS EKS');
  const gke = exampleNoProxy('### GKE');
  const aks = exampleNoProxy('### Azure AKS');

  interface Net {
    pod: string[];
    service: string[];
    apiServer: string;
    metadata: string[];
  }
  const requiredOf = (n: Net) => ['localhost', '127.0.0.1', 'kubernetes.default.svc.cluster.local', n.apiServer, ...n.pod, ...n.service, ...n.metadata];
  // The networks each example's own text states (VPC 10.0.0.0/8 + EKS service 172.20.0.0/16; GKE
  // 10.0.0.0/14 + 10.4.0.0/19; AKS kubenet 10.244.0.0/16 + 10.0.0.0/16), metadata per rules.md.
  const ownNet: Record<string, Net> = {
    eks: { pod: ['10.0.0.0/8'], service: ['172.20.0.0/16'], apiServer: '172.20.0.1', metadata: ['169.254.169.254', '169.254.170.23'] },
    gke: { pod: ['10.0.0.0/14'], service: ['10.4.0.0/19'], apiServer: '10.4.0.1', metadata: ['169.254.169.254', 'metadata.google.internal'] },
    aks: { pod: ['10.244.0.0/16'], service: ['10.0.0.0/16'], apiServer: '10.0.0.1', metadata: ['169.254.169.254'] },
  };

  it('extracts the three examples from the guide', () => {
    assert.equal(eks, 'localhost,127.0.0.1,169.254.169.254,cluster.local,10.0.0.0/8,172.20.0.0/16');
    assert.equal(gke, 'localhost,127.0.0.1,169.254.169.254,metadata.google.internal,cluster.local,10.0.0.0/14,10.4.0.0/19');
    assert.equal(aks, 'localhost,127.0.0.1,169.254.169.254,cluster.local,10.244.0.0/16,10.0.0.0/16');
  });

  it('GKE and AKS cover everything their network needs, under Go and under the default runtimes', () => {
    for (const dialects of [['go'], DEFAULT]) {
      assert.deepEqual(minimalEntries(requiredOf(ownNet.gke), dialects, gke), { entries: [], suggestions: [], uncovered: [] });
      assert.deepEqual(minimalEntries(requiredOf(ownNet.aks), dialects, aks), { entries: [], suggestions: [], uncovered: [] });
    }
  });

  it('EKS misses only the Pod Identity agent address', () => {
    // rules.md requires 169.254.170.23 on AWS; the guide lists only 169.254.169.254.
    assert.deepEqual(minimalEntries(requiredOf(ownNet.eks), ['go'], eks).entries, ['169.254.170.23']);
    const c = coverage(eks, '169.254.170.23', ['go'])!;
    assert.equal(c.message, '169.254.170.23 is not covered under Go: no entry matches it');
  });

  it('with another distribution the missing CIDRs are the ones that differ', () => {
    const presetNet = (id: keyof typeof PRESETS, metadata: string[], pod?: string[]): Net => ({
      pod: pod ?? PRESETS[id].podCIDR,
      service: PRESETS[id].serviceCIDR,
      apiServer: PRESETS[id].apiServerIP!,
      metadata,
    });
    // GKE >= 1.29 takes services from 34.118.224.0/20; the example still lists 10.4.0.0/19.
    assert.deepEqual(minimalEntries(requiredOf(presetNet('gke', ['169.254.169.254', 'metadata.google.internal'])), ['go'], gke).entries, ['34.118.224.0/20']);
    // The AKS example on k3s: pod and service CIDRs both differ; the service CIDR covers the apiserver.
    // (Entries come in the order of the first destination each covers: the apiserver IP precedes the CIDRs.)
    assert.deepEqual(minimalEntries(requiredOf(presetNet('k3s', [])), ['go'], aks).entries, ['10.43.0.0/16', '10.42.0.0/16']);
    // The EKS example on the EKS preset's 10.100.0.0/16: 10.0.0.0/8 already contains it.
    assert.deepEqual(minimalEntries(requiredOf(presetNet('eks', ['169.254.169.254'], ['10.0.0.0/8'])), ['go'], eks).entries, []);
    // A Node component in the GKE example: the apiserver IP itself, and the CIDRs stay uncovered.
    const node = minimalEntries(requiredOf(ownNet.gke), ['go', 'node'], gke);
    assert.deepEqual(node.entries, ['10.4.0.1']);
    assert.deepEqual(node.uncovered.map((u) => u.destination.text), ['10.0.0.0/14', '10.4.0.0/19']);
  });
});

describe('NO_PROXY hostile input', () => {
  it('10,000 entries: parses, finds the last entry, computes fixes', () => {
    const parts = Array.from({ length: 10000 }, (_, i) => (i % 2 ? `host${i}.example.com` : `10.${(i >> 8) & 255}.${i & 255}.0/24`));
    parts.push('.cluster.local');
    const s = parts.join(',');
    const p = parseNoProxy(s);
    assert.equal(p.entries.length, 10001);
    assert.equal(p.entries[10000].start, s.length - '.cluster.local'.length);
    const checker = new NoProxyChecker(s, ALL);
    const c = checker.check('kubernetes.default.svc.cluster.local')!;
    assert.equal(c.covered, true);
    assert.equal(c.verdicts[0].entry!.index, 10000);
    assert.deepEqual(checker.check('10.0.254.1')!.failing, ['node']);
    assert.deepEqual(checker.check('10.0.255.1')!.failing, ALL);
    assert.deepEqual(minimalEntries(['10.96.0.0/12', 'kubernetes.default.svc.cluster.local'], DEFAULT, s).entries, ['10.96.0.0/12']);
  });

  it('10,000 space-separated names: only Node reads them as entries', () => {
    const s = Array.from({ length: 10000 }, (_, i) => `h${i}.x`).join(' ');
    assert.deepEqual(coverage(s, 'h9999.x', ALL)!.failing, ['go', 'curl', 'python']);
    assert.equal(parseNoProxy(s).entries[0].words!.length, 10000);
  });

  it('a 1 MB entry is classified and matched without hanging', () => {
    const big = 'a'.repeat(1 << 20);
    const p = parseNoProxy(`${big},[${big},${'1.'.repeat(1 << 19)},localhost`);
    assert.deepEqual(
      p.entries.map((e) => [e.kind, e.issues[0]?.code]),
      [
        ['invalid', 'invalid-name'],
        ['invalid', 'invalid-name'],
        ['invalid', 'invalid-name'],
        ['domain', undefined],
      ],
    );
    assert.equal(coverage(`${big}.cluster.local`, 'kubernetes.default.svc.cluster.local', ALL)!.covered, false);
    assert.equal(coverage(`${big},localhost`, 'localhost', ALL)!.covered, true);
  });

  it('unicode and IDNA hosts: Go converts entry and host to punycode, undici only the host', () => {
    assert.deepEqual(coveredBy('.示例.com', 'www.xn--fsq092h.com'), ['go']);
    assert.deepEqual(coveredBy('xn--fsq092h.com', 'www.示例.com'), ['go', 'node']);
    // undici punycodes the URL host but compares the entry as written: a Unicode entry never matches.
    assert.deepEqual(coveredBy('.示例.com', 'www.示例.com'), ['go', 'curl', 'python']);
  });
});

describe('describeEntry (what an entry means under each runtime)', () => {
  const s =
    'localhost,.svc,*.cluster.local,example.com.,10.0.0.0/8,0.0.0.0/0,fd00::/8,10.96.0.1,fd00::1,[fd00::2],[fd00::3]:443,10.0.0.5:8443,redis:6379,.corp.example:8080,*.x.io:80,http://proxy.corp:3128,[ocalhost,a.com b.com,*,,after.star';
  const checker = new NoProxyChecker(s, ALL);

  /** Destinations an entry evidently means to cover. */
  function probes(e: ReturnType<typeof parseNoProxy>['entries'][number]): string[] {
    const h = e.host ?? '';
    const withPort = (host: string) => (e.port ? [`http://${host}:${e.port}/`] : [host, `http://${host}/`]);
    switch (e.kind) {
      case 'domain':
      case 'host-port':
        if (e.family === 6) return withPort(`[${h}]`);
        if (e.family === 4) return withPort(h);
        return [...withPort(h), ...withPort(`sub.${h}`)];
      case 'ipv4':
        return [h];
      case 'ipv6':
        return [h];
      case 'cidr':
        return [e.text.split('/')[0], formatIP({ family: e.family!, value: e.range!.end }), `${formatIP({ family: e.family!, value: e.range!.start })}/${e.prefix}`];
      case 'multiple':
        return e.words!.flatMap(probes);
      case 'url':
        return [e.urlHost!.replace(/:\d+$/, '')];
      default:
        return ['localhost', 'example.org', 'after.star'];
    }
  }

  it('says inert exactly when no evident destination matches (checked against the matchers)', () => {
    for (const entry of checker.parsed.entries) {
      for (const d of ALL) {
        const meaning = describeEntry(checker, entry, d);
        const matched = probes(entry).filter((p) => checker.explainEntry(entry, p, d).matches);
        if (d === 'go' && entry.text === 'after.star') {
          // Never read by Go, yet its hosts are bypassed: by the `*` before it.
          assert.deepEqual([meaning.inert, matched.length > 0, checker.explainEntry(entry, 'after.star', d).why], [true, true, 'Go bypasses the proxy for every host when `*` is any entry of NO_PROXY']);
          continue;
        }
        assert.equal(meaning.inert, matched.length === 0, `${entry.text} under ${d}: "${meaning.text}" but matched ${JSON.stringify(matched)}`);
      }
    }
  });

  it('words the differences', () => {
    const [, svc, star, dot, , zero, cidr6, , , br, , ipPort, hp] = checker.parsed.entries;
    const m = (e: typeof svc, d: Dialect) => describeEntry(checker, e, d).text;
    assert.equal(m(svc, 'go'), 'subdomains of svc only (not svc itself)');
    assert.equal(m(svc, 'curl'), 'svc and its subdomains');
    assert.equal(m(star, 'curl'), 'nothing: curl has no `*.` wildcard and compares the entry literally');
    assert.equal(m(dot, 'curl'), 'example.com and its subdomains (curl ignores the trailing dot)');
    assert.equal(m(zero, 'curl'), 'only the address 0.0.0.0: curl reads "/0" as an exact address');
    assert.equal(m(cidr6, 'curl'), 'IP addresses in fd00::/8 (1,329,227,995,784,915,872,903,807,060,280,344,576 addresses; curl 8.18 and later, older curl matches no IPv6 CIDR)');
    assert.equal(m(br, 'go'), 'nothing: brackets without a port make Go read it as a host name, which never matches an IP (write fd00::2)');
    assert.equal(m(ipPort, 'python'), 'nothing: Python never matches an entry with a port against an IP host');
    assert.equal(m(hp, 'python'), 'redis:6379 and its subdomains, only when the URL spells out port 6379');
    const after = checker.parsed.entries[checker.parsed.entries.length - 1];
    assert.equal(describeEntry(checker, after, 'go').text, 'nothing more: Go stops reading at the `*` before it, which already bypasses every host');
  });
});
