// A private VS Code (code-server) with the packaged .vsix installed, opened in headless Chromium.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../tooling/browser';
import { codeServerEntry, node24, repoRoot, testOutputDir } from '../tooling/tools';
import { startCodeServer, type CodeServer } from '../tooling/codeServer';

export const vsixPath = join(repoRoot, 'dist', 'exchange-remoting-setup.vsix');
export const screenshotDir = join(testOutputDir, 'ui');

export interface Workbench {
  readonly page: Page;
  readonly workspace: string;
  close(): Promise<void>;
  screenshot(name: string): Promise<string>;
}

export interface WorkbenchOptions {
  readonly locale?: string;
  readonly theme?: string;
  /** Copies test/fixtures/svclog into the workspace's traces/ folder. */
  readonly withTraces?: boolean;
}

export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const base = mkdtempSync(join(tmpdir(), 'ers-ui-'));
  const workspace = join(base, 'workspace');
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  if (options.withTraces) cpSync(join(repoRoot, 'test', 'fixtures', 'svclog'), join(workspace, 'traces'), { recursive: true });
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  execFileSync(node24, [codeServerEntry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsixPath], { stdio: 'pipe' });
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startCodeServer({ folder: workspace, userDataDir, extensionsDir, locale: options.locale, theme: options.theme });
    browser = await launchChromium(options.locale);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: options.locale });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar').waitFor({ timeout: 60_000 });
    const s = server;
    const b = browser;
    return {
      page,
      workspace,
      close: async () => { await b.close().catch(() => undefined); await s.stop(); },
      screenshot: async (name) => {
        mkdirSync(screenshotDir, { recursive: true });
        const file = join(screenshotDir, `${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    throw err;
  }
}

/** Runs a command from the palette (F1), by its title as shown there. */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** Types into the currently open input box or quick pick and accepts. */
export async function answerQuickInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(text);
  await page.waitForTimeout(150); // let validation and filtering run on the typed text
  await page.keyboard.press('Enter');
}
