// The trace viewer's newer views in real headless Chromium over a real ViewerSession and real fixtures: columns in a
// merged view, the message view (request ↔ reply), the graph view (transfer arrows, click selects in the table),
// stepping through an activity, and screenshots of the message and graph views in the light and dark themes.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT, WebviewServer, launch, openViewer, type Viewer } from './harness';
import { fixture } from './nodeAccess';

declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const SHOTS = join(ROOT, 'test-output', 'webview');
const TRACELOG = fixture('faiteo__Client__web_tracelog.svclog');
const SOAP = fixture('srijhbdfbdb__sample1__Traces.svclog');
const FAITEO_MESSAGES = fixture('faiteo__Client__web_messages.svclog');

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
  await page.waitForSelector('.vt-row:not(.loading)', { timeout: 30_000 });
  await page.waitForSelector('body[data-decoding="done"]', { timeout: 60_000 });
}

describe('trace viewer webview: columns, message view, graph view, stepping', function () {
  this.timeout(120_000);
  let browser: Browser;
  const server = new WebviewServer();
  let open: Viewer[] = [];
  before(async () => { await server.start(); browser = await launch(); mkdirSync(SHOTS, { recursive: true }); });
  after(async () => { await browser?.close(); await server.stop(); });
  afterEach(async () => { for (const v of open) await v.close(); open = []; });
  const view = async (files: string[], o: Parameters<typeof openViewer>[3] = {}): Promise<Viewer> => {
    const v = await openViewer(browser, server, files, o);
    open.push(v);
    return v;
  };

  it('starts a merged view with the File column and shows Event ID and File after scrolling right', async () => {
    const v = await view([TRACELOG, FAITEO_MESSAGES], { viewport: { width: 900, height: 700 } });
    await ready(v.page);
    const headers = await v.page.locator('.vt-header .vt-cell').allTextContents();
    assert.equal(headers[0], 'File', headers.join('|'));
    await v.page.locator('.vt-viewport').evaluate((el: any) => { el.scrollLeft = el.scrollWidth; }); // eslint-disable-line @typescript-eslint/no-explicit-any
    const box = await v.page.locator('.vt-viewport').boundingBox();
    const cell = v.page.locator('.vt-row .c-eventId').first();
    const b = await cell.boundingBox();
    assert.ok(box && b && b.x >= box.x && b.x + b.width <= box.x + box.width + 1, 'Event ID in sight');
    assert.match((await cell.textContent()) ?? '', /^\d+$/);
    // The rows box spans the rows: the cell's own box is painted (not clipped by a viewport-wide parent).
    const rows = await v.page.locator('.vt-rows').boundingBox();
    const header = await v.page.locator('.vt-header').boundingBox();
    assert.ok(rows && header && Math.abs(rows.width - header.width) < 2, `rows ${rows?.width} = header ${header?.width}`);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`message view pairs a request with its reply and selects its event (${theme} theme, screenshot)`, async () => {
      const v = await view([SOAP], { theme });
      await ready(v.page);
      await v.page.locator('.toolbar button', { hasText: 'Messages' }).click();
      await v.page.waitForSelector('.messages .message');
      assert.equal(await v.page.getAttribute('body', 'data-messages'), '18');
      const request = v.page.locator('.messages .message[data-role="request"]').first();
      const id = Number(await request.getAttribute('data-id'));
      const partner = Number(await request.locator('.pair').getAttribute('data-partner'));
      assert.ok(partner > id);
      await request.click();
      await v.page.waitForFunction(() => document.body.dataset.details !== undefined);
      const before = await v.page.getAttribute('body', 'data-details');
      assert.equal(await v.page.locator('.messages .message.paired').getAttribute('data-id'), String(partner), 'its reply is marked');
      await request.locator('.pair').click();
      await v.page.waitForFunction((b) => document.body.dataset.details !== b, before);
      assert.equal(await v.page.locator('.messages .message.selected').getAttribute('data-id'), String(partner));
      assert.equal(await v.page.locator('.messages .message.selected').getAttribute('data-role'), 'reply');
      await v.page.locator('.details .tab[data-tab="message"]').click();
      await v.page.waitForSelector('.details h4:text("Envelope (indented)")');
      await v.page.screenshot({ path: join(SHOTS, `messages-${theme}.png`) });
    });

    it(`graph view draws transfer arrows and selects a clicked event in the table (${theme} theme, screenshot)`, async () => {
      const v = await view([TRACELOG], { theme });
      await ready(v.page);
      await v.page.locator('.levels button[data-level="Transfer"]').click();
      await v.page.waitForFunction(() => [...document.querySelectorAll('.vt-row .lv-text')].every((x: any) => x.textContent === 'Transfer')); // eslint-disable-line @typescript-eslint/no-explicit-any
      // A transfer out of a named activity (not the root): its neighbourhood has arrows.
      const rows = v.page.locator('.vt-row');
      let picked = -1;
      for (let i = 0; i < Math.min(20, await rows.count()); i++) {
        const act = await rows.nth(i).locator('.c-activity').getAttribute('title');
        if (act && !/\{0{8}-/.test(act)) { picked = i; break; }
      }
      assert.ok(picked >= 0);
      await rows.nth(picked).click();
      await v.page.locator('.levels button[data-level="Transfer"]').click();
      await v.page.locator('.toolbar button', { hasText: 'Graph' }).click();
      await v.page.waitForSelector('.graph svg line.g-transfer');
      const [cols, events, transfers] = ((await v.page.getAttribute('body', 'data-graph')) ?? '').split(':').map(Number);
      assert.ok(cols >= 2 && events > 2 && transfers >= 1, `${cols} columns, ${events} events, ${transfers} transfers`);
      const node = v.page.locator('.graph .g-event').nth(2);
      const title = await node.locator('title').textContent();
      const before = await v.page.getAttribute('body', 'data-details');
      await node.click();
      await v.page.waitForFunction((b) => document.body.dataset.details !== b, before);
      const selectedTime = await v.page.locator('.vt-row.selected .c-time').getAttribute('title');
      assert.equal(selectedTime, title?.split('\n')[0], 'the clicked event is selected in the table');
      assert.equal(await v.page.locator('.graph .g-event.selected').count(), 1);
      await v.page.screenshot({ path: join(SHOTS, `graph-${theme}.png`) });
    });
  }

  it('steps through an activity with F10 / F9 and goes back with Alt+Left', async () => {
    const v = await view([TRACELOG]);
    await ready(v.page);
    // A row of a named activity (the root activity has no steps).
    let k = 0;
    while (/\{0{8}-/.test((await v.page.locator('.vt-row').nth(k).locator('.c-activity').getAttribute('title')) ?? '{00000000-')) k++;
    const first = v.page.locator('.vt-row').nth(k);
    await first.click();
    const act = await first.locator('.c-activity').getAttribute('title');
    const start = Number(await v.page.locator('.vt-row.selected').getAttribute('data-index'));
    await v.page.keyboard.press('F10');
    await v.page.waitForFunction((s) => Number(document.querySelector('.vt-row.selected')?.dataset.index) !== s, start);
    const next = Number(await v.page.locator('.vt-row.selected').getAttribute('data-index'));
    assert.ok(next > start);
    assert.equal(await v.page.locator('.vt-row.selected .c-activity').getAttribute('title'), act, 'the same activity');
    await v.page.keyboard.press('F9');
    await v.page.waitForFunction((s) => Number(document.querySelector('.vt-row.selected')?.dataset.index) === s, start);
    await v.page.keyboard.press('Alt+ArrowLeft');
    await v.page.waitForFunction((s) => Number(document.querySelector('.vt-row.selected')?.dataset.index) === s, next);
  });
});
