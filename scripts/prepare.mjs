// npm's `prepare` step (npm install in this folder, npm pack, an install from git): builds dist/.
//
// pre-commit 4.6.1 and later install a `language: node` hook with `npm install -g git+file://…`.
// npm prepares such a git package by running `npm install` in a temporary clone, and npm 11
// hands that inner install the outer command's npm_config_global=true: the devDependencies
// never reach the clone and the build finds no esbuild (npm/cli#8440; pacote 22, in npm 12,
// passes --global=false). In that case this installs them into the clone first.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

function canResolve(name) {
  try {
    createRequire(`${process.cwd()}/package.json`).resolve(name);
    return true;
  } catch {
    return false;
  }
}

if (!canResolve('esbuild') && process.env.npm_config_global === 'true' && process.env.npm_execpath) {
  // --ignore-scripts: no `prepare` again from this inner install (esbuild's own install script
  // is denied in package.json's allowScripts anyway: its binary is an optional dependency).
  const r = spawnSync(
    process.execPath,
    [process.env.npm_execpath, 'install', '--global=false', '--include=dev', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund'],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}

await import('./build.mjs');
