// The server's background thread for slow work (server/src/lsp/worker-lane.ts), driven with a
// tiny worker script written for the test: results, the latest job per key, stale jobs
// skipped, a time limit and a crash each ending the thread (and the next job getting a new
// one), the idle thread ending, and stop().
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkerLane, type JobOutcome } from '../server/src/lsp/worker-lane';

type Request = { op: 'echo' | 'busy' | 'exit' | 'fail' | 'throw-later'; value?: string; ms?: number };

// Plain CommonJS: a worker runs files, not TypeScript.
const SCRIPT = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, request }) => {
  if (request.op === 'busy') { const end = Date.now() + request.ms; while (Date.now() < end); }
  if (request.op === 'exit') process.exit(3); // in a worker: ends the thread, not the process
  if (request.op === 'throw-later') { setImmediate(() => { throw new Error('uncaught in the worker'); }); return; }
  if (request.op === 'fail') parentPort.postMessage({ id, error: 'the job failed' });
  else parentPort.postMessage({ id, result: request.value });
});
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('worker lane', function () {
  this.timeout(30000);
  let dir: string;
  let script: string;
  let lane: WorkerLane<Request, string>;
  const make = (options: { timeLimitMs?: number; idleMs?: number } = {}) =>
    (lane = new WorkerLane<Request, string>({ script, timeLimitMs: options.timeLimitMs ?? 10_000, idleMs: options.idleMs ?? 10_000 }));

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'airgap-lint-lane-'));
    script = path.join(dir, 'worker.js');
    fs.writeFileSync(script, SCRIPT);
  });

  afterEach(() => lane?.stop());
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs a job in a thread and returns its result; an error the job reports is a failure, not a crash', async () => {
    make();
    const done = await lane.run('a', { op: 'echo', value: 'hello' });
    assert.equal(done.kind, 'done');
    assert.equal(done.kind === 'done' && done.result, 'hello');
    assert.deepEqual(stripTimes(await lane.run('a', { op: 'fail' })), { kind: 'failed', message: 'the job failed' });
    assert.equal(lane.threadsStarted, 1, 'one thread served both');
    assert.ok(lane.alive);
  });

  it('runs only the latest queued job per key, and skips a job that is no longer current when its turn comes', async () => {
    make();
    const busy = lane.run('a', { op: 'busy', ms: 300, value: 'busy' });
    const b1 = lane.run('b', { op: 'echo', value: 'b1' });
    const b2 = lane.run('b', { op: 'echo', value: 'b2' });
    let current = true;
    const c = lane.run('c', { op: 'echo', value: 'c' }, () => current);
    current = false; // e.g. the document changed while the busy job ran
    assert.deepEqual((await b1).kind, 'superseded');
    assert.deepEqual(stripTimes(await busy), { kind: 'done', result: 'busy' });
    assert.deepEqual(stripTimes(await b2), { kind: 'done', result: 'b2' });
    assert.deepEqual(await c, { kind: 'superseded' });
  });

  it('terminates a job over the time limit and gives the next job a new thread', async () => {
    make({ timeLimitMs: 200 });
    const started = Date.now();
    const outcome = await lane.run('a', { op: 'busy', ms: 5000 });
    assert.equal(outcome.kind, 'timeout');
    assert.ok(Date.now() - started < 2000, `settled after ${Date.now() - started} ms`);
    assert.deepEqual(stripTimes(await lane.run('a', { op: 'echo', value: 'next' })), { kind: 'done', result: 'next' });
    assert.equal(lane.threadsStarted, 2);
  });

  it('reports a thread that exits or throws during a job as crashed, and recovers', async () => {
    make();
    const exited = await lane.run('a', { op: 'exit' });
    assert.equal(exited.kind, 'crashed');
    assert.match(exited.kind === 'crashed' ? exited.message : '', /exited \(code 3\)/);
    const threw = await lane.run('a', { op: 'throw-later' });
    assert.equal(threw.kind, 'crashed');
    assert.match(threw.kind === 'crashed' ? threw.message : '', /uncaught in the worker/);
    assert.deepEqual(stripTimes(await lane.run('a', { op: 'echo', value: 'alive' })), { kind: 'done', result: 'alive' });
    assert.equal(lane.threadsStarted, 3);
  });

  it('ends the thread after the idle time, and starts one again for the next job', async () => {
    make({ idleMs: 100 });
    await lane.run('a', { op: 'echo', value: '1' });
    assert.ok(lane.alive);
    await sleep(400);
    assert.equal(lane.alive, false, 'idle thread terminated');
    assert.deepEqual(stripTimes(await lane.run('a', { op: 'echo', value: '2' })), { kind: 'done', result: '2' });
    assert.equal(lane.threadsStarted, 2);
  });

  it('stop() settles the running and the queued jobs as stopped and ends the thread', async () => {
    make();
    const running = lane.run('a', { op: 'busy', ms: 2000 });
    const queued = lane.run('b', { op: 'echo', value: 'b' });
    await sleep(100);
    lane.stop();
    assert.deepEqual(await running, { kind: 'stopped' });
    assert.deepEqual(await queued, { kind: 'stopped' });
    assert.equal(lane.alive, false);
    assert.equal(lane.pending, 0);
  });
});

/** An outcome without its timing, for exact comparisons. */
function stripTimes(outcome: JobOutcome<string>): Record<string, unknown> {
  const { elapsedMs: _elapsed, ...rest } = outcome as JobOutcome<string> & { elapsedMs?: number };
  return rest;
}
