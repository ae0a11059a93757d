// The on-disk cache of compiled schema code (schema/code-cache.ts): the same findings with and
// without it on real chart schemas and the fixtures, and untrustworthy cache files ignored.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { Engine } from '../server/src/engine/lint';
import { DiskHost } from '../server/src/engine/node-host';
import { schemaRules } from '../server/src/engine/rules/schema';
import { yamlRules } from '../server/src/engine/rules/yaml';
import { configureSchemaCodeCache } from '../server/src/engine/schema/code-cache';
import { clearSchemaCache, compileSchema, flushSchemaCodeCache, schemaCompileCount, schemaDiskLoadCount } from '../server/src/engine/schema/compile';
import type { Finding } from '../server/src/engine/types';
import { CORPUS, REPO } from './helpers';

const corpus = (p: string) => nodePath.join(CORPUS, p);
const fixture = (p: string) => nodePath.join(REPO, 'test/fixtures', p);

/** Values files with findings of many kinds: wrong types, unknown and misspelt keys. */
function variants(text: string): string[] {
  const lines = text.split('\n');
  const typos = lines.map((l, i) => (i % 7 === 3 ? l.replace(/^(\s*)([A-Za-z][\w-]*):/, '$1$2x:') : l)).join('\n');
  const types = text
    .replace(/: true$/gm, ': "maybe"')
    .replace(/: false$/gm, ': 7')
    .replace(/: ""$/gm, ': []')
    .replace(/: (\d+)$/gm, ': "n$1"')
    .replace(/: \{\}$/gm, ': 1');
  return [text, `unknownTopLevelKey: 1\n${text}`, typos, types];
}

interface Case {
  name: string;
  /** Values files linted; variants of the first file are linted in an overlay. */
  files: string[];
}

const CASES: Case[] = [
  { name: 'Cloudzero (2020-12, 208 KB)', files: [corpus('Cloudzero__cloudzero-agent/helm/values.yaml')] },
  {
    name: 'kubernaut HEAD stack',
    files: ['values.yaml', 'values-ocp.yaml', 'values-airgap.yaml'].map((f) => corpus(`jordigilh__kubernaut/charts/kubernaut/${f}`)),
  },
  { name: 'kubernaut a0781038', files: [corpus('jordigilh__kubernaut__a0781038/charts/kubernaut/values.yaml')] },
  { name: 'cert-manager', files: [corpus('cert-manager__cert-manager/deploy/charts/cert-manager/values.yaml')] },
  { name: 'bitnami postgresql', files: [corpus('bitnami__charts/bitnami/postgresql/values.yaml')] },
  { name: 'rancher', files: [corpus('rancher__rancher/chart/values.yaml')] },
  { name: 'fixture agent (external $ref)', files: [fixture('schema/agent/values.yaml')] },
  { name: 'fixture webapp', files: [fixture('schema/webapp/values.yaml')] },
  { name: 'fixture standalone', files: [fixture('schema/standalone/proxy-values.yaml'), fixture('schema/standalone/remote-values.yaml')] },
  { name: 'fixture layers/shop', files: fs.existsSync(fixture('layers/shop')) ? fs.readdirSync(fixture('layers/shop')).filter((f) => /\.ya?ml$/.test(f) && f !== 'Chart.yaml').map((f) => fixture(`layers/shop/${f}`)) : [] },
];

/** Every finding of every file and variant, linted by a fresh engine with empty in-memory caches. */
function lintCase(c: Case): Finding[][] {
  clearSchemaCache();
  const out: Finding[][] = [];
  const host = new DiskHost();
  const engine = new Engine(host, { rules: [yamlRules, schemaRules] });
  for (const file of c.files) out.push(engine.lint(file).findings);
  let version = 1;
  for (const text of variants(fs.readFileSync(c.files[0], 'utf8'))) {
    host.open(c.files[0], text, version++);
    out.push(engine.lint(c.files[0]).findings);
  }
  host.close(c.files[0]);
  flushSchemaCodeCache();
  return out;
}

let dir: string;
const cacheDir = () => nodePath.join(dir, 'cache');
const cacheFiles = () => fs.readdirSync(cacheDir()).filter((f) => f.endsWith('.js'));
const v8Files = () => fs.readdirSync(cacheDir()).filter((f) => f.endsWith('.v8'));

describe('on-disk cache of compiled schema code', function () {
  this.timeout(120000);
  beforeEach(() => {
    dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'airgap-schema-cache-'));
  });
  afterEach(() => {
    configureSchemaCodeCache(undefined);
    clearSchemaCache();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const c of CASES) {
    const present = c.files.length > 0 && c.files.every((f) => fs.existsSync(f));
    (present ? it : it.skip)(`${c.name}: same findings without the cache, filling it and loading from it`, () => {
      configureSchemaCodeCache(null);
      const without = lintCase(c);
      configureSchemaCodeCache(cacheDir());
      const filling = lintCase(c);
      assert.ok(cacheFiles().length >= 1, 'the compiled code was written');
      const loadsBefore = schemaDiskLoadCount();
      const loaded = lintCase(c);
      assert.ok(schemaDiskLoadCount() > loadsBefore, 'the code was loaded from disk');
      assert.ok(v8Files().length >= 1, "the first load stored V8's code cache");
      const withV8 = lintCase(c);
      assert.deepEqual(filling, without);
      assert.deepEqual(loaded, without);
      assert.deepEqual(withV8, without);
      assert.ok(without.flat().some((f) => f.code.startsWith('schema/')), 'the variants give schema findings');
    });
  }

  const schemaPath = () => nodePath.join(dir, 'values.schema.json');
  const SCHEMA = JSON.stringify({
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { type: 'string', pattern: '^[[:alpha:]]+$' },
      odd: { type: 'string', pattern: '(?<!x' },
      mode: { oneOf: [{ const: 'a' }, { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] }] },
    },
  });
  function compileFresh() {
    clearSchemaCache();
    const compiled = compileSchema(schemaPath(), SCHEMA, new DiskHost());
    flushSchemaCodeCache();
    return compiled;
  }
  const check = (c: ReturnType<typeof compileFresh>, data: unknown) => {
    const ok = c.validate?.(data);
    return { ok, errors: (c.validate?.errors ?? []).map((e) => [e.instancePath, e.keyword, e.message]) };
  };

  it('RE2 patterns and unreadable patterns behave the same after loading', () => {
    configureSchemaCodeCache(cacheDir());
    const first = compileFresh();
    const loads = schemaDiskLoadCount();
    const second = compileFresh();
    assert.equal(schemaDiskLoadCount(), loads + 1);
    assert.deepEqual(second.unsupportedPatterns, first.unsupportedPatterns);
    assert.deepEqual(first.unsupportedPatterns, ['(?<!x']);
    for (const data of [{ name: 'abc' }, { name: 'ab1' }, { odd: 'anything' }, { mode: { n: 'x' } }, { mode: 'b' }, { extra: 1 }]) {
      assert.deepEqual(check(second, data), check(first, data));
    }
    assert.equal(check(second, { name: 'ab1' }).ok, false);
    // oneOf branch analysis gets validators for the same schema objects.
    assert.ok(second.validatorFor(second.prepared && (second.prepared.root as { properties: { mode: { oneOf: object[] } } }).properties.mode.oneOf[1]));
  });

  const compileCountFor = (mutate: (file: string) => void) => {
    configureSchemaCodeCache(cacheDir());
    compileFresh();
    const [file] = cacheFiles();
    mutate(nodePath.join(cacheDir(), file));
    const loads = schemaDiskLoadCount();
    const compiles = schemaCompileCount();
    const again = compileFresh();
    assert.equal(schemaCompileCount(), compiles + 1);
    assert.equal(check(again, { name: 'ab1' }).ok, false);
    return schemaDiskLoadCount() - loads;
  };

  it('a tampered file (code changed, header kept) is ignored and the schema compiled', () => {
    const loads = compileCountFor((f) => fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('"use strict";', '"use strict";globalThis.__pwned=1;')));
    assert.equal(loads, 0);
    assert.equal((globalThis as { __pwned?: number }).__pwned, undefined);
  });

  it("a V8 code cache that is corrupt or made for other code is ignored", () => {
    configureSchemaCodeCache(cacheDir());
    const first = compileFresh();
    compileFresh(); // the first load writes the V8 code cache
    const [v8] = v8Files();
    assert.ok(v8);
    const file = nodePath.join(cacheDir(), v8);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 10] ^= 0xff;
    fs.writeFileSync(file, bytes);
    const loads = schemaDiskLoadCount();
    const again = compileFresh();
    assert.equal(schemaDiskLoadCount(), loads + 1, 'the code itself still loads');
    for (const data of [{ name: 'abc' }, { name: 'ab1' }, { mode: { n: 'x' } }]) assert.deepEqual(check(again, data), check(first, data));
    // Rewritten after that load, then used; a header naming other code is refused.
    const header = fs.readFileSync(file).subarray(0, 300).toString('latin1').split('\n')[0];
    assert.match(header, /^\/\/ airgap-lint v8 code v1 [0-9a-f]{64} [0-9a-f]{64} [0-9a-f]{64}$/);
    const good = fs.readFileSync(file);
    fs.writeFileSync(file, Buffer.concat([Buffer.from(header.replace(/ ([0-9a-f]{64}) ([0-9a-f]{64})$/, ' ' + '0'.repeat(64) + ' $2') + '\n'), good.subarray(header.length + 1)]));
    const third = compileFresh();
    assert.deepEqual(check(third, { name: 'ab1' }), check(first, { name: 'ab1' }));
  });

  it('truncated, empty and foreign files are ignored without a crash', () => {
    assert.equal(compileCountFor((f) => fs.writeFileSync(f, fs.readFileSync(f, 'utf8').slice(0, 500))), 0);
    assert.equal(compileCountFor((f) => fs.writeFileSync(f, '')), 0);
    assert.equal(compileCountFor((f) => fs.writeFileSync(f, 'module.exports = () => true;\n')), 0);
  });

  it('a file others can write to, or a symlink, is not read', function () {
    if (typeof process.getuid !== 'function') this.skip();
    assert.equal(compileCountFor((f) => fs.chmodSync(f, 0o666)), 0);
    assert.equal(
      compileCountFor((f) => {
        const moved = `${f}.elsewhere`;
        fs.renameSync(f, moved);
        fs.symlinkSync(moved, f);
      }),
      0,
    );
  });

  it('a cache directory others can write to is not read', function () {
    if (typeof process.getuid !== 'function') this.skip();
    configureSchemaCodeCache(cacheDir());
    compileFresh();
    fs.chmodSync(cacheDir(), 0o777);
    configureSchemaCodeCache(cacheDir()); // a new process would check the directory again
    const loads = schemaDiskLoadCount();
    clearSchemaCache();
    compileSchema(schemaPath(), SCHEMA, new DiskHost());
    assert.equal(schemaDiskLoadCount(), loads);
  });

  it('the directory is created private and keeps at most 32 files', () => {
    configureSchemaCodeCache(cacheDir());
    for (let i = 0; i < 40; i++) {
      clearSchemaCache();
      compileSchema(schemaPath(), JSON.stringify({ type: 'object', properties: { [`k${i}`]: { type: 'string' } } }), new DiskHost());
      flushSchemaCodeCache();
    }
    assert.equal(fs.statSync(cacheDir()).mode & 0o777, 0o700);
    assert.equal(cacheFiles().length, 32);
    assert.deepEqual(fs.readdirSync(cacheDir()).filter((f) => f.endsWith('.tmp')), []);
  });

  it('no cache directory (null) writes nothing', () => {
    configureSchemaCodeCache(null);
    compileFresh();
    assert.equal(fs.existsSync(cacheDir()), false);
  });
});
