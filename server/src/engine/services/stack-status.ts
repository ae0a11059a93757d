// What the editor's status bar says about a values file beside its cluster profile: the mode
// of the install its layer stack describes, the mirror registry, and the problems of every
// layer. A pure function of the engine's files; the language server answers
// `airgapLint/stackStatus` with it.
//
// The config has no "mode" key, so the mode is derived from what the files say, and left out
// when they say nothing: `proxy` when a layer sets an HTTP(S) proxy for some component,
// `air-gap` when none does and `mirror.registry` is configured (images come from a mirror,
// nothing goes out). A stack with neither is not called "direct": nothing says it is.
import { findStack } from '../layers';
import type { Engine } from '../lint';
import { analyzeProxies } from '../proxy/analyze';

export type InstallMode = 'proxy' | 'air-gap';

export interface LayerProblems {
  /** Absolute path. */
  path: string;
  /** Undefined for layers the caller counts itself (an editor's open documents have live diagnostics). */
  errors?: number;
  warnings?: number;
}

export interface StackStatus {
  mode?: InstallMode;
  /** `mirror.registry` as configured, without any user:password@ part. */
  mirrorRegistry?: string;
  /** The stack's files, base first, ending with the file asked for. */
  layers: LayerProblems[];
}

/** `user:pass@harbor.corp` → `harbor.corp`: a registry written with credentials must not show them. */
export function displayRegistry(registry: string | undefined): string | undefined {
  const r = registry?.trim();
  if (!r) return undefined;
  return r.slice(r.lastIndexOf('@') + 1) || undefined;
}

/**
 * The status of `path`'s stack. `countProblems(layer)` says which layers to lint here (the
 * others are left to the caller); linting a layer is what the editor would do on opening it.
 */
export function stackStatus(engine: Engine, path: string, countProblems: (layer: string) => boolean = () => true): StackStatus {
  const config = engine.configFor(path);
  const stack = findStack(path, config, engine.host);
  const proxied = stack.files.some((layer) => {
    const doc = engine.getDocument(layer);
    if (!doc?.root) return false;
    const knowledge = engine.knowledgeFor(layer);
    return analyzeProxies(doc, engine.configFor(layer), knowledge.empty ? undefined : knowledge).sets.some((s) => s.proxied);
  });
  const mirrorRegistry = displayRegistry(config.mirror.registry);
  const mode: InstallMode | undefined = proxied ? 'proxy' : mirrorRegistry ? 'air-gap' : undefined;
  const layers = stack.files.map((layer): LayerProblems => {
    if (!countProblems(layer)) return { path: layer };
    const findings = engine.lint(layer).findings.filter((f) => f.path === layer);
    return { path: layer, errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length };
  });
  return { mode, mirrorRegistry, layers };
}
