// Which documents VS Code hands to the server. Kept free of the `vscode` module so it can be
// tested in plain Node.

/** The default values-file names (product.md "Which files"). */
export const DEFAULT_VALUES_PATTERNS = ['values.yaml', 'values-*.yaml', 'values.*.yaml', '*-values.yaml'].flatMap((p) => [
  p,
  p.replace(/\.yaml$/, '.yml'),
]);
export const CONFIG_FILE_NAMES = ['.airgap-lint.yaml', '.airgap-lint.yml'];

/**
 * Workspace globs for the document selector: the defaults, the config file and any extra
 * patterns from the `airgapLint.files` setting (the server still applies the configured
 * patterns per folder, so a broader selector never lints more than configured).
 */
export function documentPatterns(configuredFiles: unknown): string[] {
  const extra = Array.isArray(configuredFiles)
    ? configuredFiles.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim())
    : [];
  const globs = [...DEFAULT_VALUES_PATTERNS, ...CONFIG_FILE_NAMES, ...extra].map((p) => (p.startsWith('**/') || p.startsWith('/') ? p : `**/${p}`));
  return [...new Set(globs)];
}

/**
 * Workspace globs for the documents VS Code hands to the server: every YAML file, the config
 * file and any configured pattern with another extension. Broader than `documentPatterns` on
 * purpose: a `files:` pattern in an `.airgap-lint.yaml` is known only to the server, which
 * decides per file (with that folder's configuration) whether it is a values file, and clears
 * and lints nothing else. The only cost of the other YAML files is their text being synced.
 */
export function serverDocumentPatterns(configuredFiles: unknown): string[] {
  const otherExtensions = documentPatterns(configuredFiles).filter((p) => !/\.ya?ml$/i.test(p));
  return [...new Set(['**/*.yaml', '**/*.yml', ...CONFIG_FILE_NAMES.map((n) => `**/${n}`), ...otherExtensions])];
}
