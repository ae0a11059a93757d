// Every image list output format but `overlay`: pure functions ImageList → string
// (research: egress-and-image-lists.md §3; product.md "CLI contract"). `overlay` is a values
// file built from the values stack itself, not from the list: the caller handles it.

import type { ImageList, ImageListFormat, ImageListFormatOptions, ImageListFormatter } from '../types';
import { formatHauler } from './hauler';
import { formatIdms } from './idms';
import { formatImagesLock } from './imageslock';
import { formatJson } from './json';
import { formatList } from './list';
import { formatOcMirror, formatOcMirrorV1 } from './oc-mirror';
import { formatSkopeoCopy } from './skopeo-copy';
import { formatSkopeoSync } from './skopeo-sync';
import { formatZarf } from './zarf';

export type ListImageListFormat = Exclude<ImageListFormat, 'overlay'>;

export const IMAGE_LIST_FORMATTERS: Readonly<Record<ListImageListFormat, ImageListFormatter>> = {
  list: formatList,
  json: formatJson,
  'oc-mirror': formatOcMirror,
  'oc-mirror-v1': formatOcMirrorV1,
  'skopeo-sync': formatSkopeoSync,
  'skopeo-copy': formatSkopeoCopy,
  hauler: formatHauler,
  zarf: formatZarf,
  imageslock: formatImagesLock,
  idms: formatIdms,
};

export const OVERLAY_FROM_LIST_ERROR = 'the overlay format is built from the values stack, not from the list';

/** Writes the list in one format. Throws for `overlay` (built from the values stack) and unknown formats. */
export function formatImageList(list: ImageList, format: ImageListFormat, options: ImageListFormatOptions = {}): string {
  if (format === 'overlay') throw new Error(OVERLAY_FROM_LIST_ERROR);
  const formatter = Object.prototype.hasOwnProperty.call(IMAGE_LIST_FORMATTERS, format) ? IMAGE_LIST_FORMATTERS[format as ListImageListFormat] : undefined;
  if (!formatter) throw new Error(`unknown image list format "${String(format)}"`);
  return formatter(list, options);
}

export {
  formatHauler,
  formatIdms,
  formatImagesLock,
  formatJson,
  formatList,
  formatOcMirror,
  formatOcMirrorV1,
  formatSkopeoCopy,
  formatSkopeoSync,
  formatZarf,
};
