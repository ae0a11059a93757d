// Large files off the server's thread (server/src/lsp/large-files.ts and the bundled worker
// dist/lint-worker.js, built by `npm test`): which lints go to the worker, which buffers it is
// sent, that it finds exactly what the server's engine finds, and a time limit reported on the file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiskHost, LanguageService } from '../server/src/engine';
import { buffersFor, LARGE_FILE_BYTES, LargeFileLinter, needsWorker, type OpenBuffer } from '../server/src/lsp/large-files';
import { FIXTURES } from './helpers';
import { largeValuesText } from './large-values';

const WORKER = path.resolve(__dirname, '..', 'dist', 'lint-worker.js');

function openMap(...buffers: OpenBuffer[]): Map<string, OpenBuffer> {
  return new Map(buffers.map((b) => [b.path, b]));
}

describe('large files', function () {
  this.timeout(60000);
  let dir: string;
  let big: string;

  before(function () {
    if (!fs.existsSync(WORKER)) throw new Error('dist/lint-worker.js is missing: run `npm run build` (npm test does).');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'airgap-lint-large-files-'));
    // A chart whose values.yaml is large, with a small overlay layered on it.
    fs.cpSync(path.join(FIXTURES, 'lsp', 'chart'), path.join(dir, 'chart'), { recursive: true });
    big = path.join(dir, 'chart', 'values.yaml');
    fs.writeFileSync(big, largeValuesText(LARGE_FILE_BYTES + 1));
    fs.cpSync(path.join(FIXTURES, 'lsp', 'configured'), path.join(dir, 'configured'), { recursive: true });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sends a large file, and a file layered on one, to the worker; small unrelated files stay on the server', () => {
    const engine = new LanguageService(new DiskHost());
    const overlay = path.join(dir, 'chart', 'values-prod.yaml');
    const small = path.join(dir, 'configured', 'values.yaml');
    assert.equal(needsWorker(big, engine, openMap()), true, 'on disk');
    assert.equal(needsWorker(overlay, engine, openMap()), true, 'its base layer is large');
    assert.equal(needsWorker(small, engine, openMap()), false);
    // An open buffer counts, not the file on disk: a small buffer edited to a large one, and back.
    assert.equal(needsWorker(small, engine, openMap({ path: small, text: 'x'.repeat(LARGE_FILE_BYTES + 1), version: 2 })), true);
    assert.equal(needsWorker(big, engine, openMap({ path: big, text: 'replicaCount: 1\n', version: 2 })), false);
  });

  it('sends the worker the open buffers, but no large one outside the file\'s stack', () => {
    const engine = new LanguageService(new DiskHost());
    const small = path.join(dir, 'configured', 'values.yaml');
    const prod = path.join(dir, 'configured', 'values-prod.yaml');
    const other = path.join(dir, 'elsewhere', 'values.yaml');
    const open = openMap(
      { path: small, text: 'a: 1\n', version: 3 },
      { path: prod, text: 'b: 2\n', version: 1 },
      { path: other, text: 'c'.repeat(LARGE_FILE_BYTES + 1), version: 1 },
    );
    assert.deepEqual(buffersFor(small, engine, open).map((b) => [b.path, b.version]), [[small, 3], [prod, 1]]);
    assert.deepEqual(buffersFor(other, engine, open).map((b) => b.path), [small, prod, other]);
  });

  it('finds in the worker exactly what the server\'s engine finds, open buffers and folder config included', async () => {
    const linter = new LargeFileLinter(WORKER, { schemaCodeCacheDir: null });
    try {
      const file = path.join(dir, 'configured', 'values-prod.yaml');
      // An unsaved buffer: a duplicate key the file on disk does not have.
      const text = `${fs.readFileSync(file, 'utf8')}\nextra: 1\nextra: 2\n`;
      const host = new DiskHost();
      host.open(file, text, 4);
      const expected = new LanguageService(host, { settings: { runtimes: ['go'] } }).lint(file).findings.filter((f) => f.path === file);
      assert.ok(expected.some((f) => f.code === 'yaml/duplicate-key'), 'the buffer is what is linted');
      const outcome = await linter.lint('k', file, { runtimes: ['go'] }, [{ path: file, text, version: 4 }], () => true);
      assert.equal(outcome.kind, 'done', JSON.stringify(outcome));
      assert.deepEqual(outcome.kind === 'done' && outcome.result.findings, expected);
      assert.equal(linter.workerAlive, true);
      linter.release();
      assert.equal(linter.workerAlive, false, 'release() ends an idle worker');
      // Released while a lint runs (its document was just closed): the worker ends after it.
      const running = linter.lint('k', file, {}, [], () => true);
      linter.release();
      assert.equal(linter.workerAlive, true);
      assert.equal((await running).kind, 'done');
      assert.equal(linter.workerAlive, false, 'ended once the lint was done');
    } finally {
      linter.stop();
    }
  });

  it('stops a lint over the time limit and says so on the file', async () => {
    const linter = new LargeFileLinter(WORKER, { schemaCodeCacheDir: null }, { timeLimitMs: 50 });
    try {
      const outcome = await linter.lint('k', big, {}, [], () => true);
      assert.equal(outcome.kind, 'timeout');
      assert.match(LargeFileLinter.failureReason(outcome) ?? '', /^its lint was stopped after \d+ s \(the file is very large\)/);
      assert.equal(linter.workerAlive, false);
    } finally {
      linter.stop();
    }
  });
});
