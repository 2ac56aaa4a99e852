// The HTML report as a change-ticket reader sees it: opened from disk in Chromium, every server and step shown.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { stepsFor } from '../../src/checks';
import { buildReport } from '../../src/report/model';
import { renderReport } from '../../src/report/render';
import { parseServer } from '../../src/servers/server';
import type { StoredResult } from '../../src/state/resultStore';
import { launchChromium } from '../tooling/browser';
import { testOutputDir } from '../tooling/tools';

describe('HTML report in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  before(async () => { browser = await launchChromium(); });
  after(async () => browser?.close());

  it('shows every server and every step with its state, evidence and time, and runs no script', async () => {
    const servers = [
      parseServer({ fqdn: 'exch01.contoso.com', serviceAccount: 'CONTOSO\\svc_sync', notes: 'CHG-4711 <b>not bold</b>' }),
      parseServer({ fqdn: 'exch02.contoso.com', serviceAccount: 'CONTOSO\\svc_sync' }),
      parseServer({ fqdn: 'conn01.contoso.com', profile: 'intune' }),
    ];
    const statuses: StoredResult['status'][] = ['pass', 'fail', 'warn', 'error', 'notApplicable'];
    const result = (stepId: string, i: number): StoredResult => ({
      stepId, status: statuses[i % statuses.length] as StoredResult['status'], summary: `summary of ${stepId} <img src=x onerror="window.__pwned=1">`,
      evidence: [{ label: 'Observed', value: `value ${i}` }], reason: `reason ${i}`, checkedAt: '2026-11-22T09:00:00.000Z',
    });
    const report = buildReport({
      servers, stepsFor: (s) => stepsFor(s.profile).map((st) => ({ id: st.id, title: st.title.en })),
      resultOf: (server, stepId) => (server === 'exch02.contoso.com' ? undefined : result(stepId, stepId.length)),
      now: new Date('2026-11-22T12:00:00.000Z'), staleAfterMinutes: 60, generator: 'Exchange Remoting Setup test',
    });
    const dir = mkdtempSync(join(tmpdir(), 'ers-report-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReport(report, 'html'));
    const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
    await page.goto(pathToFileURL(file).href);
    for (const server of report.servers) {
      const section = page.locator(`section[data-server="${server.fqdn}"]`);
      assert.equal(await section.count(), 1, `${server.fqdn} has a section`);
      assert.equal(await section.locator('tbody tr[data-step]').count(), server.steps.length, `${server.fqdn} lists all its steps`);
      for (const step of server.steps) assert.equal(await section.locator(`tr[data-step="${step.id}"]`).count(), 1);
    }
    assert.equal(await page.locator('body > table tbody tr').count(), 3, 'the summary table lists every server');
    assert.match(await page.locator('section[data-server="exch01.contoso.com"]').innerText(), /CHG-4711 <b>not bold<\/b>/);
    assert.equal(await page.evaluate('window.__pwned'), undefined, 'no script from a server value ran');
    assert.equal(await page.locator('img').count(), 0);
    mkdirSync(join(testOutputDir, 'ui'), { recursive: true });
    await page.screenshot({ path: join(testOutputDir, 'ui', 'report-html.png'), fullPage: false });
    assert.deepEqual(problems.filter((p) => !/Content Security Policy/.test(p)), []);
  });

  it('reads as German in German: profile and connection in words, states, step titles', async () => {
    const servers = [
      parseServer({ fqdn: 'exch01.contoso.com', serviceAccount: 'CONTOSO\\svc_sync', connection: 'http-kerberos' }),
      parseServer({ fqdn: 'conn01.contoso.com', profile: 'intune' }),
    ];
    const report = buildReport({
      servers, stepsFor: (s) => stepsFor(s.profile).map((st) => ({ id: st.id, title: st.title.de })),
      resultOf: (_server, stepId) => (stepId === 'ps-remoting' ? { stepId, status: 'pass', summary: 'WinRM running, automatic', evidence: [{ label: 'WinRM', value: 'Running' }], reason: 'ok', checkedAt: '2026-11-22T11:59:00.000Z' } : undefined),
      now: new Date('2026-11-22T12:00:00.000Z'), staleAfterMinutes: 60, generator: 'Exchange Remoting Setup test',
    });
    const file = join(mkdtempSync(join(tmpdir(), 'ers-report-')), 'bericht.html');
    writeFileSync(file, renderReport(report, 'html', 'de'));
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    const text = await page.locator('body').innerText();
    for (const expected of [/Exchange-Remoting-Checkliste/, /PowerShell-Remoting/, /Intune Exchange-Connector/, /WinRM über HTTP mit Kerberos/, /BESTANDEN/, /NICHT GEPRÜFT/, /PowerShell-Remoting aktiv, WinRM automatisch/]) assert.match(text, expected);
    assert.doesNotMatch(text, /(?<![-\w])(remoting|intune|http-kerberos)(?![-.\w])/, 'no raw profile or connection id');
    await page.screenshot({ path: join(testOutputDir, 'ui', 'report-html-de.png'), fullPage: false });
  });
});
