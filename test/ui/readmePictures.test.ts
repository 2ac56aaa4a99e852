// The README's pictures of the checklist (issue 20), taken from the packaged .vsix in the real VS Code on every run
// of the UI tier, so they show the product as it is: a run of every step with realistic results (recorded check
// outputs, test/fixtures/check-output), the remediation plan, the confirmation and the German UI. The trace
// viewer's pictures are taken by its own UI tests. Each picture is asserted to show what its README caption says.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { doubleExecutable } from '../doubles/pwshDouble';
import { recordedCheck } from '../integration/checkFixtures';
import { contextMenu, row, showServers, waitUntilIdle } from './sidebar';
import { openWorkbench, runFromPalette, type Workbench } from './workbench';

const dir = mkdtempSync(join(tmpdir(), 'ers-ui-readme-'));
const scenarioFile = join(dir, 'scenario.json');

/** Which recorded case each step answers with: exch01 has work to do, exch02 is done, conn01 runs the connector. */
const exch01 = { 'service-account-access': 0, 'ps-remoting': 1, 'https-listener': 0, 'listener-certificate': 1, 'cbt-hardening': 1, 'firewall-5986': 0 };
const exch02 = { 'service-account-access': 1, 'ps-remoting': 0, 'https-listener': 4, 'listener-certificate': 0, 'cbt-hardening': 0, 'firewall-5986': 1 };
const local = { 'kerberos-delegation': 1, 'trusted-hosts': 0 };
const conn01 = { 'connector-health': 0, 'intune-rbac-role': 0, 'connector-config': 0 };

function results(cases: Record<string, number>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(cases).map(([step, i]) => [step, recordedCheck(step, i)]));
}

async function openChecklist(locale?: string): Promise<Workbench> {
  process.env.ERS_PS_DOUBLE_SCENARIO = scenarioFile;
  process.env.ERS_PS_DOUBLE_LOG = join(dir, `invocations-${locale ?? 'en'}.jsonl`);
  process.env.ERS_TEST_PROBE_CONNECT_TO = '127.0.0.1'; // the network-path probe stays on this machine (refused)
  writeFileSync(scenarioFile, JSON.stringify({
    servers: { 'exch01.contoso.com': { checkResults: results(exch01) }, 'exch02.contoso.com': { checkResults: results(exch02) }, 'conn01.contoso.com': { checkResults: results(conn01) } },
    local: { checkResults: results(local) },
  }));
  const wb = await openWorkbench({
    locale,
    settings: {
      'exchangeRemoting.servers': [
        { fqdn: 'exch01.contoso.com', profile: 'remoting', serviceAccount: 'CONTOSO\\svc_sync' },
        { fqdn: 'exch02.contoso.com', profile: 'remoting', serviceAccount: 'CONTOSO\\svc_sync' },
        { fqdn: 'conn01.contoso.com', profile: 'intune', serviceAccount: 'svc_intune@contoso.com' },
      ],
    },
    userSettings: { 'exchangeRemoting.powershell.executable': doubleExecutable() },
  });
  await showServers(wb.page, 'exch01.contoso.com');
  return wb;
}

/** Runs every check from the view title and expands exch01 and exch02. */
async function runAll(page: Page, runAllLabel: string): Promise<string[]> {
  await page.locator(`.part.sidebar [aria-label^="${runAllLabel}"]`).first().click();
  await page.mouse.move(900, 600);
  await page.waitForTimeout(500);
  await waitUntilIdle(page);
  for (const server of ['exch02.contoso.com', 'exch01.contoso.com']) {
    await row(page, server).click();
    await page.waitForTimeout(300);
  }
  await waitUntilIdle(page);
  await page.mouse.move(900, 600);
  return page.locator('.monaco-list-row').allInnerTexts();
}

describe('README pictures of the checklist (packaged .vsix, real VS Code in Chromium)', function () {
  this.timeout(240_000);

  describe('English', () => {
    let wb: Workbench;
    before(async () => { wb = await openChecklist(); });
    after(async () => wb?.close());

    it('sidebar: two servers expanded after a run, states apart, evidence in words', async () => {
      const rows = await runAll(wb.page, 'Run All Checks');
      const text = rows.join('\n');
      assert.match(text, /exch01\.contoso\.com\s*\d+ failed, 1 warning, \d+ passed/, text);
      assert.match(text, /passed/);
      assert.match(text, /Remote Management Users/);
      assert.doesNotMatch(text, /No result for this step/, 'every step answered');
      await wb.readmePicture('sidebar-checklist');
    });

    it('the remediation plan of exch01', async () => {
      const page = wb.page;
      await contextMenu(page, 'exch01.contoso.com', 'Show Remediation Plan of This Server…');
      await page.locator('.quick-input-widget', { hasText: 'Apply the remediation plan for exch01.contoso.com' }).waitFor({ timeout: 20_000 });
      await page.locator('.monaco-editor .view-lines', { hasText: 'Remediation plan for exch01' }).first().waitFor({ timeout: 10_000 });
      assert.match(await page.locator('.quick-input-widget').innerText(), /Kerberos/);
      await wb.readmePicture('remediation-plan');
      await page.keyboard.press('Escape');
      await runFromPalette(page, 'View: Close All Editors');
    });

    it('the confirmation of a remediation, Cancel first', async () => {
      const page = wb.page;
      const kerberos = page.locator('.monaco-list-row', { hasText: 'Kerberos' }).first();
      await kerberos.hover();
      await kerberos.locator('.action-label[aria-label^="Run Remediation"]').click();
      const pick = page.locator('.quick-input-widget', { hasText: 'on exch01.contoso.com?' });
      await pick.waitFor({ timeout: 20_000 });
      assert.match(await page.locator('.quick-input-list .monaco-list-row.focused').first().innerText(), /Cancel/);
      assert.match(await pick.innerText(), /Risk: High — /);
      await wb.readmePicture('remediation-confirmation');
      await page.keyboard.press('Enter'); // Cancel
      await pick.waitFor({ state: 'hidden' });
    });
  });

  describe('the Intune connector host (issue 17)', () => {
    let wb: Workbench;
    before(async () => { wb = await openChecklist(); });
    after(async () => wb?.close());

    it('shows the configuration step with its evidence, and Copy Cloud Service URLs on its row', async () => {
      const page = wb.page;
      await runAll(page, 'Run All Checks');
      await page.locator('.part.sidebar [aria-label^="Collapse All"]').first().click();
      await row(page, 'conn01.contoso.com').click();
      const config = row(page, 'Intune Exchange connector configuration files');
      await config.waitFor({ timeout: 10_000 });
      await waitUntilIdle(page);
      await config.hover();
      await page.locator('.monaco-hover, .workbench-hover', { hasText: 'IntuneServiceConfiguration.xml' }).first().waitFor({ timeout: 10_000 });
      await wb.screenshot('intune-connector-config-tooltip');
      await config.click({ button: 'right' });
      const copy = page.locator('.context-view .action-label', { hasText: 'Copy Cloud Service URLs' }).first();
      await copy.waitFor({ state: 'visible', timeout: 10_000 });
      await wb.screenshot('intune-connector-config-menu');
      await page.keyboard.press('Escape');
    });
  });

  describe('German', () => {
    let wb: Workbench;
    before(async () => { wb = await openChecklist('de'); });
    after(async () => wb?.close());

    it('the sidebar in German', async () => {
      const text = (await runAll(wb.page, 'Alle Prüfungen ausführen')).join('\n');
      assert.match(text, /fehlgeschlagen/);
      assert.match(text, /bestanden/);
      assert.doesNotMatch(text, /\b(passed|failed|warning)\b/);
      await wb.readmePicture('german');
    });
  });
});
