// Bundles the extension client, the language server (and its lint worker, a second entry point
// the server starts as a worker thread for large files) and the CLI into dist/ so that the
// VSIX ships no node_modules. `vscode` is provided by the editor at run time.
import { build } from 'esbuild';
import { mkdirSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { bundleOptions } from './bundle-options.mjs';
import { ruleDocPages } from './rule-docs.mjs';

const common = { ...bundleOptions, sourcemap: true };

mkdirSync('dist', { recursive: true });
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js' }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/lint-worker.ts'], outfile: 'dist/lint-worker.js' }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);

// The rule pages "Show documentation for RULE" opens offline, from the README's Rules section.
const RULE_DOCS = 'dist/docs/rules';
rmSync(RULE_DOCS, { recursive: true, force: true });
mkdirSync(RULE_DOCS, { recursive: true });
for (const [name, text] of ruleDocPages(readFileSync('README.md', 'utf8'))) writeFileSync(`${RULE_DOCS}/${name}`, text);
