// The sidebar after a real run: the packaged .vsix in a real VS Code, the real pwsh 7.6.9, and
// servers with the ssh connection to a private sshd on 127.0.0.1 and 127.0.0.2 (one more at 127.0.0.9, where nothing
// listens). Nothing here is a double. The screenshot is test-output/ui/checklist-ssh-real-run.png.
import * as assert from 'node:assert/strict';
import { realPwsh } from '../tooling/pwsh';
import { startSshServers, type SshServers } from '../tooling/sshd';
import { showServers } from './sidebar';
import { openWorkbench, type Workbench } from './workbench';

describe('checklist UI after a real run over SSH (packaged .vsix, real pwsh, private sshd)', function () {
  this.timeout(300_000);
  let ssh: SshServers;
  let wb: Workbench;

  before(async () => {
    ssh = await startSshServers(2);
    process.env.ERS_TEST_PROBE_CONNECT_TO = '127.0.0.1';
    const entry = (fqdn: string, address: string): Record<string, unknown> => ({
      fqdn, connection: 'ssh', port: ssh.port, user: ssh.user, keyFile: ssh.keyFile, knownHostsFile: ssh.knownHostsFile, connectTo: address, serviceAccount: 'CONTOSO\\svc_sync',
    });
    wb = await openWorkbench({ settings: {
      'exchangeRemoting.servers': [entry('exch01.contoso.test', '127.0.0.1'), entry('exch02.contoso.test', '127.0.0.2'), entry('exch09.contoso.test', '127.0.0.9')],
    },
    // By path (code-server's extension host takes PATH from a login shell, which does not have the test tools), and in
    // the user settings: a workspace value that chooses the program waits for the administrator's approval.
    userSettings: { 'exchangeRemoting.powershell.executable': realPwsh() } });
    await showServers(wb.page, 'exch01.contoso.test');
  });

  afterEach(async function () { if (this.currentTest?.state === 'failed') await wb?.screenshot('failed-checklist-ssh'); });
  after(async () => { await wb?.close(); await ssh?.stop(); });

  it('runs all checks over SSH and shows what the real scripts decided, server by server', async () => {
    const page = wb.page;
    await page.locator('.part.sidebar [aria-label^="Run All Checks"]').first().click();
    await page.mouse.move(900, 600);
    await page.waitForFunction("document.querySelectorAll('.monaco-list-row .codicon-loading').length === 0 && document.querySelectorAll('.monaco-list-row').length > 0", undefined, { timeout: 180_000 });
    const exch01 = page.locator('.monaco-list-row', { hasText: 'exch01.contoso.test' }).first();
    await exch01.click();
    await page.keyboard.press('ArrowRight');
    await page.locator('.monaco-list-row', { hasText: 'needs Windows' }).first().waitFor({ timeout: 60_000 });
    await page.locator('.monaco-list-row', { hasText: /TCP 5986( refused|: no answer|: network unreachable)/ }).first().waitFor({ timeout: 30_000 });
    // The whole run has ended (the first wait can pass before the run starts): no spinner, no "checking…" row.
    await page.waitForFunction("document.querySelectorAll('.monaco-list-row .codicon-loading').length === 0 && ![...document.querySelectorAll('.monaco-list-row')].some((r) => r.textContent.includes('checking'))", undefined, { timeout: 180_000 });
    const rows = await page.locator('.part.sidebar .monaco-list-row').allInnerTexts();
    assert.ok(!rows.some((r) => /not checked yet|unknown \(none\)/.test(r)), rows.join('\n'));
    const file = await wb.screenshot('checklist-ssh-real-run');
    assert.ok(file.endsWith('.png'));
  });
});
