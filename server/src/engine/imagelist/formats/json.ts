// `json`: the CLI contract of docs/product.md ("CLI contract": `images --format json`):
//   {"version":1,"images":[{"source","mirror","digest","optional","enabledBy","sources":[{"path","line"}]}]}
// plus "invalid": [{"value","path","line","key","reason"}] for values that look like images and do
// not parse (they are never guessed into references). Only the contract's keys are written, in
// that order, whatever else the entries carry.

import type { ImageList, ImageListFormatOptions, SourceLine } from '../types';
import { selectImages } from './common';

function sourceLine(place: SourceLine): { path: string; line: number } {
  return { path: place.path, line: place.line };
}

export function formatJson(list: ImageList, options: ImageListFormatOptions = {}): string {
  const { images, invalid } = selectImages(list, options);
  const out = {
    version: 1,
    images: images.map((e) => ({
      source: e.source,
      mirror: e.mirror ?? null,
      digest: e.digest ?? null,
      optional: e.optional ?? null,
      enabledBy: e.enabledBy ? sourceLine(e.enabledBy) : null,
      sources: (e.sources ?? []).map(sourceLine),
    })),
    invalid: invalid.map((i) => ({ value: i.value, path: i.path, line: i.line, key: i.key, reason: i.reason })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
