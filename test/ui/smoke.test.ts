// UI smoke test: the packaged extension in a real VS Code, clicked and typed into as a person would.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkbench, runFromPalette, answerQuickInput, vsixPath, type Workbench } from './workbench';

describe('UI smoke (packaged .vsix in code-server + Chromium)', function () {
  this.timeout(180_000);
  let wb: Workbench;

  before(async () => {
    assert.ok(existsSync(vsixPath), `${vsixPath} is missing: the test command packages it before this tier`);
    wb = await openWorkbench();
  });
  after(async () => wb?.close());

  it('has the extension icon in the activity bar; clicking it shows the servers view and its welcome', async () => {
    const icon = wb.page.locator('.activitybar [aria-label^="Exchange Remoting"]').first();
    await icon.waitFor({ state: 'visible', timeout: 30_000 });
    await icon.click();
    const welcome = wb.page.getByText('No Exchange servers are configured yet.');
    await welcome.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await wb.page.getByRole('button', { name: 'Add Exchange Server', exact: true }).isVisible(), true);
    await wb.screenshot('smoke-1-welcome');
  });

  it('adds a server from the command palette and shows it in the tree', async () => {
    await runFromPalette(wb.page, 'Exchange Remoting: Add Exchange Server…');
    // Each answer waits for its own step's title, so that no answer lands in the previous step's closing widget.
    const answers = ['exch01.contoso.com', 'remoting', 'CONTOSO\\svc_sync', 'https', '10.0.4.21, 10.0.4.22'];
    for (const [i, text] of answers.entries()) {
      await wb.page.locator('.quick-input-title', { hasText: `(${i + 1}/5)` }).waitFor({ timeout: 30_000 });
      await answerQuickInput(wb.page, text);
    }
    const row = wb.page.locator('.monaco-list-row', { hasText: 'exch01.contoso.com' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await row.innerText(), /PowerShell remoting/);
    // The entry is kept where the user can see and edit it: the workspace settings, as typed.
    const settings = JSON.parse(readFileSync(join(wb.workspace, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(settings['exchangeRemoting.servers'], [{ fqdn: 'exch01.contoso.com', profile: 'remoting', serviceAccount: 'CONTOSO\\svc_sync', syncServers: ['10.0.4.21', '10.0.4.22'] }]);
    await wb.screenshot('smoke-2-server-added');
  });

  it('refuses an IP address in the add-server input with a clear message', async () => {
    await runFromPalette(wb.page, 'Exchange Remoting: Add Exchange Server…');
    const input = wb.page.locator('.quick-input-widget input');
    await input.fill('10.0.0.5');
    const message = wb.page.locator('.quick-input-message', { hasText: 'IP address' });
    await message.waitFor({ state: 'visible', timeout: 10_000 });
    await wb.screenshot('smoke-3-validation');
    await wb.page.keyboard.press('Escape');
  });
});
