// file: URIs ↔ absolute paths. The engine speaks paths; LSP speaks URIs. Documents the client
// opened keep the exact URI string the client sent (VS Code encodes some characters that
// Node does not), so diagnostics and edits land on the same document.
import * as nodePath from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The absolute path of a file: URI, or undefined for other schemes (untitled:, git:, …). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return nodePath.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

/** Maps paths back to URIs, preferring the URI strings of open documents. */
export class UriMap {
  private readonly byPath = new Map<string, string>();

  remember(path: string, uri: string): void {
    this.byPath.set(path, uri);
  }

  forget(path: string): void {
    this.byPath.delete(path);
  }

  uriFor(path: string): string {
    return this.byPath.get(path) ?? pathToUri(path);
  }
}
