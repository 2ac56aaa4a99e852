// A private VS Code (code-server) with the packaged .vsix installed, opened in headless Chromium.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../tooling/browser';
import { codeServerEntry, node24, repoRoot, testOutputDir } from '../tooling/tools';
import { startCodeServer, type CodeServer } from '../tooling/codeServer';

export const vsixPath = join(repoRoot, 'dist', 'exchange-remoting-setup.vsix');
export const screenshotDir = join(testOutputDir, 'ui');
/** The README's pictures: the UI tier writes them here on every run, so they show the product as it is. */
export const readmeDir = join(repoRoot, 'media', 'readme');

export interface Workbench {
  readonly page: Page;
  readonly workspace: string;
  close(): Promise<void>;
  screenshot(name: string): Promise<string>;
  /** A screenshot the README shows: media/readme/<name>.png (and a copy among the tier's screenshots). */
  readmePicture(name: string): Promise<string>;
}

export interface WorkbenchOptions {
  readonly locale?: string;
  readonly theme?: string;
  /** Copies test/fixtures/svclog into the workspace's traces/ folder. */
  readonly withTraces?: boolean;
  /** Workspace settings (.vscode/settings.json). */
  readonly settings?: Record<string, unknown>;
  /** User settings (e.g. the PowerShell executable: a workspace value would wait for approval). */
  readonly userSettings?: Record<string, unknown>;
  /** More files to put in the workspace before VS Code opens it (path relative to the workspace → content). */
  readonly files?: Readonly<Record<string, string>>;
  /** Another package to install instead of dist/exchange-remoting-setup.vsix. */
  readonly vsix?: string;
  /** More Chromium switches (e.g. to accept a test server's certificate). */
  readonly chromiumArgs?: readonly string[];
}

export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const base = mkdtempSync(join(tmpdir(), 'ers-ui-'));
  const workspace = join(base, 'workspace');
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  if (options.settings) writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(options.settings, null, 2));
  for (const [rel, content] of Object.entries(options.files ?? {})) {
    mkdirSync(join(workspace, rel, '..'), { recursive: true });
    writeFileSync(join(workspace, rel), content);
  }
  if (options.withTraces) cpSync(join(repoRoot, 'test', 'fixtures', 'svclog'), join(workspace, 'traces'), { recursive: true });
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  const install = [options.vsix ?? vsixPath];
  if (options.locale === 'de') install.push(germanLocaleSwitch(base));
  for (const vsix of install) execFileSync(node24, [codeServerEntry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], { stdio: 'pipe' });
  if (options.locale === 'de') registerLanguagePack(userDataDir, extensionsDir);
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startCodeServer({ folder: workspace, userDataDir, extensionsDir, locale: options.locale, theme: options.theme, ...(options.userSettings ? { userSettings: options.userSettings } : {}) });
    browser = await launchChromium(options.locale, options.chromiumArgs);
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
      readmePicture: async (name) => {
        mkdirSync(readmeDir, { recursive: true });
        mkdirSync(screenshotDir, { recursive: true });
        const file = join(readmeDir, `${name}.png`);
        await page.screenshot({ path: file });
        cpSync(file, join(screenshotDir, `readme-${name}.png`));
        return file;
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    throw err;
  }
}

/**
 * Runs a command from the palette (F1), by its title as shown there. Right after start the palette can open before
 * the workbench has registered every command (a CI run saw "Extensions: Show Installed Extensions" missing for 30 s
 * in a palette opened once); so a palette that does not list the title in 10 s is closed and opened again, three times.
 */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1_000);
    }
  }
  await page.keyboard.press('Enter');
}

/**
 * Opens a workspace file with Quick Open (Ctrl+P), as a person would. The row itself is clicked: Enter could still
 * open the row that was on top before the list was filtered.
 */
export async function quickOpen(page: Page, name: string, listTimeoutMs = 30_000): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(name);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: listTimeoutMs });
  await row.click();
}

/** Types into the currently open input box or quick pick and accepts. */
export async function answerQuickInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await input.fill(text);
  await page.waitForTimeout(150); // let validation and filtering run on the typed text
  await page.keyboard.press('Enter');
}

/**
 * VS Code honours --locale only when a language pack for it is installed, and none can be downloaded here; this
 * packs test/tooling/langpack-de, which declares German with no translations of VS Code itself, so the workbench
 * runs with vscode.env.language = 'de' and our extension shows its German strings (VS Code's own stay English).
 */
function germanLocaleSwitch(base: string): string {
  const out = join(base, 'langpack-de.vsix');
  execFileSync(join(repoRoot, 'node_modules', '.bin', 'vsce'), ['package', '--out', out], { cwd: join(repoRoot, 'test', 'tooling', 'langpack-de'), stdio: 'pipe' });
  return out;
}

/** The server looks language packs up in languagepacks.json, which the desktop writes when a pack is installed. */
function registerLanguagePack(userDataDir: string, extensionsDir: string): void {
  const folder = readdirSync(extensionsDir).find((n) => n.startsWith('ers-test.ers-test-language-pack-de-'));
  if (!folder) throw new Error('the German locale switch did not install');
  writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify({
    de: {
      hash: 'ers-test-de-1',
      extensions: [{ extensionIdentifier: { id: 'ers-test.ers-test-language-pack-de' }, version: '1.0.0' }],
      translations: { vscode: join(extensionsDir, folder, 'translations', 'main.i18n.json') },
      label: 'Deutsch',
    },
  }));
}
