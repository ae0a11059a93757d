// "Air-Gap Lint: Detect Cluster Network with kubectl". Runs a program, so it is:
// - opt-in (`airgapLint.kubectl.enabled`), and only in a trusted workspace;
// - run with the kubectl of the user's own settings: `airgapLint.kubectl.path` is machine-scoped
//   and read from the user/default level only, so a workspace can never choose the binary;
// - read-only: the queries of the CloudZero proxy guide, without a shell, each with a timeout;
// - shown before anything is written, and written only on confirmation.
import { commands, ProgressLocation, window, workspace, type QuickPickItem } from 'vscode';
import { combineDetection, KUBECTL_QUERIES, type DetectedNetwork, type KubectlOutputs } from '../../../server/src/protocol';
import { clusterProfileFor, isFailure, targetUri, type CommandContext } from './context';
import { redact, runKubectl, scanClusterInfoDump } from './kubectl';
import { writeProfile, type WriteResult } from './write-profile';

export type DetectResult =
  | { status: 'untrusted' | 'disabled' | 'cancelled' | 'nothing-found' | 'failed'; detected?: DetectedNetwork; error?: string }
  | { status: 'written'; detected: DetectedNetwork; write: WriteResult };

/** The kubectl binary: the user's (global) setting or the default, never a workspace value. */
export function kubectlBinary(): string {
  const inspected = workspace.getConfiguration('airgapLint').inspect<string>('kubectl.path');
  const chosen = (inspected?.globalValue ?? inspected?.defaultValue ?? '').trim();
  return chosen || 'kubectl';
}

async function query(binary: string, args: readonly string[], token: Parameters<typeof runKubectl>[2], errors: string[]): Promise<string | undefined> {
  try {
    return await runKubectl(binary, args, token);
  } catch (err) {
    errors.push(`kubectl ${args.slice(0, 3).join(' ')}: ${(err as Error).message}`);
    return undefined;
  }
}

/** Everything kubectl tells us, or the errors it gave. */
async function detect(binary: string, output: CommandContext['output']): Promise<{ detected: DetectedNetwork; errors: string[] } | 'cancelled'> {
  return window.withProgress({ location: ProgressLocation.Notification, title: 'Air-Gap Lint: asking kubectl about the cluster network…', cancellable: true }, async (progress, token) => {
    const errors: string[] = [];
    output.info(`Detect cluster network: running ${binary} (read-only queries).`);
    const [context, apiServerIP, nodePodCIDRs] = await Promise.all([
      query(binary, KUBECTL_QUERIES.currentContext, token, errors),
      query(binary, KUBECTL_QUERIES.apiServerIP, token, errors),
      query(binary, KUBECTL_QUERIES.nodePodCIDRs, token, errors),
    ]);
    if (token.isCancellationRequested) return 'cancelled';
    const outputs: KubectlOutputs = { context, apiServerIP, nodePodCIDRs };
    // Without a reachable apiserver the dump would only fail again, slowly.
    if (apiServerIP !== undefined || nodePodCIDRs !== undefined) {
      progress.report({ message: 'kubectl cluster-info dump' });
      try {
        outputs.dump = await scanClusterInfoDump(binary, token);
      } catch (err) {
        errors.push(`kubectl cluster-info dump: ${(err as Error).message}`);
      }
    }
    if (token.isCancellationRequested) return 'cancelled';
    for (const e of errors) output.warn(redact(e));
    return { detected: combineDetection(outputs), errors };
  });
}

function summary(d: DetectedNetwork): string {
  const parts: string[] = [];
  if (d.podCIDR.length) parts.push(`pods ${d.podCIDR.join(', ')}${d.podCIDRSource === 'nodes' ? ' (from node slices)' : ''}`);
  if (d.serviceCIDR.length) parts.push(`services ${d.serviceCIDR.join(', ')}`);
  if (d.apiServerIP) parts.push(`apiserver ${d.apiServerIP}`);
  return parts.join(' · ');
}

export async function detectClusterNetwork(ctx: CommandContext, arg?: unknown): Promise<DetectResult> {
  if (!workspace.isTrusted) {
    void window.showWarningMessage('Air-Gap Lint: detecting the cluster network runs kubectl, which needs a trusted workspace.');
    return { status: 'untrusted' };
  }
  if (!workspace.getConfiguration('airgapLint').get<boolean>('kubectl.enabled')) {
    void window
      .showInformationMessage(
        'Air-Gap Lint: detecting the cluster network runs kubectl (read-only queries against your current context). Turn on "airgapLint.kubectl.enabled" to allow it.',
        'Open Settings',
      )
      .then((choice) => {
        if (choice) void commands.executeCommand('workbench.action.openSettings', 'airgapLint.kubectl');
      });
    return { status: 'disabled' };
  }
  const uri = targetUri(arg);
  const info = uri ? await clusterProfileFor(ctx, uri) : undefined;
  if (!info || isFailure(info)) {
    void window.showErrorMessage(`Air-Gap Lint: ${info ? info.error : 'open a folder or a values file first.'}`);
    return { status: 'failed', error: info ? info.error : 'no folder' };
  }

  const binary = kubectlBinary();
  const run = await detect(binary, ctx.output);
  if (run === 'cancelled') return { status: 'cancelled' };
  const { detected, errors } = run;
  const found = detected.podCIDR.length || detected.serviceCIDR.length || detected.apiServerIP;
  if (!found) {
    const why = errors[0] ?? detected.notes[0] ?? 'kubectl gave no network details.';
    void window.showErrorMessage(`Air-Gap Lint: nothing detected. ${redact(why)}`);
    return { status: 'nothing-found', detected, error: why };
  }

  const target = info.targetConfigPath;
  const write: QuickPickItem = { label: `$(check) Write to ${workspace.asRelativePath(target)}`, detail: summary(detected) };
  const items: QuickPickItem[] = [write, ...detected.notes.map((n) => ({ label: '$(info) Not found', detail: n })), { label: '$(close) Cancel' }];
  const choice = await window.showQuickPick(items, {
    title: `Air-Gap Lint: kubectl found${detected.context ? ` (context ${detected.context})` : ''}: ${summary(detected)}`,
    placeHolder: 'Write these values to the cluster profile? Values not found are left as they are.',
    ignoreFocusOut: true,
  });
  if (choice !== write) return { status: 'cancelled', detected };

  const result = await writeProfile(ctx, target, {
    podCIDR: detected.podCIDR.length ? detected.podCIDR : undefined,
    serviceCIDR: detected.serviceCIDR.length ? detected.serviceCIDR : undefined,
    apiServerIP: detected.apiServerIP,
  });
  if (!result.ok) void window.showErrorMessage(`Air-Gap Lint: ${result.error}`);
  else ctx.output.info(`Detected cluster network written to ${result.configPath}: ${summary(detected)}.`);
  return { status: 'written', detected, write: result };
}
