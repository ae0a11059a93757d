// The image mirror list of a values stack, as the collector (collect.ts) builds it and every
// output format (formats/) reads it (research: egress-and-image-lists.md §3).
import type { SourceLine } from '../allowlist/types';

export type { SourceLine };

export interface ImageListEntry {
  /** The fully qualified reference the chart pulls: `docker.io/library/postgres:16`, with `@digest` when pinned. */
  source: string;
  /** Its reference in the configured mirror (null without `mirror.registry`). */
  mirror: string | null;
  /** `sha256:…` when the values pin one. */
  digest: string | null;
  /** Registry host of `source` (`docker.io`, `quay.io`, `harbor.corp:5000`). */
  registry: string;
  /** Repository path under the registry (`library/postgres`). */
  repository: string;
  /** Tag, when the reference has one. */
  tag: string | null;
  /** Null when the image is always deployed; else "only if …" (the condition in words). */
  optional: string | null;
  /** The value that turns an optional image on (null when always on, or unknown). */
  enabledBy: SourceLine | null;
  /** Where the image's parts are written (registry, repository, tag …), first the one that names it. */
  sources: SourceLine[];
  /** Values path of the image, or the name the chart composes it under. */
  key: string;
}

/** A value that looked like an image but does not parse: listed apart, never guessed. */
export interface InvalidImage {
  value: string;
  path: string;
  line: number;
  key: string;
  reason: string;
}

export interface ImageList {
  /** Sorted by source reference; one entry per distinct source reference. */
  images: ImageListEntry[];
  invalid: InvalidImage[];
  /** The values files of the stack, base first (display paths). */
  files: string[];
  chart?: { name: string; version?: string };
  mirror?: { registry: string; layout: 'nested' | 'flat' };
}

export interface ImageListFormatOptions {
  /** Leave out images marked optional (`--optional exclude`). */
  excludeOptional?: boolean;
  /** oc-mirror v1 `storageConfig`: a local path (default ./mirror-storage). */
  storagePath?: string;
  /** Package / object names (zarf, hauler): default the chart name, else `images`. */
  name?: string;
  /** When the list is generated (imageslock `metadata.generatedAt`); default the current time. Tests pass a fixed date. */
  now?: Date;
}

export type ImageListFormat = 'list' | 'json' | 'oc-mirror' | 'oc-mirror-v1' | 'skopeo-sync' | 'skopeo-copy' | 'hauler' | 'zarf' | 'imageslock' | 'idms' | 'overlay';

export const IMAGE_LIST_FORMATS: readonly ImageListFormat[] = ['list', 'json', 'oc-mirror', 'oc-mirror-v1', 'skopeo-sync', 'skopeo-copy', 'hauler', 'zarf', 'imageslock', 'idms', 'overlay'];

export type ImageListFormatter = (list: ImageList, options: ImageListFormatOptions) => string;
