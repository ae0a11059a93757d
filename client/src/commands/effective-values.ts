// "Air-Gap Lint: Show Effective Values": the merged values of the current file's layer stack
// (what Helm installs), each value annotated with the file and line it comes from, in an
// untitled YAML editor beside the file (`values-airgap.effective.yaml`; run again, it is
// refreshed in place).
import * as path from 'node:path';
import { languages, Range, Uri, ViewColumn, window, workspace, WorkspaceEdit } from 'vscode';
import { Requests, type EffectiveValuesResult } from '../../../server/src/protocol';
import { isFailure, request, targetUri, type CommandContext } from './context';

export async function showEffectiveValues(ctx: CommandContext, arg?: unknown): Promise<{ text: string; uri: string } | undefined> {
  const uri = arg instanceof Uri || (arg as { valuesPath?: unknown } | undefined)?.valuesPath ? targetUri(arg) : window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file') {
    void window.showErrorMessage('Air-Gap Lint: open a values file to see its effective values.');
    return undefined;
  }
  const result = await request<EffectiveValuesResult>(ctx, Requests.effectiveValues, { uri: uri.toString() });
  if (isFailure(result)) {
    void window.showErrorMessage(`Air-Gap Lint: ${result.error}`);
    return undefined;
  }
  const name = `${path.basename(uri.fsPath).replace(/\.ya?ml$/i, '')}.effective.yaml`;
  const target = Uri.from({ scheme: 'untitled', path: name });
  let doc = await workspace.openTextDocument(target);
  const edit = new WorkspaceEdit();
  edit.replace(target, new Range(0, 0, doc.lineCount, 0), result.text);
  if (!(await workspace.applyEdit(edit))) {
    void window.showErrorMessage('Air-Gap Lint: could not open the effective values.');
    return undefined;
  }
  if (doc.languageId !== 'yaml') doc = await languages.setTextDocumentLanguage(doc, 'yaml');
  await window.showTextDocument(doc, { viewColumn: ViewColumn.Beside, preview: false });
  return { text: doc.getText(), uri: doc.uri.toString() };
}
