// The on-disk cache of compiled schema code (schema/code-cache.ts): the same findings with and
// without it on real chart schemas and the fixtures, and untrustworthy cache files ignored.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { DiskHost } from '../server/src/engine/node-host';
import { configureSchemaCodeCache } from '../server/src/engine/schema/code-cache';
import { clearSchemaCache, compileSchema, flushSchemaCodeCache, schemaCompileCount, schemaDiskLoadCount } from '../server/src/engine/schema/compile';
import { SCHEMA_CASES, lintSchemaCase, schemaCasePresent } from './schema-cases';

let dir: string;
const cacheDir = () => nodePath.join(dir, 'cache');
const cacheFiles = () => fs.readdirSync(cacheDir()).filter((f) => f.endsWith('.js'));
const v8Files = () => fs.readdirSync(cacheDir()).filter((f) => f.endsWith('.v8'));

describe('on-disk cache of compiled schema code', function () {
  this.timeout(120000);
  // The cache holds ajv's code; schemas the interpreter takes (interpret.ts) never reach ajv.
  const validatorBefore = process.env.AIRGAP_LINT_SCHEMA_VALIDATOR;
  before(() => {
    process.env.AIRGAP_LINT_SCHEMA_VALIDATOR = 'ajv';
  });
  after(() => {
    if (validatorBefore === undefined) delete process.env.AIRGAP_LINT_SCHEMA_VALIDATOR;
    else process.env.AIRGAP_LINT_SCHEMA_VALIDATOR = validatorBefore;
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'airgap-schema-cache-'));
  });
  afterEach(() => {
    configureSchemaCodeCache(undefined);
    clearSchemaCache();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const c of SCHEMA_CASES) {
    (schemaCasePresent(c) ? it : it.skip)(`${c.name}: same findings without the cache, filling it and loading from it`, () => {
      configureSchemaCodeCache(null);
      const without = lintSchemaCase(c);
      configureSchemaCodeCache(cacheDir());
      const filling = lintSchemaCase(c);
      assert.ok(cacheFiles().length >= 1, 'the compiled code was written');
      const loadsBefore = schemaDiskLoadCount();
      const loaded = lintSchemaCase(c);
      assert.ok(schemaDiskLoadCount() > loadsBefore, 'the code was loaded from disk');
      assert.ok(v8Files().length >= 1, "the first load stored V8's code cache");
      const withV8 = lintSchemaCase(c);
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
