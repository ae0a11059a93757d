// What the commands share: the running language client (it is replaced on restart), the
// output channel, and a way to tell the status bar that the profile changed.
import { Uri, window, workspace, type LogOutputChannel } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export interface CommandContext {
  client(): LanguageClient | undefined;
  output: LogOutputChannel;
  /** Re-reads the cluster profile for the status bar. */
  refreshStatus(): void;
}

import { Requests, isFailure, type ClusterProfileInfo, type Failure } from '../../../server/src/protocol';

export { isFailure, type ClusterProfileInfo, type Failure };

/** Sends a request once the client runs; a clear error when there is no server. */
export async function request<T>(ctx: CommandContext, method: string, params: unknown): Promise<T | Failure> {
  const client = ctx.client();
  if (!client) return { error: 'The Air-Gap Lint server is not running.' };
  if (!client.isRunning()) await client.start();
  return client.sendRequest<T | Failure>(method, params);
}

/**
 * The file a command is about: an explicit argument (a code action passes `valuesPath`, the
 * explorer passes a Uri), else the active editor's file, else a file in the first folder.
 */
export function targetUri(arg: unknown): Uri | undefined {
  if (arg instanceof Uri) return arg;
  const valuesPath = (arg as { valuesPath?: unknown } | undefined)?.valuesPath;
  if (typeof valuesPath === 'string') return Uri.file(valuesPath);
  const active = window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') return active;
  const folder = workspace.workspaceFolders?.[0];
  // Only its folder matters for finding the config.
  return folder ? Uri.joinPath(folder.uri, 'values.yaml') : undefined;
}

export async function clusterProfileFor(ctx: CommandContext, uri: Uri): Promise<ClusterProfileInfo | Failure> {
  return request<ClusterProfileInfo>(ctx, Requests.clusterProfile, { uri: uri.toString() });
}
