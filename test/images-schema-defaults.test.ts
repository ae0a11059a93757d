// A chart's values.schema.json `default`s as the lowest layer of an overlay's stack (kubernaut
// HEAD keeps its image defaults only there, DD-PLATFORM-006 DA14, and its templates merge them
// under .Values): what the air-gap overlay leaves upstream, with related information at the
// schema default; the defaults module on its own, and hostile schemas.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { ConfigInput } from '../server/src/engine/config';
import { parseValuesDocument } from '../server/src/engine/document';
import { applyEdits } from '../server/src/engine/fixes';
import { chartSchemaDefaults, collectSchemaDefaults, schemaDefaultsDocument } from '../server/src/engine/images/schema-defaults';
import { Engine } from '../server/src/engine/lint';
import type { Finding, JsonValue } from '../server/src/engine/types';
import { CORPUS, MemoryHost, range } from './helpers';

const KUBERNAUT = 'jordigilh__kubernaut/charts/kubernaut';
const corpusText = (p: string) => fs.readFileSync(nodePath.join(CORPUS, p), 'utf8');

function headStack(): MemoryHost {
  const host = new MemoryHost();
  for (const f of ['Chart.yaml', 'values.yaml', 'values.schema.json', 'values-airgap.yaml']) host.set(`k/${f}`, corpusText(`${KUBERNAUT}/${f}`));
  // About schema defaults as a layer: no chart knowledge (its console and fleet conditions would
  // hide the images under test; knowledge.test.ts covers the stack with it).
  host.set('k/Chart.yaml', corpusText(`${KUBERNAUT}/Chart.yaml`).replace(/^name: .*$/m, 'name: shapes-only'));
  return host;
}

const lint = (host: MemoryHost, name: string, settings: ConfigInput = {}) =>
  new Engine(host, { settings }).lint(`/mem/k/${name}`).findings.filter((f) => f.code.startsWith('image/'));

const summary = (fs: Finding[]) => fs.map((f) => [f.code, f.severity, f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character]);
const relatedOf = (f: Finding) => f.related?.map((r) => [nodePath.basename(r.path), r.range.start.line]);

describe('schema defaults as the lowest layer', () => {
  describe('kubernaut HEAD (image defaults only in values.schema.json)', () => {
    it('values-airgap.yaml: oauth2-proxy, fleetmetadatacache and apifrontend left upstream; the kubectl digest dropped at L60', () => {
      const findings = lint(headStack(), 'values-airgap.yaml').filter((f) => f.code === 'image/not-mirrored' || f.code === 'image/digest-dropped');
      assert.deepEqual(summary(findings), [
        ['image/not-mirrored', 'error', 38, 0, 38, 6], // the overlay has no key for them: its first key, `global`
        ['image/not-mirrored', 'error', 38, 0, 38, 6],
        ['image/not-mirrored', 'error', 38, 0, 38, 6],
        ['image/digest-dropped', 'warning', 59, 11, 59, 51],
      ]);
      const [fmc, api, oauth2, kubectl] = findings;
      assert.equal(fmc.message, 'fleetmetadatacache.image still pulls from quay.io: override it here with your mirror');
      assert.match(fmc.detail!, /^"quay\.io\/kubernaut-ai\/fleetmetadatacache:v1\.6\.0", from values\.schema\.json line 2679\b/);
      assert.equal(api.message, 'apifrontend.image still pulls from ghcr.io: override it here with your mirror');
      assert.match(api.detail!, /^"ghcr\.io\/jordigilh\/kubernaut\/apifrontend:1\.6\.0", from values\.schema\.json line 2795\b/);
      assert.equal(oauth2.message, 'console.oauth2Proxy.image still pulls from quay.io: override it here with your mirror');
      assert.match(oauth2.detail!, /^"quay\.io\/oauth2-proxy\/oauth2-proxy:v7\.15\.3", from values\.schema\.json line 3301\b.*: this air-gap overlay leaves it upstream/);
      assert.deepEqual(relatedOf(oauth2), [['values.schema.json', 3300]]);
      assert.deepEqual(oauth2.related![0].range, range(3300, 25, 3300, 68), 'the default value itself');
      assert.equal(kubectl.message, 'hooks.tlsCerts.image drops the digest of the layer below: keep the digest');
      assert.match(kubectl.detail!, /^"<mirror-registry>\/bitnami\/kubectl:latest" replaces "docker\.io\/bitnami\/kubectl:latest@sha256:6e2cdb22d6ab7264ea198c717f555e30536b54029d26c8781b9f25f78951b564" \(values\.schema\.json line 3330\): the pull is now by tag \(latest, mutable\)/);
      assert.deepEqual(relatedOf(kubectl), [['values.schema.json', 3329]]);
      // Same image on the mirror: keeping the digest is offered (unsafe: the mirror must have copied it).
      assert.deepEqual(kubectl.fixes.map((f) => [f.safe, f.edits[0].newText]), [[false, '<mirror-registry>/bitnami/kubectl:latest@sha256:6e2cdb22d6ab7264ea198c717f555e30536b54029d26c8781b9f25f78951b564']]);
    });

    it("with mirror.registry the overlay gets an override of the schema default, and then oauth2-proxy is no longer upstream", () => {
      const host = headStack();
      const settings: ConfigInput = { mirror: { registry: 'harbor.corp:5000', layout: 'nested' } };
      const oauth2 = lint(host, 'values-airgap.yaml', settings).find((f) => f.code === 'image/not-mirrored' && f.message.startsWith('console.oauth2Proxy'));
      assert.ok(oauth2);
      assert.deepEqual(oauth2.fixes[0].edits.map((e) => e.newText), ['console:\n  oauth2Proxy:\n    image: harbor.corp:5000/oauth2-proxy/oauth2-proxy:v7.15.3\n']);
      const after = applyEdits(host.readFile('/mem/k/values-airgap.yaml')!, oauth2.fixes[0].edits).text;
      host.set('k/values-airgap.yaml', after);
      const again = lint(host, 'values-airgap.yaml', settings).filter((f) => f.code === 'image/not-mirrored');
      assert.deepEqual(again.map((f) => f.message.split(' ')[0]), ['fleetmetadatacache.image', 'apifrontend.image']);
    });

    it("the chart's own values.yaml is never judged against its schema defaults", () => {
      assert.deepEqual(lint(headStack(), 'values.yaml', { mirror: { registry: 'harbor.corp:5000' } }), []);
    });
  });

  describe('the defaults module', () => {
    const schema: JsonValue = {
      definitions: {
        image: { type: 'object', properties: { registry: { type: 'string', default: 'quay.io' }, pullPolicy: { default: 'IfNotPresent' } } },
        loop: { $ref: '#/definitions/loop' },
        pair: { properties: { a: { $ref: '#/definitions/pair' }, leaf: { default: 1 } } },
      },
      properties: {
        api: { properties: { image: { $ref: '#/definitions/image', properties: { repository: { default: 'acme/api' } } } } },
        worker: { default: { image: 'acme/worker:1', replicas: 2 }, properties: { replicas: { default: 3 } } },
        merged: { allOf: [{ properties: { x: { default: 'x' } } }, { properties: { y: { default: 'y' } } }] },
        cyclic: { $ref: '#/definitions/loop' },
        nested: { $ref: '#/definitions/pair' },
        choice: { oneOf: [{ default: 'a' }, { default: 'b' }] },
      },
    };

    it('follows properties, local $refs and allOf; a property default wins inside its parent object default; cycles end', () => {
      const { values } = collectSchemaDefaults(schema);
      assert.deepEqual(values, {
        api: { image: { registry: 'quay.io', pullPolicy: 'IfNotPresent', repository: 'acme/api' } },
        worker: { image: 'acme/worker:1', replicas: 3 },
        merged: { x: 'x', y: 'y' },
        // #/definitions/pair refers to itself under `a`: a $ref already being walked is not entered again.
        nested: { leaf: 1 },
      });
    });

    it('locates each default at its `default` in the schema file, also through a $ref and inside an object default', () => {
      const text = JSON.stringify(schema, null, 2);
      const defaults = schemaDefaultsDocument(parseValuesDocument('/mem/values.schema.json', text))!;
      const lineOf = (path: Array<string | number>) => {
        const loc = defaults.locate(path);
        return loc?.node ? defaults.rangeOf(loc.node).start.line + 1 : undefined;
      };
      const lines = text.split('\n');
      const lineWith = (needle: string, from = 0) => lines.findIndex((l, i) => i >= from && l.includes(needle)) + 1;
      assert.equal(lineOf(['api', 'image', 'registry']), lineWith('"default": "quay.io"'));
      assert.equal(lineOf(['api', 'image', 'repository']), lineWith('"default": "acme/api"'));
      assert.equal(lineOf(['worker', 'image']), lineWith('"image": "acme/worker:1"'));
      assert.equal(lineOf(['worker', 'replicas']), lineWith('"default": 3'));
      assert.equal(lineOf(['api', 'nothing']), undefined);
      assert.equal(defaults.path, '/mem/values.schema.json');
    });

    it('no schema, a broken schema, a schema without defaults or a hostile one: no layer, no crash, no hang', () => {
      const host = new MemoryHost({ 'a/Chart.yaml': 'name: a\n', 'b/values.schema.json': '{"properties": {', 'c/values.schema.json': '{"type": "object"}' });
      assert.equal(chartSchemaDefaults('/mem/a', host), undefined);
      assert.equal(chartSchemaDefaults('/mem/b', host), undefined);
      assert.equal(chartSchemaDefaults('/mem/c', host), undefined);
      // 200 nested levels, and a $ref fan-out that would be exponential without the visit budget.
      let deep: Record<string, unknown> = { default: 'x' };
      for (let i = 0; i < 200; i++) deep = { properties: { k: deep } };
      const fan: Record<string, unknown> = { definitions: {} as Record<string, unknown> };
      for (let i = 0; i < 40; i++) (fan.definitions as Record<string, unknown>)[`d${i}`] = { properties: { a: { $ref: `#/definitions/d${i + 1}` }, b: { $ref: `#/definitions/d${i + 1}` } } };
      (fan.definitions as Record<string, unknown>).d40 = { default: 1 };
      fan.properties = { root: { $ref: '#/definitions/d0' } };
      host.set('d/values.schema.json', JSON.stringify(deep)).set('e/values.schema.json', JSON.stringify(fan)).set('f/values.schema.json', '[1, 2]');
      const t0 = performance.now();
      assert.equal(chartSchemaDefaults('/mem/d', host), undefined, 'deeper than the walk goes');
      assert.ok(chartSchemaDefaults('/mem/e', host) !== null);
      assert.equal(chartSchemaDefaults('/mem/f', host), undefined);
      assert.ok(performance.now() - t0 < 3000, 'bounded');
    });
  });
});
