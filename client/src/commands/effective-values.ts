// "Air-Gap Lint: Show Effective Values": the merged values of the current file's layer stack
// (what Helm installs), each value annotated with the file and line it comes from, in a new
// untitled YAML editor beside the file.
import { Uri, ViewColumn, window, workspace } from 'vscode';
import { isFailure, request, targetUri, type CommandContext } from './context';

export async function showEffectiveValues(ctx: CommandContext, arg?: unknown): Promise<{ text: string; uri: string } | undefined> {
  const uri = arg instanceof Uri || (arg as { valuesPath?: unknown } | undefined)?.valuesPath ? targetUri(arg) : window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file') {
    void window.showErrorMessage('Air-Gap Lint: open a values file to see its effective values.');
    return undefined;
  }
  const result = await request<{ text: string }>(ctx, 'airgapLint/effectiveValues', { uri: uri.toString() });
  if (isFailure(result)) {
    void window.showErrorMessage(`Air-Gap Lint: ${result.error}`);
    return undefined;
  }
  const doc = await workspace.openTextDocument({ language: 'yaml', content: result.text });
  await window.showTextDocument(doc, { viewColumn: ViewColumn.Beside, preview: false });
  return { text: doc.getText(), uri: doc.uri.toString() };
}
