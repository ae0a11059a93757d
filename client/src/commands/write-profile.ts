// Writes cluster profile values into `.airgap-lint.yaml` as one WorkspaceEdit (undoable, and
// the rest of the file stays as it was: the server computes a minimal edit).
import { Position, Range, Uri, workspace, WorkspaceEdit, type TextDocument } from 'vscode';
import { Requests } from '../../../server/src/protocol';
import { isFailure, request, type CommandContext } from './context';

/** Per key: a value sets it, null removes it, undefined leaves it (server/src/engine/services/cluster-profile.ts). */
export interface ProfileValues {
  distribution?: string | null;
  podCIDR?: string[] | null;
  serviceCIDR?: string[] | null;
  apiServerIP?: string | null;
}

type EditResult =
  | { ok: true; edits: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>; text: string; created: boolean }
  | { ok: false; error: string };

export type WriteResult = { ok: true; configPath: string; changed: boolean; created: boolean } | { ok: false; error: string };

async function currentText(uri: Uri): Promise<{ text: string | undefined; doc?: TextDocument }> {
  const open = workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return { text: open.getText(), doc: open };
  try {
    return { text: new TextDecoder().decode(await workspace.fs.readFile(uri)) };
  } catch {
    return { text: undefined };
  }
}

export async function writeProfile(ctx: CommandContext, configPath: string, values: ProfileValues): Promise<WriteResult> {
  const uri = Uri.file(configPath);
  const { text, doc: openDoc } = await currentText(uri);
  const hadUnsavedChanges = openDoc?.isDirty ?? false;
  const result = await request<EditResult>(ctx, Requests.clusterProfileEdit, { path: configPath, text: text ?? null, profile: values });
  if (isFailure(result)) return { ok: false, error: result.error };
  if (!result.ok) return result;
  if (!result.edits.length) return { ok: true, configPath, changed: false, created: false };

  const edit = new WorkspaceEdit();
  if (text === undefined) edit.createFile(uri, { ignoreIfExists: true });
  for (const e of result.edits) {
    const range = new Range(new Position(e.range.start.line, e.range.start.character), new Position(e.range.end.line, e.range.end.character));
    edit.replace(uri, range, e.newText);
  }
  if (!(await workspace.applyEdit(edit))) return { ok: false, error: `Could not edit ${configPath}.` };
  // Saved so that the CLI and other tools see it too (Undo in the editor still reverts it),
  // unless the user had unsaved changes of their own in that file.
  const doc = await workspace.openTextDocument(uri);
  if (doc.isDirty && !hadUnsavedChanges) await doc.save();
  ctx.refreshStatus();
  return { ok: true, configPath, changed: true, created: text === undefined };
}
