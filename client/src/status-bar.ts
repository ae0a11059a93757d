// The status bar item for the active values file: whose it is, the cluster network profile in
// effect ("k3s", "custom", "no profile"), the install's mode and the mirror registry
// ("Air-Gap Lint: k3s · proxy · harbor.corp:5000"); its tooltip adds the CIDRs and the problem
// count of the file's layer stack. A click runs "Set Cluster Network Profile". Shown only while
// a file the server lints is active.
//
// The server counts the problems of layers the editor does not have open (linting them as
// opening them would); the open ones are counted from their live diagnostics, so the tooltip
// follows edits without asking the server again.
import { DiagnosticSeverity, languages, MarkdownString, StatusBarAlignment, Uri, window, workspace, type Disposable, type StatusBarItem } from 'vscode';
import { Requests, type StackStatusResult } from '../../server/src/protocol';
import { clusterProfileFor, isFailure, request, type ClusterProfileInfo, type CommandContext } from './commands/context';
import { problemSummary, stackProblems, statusText, type ProblemCount } from './status-text';

const DIAGNOSTIC_SOURCE = 'airgap-lint';

const REFRESH_DELAY_MS = 250;

export function profileLabel(info: ClusterProfileInfo): string {
  if (info.distribution) return info.distribution;
  return info.known ? 'custom' : 'no profile';
}

/** Errors and warnings of our own diagnostics on a document the editor has. */
function ownProblems(uri: Uri): ProblemCount {
  const ours = languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
  return {
    errors: ours.filter((d) => d.severity === DiagnosticSeverity.Error).length,
    warnings: ours.filter((d) => d.severity === DiagnosticSeverity.Warning).length,
  };
}

const MODE_WORDS: Record<string, string> = {
  proxy: 'proxy: a layer sets an HTTP(S) proxy',
  'air-gap': 'air-gap: images come from the mirror, no layer sets a proxy',
};

function tooltip(info: ClusterProfileInfo, stack: StackStatusResult | undefined, problems: string | undefined): MarkdownString {
  const md = new MarkdownString(undefined, true);
  md.appendMarkdown(`**Air-Gap Lint — cluster profile: ${profileLabel(info)}**\n\n`);
  if (problems) md.appendMarkdown(`${problems}\n\n`);
  if (stack?.mode) md.appendMarkdown(`Mode: ${MODE_WORDS[stack.mode] ?? stack.mode}\n\n`);
  if (stack?.mirrorRegistry) md.appendMarkdown(`Mirror registry: \`${stack.mirrorRegistry}\`\n\n`);
  const row = (name: string, v: string | undefined) => md.appendMarkdown(`- ${name}: ${v ? `\`${v}\`` : '—'}\n`);
  row('pod CIDR', info.podCIDR.join(', '));
  row('service CIDR', info.serviceCIDR.join(', '));
  row('apiserver IP', info.apiServerIP);
  row('cluster domain', info.clusterDomain);
  md.appendMarkdown(`\n${info.configPath ? `From \`${workspace.asRelativePath(info.configPath)}\`` : 'No .airgap-lint.yaml (settings and defaults only)'}`);
  if (info.configProblems) md.appendMarkdown(` (${info.configProblems} problem(s) in it)`);
  md.appendMarkdown('\n\nClick to set the profile.');
  return md;
}

export class ProfileStatus implements Disposable {
  readonly item: StatusBarItem;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private readonly subscriptions: Disposable[] = [];

  constructor(
    private readonly ctx: Omit<CommandContext, 'refreshStatus'>,
    private readonly selector: () => Array<{ scheme: string; pattern: string }>,
  ) {
    this.item = window.createStatusBarItem('airgapLint.clusterProfile', StatusBarAlignment.Right, 100);
    this.item.name = 'Air-Gap Lint Cluster Profile';
    this.item.command = 'airgapLint.setClusterProfile';
    const watcher = workspace.createFileSystemWatcher('**/.airgap-lint.{yaml,yml}');
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate(() => this.refresh()),
      watcher.onDidChange(() => this.refresh()),
      watcher.onDidDelete(() => this.refresh()),
      window.onDidChangeActiveTextEditor(() => this.refresh(0)),
      workspace.onDidChangeTextDocument((e) => {
        if (/\.airgap-lint\.ya?ml$/.test(e.document.fileName)) this.refresh();
      }),
      workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('airgapLint.cluster') || e.affectsConfiguration('airgapLint.mirror')) this.refresh();
      }),
      // A saved layer may now set a proxy; a closed one is counted by the server again.
      workspace.onDidSaveTextDocument((doc) => this.inStack(doc.uri) && this.refresh()),
      workspace.onDidCloseTextDocument((doc) => this.inStack(doc.uri) && this.refresh()),
      languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((uri) => this.inStack(uri))) this.recount();
      }),
    );
  }

  private visible = false;
  /** What the last update showed, so that a change of diagnostics only recounts. */
  private shown: { info: ClusterProfileInfo; stack?: StackStatusResult } | undefined;

  /** The text shown ('' when hidden), for the extension's API and its tests. */
  get text(): string {
    return this.visible ? this.item.text : '';
  }

  /** The tooltip's Markdown ('' when hidden). */
  get tooltipMarkdown(): string {
    const t = this.item.tooltip;
    return this.visible ? (typeof t === 'string' ? t : (t?.value ?? '')) : '';
  }

  /** Re-reads the profile after a short pause (edits and watcher events come in bursts). */
  refresh(delayMs = REFRESH_DELAY_MS): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), delayMs);
  }

  /** Reads the profile now; resolves when the item shows it. */
  async update(): Promise<void> {
    const generation = ++this.generation;
    const doc = window.activeTextEditor?.document;
    if (!doc || doc.uri.scheme !== 'file' || languages.match(this.selector(), doc) === 0) {
      this.hide();
      return;
    }
    let info;
    try {
      info = await clusterProfileFor({ ...this.ctx, refreshStatus: () => undefined }, doc.uri);
    } catch (err) {
      this.ctx.output.warn(`Could not read the cluster profile: ${(err as Error).message}`);
      return;
    }
    if (generation !== this.generation) return; // a newer update is on its way
    if (isFailure(info)) {
      this.hide();
      return;
    }
    // The stack's facts are extras: without them the profile still shows.
    let stack: StackStatusResult | undefined;
    try {
      const result = await request<StackStatusResult>({ ...this.ctx, refreshStatus: () => undefined }, Requests.stackStatus, { uri: doc.uri.toString() });
      if (isFailure(result)) this.ctx.output.warn(`Could not read the layer stack's status: ${result.error}`);
      else stack = result;
    } catch (err) {
      this.ctx.output.warn(`Could not read the layer stack's status: ${(err as Error).message}`);
    }
    if (generation !== this.generation) return;
    this.shown = { info, stack };
    const text = statusText({ profile: profileLabel(info), mode: stack?.mode, mirrorRegistry: stack?.mirrorRegistry });
    this.item.text = text;
    this.item.tooltip = tooltip(info, stack, this.problems(stack));
    this.item.accessibilityInformation = { label: `${text}. Cluster profile: ${profileLabel(info)}` };
    this.item.show();
    this.visible = true;
  }

  /** Whether a document is a layer of the stack shown. */
  private inStack(uri: Uri): boolean {
    return this.shown?.stack?.layers.some((l) => Uri.parse(l.uri).fsPath === uri.fsPath) ?? false;
  }

  private problems(stack: StackStatusResult | undefined): string | undefined {
    if (!stack) return undefined;
    const total = stackProblems(stack.layers, (i) => ownProblems(Uri.parse(stack.layers[i].uri)));
    return problemSummary(total, stack.layers.length);
  }

  /** Diagnostics changed: the tooltip's count again, from what is known (no server request). */
  private recount(): void {
    if (!this.shown || !this.visible) return;
    this.item.tooltip = tooltip(this.shown.info, this.shown.stack, this.problems(this.shown.stack));
  }

  private hide(): void {
    this.shown = undefined;
    this.item.hide();
    this.visible = false;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
