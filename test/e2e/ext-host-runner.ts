// Runs a mocha suite inside code-server's real (Node) extension host: the offline stand-in for
// @vscode/test-electron. With `--vscode-option enable-smoke-test-driver`, the browser workbench
// honours a URL payload naming an extension development folder and an extension tests module;
// when the tests finish it calls window.codeAutomationExit(code), and it forwards the extension
// host's console through window.codeAutomationLog(type, args).
import * as util from 'node:util';
import { launchBrowser } from './browser';

export interface ExtensionTestRun {
  exitCode: number | 'timeout';
  /** Console lines of the extension host (mocha's report among them). */
  lines: string[];
  ms: number;
}

export async function runExtensionTests(options: {
  port: number;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  workspace: string;
  timeoutMs: number;
  onLine?: (line: string) => void;
}): Promise<ExtensionTestRun> {
  const authority = `127.0.0.1:${options.port}`;
  const remote = (p: string) => `vscode-remote://${authority}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(options.extensionTestsPath)],
  ];
  const url = `http://${authority}/?folder=${encodeURIComponent(options.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const lines: string[] = [];
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  const t0 = Date.now();
  const browser = await launchBrowser(async (context) => {
    await context.exposeFunction('codeAutomationExit', (code: number) => exit(code));
    await context.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      const list = Array.isArray(args) ? args : [args];
      const line = typeof list[0] === 'string' ? util.format(...list) : list.map(String).join(' ');
      // The gallery lookup fails offline, as it should; not worth a line.
      if (/open-vsx|ENOTFOUND|getaddrinfo/.test(line)) return;
      for (const l of line.split('\n')) {
        lines.push(`[${type}] ${l}`);
        options.onLine?.(l);
      }
    });
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await browser.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const exitCode = await Promise.race([
      exited,
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
      }),
    ]);
    return { exitCode, lines, ms: Date.now() - t0 };
  } finally {
    if (timer) clearTimeout(timer);
    await browser.close();
  }
}
