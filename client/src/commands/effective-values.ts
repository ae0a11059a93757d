// "Air-Gap Lint: Show Effective Values": the merged values of the current file's layer stack
// (what Helm installs), each value annotated with the file and line it comes from, in a
// read-only YAML view beside the file (`values-airgap.effective.yaml`).
//
// The view is a virtual document of its own scheme (a TextDocumentContentProvider), not an
// untitled editor: nothing to save, nothing asked on close, no edit to get lost. It refreshes
// itself when any layer of its stack (saved or still being edited) or a config file changes,
// and when the command runs again.
import * as path from 'node:path';
import {
  EventEmitter,
  languages,
  Uri,
  ViewColumn,
  window,
  workspace,
  type Disposable,
  type TextDocument,
  type TextDocumentContentProvider,
} from 'vscode';
import { Requests, type EffectiveValuesResult } from '../../../server/src/protocol';
import { isFailure, request, targetUri, type CommandContext } from './context';

export const EFFECTIVE_VALUES_SCHEME = 'airgap-lint-effective';

/** Edits come in bursts (typing); one refresh after they settle. */
const REFRESH_DELAY_MS = 300;
const CONFIG_FILE = /(^|[\\/])\.airgap-lint\.ya?ml$/;

/** `…/values-airgap.yaml` → `airgap-lint-effective:…/values-airgap.effective.yaml?<file URI>`. */
export function effectiveValuesUri(source: Uri): Uri {
  const name = `${path.basename(source.path).replace(/\.ya?ml$/i, '')}.effective.yaml`;
  return Uri.from({ scheme: EFFECTIVE_VALUES_SCHEME, path: path.posix.join(path.posix.dirname(source.path), name), query: source.toString() });
}

function sourceOf(view: Uri): Uri {
  return Uri.parse(view.query);
}

export class EffectiveValuesProvider implements TextDocumentContentProvider, Disposable {
  private readonly changed = new EventEmitter<Uri>();
  readonly onDidChange = this.changed.event;
  /** Per open view (URI string): the file system paths of its stack's layers. */
  private readonly layers = new Map<string, Set<string>>();
  /** Text the command already fetched, handed out once instead of asking the server again. */
  private readonly fetched = new Map<string, string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: Disposable[] = [];

  constructor(private readonly ctx: CommandContext) {
    // Any YAML file: a layer may have any name (`layers:` in the config).
    const watcher = workspace.createFileSystemWatcher('**/*.{yaml,yml}');
    this.subscriptions.push(
      this.changed,
      watcher,
      watcher.onDidChange((uri) => this.layerChanged(uri)),
      watcher.onDidCreate((uri) => this.layerChanged(uri)),
      watcher.onDidDelete((uri) => this.layerChanged(uri)),
      workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && this.layerChanged(e.document.uri)),
      workspace.onDidCloseTextDocument((doc) => this.forget(doc)),
    );
  }

  async provideTextDocumentContent(uri: Uri): Promise<string> {
    const key = uri.toString();
    const ready = this.fetched.get(key);
    if (ready !== undefined) {
      this.fetched.delete(key);
      return ready;
    }
    const result = await this.fetch(uri);
    return isFailure(result) ? `# Air-Gap Lint: ${result.error}\n` : result.text;
  }

  /** Asks the server for the view's text and remembers which files it depends on. */
  async fetch(view: Uri): Promise<EffectiveValuesResult | { error: string }> {
    const result = await request<EffectiveValuesResult>(this.ctx, Requests.effectiveValues, { uri: sourceOf(view).toString() });
    if (!isFailure(result)) {
      const files = (result.layers ?? [sourceOf(view).toString()]).map((u) => Uri.parse(u).fsPath);
      this.layers.set(view.toString(), new Set(files));
    }
    return result;
  }

  /** Hands `text` (just fetched) to the view's next read; an open view is told to read now. */
  prime(view: Uri, text: string, isOpen: boolean): void {
    this.fetched.set(view.toString(), text);
    if (isOpen) this.changed.fire(view);
  }

  private layerChanged(uri: Uri): void {
    if (uri.scheme === EFFECTIVE_VALUES_SCHEME) return;
    const isConfig = CONFIG_FILE.test(uri.fsPath);
    for (const [view, files] of this.layers) {
      if (isConfig || files.has(uri.fsPath)) this.schedule(view);
    }
  }

  private schedule(view: string): void {
    clearTimeout(this.timers.get(view));
    this.timers.set(
      view,
      setTimeout(() => {
        this.timers.delete(view);
        if (this.layers.has(view)) this.changed.fire(Uri.parse(view));
      }, REFRESH_DELAY_MS),
    );
  }

  private forget(doc: TextDocument): void {
    if (doc.uri.scheme !== EFFECTIVE_VALUES_SCHEME) return;
    const key = doc.uri.toString();
    this.layers.delete(key);
    this.fetched.delete(key);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Resolves when the document shows `text`, or after a while (the command still returns the text). */
async function settled(doc: TextDocument, text: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (doc.getText() !== text && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}

export async function showEffectiveValues(
  ctx: CommandContext,
  provider: EffectiveValuesProvider,
  arg?: unknown,
): Promise<{ text: string; uri: string } | undefined> {
  const uri = arg instanceof Uri || (arg as { valuesPath?: unknown } | undefined)?.valuesPath ? targetUri(arg) : window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file') {
    void window.showErrorMessage('Air-Gap Lint: open a values file to see its effective values.');
    return undefined;
  }
  const view = effectiveValuesUri(uri);
  const result = await provider.fetch(view);
  if (isFailure(result)) {
    void window.showErrorMessage(`Air-Gap Lint: ${result.error}`);
    return undefined;
  }
  const open = workspace.textDocuments.find((d) => d.uri.toString() === view.toString());
  provider.prime(view, result.text, open !== undefined);
  let doc = open ?? (await workspace.openTextDocument(view));
  if (doc.languageId !== 'yaml') doc = await languages.setTextDocumentLanguage(doc, 'yaml');
  await window.showTextDocument(doc, { viewColumn: ViewColumn.Beside, preview: false });
  await settled(doc, result.text);
  return { text: doc.getText(), uri: doc.uri.toString() };
}
