// The engine's one facade (as yaml-language-server's getLanguageService()): the language server
// and the CLI reach lint, hover, completion, effective values, chart knowledge, the allowlist
// and the image list through it, never through engine modules one by one. It is an Engine (the
// caches: parsed documents per text, configs per folder) with the features on top.
import { Engine, type EngineOptions } from './lint';
import type { FileHost, Position } from './types';
import { noProxyCompletions, type NoProxyCompletion } from './services/completion';
import { effectiveValuesFor, type EffectiveValuesOptions, type EffectiveValuesResult } from './services/effective-values';
import { noProxyHover, type HoverResult } from './services/hover';
import { imageHover } from './services/image-hover';

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

  /** The merged values of the file's layer stack as YAML, each value annotated with where it comes from. */
  effectiveValues(path: string, options: EffectiveValuesOptions = {}): EffectiveValuesResult {
    return effectiveValuesFor(path, this, options);
  }
}

export function createLanguageService(host: FileHost, options: EngineOptions = {}): LanguageService {
  return new LanguageService(host, options);
}

export type { HoverResult, NoProxyCompletion, EffectiveValuesOptions, EffectiveValuesResult };
