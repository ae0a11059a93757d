// The engine's one facade (as yaml-language-server's getLanguageService()): the language server
// and the CLI reach lint, hover, completion, effective values, chart knowledge, the allowlist
// and the image list through it, never through engine modules one by one. It is an Engine (the
// caches: parsed documents per text, configs per folder) with the features on top.
import { Engine, type EngineOptions } from './lint';
import type { FileHost, Position } from './types';
import { noProxyCompletions, type NoProxyCompletion } from './services/completion';
import { effectiveValuesFor, type EffectiveValuesOptions, type EffectiveValuesResult } from './services/effective-values';
import { noProxyHover, type HoverResult } from './services/hover';
import { stackStatus, type StackStatus } from './services/stack-status';
import { imageHover } from './services/image-hover';
import { collectAllowlist } from './allowlist/collect';
import { ALLOWLIST_FORMAT_INFO, formatAllowlist, validateFormatOptions } from './allowlist/formats';
import { ALLOWLIST_FORMATS, type AllowlistFormat, type AllowlistFormatOptions } from './allowlist/types';
import { collectImageList } from './imagelist/collect';
import { formatImageList } from './imagelist/formats';
import { airgapOverlay } from './imagelist/overlay';
import { IMAGE_LIST_FORMATS, type ImageListFormat } from './imagelist/types';
import { IMAGE_LIST_FORMAT_CHOICES } from './generator-formats';

/** What a generator gives back: the text, the language to open it in, and what the user should know. */
export interface Generated {
  text: string;
  /** VS Code language id: `egress-allowlist`, `yaml`, `json`, `csv`, `shellscript`, `plaintext`. */
  language: string;
  /** Values that could not be listed and why, images that could not be moved: never secrets. */
  notes: string[];
  /** True when something the user asked for could not be listed (exit status 1 in the CLI). */
  incomplete: boolean;
}

export interface AllowlistRequest extends AllowlistFormatOptions {
  format: AllowlistFormat;
  features?: 'enabled' | 'all';
  displayPath?: (absPath: string) => string;
}

export interface ImageListRequest {
  format: ImageListFormat;
  optional?: 'include' | 'exclude';
  pullSecret?: string;
  displayPath?: (absPath: string) => string;
  now?: Date;
}

const IMAGE_FORMAT_LANGUAGE = Object.fromEntries(IMAGE_LIST_FORMAT_CHOICES.map((f) => [f.format, f.language])) as Record<ImageListFormat, string>;

/** A request that cannot be served as asked (unknown format, bad option): the CLI's exit 2. */
export class GenerateError extends Error {}

export class LanguageService extends Engine {
  /** The hover at a position of a values file: a NO_PROXY entry first (the finer range), then an image field. */
  hover(path: string, position: Position): HoverResult | undefined {
    const doc = this.getDocument(path);
    if (!doc) return undefined;
    return noProxyHover(doc, this.configFor(path), position, this.knowledgeFor(path)) ?? imageHover(doc, this, doc.path, position);
  }

  /** Completion items at a position (inside a NO_PROXY value). */
  completion(path: string, position: Position): NoProxyCompletion[] {
    const doc = this.getDocument(path);
    if (!doc) return [];
    return noProxyCompletions(doc, this.configFor(path), position, this.knowledgeFor(path));
  }

  /**
   * "Generate Egress Allowlist": the hosts and ports the stacks of `paths` reach, by feature, in
   * one output format. Throws GenerateError for an unknown format or invalid options.
   */
  allowlist(paths: string[], request: AllowlistRequest): Generated {
    return this.withReadSnapshot(() => this.allowlistNow(paths, request));
  }

  private allowlistNow(paths: string[], request: AllowlistRequest): Generated {
    if (!(ALLOWLIST_FORMATS as readonly string[]).includes(request.format)) {
      throw new GenerateError(`Unknown allowlist format "${request.format}": expected ${ALLOWLIST_FORMATS.join(', ')}.`);
    }
    const options: AllowlistFormatOptions = {};
    if (request.namespace !== undefined) options.namespace = request.namespace;
    if (request.podSelector !== undefined) options.podSelector = request.podSelector;
    if (request.name !== undefined) options.name = request.name;
    if (request.apiServerCIDR !== undefined) options.apiServerCIDR = request.apiServerCIDR;
    const problems = validateFormatOptions(options);
    if (problems.length) throw new GenerateError(problems.join('; '));
    const list = collectAllowlist(paths, this, { features: request.features ?? 'enabled', displayPath: request.displayPath });
    const notes = list.skipped.map((s) => `${s.path}:${s.line} ${s.key}: ${s.value} not listed: ${s.reason}`);
    return { text: formatAllowlist(list, request.format, options), language: ALLOWLIST_FORMAT_INFO[request.format].language, notes, incomplete: false };
  }

  /**
   * "Generate Image Mirror List": every image the stacks of `paths` pull, in one output format;
   * `overlay` is the values file that moves them all to the mirror (the stack of `paths[0]`).
   */
  imageList(paths: string[], request: ImageListRequest): Generated {
    return this.withReadSnapshot(() => this.imageListNow(paths, request));
  }

  private imageListNow(paths: string[], request: ImageListRequest): Generated {
    if (!(IMAGE_LIST_FORMATS as readonly string[]).includes(request.format)) {
      throw new GenerateError(`Unknown image list format "${request.format}": expected ${IMAGE_LIST_FORMATS.join(', ')}.`);
    }
    if (request.format === 'overlay') {
      if (paths.length !== 1) throw new GenerateError('The overlay format takes one values file (the top of the stack it moves to the mirror).');
      const result = airgapOverlay(paths[0], this, { displayPath: request.displayPath, pullSecret: request.pullSecret });
      if ('error' in result) throw new GenerateError(result.error);
      return { text: result.text, language: 'yaml', notes: result.notes, incomplete: result.notes.length > 0 };
    }
    const list = collectImageList(paths, this, { displayPath: request.displayPath });
    const notes = list.invalid.map((i) => `${i.path}:${i.line} ${i.key}: "${i.value}" is not listed: ${i.reason}`);
    const text = formatImageList(list, request.format, { excludeOptional: request.optional === 'exclude', ...(request.now ? { now: request.now } : {}) });
    return { text, language: IMAGE_FORMAT_LANGUAGE[request.format], notes, incomplete: list.invalid.length > 0 };
  }

  /** The merged values of the file's layer stack as YAML, each value annotated with where it comes from. */
  /** The status bar's facts about `path`'s stack: mode, mirror registry, problems of the layers `countProblems` accepts. */
  stackStatus(path: string, countProblems?: (layer: string) => boolean): StackStatus {
    return this.withReadSnapshot(() => stackStatus(this, path, countProblems));
  }

  effectiveValues(path: string, options: EffectiveValuesOptions = {}): EffectiveValuesResult {
    return effectiveValuesFor(path, this, options);
  }
}

export function createLanguageService(host: FileHost, options: EngineOptions = {}): LanguageService {
  return new LanguageService(host, options);
}

export type { HoverResult, NoProxyCompletion, EffectiveValuesOptions, EffectiveValuesResult, StackStatus };
