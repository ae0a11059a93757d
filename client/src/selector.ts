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
