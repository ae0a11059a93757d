// A few checks through code-server's UI, as a user would do them, in Debian's chromium. The
// bulk of the assertions is in the extension-host suite (test/e2e/suite); these prove the
// workbench shows what the API says: the Problems panel, the light bulb, the command palette,
// the status bar. Selectors are VS Code's DOM classes, stable for the pinned code-server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { waitFor } from './processes';

export interface UiResult {
  failed: string[];
  log: string[];
  screenshots: string[];
}

const PLACEHOLDER_MESSAGE = 'Unreplaced placeholder <mirror-registry> in image.registry';
const FIX_TITLE = 'Replace <mirror-registry> with harbor.corp.example.com:5000';

/**
 * Waits until the row Enter would accept (the focused one) shows `text`. Filtering is async: right
 * after typing, the list may still show the unfiltered recent items, the match among them but
 * another one focused (e.g. the untitled editor opened last).
 */
async function focusedRow(page: Page, text: string): Promise<void> {
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: text }).first().waitFor({ timeout: 15_000 });
}

/**
 * Runs a quick-input interaction, once more after closing whatever is open when the first try
 * times out: the workbench sometimes still holds focus in a closing widget (a notification, the
 * previous quick pick) when the next keystroke arrives.
 */
async function withRetry(page: Page, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.locator('.monaco-workbench .part.editor').first().click({ position: { x: 5, y: 5 } }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000));
    await run();
  }
}

async function palette(page: Page, title: string): Promise<void> {
  await withRetry(page, async () => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`, { timeout: 10_000 });
    await focusedRow(page, title);
    await page.keyboard.press('Enter');
  });
}

async function openFile(page: Page, relative: string): Promise<void> {
  const name = path.basename(relative);
  await withRetry(page, async () => {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(relative, { timeout: 10_000 });
    await focusedRow(page, name);
    await page.keyboard.press('Enter');
    await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).first().waitFor({ timeout: 10_000 });
  });
}

/** Waits for a quick input whose title contains `title`, then types `text` (if any) and accepts. */
async function answer(page: Page, title: string, text?: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).first().waitFor({ state: 'visible', timeout: 15_000 });
  const input = page.locator('.quick-input-widget input');
  if (text !== undefined) {
    await input.fill(text);
    await focusedRow(page, text);
  }
  await page.keyboard.press('Enter');
}

type Shot = (name: string) => Promise<void>;

/** The status bar item of Air-Gap Lint shows exactly `text` (issue 15: whose it is, profile, mode, mirror). */
async function statusBarShows(page: Page, text: string): Promise<void> {
  // Exactly that text: a transient status bar message ("Air-Gap Lint: cluster profile k3s written to …") is another item.
  const exact = new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  await page.locator('.statusbar-item', { hasText: exact }).first().waitFor({ timeout: 30_000 });
}

/** Issue 15: the profile picker opens on the profile in effect, marked (current), not on the first preset. */
async function profilePickerOnCurrent(page: Page, shot: Shot, current: string): Promise<void> {
  await palette(page, 'Air-Gap Lint: Set Cluster Network Profile');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Set Cluster Network Profile (1/4)' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  const focused = page.locator('.quick-input-list .monaco-list-row.focused').first();
  await focused.waitFor({ timeout: 15_000 });
  const text = await focused.innerText();
  if (!text.startsWith(current) || !text.includes('(current)')) throw new Error(`the focused row is "${text.replace(/\s+/g, ' ')}", expected ${current} (current)`);
  await shot('profile-picker-current');
  await page.keyboard.press('Escape');
  await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: 15_000 });
}

/**
 * Issue 15: Show Effective Values opens a read-only view (no untitled editor asking to be saved):
 * typing changes nothing and VS Code says the editor is read-only; closing asks nothing.
 */
async function effectiveValuesReadOnly(page: Page, shot: Shot): Promise<void> {
  await openFile(page, 'charts/shop/values-airgap.yaml');
  await palette(page, 'Air-Gap Lint: Show Effective Values');
  const tab = page.locator('.tabs-container .tab.active', { hasText: 'values-airgap.effective.yaml' }).first();
  await tab.waitFor({ timeout: 15_000 });
  const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  await page.locator('.monaco-editor .view-lines', { hasText: '# from charts/shop/values-airgap.yaml:3' }).first().waitFor({ timeout: 15_000 });
  await lines.click();
  await page.keyboard.type('TYPED');
  await page.locator('.monaco-editor-overlaymessage', { hasText: 'read-only' }).first().waitFor({ timeout: 15_000 });
  await shot('effective-values-read-only');
  if ((await lines.innerText()).includes('TYPED')) throw new Error('the effective values view took the typed text');
  if (await tab.evaluate((el) => el.classList.contains('dirty'))) throw new Error('the effective values tab is dirty');
  // Nothing to save: closing asks nothing, and the next steps start from one empty group.
  await palette(page, 'View: Revert and Close Editor');
  await page.locator('.tabs-container .tab', { hasText: 'values-airgap.effective.yaml' }).first().waitFor({ state: 'detached', timeout: 15_000 });
  if (await page.locator('.monaco-dialog-box').count()) throw new Error('closing the view asked something');
  await palette(page, 'View: Close All Editor Groups');
  await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 15_000 });
}

/**
 * Blocks every request the browser makes to anything but the code-server on localhost, and
 * records what it blocked: the air-gapped user's view.
 */
async function blockNetwork(page: Page): Promise<{ blocked: string[]; restore(): Promise<void> }> {
  const blocked: string[] = [];
  const handler = async (route: import('playwright-core').Route) => {
    const url = new URL(route.request().url());
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || !/^(https?|wss?):$/.test(url.protocol);
    if (local) await route.continue();
    else {
      blocked.push(url.href);
      await route.abort('internetdisconnected');
    }
  };
  await page.context().route('**/*', handler);
  return { blocked, restore: () => page.context().unroute('**/*', handler) };
}

/**
 * The quick-fix menu of a finding offers "Show documentation for RULE"; picking it opens the
 * rule's page bundled in the extension in a Markdown preview, with the network blocked.
 */
async function checkRuleDocumentationOffline(page: Page, shot: (name: string) => Promise<void>, note: (s: string) => void): Promise<void> {
  const network = await blockNetwork(page);
  try {
    await openFile(page, 'charts/shop/values.yaml');
    // `registry: quay.io` of the shop image (line 4): image/not-mirrored.
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('.quick-input-widget input').fill(':4:13');
    await page.keyboard.press('Enter');
    await page.locator('.statusbar-item', { hasText: 'Ln 4, Col 13' }).first().waitFor({ timeout: 15_000 });
    const title = 'Show documentation for image/not-mirrored';
    const item = page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
    await withRetry(page, async () => {
      await page.keyboard.press('Control+.');
      await item.waitFor({ timeout: 15_000 });
    });
    for (const other of ['Suppress image/not-mirrored for this line', 'Suppress image/not-mirrored for this file']) {
      await page.locator('.action-widget .monaco-list-row', { hasText: other }).first().waitFor({ timeout: 5_000 });
    }
    await shot('quick-fix-menu-show-documentation');
    await item.click();
    await page.locator('.tabs-container .tab', { hasText: 'image-not-mirrored.md' }).first().waitFor({ timeout: 30_000 });
    // The preview is a webview: its content sits two iframes down.
    const preview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await preview.locator('h1', { hasText: 'image/not-mirrored' }).first().waitFor({ timeout: 30_000 });
    await preview.locator('p', { hasText: 'The image pulls from a registry other than' }).first().waitFor({ timeout: 5_000 });
    await shot('rule-documentation-offline');
    note(`rule documentation: ${network.blocked.length} non-local request(s) blocked${network.blocked.length ? `: ${network.blocked.slice(0, 5).join(', ')}` : ''}`);
  } finally {
    await network.restore();
  }
}

export async function runUiChecks(options: { url: string; workspace: string; screenshots: string }): Promise<UiResult> {
  const result: UiResult = { failed: [], log: [], screenshots: [] };
  const t0 = Date.now();
  const note = (s: string) => result.log.push(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${s}`);
  const browser = await launchBrowser();
  const { page } = browser;
  const shot = async (name: string) => {
    const file = path.join(options.screenshots, `${result.screenshots.length + 1}-${name}.png`);
    await page.screenshot({ path: file });
    result.screenshots.push(file);
  };
  const check = async (name: string, run: () => Promise<void>) => {
    try {
      await run();
      note(`PASS ${name}`);
    } catch (err) {
      result.failed.push(name);
      note(`FAIL ${name}: ${(err as Error).message.split('\n')[0]}`);
      await shot(`failed-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
    }
  };
  const config = path.join(options.workspace, '.airgap-lint.yaml');
  const overlay = path.join(options.workspace, 'charts/shop/values-airgap.yaml');
  try {
    await page.goto(`${options.url}/?folder=${encodeURIComponent(options.workspace)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'charts' }).first().waitFor({ timeout: 90_000 });
    note('workbench ready');

    await check('status bar shows "no profile" for a values file', async () => {
      await openFile(page, 'charts/shop/values.yaml');
      await statusBarShows(page, 'Air-Gap Lint: no profile · proxy · harbor.corp.example.com:5000');
      await shot('status-bar-no-profile');
    });

    await check('palette: Set Cluster Network Profile → k3s, status bar follows', async () => {
      await palette(page, 'Air-Gap Lint: Set Cluster Network Profile');
      await answer(page, 'Set Cluster Network Profile (1/4)', 'k3s');
      await answer(page, '(2/4)');
      await answer(page, '(3/4)');
      await page.locator('.quick-input-widget .quick-input-title', { hasText: '(4/4)' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      await shot('set-profile-apiserver-input');
      await page.keyboard.press('Enter');
      await statusBarShows(page, 'Air-Gap Lint: k3s · proxy · harbor.corp.example.com:5000');
      await waitFor('distribution: k3s in .airgap-lint.yaml', () => fs.readFileSync(config, 'utf8').endsWith('cluster:\n  distribution: k3s\n'), 15_000);
      await shot('status-bar-k3s');
    });

    await check('profile picker opens on the current profile (k3s), not the first preset', () => profilePickerOnCurrent(page, shot, 'k3s'));

    await check('palette: Show Effective Values opens the annotated merge, read-only', () => effectiveValuesReadOnly(page, shot));

    await check('Problems panel lists the placeholder finding', async () => {
      await openFile(page, 'charts/shop/values-airgap.yaml');
      await palette(page, 'View: Focus Problems');
      await page.locator('.markers-panel .monaco-list-row', { hasText: PLACEHOLDER_MESSAGE }).first().waitFor({ timeout: 30_000 });
      const text = await page.locator('.markers-panel').innerText();
      if (!text.includes('values/placeholder')) throw new Error(`no rule code in the Problems panel: ${text.slice(0, 500)}`);
      await shot('problems-panel');
    });

    await check('light bulb quick fix replaces the placeholder', async () => {
      // Cursor onto the placeholder (line 3, column 14) with Go to Line/Column; the light bulb shows up.
      await page.locator('.tabs-container .tab.active[aria-label*="values-airgap.yaml"]').first().click();
      await page.keyboard.press('Control+G');
      await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 15_000 });
      await page.locator('.quick-input-widget input').fill(':3:14');
      await page.keyboard.press('Enter');
      await page.locator('.statusbar-item', { hasText: 'Ln 3, Col 14' }).first().waitFor({ timeout: 15_000 });
      // VS Code draws the light bulb in the glyph margin (the auto-fix variant: a preferred fix exists).
      const bulb = page.locator('.glyph-margin-widgets [class*="codicon-gutter-lightbulb"]').first();
      await bulb.waitFor({ state: 'visible', timeout: 15_000 });
      await bulb.click();
      const item = page.locator('.action-widget .monaco-list-row', { hasText: FIX_TITLE }).first();
      await item.waitFor({ timeout: 15_000 });
      await shot('quick-fix-menu');
      await item.click();
      await page.locator('.monaco-editor .view-lines', { hasText: 'registry: harbor.corp.example.com:5000' }).first().waitFor({ timeout: 15_000 });
      await page.locator('.markers-panel .monaco-list-row', { hasText: PLACEHOLDER_MESSAGE }).first().waitFor({ state: 'detached', timeout: 30_000 });
      await page.keyboard.press('Control+S');
      await waitFor('the fix saved to disk', () => fs.readFileSync(overlay, 'utf8').includes('  registry: harbor.corp.example.com:5000\nworker:'), 15_000);
      await shot('after-quick-fix');
    });

    await check('editor title menu (…) of a values file offers the three generators', async () => {
      await page.locator('.tabs-container .tab.active[aria-label*="values-airgap.yaml"]').first().waitFor({ timeout: 15_000 });
      await page.locator('.editor-actions .codicon-toolbar-more').first().click();
      for (const title of ['Generate Egress Allowlist', 'Generate Image Mirror List', 'Generate Air-Gap Overlay']) {
        await page.locator('.monaco-menu .action-label', { hasText: title }).first().waitFor({ timeout: 15_000 });
      }
      await shot('editor-title-menu');
      await page.keyboard.press('Escape');
      await page.locator('.monaco-menu').first().waitFor({ state: 'detached', timeout: 15_000 });
    });

    await check('palette: Generate Egress Allowlist → text, this stack: an editor in the egress-allowlist language', async () => {
      await palette(page, 'Air-Gap Lint: Generate Egress Allowlist');
      await answer(page, 'Generate Egress Allowlist (1/2)', 'text');
      await answer(page, 'Generate Egress Allowlist (2/2)', "This file's layer stack");
      await page.locator('.monaco-editor .view-lines', { hasText: '# Egress allowlist, generated by airgap-lint' }).first().waitFor({ timeout: 30_000 });
      await page.locator('.monaco-editor .view-lines', { hasText: 'proxy.corp.example.com:3128' }).first().waitFor({ timeout: 15_000 });
      // The language indicator in the status bar names our language (its first alias).
      await page.locator('[id="status.editor.mode"]', { hasText: 'Egress Allowlist' }).first().waitFor({ timeout: 15_000 });
      await shot('egress-allowlist');
    });

    await check('palette: Generate Image Mirror List → list, the overlay\'s stack: the images in a new editor', async () => {
      await openFile(page, 'charts/shop/values-airgap.yaml');
      await palette(page, 'Air-Gap Lint: Generate Image Mirror List');
      await answer(page, 'Generate Image Mirror List (1/2)');
      await answer(page, 'Generate Image Mirror List (2/2)', "This file's layer stack");
      await page.locator('.monaco-editor .view-lines', { hasText: '# Images to mirror' }).first().waitFor({ timeout: 30_000 });
      await page.locator('.monaco-editor .view-lines', { hasText: 'quay.io/example/shop:2.4.0' }).first().waitFor({ timeout: 15_000 });
      await page.locator('[id="status.editor.mode"]', { hasText: 'Plain Text' }).first().waitFor({ timeout: 15_000 });
      await shot('image-mirror-list');
    });

    await check('palette: Generate Air-Gap Overlay asks before replacing values-airgap.yaml, writes it, no image finding left', async () => {
      await openFile(page, 'charts/shop/values-airgap.yaml');
      await palette(page, 'Air-Gap Lint: Generate Air-Gap Overlay');
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'values-airgap.yaml exists' }).first();
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      await shot('overlay-replace-dialog');
      await dialog.locator('.monaco-button', { hasText: 'Replace' }).first().click();
      await waitFor('the overlay written to disk', () => fs.readFileSync(overlay, 'utf8').startsWith('# Air-gap overlay generated by airgap-lint from charts/shop/values.yaml.'), 30_000);
      await page.locator('.monaco-editor .view-lines', { hasText: 'airgap-registry-credentials' }).first().waitFor({ timeout: 15_000 });
      // The written file is linted again: nothing about images or placeholders in the Problems panel.
      await palette(page, 'View: Focus Problems');
      await new Promise((r) => setTimeout(r, 3000));
      const text = await page.locator('.markers-panel').innerText().catch(() => '');
      const left = ['values/placeholder', 'image/not-mirrored', 'image/pinned-tag'].filter((code) => text.includes(code));
      if (left.length) throw new Error(`the overlay still has ${left.join(', ')}: ${text.slice(0, 500)}`);
      await shot('overlay-written');
    });

    await check('quick-fix menu: Show documentation opens the bundled rule page with the network blocked', () =>
      checkRuleDocumentationOffline(page, shot, note),
    );

    await check('Problems panel shows the NO_PROXY headline with the entries to append, its why one row below', async () => {
      // The k3s profile set above: the base file's NO_PROXY misses the pod and service CIDRs.
      await openFile(page, 'charts/shop/values.yaml');
      await palette(page, 'View: Focus Problems');
      // Maximised, as a user does to read the panel: the headline must then show whole.
      await palette(page, 'View: Toggle Maximized Panel');
      try {
        const row = page.locator('.markers-panel .monaco-list-row', { hasText: /NO_PROXY misses \d+ destinations: append / }).first();
        await row.waitFor({ timeout: 30_000 });
        const text = await row.innerText();
        for (const entry of ['10.42.0.0/16', '10.43.0.0/16']) if (!text.includes(entry)) throw new Error(`the row does not show ${entry}: ${text}`);
        // The element that holds the headline is not cut off (no overflow, no ellipsis).
        // Every element of the row that holds the headline, ancestors included: an ellipsis
        // (text-overflow) on any of them hides the end of the list.
        const clipped = await row.evaluate((el) => [el, ...el.querySelectorAll('*')].some((e) => e.textContent?.includes('10.43.0.0/16') && e.scrollWidth > e.clientWidth + 1));
        if (clipped) throw new Error(`the NO_PROXY headline is cut off in the maximised Problems panel: ${text}`);
        // Its why is the first related row below it.
        await page.locator('.markers-panel .monaco-list-row', { hasText: 'requests to them go to the proxy' }).first().waitFor({ timeout: 15_000 });
        await shot('problems-panel-no-proxy');
      } finally {
        await palette(page, 'View: Toggle Maximized Panel');
        // Back to one editor group with nothing open: the base file's findings leave the panel.
        await palette(page, 'View: Close All Editor Groups');
      }
    });
  } catch (err) {
    result.failed.push('workbench');
    note(`FAIL workbench: ${(err as Error).message.split('\n')[0]}`);
    await shot('failed-workbench').catch(() => undefined);
  } finally {
    await browser.close();
  }
  return result;
}
