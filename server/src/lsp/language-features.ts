// Hover and completion: LSP wrappers around the engine's pure services (NO_PROXY entries,
// image fields). They read the parsed document the engine already holds for the current
// version (no extra parse per request).
import {
  CompletionItemKind,
  MarkupKind,
  type CompletionItem,
  type Connection,
  type Hover,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isConfigFile, type Engine } from '../engine';
import type { Folders } from './folders';
import { uriToPath } from './uri';

/** Characters that open completion inside a NO_PROXY value (after each comma). */
export const COMPLETION_TRIGGERS = [','];

type Guard = <T>(what: string, fallback: T, run: () => Promise<T>) => Promise<T>;

export function registerLanguageFeatures(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  folders: Folders,
  guard: Guard,
  /** Files not served here: large ones, whose parse would block the server for seconds. */
  skip: (path: string, engine: Engine) => boolean = () => false,
): void {
  /** The engine's document and config for an open values file at its current version. */
  async function contextFor(uri: string) {
    const open = documents.get(uri);
    const path = uriToPath(uri);
    if (!open || !path || isConfigFile(path)) return undefined;
    const { engine } = await folders.stateFor(path);
    if (skip(path, engine)) return undefined;
    const doc = engine.getDocument(path);
    if (!doc || doc.text !== open.getText()) return undefined; // buffer and engine disagree: skip
    return { doc, path, engine, config: engine.configFor(path) };
  }

  connection.onHover((params) =>
    guard<Hover | null>('computing a hover', null, async () => {
      const ctx = await contextFor(params.textDocument.uri);
      if (!ctx) return null;
      // A NO_PROXY entry first (the finer range), then an image field.
      const hover = ctx.engine.hover(ctx.path, params.position);
      if (!hover) return null;
      return { contents: { kind: MarkupKind.Markdown, value: hover.markdown }, range: hover.range };
    }),
  );

  connection.onCompletion((params) =>
    guard<CompletionItem[]>('computing completions', [], async () => {
      const ctx = await contextFor(params.textDocument.uri);
      if (!ctx) return [];
      return ctx.engine.completion(ctx.path, params.position).map((item, index) => ({
        label: item.label,
        kind: item.group === 'missing' ? CompletionItemKind.Value : CompletionItemKind.Constant,
        detail: item.detail,
        documentation: item.documentation ? { kind: MarkupKind.Markdown, value: item.documentation } : undefined,
        sortText: item.sortText,
        filterText: item.insertText,
        textEdit: { range: item.range, newText: item.insertText },
        preselect: index === 0 && item.group === 'missing' ? true : undefined,
      }));
    }),
  );
}
