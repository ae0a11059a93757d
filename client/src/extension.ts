// The VS Code extension: starts the bundled language server over IPC and hands it the values
// files and the config file. Everything the user sees (diagnostics, quick fixes) comes from
// the server; this file stays a thin adapter. The palette commands live in commands/, the
// cluster profile status bar item in status-bar.ts.
import * as path from 'node:path';
import { commands, extensions, window, workspace, type ExtensionContext, type LogOutputChannel } from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { registerShowRuleDocumentation } from './commands/rule-docs';
import { Commands } from '../../server/src/protocol';
import type { CommandContext } from './commands/context';
import { documentPatterns, serverDocumentPatterns } from './selector';
import { ProfileStatus } from './status-bar';
import { traceChannel } from './trace';

const CLIENT_ID = 'airgapLint'; // also the prefix of `airgapLint.trace.server`
const CLIENT_NAME = 'Air-Gap Lint';

let client: LanguageClient | undefined;

/** `airgapLint.files` of every scope: the setting may differ per folder. */
function configuredFiles(): unknown[] {
  const scopes = [undefined, ...(workspace.workspaceFolders ?? []).map((f) => f.uri)];
  return scopes.flatMap((scope) => {
    const files = workspace.getConfiguration('airgapLint', scope).get<unknown>('files');
    return Array.isArray(files) ? files : [];
  });
}

/** Values files by the patterns the client knows (the status bar shows for these). */
function documentSelector(): Array<{ scheme: string; pattern: string }> {
  return documentPatterns(configuredFiles()).map((pattern) => ({ scheme: 'file', pattern }));
}

/** What the server receives (see selector.ts): every YAML file; it lints only values files. */
function serverSelector(): Array<{ scheme: string; pattern: string }> {
  return serverDocumentPatterns(configuredFiles()).map((pattern) => ({ scheme: 'file', pattern }));
}

function createClient(context: ExtensionContext, outputChannel: LogOutputChannel, traceOutputChannel: LogOutputChannel): LanguageClient {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: serverSelector(),
    synchronize: { configurationSection: 'airgapLint' },
    initializationOptions: {
      cacheDir: context.globalStorageUri.fsPath,
      // Red Hat's YAML extension validates modeline schemas too: the server defers those to it.
      yamlExtensionActive: extensions.getExtension('redhat.vscode-yaml') !== undefined,
      // The client opens rule pages itself; the server would otherwise offer the same command
      // (for editors such as Neovim) and VS Code would register it twice.
      clientCommands: [Commands.showRuleDocumentation],
    },
    outputChannel,
    traceOutputChannel,
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

/** What the extension exports: enough for the end-to-end suite to read the status bar. */
export interface AirgapLintApi {
  /** The status bar text for the active editor ('' when hidden), after a fresh read. */
  clusterProfileStatus(): Promise<string>;
  /** The status bar tooltip's Markdown as shown now ('' when hidden); it follows diagnostics without a read. */
  statusTooltip(): string;
}

export async function activate(context: ExtensionContext): Promise<AirgapLintApi> {
  const outputChannel = window.createOutputChannel(CLIENT_NAME, { log: true });
  const traceOutputChannel = traceChannel(outputChannel);
  context.subscriptions.push(outputChannel, traceOutputChannel);
  client = createClient(context, outputChannel, traceOutputChannel);
  const status = new ProfileStatus({ client: () => client, output: outputChannel }, documentSelector);
  const commandContext: CommandContext = { client: () => client, output: outputChannel, refreshStatus: () => status.refresh() };
  context.subscriptions.push(status, ...registerCommands(commandContext));
  context.subscriptions.push(registerShowRuleDocumentation(context.extensionUri));

  const restart = async () => {
    const previous = client;
    client = createClient(context, outputChannel, traceOutputChannel);
    await previous?.dispose();
    await client.start();
    status.refresh(0);
  };

  context.subscriptions.push(
    commands.registerCommand('airgapLint.restartServer', async () => {
      await restart();
      outputChannel.appendLine('Air-Gap Lint server restarted.');
    }),
    commands.registerCommand('airgapLint.showOutput', () => outputChannel.show(true)),
    // The document selector is fixed when the client starts: new file patterns need a restart.
    workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('airgapLint.files')) await restart();
    }),
  );

  await client.start();
  status.refresh(0);
  return {
    async clusterProfileStatus() {
      await status.update();
      return status.text;
    },
    statusTooltip() {
      return status.tooltipMarkdown;
    },
  };
}

export async function deactivate(): Promise<void> {
  const current = client;
  client = undefined;
  await current?.dispose();
}
