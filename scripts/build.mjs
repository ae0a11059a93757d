// Bundles the extension client, the language server (and its lint worker, a second entry point
// the server starts as a worker thread for large files) and the CLI into dist/ so that the
// VSIX ships no node_modules. `vscode` is provided by the editor at run time.
import { build } from 'esbuild';
import { mkdirSync, cpSync } from 'node:fs';
import { bundleOptions } from './bundle-options.mjs';

const common = { ...bundleOptions, sourcemap: true };

mkdirSync('dist', { recursive: true });
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js' }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/lint-worker.ts'], outfile: 'dist/lint-worker.js' }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);
