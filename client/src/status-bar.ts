// The status bar item: the cluster network profile in effect for the active values file
// ("k3s", "custom", "no profile"); a click runs "Set Cluster Network Profile". Shown only
// while a file the server lints is active.
import { languages, MarkdownString, StatusBarAlignment, window, workspace, type Disposable, type StatusBarItem } from 'vscode';
import { clusterProfileFor, isFailure, type ClusterProfileInfo, type CommandContext } from './commands/context';

const REFRESH_DELAY_MS = 250;

export function profileLabel(info: ClusterProfileInfo): string {
  if (info.distribution) return info.distribution;
  return info.known ? 'custom' : 'no profile';
}

function tooltip(info: ClusterProfileInfo): MarkdownString {
  const md = new MarkdownString(undefined, true);
  md.appendMarkdown(`**Air-Gap Lint cluster profile: ${profileLabel(info)}**\n\n`);
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
        if (e.affectsConfiguration('airgapLint.cluster')) this.refresh();
      }),
    );
  }

  private visible = false;

  /** The text shown ('' when hidden), for the extension's API and its tests. */
  get text(): string {
    return this.visible ? this.item.text : '';
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
    this.item.text = `$(cloud) ${profileLabel(info)}`;
    this.item.tooltip = tooltip(info);
    this.item.accessibilityInformation = { label: `Air-Gap Lint cluster profile: ${profileLabel(info)}` };
    this.item.show();
    this.visible = true;
  }

  private hide(): void {
    this.item.hide();
    this.visible = false;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
