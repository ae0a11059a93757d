// One background thread that runs jobs one at a time, for work too slow for the server's own
// thread (linting a 10 MB values file takes seconds). One thread, not a pool: the machines this
// runs on have few cores and the editor needs one, and a second large lint in parallel would
// double the memory peak for no gain in what the user sees.
//
// - Latest wins: a job queued under a key that already has a queued job replaces it (the
//   replaced one settles as `superseded`); a job whose `isCurrent` says no when its turn comes
//   is not run at all.
// - A job that runs longer than the time limit, or a thread that crashes (an exception outside
//   a job, running out of its heap), settles as `timeout` / `crashed`; the thread is terminated
//   and the next job gets a new one. Nothing waits forever.
// - The thread is terminated after `idleMs` without work, and by `stop()`: what it cached (a
//   parsed 10 MB document holds hundreds of MB) is freed with it.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { JobMessage, ReplyMessage } from './lint-worker-protocol';

export type JobOutcome<Res> =
  | { kind: 'done'; result: Res; elapsedMs: number }
  | { kind: 'failed'; message: string; elapsedMs: number }
  | { kind: 'superseded' }
  | { kind: 'timeout'; elapsedMs: number }
  | { kind: 'crashed'; message: string; elapsedMs: number }
  | { kind: 'stopped' };

export interface WorkerLaneOptions {
  /** The worker's script (a bundled CommonJS file). */
  script: string;
  /** Passed to the worker as `workerData`. */
  workerData?: unknown;
  /** A job still running after this long is abandoned and its thread terminated. */
  timeLimitMs: number;
  /** The thread is terminated after this long without a job. */
  idleMs: number;
  /** Caps the thread's heap, so that a runaway job ends the thread, not the server. */
  resourceLimits?: ResourceLimits;
}

interface Job<Req, Res> {
  key: string;
  request: Req;
  isCurrent: () => boolean;
  settle: (outcome: JobOutcome<Res>) => void;
}

export class WorkerLane<Req, Res> {
  private worker: Worker | undefined;
  private readonly queue: Array<Job<Req, Res>> = [];
  private running: { job: Job<Req, Res>; id: number; started: number; timer: NodeJS.Timeout } | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  /** Threads started so far (for tests and the log: a crash or a time limit starts a new one). */
  threadsStarted = 0;

  constructor(private readonly options: WorkerLaneOptions) {}

  /** Queues a job; settles when it ran, was replaced or skipped, or its thread failed. */
  run(key: string, request: Req, isCurrent: () => boolean = () => true): Promise<JobOutcome<Res>> {
    return new Promise((settle) => {
      const queued = this.queue.findIndex((j) => j.key === key);
      const job: Job<Req, Res> = { key, request, isCurrent, settle };
      if (queued >= 0) {
        this.queue[queued].settle({ kind: 'superseded' });
        this.queue[queued] = job;
      } else {
        this.queue.push(job);
      }
      this.pump();
    });
  }

  /** True while a thread exists (it holds memory). */
  get alive(): boolean {
    return this.worker !== undefined;
  }

  /** Jobs queued or running. */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /** Settles every job as `stopped` and terminates the thread. The lane can be used again. */
  stop(): void {
    for (const job of this.queue.splice(0)) job.settle({ kind: 'stopped' });
    if (this.running) {
      clearTimeout(this.running.timer);
      this.running.job.settle({ kind: 'stopped' });
      this.running = undefined;
    }
    this.terminate();
  }

  private pump(): void {
    if (this.running) return;
    let job: Job<Req, Res> | undefined;
    while ((job = this.queue.shift())) {
      if (safeIsCurrent(job)) break;
      job.settle({ kind: 'superseded' });
    }
    if (!job) {
      this.armIdleTimer();
      return;
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const worker = this.worker ?? this.spawn();
    const id = this.nextId++;
    const started = performance.now();
    const timer = setTimeout(() => this.finish(id, { kind: 'timeout', elapsedMs: performance.now() - started }, true), this.options.timeLimitMs);
    this.running = { job, id, started, timer };
    const message: JobMessage<Req> = { id, request: job.request };
    try {
      worker.postMessage(message);
    } catch (err) {
      // The request could not be cloned (a bug: requests are plain data).
      this.finish(id, { kind: 'failed', message: err instanceof Error ? err.message : String(err), elapsedMs: 0 }, false);
    }
  }

  private spawn(): Worker {
    const worker = new Worker(this.options.script, { workerData: this.options.workerData, resourceLimits: this.options.resourceLimits });
    this.threadsStarted++;
    this.worker = worker;
    worker.on('message', (reply: ReplyMessage<Res>) => {
      if (this.worker !== worker || !this.running || reply?.id !== this.running.id) return;
      const elapsedMs = performance.now() - this.running.started;
      this.finish(reply.id, 'error' in reply ? { kind: 'failed', message: reply.error, elapsedMs } : { kind: 'done', result: reply.result, elapsedMs }, false);
    });
    const lost = (message: string) => {
      if (this.worker !== worker) return; // a thread we already let go of
      this.worker = undefined;
      if (this.running) this.finish(this.running.id, { kind: 'crashed', message, elapsedMs: performance.now() - this.running.started }, false);
      else this.pump();
    };
    worker.on('error', (err) => lost(err instanceof Error ? err.message : String(err)));
    worker.on('exit', (code) => lost(`the lint thread exited (code ${code})`));
    // An idle thread must not keep the server process alive after the connection is gone.
    worker.unref();
    return worker;
  }

  private finish(id: number, outcome: JobOutcome<Res>, terminate: boolean): void {
    const running = this.running;
    if (!running || running.id !== id) return;
    clearTimeout(running.timer);
    this.running = undefined;
    if (terminate) this.terminate();
    running.job.settle(outcome);
    this.pump();
  }

  private armIdleTimer(): void {
    if (!this.worker || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (!this.running && this.queue.length === 0) this.terminate();
    }, this.options.idleMs);
    this.idleTimer.unref();
  }

  private terminate(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) void worker.terminate().catch(() => undefined);
  }
}

function safeIsCurrent(job: { isCurrent: () => boolean }): boolean {
  try {
    return job.isCurrent();
  } catch {
    return false;
  }
}
