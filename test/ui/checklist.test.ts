// The checklist as an administrator sees it: mixed states after "Run All Checks", the remediation confirmation,
// and the German UI. Checks run through the real runner against the PowerShell double.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { doubleExecutable, scriptsInLog } from '../doubles/pwshDouble';
import { recordedCheck } from '../integration/checkFixtures';
import type { Page } from 'playwright-core';
import { contextMenu, row, showServers, waitUntilIdle } from './sidebar';
import { answerQuickInput, openWorkbench, runFromPalette, type Workbench } from './workbench';
import { readFileSync, readdirSync } from 'node:fs';

const dir = mkdtempSync(join(tmpdir(), 'ers-ui-double-'));
const scenarioFile = join(dir, 'scenario.json');
const logFile = join(dir, 'invocations.jsonl');

function scripts(): string[] {
  return scriptsInLog(logFile);
}

const settings = {
  'exchangeRemoting.servers': [
    { fqdn: 'exch01.contoso.com', profile: 'remoting', serviceAccount: 'CONTOSO\\svc_sync' },
    { fqdn: 'exch02.contoso.com', profile: 'remoting', serviceAccount: 'CONTOSO\\svc_sync' },
    { fqdn: 'conn01.contoso.com', profile: 'intune' },
  ],
};
// The administrator's own choice (user settings): a workspace value of it would wait for approval (issue 10).
const userSettings = { 'exchangeRemoting.powershell.executable': doubleExecutable() };


async function openChecklist(locale?: string): Promise<Workbench> {
  process.env.ERS_PS_DOUBLE_SCENARIO = scenarioFile;
  process.env.ERS_PS_DOUBLE_LOG = logFile;
  process.env.ERS_TEST_PROBE_CONNECT_TO = '127.0.0.1'; // the network-path probe stays on this machine
  writeScenario();
  const wb = await openWorkbench({ settings, userSettings, locale });
  await showServers(wb.page, 'exch01.contoso.com');
  return wb;
}

/** The double's answers; `drifted` turns exch01's passing service-account step into a failure. */
function writeScenario(drifted = false): void {
  writeFileSync(scenarioFile, JSON.stringify({
    servers: {
      'exch01.contoso.com': { checkResults: { 'service-account-access': recordedCheck('service-account-access', drifted ? 2 : 0) } },
      'exch02.contoso.com': { behaviour: 'unreachable' },
    },
    local: { checkResults: { 'kerberos-delegation': recordedCheck('kerberos-delegation', 1) } },
  }));
}


/** Only exch01 expanded, so that step rows ("Kerberos…") are exch01's. */
async function onlyExch01Expanded(page: Page): Promise<void> {
  await page.locator('.part.sidebar [aria-label^="Collapse All"]').first().click();
  await page.mouse.move(900, 600);
  await row(page, 'exch01.contoso.com').click();
  await row(page, 'Kerberos').waitFor({ timeout: 10_000 });
}

async function noErrorToast(page: Page, text: RegExp): Promise<void> {
  const toasts = await page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
  assert.ok(!toasts.some((t) => text.test(t)), `unexpected notification: ${toasts.join(' | ')}`);
}

describe('checklist UI (packaged .vsix, real VS Code in Chromium)', function () {
  this.timeout(240_000);

  describe('English', () => {
    let wb: Workbench;
    before(async () => { wb = await openChecklist(); });
    afterEach(async function () {
      if (this.currentTest?.state !== 'failed') return;
      await wb?.screenshot(`failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
      await wb?.page.keyboard.press('Escape'); // a menu or picker left open must not block the next test
    });
    after(async () => wb?.close());

    it('runs all checks from the view title and shows mixed states with evidence and counts apart', async () => {
      const page = wb.page;
      await page.locator('.part.sidebar [aria-label^="Run All Checks"]').first().click();
      await page.mouse.move(900, 600); // let the button's hover go, it covers the first row
      const exch01 = row(page, 'exch01.contoso.com');
      await exch01.locator('text=/1 passed/').waitFor({ timeout: 60_000 });
      await exch01.click();
      await row(page, 'Service account may use remote PowerShell').waitFor({ timeout: 10_000 });
      await waitUntilIdle(page);
      const rows = await page.locator('.monaco-list-row').allInnerTexts();
      assert.ok(rows.some((r) => /Remote Management Users/.test(r)), 'the passing step shows its evidence');
      assert.ok(rows.some((r) => /Not trusted for delegation/i.test(r)), 'the failing step shows why');
      assert.ok(rows.some((r) => /exch01\.contoso\.com.*\d+ failed.*1 passed/s.test(r)), `the server row counts failed and passed apart: ${rows.join(' / ')}`);
      assert.ok(!rows.some((r) => /\d+\/\d+ passed/.test(r)), 'no "n/m passed" that lumps never-checked with failed');
      assert.ok(!rows.some((r) => /T\d\d:\d\d:\d\d(\.\d+)?Z/.test(r)), 'no UTC ISO instants in rows');
      await page.locator('.monaco-list-row .codicon-pass').first().waitFor();
      await page.locator('.monaco-list-row .codicon-error').first().waitFor();
      await page.locator('.monaco-list-row .codicon-question').first().waitFor();
      await wb.screenshot('checklist-1-mixed-states');
    });

    it('adds a server from the view title\'s "+" after a row was clicked', async () => {
      const page = wb.page;
      await row(page, 'exch02.contoso.com').click();
      await page.locator('.part.sidebar [aria-label^="Add Exchange Server"]').first().click();
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 20_000 });
      await noErrorToast(page, /has no "fqdn"/);
      for (const [i, text] of ['exch09.contoso.com', 'remoting', 'CONTOSO\\svc_sync', 'https', '10.0.4.21'].entries()) {
        await page.locator('.quick-input-title', { hasText: `(${i + 1}/5)` }).waitFor({ timeout: 30_000 });
        await answerQuickInput(page, text);
      }
      await row(page, 'exch09.contoso.com').waitFor({ timeout: 30_000 });
      await noErrorToast(page, /fqdn/);
    });

    it('exports a report of all servers from the view title\'s "…" menu after a row was clicked', async () => {
      const page = wb.page;
      await row(page, 'exch01.contoso.com').click();
      await page.locator('.part.sidebar .title-actions [aria-label^="Views and More Actions"], .part.sidebar .title-actions [aria-label^="More Actions"]').first().click();
      const entry = page.locator('.context-view .action-label', { hasText: 'Export Report…' }).first();
      await entry.waitFor({ state: 'visible', timeout: 10_000 });
      await entry.click();
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'JSON' }).first().waitFor({ timeout: 20_000 });
      assert.equal(await page.locator('.quick-input-widget input').getAttribute('placeholder'), 'Report format (4 servers)', 'every server, not the clicked one');
      await answerQuickInput(page, 'JSON');
      // The save dialog (VS Code's own, in the browser) proposes a file in the workspace: accept it.
      const input = page.locator('.quick-input-widget input');
      await page.waitForFunction("/exchange-remoting-report-.*\\.json$/.test(document.querySelector('.quick-input-widget input')?.value ?? '')", undefined, { timeout: 20_000 });
      await input.press('Enter');
      await page.locator('.notifications-toasts', { hasText: 'Report of 4 servers saved' }).waitFor({ timeout: 20_000 });
      const file = readdirSync(wb.workspace).find((n) => /^exchange-remoting-report-.*\.json$/.test(n));
      assert.ok(file, 'the report was written into the workspace');
      const report = JSON.parse(readFileSync(join(wb.workspace, file), 'utf8')) as { servers: { fqdn: string }[] };
      assert.deepEqual(report.servers.map((s) => s.fqdn).sort(), ['conn01.contoso.com', 'exch01.contoso.com', 'exch02.contoso.com', 'exch09.contoso.com']);
    });

    it('opens a remediation review twice without a second editor, and closes it without a save prompt', async () => {
      const page = wb.page;
      await runFromPalette(page, 'View: Close All Editors');
      await onlyExch01Expanded(page);
      for (let i = 0; i < 2; i++) {
        await contextMenu(page, 'Kerberos', 'Open Remediation Script');
        await page.locator('.tab', { hasText: 'exch01.contoso.com · ' }).first().waitFor({ timeout: 20_000 });
      }
      assert.equal(await page.locator('.tab', { hasText: 'exch01.contoso.com · ' }).count(), 1, 'one editor for the server and step');
      assert.equal(await page.locator('.editor-group-container').count(), 1, 'no second column');
      assert.equal(await page.locator('.tab', { hasText: 'Untitled' }).count(), 0);
      await page.locator('.monaco-editor .view-lines', { hasText: 'Set-ADAccountControl' }).first().waitFor({ timeout: 10_000 });
      await wb.screenshot('checklist-2-review');
      await runFromPalette(page, 'View: Close All Editors');
      await page.locator('.tab', { hasText: 'exch01.contoso.com · ' }).first().waitFor({ state: 'detached', timeout: 10_000 });
      assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no save prompt');
    });

    it('asks before a remediation with Cancel as the default: Enter runs nothing', async () => {
      const page = wb.page;
      const before = scripts().length;
      const kerberos = row(page, 'Kerberos');
      await kerberos.hover();
      await kerberos.locator('.action-label[aria-label^="Run Remediation"]').click();
      const pick = page.locator('.quick-input-widget', { hasText: 'on exch01.contoso.com?' });
      await pick.waitFor({ timeout: 20_000 });
      const text = await pick.innerText();
      for (const expected of [/Cancel/, /Run Remediation/, /Target: /, /Changes: /, /WinRM restarts: /, /Risk: (Low|Medium|High) — /]) assert.match(text, expected);
      assert.match(await page.locator('.quick-input-widget input').getAttribute('placeholder') ?? '', /Enter cancels\. The exact script \(\d+ lines\) is open in the editor/);
      const focused = await page.locator('.quick-input-list .monaco-list-row.focused').first().innerText();
      assert.match(focused, /Cancel/, 'the focused (default) entry is Cancel');
      await wb.screenshot('checklist-3-confirmation');
      await page.keyboard.press('Enter');
      await pick.waitFor({ state: 'hidden' });
      assert.equal(scripts().length, before, 'nothing ran after Enter');
      assert.equal(await page.locator('.tab', { hasText: 'exch01.contoso.com · ' }).count(), 1, 'the script is open for review');
    });

    it('shows the remediation plan of a server before anything runs', async () => {
      const page = wb.page;
      await contextMenu(page, 'exch01.contoso.com', 'Show Remediation Plan of This Server…');
      await page.locator('.quick-input-widget', { hasText: 'Apply the remediation plan for exch01.contoso.com' }).waitFor({ timeout: 20_000 });
      await page.locator('.tab', { hasText: 'remediation plan' }).first().waitFor({ timeout: 20_000 });
      await page.locator('.monaco-editor .view-lines', { hasText: 'Remediation plan for exch01' }).first().waitFor({ timeout: 10_000 });
      await wb.screenshot('checklist-4-plan');
      await page.keyboard.press('Escape');
    });

    it('says drift once, with both results, when a passed step fails on the next run', async () => {
      const page = wb.page;
      writeScenario(true);
      await page.locator('.part.sidebar [aria-label^="Run All Checks"]').first().click();
      await page.mouse.move(900, 600);
      const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: 'Drift:' });
      await toast.waitFor({ timeout: 60_000 });
      assert.match(await toast.innerText(), /was passed .* now failed/s);
      assert.match(await toast.innerText(), /Drift: 1 step that had passed no longer passes./);
      await waitUntilIdle(page);
      const rows = await page.locator('.monaco-list-row').allInnerTexts();
      assert.ok(rows.some((r) => /\(changed\)/.test(r)), 'the changed step is marked in the tree');
      await wb.screenshot('checklist-5-drift');
    });
  });

  describe('German (VS Code started with locale de)', () => {
    let wb: Workbench;
    before(async () => { wb = await openChecklist('de'); });
    after(async () => wb?.close());

    it('shows the view and the steps in German', async () => {
      const page = wb.page;
      await wb.screenshot('checklist-6-german-before');
      await page.locator('.part.sidebar [aria-label^="Alle Prüfungen ausführen"]').first().click();
      await page.mouse.move(900, 600);
      const exch01 = row(page, 'exch01.contoso.com');
      await exch01.locator('text=/1 bestanden/').waitFor({ timeout: 60_000 });
      await exch01.click();
      await waitUntilIdle(page);
      await row(page, 'Kerberos-Delegierung').waitFor({ timeout: 10_000 }).catch(() => undefined);
      const rows = (await page.locator('.monaco-list-row').allInnerTexts()).join('\n');
      assert.match(rows, /bestanden/);
      assert.match(rows, /fehlgeschlagen/);
      assert.match(rows, /Prüfung nicht möglich/);
      assert.match(rows, /Intune Exchange-Connector/);
      await wb.screenshot('checklist-6-german');
    });

    it('asks for confirmation in German: target, changes, WinRM restart and risk level in German words', async () => {
      const page = wb.page;
      const before = scripts().length;
      const row = page.locator('.monaco-list-row', { hasText: 'Kerberos-Delegierung' }).first();
      await row.hover();
      await row.locator('.action-label[aria-label^="Korrektur ausführen"]').click();
      const pick = page.locator('.quick-input-widget', { hasText: 'auf exch01.contoso.com ausführen?' });
      await pick.waitFor({ timeout: 20_000 });
      const text = `${await pick.innerText()}\n${await page.locator('.quick-input-widget input').getAttribute('placeholder') ?? ''}`;
      for (const expected of [/„Kerberos-Delegierung des Exchange-Servers“ auf exch01\.contoso\.com ausführen\?/, /Ziel: (dieser Computer \(lokale PowerShell\)|exch01\.contoso\.com über WinRM HTTPS \(Port 5986\))/, /Ändert:/, /WinRM-Neustart:/, /Risiko: (Niedrig|Mittel|Hoch) — /, /Zeilen: \d+/]) {
        assert.match(text, expected);
      }
      assert.doesNotMatch(text, /\b(low|medium|high|over|port)\b|this machine/, 'no English inserted into the German confirmation');
      await wb.screenshot('checklist-4-german-confirmation');
      await page.keyboard.press('Enter'); // the first, focused entry is Abbrechen: Enter runs nothing
      await pick.waitFor({ state: 'hidden' });
      assert.equal(scripts().length, before, 'nothing ran after Abbrechen');
    });
  });
});
