// The egress allowlist formats (server/src/engine/allowlist/formats/), each checked by a parser
// that is not ours: YAML with the `yaml` package and the consumers' own CRD schemas (ajv), JSON
// with JSON.parse and schemas from the AWS API reference / Azure REST specs, CSV with an RFC 4180
// reader written here (and Python's csv module when python3 is present), squid lines with a small
// grammar and `squid -k parse` itself, and the verify script with `sh -n` and a run against a
// local HTTPS server (127.0.0.1, self-signed certificate made by openssl at test time).
//
// Expectations are computed from the fixtures with this file's own host grammar, never with the
// formatters' helpers. Fixtures: test/fixtures/allowlist/*.json (hand-made Allowlist objects:
// Robusta with Slack/Teams/HolmesGPT, CloudZero, StackState, Kubernaut, and edge cases with IPs,
// CIDRs, UDP, onlyIf, nested wildcards and hostile strings).
import { strict as assert } from 'node:assert';
import { execFile, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments, parseDocument } from 'yaml';
import {
  ALLOWLIST_FORMAT_INFO,
  ALLOWLIST_FORMATTERS,
  formatAllowlist,
  isAllowlistFormat,
  validateFormatOptions,
} from '../server/src/engine/allowlist/formats';
import { ALLOWLIST_FORMATS, type Allowlist, type AllowlistEntry, type AllowlistFormat, type AllowlistFormatOptions } from '../server/src/engine/allowlist/types';
import { skipOrFail, which } from './helpers';

const ROOT = path.resolve(__dirname, '..');
const FIXTURE_DIR = path.join(ROOT, 'test', 'fixtures', 'allowlist');
const SCHEMA_DIR = path.join(FIXTURE_DIR, 'schemas');

function loadFixture(name: string): Allowlist {
  return JSON.parse(readFileSync(path.join(FIXTURE_DIR, `${name}.json`), 'utf8')) as Allowlist;
}

const FIXTURE_NAMES = readdirSync(FIXTURE_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();
const FIXTURES: Record<string, Allowlist> = Object.fromEntries(FIXTURE_NAMES.map((n) => [n, loadFixture(n)]));
const EMPTY: Allowlist = { entries: [], skipped: [], files: [] };
const OPTIONS: AllowlistFormatOptions = { namespace: 'monitoring', podSelector: { 'app.kubernetes.io/name': 'robusta-runner' } };


// ---------------------------------------------------------------------------------------------
// This file's own host grammar and expectations

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const NAME_RE = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);
const WILDCARD_RE = new RegExp(`^\\*\\.(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);

function isName(h: string): boolean {
  return NAME_RE.test(h) && !/^\d+$/.test(h.split('.').pop() as string) && net.isIP(h) === 0;
}
function isWildcard(h: string): boolean {
  return WILDCARD_RE.test(h) && isName(h.slice(2));
}
function isCidr(h: string): boolean {
  const [ip, prefix, ...rest] = h.split('/');
  if (rest.length > 0 || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  const family = net.isIP(ip);
  return family !== 0 && Number(prefix) <= (family === 4 ? 32 : 128);
}
type Kind = 'name' | 'wildcard' | 'ip' | 'cidr';
function kindOf(h: string): Kind | undefined {
  if (net.isIP(h) !== 0) return 'ip';
  if (isCidr(h)) return 'cidr';
  if (isWildcard(h)) return 'wildcard';
  if (isName(h)) return 'name';
  return undefined;
}
function validEntry(e: AllowlistEntry): boolean {
  return kindOf(e.host) !== undefined && Number.isInteger(e.port) && e.port >= 1 && e.port <= 65535;
}
function asCidr(h: string): string {
  return net.isIP(h) === 4 ? `${h}/32` : net.isIP(h) === 6 ? `${h}/128` : h;
}
/** `name` is `base` or under it at any depth. */
function atOrUnder(name: string, base: string): boolean {
  return name === base || name.endsWith(`.${base}`);
}

interface Expected {
  host: string;
  port: number;
  protocol: 'tcp' | 'udp';
  kind: Kind;
  node: boolean;
  expands: string[];
}

/** Targets an enforcement format must allow (on, valid), merged by host:port:protocol. */
function expectedOn(list: Allowlist): Expected[] {
  const map = new Map<string, Expected>();
  for (const e of list.entries) {
    if (!validEntry(e) || e.onlyIf) continue;
    const key = `${e.host} ${e.port} ${e.protocol}`;
    const x = map.get(key);
    if (x) {
      x.node = x.node && e.egress === 'node';
      x.expands.push(...e.expands.filter(isName));
    } else map.set(key, { host: e.host, port: e.port, protocol: e.protocol, kind: kindOf(e.host) as Kind, node: e.egress === 'node', expands: e.expands.filter(isName) });
  }
  return [...map.values()];
}

/** Hosts only features that are off need (never allowed by enforcement formats). */
function expectedOffOnly(list: Allowlist): Expected[] {
  const on = new Set(expectedOn(list).map((x) => `${x.host} ${x.port} ${x.protocol}`));
  return list.entries
    .filter((e) => validEntry(e) && e.onlyIf && !on.has(`${e.host} ${e.port} ${e.protocol}`))
    .map((e) => ({ host: e.host, port: e.port, protocol: e.protocol, kind: kindOf(e.host) as Kind, node: e.egress === 'node', expands: [] }));
}

/** Every host name of a list, so a format can be searched for hosts it must not contain. */
function hostsOnlyIn(list: Allowlist, keep: (x: Expected) => boolean, drop: (x: Expected) => boolean): string[] {
  const kept = new Set(expectedOn(list).filter(keep).map((x) => x.host));
  return [...new Set([...expectedOn(list).filter(drop), ...expectedOffOnly(list)].map((x) => x.host))].filter((h) => !kept.has(h));
}

/** Feature text as one line (what a comment can hold). */
function plain(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** `ip` inside `cidr`, by node's own net.BlockList. */
function inCidr(ip: string, cidr: string): boolean {
  const family = net.isIP(ip);
  if (family === 0 || !isCidr(cidr)) return false;
  const [base, prefix] = cidr.split('/');
  if (net.isIP(base) !== family) return false;
  const block = new net.BlockList();
  block.addSubnet(base, Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
  return block.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

function ajv(): Ajv {
  const a = new Ajv({ strict: false, allErrors: true });
  addFormats(a);
  a.addFormat('cidr', { type: 'string', validate: (s: string) => isCidr(s) });
  a.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  a.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  a.addFormat('idn-hostname', true);
  return a;
}

/** A CRD schema as ajv reads it: Go (RE2) `\\pL`-style classes become ECMAScript `\\p{L}`. */
function schema(file: string): ValidateFunction {
  const text = readFileSync(path.join(SCHEMA_DIR, file), 'utf8').replace(/\\\\([pP])([A-Z][a-z]?)(?![A-Za-z{])/g, '\\\\$1{$2}');
  return ajv().compile(JSON.parse(text));
}

function assertValid(validate: ValidateFunction, value: unknown, what: string): void {
  assert.ok(validate(value), `${what}: ${JSON.stringify(validate.errors, null, 1)}`);
}

function yamlDocs(text: string): Array<Record<string, any>> {
  const docs = parseAllDocuments(text, { version: '1.1' });
  for (const d of docs) assert.deepEqual(d.errors, [], 'YAML parses without errors');
  return docs.map((d) => d.toJS()).filter((d) => d !== null && d !== undefined);
}

/** The commented example at the end of a YAML output, uncommented. */
function commentedExample(text: string): Record<string, any> {
  const lines = text.split('\n');
  const start = lines.lastIndexOf('# ---');
  assert.ok(start >= 0, 'a commented example follows "# ---"');
  const body = lines
    .slice(start + 1)
    .filter((l) => l.startsWith('#'))
    .map((l) => l.replace(/^# ?/, ''))
    .join('\n');
  const doc = parseDocument(body, { version: '1.1' });
  assert.deepEqual(doc.errors, []);
  return doc.toJS();
}

const outputs = new Map<string, string>();
function out(fixture: string, format: AllowlistFormat, options: AllowlistFormatOptions = OPTIONS): string {
  const key = `${fixture} ${format} ${JSON.stringify(options)}`;
  let text = outputs.get(key);
  if (text === undefined) {
    text = formatAllowlist(FIXTURES[fixture], format, options);
    outputs.set(key, text);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------

describe('allowlist formats: registry and safety', () => {
  it('has one formatter per format of the CLI contract, with editor metadata', () => {
    assert.deepEqual(Object.keys(ALLOWLIST_FORMATTERS).sort(), [...ALLOWLIST_FORMATS].sort());
    assert.deepEqual(Object.keys(ALLOWLIST_FORMAT_INFO).sort(), [...ALLOWLIST_FORMATS].sort());
    assert.equal(ALLOWLIST_FORMAT_INFO.text.language, 'egress-allowlist');
    for (const f of ['cilium', 'egressfirewall', 'istio', 'calico'] as const) assert.ok(ALLOWLIST_FORMAT_INFO[f].podScoped, f);
    assert.ok(isAllowlistFormat('squid') && !isAllowlistFormat('nginx'));
    assert.throws(() => formatAllowlist(EMPTY, 'nginx' as AllowlistFormat), /unknown allowlist format/);
  });

  it('loads the fixtures (Robusta, CloudZero, StackState, Kubernaut, edge cases)', () => {
    assert.deepEqual(FIXTURE_NAMES, ['cloudzero', 'edge-cases', 'kubernaut', 'robusta', 'stackstate']);
  });

  it('writes every format for every fixture and the empty list, deterministically, ending with a newline', () => {
    for (const format of ALLOWLIST_FORMATS) {
      for (const name of FIXTURE_NAMES) {
        const a = out(name, format);
        assert.ok(a.endsWith('\n'), `${format} ${name}`);
        assert.equal(formatAllowlist(FIXTURES[name], format, OPTIONS), a, `${format} ${name} is deterministic`);
      }
      assert.ok(formatAllowlist(EMPTY, format).endsWith('\n'), `${format} of an empty list`);
    }
  });

  it('never writes a secret: no skipped value, no credentials, no fields but host/port/feature/reason/paths', () => {
    for (const format of ALLOWLIST_FORMATS) {
      for (const name of FIXTURE_NAMES) {
        const text = out(name, format);
        assert.ok(!text.includes('CANARY-SECRET'), `${format} ${name}: a skipped value's text`);
        assert.ok(!/user:[^\s]*@/.test(text), `${format} ${name}: URL user info`);
        assert.ok(!text.includes('robusta-proxies-firewall-airgap'), `${format} ${name}: entry.source is not written`);
      }
    }
  });

  it('reports bad options and never writes them raw', () => {
    const bad: AllowlistFormatOptions = { namespace: 'Bad NS\n- injected', name: 'x"y', podSelector: { 'ok.io/app': 'web', 'bad key': 'v\nkind: Secret' }, apiServerCIDR: 'not-a-cidr' };
    assert.equal(validateFormatOptions(bad).length, 4);
    assert.deepEqual(validateFormatOptions(OPTIONS), []);
    assert.deepEqual(validateFormatOptions({ apiServerCIDR: '10.0.0.10/32', name: 'egress', namespace: 'ns' }), []);
    for (const format of ALLOWLIST_FORMATS) {
      const text = formatAllowlist(FIXTURES.robusta, format, bad);
      assert.ok(!text.includes('Bad NS') && !text.includes('kind: Secret') && !text.includes('x"y'), format);
    }
    const cilium = yamlDocs(formatAllowlist(FIXTURES.robusta, 'cilium', bad))[0];
    assert.equal(cilium.metadata.namespace, undefined);
    assert.equal(cilium.metadata.name, 'airgap-lint-egress');
    assert.deepEqual(cilium.spec.endpointSelector.matchLabels, { 'ok.io/app': 'web' });
  });

  it('survives garbage entries without throwing', () => {
    const garbage = {
      files: [null, 7, 'v.yaml'],
      entries: [
        { host: 42, port: 'x' },
        { host: 'ok.example.com', port: 443, protocol: 'tcp', feature: null, reason: undefined, egress: 'pod', wildcard: false, expands: null, enabledBy: 'x', sources: 'y' },
        { host: '*.w.example.com', port: 443, protocol: 'tcp', feature: 'f', reason: 'r', egress: 'node', wildcard: true, expands: [1, '*.x', 'a.w.example.com'], enabledBy: null, sources: [] },
      ],
      skipped: [null, { key: 1 }],
    } as unknown as Allowlist;
    for (const format of ALLOWLIST_FORMATS) {
      const text = formatAllowlist(garbage, format);
      assert.ok(text.includes('ok.example.com'), format);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// text

interface TextSection {
  title: string;
  comments: string[];
  hosts: Array<{ host: string; port: number; protocol: 'tcp' | 'udp'; expanded: string[] }>;
}

function parseHostPort(s: string): { host: string; port: number; protocol: 'tcp' | 'udp' } {
  let m = /^\[([0-9a-f:./]+)\]:(\d+)(\/udp)?$/.exec(s);
  if (m) return { host: m[1], port: Number(m[2]), protocol: m[3] ? 'udp' : 'tcp' };
  if ((s.match(/:/g) ?? []).length >= 2) return { host: s, port: 443, protocol: 'tcp' };
  m = /^([^:\s]+?)(?::(\d+))?(\/udp)?$/.exec(s);
  assert.ok(m, `a host line: ${JSON.stringify(s)}`);
  assert.ok(!(m[3] && !m[2]), `/udp needs a port: ${s}`);
  return { host: m[1], port: m[2] ? Number(m[2]) : 443, protocol: m[3] ? 'udp' : 'tcp' };
}

/** The text format's grammar (text.ts header): header comments, then blank-line-separated sections. */
function parseText(text: string): { header: string[]; sections: TextSection[] } {
  assert.ok(text.endsWith('\n'));
  const lines = text.slice(0, -1).split('\n');
  const header: string[] = [];
  let i = 0;
  while (i < lines.length && lines[i].startsWith('#')) header.push(lines[i++]);
  assert.ok(header.length >= 3, 'a header');
  const sections: TextSection[] = [];
  let current: TextSection | undefined;
  for (; i < lines.length; i++) {
    const line = lines[i];
    assert.ok(!/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/.test(line), `no control character: ${JSON.stringify(line)}`);
    if (line === '') {
      assert.ok(lines[i + 1]?.startsWith('# '), `a blank line precedes a section title: ${lines[i + 1]}`);
      current = { title: lines[++i].slice(2), comments: [], hosts: [] };
      sections.push(current);
      continue;
    }
    assert.ok(current, `inside a section: ${line}`);
    if (line.startsWith('#')) current.comments.push(line);
    else if (line.startsWith('  ')) {
      const last = current.hosts[current.hosts.length - 1];
      assert.ok(last && isWildcard(last.host), `an expanded host follows a wildcard: ${line}`);
      const hp = parseHostPort(line.slice(2));
      assert.ok(isName(hp.host), `an exact expanded host: ${line}`);
      assert.equal(hp.port, last.port);
      assert.ok(atOrUnder(hp.host, last.host.slice(2)), `${hp.host} is under ${last.host}`);
      last.expanded.push(hp.host);
    } else {
      const hp = parseHostPort(line);
      assert.ok(kindOf(hp.host), `a valid host: ${line}`);
      current.hosts.push({ ...hp, expanded: [] });
    }
  }
  return { header, sections };
}

describe('allowlist format: text', () => {
  it('follows its grammar, says what generated it from which files, and that it holds no secret', () => {
    for (const name of FIXTURE_NAMES) {
      const { header } = parseText(out(name, 'text'));
      const joined = header.join(' ');
      assert.match(joined, /generated by airgap-lint/);
      for (const f of FIXTURES[name].files.filter((f) => !/[\n$`]/.test(f))) assert.ok(joined.includes(f), `${name}: names ${f}`);
      assert.match(joined, /no token, API key, password/);
    }
    parseText(formatAllowlist(EMPTY, 'text'));
  });

  it('lists every valid host once per feature, wildcards with their exact hosts indented, ports and /udp', () => {
    for (const name of FIXTURE_NAMES) {
      const list = FIXTURES[name];
      const { sections } = parseText(out(name, 'text'));
      for (const s of sections) {
        const keys = s.hosts.map((h) => `${h.host} ${h.port} ${h.protocol}`);
        assert.equal(new Set(keys).size, keys.length, `${name}: no duplicate in "${s.title}"`);
      }
      for (const e of list.entries.filter(validEntry)) {
        const title = plain(e.feature).slice(0, 40);
        const holder = sections.filter((s) => s.title.startsWith(title) && s.hosts.some((h) => h.host === e.host && h.port === e.port && h.protocol === e.protocol));
        assert.equal(holder.length, 1, `${name}: ${e.host}:${e.port} under "${title}…"`);
        const host = holder[0].hosts.find((h) => h.host === e.host && h.port === e.port)!;
        for (const x of e.expands.filter(isName)) assert.ok(host.expanded.includes(x), `${name}: ${x} indented under ${e.host}`);
        if (e.egress === 'node') assert.match(holder[0].title, /node egress/);
        if (e.onlyIf) assert.ok(holder[0].comments.some((c) => c.startsWith('# only if ') && c.includes(e.onlyIf!.replace(/^only if /i, '').slice(0, 20))), `${name}: only if for ${e.host}`);
      }
      for (const e of list.entries.filter((e) => !validEntry(e))) {
        assert.ok(!sections.some((s) => s.hosts.some((h) => h.host === e.host)), `${name}: invalid host ${e.host} is not listed`);
      }
    }
  });

  it('writes Robusta\'s example the way the vendor lists it', () => {
    const text = out('robusta', 'text');
    assert.ok(text.includes('\n\n# Robusta SaaS platform (enabled by charts/robusta/values-prod.yaml:12)\n# why: platform REST API, WebSocket relay, UI links\n*.robusta.dev\n  api.robusta.dev\n  relay.robusta.dev\n'));
    assert.ok(text.includes('\n# Image registry docker.io (node egress: the nodes\' container runtime pulls, not the pods)\n'));
    assert.ok(text.includes('\n# Error reporting (Sentry)\n# only if runner.sentry_dsn or holmes.sentryDSN is set\n'));
    assert.ok(text.includes('\n169.254.169.254:80\n') && text.includes('\nalerts.corp.example.com:8443\n'));
    assert.ok(text.includes('# pattern: bedrock-runtime.<region>.amazonaws.com'));
    assert.ok(text.includes('# not listed: sinksConfig[4].webhook_sink.url (charts/robusta/values-prod.yaml:61): templated value'));
    // node egress after pod egress
    assert.ok(text.indexOf('# Image registry') > text.indexOf('# other'));
  });

  it('merges duplicates within a feature and keeps the feature apart from others', () => {
    const { sections } = parseText(out('edge-cases', 'text'));
    const a = sections.find((s) => s.title.startsWith('Feature A'))!;
    assert.deepEqual(a.hosts.map((h) => h.host), ['shared.example.net']);
    assert.ok(a.comments.includes('# why: needed by A; needed by A (second value)'));
    assert.ok(a.comments.includes('# source: edge/values.yaml:5'));
    assert.ok(sections.find((s) => s.title.startsWith('Feature B'))!.hosts.some((h) => h.host === 'shared.example.net'));
    const text = out('edge-cases', 'text');
    for (const l of ['[2001:db8::10]', '2001:db8::10', '2001:db8:100::/48', '198.51.100.0/24:8443', 'pool.ntp.org:123/udp', '  0.pool.ntp.org:123/udp', 'api.example.com:8443']) {
      assert.ok(text.split('\n').includes(l) || l.startsWith('['), `${l}`);
    }
    assert.ok(text.includes('# not listed: 3 entries with a host or port that is not valid'));
  });
});

// ---------------------------------------------------------------------------------------------
// json and csv

const JSON_KEYS = ['host', 'port', 'feature', 'reason', 'egress', 'wildcard', 'expands', 'enabledBy', 'sources', 'protocol', 'onlyIf'];

describe('allowlist formats: json and csv', () => {
  it('json: the CLI contract shape, one entry per feature and host:port, onlyIf and protocol', () => {
    for (const name of FIXTURE_NAMES) {
      const list = FIXTURES[name];
      const doc = JSON.parse(out(name, 'json'));
      assert.deepEqual(Object.keys(doc), ['version', 'entries', 'files', 'skipped']);
      assert.equal(doc.version, 1);
      for (const s of doc.skipped) assert.deepEqual(Object.keys(s).sort(), ['key', 'line', 'path', 'reason']);
      const seen = new Set<string>();
      for (const e of doc.entries) {
        assert.deepEqual(Object.keys(e), JSON_KEYS);
        assert.ok(kindOf(e.host), e.host);
        assert.equal(e.wildcard, e.host.startsWith('*.'));
        assert.ok(e.egress === 'pod' || e.egress === 'node');
        assert.ok(e.protocol === 'tcp' || e.protocol === 'udp');
        assert.ok(e.enabledBy === null || (typeof e.enabledBy.path === 'string' && typeof e.enabledBy.line === 'number'));
        for (const s of e.sources) assert.deepEqual(Object.keys(s), ['path', 'line']);
        for (const x of e.expands) assert.ok(isName(x), x);
        const key = JSON.stringify([e.feature, e.egress, e.host, e.port, e.protocol]);
        assert.ok(!seen.has(key), `once per feature: ${key}`);
        seen.add(key);
      }
      for (const e of list.entries.filter(validEntry)) {
        const found = doc.entries.find((j: any) => j.feature === e.feature && j.host === e.host && j.port === e.port && j.protocol === e.protocol);
        assert.ok(found, `${name}: ${e.host}:${e.port} (${e.feature})`);
        assert.ok(found.reason.includes(e.reason), 'reason kept');
        if (!list.entries.some((o) => o !== e && o.feature === e.feature && o.host === e.host && o.port === e.port && !o.onlyIf)) {
          assert.equal(found.onlyIf, e.onlyIf ?? null);
        }
      }
    }
    const edge = JSON.parse(out('edge-cases', 'json'));
    const a = edge.entries.find((e: any) => e.feature === 'Feature A');
    assert.equal(a.reason, 'needed by A; needed by A (second value)');
    assert.deepEqual(a.sources, [{ path: 'edge/values.yaml', line: 5 }]);
    const hostile = edge.entries.find((e: any) => e.host === 'hostile.example.com');
    assert.equal(hostile.feature, FIXTURES['edge-cases'].entries.find((e) => e.host === 'hostile.example.com')!.feature, 'strings kept as they are, JSON-escaped');
    assert.ok(edge.entries.some((e: any) => e.host === 'pool.ntp.org' && e.protocol === 'udp' && e.port === 123));
    assert.ok(edge.entries.some((e: any) => e.host === '198.51.100.0/24'));
  });

  it('csv: RFC 4180 rows that read back to the json entries; formulas neutralised', function () {
    for (const name of FIXTURE_NAMES) {
      const text = out(name, 'csv');
      const rows = parseCsv(text);
      assert.deepEqual(rows[0], ['host', 'port', 'protocol', 'feature', 'reason', 'egress', 'wildcard', 'expands', 'enabled_by', 'sources', 'only_if']);
      const json = JSON.parse(out(name, 'json')).entries;
      assert.equal(rows.length - 1, json.length, name);
      json.forEach((e: any, i: number) => {
        const r = rows[i + 1];
        const un = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);
        assert.deepEqual(
          [r[0], Number(r[1]), r[2], un(r[3]), un(r[4]), r[5], r[6] === 'true', r[7] === '' ? [] : r[7].split(' '), r[10]],
          [e.host, e.port, e.protocol, e.feature, e.reason, e.egress, e.wildcard, e.expands, e.onlyIf ?? ''],
        );
        for (const cell of r) assert.ok(!/^[=+\-@]/.test(cell), `no formula: ${cell}`);
      });
    }
    const python = which('python3');
    if (!python) return;
    const py = spawnSync(python, ['-c', 'import csv,sys,json; print(json.dumps(list(csv.reader(sys.stdin, strict=True))))'], { input: out('edge-cases', 'csv'), encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    assert.deepEqual(JSON.parse(py.stdout), parseCsv(out('edge-cases', 'csv')), "Python's csv module reads the same rows");
  });
});

/** RFC 4180 reader: CRLF records, quoted fields with "" escapes and embedded line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let wasQuoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
        assert.ok(text[i] === ',' || text.startsWith('\r\n', i), `a closing quote ends the field at ${i}`);
      } else field += text[i++];
    } else if (c === '"') {
      assert.equal(field, '', 'a quote starts a field');
      quoted = wasQuoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      wasQuoted = false;
      i++;
    } else if (text.startsWith('\r\n', i)) {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      wasQuoted = false;
      i += 2;
    } else {
      assert.ok(c !== '\n' && c !== '\r', 'line breaks only inside quotes');
      field += c;
      i++;
    }
  }
  assert.ok(!quoted && field === '' && row.length === 0 && !wasQuoted, 'ends with CRLF');
  return rows;
}

// ---------------------------------------------------------------------------------------------
// squid

interface SquidAcl {
  name: string;
  type: string;
  values: string[];
}

/** A small grammar of the squid.conf lines we write: comments, acl, http_access. */
function parseSquid(text: string): { acls: Map<string, SquidAcl>; access: string[][] } {
  const acls = new Map<string, SquidAcl>();
  const access: string[][] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) {
      assert.ok(!/[\u0000-\u001f\u2028\u2029]/.test(line), 'one-line comment');
      continue;
    }
    const words = line.split(' ');
    if (words[0] === 'acl') {
      assert.ok(words.length >= 4, line);
      const [, name, type, ...rest] = words;
      assert.match(name, /^[A-Za-z0-9_-]+$/);
      const values = rest.filter((v) => v !== '-n');
      assert.equal(values.length, 1, `one value per acl line: ${line}`);
      const acl = acls.get(name) ?? { name, type, values: [] };
      assert.equal(acl.type, type, `ACL ${name} keeps one type`);
      acl.values.push(values[0]);
      acls.set(name, acl);
      if (type === 'dstdomain') assert.ok(isName(values[0].replace(/^\./, '')), `a domain: ${line}`);
      else if (type === 'dst') assert.ok(net.isIP(values[0]) !== 0 || isCidr(values[0]), `an address: ${line}`);
      else if (type === 'port') assert.match(values[0], /^\d+$/);
      else assert.fail(`unexpected ACL type: ${line}`);
    } else if (words[0] === 'http_access') {
      assert.equal(words[1], 'allow', line);
      const names = words.slice(2);
      for (const n of names) assert.ok(acls.has(n), `http_access uses a defined ACL: ${n}`);
      assert.ok(names.some((n) => acls.get(n)?.type === 'port'), `each allow line has a port: ${line}`);
      access.push(names);
    } else assert.fail(`unexpected squid line: ${JSON.stringify(line)}`);
  }
  // the rule squid enforces at start-up: no value of a dstdomain ACL at or under a ".x" of it
  for (const acl of acls.values()) {
    if (acl.type !== 'dstdomain') continue;
    const dotted = acl.values.filter((v) => v.startsWith('.')).map((v) => v.slice(1));
    for (const v of acl.values) {
      const name = v.replace(/^\./, '');
      const parent = dotted.find((d) => d !== name && atOrUnder(name, d));
      assert.equal(parent, undefined, `${acl.name}: ${v} is under .${parent}`);
      if (!v.startsWith('.')) assert.ok(!dotted.includes(name), `${acl.name}: ${v} beside .${name}`);
    }
    assert.equal(new Set(acl.values).size, acl.values.length, `${acl.name}: no duplicate`);
  }
  return { acls, access };
}

/** Whether a parsed squid config lets a request for host:port through (the http_access rules). */
function squidAllows(p: ReturnType<typeof parseSquid>, host: string, port: number): boolean {
  return p.access.some((names) =>
    names.every((n) => {
      const acl = p.acls.get(n)!;
      if (acl.type === 'port') return acl.values.includes(String(port));
      if (acl.type === 'dst') return acl.values.some((v) => v === host || (isCidr(v) && inCidr(host.split('/')[0], v)));
      return acl.values.some((v) => (v.startsWith('.') ? atOrUnder(host, v.slice(1)) : v === host));
    }),
  );
}

describe('allowlist format: squid', () => {
  it('parses with the squid grammar, no dstdomain value under another, parents first', () => {
    for (const name of FIXTURE_NAMES) parseSquid(out(name, 'squid'));
    parseSquid(formatAllowlist(EMPTY, 'squid'));
  });

  it('allows every enabled TCP host on its port (wildcards as .x), node egress kept, onlyIf and UDP left out', () => {
    for (const name of FIXTURE_NAMES) {
      const list = FIXTURES[name];
      const text = out(name, 'squid');
      const p = parseSquid(text);
      for (const x of expectedOn(list)) {
        if (x.protocol === 'udp') {
          assert.ok(!squidAllows(p, x.host, x.port), `${name}: UDP ${x.host} left out`);
          continue;
        }
        const probe = x.kind === 'wildcard' ? `probe.${x.host.slice(2)}` : x.host;
        assert.ok(squidAllows(p, probe, x.port), `${name}: ${x.host}:${x.port}`);
      }
      for (const x of expectedOffOnly(list)) {
        const probe = x.kind === 'wildcard' ? `probe.${x.host.slice(2)}` : x.host;
        assert.ok(!squidAllows(p, probe, x.port), `${name}: ${x.host} is off`);
        assert.ok(text.includes(`#   ${x.host}`), `${name}: ${x.host} listed as left out`);
      }
    }
    const edge = out('edge-cases', 'squid');
    assert.ok(edge.includes('acl airgap_lint_allowed dstdomain -n .example.com'));
    assert.ok(edge.includes('#   example.com (Wildcards: the apex, listed apart): covered by .example.com'));
    assert.ok(edge.includes('#   .eu.example.com (') && edge.includes('#   198.51.100.7 ('));
    assert.ok(edge.includes('acl SSL_ports port 8443') && !edge.includes('acl SSL_ports port 80\n'));
    assert.equal(edge.split('\n').filter((l) => l.endsWith('dstdomain -n shared.example.net')).length, 1, 'a host needed by several features once');
    assert.ok(edge.includes('# Feature A; Feature B: needed by A; needed by B too'));
    assert.match(out('robusta', 'squid'), /# Image registry docker\.io: .*\[node egress/);
  });

  it('is accepted by squid -k parse, alone and inside Debian\'s default squid.conf', function () {
    this.timeout(60000);
    const squid = which('squid') ?? (existsSync('/usr/sbin/squid') ? '/usr/sbin/squid' : undefined);
    if (!squid) return skipOrFail(this, 'squid is not installed (apt-get install -y squid)');
    const dir = mkdtempSync(path.join(tmpdir(), 'airgap-squid-'));
    try {
      const configs: Array<[string, string]> = [];
      for (const name of [...FIXTURE_NAMES, 'empty']) {
        const snippet = path.join(dir, `${name}.conf`);
        writeFileSync(snippet, name === 'empty' ? formatAllowlist(EMPTY, 'squid') : out(name, 'squid'));
        const minimal = path.join(dir, `${name}-minimal.conf`);
        writeFileSync(minimal, `http_port 127.0.0.1:3128\ncache deny all\ninclude ${snippet}\nhttp_access deny all\n`);
        configs.push([name, minimal]);
        if (existsSync('/etc/squid/squid.conf')) {
          const debian = readFileSync('/etc/squid/squid.conf', 'utf8');
          assert.ok(debian.includes('include /etc/squid/conf.d/*.conf'));
          const full = path.join(dir, `${name}-debian.conf`);
          writeFileSync(full, debian.replace('include /etc/squid/conf.d/*.conf', `include ${snippet}`).replace(/^http_port .*$/m, 'http_port 127.0.0.1:3128'));
          configs.push([`${name} in Debian's squid.conf`, full]);
        }
      }
      for (const [what, conf] of configs) {
        const r: SpawnSyncReturns<string> = spawnSync(squid, ['-k', 'parse', '-f', conf], { encoding: 'utf8', timeout: 20000 });
        const log = `${r.stdout}${r.stderr}`;
        assert.equal(r.status, 0, `${what}: squid -k parse failed:\n${log}`);
        const problems = log.split('\n').filter((l) => /ERROR|FATAL|WARNING|Bungled/.test(l) && /airgap_lint|SSL_ports|Safe_ports|subdomain|subnetwork/.test(l));
        assert.deepEqual(problems, [], what);
        assert.ok(/Processing: acl airgap_lint_allowed|Processing Configuration File/.test(log), `${what}: squid read it`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Kubernetes formats

function podTargets(list: Allowlist): Expected[] {
  return expectedOn(list).filter((x) => !x.node);
}

describe('allowlist format: cilium', () => {
  const validate = schema('cilium.io_ciliumnetworkpolicy_v2.json');

  it('is a CiliumNetworkPolicy valid against Cilium\'s CRD schema, with the DNS rule first', () => {
    for (const name of [...FIXTURE_NAMES]) {
      const docs = yamlDocs(out(name, 'cilium'));
      assert.equal(docs.length, 1);
      const p = docs[0];
      assert.equal(p.apiVersion, 'cilium.io/v2');
      assert.equal(p.kind, 'CiliumNetworkPolicy');
      assert.equal(p.metadata.namespace, 'monitoring');
      assert.deepEqual(p.spec.endpointSelector, { matchLabels: { 'app.kubernetes.io/name': 'robusta-runner' } });
      assertValid(validate, p, `${name} cilium`);
      const dns = p.spec.egress[0];
      assert.deepEqual(dns.toEndpoints, [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }]);
      assert.deepEqual(dns.toPorts[0].ports, [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }]);
      assert.deepEqual(dns.toPorts[0].rules.dns, [{ matchPattern: '*' }]);
    }
    const empty = yamlDocs(formatAllowlist(EMPTY, 'cilium'))[0];
    assertValid(validate, empty, 'empty cilium');
    assert.deepEqual(empty.spec.endpointSelector, { matchLabels: {} }, 'no selector: every pod of the namespace');
  });

  it('allows each pod host on its ports once (one rule per port set), wildcards as matchPattern plus deeper hosts by name', () => {
    for (const name of FIXTURE_NAMES) {
      const list = FIXTURES[name];
      const text = out(name, 'cilium');
      const p = yamlDocs(text)[0];
      const rules = p.spec.egress.slice(1) as any[];
      const seen = new Map<string, number>();
      for (const r of rules) {
        const sel = [...(r.toFQDNs ?? []).map((s: any) => s.matchName ?? s.matchPattern), ...(r.toCIDR ?? [])];
        for (const s of sel) seen.set(s, (seen.get(s) ?? 0) + 1);
        const portKeys = (r.toPorts?.[0]?.ports ?? []).map((x: any) => `${x.port}/${x.protocol}`);
        assert.equal(new Set(portKeys).size, portKeys.length);
        for (const s of r.toFQDNs ?? []) assert.ok(s.matchPattern !== '*', 'no bare * outside the DNS rule');
      }
      for (const [s, n] of seen) assert.equal(n, 1, `${name}: ${s} in one rule only`);
      const rulesFor = (sel: string) => rules.filter((r) => (r.toFQDNs ?? []).some((s: any) => s.matchName === sel || s.matchPattern === sel) || (r.toCIDR ?? []).includes(sel));
      for (const x of podTargets(list)) {
        const sel = x.kind === 'ip' ? asCidr(x.host) : x.host;
        const [rule] = rulesFor(sel);
        assert.ok(rule, `${name}: ${sel}`);
        assert.ok(rule.toPorts[0].ports.some((q: any) => q.port === String(x.port) && q.protocol === x.protocol.toUpperCase()), `${name}: ${sel} on ${x.port}/${x.protocol}`);
        if (x.kind === 'wildcard') {
          assert.ok(rule.toFQDNs.some((s: any) => s.matchPattern === x.host), 'matchPattern');
          for (const d of x.expands.filter((d) => d.slice(0, -(x.host.length - 1)).includes('.'))) {
            assert.ok(rule.toFQDNs.some((s: any) => s.matchName === d), `${name}: deeper ${d} by name`);
          }
        }
      }
      for (const h of hostsOnlyIn(list, (x) => !x.node, (x) => x.node)) {
        assert.ok(!seen.has(h) && !seen.has(asCidr(h)), `${name}: node egress / off feature ${h} left out`);
      }
      if (list.entries.some((e) => e.onlyIf)) assert.match(text, /# Left out: features that are off/);
      if (list.entries.some((e) => e.egress === 'node')) assert.match(text, /# Left out: node egress\. Image pulls are made by the nodes' container runtime/);
    }
    const text = out('robusta', 'cilium');
    assert.match(text, /"\*" is one DNS label: \*\.amazonaws\.com matches a\.amazonaws\.com, not a\.b\.amazonaws\.com/);
    assert.match(text, /"\*\*\.amazonaws\.com", Cilium >= 1\.19/);
    assert.match(text, /# bedrock-runtime\.us-east-1\.amazonaws\.com: deeper than \*\.amazonaws\.com matches/);
    const edge = yamlDocs(out('edge-cases', 'cilium'))[0];
    const ntp = edge.spec.egress.find((r: any) => (r.toFQDNs ?? []).some((s: any) => s.matchName === 'pool.ntp.org'));
    assert.deepEqual(ntp.toPorts, [{ ports: [{ port: '123', protocol: 'UDP' }] }]);
    const api = edge.spec.egress.find((r: any) => (r.toFQDNs ?? []).some((s: any) => s.matchName === 'api.example.com'));
    assert.deepEqual(api.toPorts[0].ports, [{ port: '443', protocol: 'TCP' }, { port: '8443', protocol: 'TCP' }]);
    assert.ok(edge.spec.egress.some((r: any) => r.toEntities?.includes('kube-apiserver')));
  });
});

describe('allowlist format: egressfirewall', () => {
  const validate = schema('k8s.ovn.org_egressfirewall_v1.json');

  it('is one EgressFirewall named default, valid against OVN-Kubernetes\' CRD schema: API server first, Deny 0.0.0.0/0 last', () => {
    for (const name of FIXTURE_NAMES) {
      const docs = yamlDocs(out(name, 'egressfirewall'));
      assert.equal(docs.length, 1);
      const f = docs[0];
      assert.equal(f.apiVersion, 'k8s.ovn.org/v1');
      assert.equal(f.kind, 'EgressFirewall');
      assert.deepEqual(f.metadata, { name: 'default', namespace: 'monitoring' });
      assertValid(validate, f, `${name} egressfirewall`);
      const rules = f.spec.egress as any[];
      assert.deepEqual(rules[0], { type: 'Allow', to: { nodeSelector: { matchLabels: { 'node-role.kubernetes.io/control-plane': '' } } } });
      assert.deepEqual(rules[rules.length - 1], { type: 'Deny', to: { cidrSelector: '0.0.0.0/0' } });
      for (const r of rules.slice(1, -1)) {
        assert.equal(r.type, 'Allow');
        assert.equal(Object.keys(r.to).length, 1);
        if (r.to.cidrSelector) assert.ok(isCidr(r.to.cidrSelector), r.to.cidrSelector);
      }
    }
    const withApi = yamlDocs(formatAllowlist(FIXTURES.robusta, 'egressfirewall', { ...OPTIONS, apiServerCIDR: '10.0.0.10' }))[0];
    assert.deepEqual(withApi.spec.egress[0], { type: 'Allow', to: { cidrSelector: '10.0.0.10/32' } });
    assertValid(validate, yamlDocs(formatAllowlist(EMPTY, 'egressfirewall'))[0], 'empty egressfirewall');
  });

  it('allows every pod host once with all its ports, wildcards plus their exact hosts, and says what needs DNSNameResolver', () => {
    for (const name of FIXTURE_NAMES) {
      const list = FIXTURES[name];
      const text = out(name, 'egressfirewall');
      const rules = (yamlDocs(text)[0].spec.egress as any[]).slice(1, -1);
      const tos = rules.map((r) => r.to.dnsName ?? r.to.cidrSelector);
      assert.equal(new Set(tos).size, tos.length, `${name}: one rule per destination`);
      for (const x of podTargets(list)) {
        const to = x.kind === 'ip' ? asCidr(x.host) : x.host;
        const r = rules.find((q) => (q.to.dnsName ?? q.to.cidrSelector) === to);
        assert.ok(r, `${name}: ${to}`);
        assert.ok(r.ports.some((p: any) => p.port === x.port && p.protocol === x.protocol.toUpperCase()), `${name}: ${to} port ${x.port}`);
        for (const e of x.expands) assert.ok(tos.includes(e), `${name}: ${e} of ${x.host}`);
      }
      for (const h of hostsOnlyIn(list, (x) => !x.node, (x) => x.node)) assert.ok(!tos.includes(h) && !tos.includes(asCidr(h)), `${name}: ${h} left out`);
    }
    assert.match(out('robusta', 'egressfirewall'), /needs DNSNameResolver/);
  });
});

describe('allowlist format: istio', () => {
  const validate = schema('networking.istio.io_serviceentry_v1.json');

  /** The CEL rules of the CRD (x-kubernetes-validations), which ajv does not run. */
  function celChecks(se: any, what: string): void {
    const spec = se.spec;
    for (const h of spec.hosts) assert.notEqual(h, '*', `${what}: hostname cannot be wildcard`);
    const resolution = spec.resolution ?? 'NONE';
    if ((spec.addresses ?? []).some((a: string) => a.includes('/'))) assert.ok(['STATIC', 'NONE'].includes(resolution), `${what}: CIDR addresses need NONE/STATIC`);
    const numbers = spec.ports.map((p: any) => p.number);
    assert.equal(new Set(numbers).size, numbers.length, `${what}: port number cannot be duplicated`);
    for (const p of spec.ports) {
      assert.ok(p.number > 0 && p.number <= 65535);
      assert.match(p.name, /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/);
    }
  }

  it('writes ServiceEntries valid against Istio\'s schema and CEL rules: MESH_EXTERNAL, DNS for names, NONE for wildcards and addresses', () => {
    for (const name of FIXTURE_NAMES) {
      const docs = yamlDocs(out(name, 'istio'));
      assert.ok(docs.length >= 1);
      for (const se of docs) {
        const what = `${name} ${se.metadata.name}`;
        assert.equal(se.apiVersion, 'networking.istio.io/v1');
        assert.equal(se.kind, 'ServiceEntry');
        assert.match(se.metadata.name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
        assert.equal(se.metadata.namespace, 'monitoring');
        assertValid(validate, se, what);
        celChecks(se, what);
        assert.equal(se.spec.location, 'MESH_EXTERNAL');
        assert.deepEqual(se.spec.exportTo, ['.']);
        const wild = se.spec.hosts.some((h: string) => h.startsWith('*'));
        if (wild || se.spec.addresses) assert.equal(se.spec.resolution, 'NONE', `${what}: never DNS with a wildcard`);
        else assert.equal(se.spec.resolution, 'DNS');
        for (const p of se.spec.ports) assert.ok((p.protocol === 'TLS' && p.name === `tls-${p.number}`) || (p.protocol === 'HTTP' && p.name === `http-${p.number}`));
      }
      const names = docs.map((d) => d.metadata.name);
      assert.equal(new Set(names).size, names.length, `${name}: unique names`);
    }
    assert.deepEqual(yamlDocs(formatAllowlist(EMPTY, 'istio')), [], 'an empty list is only comments');
  });

  it('registers each pod TCP host once with its ports; UDP, node egress and onlyIf left out; a Sidecar example', () => {
    for (const name of FIXTURE_NAMES) {
      const list = FIXTURES[name];
      const text = out(name, 'istio');
      const docs = yamlDocs(text);
      const where = new Map<string, any[]>();
      for (const se of docs) for (const h of se.spec.addresses ?? se.spec.hosts) where.set(h, [...(where.get(h) ?? []), se]);
      for (const [h, ses] of where) assert.equal(ses.length, 1, `${name}: ${h} once overall`);
      for (const x of podTargets(list)) {
        const key = x.kind === 'ip' ? asCidr(x.host) : x.host;
        if (x.protocol === 'udp') {
          assert.ok(!where.has(key), `${name}: UDP ${key}`);
          continue;
        }
        const se = where.get(key)?.[0];
        assert.ok(se, `${name}: ${key}`);
        assert.ok(se.spec.ports.some((p: any) => p.number === x.port), `${name}: ${key} port ${x.port}`);
      }
      for (const h of hostsOnlyIn(list, (x) => !x.node && x.protocol === 'tcp', (x) => x.node || x.protocol === 'udp')) {
        assert.ok(!where.has(h) && !where.has(asCidr(h)), `${name}: ${h} left out`);
      }
      const sidecar = commentedExample(text);
      assert.equal(sidecar.kind, 'Sidecar');
      assert.deepEqual(sidecar.spec.outboundTrafficPolicy, { mode: 'REGISTRY_ONLY' });
      assert.deepEqual(sidecar.spec.workloadSelector, { labels: { 'app.kubernetes.io/name': 'robusta-runner' } });
    }
    assert.match(out('edge-cases', 'istio'), /# Left out: UDP, which Istio sidecars do not intercept:\n#   pool\.ntp\.org:123\/udp/);
  });
});

describe('allowlist format: calico', () => {
  const validate = schema('projectcalico.org_globalnetworkset_v3.json');

  it('writes GlobalNetworkSets valid against the Calico Enterprise v3 schema, one per port set, and an example policy that allows each on its ports', () => {
    for (const name of FIXTURE_NAMES) {
      const list = FIXTURES[name];
      const text = out(name, 'calico');
      const sets = yamlDocs(text);
      const policy = commentedExample(text);
      assert.equal(policy.kind, 'GlobalNetworkPolicy');
      assert.equal(policy.spec.selector, "projectcalico.org/namespace == 'monitoring' && app.kubernetes.io/name == 'robusta-runner'");
      const where = new Map<string, any>();
      for (const s of sets) {
        assert.equal(s.apiVersion, 'projectcalico.org/v3');
        assert.equal(s.kind, 'GlobalNetworkSet');
        assertValid(validate, s, `${name} ${s.metadata.name}`);
        assert.equal(s.metadata.labels['airgap-lint.io/egress-set'], s.metadata.name);
        for (const d of s.spec.allowedEgressDomains ?? []) {
          assert.ok(isName(d) || isWildcard(d), `${name}: a supported domain form ${d}`);
          where.set(d, s);
        }
        for (const n of s.spec.nets ?? []) {
          assert.ok(isCidr(n), n);
          where.set(n, s);
        }
        assert.ok(policy.spec.egress.some((r: any) => r.destination.selector === `airgap-lint.io/egress-set == '${s.metadata.name}'`), `${name}: the policy uses ${s.metadata.name}`);
      }
      for (const x of podTargets(list)) {
        const key = x.kind === 'ip' ? asCidr(x.host) : x.host;
        const s = where.get(key);
        assert.ok(s, `${name}: ${key}`);
        assert.ok(
          policy.spec.egress.some((r: any) => r.destination.selector === `airgap-lint.io/egress-set == '${s.metadata.name}'` && r.protocol === x.protocol.toUpperCase() && r.destination.ports.includes(x.port)),
          `${name}: ${key} allowed on ${x.port}/${x.protocol}`,
        );
      }
      for (const h of hostsOnlyIn(list, (x) => !x.node, (x) => x.node)) assert.ok(!where.has(h) && !where.has(asCidr(h)), `${name}: ${h} left out`);
    }
    assert.match(out('robusta', 'calico'), /"\*\.x" matches one or\n# more labels under x, not x/);
  });
});

// ---------------------------------------------------------------------------------------------
// cloud firewalls (JSON)

/** AWS API reference: RuleGroup → RulesSource → RulesSourceList (create-rule-group --rule-group). */
const AWS_RULE_GROUP_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['RulesSource'],
  properties: {
    RuleVariables: { type: 'object' },
    ReferenceSets: { type: 'object' },
    StatefulRuleOptions: { type: 'object' },
    RulesSource: {
      type: 'object',
      additionalProperties: false,
      properties: {
        RulesString: { type: 'string' },
        StatefulRules: { type: 'array' },
        StatelessRulesAndCustomActions: { type: 'object' },
        RulesSourceList: {
          type: 'object',
          additionalProperties: false,
          required: ['Targets', 'TargetTypes', 'GeneratedRulesType'],
          properties: {
            Targets: { type: 'array', items: { type: 'string', minLength: 1 } },
            TargetTypes: { type: 'array', minItems: 1, items: { enum: ['TLS_SNI', 'HTTP_HOST'] } },
            GeneratedRulesType: { enum: ['ALLOWLIST', 'DENYLIST', 'REJECTLIST', 'ALERTLIST'] },
          },
        },
      },
    },
  },
};

/** azure-rest-api-specs firewallPolicy.json (2024-05-01): rule collection group properties. */
const AZURE_RULE_COLLECTION_GROUP_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['priority', 'ruleCollections'],
  properties: {
    priority: { type: 'integer', minimum: 100, maximum: 65000 },
    ruleCollections: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['ruleCollectionType', 'name', 'priority', 'action', 'rules'],
        properties: {
          ruleCollectionType: { const: 'FirewallPolicyFilterRuleCollection' },
          name: { type: 'string', minLength: 1 },
          priority: { type: 'integer', minimum: 100, maximum: 65000 },
          action: { type: 'object', additionalProperties: false, properties: { type: { enum: ['Allow', 'Deny'] } } },
          rules: {
            type: 'array',
            items: {
              oneOf: [
                {
                  type: 'object',
                  additionalProperties: false,
                  required: ['ruleType', 'name', 'sourceAddresses', 'protocols', 'targetFqdns'],
                  properties: {
                    ruleType: { const: 'ApplicationRule' },
                    name: { type: 'string' },
                    description: { type: 'string' },
                    sourceAddresses: { type: 'array', items: { type: 'string' } },
                    protocols: {
                      type: 'array',
                      minItems: 1,
                      items: { type: 'object', additionalProperties: false, properties: { protocolType: { enum: ['Http', 'Https'] }, port: { type: 'integer', minimum: 0, maximum: 64000 } } },
                    },
                    targetFqdns: { type: 'array', minItems: 1, items: { type: 'string' } },
                  },
                },
                {
                  type: 'object',
                  additionalProperties: false,
                  required: ['ruleType', 'name', 'ipProtocols', 'sourceAddresses', 'destinationPorts'],
                  properties: {
                    ruleType: { const: 'NetworkRule' },
                    name: { type: 'string' },
                    description: { type: 'string' },
                    ipProtocols: { type: 'array', items: { enum: ['TCP', 'UDP', 'Any', 'ICMP'] } },
                    sourceAddresses: { type: 'array', items: { type: 'string' } },
                    destinationAddresses: { type: 'array', items: { type: 'string' } },
                    destinationFqdns: { type: 'array', items: { type: 'string' } },
                    destinationPorts: { type: 'array', items: { type: 'string', pattern: '^[0-9]+$' } },
                  },
                },
              ],
            },
          },
        },
      },
    },
  },
};

function strings(value: unknown, at = '$'): Array<[string, string]> {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}.${k}`));
  return [];
}

describe('allowlist formats: aws-network-firewall and azure-firewall', () => {
  it('aws: exactly the RuleGroup create-rule-group takes; .x for wildcards, nothing under a listed .x, node egress kept', () => {
    const validate = ajv().compile(AWS_RULE_GROUP_SCHEMA);
    for (const name of [...FIXTURE_NAMES]) {
      const list = FIXTURES[name];
      const group = JSON.parse(out(name, 'aws-network-firewall'));
      assertValid(validate, group, `${name} aws`);
      const { Targets, TargetTypes, GeneratedRulesType } = group.RulesSource.RulesSourceList;
      assert.deepEqual(TargetTypes, ['TLS_SNI', 'HTTP_HOST']);
      assert.equal(GeneratedRulesType, 'ALLOWLIST');
      const dotted = Targets.filter((t: string) => t.startsWith('.')).map((t: string) => t.slice(1));
      for (const t of Targets) {
        assert.ok(isName(t.replace(/^\./, '')), `${name}: a domain target ${t}`);
        const bare = t.replace(/^\./, '');
        assert.ok(!dotted.some((d: string) => d !== bare && atOrUnder(bare, d)) && !(t === bare && dotted.includes(bare)), `${name}: ${t} is not covered by another target`);
      }
      assert.equal(new Set(Targets).size, Targets.length);
      const covers = (host: string) => Targets.includes(host) || dotted.some((d: string) => atOrUnder(host, d));
      for (const x of expectedOn(list)) {
        if (x.kind === 'ip' || x.kind === 'cidr') {
          assert.ok(!Targets.includes(x.host), `${name}: no IP ${x.host}`);
          continue;
        }
        if (x.protocol === 'udp' && !expectedOn(list).some((o) => o.host === x.host && o.protocol === 'tcp')) {
          assert.ok(!covers(x.host.replace(/^\*\./, '')) || dotted.some((d: string) => x.host !== `*.${d}` && atOrUnder(x.host.replace(/^\*\./, ''), d)), `${name}: UDP ${x.host} is not a target`);
          continue;
        }
        assert.ok(covers(x.kind === 'wildcard' ? `probe.${x.host.slice(2)}` : x.host), `${name}: ${x.host}`);
        if (x.kind === 'wildcard') assert.ok(covers(x.host.slice(2)), '.x also opens x');
      }
      for (const x of expectedOffOnly(list)) assert.ok(!Targets.includes(x.host) && !Targets.includes(`.${x.host.slice(2)}`), `${name}: ${x.host} is off`);
    }
    assert.ok(JSON.parse(out('robusta', 'aws-network-firewall')).RulesSource.RulesSourceList.Targets.includes('registry-1.docker.io'), 'node egress kept');
  });

  it('azure: an ARM template of a rule collection group valid against the REST spec; *.x with x beside it; IPs and UDP in network rules; no ARM expression injected', () => {
    const validate = ajv().compile(AZURE_RULE_COLLECTION_GROUP_SCHEMA);
    for (const name of [...FIXTURE_NAMES]) {
      const list = FIXTURES[name];
      const template = JSON.parse(out(name, 'azure-firewall'));
      assert.equal(template.$schema, 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#');
      assert.equal(template.contentVersion, '1.0.0.0');
      assert.equal(template.parameters.firewallPolicyName.type, 'string');
      assert.equal(template.resources.length, 1);
      const res = template.resources[0];
      assert.equal(res.type, 'Microsoft.Network/firewallPolicies/ruleCollectionGroups');
      assert.equal(res.apiVersion, '2024-05-01');
      assertValid(validate, res.properties, `${name} azure`);
      for (const [at, s] of strings(template)) {
        if (at === '$.resources[0].name') continue;
        assert.ok(!(s.startsWith('[') && !s.startsWith('[[')), `${name}: ${at} would be an ARM expression: ${s}`);
      }
      const rules = res.properties.ruleCollections.flatMap((c: any) => c.rules);
      const app = rules.filter((r: any) => r.ruleType === 'ApplicationRule');
      const netRules = rules.filter((r: any) => r.ruleType === 'NetworkRule');
      for (const r of app) {
        for (const f of r.targetFqdns) {
          assert.ok(isName(f) || isWildcard(f), `${name}: ${f}`);
          if (f.startsWith('*.')) assert.ok(r.targetFqdns.includes(f.slice(2)), `${name}: apex of ${f} beside it`);
        }
        for (const p of r.protocols) assert.equal(p.protocolType, p.port === 80 ? 'Http' : 'Https');
      }
      for (const r of netRules) for (const f of [...(r.destinationFqdns ?? []), ...(r.destinationAddresses ?? [])]) assert.ok(!f.includes('*'), `${name}: no wildcard in network rules`);
      const names = rules.map((r: any) => r.name);
      assert.equal(new Set(names).size, names.length, 'unique rule names');
      for (const x of expectedOn(list)) {
        if (x.kind === 'ip' || x.kind === 'cidr') {
          assert.ok(netRules.some((r: any) => (r.destinationAddresses ?? []).includes(asCidr(x.host)) && r.destinationPorts.includes(String(x.port)) && r.ipProtocols.includes(x.protocol.toUpperCase())), `${name}: ${x.host}`);
        } else if (x.protocol === 'udp' || x.port > 64000) {
          if (x.kind === 'name') assert.ok(netRules.some((r: any) => (r.destinationFqdns ?? []).includes(x.host) && r.destinationPorts.includes(String(x.port))), `${name}: ${x.host} in a network rule`);
          else assert.ok(template.metadata.leftOut.some((l: string) => l.startsWith(`${x.host}:`)), `${name}: ${x.host} said left out`);
        } else {
          const probe = x.kind === 'wildcard' ? `probe.${x.host.slice(2)}` : x.host;
          assert.ok(
            app.some((r: any) => r.protocols.some((p: any) => p.port === x.port) && r.targetFqdns.some((f: string) => f === probe || (f.startsWith('*.') && probe.endsWith(f.slice(1))))),
            `${name}: ${x.host}:${x.port}`,
          );
        }
      }
      for (const x of expectedOffOnly(list)) assert.ok(!strings(res).some(([, s]) => s === x.host), `${name}: ${x.host} is off`);
    }
    const edge = JSON.parse(out('edge-cases', 'azure-firewall'));
    assert.ok(strings(edge).some(([, s]) => s.startsWith("[[parameters('firewallPolicyName')]")), 'a leading [ is escaped as [[');
    assert.ok(JSON.parse(out('robusta', 'azure-firewall')).resources[0].properties.ruleCollections.some((c: any) => c.rules.some((r: any) => (r.targetFqdns ?? []).includes('registry-1.docker.io'))), 'node egress kept');
  });
});

// ---------------------------------------------------------------------------------------------
// verify

function entry(over: Partial<AllowlistEntry> & { host: string }): AllowlistEntry {
  return { port: 443, protocol: 'tcp', feature: 'f', reason: 'r', egress: 'pod', wildcard: over.host.startsWith('*.'), expands: [], enabledBy: null, sources: [], ...over };
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeout = 30000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('allowlist format: verify', function () {
  this.timeout(60000);
  const PWNED = '/tmp/airgap-lint-pwned';
  let dir = '';
  let server: https.Server | undefined;
  let port = 0;
  let closed = 0;
  let requests = 0;
  let cleanEnv: NodeJS.ProcessEnv = {};

  before(async function () {
    dir = mkdtempSync(path.join(tmpdir(), 'airgap-verify-'));
    cleanEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LC_ALL: 'C' };
    const openssl = which('openssl');
    if (!openssl) return;
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    const r = spawnSync(openssl, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      requests++;
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not here\n');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
    closed = await closedPort();
  });

  after(async () => {
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  function script(list: Allowlist): string {
    const file = path.join(dir, `verify-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(file, formatAllowlist(list, 'verify'));
    return file;
  }

  it('is POSIX sh (sh -n) for every fixture, quoting every feature; no injection runs', async () => {
    rmSync(PWNED, { force: true });
    for (const name of [...FIXTURE_NAMES]) {
      const text = out(name, 'verify');
      assert.ok(text.startsWith('#!/bin/sh\n'));
      assert.match(text, /\nset -u\n/);
      const file = script(FIXTURES[name]);
      const r = spawnSync('/bin/sh', ['-n', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
      for (const line of text.split('\n').filter((l) => /^(check|skip) /.test(l))) {
        // every argument is one single-quoted word (or a bare number / scheme)
        assert.match(line, /^(check|skip)( ('([^']|'\\'')*'|\d+|https?))+$/, line);
      }
    }
    assert.ok(!existsSync(PWNED), 'no command substitution ran');
  });

  it('checks a local HTTPS server: reachable (even a 404) is OK, a closed port FAILs, wildcards without hosts, UDP and CIDRs are SKIPped; exit status 1', async function () {
    if (!server) return skipOrFail(this, 'openssl is not installed');
    if (!which('curl') && !which('wget') && !which('nc')) return skipOrFail(this, 'none of curl, wget, nc is installed');
    rmSync(PWNED, { force: true });
    const hostile = FIXTURES['edge-cases'].entries.find((e) => e.host === 'hostile.example.com')!.feature;
    const list: Allowlist = {
      files: ['values.yaml'],
      skipped: [],
      entries: [
        entry({ host: '127.0.0.1', port, feature: hostile }),
        entry({ host: '127.0.0.1', port: closed, feature: 'Closed port' }),
        entry({ host: '*.wild.example', feature: 'Wildcard without hosts' }),
        entry({ host: 'pool.ntp.org', port: 123, protocol: 'udp', feature: 'NTP' }),
        entry({ host: '10.0.0.0/8', feature: 'A range' }),
        entry({ host: 'off.example.invalid', feature: 'Off feature', onlyIf: 'off.enabled is true' }),
      ],
    };
    const file = script(list);
    const tools = ['curl', 'wget', 'nc'].filter((t) => which(t));
    for (const tool of tools) {
      requests = 0;
      const r = await run('/bin/sh', [file], { ...cleanEnv, AIRGAP_VERIFY_INSECURE: '1', AIRGAP_VERIFY_TOOL: tool, AIRGAP_VERIFY_TIMEOUT: '5' });
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(r.code, 1, `${tool}: exit 1 when a check fails\n${r.stdout}${r.stderr}`);
      const ok = lines.find((l) => l.startsWith(`OK 127.0.0.1:${port} (`));
      assert.ok(ok, `${tool}: reachable\n${r.stdout}`);
      assert.ok(ok.includes('$(touch /tmp/airgap-lint-pwned) `id` ${HOME}'), `${tool}: the feature printed literally: ${ok}`);
      if (tool === 'nc') assert.ok(ok.endsWith('[TCP only: nc cannot check TLS]'));
      else assert.ok(requests >= 1, `${tool}: TLS completed and an HTTP request arrived`);
      assert.ok(lines.some((l) => l.startsWith(`FAIL 127.0.0.1:${closed} (Closed port): `)), `${tool}: closed port\n${r.stdout}`);
      assert.ok(lines.includes("SKIP *.wild.example:443 (Wildcard without hosts): cannot test a wildcard: no known host under it"));
      assert.ok(lines.includes('SKIP pool.ntp.org:123/udp (NTP): UDP: cannot be checked from a shell'));
      assert.ok(lines.includes('SKIP 10.0.0.0/8:443 (A range): cannot test a network range'));
      assert.ok(lines.some((l) => l.startsWith('SKIP off.example.invalid:443 (Off feature): feature off in these values (only if off.enabled is true)')));
      assert.equal(lines[lines.length - 1], `summary: 1 ok, 1 failed, 4 skipped (checked with ${tool})`);
      assert.equal(lines.length, 7, `one line per host and a summary:\n${r.stdout}`);
      assert.ok(!existsSync(PWNED), 'no injection ran');
    }
  });

  it('verifies certificates unless told not to, exits 0 when all pass, and 2 without any tool', async function () {
    if (!server) return skipOrFail(this, 'openssl is not installed');
    const file = script({ files: [], skipped: [], entries: [entry({ host: '127.0.0.1', port, feature: 'Local' })] });
    if (which('curl')) {
      const strict = await run('/bin/sh', [file], { ...cleanEnv, AIRGAP_VERIFY_TOOL: 'curl', AIRGAP_VERIFY_TIMEOUT: '5' });
      assert.equal(strict.code, 1);
      assert.match(strict.stdout, new RegExp(`FAIL 127\\.0\\.0\\.1:${port} \\(Local\\): TLS certificate not trusted`));
    }
    const pass = await run('/bin/sh', [file], { ...cleanEnv, AIRGAP_VERIFY_INSECURE: '1', AIRGAP_VERIFY_TIMEOUT: '5' });
    assert.equal(pass.code, 0, pass.stdout + pass.stderr);
    assert.match(pass.stdout, /^OK 127\.0\.0\.1:\d+ \(Local\)\nsummary: 1 ok, 0 failed, 0 skipped/);
    const none = await run('/bin/sh', [file], { PATH: path.join(dir, 'no-tools') });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no curl, wget or nc in this image/);
    const optional = await run('/bin/sh', [script({ files: [], skipped: [], entries: [entry({ host: '127.0.0.1', port, feature: 'Off', onlyIf: 'x is true' })] })], { ...cleanEnv, AIRGAP_VERIFY_INSECURE: '1', AIRGAP_VERIFY_OPTIONAL: '1', AIRGAP_VERIFY_TIMEOUT: '5' });
    assert.match(optional.stdout, /^OK 127\.0\.0\.1:\d+ \(Off\)/, 'AIRGAP_VERIFY_OPTIONAL=1 checks features that are off');
  });

  it('checks each expanded host of a wildcard, dedups host:port across features, and writes IPv6 in brackets', () => {
    const text = formatAllowlist(
      {
        files: [],
        skipped: [],
        entries: [
          entry({ host: '*.robusta.dev', expands: ['api.robusta.dev', 'relay.robusta.dev'], feature: 'Robusta' }),
          entry({ host: 'api.robusta.dev', feature: 'Other' }),
          entry({ host: '2001:db8::1', port: 8443, feature: 'v6' }),
          entry({ host: 'plain.example.org', port: 80, feature: 'HTTP', egress: 'node' }),
        ],
      },
      'verify',
    );
    const checks = text.split('\n').filter((l) => l.startsWith('check '));
    assert.deepEqual(checks, [
      "check 'api.robusta.dev:443' 'api.robusta.dev' 443 https 'Robusta; Other; via *.robusta.dev'",
      "check 'relay.robusta.dev:443' 'relay.robusta.dev' 443 https 'Robusta; via *.robusta.dev'",
      "check '[2001:db8::1]:8443' '2001:db8::1' 8443 https 'v6'",
      "check 'plain.example.org:80' 'plain.example.org' 80 http 'HTTP; node egress'",
    ]);
  });
});
