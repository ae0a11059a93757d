// The fuzz property over the running language server (dist/server.js, built by `npm test` and
// `npm run fuzz`): a document opened and changed with mutated texts, by full and incremental
// changes, gets diagnostics for every version with ranges inside it, answers hover and code
// actions, logs no error and exits cleanly on shutdown. The buffer is never written to disk.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as nodePath from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection, type PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { DiskHost } from '../../server/src/engine';
import { isConfigFile, isValuesFile } from '../../server/src/engine/config';
import { createTextBase } from '../../server/src/engine/document';
import { LanguageService } from '../../server/src/engine/service';
import { REPO } from '../helpers';
import { assertRangeInside, changedSpan, lineLengths } from './checks';
import { applyMutations, mutationsArb } from './mutations';
import { loadSeeds, seedByLabel, type Seed } from './seeds';

export const SERVER = nodePath.join(REPO, 'dist', 'server.js');
/** Generous: the machine is shared, and a first lint compiles the chart's schema. */
const ANSWER_TIMEOUT_MS = 15_000;

export const serverStats = { sessions: 0, versions: 0 };

/** A minimal LSP client over stdio: settings answers, published diagnostics by URI, error logs. */
class FuzzSession {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly errors: string[] = [];
  exitCode: number | null | undefined;
  private readonly published: PublishDiagnosticsParams[] = [];
  private wake?: () => void;
  stderr = '';

  constructor() {
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.on('exit', (code) => {
      this.exitCode = code;
      this.wake?.();
    });
    this.proc.stderr!.on('data', (d) => (this.stderr += d));
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    // No debounce: every version is linted, which is what the property wants to see.
    this.conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) => p.items.map((i) => (i.section === 'airgapLint' ? { validate: { debounceMs: 0 } } : null)));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onNotification('window/logMessage', (m: { type: number; message: string }) => {
      if (m.type === 1) this.errors.push(m.message);
    });
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      this.wake?.();
    });
    this.conn.listen();
  }

  async initialize(root: string): Promise<void> {
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: nodePath.basename(root) }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } } },
      },
    });
    await this.conn.sendNotification('initialized', {});
  }

  /** Waits for the diagnostics of `version` of `uri`, failing when the server exits or stays silent. */
  async diagnosticsOf(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      const found = this.published.find((p) => p.uri === uri && p.version === version);
      if (found) return found;
      assert.equal(this.exitCode, undefined, `the server exited (${this.exitCode}) waiting for version ${version}: ${this.stderr.slice(-2000)}`);
      const left = deadline - Date.now();
      assert.ok(left > 0, `no diagnostics for version ${version} within ${ANSWER_TIMEOUT_MS} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** A request that must be answered in time (the server still serves). */
  request<T>(method: string, params: unknown): Promise<T> {
    return Promise.race([
      this.conn.sendRequest<T>(method, params),
      new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${method} not answered within ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS).unref()),
    ]);
  }

  async shutdown(): Promise<number | null | undefined> {
    await this.request('shutdown', null);
    await this.conn.sendNotification('exit');
    const deadline = Date.now() + 5000;
    while (this.exitCode === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.exitCode;
  }

  kill(): void {
    this.conn.dispose();
    if (this.proc.exitCode === null) this.proc.kill();
  }
}

/** Seeds the server lints (its file patterns and config say so): the others never get diagnostics. */
let linted: Seed[] | undefined;
function serverSeeds(): Seed[] {
  if (!linted) {
    const service = new LanguageService(new DiskHost());
    linted = loadSeeds().filter((s) => {
      const config = service.configFor(s.diskPath);
      return isConfigFile(s.diskPath) || isValuesFile(s.diskPath, config.files, config.baseDir);
    });
  }
  return linted;
}

/** An incremental change from `before` to `after`: the changed span, never splitting a \r\n. */
function incrementalChange(before: string, after: string) {
  let { start, end } = changedSpan(before, after);
  let oldEnd = before.length - (after.length - end);
  if (start > 0 && before[start - 1] === '\r' && (before[start] === '\n' || after[start] === '\n')) start--;
  if (before[oldEnd - 1] === '\r' && before[oldEnd] === '\n') {
    oldEnd++;
    end++;
  }
  const base = createTextBase('', before);
  return { range: { start: base.positionAt(start), end: base.positionAt(oldEnd) }, text: after.slice(start, end) };
}

export function serverProperty() {
  const seedArb = fc.nat({ max: serverSeeds().length - 1 }).map((i) => serverSeeds()[i].label);
  const versionArb = fc.record({ mutations: mutationsArb(3), incremental: fc.boolean(), hover: fc.record({ line: fc.nat({ max: 3000 }), character: fc.nat({ max: 120 }) }) });
  return fc.asyncProperty(seedArb, fc.array(versionArb, { minLength: 1, maxLength: 4 }), async (label, versions) => {
    const seed = seedByLabel(label);
    const session = new FuzzSession();
    serverStats.sessions++;
    try {
      await session.initialize(seed.dir);
      const uri = pathToFileURL(seed.diskPath).href;
      let text = seed.text;
      await session.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      await session.diagnosticsOf(uri, 1);
      let version = 1;
      for (const v of versions) {
        const next = applyMutations(text, v.mutations);
        version++;
        const change = v.incremental ? incrementalChange(text, next) : { text: next };
        await session.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
        text = next;
        const published = await session.diagnosticsOf(uri, version);
        serverStats.versions++;
        const lengths = lineLengths(text);
        for (const d of published.diagnostics) assertRangeInside(d.range, lengths, `diagnostic ${d.code} of version ${version}`);
        const position = { line: v.hover.line % lengths.length, character: v.hover.character % (lengths[v.hover.line % lengths.length] + 1) };
        await session.request('textDocument/hover', { textDocument: { uri }, position });
        if (published.diagnostics.length) {
          await session.request('textDocument/codeAction', { textDocument: { uri }, range: published.diagnostics[0].range, context: { diagnostics: published.diagnostics, triggerKind: 1 } });
        }
      }
      await session.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      assert.deepEqual(session.errors, [], 'the server logged errors');
      assert.equal(await session.shutdown(), 0, 'exit status after shutdown');
    } finally {
      session.kill();
    }
  });
}
