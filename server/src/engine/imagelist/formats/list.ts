// `list`: one source reference per line, sorted and unique, `#` comments on lines of their own.
//
// This is the shape `hauler store sync --image-txt` reads (it skips blank lines and lines that
// start with `#`, and takes the whole of every other line as a reference: hauler
// cmd/hauler/cli/store/sync.go), and what `grep -v '^#' | xargs -n1 …` loops and kubernaut's
// hack/airgap/generate-image-list.sh ("one image per line") expect. So the condition of an optional
// image goes on the comment line above it, never after the reference; mirror references are not
// part of a pull list (skopeo-copy and idms carry them).

import type { ImageList, ImageListFormatOptions } from '../types';
import { headerLines, invalidComments, lines, optionalNote, selectImages } from './common';

export function formatList(list: ImageList, options: ImageListFormatOptions = {}): string {
  const selection = selectImages(list, options);
  const sorted = [...selection.images].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  const body: string[] = [];
  for (const entry of sorted) {
    const note = optionalNote(entry);
    if (note) body.push(`# ${note}`);
    body.push(entry.source);
  }
  const header = headerLines(list, 'Images to mirror: one reference per line, comments start with "#".', selection);
  return lines(header, body.length ? [''] : [], body, invalidComments(selection));
}
