// The lint worker: a `worker_threads` entry point (bundled as dist/lint-worker.js) that runs the
// same pure engine as the server on files too large to lint on the server's thread
// (lsp/large-files.ts). The server sends each job the texts of the open buffers it needs; the
// worker reads everything else from disk, keeps its engine (and so the parsed document, which
// makes re-linting an edited file incremental) between jobs, and answers with plain data.
import { parentPort, workerData } from 'node:worker_threads';
import { configureSchemaCodeCache, DiskHost, LanguageService } from './engine';
import type { JobMessage, LintRequest, LintResponse, LintWorkerData, ReplyMessage } from './lsp/lint-worker-protocol';

const host = new DiskHost();
let engine: LanguageService | undefined;
let settingsKey = '';
/** Buffers of the previous job: dropped before the next, so no closed buffer outlives its job. */
let openPaths: string[] = [];

const data = workerData as LintWorkerData | undefined;
if (data && data.schemaCodeCacheDir !== undefined) configureSchemaCodeCache(data.schemaCodeCacheDir);

function lint(request: LintRequest): LintResponse {
  const key = JSON.stringify(request.settings);
  if (!engine || key !== settingsKey) {
    engine = new LanguageService(host, { settings: request.settings });
    settingsKey = key;
  }
  // A config file may have changed on disk since the last job; resolving configs is cheap next
  // to parsing a large file, which stays cached (its text is compared, not re-parsed).
  engine.invalidateConfigs();
  for (const path of openPaths) host.close(path);
  for (const b of request.buffers) host.open(b.path, b.text, b.version);
  openPaths = request.buffers.map((b) => b.path);
  const result = engine.lint(request.path);
  return { findings: result.findings.filter((f) => f.path === result.path) };
}

parentPort?.on('message', (message: JobMessage<LintRequest>) => {
  let reply: ReplyMessage<LintResponse>;
  try {
    reply = { id: message.id, result: lint(message.request) };
  } catch (err) {
    // The server turns this into a diagnostic on the file; the engine never sees user secrets
    // in exception messages it makes (stack overflow, invalid string length, a rule's bug).
    reply = { id: message.id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  parentPort!.postMessage(reply);
});
