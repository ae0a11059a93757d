// "Air-Gap Lint: Generate Egress Allowlist", "Generate Image Mirror List" and "Generate Air-Gap
// Overlay". The server computes the text (`workspace/executeCommand` airgapLint.generateAllowlist
// / airgapLint.generateImageList, the same engine call as `airgap-lint allowlist|images`); this
// module only asks the user what they want and shows the result:
// - the lists: a quick pick of the format, then this file's layer stack or every values file of
//   the workspace folder, then an untitled editor in the format's language (the allowlist's text
//   format in its own `egress-allowlist` language), ready to save; notes go to the output channel;
// - the overlay: `values-airgap.yaml` beside the values file (the chart's folder), written as one
//   undoable edit; an existing one is replaced only when the user says so (or shown as a diff).
//
// The palette IDs differ from the server's: vscode-languageclient registers every command the
// server advertises (executeCommandProvider) under its own ID, so `airgapLint.generateAllowlist`
// is taken by that proxy. Each command returns what it did, for the end-to-end suite.
import * as path from 'node:path';
import {
  commands,
  EventEmitter,
  Position,
  Range,
  Uri,
  window,
  workspace,
  WorkspaceEdit,
  type Disposable,
  type QuickPickItem,
  type TextDocument,
  type TextDocumentContentProvider,
  type WorkspaceFolder,
} from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import {
  ALLOWLIST_FORMAT_CHOICES,
  Commands,
  IMAGE_LIST_FORMAT_CHOICES,
  type Failure,
  type GenerateParams,
  type GenerateResult,
  type GeneratorFormat,
} from '../../../server/src/protocol';
import { clusterProfileFor, isFailure, type CommandContext } from './context';

/** What a list command did: the text, the language it was opened in, the untitled document. */
export interface GeneratedDocument {
  text: string;
  language: string;
  uri: string;
  notes: string[];
}

/** What "Generate Air-Gap Overlay" did. */
export interface OverlayOutcome {
  status: 'written' | 'unchanged' | 'diff' | 'cancelled';
  text: string;
  language: string;
  /** The overlay file (written, unchanged, cancelled) or the generated side of the diff. */
  uri: string;
  created: boolean;
  notes: string[];
}

/** Optional arguments (keybindings, other extensions, tests); the editor title passes a Uri. */
interface GenerateArgs {
  format?: unknown;
  /** `stack`: the file's layer stack; `folder`: every values file of its workspace folder. */
  scope?: unknown;
  valuesPath?: unknown;
  /** Overlay: what to do when values-airgap.yaml exists, instead of asking. */
  ifExists?: unknown;
}

interface Generator {
  command: string;
  title: string;
  noun: string;
  formats: readonly GeneratorFormat[];
}

const ALLOWLIST: Generator = {
  command: Commands.generateAllowlist,
  title: 'Generate Egress Allowlist',
  noun: 'egress allowlist',
  formats: ALLOWLIST_FORMAT_CHOICES,
};

const IMAGE_LIST: Generator = {
  command: Commands.generateImageList,
  title: 'Generate Image Mirror List',
  noun: 'image mirror list',
  // The overlay has its own command: it is a file of the chart, not a list.
  formats: IMAGE_LIST_FORMAT_CHOICES.filter((f) => f.format !== 'overlay'),
};

const OVERLAY_NAMES = ['values-airgap.yaml', 'values-airgap.yml'];
const GENERATED_SCHEME = 'airgap-lint-generated';

/** Read-only documents for the generated side of "Show Diff". */
class GeneratedContent implements TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new EventEmitter<Uri>();
  readonly onDidChange = this.changed.event;
  private next = 0;

  add(target: Uri, text: string): Uri {
    // One entry per file: a second diff of the same overlay replaces the first.
    const uri = Uri.from({ scheme: GENERATED_SCHEME, path: target.path, query: `generated-${++this.next}` });
    for (const key of [...this.texts.keys()]) if (Uri.parse(key).path === target.path) this.texts.delete(key);
    this.texts.set(uri.toString(), text);
    return uri;
  }

  provideTextDocumentContent(uri: Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}

function argsOf(arg: unknown): GenerateArgs {
  return arg && typeof arg === 'object' && !(arg instanceof Uri) ? (arg as GenerateArgs) : {};
}

/** The values file a command is about: the editor title's Uri, `{valuesPath}`, else the active editor's file. */
function valuesFile(arg: unknown): Uri | undefined {
  if (arg instanceof Uri) return arg.scheme === 'file' ? arg : undefined;
  const valuesPath = argsOf(arg).valuesPath;
  if (typeof valuesPath === 'string') return Uri.file(valuesPath);
  const active = window.activeTextEditor?.document.uri;
  return active?.scheme === 'file' ? active : undefined;
}

function folderFor(file: Uri | undefined): WorkspaceFolder | undefined {
  return (file && workspace.getWorkspaceFolder(file)) || workspace.workspaceFolders?.[0];
}

/** `workspace/executeCommand` through the language client. */
async function execute(ctx: CommandContext, command: string, params: GenerateParams): Promise<GenerateResult | Failure> {
  const client = ctx.client();
  if (!client) return { error: 'The Air-Gap Lint server is not running.' };
  try {
    if (!client.isRunning()) await client.start();
    const result: unknown = await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [params] });
    if (isFailure(result)) return result;
    const r = result as Partial<GenerateResult> | null;
    if (!r || typeof r.text !== 'string') return { error: `The server gave no answer to ${command}.` };
    return { text: r.text, language: typeof r.language === 'string' ? r.language : 'plaintext', notes: Array.isArray(r.notes) ? r.notes : [], incomplete: r.incomplete };
  } catch (err) {
    return { error: `${command} failed: ${(err as Error)?.message ?? String(err)}` };
  }
}

/** Notes to the output channel, and one short message that says where they are. */
function reportNotes(ctx: CommandContext, what: string, notes: string[]): void {
  if (!notes.length) return;
  ctx.output.info(`${what}: ${notes.length} note${notes.length === 1 ? '' : 's'}:`);
  for (const note of notes) ctx.output.info(`  ${note}`);
  // Not awaited: the command is done whether or not the message is read.
  void window.showInformationMessage(`Air-Gap Lint: ${notes.length} note${notes.length === 1 ? '' : 's'} about the ${what} (values not listed and why).`, 'Show Output').then((picked) => {
    if (picked) ctx.output.show(true);
  });
}

interface FormatItem extends QuickPickItem {
  format: string;
}

interface ScopeItem extends QuickPickItem {
  scope: 'stack' | 'folder';
}

async function generateList(ctx: CommandContext, gen: Generator, arg: unknown): Promise<GeneratedDocument | undefined> {
  const args = argsOf(arg);
  const file = valuesFile(arg);
  const folder = folderFor(file);
  if (!file && !folder) {
    void window.showErrorMessage(`Air-Gap Lint: open a values file or a folder to ${gen.title.toLowerCase()}.`);
    return undefined;
  }
  const steps = file && folder && args.scope === undefined ? 2 : 1;
  const step = (n: number) => (steps > 1 ? ` (${n}/${steps})` : '');

  let format = typeof args.format === 'string' ? args.format : undefined;
  if (format === undefined) {
    const items: FormatItem[] = gen.formats.map((f) => ({ label: f.format, description: f.summary, format: f.format }));
    const picked = await window.showQuickPick(items, {
      title: `Air-Gap Lint: ${gen.title}${step(1)}`,
      placeHolder: 'Output format',
      matchOnDescription: true,
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    format = picked.format;
  }

  let scope: 'stack' | 'folder' = args.scope === 'folder' || !file ? 'folder' : 'stack';
  if (steps === 2 && file && folder) {
    const relative = workspace.asRelativePath(file, false);
    const items: ScopeItem[] = [
      { label: "This file's layer stack", description: relative, scope: 'stack' },
      { label: `Every values file in ${folder.name}`, description: 'each with its layer stack', scope: 'folder' },
    ];
    const picked = await window.showQuickPick(items, { title: `Air-Gap Lint: ${gen.title}${step(2)}: ${format}`, placeHolder: 'Which values files', ignoreFocusOut: true });
    if (!picked) return undefined;
    scope = picked.scope;
  }

  const target = scope === 'stack' && file ? file : folder!.uri;
  const result = await execute(ctx, gen.command, { uris: [target.toString()], format });
  if (isFailure(result)) {
    void window.showErrorMessage(`Air-Gap Lint: ${result.error}`);
    return undefined;
  }
  const doc = await workspace.openTextDocument({ language: result.language, content: result.text });
  await window.showTextDocument(doc, { preview: false });
  ctx.output.info(`${gen.title}: ${format} of ${workspace.asRelativePath(target)} opened (${doc.languageId}).`);
  reportNotes(ctx, gen.noun, result.notes);
  return { text: doc.getText(), language: doc.languageId, uri: doc.uri.toString(), notes: result.notes };
}

async function exists(uri: Uri): Promise<boolean> {
  if (workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return true;
  try {
    await workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** `values-airgap.yaml` beside the values file (an existing `values-airgap.yml` is used instead). */
async function overlayTarget(file: Uri): Promise<Uri> {
  const dir = Uri.file(path.dirname(file.fsPath));
  const [yaml, yml] = OVERLAY_NAMES.map((n) => Uri.joinPath(dir, n));
  return !(await exists(yaml)) && (await exists(yml)) ? yml : yaml;
}

async function showMirrorError(ctx: CommandContext, file: Uri, error: string): Promise<void> {
  if (!/mirror\.registry/.test(error)) {
    void window.showErrorMessage(`Air-Gap Lint: ${error}`);
    return;
  }
  // Say where to set it: the config in effect, else the settings.
  const info = await clusterProfileFor(ctx, file);
  const configPath = !isFailure(info) ? info.configPath : undefined;
  const action = configPath ? `Open ${path.basename(configPath)}` : 'Open Settings';
  void window.showErrorMessage(`Air-Gap Lint: ${error}`, action).then(async (picked) => {
    if (!picked) return;
    if (configPath) await window.showTextDocument(await workspace.openTextDocument(Uri.file(configPath)));
    else await commands.executeCommand('workbench.action.openSettings', 'airgapLint.mirror.registry');
  });
}

async function generateOverlay(ctx: CommandContext, content: GeneratedContent, arg: unknown): Promise<OverlayOutcome | undefined> {
  const file = valuesFile(arg);
  if (!file) {
    void window.showErrorMessage('Air-Gap Lint: open a values file of the chart to generate its air-gap overlay.');
    return undefined;
  }
  const result = await execute(ctx, Commands.generateImageList, { uris: [file.toString()], format: 'overlay' });
  if (isFailure(result)) {
    await showMirrorError(ctx, file, result.error);
    return undefined;
  }
  const target = await overlayTarget(file);
  const name = path.basename(target.fsPath);
  const outcome = (status: OverlayOutcome['status'], uri: Uri, created = false): OverlayOutcome => ({ status, text: result.text, language: 'yaml', uri: uri.toString(), created, notes: result.notes });

  const already = await exists(target);
  let current: TextDocument | undefined;
  if (already) {
    current = await workspace.openTextDocument(target);
    if (current.getText() === result.text) {
      void window.showInformationMessage(`Air-Gap Lint: ${workspace.asRelativePath(target)} is up to date.`);
      reportNotes(ctx, 'air-gap overlay', result.notes);
      return outcome('unchanged', target);
    }
    const preset = argsOf(arg).ifExists;
    const choice =
      preset === 'replace' ? 'Replace' : preset === 'diff' ? 'Show Diff' : preset === 'cancel' ? undefined
        : await window.showWarningMessage(
            `${workspace.asRelativePath(target)} exists. Replace it with the generated air-gap overlay?`,
            { modal: true, detail: 'Replace writes the generated overlay over it (Undo reverts). Show Diff compares the two without writing.' },
            'Replace',
            'Show Diff',
          );
    if (choice === 'Show Diff') {
      const generated = content.add(target, result.text);
      await commands.executeCommand('vscode.diff', target, generated, `${name} ↔ generated overlay`, { preview: false });
      reportNotes(ctx, 'air-gap overlay', result.notes);
      return outcome('diff', generated);
    }
    if (choice !== 'Replace') return outcome('cancelled', target);
  }

  const hadUnsavedChanges = current?.isDirty ?? false;
  const edit = new WorkspaceEdit();
  if (current) {
    edit.replace(target, new Range(new Position(0, 0), current.lineAt(current.lineCount - 1).range.end), result.text);
  } else {
    edit.createFile(target, { ignoreIfExists: true });
    edit.insert(target, new Position(0, 0), result.text);
  }
  if (!(await workspace.applyEdit(edit))) {
    void window.showErrorMessage(`Air-Gap Lint: could not write ${workspace.asRelativePath(target)}.`);
    return undefined;
  }
  // Saved so that helm and the CLI see it (Undo in the editor still reverts it), unless the
  // file had unsaved changes of the user's own.
  const doc = await workspace.openTextDocument(target);
  if (doc.isDirty && !hadUnsavedChanges) await doc.save();
  await window.showTextDocument(doc, { preview: false });
  ctx.output.info(`Generate Air-Gap Overlay: ${already ? 'replaced' : 'wrote'} ${target.fsPath}.`);
  reportNotes(ctx, 'air-gap overlay', result.notes);
  return outcome('written', target, !already);
}

export function registerGenerateCommands(ctx: CommandContext): Disposable[] {
  const content = new GeneratedContent();
  return [
    content,
    workspace.registerTextDocumentContentProvider(GENERATED_SCHEME, content),
    commands.registerCommand(Commands.generateEgressAllowlist, (arg?: unknown) => generateList(ctx, ALLOWLIST, arg)),
    commands.registerCommand(Commands.generateImageMirrorList, (arg?: unknown) => generateList(ctx, IMAGE_LIST, arg)),
    commands.registerCommand(Commands.generateAirgapOverlay, (arg?: unknown) => generateOverlay(ctx, content, arg)),
  ];
}
