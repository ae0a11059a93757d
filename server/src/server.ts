// The language server: LSP wiring around the engine, nothing else. Any LSP client can run it
// (`node dist/server.js --stdio`); VS Code starts it over IPC (`--node-ipc`).
//
// Flow: the client's buffers become overlays of one DiskHost; an edit schedules a debounced
// lint of that document and of the open documents that depend on it (same folder, same layer
// stack); results computed for an outdated version are dropped; closing a document clears its
// diagnostics and drops what the engines cached for it. Large files (and the files layered on
// them) are linted in a worker thread (lsp/large-files.ts), so that one 10 MB file never keeps
// the server from answering about the others.
import * as nodePath from 'node:path';
import {
  CodeActionKind,
  CodeActionTriggerKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type DiagnosticTag,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { version as serverVersion } from '../../package.json';
import { clearSchemaCache, configureSchemaCodeCache, DiskHost, isConfigFile, isValuesFile, parseValuesDocument, resolveConfig, schemaCodeCacheDir, type Engine, type Finding, type ValuesDocument } from './engine';
import { fixAllAction, fixAllQuickFix, FIX_ALL_KIND, quickFixes, ruleActions, wantsKind } from './lsp/code-actions';
import { DIAGNOSTIC_SOURCE, toDiagnostic, type DiagnosticSupport } from './lsp/diagnostics';
import { Folders, type FolderState } from './lsp/folders';
import { buffersFor, LARGE_FILE_BYTES, LargeFileLinter, lintFailedFinding, needsWorker, type OpenBuffer } from './lsp/large-files';
import { describeError } from './lsp/log';
import { DebounceScheduler, editDelay } from './lsp/scheduler';
import { DEFAULT_DEBOUNCE_MS } from './lsp/settings';
import { registerProfileRequests } from './lsp/profile-requests';
import { GENERATE_COMMANDS, registerGenerateCommands } from './lsp/generate-commands';
import { clientShowsRuleDocs } from './lsp/rule-docs';
import { Commands } from './protocol';
import { COMPLETION_TRIGGERS, registerLanguageFeatures } from './lsp/language-features';
import { findConfigFiles, startupLine, type FolderStartup } from './lsp/startup';
import { UriMap, uriToPath } from './lsp/uri';

/** Files whose changes on disk matter: configs, values files (layers) and JSON Schemas. */
const WATCHED_GLOBS = ['**/.airgap-lint.{yaml,yml}', '**/*values*.{yaml,yml}', '**/*schema*.json', '**/Chart.yaml'];

/** A lint slower than this is worth a line in the log (which file, how long; never its text). */
const SLOW_LINT_MS = 1000;

interface ClientSupport {
  configuration: boolean;
  configurationDynamic: boolean;
  watchedFilesDynamic: boolean;
  workspaceFolders: boolean;
  diagnosticVersion: boolean;
  diagnostics: DiagnosticSupport;
}

function openConnection(): Connection {
  try {
    return createConnection(ProposedFeatures.all);
  } catch {
    process.stderr.write(
      'airgap-lint language server: choose a transport, e.g. `node dist/server.js --stdio` (or --node-ipc, --socket=PORT, --pipe=NAME).\n',
    );
    process.exit(2);
  }
}

const connection = openConnection();
const documents = new TextDocuments(TextDocument);
const host = new DiskHost();
const uris = new UriMap();
const scheduler = new DebounceScheduler<string>();
/** URIs that were just opened: their first lint runs without waiting for the debounce. */
const justOpened = new Set<string>();
/** URIs with non-empty diagnostics on the client, so that they can be cleared later. */
const published = new Set<string>();
/**
 * The findings last published per URI with the version they were computed on: the quick-fix
 * menu's "Fix all … in this file" reads them instead of linting on every light-bulb request.
 */
const lastFindings = new Map<string, { version: number; findings: Finding[]; fixAll?: CodeAction | null }>();

let support: ClientSupport = {
  configuration: false,
  configurationDynamic: false,
  watchedFilesDynamic: false,
  workspaceFolders: false,
  diagnosticVersion: false,
  diagnostics: { relatedInformation: false, codeDescription: false, tags: new Set() },
};
/** Settings pushed by `didChangeConfiguration`, for clients that cannot answer `workspace/configuration`. */
let pushedSettings: unknown;

const folders = new Folders(
  host,
  async (scopeUri) =>
    support.configuration ? connection.workspace.getConfiguration({ scopeUri, section: 'airgapLint' }) : pushedSettings,
  logError,
);
let workspaceFolderList: Array<{ uri: string }> = [];

/** The worker that lints large files; created on first use, after initialize set the schema cache. */
let largeFileLinter: LargeFileLinter | undefined;
function largeFiles(): LargeFileLinter {
  largeFileLinter ??= new LargeFileLinter(nodePath.join(__dirname, 'lint-worker.js'), { schemaCodeCacheDir: schemaCodeCacheDir() });
  return largeFileLinter;
}

/** The open documents by path, as the engine sees them (the same strings: nothing is copied). */
function openBuffers(): Map<string, OpenBuffer> {
  const open = new Map<string, OpenBuffer>();
  for (const doc of documents.all()) {
    const path = uriToPath(doc.uri);
    if (path) open.set(path, { path, text: doc.getText(), version: doc.version });
  }
  return open;
}

function logError(message: string, err: unknown): void {
  try {
    connection.console.error(`${message} ${describeError(err)}`);
  } catch {
    // The connection is gone; nothing left to tell.
  }
}

/** Runs a handler so that an exception is logged instead of taking the server down. */
function guard<T>(what: string, fallback: T, run: () => T): T {
  try {
    return run();
  } catch (err) {
    logError(`airgap-lint: ${what} failed.`, err);
    return fallback;
  }
}

async function guardAsync<T>(what: string, fallback: T, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    logError(`airgap-lint: ${what} failed.`, err);
    return fallback;
  }
}

// ---------------------------------------------------------------------------- lifecycle

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = params.capabilities;
  const publish = caps.textDocument?.publishDiagnostics;
  support = {
    configuration: !!caps.workspace?.configuration,
    configurationDynamic: !!caps.workspace?.didChangeConfiguration?.dynamicRegistration,
    watchedFilesDynamic: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    workspaceFolders: !!caps.workspace?.workspaceFolders,
    diagnosticVersion: !!publish?.versionSupport,
    diagnostics: {
      relatedInformation: !!publish?.relatedInformation,
      codeDescription: !!publish?.codeDescriptionSupport,
      tags: new Set<DiagnosticTag>(publish?.tagSupport?.valueSet ?? []),
    },
  };
  workspaceFolderList = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : []);
  // Compiled schema code survives editor restarts in the extension's storage (schema/code-cache.ts);
  // AIRGAP_LINT_CACHE_DIR (a directory, or `off`) still wins.
  const init = params.initializationOptions as { cacheDir?: unknown; yamlExtensionActive?: unknown } | undefined;
  folders.client = { yamlExtensionActive: init?.yamlExtensionActive === true };
  const cacheDir = init?.cacheDir;
  if (typeof cacheDir === 'string' && nodePath.isAbsolute(cacheDir) && !process.env.AIRGAP_LINT_CACHE_DIR) configureSchemaCodeCache(nodePath.join(cacheDir, 'schema-code'));
  folders.setFolders(workspaceFolderList);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      hoverProvider: true,
      completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: false },
      // Show documentation runs in the server only for clients that do not run it themselves.
      executeCommandProvider: { commands: clientShowsRuleDocs(init) ? GENERATE_COMMANDS : [...GENERATE_COMMANDS, Commands.showRuleDocumentation] },
      workspace: support.workspaceFolders ? { workspaceFolders: { supported: true, changeNotifications: true } } : undefined,
    },
    serverInfo: { name: 'airgap-lint', version: serverVersion },
  };
});

/** One line at the default log level: version, folders, config files, the profile in effect (lsp/startup.ts). */
async function logStartup(): Promise<void> {
  const summaries: FolderStartup[] = [];
  for (const f of workspaceFolderList) {
    const folder = uriToPath(f.uri);
    if (!folder) continue;
    // The folder's settings (airgapLint.cluster …) count: wait for them as a lint would.
    const state = await folders.stateFor(nodePath.join(folder, 'values.yaml'));
    summaries.push({ folder, search: await findConfigFiles(folder), config: resolveConfig(folder, host, state.settings.config) });
  }
  connection.console.info(startupLine(serverVersion, summaries));
}

connection.onInitialized(() => {
  void guardAsync('logging the start-up line', undefined, logStartup);
  if (support.configurationDynamic) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'airgapLint' });
  }
  if (support.watchedFilesDynamic) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })),
    });
  }
  if (support.workspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((event) =>
      guard('updating workspace folders', undefined, () => {
        const removed = new Set(event.removed.map((f) => f.uri));
        workspaceFolderList = [...workspaceFolderList.filter((f) => !removed.has(f.uri)), ...event.added];
        folders.setFolders(workspaceFolderList);
        scheduleAll();
      }),
    );
  }
});

// ---------------------------------------------------------------------------- validation

function debounceFor(path: string): number {
  return folders.peek(path)?.settings.debounceMs ?? DEFAULT_DEBOUNCE_MS;
}

/** How long each open document's last lint took (see editDelay). */
const lintDurations = new Map<string, number>();

function schedule(uri: string, path: string, delayMs = editDelay(debounceFor(path), lintDurations.get(uri))): void {
  scheduler.schedule(uri, delayMs, () => void validate(uri));
}

function scheduleAll(): void {
  for (const doc of documents.all()) {
    const path = uriToPath(doc.uri);
    if (path) schedule(doc.uri, path);
  }
}

/**
 * Open documents whose findings may change when `path` changes: the same folder (chart
 * schema, sibling layers) and any layer stack that holds both files.
 */
function scheduleDependents(path: string): void {
  const dir = nodePath.dirname(path);
  for (const doc of documents.all()) {
    const other = uriToPath(doc.uri);
    if (!other || other === path) continue;
    const related =
      nodePath.dirname(other) === dir ||
      (folders.peek(other)?.engine.configFor(other).layers.some((stack) => stack.includes(path) && stack.includes(other)) ?? false);
    if (related) schedule(doc.uri, other);
  }
}

function shouldLint(engine: Engine, path: string): boolean {
  if (isConfigFile(path)) return true;
  const config = engine.configFor(path);
  return isValuesFile(path, config.files, config.baseDir);
}

function clearDiagnostics(uri: string): void {
  lastFindings.delete(uri);
  if (!published.delete(uri)) return;
  void connection.sendDiagnostics({ uri, diagnostics: [] });
}

async function validate(uri: string): Promise<void> {
  await guardAsync(`validating ${uri}`, undefined, async () => {
    const doc = documents.get(uri);
    const path = uriToPath(uri);
    if (!doc || !path) return;
    const version = doc.version;
    const state = await folders.stateFor(path);
    if (documents.get(uri)?.version !== version) return; // edited or closed meanwhile: a newer run is scheduled
    if (!shouldLint(state.engine, path)) {
      clearDiagnostics(uri);
      return;
    }
    const open = openBuffers();
    if (needsWorker(path, state.engine, open)) {
      await validateInWorker(uri, path, version, state, open);
      return;
    }
    const started = performance.now();
    const result = state.engine.lint(path);
    const elapsed = performance.now() - started;
    lintDurations.set(uri, elapsed);
    if (elapsed > SLOW_LINT_MS) connection.console.log(`airgap-lint: linting ${path} took ${Math.round(elapsed)} ms.`);
    publish(uri, path, version, result.findings);
  });
}

/** Lints a large file (or one layered on a large file) in the worker; the server's thread stays free. */
async function validateInWorker(uri: string, path: string, version: number, state: FolderState, open: Map<string, OpenBuffer>): Promise<void> {
  // The server's engine must not hold (or later re-parse) what the worker parses.
  state.engine.forget(path);
  const isCurrent = () => documents.get(uri)?.version === version;
  const outcome = await largeFiles().lint(uri, path, state.settings.config, buffersFor(path, state.engine, open), isCurrent);
  if (outcome.kind === 'superseded' || outcome.kind === 'stopped') return; // a newer run is scheduled, or the server stops
  lintDurations.set(uri, outcome.elapsedMs);
  if (outcome.elapsedMs > SLOW_LINT_MS) connection.console.log(`airgap-lint: linting ${path} in the background took ${Math.round(outcome.elapsedMs)} ms.`);
  const failure = LargeFileLinter.failureReason(outcome);
  if (failure) connection.console.error(`airgap-lint: could not lint ${path}: ${failure}`);
  if (!isCurrent()) return;
  publish(uri, path, version, outcome.kind === 'done' ? outcome.result.findings : [lintFailedFinding(path, failure ?? 'unknown error.')]);
}

/** Publishes the findings of `path` at `version`, unless the client shows another version by now. */
function publish(uri: string, path: string, version: number, findings: Finding[]): void {
  // Drop results for a version the client no longer shows.
  if (documents.get(uri)?.version !== version) return;
  const diagnostics = findings
    .filter((f) => f.path === path) // findings in other files are published with those files
    .map((f) => toDiagnostic(f, version, support.diagnostics, (p) => uris.uriFor(p)));
  if (diagnostics.length) published.add(uri);
  else published.delete(uri);
  lastFindings.set(uri, { version, findings });
  void connection.sendDiagnostics({ uri, version: support.diagnosticVersion ? version : undefined, diagnostics });
}

// ---------------------------------------------------------------------------- documents

documents.onDidOpen((event) => {
  justOpened.add(event.document.uri);
});

documents.onDidChangeContent((event) =>
  guard('handling a document change', undefined, () => {
    const { uri } = event.document;
    const path = uriToPath(uri);
    const opening = justOpened.delete(uri);
    if (!path) return;
    const text = event.document.getText();
    // Opening a buffer that matches the disk changes nothing for other documents.
    const othersAffected = !opening || host.readFile(path) !== text;
    uris.remember(path, uri);
    host.open(path, text, event.document.version);
    if (isConfigFile(path) && othersAffected) {
      folders.invalidateConfigs();
      scheduleAll();
      return;
    }
    schedule(uri, path, opening ? 0 : undefined); // undefined: the edit delay
    if (othersAffected) scheduleDependents(path);
  }),
);

documents.onDidClose((event) =>
  guard('handling a document close', undefined, () => {
    const { uri } = event.document;
    scheduler.cancel(uri);
    lintDurations.delete(uri);
    justOpened.delete(uri);
    published.delete(uri);
    lastFindings.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    const path = uriToPath(uri);
    if (!path) return;
    releaseDocument(path);
    // Closing a buffer with unsaved changes: the others now see the file on disk instead.
    if (host.readFile(path) === event.document.getText()) return;
    if (isConfigFile(path)) {
      folders.invalidateConfigs();
      scheduleAll();
    } else {
      scheduleDependents(path);
    }
  }),
);

/** Drops the buffer of a closed document and what the engines cached because of it. */
function releaseDocument(path: string): void {
  const state = folders.peek(path);
  const stacks = state?.engine.configFor(path).layers.filter((stack) => stack.includes(path)) ?? [];
  host.close(path);
  uris.forget(path);
  folders.forget(path);
  // Layers read only for this document: the configured stacks it is in, and its folder's
  // values files (a chart's implicit stack). Files still open stay cached.
  const dir = nodePath.dirname(path);
  const siblings = (host.listDir?.(dir) ?? []).map((name) => nodePath.join(dir, name));
  for (const other of new Set([...stacks.flat(), ...siblings])) if (!host.isOpen(other)) folders.forget(other);
  // The folder's last document: drop everything its engine holds (configs, schemas, layers).
  const folderInUse = documents.all().some((d) => {
    const other = uriToPath(d.uri);
    return other !== undefined && folders.peek(other) === state;
  });
  if (state && !folderInUse) folders.resetEngine(state);
  // Nothing open at all: compiled schemas (a process-wide cache) are not needed either.
  if (documents.all().length === 0) clearSchemaCache();
  // No large buffer left: end the worker now rather than after its idle time; it holds the
  // parsed large document (hundreds of MB). A lint still running finishes first.
  if (!documents.all().some((d) => d.getText().length > LARGE_FILE_BYTES)) largeFileLinter?.release();
}

// ---------------------------------------------------------------------------- settings and files

connection.onDidChangeConfiguration((params) =>
  guard('applying new settings', undefined, () => {
    if (!support.configuration) {
      pushedSettings = (params.settings as { airgapLint?: unknown } | null)?.airgapLint;
    }
    void folders.reloadSettings().then(scheduleAll, (err) => logError('airgap-lint: reloading settings failed.', err));
  }),
);

connection.onDidChangeWatchedFiles((params) =>
  guard('handling file changes', undefined, () => {
    let all = false;
    for (const change of params.changes) {
      const path = uriToPath(change.uri);
      if (!path) continue;
      if (isConfigFile(path)) {
        folders.invalidateConfigs();
        all = true;
      } else if (!host.isOpen(path)) {
        folders.forget(path);
        // A schema can be referenced from anywhere (modeline): re-check everything open.
        if (path.endsWith('.json')) all = true;
        else scheduleDependents(path);
      }
    }
    if (all) scheduleAll();
  }),
);

// ---------------------------------------------------------------------------- code actions

connection.onCodeAction((params: CodeActionParams) =>
  guardAsync('computing code actions', [] as CodeAction[], async () => {
    const { uri } = params.textDocument;
    const doc = documents.get(uri);
    const path = uriToPath(uri);
    if (!doc || !path) return [];
    const only = params.context.only;
    const actions: CodeAction[] = [];
    if (wantsKind(only, CodeActionKind.QuickFix)) {
      const diagnostics = params.context.diagnostics ?? [];
      actions.push(...quickFixes(diagnostics, uri, doc.version, (p) => uris.uriFor(p)));
      if (diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE)) actions.push(...(await menuActions(uri, path, doc, diagnostics)));
    }
    // Fix-all needs a lint of the current text: only when asked for explicitly (on save,
    // or from a source-action menu), not on every cursor move that shows the light bulb.
    const explicit = only ? wantsKind(only, FIX_ALL_KIND) : params.context.triggerKind === CodeActionTriggerKind.Invoked;
    if (explicit) {
      const version = doc.version;
      const state = await folders.stateFor(path);
      const current = documents.get(uri);
      if (current?.version === version && shouldLint(state.engine, path)) {
        const findings = await findingsForFixAll(uri, path, version, state);
        const text = documents.get(uri)?.version === version ? documents.get(uri)?.getText() : undefined;
        const fixAll = findings && text !== undefined ? fixAllAction(findings, path, uri, text) : undefined;
        if (fixAll) actions.push(fixAll);
      }
    }
    return actions;
  }),
);

/**
 * What the quick-fix menu adds to a diagnostic's own fixes: fix-all from the findings last
 * published for this version (none while a newer lint is pending), suppress and show-docs.
 */
async function menuActions(uri: string, path: string, doc: TextDocument, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
  const actions: CodeAction[] = [];
  const text = doc.getText();
  // A large file is parsed in the worker only: the menu offers no fix-all or suppression that
  // would parse it again on the server's thread (source.fixAll still works, in the worker).
  const large = text.length > LARGE_FILE_BYTES;
  const last = lastFindings.get(uri);
  if (last?.version === doc.version && !large) {
    // Checking that the fixed text still parses costs two parses: once per version, not per cursor move.
    if (last.fixAll === undefined) last.fixAll = fixAllQuickFix(last.findings, path, uri, text) ?? null;
    if (last.fixAll) actions.push(last.fixAll);
  }
  // The config file is linted as a config, not as values: suppression comments mean nothing there.
  let values: ValuesDocument | undefined;
  if (!isConfigFile(path) && !large) {
    const cached = (await folders.stateFor(path)).engine.getDocument(path);
    values = cached?.text === text ? cached : parseValuesDocument(path, text);
  }
  return [...actions, ...ruleActions(diagnostics, values, uri)];
}

/** The findings fix-all applies: a lint of the current text, in the worker for a large file. */
async function findingsForFixAll(uri: string, path: string, version: number, state: FolderState): Promise<Finding[] | undefined> {
  const open = openBuffers();
  if (!needsWorker(path, state.engine, open)) return state.engine.lint(path).findings;
  const outcome = await largeFiles().lint(`fix-all ${uri}`, path, state.settings.config, buffersFor(path, state.engine, open), () => documents.get(uri)?.version === version);
  return outcome.kind === 'done' ? outcome.result.findings : undefined;
}

// ---------------------------------------------------------------------------- client commands

// Effective values, the cluster profile for the status bar, and the profile writer.
registerProfileRequests(connection, folders, host, guardAsync);

// NO_PROXY hover and completion.
// Not on large files: their parsed document lives in the worker (see lsp/large-files.ts).
registerLanguageFeatures(connection, documents, folders, guardAsync, (path, engine) => needsWorker(path, engine, openBuffers()));

// workspace/executeCommand: the egress allowlist and the image list (text the client opens).
registerGenerateCommands(connection, folders, host, guardAsync);

// ---------------------------------------------------------------------------- introspection

/**
 * `airgapLint/serverStats`: what the server holds right now. For tests and the memory
 * benchmark: after every document is closed, nothing should be left.
 */
connection.onRequest('airgapLint/serverStats', () =>
  guard('collecting server stats', null, () => ({
    openDocuments: documents.all().length,
    cachedDocuments: folders.all.reduce((n, state) => n + state.engine.cachedDocumentCount, 0),
    pendingValidations: scheduler.pendingCount,
    publishedDocuments: published.size,
    engines: folders.all.length,
    lintWorkerAlive: largeFileLinter?.workerAlive ?? false,
  })),
);

// ---------------------------------------------------------------------------- start

// A bug must cost one lint, not the editor's language server.
process.on('uncaughtException', (err) => logError('airgap-lint: uncaught exception.', err));
process.on('unhandledRejection', (err) => logError('airgap-lint: unhandled rejection.', err));

connection.onShutdown(() => {
  scheduler.cancelAll();
  largeFileLinter?.stop();
});

documents.listen(connection);
connection.listen();
