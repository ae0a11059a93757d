// "Show documentation for RULE" (a code action of every airgap-lint diagnostic, and the palette):
// opens the rule's page bundled in the extension (dist/docs/rules/<anchor>.md, generated from the
// README by scripts/rule-docs.mjs) in VS Code's Markdown preview. Nothing is fetched, so it works
// air-gapped; the diagnostics' online links stay for everyone else.
import { commands, QuickPickItem, Uri, window, workspace, type Disposable } from 'vscode';
import { allRules, Commands, ruleDocsAnchor } from '../../../server/src/protocol';

/** Where build.mjs writes the pages, relative to the extension's folder. */
const DOCS_DIR = ['dist', 'docs', 'rules'];

async function exists(uri: Uri): Promise<boolean> {
  try {
    await workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Without a rule (the palette): the catalog in a quick pick. */
async function pickRule(): Promise<string | undefined> {
  const items: Array<QuickPickItem & { id: string }> = allRules().map((r) => ({ label: r.id, description: r.severity, detail: r.summary, id: r.id }));
  // A preview opening beside the editor takes the focus; the pick must not vanish with it.
  const picked = await window.showQuickPick(items, { title: 'Show Rule Documentation', placeHolder: 'Rule', matchOnDetail: true, ignoreFocusOut: true });
  return picked?.id;
}

/** The rule's bundled page; the index of all rules for an ID without one (a rule newer than the docs). */
export async function ruleDocumentationUri(extensionUri: Uri, rule: string): Promise<Uri> {
  const page = Uri.joinPath(extensionUri, ...DOCS_DIR, `${ruleDocsAnchor(rule)}.md`);
  return (await exists(page)) ? page : Uri.joinPath(extensionUri, ...DOCS_DIR, 'index.md');
}

/** Returns the page shown (for the end-to-end suite), or undefined when the pick was cancelled. */
export async function showRuleDocumentation(extensionUri: Uri, arg?: unknown): Promise<{ uri: string } | undefined> {
  const rule = typeof arg === 'string' && arg ? arg : await pickRule();
  if (!rule) return undefined;
  const page = await ruleDocumentationUri(extensionUri, rule);
  // Beside the values file, so that the finding stays in view while reading.
  await commands.executeCommand('markdown.showPreviewToSide', page);
  return { uri: page.toString() };
}

export function registerShowRuleDocumentation(extensionUri: Uri): Disposable {
  return commands.registerCommand(Commands.showRuleDocumentation, (arg?: unknown) => showRuleDocumentation(extensionUri, arg));
}
