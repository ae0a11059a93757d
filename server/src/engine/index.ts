// The engine's public surface for the adapters (server, CLI) and the tests.
export * from './types';
export * from './lint';
export * from './service';
export { clusterProfileEdit, type ClusterProfileEdit, type ClusterProfileInput } from './services/cluster-profile';
export * from './report';
export * from './config';
export * from './document';
export * from './fixes';
export { ruleDocsAnchor, ruleDocsUrl, ruleInfo, allRules } from './rules/catalog';
export { isSuppressible, suppressFileEdit, suppressLineEdit } from './suppression-edits';
export type { RuleModule, LintContext } from './rules/types';
export * from './node-host';
// Layering: the server re-lints a file's overlays (dependentsOf) when that file changes.
export { findStack, dependentsOf, mergeLayers, mergeValues, type LayerStack, type MergedLayers } from './layers';
export { schemaForDocument, clearSchemaCache, schemaCompileCount, registerBundledSchema } from './schema';
export { configureSchemaCodeCache, schemaCodeCacheDir } from './schema/code-cache';
// The generators' contracts (the service runs them).
export { ALLOWLIST_FORMATS, type Allowlist, type AllowlistEntry, type AllowlistFormat } from './allowlist/types';
export { IMAGE_LIST_FORMATS, type ImageList, type ImageListEntry, type ImageListFormat } from './imagelist/types';
