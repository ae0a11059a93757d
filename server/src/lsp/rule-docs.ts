// "Show documentation for RULE" for editors other than VS Code. The VS Code client opens the
// bundled page itself (client/src/commands/rule-docs.ts) and says so in its initialization
// options; any other client (Neovim) gets the command from the server, which asks the editor
// to open the same bundled page with `window/showDocument`. Nothing is fetched.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import { Commands, ruleDocsAnchor } from '../protocol';

/** True when the client runs Show documentation itself (its initializationOptions.clientCommands). */
export function clientShowsRuleDocs(init: unknown): boolean {
  const commands = (init as { clientCommands?: unknown } | undefined)?.clientCommands;
  return Array.isArray(commands) && commands.includes(Commands.showRuleDocumentation);
}

/** The rule's bundled page (dist/docs/rules/<anchor>.md beside the server), else the index. */
export function ruleDocPage(docsDir: string, rule: unknown): string {
  const page = typeof rule === 'string' && rule ? nodePath.join(docsDir, `${ruleDocsAnchor(rule)}.md`) : undefined;
  return page && fs.existsSync(page) ? page : nodePath.join(docsDir, 'index.md');
}

export async function showRuleDocumentation(connection: Connection, docsDir: string, args: unknown[] | undefined): Promise<{ uri: string } | { error: string }> {
  const uri = pathToFileURL(ruleDocPage(docsDir, args?.[0])).href;
  const shown = await connection.window.showDocument({ uri, takeFocus: true }).catch(() => ({ success: false }));
  return shown.success ? { uri } : { error: `The editor did not open ${uri}.` };
}
