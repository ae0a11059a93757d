// Debian's chromium driven by playwright-core (no browser download): a fresh profile per run,
// headless, nothing that reaches the network on its own.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM } from './tools';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Docker-sized /dev/shm (64 MB) would crash the renderer.
  '--disable-dev-shm-usage',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(setup?: (context: BrowserContext) => Promise<void>): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'airgap-e2e-chromium-'));
  // Playwright refuses --user-data-dir in args: a fresh profile goes through launchPersistentContext.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 900 },
    timeout: 60_000,
  });
  try {
    if (setup) await setup(context);
  } catch (err) {
    await context.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
