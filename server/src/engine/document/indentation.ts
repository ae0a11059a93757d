// Indentation facts of a values file that fixes need to insert text in the file's own style.
import type { ValuesDocument } from './index';

/** The document's indentation step: the smallest indentation of a key line (2 when none). */
export function indentUnit(doc: ValuesDocument): number {
  let best = 0;
  const lines = Math.min(doc.lineCount, 400);
  for (let i = 0; i < lines; i++) {
    const m = /^( +)[^\s#-]/.exec(doc.lineText(i));
    if (m && (best === 0 || m[1].length < best)) best = m[1].length;
    if (best === 2) break;
  }
  return best || 2;
}
