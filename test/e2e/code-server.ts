// One code-server per test session: fresh user data and extensions folders, our VSIX installed
// with --install-extension, bound to 127.0.0.1 on a free port, everything that phones home off.
// `stop()` ends the whole process group (server, extension host, our language server).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, httpOk, runGroup, startGroup, waitFor, type Group } from './processes';
import { isolatedEnv, type CodeServerTools } from './tools';

/** User settings for a quiet, offline workbench (no welcome page, no gallery, no telemetry). */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'files.autoSave': 'off',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // The server log and the LSP messages go to the output channel (checked after the run).
  'airgapLint.trace.server': 'messages',
};

export interface Session {
  port: number;
  url: string;
  dir: string;
  userDir: string;
  extDir: string;
  serverLog: string;
  stop(): Promise<void>;
}

export interface SessionOptions {
  tools: CodeServerTools;
  /** Logs, user data and extensions go here. */
  dir: string;
  vsix: string;
  /** Prepended to PATH for the server and its extension host (a fake kubectl). */
  extraPath?: string[];
  /** Lets a page load extension tests from a URL payload (the smoke-test driver). */
  smokeTestDriver?: boolean;
  settings?: Record<string, unknown>;
}

export interface Timings {
  installMs: number;
  readyMs: number;
}

export async function startCodeServer(options: SessionOptions): Promise<Session & { timings: Timings }> {
  const { tools, dir } = options;
  const userDir = path.join(dir, 'user');
  const extDir = path.join(dir, 'extensions');
  fs.mkdirSync(path.join(userDir, 'User'), { recursive: true });
  fs.mkdirSync(extDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...options.settings }, null, 2));
  const env = isolatedEnv(dir, { PATH: [...(options.extraPath ?? []), tools.node24Bin, process.env.PATH ?? ''].join(path.delimiter) });
  // code-server must not pick up a password or a proxy setting from the machine.
  for (const key of ['PASSWORD', 'HASHED_PASSWORD', 'VSCODE_PROXY_URI', 'CODE_SERVER_CONFIG']) delete env[key];
  const common = ['--user-data-dir', userDir, '--extensions-dir', extDir];

  const t0 = Date.now();
  const installLog = path.join(dir, 'install-extension.log');
  const installed = await runGroup(tools.codeServer, [...common, '--install-extension', options.vsix], { env, logFile: installLog, timeoutMs: 120_000 });
  const installText = fs.readFileSync(installLog, 'utf8');
  if (installed !== 0 || !/successfully installed/i.test(installText)) {
    throw new Error(`installing the VSIX failed (${installed}): ${installText.slice(-2000)}`);
  }
  const installMs = Date.now() - t0;

  const port = await freePort();
  const serverLog = path.join(dir, 'code-server.log');
  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    // The extension host gets this process's environment (PATH with the fake kubectl), not
    // what a login shell would make of it (/etc/profile resets PATH).
    '--vscode-option', 'force-disable-user-env',
    ...common,
  ];
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const t1 = Date.now();
  const group: Group = startGroup(tools.codeServer, args, { env, logFile: serverLog });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      'code-server /healthz',
      async () => {
        const exit = await Promise.race([group.exited, Promise.resolve(undefined)]);
        if (exit !== undefined) throw new Error(`code-server exited (${exit}): ${fs.readFileSync(serverLog, 'utf8').slice(-2000)}`);
        return httpOk(`${url}/healthz`);
      },
      60_000,
      200,
    );
  } catch (err) {
    await group.stop();
    throw err;
  }
  return {
    port,
    url,
    dir,
    userDir,
    extDir,
    serverLog,
    timings: { installMs, readyMs: Date.now() - t1 },
    stop: () => group.stop(),
  };
}

/** The folder --install-extension unpacked our VSIX into. */
export function installedExtensionDir(extDir: string): string {
  const found = fs.readdirSync(extDir).find((n) => n.startsWith('airgap-lint.airgap-lint-'));
  if (!found) throw new Error(`airgap-lint is not in ${extDir}: ${fs.readdirSync(extDir).join(', ')}`);
  return path.join(extDir, found);
}

/** The "Air-Gap Lint" output channel as the workbench logged it (a log output channel is a file). */
export function outputChannelLog(userDir: string): string | undefined {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 8 || !fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p, depth + 1);
      else if (/Air-Gap Lint\.log$/.test(entry.name)) found.push(p);
    }
  };
  walk(path.join(userDir, 'logs'), 0);
  return found.length ? found.map((f) => fs.readFileSync(f, 'utf8')).join('\n') : undefined;
}
