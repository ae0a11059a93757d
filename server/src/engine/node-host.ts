// A FileHost over the local disk, with optional in-memory overlays (editor buffers).
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { FileHost } from './types';

/**
 * Files larger than this are not read as values. The YAML parser needs about 100 bytes of
 * heap per input byte, so 16 MB (≈1.6 GB) stays well inside Node's default heap; the largest
 * real values files are a few hundred KB.
 */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export class DiskHost implements FileHost {
  private readonly overlays = new Map<string, { text: string; version: number }>();

  readFile(path: string): string | undefined {
    const abs = nodePath.resolve(path);
    const overlay = this.overlays.get(abs);
    if (overlay) return overlay.text;
    try {
      const stat = fs.statSync(abs);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
      return fs.readFileSync(abs, 'utf8');
    } catch {
      return undefined;
    }
  }

  listDir(dir: string): string[] | undefined {
    const abs = nodePath.resolve(dir);
    let names: string[] = [];
    try {
      names = fs.readdirSync(abs);
    } catch {
      names = [];
    }
    // Unsaved editor buffers count too (a new overlay not yet written to disk).
    for (const open of this.overlays.keys()) {
      if (nodePath.dirname(open) === abs && !names.includes(nodePath.basename(open))) names.push(nodePath.basename(open));
    }
    return names;
  }

  version(path: string): number | undefined {
    return this.overlays.get(nodePath.resolve(path))?.version;
  }

  /** Makes `text` the content of `path` (an open editor buffer) until `close`. */
  open(path: string, text: string, version: number): void {
    this.overlays.set(nodePath.resolve(path), { text, version });
  }

  close(path: string): void {
    this.overlays.delete(nodePath.resolve(path));
  }

  isOpen(path: string): boolean {
    return this.overlays.has(nodePath.resolve(path));
  }
}
