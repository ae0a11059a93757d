// The messages between the language server and its lint worker (server/src/lint-worker.ts):
// plain data only, since they cross a thread boundary by structured clone.
import type { ConfigInput, Finding } from '../engine';

/** An editor buffer the worker must see instead of the file on disk. */
export interface BufferSnapshot {
  path: string;
  text: string;
  version: number;
}

/** Lint one file, as the server's engine would with these settings and these open buffers. */
export interface LintRequest {
  path: string;
  settings: ConfigInput;
  /** The document itself and the other open buffers its lint may read (layers, config, schemas). */
  buffers: BufferSnapshot[];
}

/** The findings of the file itself (findings in other files are published with those files). */
export interface LintResponse {
  findings: Finding[];
}

/** What the worker receives once, at start. */
export interface LintWorkerData {
  /** The schema code cache directory the server uses (null: none on disk). */
  schemaCodeCacheDir: string | null;
}

/** Server → worker: one job. */
export interface JobMessage<Req> {
  id: number;
  request: Req;
}

/** Worker → server: the job's result, or the message of the exception it threw. */
export type ReplyMessage<Res> = { id: number; result: Res } | { id: number; error: string };
