// JSON Schema validation of values files: discovery, dialects, offline refs, error → range
// conventions, readable deduplicated messages, "did you mean", and the compile cache.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { applyEdits } from '../server/src/engine/fixes';
import { Engine } from '../server/src/engine/lint';
import { DiskHost } from '../server/src/engine/node-host';
import {
  clearBundledSchemas,
  clearSchemaCache,
  editDistance,
  findModeline,
  registerBundledSchema,
  schemaCompileCount,
  suggestNames,
} from '../server/src/engine/schema';
import { compileSchema } from '../server/src/engine/schema/compile';
import type { Finding } from '../server/src/engine/types';
import { FIXTURES, MemoryHost, range } from './helpers';

const WEBAPP = nodePath.join(FIXTURES, 'schema/webapp');
const AGENT = nodePath.join(FIXTURES, 'schema/agent');
const STANDALONE = nodePath.join(FIXTURES, 'schema/standalone');
const read = (p: string) => fs.readFileSync(p, 'utf8');
/** What a finding says: its headline, then ` | ` and its detail when it has one. */
const said = (f: Finding) => (f.detail === undefined ? f.message : `${f.message} | ${f.detail}`);

/** The webapp chart (draft-07 schema) in memory, with `files` added to its folder. */
function webapp(files: Record<string, string>): MemoryHost {
  const host = new MemoryHost({
    '/charts/webapp/Chart.yaml': read(nodePath.join(WEBAPP, 'Chart.yaml')),
    '/charts/webapp/values.schema.json': read(nodePath.join(WEBAPP, 'values.schema.json')),
  });
  for (const [name, text] of Object.entries(files)) host.set(`/charts/webapp/${name}`, text);
  return host;
}

function schemaFindings(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.code.startsWith('schema/'));
}

/** Lints one values text in the webapp chart (as a standalone `custom-values.yaml`). */
function lintWebapp(text: string): Finding[] {
  const host = webapp({ 'custom-values.yaml': text });
  return schemaFindings(new Engine(host).lint('/charts/webapp/custom-values.yaml').findings);
}

const VALID_BASE = 'image:\n  repository: example/webapp\n';

describe('schema: validation of values files', () => {
  describe('discovery', () => {
    it("uses the chart's own values.schema.json beside Chart.yaml, and finds nothing wrong in its defaults", () => {
      const engine = new Engine(new DiskHost());
      assert.deepEqual(schemaFindings(engine.lint(nodePath.join(WEBAPP, 'values.yaml')).findings), []);
      assert.deepEqual(schemaFindings(engine.lint(nodePath.join(AGENT, 'values.yaml')).findings).map((f) => f.code), ['schema/unresolved-ref']);
    });

    it('applies the chart schema to values files in a subfolder of the chart (ci/)', () => {
      const host = webapp({ 'ci/typo-values.yaml': 'image:\n  repository: example/webapp\n  tagg: "1"\n' });
      const findings = schemaFindings(new Engine(host).lint('/charts/webapp/ci/typo-values.yaml').findings);
      assert.deepEqual(findings.map((f) => [f.code, said(f)]), [
        ['schema/additionalProperties', 'Unknown key "tagg" in image. Did you mean "tag"?'],
      ]);
    });

    it('does not validate a values file outside any chart when nothing names a schema', () => {
      const host = new MemoryHost({ '/other/values.yaml': 'anything: goes\n' });
      assert.deepEqual(schemaFindings(new Engine(host).lint('/other/values.yaml').findings), []);
    });

    it('honours a yaml-language-server modeline with a path relative to the file', () => {
      const findings = schemaFindings(new Engine(new DiskHost()).lint(nodePath.join(STANDALONE, 'proxy-values.yaml')).findings);
      assert.equal(findings.length, 1);
      assert.equal(findings[0].code, 'schema/additionalProperties');
      assert.equal(findings[0].message, 'Unknown key "httpProxyy" in proxy. Did you mean "httpProxy"?');
      assert.deepEqual(findings[0].range, range(4, 2, 4, 12));
    });

    it('never fetches a remote modeline schema: schema/unresolved-ref on the URL, no request made', () => {
      const calls: string[] = [];
      // The CommonJS module objects themselves (an ES namespace import has read-only bindings).
      const http = require('node:http') as Record<string, unknown>;
      const https = require('node:https') as Record<string, unknown>;
      const saved = { fetch: globalThis.fetch, httpGet: http.get, httpRequest: http.request, httpsGet: https.get, httpsRequest: https.request };
      const trap = (name: string) => ((...args: unknown[]) => {
        calls.push(`${name} ${String(args[0])}`);
        throw new Error('network access in a test');
      }) as never;
      globalThis.fetch = trap('fetch');
      Object.assign(http, { get: trap('http.get'), request: trap('http.request') });
      Object.assign(https, { get: trap('https.get'), request: trap('https.request') });
      let findings: Finding[];
      try {
        findings = schemaFindings(new Engine(new DiskHost()).lint(nodePath.join(STANDALONE, 'remote-values.yaml')).findings);
      } finally {
        globalThis.fetch = saved.fetch;
        Object.assign(http, { get: saved.httpGet, request: saved.httpRequest });
        Object.assign(https, { get: saved.httpsGet, request: saved.httpsRequest });
      }
      assert.deepEqual(calls, []);
      assert.equal(findings.length, 1);
      assert.equal(findings[0].code, 'schema/unresolved-ref');
      assert.equal(findings[0].severity, 'warning');
      assert.equal(findings[0].message, 'The modeline names the remote schema https://raw.githubusercontent.com/example/charts/main/values.schema.json');
      assert.match(findings[0].detail!, /^airgap-lint never fetches schemas/i);
      assert.deepEqual(findings[0].range, range(0, 32, 0, 104));
    });

    it('reports a modeline whose local schema does not exist and falls back to the chart schema', () => {
      const host = webapp({ 'custom-values.yaml': '# yaml-language-server: $schema=./missing.json\nimage:\n  repository: 42\n' });
      const findings = schemaFindings(new Engine(host).lint('/charts/webapp/custom-values.yaml').findings);
      assert.deepEqual(findings.map((f) => [f.code, f.range]), [
        ['schema/unresolved-ref', range(0, 32, 0, 46)],
        ['schema/type', range(2, 14, 2, 16)],
      ]);
    });

    it('prefers the modeline over the chart schema', () => {
      const host = webapp({ 'custom-values.yaml': '# yaml-language-server: $schema=../../schemas/proxy.json\nproxy:\n  httpsProxy: 3128\n' });
      host.set('/schemas/proxy.json', read(nodePath.join(STANDALONE, 'schemas/proxy-settings.schema.json')));
      const findings = schemaFindings(new Engine(host).lint('/charts/webapp/custom-values.yaml').findings);
      // The chart schema would also want `image`; the modeline's schema only judges proxy.
      assert.deepEqual(findings.map((f) => [f.code, said(f)]), [
        ['schema/type', 'proxy.httpsProxy must be string (got integer 3128); quote it ("3128") to keep it a string'],
      ]);
    });

    it('uses schemas from the config (`schemas:` with files globs) for files outside a chart', () => {
      const host = new MemoryHost({
        '/repo/.airgap-lint.yaml': 'schemas:\n  - path: schemas/proxy.json\n    files: ["envs/**/*-values.yaml"]\n',
        '/repo/schemas/proxy.json': read(nodePath.join(STANDALONE, 'schemas/proxy-settings.schema.json')),
        '/repo/envs/prod/prod-values.yaml': 'proxy:\n  noProxy: [localhost]\n',
        '/repo/other/prod-values.yaml': 'proxy:\n  noProxy: [localhost]\n',
      });
      const engine = new Engine(host);
      assert.deepEqual(schemaFindings(engine.lint('/repo/envs/prod/prod-values.yaml').findings).map((f) => [f.code, f.range]), [
        ['schema/type', range(1, 11, 1, 22)],
      ]);
      assert.deepEqual(schemaFindings(engine.lint('/repo/other/prod-values.yaml').findings), []);
    });

    it('falls back to a bundled schema whose x-airgap-chart.detect.chartNames names the chart', () => {
      registerBundledSchema('schemas/charts/webapp.schema.json', read(nodePath.join(WEBAPP, 'values.schema.json')));
      try {
        const host = new MemoryHost({
          '/vendor/webapp/Chart.yaml': read(nodePath.join(WEBAPP, 'Chart.yaml')),
          '/vendor/webapp/values.yaml': 'image:\n  repository: example/webapp\n  pullPolicy: always\n',
          '/vendor/other/Chart.yaml': 'apiVersion: v2\nname: other\nversion: 1.0.0\n',
          '/vendor/other/values.yaml': 'image:\n  pullPolicy: always\n',
        });
        const engine = new Engine(host);
        const findings = schemaFindings(engine.lint('/vendor/webapp/values.yaml').findings);
        assert.deepEqual(findings.map((f) => [f.code, said(f)]), [
          ['schema/enum', 'image.pullPolicy must be one of "Always", "IfNotPresent", "Never" (got string "always"). Did you mean "Always"?'],
        ]);
        assert.deepEqual(schemaFindings(engine.lint('/vendor/other/values.yaml').findings), []);
      } finally {
        clearBundledSchemas();
      }
    });

    it('reads the modeline anywhere in the comments, with its exact range', () => {
      const text = 'a: 1\n  # yaml-language-server: $schema=../s.json   \n';
      assert.deepEqual(findModeline(text), { value: '../s.json', range: range(1, 34, 1, 43) });
      assert.equal(findModeline('# yaml-language-server: format=true\n'), undefined);
    });
  });

  describe('keywords: one finding per problem, on the value, the key or the parent key', () => {
    it('schema/type on the value, with the YAML 1.1 quoting hint and fix', () => {
      const text = `${VALID_BASE}  tag: 1.10\nreplicaCount: "3"\n`;
      const findings = lintWebapp(text);
      assert.deepEqual(findings.map((f) => [f.code, said(f), f.range]), [
        ['schema/type', 'image.tag must be string (got number 1.1); quote it ("1.10") to keep it a string', range(2, 7, 2, 11)],
        ['schema/type', 'replicaCount must be integer (got string "3")', range(3, 14, 3, 17)],
      ]);
      const fix = findings[0].fixes[0];
      assert.equal(fix.title, 'Quote 1.10');
      assert.equal(fix.safe, false);
      assert.equal(applyEdits(text, fix.edits).text, `${VALID_BASE}  tag: "1.10"\nreplicaCount: "3"\n`);
    });

    it('schema/enum on the value, with a did-you-mean fix that keeps the quotes', () => {
      const text = `${VALID_BASE}  pullPolicy: 'ifNotPresent'\nservice:\n  type: Ingress\n`;
      const findings = lintWebapp(text);
      // The whole sentence: the detail when the headline had to be shortened (a headline is at most 120 characters).
      for (const f of findings) assert.ok(f.message.length <= 120 && (f.detail ?? f.message).startsWith(f.message.replace(/…$/, '')), f.message);
      assert.deepEqual(findings.map((f) => [f.code, f.detail ?? f.message, f.range]), [
        ['schema/enum', 'image.pullPolicy must be one of "Always", "IfNotPresent", "Never" (got string "ifNotPresent"). Did you mean "IfNotPresent"?', range(2, 14, 2, 28)],
        ['schema/enum', 'service.type must be one of "ClusterIP", "NodePort", "LoadBalancer" (got string "Ingress")', range(4, 8, 4, 15)],
      ]);
      const fixed = applyEdits(text, findings[0].fixes[0].edits).text;
      assert.equal(fixed, `${VALID_BASE}  pullPolicy: 'IfNotPresent'\nservice:\n  type: Ingress\n`);
      assert.deepEqual(lintWebapp(fixed).map((f) => f.code), ['schema/enum']);
    });

    it('schema/required on the key of the map that lacks the key', () => {
      const findings = lintWebapp('image:\n  tag: "1.0"\n');
      assert.deepEqual(findings.map((f) => [f.code, said(f), f.range]), [
        ['schema/required', 'Missing required key "repository" in image', range(0, 0, 0, 5)],
      ]);
    });

    it('schema/required at the top level on the first values line, not the whole document', () => {
      const findings = lintWebapp('# Production overrides\n\nreplicaCount: 3\nservice:\n  port: 80\n');
      assert.deepEqual(findings.map((f) => [f.code, said(f), f.range]), [
        ['schema/required', 'Missing required key "image" at the top level', range(2, 0, 2, 15)],
      ]);
    });

    it('schema/required inside a list item: on the first line of the item', () => {
      const findings = lintWebapp(`${VALID_BASE}env:\n  - value: debug\n  - name: "1BAD"\n    value: "x"\nimagePullSecrets:\n  - {}\n`);
      assert.deepEqual(findings.map((f) => [f.code, said(f), f.range]), [
        ['schema/required', 'Missing required key "name" in env[0]', range(3, 4, 3, 16)],
        ['schema/pattern', 'env[1].name must match the pattern ^[A-Za-z_][A-Za-z0-9_]*$ (got string "1BAD")', range(4, 10, 4, 16)],
        ['schema/required', 'Missing required key "name" in imagePullSecrets[0]', range(7, 4, 7, 6)],
      ]);
    });

    it('schema/additionalProperties on the key, with "did you mean" that renames only the key', () => {
      const text = `${VALID_BASE}  pullPolicyy: Always # keep\n`;
      const findings = lintWebapp(text);
      assert.equal(findings.length, 1);
      const [f] = findings;
      assert.equal(f.code, 'schema/additionalProperties');
      assert.equal(f.message, 'Unknown key "pullPolicyy" in image. Did you mean "pullPolicy"?');
      assert.deepEqual(f.range, range(2, 2, 2, 13));
      assert.deepEqual(f.fixes.map((x) => [x.title, x.safe, x.preferred]), [['Rename to "pullPolicy"', false, true]]);
      const fixed = applyEdits(text, f.fixes[0].edits).text;
      assert.equal(fixed, `${VALID_BASE}  pullPolicy: Always # keep\n`);
      assert.deepEqual(lintWebapp(fixed), [], 'after the rename the file is clean');
    });

    it('keeps double and single quotes of a renamed key, and matches case-insensitively', () => {
      for (const [key, renamed] of [['"PullPolicy"', '"pullPolicy"'], ["'pulPolicy'", "'pullPolicy'"], ['REPOSITORY', 'repository']]) {
        const text = `image:\n  registry: ghcr.io\n  ${key}: x\n`;
        const findings = lintWebapp(text);
        const unknown = findings.find((f) => f.code === 'schema/additionalProperties');
        assert.ok(unknown, `${key} is reported`);
        assert.deepEqual(unknown.range, range(2, 2, 2, 2 + key.length));
        const fixed = applyEdits(text, unknown.fixes[0].edits).text;
        assert.equal(fixed, `image:\n  registry: ghcr.io\n  ${renamed}: x\n`);
      }
    });

    it('lists the allowed keys when no name is close, and never suggests a key already present', () => {
      const findings = lintWebapp(`${VALID_BASE}  tag: "1"\n  tags: "2"\n  flavour: slim\n`);
      assert.deepEqual(findings.map(said), [
        'Unknown key "tags" in image | Allowed here: registry, repository, tag, pullPolicy.',
        'Unknown key "flavour" in image | Allowed here: registry, repository, tag, pullPolicy.',
      ]);
      assert.deepEqual(findings.map((f) => f.fixes.length), [0, 0]);
    });

    it('unknown top-level keys are reported on the key', () => {
      const findings = lintWebapp(`${VALID_BASE}replicaCuont: 3\nreplicas: 3\n`);
      assert.deepEqual(findings.map((f) => [f.code, said(f), f.range]), [
        ['schema/additionalProperties', 'Unknown key "replicaCuont" at the top level. Did you mean "replicaCount"?', range(2, 0, 2, 12)],
        ['schema/additionalProperties', 'Unknown key "replicas" at the top level', range(3, 0, 3, 8)],
      ]);
    });

    it('schema/pattern, schema/format, schema/minimum and schema/maximum on the value', () => {
      const findings = lintWebapp(
        `image:\n  repository: Example/WebApp\ningress:\n  host: "web app.example.com"\nproxy:\n  httpsProxy: "proxy.corp:3128 "\nservice:\n  port: 70000\nreplicaCount: 0\n`,
      );
      assert.deepEqual(findings.map((f) => [f.code, f.range]), [
        ['schema/pattern', range(1, 14, 1, 28)],
        ['schema/format', range(3, 8, 3, 29)],
        ['schema/format', range(5, 14, 5, 32)],
        ['schema/maximum', range(7, 8, 7, 13)],
        ['schema/minimum', range(8, 14, 8, 15)],
      ]);
      assert.equal(said(findings[1]), 'ingress.host must be a valid hostname (got string "web app.example.com")');
      assert.equal(said(findings[3]), 'service.port must be <= 65535 (got integer 70000)');
    });

    it('a multi-line map of the wrong type is reported on its key, a flow one on the value', () => {
      const findings = lintWebapp(`${VALID_BASE}timeout:\n  seconds: 30\npodLabels: {team: [a]}\n`);
      assert.deepEqual(findings.map((f) => [f.code, f.range]), [
        ['schema/anyOf', range(2, 0, 2, 7)],
        ['schema/type', range(4, 18, 4, 21)],
      ]);
    });

    it('anyOf: the best-matching branch speaks, or one summary when every branch has the wrong type', () => {
      const findings = lintWebapp(`${VALID_BASE}timeout: 30 seconds\n`);
      assert.deepEqual(findings.map((f) => [f.code, said(f), f.range]), [
        ['schema/pattern', 'timeout must match the pattern ^[0-9]+s$ (got string "30 seconds")', range(2, 9, 2, 19)],
      ]);
      const summary = lintWebapp(`${VALID_BASE}timeout: true\n`);
      assert.deepEqual(summary.map((f) => [f.code, said(f), f.range]), [
        ['schema/anyOf', 'timeout must be an integer or a string (got boolean true)', range(2, 9, 2, 13)],
      ]);
    });

    it("oneOf: only the matching branch's errors, not every branch's", () => {
      const findings = lintWebapp(`${VALID_BASE}database:\n  external:\n    hots: db.internal\n    port: "5432"\n`);
      assert.deepEqual(findings.map((f) => [f.code, said(f), f.range]), [
        ['schema/required', 'Missing required key "host" in database.external', range(3, 2, 3, 10)],
        ['schema/additionalProperties', 'Unknown key "hots" in database.external. Did you mean "host"?', range(4, 4, 4, 8)],
        ['schema/type', 'database.external.port must be integer (got string "5432")', range(5, 10, 5, 16)],
      ]);
      const shape = lintWebapp(`${VALID_BASE}database: sqlite\n`);
      assert.deepEqual(shape.map((f) => [f.code, said(f)]), [['schema/oneOf', 'database must be an object (got string "sqlite")']]);
    });

    it('oneOf matched by more than one branch says so', () => {
      const host = new MemoryHost({
        '/c/Chart.yaml': 'name: c\n',
        '/c/values.schema.json': JSON.stringify({ properties: { tag: { oneOf: [{ type: 'string' }, { maxLength: 8 }] } } }),
        '/c/values.yaml': 'tag: v1.2\n',
      });
      const findings = schemaFindings(new Engine(host).lint('/c/values.yaml').findings);
      assert.deepEqual(findings.map((f) => [f.code, f.range, said(f)]), [
        ['schema/oneOf', range(0, 5, 0, 9), 'tag matches more than one of the allowed forms (#1 and #2); it must match exactly one'],
      ]);
    });

    it('oneOf where two branches fail equally lists both', () => {
      const findings = lintWebapp(`${VALID_BASE}database:\n  external: {host: a}\n  embedded: {}\n`);
      // Neither branch allows both keys: both fail on additionalProperties, with a tie.
      assert.equal(findings.length, 1);
      assert.equal(findings[0].code, 'schema/oneOf');
      assert.deepEqual(findings[0].range, range(2, 0, 2, 8));
      assert.match(findings[0].message, /^database matches none of the allowed forms \(got a map\): \(1\) Unknown key "embedded"; \(2\) Unknown key "external"\.$/);
    });

    it('if/then: reports the then-errors only, never "must match then schema"', () => {
      const findings = lintWebapp(`${VALID_BASE}persistence:\n  enabled: true\n  storageClass: fast\n`);
      assert.deepEqual(findings.map((f) => [f.code, said(f), f.range]), [
        ['schema/required', 'Missing required key "size" in persistence', range(2, 0, 2, 11)],
      ]);
      const pattern = lintWebapp(`${VALID_BASE}persistence:\n  enabled: true\n  size: 10G\n`);
      assert.deepEqual(pattern.map((f) => [f.code, f.range]), [['schema/pattern', range(4, 8, 4, 11)]]);
      assert.deepEqual(lintWebapp(`${VALID_BASE}persistence:\n  enabled: false\n  size: 10G\n`), []);
    });

    it('$ref to definitions: errors inside referenced schemas land on the right value', () => {
      const findings = lintWebapp(`${VALID_BASE}resources:\n  limits:\n    cpu: [1]\n    memroy: 1Gi\n`);
      assert.deepEqual(findings.map((f) => [f.code, said(f), f.range]), [
        ['schema/type', 'resources.limits.cpu must be string or number (got a list of 1 item)', range(4, 9, 4, 12)],
        ['schema/additionalProperties', 'Unknown key "memroy" in resources.limits. Did you mean "memory"?', range(5, 4, 5, 10)],
      ]);
    });

    it('an error reached through an alias is reported on the alias, with no rename fix', () => {
      const text = `defaults: &img\n  repository: example/webapp\n  pullPolicyy: Always\nimage: *img\n`;
      const findings = lintWebapp(text).filter((f) => f.message.includes('pullPolicyy'));
      assert.deepEqual(findings.map((f) => [f.code, f.range, f.fixes.length]), [['schema/additionalProperties', range(3, 7, 3, 11), 0]]);
    });

    it('caps the findings of one file and says how many more there are', () => {
      const keys = Array.from({ length: 130 }, (_, i) => `extraKey${i}: ${i}`).join('\n');
      const findings = lintWebapp(`${VALID_BASE}${keys}\n`);
      assert.equal(findings.filter((f) => f.code === 'schema/additionalProperties').length, 100);
      const summary = findings.filter((f) => f.code === 'schema/too-many-errors');
      assert.equal(summary.length, 1);
      assert.equal(summary[0].severity, 'info');
      assert.equal(said(summary[0]), '30 more schema errors in this file are not shown (the first 100 are)');
    });

    it('does not validate values that did not parse (a syntax error speaks first)', () => {
      const findings = new Engine(webapp({ 'custom-values.yaml': 'image:\n  tag: [1\nreplicaCount: x\n' })).lint('/charts/webapp/custom-values.yaml').findings;
      assert.ok(findings.some((f) => f.code === 'yaml/syntax'));
      assert.deepEqual(schemaFindings(findings), []);
    });

    it('an empty values file is validated as an empty map (Helm reads it so)', () => {
      assert.deepEqual(lintWebapp('# nothing set here\n').map((f) => [f.code, f.range]), [['schema/required', range(0, 0, 0, 18)]]);
    });
  });

  describe('dialects and references', () => {
    it('2020-12: $defs, unevaluatedProperties through allOf, dependentRequired, prefixItems', () => {
      const host = new DiskHost();
      const dir = AGENT;
      host.open(
        nodePath.join(dir, 'custom-values.yaml'),
        'clusterName: ""\nnameOverrid: x\napiKey:\n  secretName: key\nscrapeInterval: 1d\ntolerations: [1]\n',
        1,
      );
      const findings = schemaFindings(new Engine(host).lint(nodePath.join(dir, 'custom-values.yaml')).findings);
      assert.deepEqual(findings.map((f) => [f.code, said(f), f.range]), [
        ['schema/unresolved-ref', said(findings[0]), range(0, 0, 0, 15)],
        ['schema/minLength', 'clusterName must have at least 1 character (got an empty string)', range(0, 13, 0, 15)],
        ['schema/unevaluatedProperties', 'Unknown key "nameOverrid" at the top level. Did you mean "nameOverride"?', range(1, 0, 1, 11)],
        ['schema/dependentRequired', 'Missing key "secretKey" in apiKey: it is required when "secretName" is set', range(2, 0, 2, 6)],
        ['schema/pattern', 'scrapeInterval must match the pattern ^[0-9]+(ms|s|m|h)$ (got string "1d")', range(4, 16, 4, 18)],
        ['schema/type', 'tolerations[0] must be object (got integer 1)', range(5, 14, 5, 15)],
      ]);
      assert.equal(findings[0].message, 'The schema values.schema.json refers to 1 schema that airgap-lint does not fetch: validation continues without it');
      assert.match(findings[0].detail!, /Not fetched: https:\/\/kubernetesjsonschema\.dev\/v1\.18\.0\/_definitions\.json#\/definitions\/io\.k8s\.api\.core\.v1\.ResourceRequirements\.$/);
    });

    it('a remote $ref accepts anything while the rest of the schema still validates', () => {
      const host = new DiskHost();
      const file = nodePath.join(AGENT, 'custom-values.yaml');
      host.open(file, 'resources: "not even a map"\nlivenessProbe:\n  periodSeconds: 0\n', 1);
      const findings = schemaFindings(new Engine(host).lint(file).findings);
      assert.deepEqual(findings.map((f) => [f.code, f.range]), [
        ['schema/unresolved-ref', range(0, 0, 0, 27)],
        ['schema/minimum', range(2, 17, 2, 18)],
      ]);
    });

    it('a $ref to a local file is read through the host; a missing one is unresolved', () => {
      const schema = (ref: string) => JSON.stringify({ type: 'object', properties: { probe: { $ref: ref } } });
      const host = new MemoryHost({
        '/c/Chart.yaml': 'name: c\n',
        '/c/values.schema.json': schema('probe.json'),
        '/c/probe.json': JSON.stringify({ type: 'object', properties: { periodSeconds: { type: 'integer' } } }),
        '/c/values.yaml': 'probe:\n  periodSeconds: often\n',
        '/d/Chart.yaml': 'name: d\n',
        '/d/values.schema.json': schema('./defs/missing.json#/probe'),
        '/d/values.yaml': 'probe:\n  periodSeconds: often\n',
      });
      const engine = new Engine(host);
      assert.deepEqual(schemaFindings(engine.lint('/c/values.yaml').findings).map((f) => [f.code, f.range]), [['schema/type', range(1, 17, 1, 22)]]);
      const missing = schemaFindings(engine.lint('/d/values.yaml').findings);
      assert.deepEqual(missing.map((f) => f.code), ['schema/unresolved-ref']);
      assert.match(missing[0].message, /^The schema values\.schema\.json refers to 1 schema that airgap-lint does not fetch/);
      assert.match(missing[0].detail!, /Not fetched: \.\/defs\/missing\.json#\/probe \(\/d\/defs\/missing\.json is missing or has no such location\)/);
    });

    it('a relative $ref under a remote $id uses the file beside the schema, oneOf inside it included', () => {
      const host = new MemoryHost({
        '/c/Chart.yaml': 'name: c\n',
        '/c/values.schema.json': JSON.stringify({ $id: 'https://charts.example.com/c/values.schema.json', properties: { port: { $ref: 'defs/port.json' } } }),
        '/c/defs/port.json': JSON.stringify({ oneOf: [{ type: 'integer', maximum: 65535 }, { type: 'string', pattern: '^[a-z]+$' }] }),
        '/c/values.yaml': 'port: 70000\n',
      });
      const findings = schemaFindings(new Engine(host).lint('/c/values.yaml').findings);
      assert.deepEqual(findings.map((f) => [f.code, f.range, said(f)]), [
        ['schema/maximum', range(0, 6, 0, 11), 'port must be <= 65535 (got integer 70000)'],
      ]);
    });

    it('a $ref to a pointer that does not exist in the schema is unresolved, not a crash', () => {
      const host = new MemoryHost({
        '/c/Chart.yaml': 'name: c\n',
        '/c/values.schema.json': JSON.stringify({ properties: { a: { $ref: '#/definitions/nope' }, b: { type: 'string' } } }),
        '/c/values.yaml': 'a: 1\nb: 2\n',
      });
      const findings = schemaFindings(new Engine(host).lint('/c/values.yaml').findings);
      assert.deepEqual(findings.map((f) => f.code), ['schema/unresolved-ref', 'schema/type']);
    });

    it('knows the meta-schemas offline: draft-07, 2019-09, 2020-12 and the unversioned URI', () => {
      const host = new MemoryHost();
      const cases: Array<[string | undefined, string]> = [
        ['http://json-schema.org/draft-07/schema#', 'draft-07'],
        ['https://json-schema.org/draft/2019-09/schema', '2019-09'],
        ['https://json-schema.org/draft/2020-12/schema', '2020-12'],
        ['http://json-schema.org/schema#', 'draft-07'],
        [undefined, 'draft-07'],
      ];
      for (const [meta, dialect] of cases) {
        const text = JSON.stringify({ ...(meta ? { $schema: meta } : {}), type: 'object', properties: { m: { $ref: meta ?? 'http://json-schema.org/draft-07/schema#' } } });
        const compiled = compileSchema(`/s/${dialect}.json`, text, host);
        assert.equal(compiled.dialect, dialect, String(meta));
        assert.deepEqual(compiled.unresolved, [], String(meta));
        assert.equal(compiled.error, undefined);
        assert.equal(compiled.validate?.({ m: { type: 'string' } }), true);
        assert.equal(compiled.validate?.({ m: { type: 12 } }), false, 'the meta-schema is really applied');
      }
    });

    it('an unknown remote $schema is reported and the schema still validates (as draft-07)', () => {
      const host = new MemoryHost({
        '/c/Chart.yaml': 'name: c\n',
        '/c/values.schema.json': JSON.stringify({ $schema: 'https://example.com/my-meta.json', properties: { a: { type: 'string' } } }),
        '/c/values.yaml': 'a: 1\n',
      });
      const findings = schemaFindings(new Engine(host).lint('/c/values.yaml').findings);
      assert.deepEqual(findings.map((f) => f.code), ['schema/unresolved-ref', 'schema/type']);
      assert.match(findings[0].message, /^The schema values\.schema\.json refers to 1 schema that airgap-lint does not fetch/);
      assert.match(findings[0].detail!, /Not fetched: \$schema https:\/\/example\.com\/my-meta\.json/);
    });

    it('draft-04: boolean exclusiveMinimum and `id` are understood', () => {
      const compiled = compileSchema(
        '/s/d4.json',
        JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', id: 'urn:example:values', properties: { n: { type: 'number', minimum: 0, exclusiveMinimum: true } } }),
        new MemoryHost(),
      );
      assert.equal(compiled.error, undefined);
      assert.equal(compiled.validate?.({ n: 0 }), false);
      assert.equal(compiled.validate?.({ n: 0.5 }), true);
    });

    it('reads Go (RE2) patterns that JavaScript rejects instead of giving up on the schema', () => {
      const compiled = compileSchema(
        '/s/re2.json',
        JSON.stringify({ properties: { a: { type: 'string', pattern: '(?i)^proxy\\z' }, b: { type: 'string', pattern: '^[[:alpha:]]+$' } } }),
        new MemoryHost(),
      );
      assert.equal(compiled.error, undefined);
      assert.equal(compiled.validate?.({ a: 'PROXY', b: 'abc' }), true);
      assert.equal(compiled.validate?.({ a: 'proxy2' }), false);
      assert.equal(compiled.validate?.({ b: 'ab1' }), false);
    });

    it('x-airgap annotations are kept on the compiled schema and do not affect validation', () => {
      const compiled = compileSchema(nodePath.join(WEBAPP, 'values.schema.json'), read(nodePath.join(WEBAPP, 'values.schema.json')), new DiskHost());
      const schema = compiled.schema as { properties: { image: Record<string, unknown> } };
      assert.deepEqual(schema.properties.image['x-airgap'], { image: { shape: 'split' } });
      assert.equal(compiled.validate?.({ image: { repository: 'a' } }), true);
      const odd = compileSchema('/s/odd.json', JSON.stringify({ 'x-airgap': null, properties: { a: { 'x-airgap-chart': 5, 'x-other': [], type: 'string' } } }), new MemoryHost());
      assert.equal(odd.error, undefined, 'a malformed annotation does not make the schema unusable');
      assert.equal(odd.validate?.({ a: 1 }), false);
    });
  });

  describe('broken schemas', () => {
    it('bad JSON gives one schema/invalid-schema on the first values line, and nothing crashes', () => {
      const host = webapp({ 'custom-values.yaml': '# overrides\nimage:\n  tag: 1\n' });
      host.set('/charts/webapp/values.schema.json', '{ "type": "object", "properties": { ');
      const findings = schemaFindings(new Engine(host).lint('/charts/webapp/custom-values.yaml').findings);
      assert.equal(findings.length, 1);
      assert.equal(findings[0].code, 'schema/invalid-schema');
      assert.equal(findings[0].severity, 'error');
      assert.deepEqual(findings[0].range, range(1, 0, 1, 6));
      assert.match(findings[0].message, /^The schema values\.schema\.json cannot be used: it is not valid JSON \(/);
      assert.match(findings[0].detail!, /^it is not valid JSON \(.+\)\. Values are not checked against it/i);
    });

    it('a schema that breaks its meta-schema is reported once as a warning and applied as far as possible', () => {
      const host = new MemoryHost({
        '/c/Chart.yaml': 'name: c\n',
        '/c/values.schema.json': JSON.stringify({ type: 'object', properties: { port: { type: 'integer', examples: '8080' } } }),
        '/c/values.yaml': 'port: http\n',
      });
      const findings = schemaFindings(new Engine(host).lint('/c/values.yaml').findings);
      assert.deepEqual(findings.map((f) => [f.code, f.severity]), [
        ['schema/invalid-schema', 'warning'],
        ['schema/type', 'error'],
      ]);
      assert.equal(findings[0].message, 'The schema values.schema.json is not a valid draft-07 schema: it is applied as far as it can be');
      assert.equal(findings[0].detail, '/properties/port/examples must be array.');
    });

    it('a schema ajv cannot compile is one error, not an exception', () => {
      const host = new MemoryHost({
        '/c/Chart.yaml': 'name: c\n',
        '/c/values.schema.json': JSON.stringify({ type: 'object', properties: { a: { type: 'strng' } } }),
        '/c/values.yaml': 'a: 1\n',
      });
      const findings = new Engine(host).lint('/c/values.yaml').findings;
      assert.ok(!findings.some((f) => f.code === 'internal/error'));
      assert.deepEqual(schemaFindings(findings).map((f) => [f.code, f.severity]), [['schema/invalid-schema', 'error']]);
      const [invalid] = schemaFindings(findings);
      assert.match(invalid.message, /^The schema values\.schema\.json cannot be used: it is not a valid draft-07 schema \(/);
      assert.match(invalid.detail!, /^it is not a valid draft-07 schema \(\/properties\/a\/type must be equal to one of the allowed values\)\. Values are not checked against it \(Helm would reject it too\)\.$/i);
    });
  });

  describe('compile cache', () => {
    it('compiles each schema text once, across lints, files and engines; a changed text compiles again', () => {
      clearSchemaCache();
      const schemaText = read(nodePath.join(WEBAPP, 'values.schema.json'));
      const host = new MemoryHost({
        '/a/Chart.yaml': 'name: webapp\n',
        '/a/values.schema.json': schemaText,
        '/a/values.yaml': VALID_BASE,
        '/b/Chart.yaml': 'name: webapp\n',
        '/b/values.schema.json': schemaText,
        '/b/values.yaml': `${VALID_BASE}  tag: 1\n`,
      });
      const before = schemaCompileCount();
      const engine = new Engine(host);
      engine.lint('/a/values.yaml');
      engine.lint('/a/values.yaml');
      engine.lint('/b/values.yaml');
      new Engine(host).lint('/b/values.yaml');
      assert.equal(schemaCompileCount() - before, 1);
      host.set('/b/values.schema.json', schemaText.replace('"minimum": 1,', '"minimum": 2,'));
      engine.lint('/b/values.yaml');
      engine.lint('/b/values.yaml');
      assert.equal(schemaCompileCount() - before, 2);
    });

    it('a broken schema is not recompiled on every keystroke either', () => {
      const host = new MemoryHost({ '/c/Chart.yaml': 'name: c\n', '/c/values.schema.json': '{oops', '/c/values.yaml': 'a: 1\n' });
      const engine = new Engine(host);
      engine.lint('/c/values.yaml');
      const before = schemaCompileCount();
      host.set('/c/values.yaml', 'a: 2\n');
      engine.lint('/c/values.yaml');
      assert.equal(schemaCompileCount(), before);
    });
  });

  describe('did you mean', () => {
    it('edit distance counts an adjacent transposition as one edit', () => {
      assert.equal(editDistance('pullPolicy', 'pullPolicyy'), 1);
      assert.equal(editDistance('repsoitory', 'repository'), 1);
      assert.equal(editDistance('tag', 'tga'), 1);
      assert.equal(editDistance('registry', 'repository'), 4);
      assert.equal(editDistance('replicas', 'replicaCount'), 5);
    });

    it('suggests close names, case-insensitive matches first, short names only at distance 1', () => {
      assert.deepEqual(suggestNames('pullpolicy', ['pullPolicy', 'pullSecrets']), ['pullPolicy']);
      assert.deepEqual(suggestNames('tga', ['tag', 'tls']), ['tag']);
      assert.deepEqual(suggestNames('ab', ['xy']), []);
      assert.deepEqual(suggestNames('imge', ['image', 'images']), ['image']);
      assert.deepEqual(suggestNames('foo', ['bar', 'baz']), []);
    });
  });
});

describe('schema: modeline files and the YAML extension (schemaModeline)', () => {
  const schema = JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { replicas: { type: 'integer' } } });
  const files = {
    '/m/chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\n',
    '/m/chart/values.schema.json': schema,
    '/m/chart/values.yaml': 'replicas: two\n',
    '/m/chart/ci/values-modeline.yaml': '# yaml-language-server: $schema=../values.schema.json\nreplicas: three\n',
  };
  const schemaFindings = (engine: Engine, path: string) =>
    engine.lint(path).findings.filter((f) => f.code.startsWith('schema/')).map((f) => [f.code, f.range.start.line]);

  it('validates modeline schemas by default (the CLI, editors without the YAML extension)', () => {
    const engine = new Engine(new MemoryHost(files));
    assert.deepEqual(schemaFindings(engine, '/m/chart/ci/values-modeline.yaml'), [['schema/type', 1]]);
  });

  it('with defer, leaves modeline files to the YAML extension and still validates the chart schema elsewhere', () => {
    const engine = new Engine(new MemoryHost(files), { settings: { schemaModeline: 'defer' } });
    assert.deepEqual(schemaFindings(engine, '/m/chart/ci/values-modeline.yaml'), []);
    assert.deepEqual(schemaFindings(engine, '/m/chart/values.yaml'), [['schema/type', 0]]);
  });
});
