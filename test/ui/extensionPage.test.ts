// The extension's own page in the Extensions view, from the packaged .vsix: what an administrator reads before
// trusting the tool with production servers (icon, README with its pictures, CHANGELOG).
// VS Code's extension page shows only http(s) images (its README sanitizer drops relative and file links), and vsce
// accepts only https ones: so this test packages the extension as for publishing, with the pictures' base URL
// (`npm run package -- --images-url`) pointing at an https server on 127.0.0.1 that serves media/readme/, and checks
// that every picture the README shows is requested and drawn.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { makeCertificates, startHttpsServer, type RunningServer } from '../tooling/tls';
import { repoRoot } from '../tooling/tools';
import { openWorkbench, readmeDir, runFromPalette, vsixPath, type Workbench } from './workbench';

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
  let pictures: RunningServer;
  const requested = new Set<string>();

  before(async () => {
    assert.ok(existsSync(vsixPath), `${vsixPath} is missing: the test command packages it before this tier`);
    pictures = await startHttpsServer(makeCertificates().certs.valid, (req, res) => {
      const name = /^\/media\/readme\/([\w-]+\.png)$/.exec(req.url ?? '')?.[1];
      if (!name || !readdirSync(readmeDir).includes(name)) { res.writeHead(404).end(); return; }
      requested.add(name);
      res.writeHead(200, { 'content-type': 'image/png' }).end(readFileSync(join(readmeDir, name)));
    });
    const published = join(mkdtempSync(join(tmpdir(), 'ers-ui-vsix-')), 'exchange-remoting-setup.vsix');
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'package.mjs'), '--out', published, '--images-url', `https://127.0.0.1:${pictures.port}/`], { cwd: repoRoot, stdio: 'pipe' });
    // The test server's certificate names a test host, not 127.0.0.1: accepted for this browser only.
    wb = await openWorkbench({ vsix: published, chromiumArgs: ['--ignore-certificate-errors'] });
  });
  after(async () => { await wb?.close(); await pictures?.close(); });

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
    // Its pictures load from where the package says they are published.
    const drawn = `Array.from(document.images).filter((i) => /media\\/readme\\/[\\w-]+\\.png$/.test(i.src)).map((i) => i.complete ? i.naturalWidth : 0)`;
    const deadline = Date.now() + 30_000;
    let widths: number[] = [];
    for (;;) {
      widths = await readme.evaluate(drawn) as number[];
      if ((widths.length >= 7 && widths.every((w) => w > 0)) || Date.now() > deadline) break;
      await page.waitForTimeout(250);
    }
    const sources = await readme.evaluate(`Array.from(document.images).map((i) => i.src).join(' ')`) as string;
    assert.ok(widths.length >= 7, `the README on the extension page shows ${widths.length} pictures (images: ${sources.slice(0, 600)})`);
    assert.ok(widths.every((w) => w > 0), `a README picture did not load: widths ${widths.join(', ')}`);
    const shown = [...readFileSync(join(repoRoot, 'README.md'), 'utf8').matchAll(/\]\(media\/readme\/([\w-]+\.png)\)/g)].map((m) => m[1]);
    assert.deepEqual([...requested].sort(), [...new Set(shown)].sort(), 'the page fetched exactly the README\'s pictures');
    await wb.screenshot('extension-page-readme');
    await readme.evaluate(`document.images[0] && document.images[0].scrollIntoView()`);
    await wb.screenshot('extension-page-readme-picture');

    await page.locator('.extension-editor .navbar', { hasText: 'Changelog' }).getByText('Changelog', { exact: false }).first().click();
    const changelog = await frameWith(page, 'Everything an administrator meets on first real use', 60_000);
    assert.match(String(await changelog.evaluate('document.body.innerText')), /0\.2\.0[\s\S]*0\.1\.0/);
    await wb.screenshot('extension-page-changelog');
  });
});
