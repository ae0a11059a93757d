// A minimal LSP client for the language server tests: spawns the bundled server
// (`node dist/server.js`, built by `npm test`) over stdio or IPC and speaks LSP to it like an
// editor would. Shared by test/lsp.test.ts and test/lsp-large-file.test.ts.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type Diagnostic,
  type MessageConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';

export const ROOT = path.resolve(__dirname, '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');
export const FIXTURES = path.join(__dirname, 'fixtures', 'lsp');
export const DEBOUNCE_MS = 150;

export const uriOf = (p: string) => pathToFileURL(p).href;
export const read = (p: string) => fs.readFileSync(p, 'utf8');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A minimal LSP client: answers the server's requests and queues what it publishes. */
export class LspSession {
  readonly conn: MessageConnection;
  /** What `workspace/configuration` answers for the `airgapLint` section. */
  settings: Record<string, unknown> = { validate: { debounceMs: DEBOUNCE_MS } };
  /** Per-folder answers (by scope URI), for multi-root workspaces. */
  folderSettings = new Map<string, Record<string, unknown>>();
  configurationRequests = 0;
  readonly registrations: string[] = [];
  readonly logs: string[] = [];
  private readonly queues = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters = new Map<string, Array<(p: PublishDiagnosticsParams) => void>>();
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly proc: ChildProcess,
    conn: MessageConnection,
  ) {
    this.conn = conn;
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    conn.onRequest('workspace/configuration', (params: { items: Array<{ section?: string; scopeUri?: string }> }) => {
      this.configurationRequests++;
      return params.items.map((item) =>
        item.section === 'airgapLint' ? (this.folderSettings.get(item.scopeUri ?? '') ?? this.settings) : null,
      );
    });
    conn.onRequest('client/registerCapability', (params: { registrations: Array<{ method: string }> }) => {
      this.registrations.push(...params.registrations.map((r) => r.method));
      return null;
    });
    conn.onNotification('window/logMessage', (m: { message: string }) => {
      this.logs.push(m.message);
    });
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const waiting = this.waiters.get(p.uri);
      const next = waiting?.shift();
      if (next) next(p);
      else this.queue(p.uri).push(p);
    });
    conn.listen();
  }

  static stdio(): LspSession {
    const proc = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    return new LspSession(proc, conn);
  }

  static ipc(): LspSession {
    const proc = spawn(process.execPath, [SERVER, '--node-ipc'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
    const conn = createMessageConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
    return new LspSession(proc, conn);
  }

  private queue(uri: string): PublishDiagnosticsParams[] {
    let q = this.queues.get(uri);
    if (!q) this.queues.set(uri, (q = []));
    return q;
  }

  async initialize(...roots: string[]): Promise<{ capabilities: Record<string, any>; serverInfo?: { name: string } }> {
    if (!roots.length) roots.push(FIXTURES);
    const result = await this.conn.sendRequest<{ capabilities: Record<string, any> }>('initialize', {
      processId: process.pid,
      rootUri: uriOf(roots[0]),
      workspaceFolders: roots.map((root) => ({ uri: uriOf(root), name: path.basename(root) })),
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
        },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          publishDiagnostics: {
            relatedInformation: true,
            versionSupport: true,
            codeDescriptionSupport: true,
            dataSupport: true,
            tagSupport: { valueSet: [1, 2] },
          },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
            isPreferredSupport: true,
            dataSupport: true,
          },
        },
      },
    });
    await this.conn.sendNotification('initialized', {});
    return result;
  }

  open(filePath: string, text = read(filePath), version = 1): string {
    const uri = uriOf(filePath);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
    return uri;
  }

  /** Replaces the whole text (a full-content change, which incremental sync accepts). */
  change(uri: string, version: number, text: string): void {
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** An incremental change: replace `range` with `text`. */
  edit(uri: string, version: number, range: Diagnostic['range'], text: string): void {
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  close(uri: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** The next diagnostics published for `uri` (queued or future). */
  nextDiagnostics(uri: string, timeoutMs = 5000): Promise<PublishDiagnosticsParams> {
    const queued = this.queue(uri).shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const list = this.waiters.get(uri) ?? [];
        list.splice(list.indexOf(done), 1);
        reject(new Error(`no diagnostics published for ${uri} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (p: PublishDiagnosticsParams) => {
        clearTimeout(timer);
        resolve(p);
      };
      if (!this.waiters.has(uri)) this.waiters.set(uri, []);
      this.waiters.get(uri)!.push(done);
    });
  }

  /** The diagnostics of one version of `uri`, skipping re-lints of earlier versions. */
  async diagnosticsOf(uri: string, version: number, timeoutMs = 5000): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = await this.nextDiagnostics(uri, Math.max(1, deadline - Date.now()));
      if (p.version === version) return p;
      assert.ok(p.version === undefined || p.version < version, `published version ${p.version} after ${version}`);
    }
  }

  /** Diagnostics received for `uri` and not consumed yet. */
  pending(uri: string): PublishDiagnosticsParams[] {
    return [...this.queue(uri)];
  }

  codeActions(uri: string, diagnostics: Diagnostic[], only?: string[], range = diagnostics[0]?.range): Promise<CodeAction[]> {
    return this.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics, only, triggerKind: 1 },
    });
  }

  async shutdown(): Promise<number | null> {
    await this.conn.sendRequest('shutdown');
    await this.conn.sendNotification('exit');
    const code = await Promise.race([this.exited, sleep(5000).then(() => 'timeout' as const)]);
    this.conn.dispose();
    if (code === 'timeout') {
      this.proc.kill();
      throw new Error('the server did not exit within 5 s of `exit`');
    }
    return code;
  }

  kill(): void {
    this.conn.dispose();
    if (this.proc.exitCode === null) this.proc.kill();
  }
}
