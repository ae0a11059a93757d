// Large files are linted off the server's thread. Linting blocks the thread it runs on: a 10 MB
// values file takes 5–12 s (parsing and the rules both grow with the text), and meanwhile the
// server could answer nothing else. Files above LARGE_FILE_BYTES, and the files whose layer
// stack holds one, are linted in a worker thread (dist/lint-worker.js) instead, so the other
// documents keep their diagnostics, hovers and completions.
//
// What the user gives up on such a file: hover and completion answer nothing for it (they would
// need its parsed document on the server's thread, which is exactly the multi-second parse this
// avoids); quick fixes still come with its diagnostics, and fix-all runs in the worker.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { findStack, type ConfigInput, type Engine, type Finding } from '../engine';
import type { BufferSnapshot, LintRequest, LintResponse, LintWorkerData } from './lint-worker-protocol';
import { WorkerLane, type JobOutcome } from './worker-lane';

/**
 * Above this size a file is linted in the worker. 1 MiB: the largest real values files are a
 * few hundred KB (kube-prometheus-stack's is 200 KB) and lint in well under a second, and they
 * keep hover and completion; a 1 MiB file already takes 1–2 s to lint, longer than any editor
 * should wait for an unrelated hover.
 */
export const LARGE_FILE_BYTES = 1024 * 1024;

/**
 * A lint of a large file still running after this long is stopped and reported on the file.
 * The largest file read at all (MAX_FILE_BYTES, 16 MB) lints in about 20 s on a slow machine.
 */
export const LARGE_FILE_TIME_LIMIT_MS = 120_000;

/** The worker is terminated after this long without a lint: its parsed documents are freed. */
export const LARGE_FILE_IDLE_MS = 60_000;

/**
 * The worker's heap cap. Parsing needs roughly 40–100 bytes of heap per byte of text, so the
 * largest file read (16 MB) fits; a runaway job ends the thread (reported on the file) instead
 * of taking the server's process down.
 */
const WORKER_HEAP_MB = 2048;

/** How an open document is seen: its text, for the size and for the buffers sent to the worker. */
export interface OpenBuffer {
  path: string;
  text: string;
  version: number;
}

/** Size in bytes of a file as the engine would read it: an open buffer's text, else the file on disk. */
function sizeOf(path: string, open: ReadonlyMap<string, OpenBuffer>): number {
  const buffer = open.get(path);
  // UTF-16 code units: the same as bytes for the ASCII of a values file, close enough otherwise.
  if (buffer) return buffer.text.length;
  try {
    return fs.statSync(path).size;
  } catch {
    return 0;
  }
}

/** The files whose lints read `path`'s layer stack: the file itself, its lower layers and its overlays. */
function stackFiles(path: string, engine: Engine): string[] {
  try {
    const stack = findStack(path, engine.configFor(path), engine.host);
    return [...stack.files, ...stack.overlays];
  } catch {
    return [path];
  }
}

/** True when the lint of `path` would parse a large file: the file itself or one of its layers. */
export function needsWorker(path: string, engine: Engine, open: ReadonlyMap<string, OpenBuffer>): boolean {
  if (sizeOf(path, open) > LARGE_FILE_BYTES) return true;
  return stackFiles(path, engine).some((file) => sizeOf(file, open) > LARGE_FILE_BYTES);
}

/**
 * The buffers the worker needs to lint `path` as the server would: every open buffer, except
 * large ones outside the file's stack (sending those would copy megabytes for nothing).
 */
export function buffersFor(path: string, engine: Engine, open: ReadonlyMap<string, OpenBuffer>): BufferSnapshot[] {
  const stack = new Set(stackFiles(path, engine));
  stack.add(path);
  return [...open.values()]
    .filter((b) => stack.has(b.path) || b.text.length <= LARGE_FILE_BYTES)
    .map((b) => ({ path: b.path, text: b.text, version: b.version }));
}

/** A finding on line 1 that tells the user why a file has no diagnostics. */
export function lintFailedFinding(path: string, reason: string): Finding {
  return {
    code: 'internal/error',
    severity: 'error',
    message: `airgap-lint could not lint this file: ${reason}`,
    path,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    fixes: [],
  };
}

export type LargeLintOutcome = JobOutcome<LintResponse>;

/** Runs the lints of large files in the worker (one at a time, the latest per document). */
export class LargeFileLinter {
  private readonly lane: WorkerLane<LintRequest, LintResponse>;
  /** release() was called while a lint ran: end the worker once it has nothing left to do. */
  private releaseWhenIdle = false;

  constructor(script: string, data: LintWorkerData, limits: { timeLimitMs?: number; idleMs?: number } = {}) {
    this.lane = new WorkerLane({
      script,
      workerData: data,
      timeLimitMs: limits.timeLimitMs ?? LARGE_FILE_TIME_LIMIT_MS,
      idleMs: limits.idleMs ?? LARGE_FILE_IDLE_MS,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
  }

  /** Lints `path` in the worker; `isCurrent` is asked when its turn comes (the document may have changed). */
  async lint(key: string, path: string, settings: ConfigInput, buffers: BufferSnapshot[], isCurrent: () => boolean): Promise<LargeLintOutcome> {
    this.releaseWhenIdle = false; // still in use
    const outcome = await this.lane.run(key, { path: nodePath.resolve(path), settings, buffers }, isCurrent);
    if (this.releaseWhenIdle) this.release();
    return outcome;
  }

  /** The reason to show on the file when the worker gave no findings, or undefined when there is nothing to show. */
  static failureReason(outcome: LargeLintOutcome): string | undefined {
    switch (outcome.kind) {
      case 'timeout':
        return `its lint was stopped after ${Math.round(outcome.elapsedMs / 1000)} s (the file is very large). Split the file, or lint it with the CLI (airgap-lint check).`;
      case 'crashed':
        return `the lint thread stopped while linting it (${outcome.message}). The file may be too large or too deeply nested.`;
      case 'failed':
        return `${outcome.message}.`;
      default:
        return undefined;
    }
  }

  /**
   * Nothing large is open any more: terminates the worker, which frees everything it parsed;
   * a lint still running or queued (its document was just closed, say) finishes first.
   */
  release(): void {
    this.releaseWhenIdle = this.lane.pending > 0;
    if (!this.releaseWhenIdle) this.lane.stop();
  }

  stop(): void {
    this.lane.stop();
  }

  get workerAlive(): boolean {
    return this.lane.alive;
  }

  get threadsStarted(): number {
    return this.lane.threadsStarted;
  }
}
