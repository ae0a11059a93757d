// Child processes for the end-to-end tests. Each editor runs in its own process group so that
// stopping it also stops everything it started (code-server's extension host and our language
// server, Neovim's language server); every group still alive when the test process exits is
// killed, also after a failure or Ctrl+C.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';

const live = new Set<number>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

process.on('exit', () => {
  for (const pid of live) killGroup(pid, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const pid of live) killGroup(pid, 'SIGKILL');
    process.exit(130);
  });
}

export interface Group {
  child: ChildProcess;
  pid: number;
  /** Resolves with the exit code (or the signal name) when the group leader exits. */
  exited: Promise<number | string>;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the leader is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout and stderr go here (appended). */
  logFile: string;
  /**
   * Kill what is left of the group as soon as the leader exits (a server's helpers). Off for
   * commands whose leader may exit before its children are done (code-server's CLI).
   */
  killOnLeaderExit?: boolean;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `command` as the leader of a new process group. */
export function startGroup(command: string, args: string[], options: StartOptions): Group {
  const log = fs.openSync(options.logFile, 'a');
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  live.add(pid);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (err) => resolve(`error: ${err.message}`));
  });
  if (options.killOnLeaderExit !== false) {
    void exited.then(() => {
      // The leader is gone; make sure nothing it started lingers.
      killGroup(pid, 'SIGKILL');
      live.delete(pid);
    });
  }
  return {
    child,
    pid,
    exited,
    async stop(graceMs = 5000) {
      if (!live.has(pid)) return;
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      killGroup(pid, 'SIGKILL');
      live.delete(pid);
    },
  };
}

/**
 * Runs a command to completion in its own group: done when the leader and everything it
 * started have exited. A timeout kills the group.
 */
export async function runGroup(command: string, args: string[], options: StartOptions & { timeoutMs: number }): Promise<number | string> {
  const group = startGroup(command, args, { ...options, killOnLeaderExit: false });
  const end = Date.now() + options.timeoutMs;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void group.stop(1000);
  }, options.timeoutMs);
  const code = await group.exited;
  while (groupAlive(group.pid) && Date.now() < end) await sleep(50);
  clearTimeout(timer);
  if (groupAlive(group.pid)) timedOut = true;
  killGroup(group.pid, 'SIGKILL');
  live.delete(group.pid);
  return timedOut ? 'timeout' : code;
}

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, condition: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, intervalMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether `url` answers 200 (no redirects, short timeout). */
export function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}
