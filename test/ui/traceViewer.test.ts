// The trace viewer inside the real VS Code, opened as a person would (Quick Open), in dark and light themes, plus
// a hostile trace file whose markup must stay text. The webview is reached through page.frames().
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { traceEvent } from '../webview/nodeAccess';
import { openWorkbench, quickOpen, type Workbench } from './workbench';

const FIXTURE = 'laoluolapegba__finservice__Web_tracelog.svclog';

/** Markup and script in every field a row or the details show. */
function hostileTrace(): string {
  const payload = '<script>window.top.__pwned = 1; alert(1)</script>';
  const img = '<img src=x onerror="window.top.__pwned=2; alert(2)">';
  const act = '{11111111-2222-3333-4444-555555555555}';
  return [
    traceEvent({ time: '2024-05-01T10:00:00.0000000Z', subType: 'Error', level: 2, source: payload, activity: act, description: img }),
    traceEvent({ time: '2024-05-01T10:00:01.0000000Z', subType: 'Information', level: 8, source: img, activity: act, description: payload }),
  ].join('');
}


/** The frame that holds the viewer's #app with rows (webviews are nested iframes). */
async function viewerFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const frame of page.frames()) {
      if (await frame.locator('#app .vt-row').count().catch(() => 0)) return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error('no trace viewer webview with rows appeared');
}

for (const theme of ['Default Dark Modern', 'Default Light Modern']) {
  const tag = theme.includes('Light') ? 'light' : 'dark';
  describe(`trace viewer in VS Code (${tag} theme)`, function () {
    this.timeout(180_000);
    let wb: Workbench;
    before(async () => { wb = await openWorkbench({ withTraces: true, theme, files: { 'traces/hostile.svclog': hostileTrace() } }); });
    afterEach(async function () { if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-viewer-${tag}`); });
    after(async () => wb?.close());

    it('opens a real trace, filters by Error, shows the selected event\'s exception, and the activity view', async () => {
      await quickOpen(wb.page, FIXTURE);
      const frame = await viewerFrame(wb.page);
      const errorChip = frame.locator('.levels button[data-level="Error"]');
      await errorChip.waitFor({ timeout: 20_000 });
      const count = Number((await errorChip.locator('.count').textContent())?.replace(/\D/g, ''));
      assert.ok(count > 0, 'the fixture has errors');
      await errorChip.click();
      // Poll from here: the webview's CSP (rightly) forbids the string evaluation waitForFunction would use.
      const end = Date.now() + 20_000;
      let levels: string[] = [];
      while (Date.now() < end) {
        levels = await frame.locator('.vt-row .lv-text').allTextContents();
        if (levels.length > 0 && levels.length <= count && levels.every((t) => t === 'Error')) break;
        await wb.page.waitForTimeout(100);
      }
      assert.ok(levels.length > 0 && levels.every((t) => t === 'Error'), `only Error rows after the filter: ${levels.join(', ')}`);
      await frame.locator('.vt-row').first().click();
      await frame.locator('.details .section.kind-exception').first().waitFor({ timeout: 20_000 });
      assert.match(await frame.locator('.details').innerText(), /Exception/);
      await wb.screenshot(`viewer-${tag}-error-details`);
      if (tag === 'dark') await wb.readmePicture('trace-viewer-table');
      await frame.locator('button', { hasText: 'Activities' }).click();
      await frame.locator('.activities .activity').first().waitFor({ timeout: 20_000 });
      await wb.screenshot(`viewer-${tag}-activities`);
    });

    if (tag === 'dark') {
      it('shows a hostile trace\'s markup as text and runs none of it', async () => {
        const dialogs: string[] = [];
        wb.page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
        await quickOpen(wb.page, 'hostile.svclog');
        let frame = await viewerFrame(wb.page);
        // Quick Open may still show the previous viewer's frame first: wait for the hostile rows.
        await wb.page.waitForTimeout(500);
        frame = await viewerFrame(wb.page);
        for (const f of wb.page.frames()) if ((await f.locator('#app .vt-row').count().catch(() => 0)) === 2) frame = f;
        const text = await frame.locator('#app').innerText();
        assert.ok(text.includes('<script>window.top.__pwned = 1; alert(1)</script>'), 'the script tag is shown as text');
        assert.ok(text.includes('<img src=x onerror='), 'the img tag is shown as text');
        assert.equal(await frame.locator('#app script, #app img, #app [onerror]').count(), 0, 'no element was injected');
        await frame.locator('.vt-row').first().click();
        await frame.locator('.details .section').first().waitFor();
        assert.equal(await wb.page.evaluate('window.__pwned'), undefined);
        assert.equal(await frame.evaluate('window.__pwned'), undefined);
        assert.deepEqual(dialogs, []);
        await wb.screenshot('viewer-dark-hostile');
      });
    }
  });
}

describe('trace viewer in VS Code (German)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  before(async () => { wb = await openWorkbench({ withTraces: true, locale: 'de' }); });
  afterEach(async function () { if (this.currentTest?.state === 'failed') await wb?.screenshot('failed-viewer-german'); });
  after(async () => wb?.close());

  it('shows the details labels, the status line and the level names in German', async () => {
    await quickOpen(wb.page, FIXTURE);
    const frame = await viewerFrame(wb.page);
    const errorChip = frame.locator('.levels button[data-level="Error"]');
    await errorChip.waitFor({ timeout: 20_000 });
    assert.match(await errorChip.innerText(), /Fehler/);
    await errorChip.click();
    await wb.page.waitForTimeout(500);
    await frame.locator('.vt-row').first().click();
    await frame.locator('.details .section.kind-exception').first().waitFor({ timeout: 20_000 });
    const details = await frame.locator('.details').innerText();
    for (const expected of [/Ereignis/, /Zeit/, /Ebene/, /Computer/, /Byte-Position/, /Länge/, /Datei/, /Ausnahme|Typ/]) assert.match(details, expected);
    assert.doesNotMatch(details, /^(Time|Offset|Length|Level|Type|Computer Name)$/m, 'no English label');
    const rowLevels = await frame.locator('.vt-row .lv-text').allTextContents();
    assert.ok(rowLevels.length > 0 && rowLevels.every((l) => l === 'Fehler'), `level names in the rows in German, as the chips: ${rowLevels.join(', ')}`);
    const status = await frame.locator('.status-text').innerText();
    assert.match(status, /[\d.,]+ von [\d.,]+ Ereignisse\w* angezeigt/);
    await wb.screenshot('viewer-german-details');
  });
});
