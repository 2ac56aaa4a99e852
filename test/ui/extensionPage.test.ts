// The extension's own page in the Extensions view, from the packaged .vsix: what an administrator reads before
// trusting the tool with production servers (icon, README, CHANGELOG).
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { openWorkbench, runFromPalette, vsixPath, type Workbench } from './workbench';

/** The frame of the extension page's README/CHANGELOG webview that holds `text`. */
async function frameWith(page: Page, text: string, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      const found = await frame.evaluate(`document.body ? document.body.innerText.includes(${JSON.stringify(text)}) : false`).catch(() => false);
      if (found) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no frame of the extension page shows "${text}"`);
    await page.waitForTimeout(250);
  }
}

describe('Extension page (packaged .vsix in code-server + Chromium)', function () {
  this.timeout(180_000);
  let wb: Workbench;

  before(async () => {
    assert.ok(existsSync(vsixPath), `${vsixPath} is missing: the test command packages it before this tier`);
    wb = await openWorkbench();
  });
  after(async () => wb?.close());

  it('shows the icon, the README and the CHANGELOG of the installed package', async () => {
    const page = wb.page;
    await runFromPalette(page, 'Extensions: Show Installed Extensions');
    const entry = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Exchange Remoting Setup' }).first();
    await entry.waitFor({ state: 'visible', timeout: 30_000 });
    // The list shows the package's own icon, not the default placeholder.
    const listIcon = entry.locator('img.icon').first();
    await listIcon.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await listIcon.getAttribute('src')) ?? '', /icon\.png/);
    await entry.click();

    const header = page.locator('.extension-editor .header');
    await header.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await header.innerText(), /Exchange Remoting Setup/);
    assert.match((await page.locator('.extension-editor .header img.icon').first().getAttribute('src')) ?? '', /icon\.png/);
    // README: its opening says what the tool does for an administrator.
    const readme = await frameWith(page, 'checks, server by server', 60_000);
    assert.match(String(await readme.evaluate('document.body.innerText')), /The two commands/);
    await wb.screenshot('extension-page-readme');

    await page.locator('.extension-editor .navbar', { hasText: 'Changelog' }).getByText('Changelog', { exact: false }).first().click();
    const changelog = await frameWith(page, 'Everything an administrator meets on first real use', 60_000);
    assert.match(String(await changelog.evaluate('document.body.innerText')), /0\.2\.0[\s\S]*0\.1\.0/);
    await wb.screenshot('extension-page-changelog');
  });
});
