// The trace viewer in the real VS Code on the shared real fixtures (copied into test/fixtures/svclog): what a new
// user hit (issue 15): a value only in message bodies, columns after scrolling right, one process run of several,
// Transfer and Error rows that say something, and a lossless CSV export.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { traceEvent } from '../webview/nodeAccess';
import { openWorkbench, quickOpen, type Workbench } from './workbench';

const LONG = `Sync of mailbox "user@contoso.com", batch 7: ${'policy ok, device ok; '.repeat(20)}done`;


/** The viewer frame whose title shows this file name (webviews are nested iframes; older viewers stay open). */
async function viewerFor(page: Page, name: string, timeoutMs = 40_000): Promise<Frame> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const frame of page.frames()) {
      const title = await frame.locator('#app .title .file-name').textContent({ timeout: 200 }).catch(() => null);
      if (title === name && (await frame.locator('#app .vt-row').count().catch(() => 0)) > 0) return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no trace viewer with rows for ${name}`);
}

/** Polls a condition (the webview's CSP forbids the string evaluation waitForFunction uses). */
async function until(page: Page, what: string, test: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await test().catch(() => false)) return;
    await page.waitForTimeout(150);
  }
  assert.fail(`timed out: ${what}`);
}

const shown = async (f: Frame): Promise<number> => Number(await f.locator('body').getAttribute('data-total'));

/** Message view on the SOAP 1.2 sample: a request row, its paired reply, and the event of each selected in the table. */
async function checkMessageView(wb: Workbench, tag: string): Promise<void> {
  await quickOpen(wb.page, 'srijhbdfbdb__sample1__Traces.svclog');
  const f = await viewerFor(wb.page, 'srijhbdfbdb__sample1__Traces.svclog');
  await f.locator('.toolbar button', { hasText: 'Messages' }).click();
  await f.locator('.messages .message').first().waitFor({ timeout: 20_000 });
  const request = f.locator('.messages .message[data-role="request"]').first();
  const partner = await request.locator('.pair').getAttribute('data-partner');
  assert.match((await request.locator('.pair').textContent()) ?? '', /^reply \+/, 'the request names its reply and the time to it');
  await request.click();
  await until(wb.page, 'the request selected in the table', async () => (await f.locator('.vt-row.selected').count()) === 1);
  const requestRow = await f.locator('.vt-row.selected').getAttribute('data-index');
  await request.locator('.pair').click();
  await until(wb.page, 'the reply selected', async () => (await f.locator('.messages .message.selected').getAttribute('data-id')) === partner);
  assert.equal(await f.locator('.messages .message.selected').getAttribute('data-role'), 'reply');
  await until(wb.page, 'the reply\'s event selected in the table', async () => (await f.locator('.vt-row.selected').getAttribute('data-index')) !== requestRow);
  await wb.screenshot(`viewer-real-messages-${tag}`);
  if (tag === 'dark') await wb.readmePicture('trace-viewer-messages');
  await f.locator('.toolbar button', { hasText: 'Messages' }).click();
}

/** Graph view on the WCF trace log: a transfer arrow, and a clicked event selected in the table. */
async function checkGraphView(wb: Workbench, tag: string): Promise<void> {
  await quickOpen(wb.page, 'faiteo__Client__web_tracelog.svclog');
  const f = await viewerFor(wb.page, 'faiteo__Client__web_tracelog.svclog');
  await f.locator('.levels button[data-level="Transfer"]').click();
  await until(wb.page, 'Transfer rows', async () => (await f.locator('.vt-row .lv-text').allTextContents()).every((t) => t === 'Transfer'));
  const rows = f.locator('.vt-row');
  for (let i = 0; i < 20; i++) {
    if (!/\{0{8}-/.test((await rows.nth(i).locator('.c-activity').getAttribute('title')) ?? '{00000000-')) { await rows.nth(i).click(); break; }
  }
  await f.locator('.levels button[data-level="Transfer"]').click();
  await f.locator('.toolbar button', { hasText: 'Graph' }).click();
  await f.locator('.graph svg line.g-transfer').first().waitFor({ timeout: 20_000 });
  const node = f.locator('.graph .g-event').nth(3);
  const when = ((await node.locator('title').textContent()) ?? '').split('\n')[0];
  await node.click();
  await until(wb.page, 'the clicked event selected in the table', async () => (await f.locator('.vt-row.selected .c-time').getAttribute('title')) === when);
  await wb.screenshot(`viewer-real-graph-${tag}`);
  if (tag === 'dark') await wb.readmePicture('trace-viewer-graph');
  await f.locator('.toolbar button', { hasText: 'Graph' }).click();
}

describe('trace viewer on real files in VS Code (issue 15)', function () {
  this.timeout(240_000);
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench({
      withTraces: true, theme: 'Default Dark Modern',
      files: {
        'traces/long-message.svclog': traceEvent({ time: '2024-05-01T10:00:00.0000000Z', dataItem: LONG })
          + traceEvent({ time: '2024-05-01T10:00:01.0000000Z', dataItem: 'short' }),
      },
    });
  });
  afterEach(async function () { if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-viewer-real-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`); });
  after(async () => wb?.close());

  it('finds a value that is only in SOAP bodies (faiteo message log)', async () => {
    await quickOpen(wb.page, 'faiteo__Client__web_messages.svclog');
    const f = await viewerFor(wb.page, 'faiteo__Client__web_messages.svclog');
    await f.locator('.toolbar input.search').fill('Tolkien');
    await f.locator('.toolbar input.search').press('Enter');
    await until(wb.page, 'a match count', async () => /^1 of \d+$/.test((await f.locator('.match-info').textContent()) ?? ''));
    const total = Number(/of (\d+)/.exec((await f.locator('.match-info').textContent()) ?? '')?.[1]);
    assert.ok(total >= 20, `found in ${total} events`);
    await until(wb.page, 'the details of the found event', async () => (await f.locator('.details').getAttribute('data-hits')) !== null && Number(await f.locator('.details').getAttribute('data-hits')) > 0);
    await f.locator('.toolbar button', { hasText: 'Only matching' }).click();
    await until(wb.page, 'only the matching rows', async () => (await shown(f)) === total);
    await wb.screenshot('viewer-real-body-search');
  });

  it('shows Event ID and File after scrolling right, with columns hidden and reordered', async () => {
    await quickOpen(wb.page, 'faiteo__Client__web_tracelog.svclog');
    const f = await viewerFor(wb.page, 'faiteo__Client__web_tracelog.svclog');
    await f.locator('button', { hasText: 'Columns' }).click();
    await f.locator('.columns-popover input[data-column="file"]').check();
    await f.locator('.columns-popover li[data-column="level"] button[aria-label^="Move right"]').click();
    await f.locator('button', { hasText: 'Columns' }).click();
    const headers = await f.locator('.vt-header .vt-cell').allTextContents();
    assert.equal(headers.indexOf('Level'), headers.indexOf('Message') + 1, `Level moved right of Message: ${headers.join('|')}`);
    await f.locator('.vt-viewport').evaluate((el) => { el.scrollLeft = el.scrollWidth; });
    const box = await f.locator('.vt-viewport').boundingBox();
    for (const c of ['c-eventId', 'c-file']) {
      const cell = f.locator(`.vt-row .${c}`).first();
      const b = await cell.boundingBox();
      assert.ok(box && b && b.x >= box.x - 1 && b.x + 10 <= box.x + box.width, `${c} is in sight after scrolling right`);
      assert.notEqual(((await cell.textContent()) ?? '').trim(), '', `${c} has text`);
    }
    await wb.screenshot('viewer-real-scrolled-right');
    await f.locator('.vt-viewport').evaluate((el) => { el.scrollLeft = 0; });
  });

  it('names the target of a Transfer row and the exception of an Error row', async () => {
    const f = await viewerFor(wb.page, 'faiteo__Client__web_tracelog.svclog');
    await f.locator('.levels button[data-level="Transfer"]').click();
    await until(wb.page, 'Transfer rows', async () => (await f.locator('.vt-row .lv-text').allTextContents()).every((t) => t === 'Transfer'));
    const transfer = ((await f.locator('.vt-row .c-message').first().textContent()) ?? '').trim();
    assert.match(transfer, /^\u2192 \S/, 'the Transfer row says where it goes');
    assert.doesNotMatch(transfer, /^\u2192 \{?[0-9a-f-]{36}\}?$/i, 'with a label, not a bare GUID');
    await f.locator('.levels button[data-level="Transfer"]').click();
    await f.locator('.levels button[data-level="Error"]').click();
    await until(wb.page, 'Error rows with their exception', async () => {
      const levels = await f.locator('.vt-row .lv-text').allTextContents();
      return levels.length > 0 && levels.every((t) => t === 'Error') && / \u2014 System\.[\w.]+Exception: /.test((await f.locator('.vt-row .c-message').first().textContent()) ?? '');
    });
    await f.locator('.vt-row').first().click();
    await until(wb.page, 'the exception at the top of the details', async () => / \u2014 System\.[\w.]+Exception: /.test((await f.locator('.details .details-summary').textContent()) ?? ''));
    await f.locator('.levels button[data-level="Error"]').click();
  });

  it('filters two runs (PIDs) of one process apart (ali-bytes: 73 runs of iisexpress)', async () => {
    await quickOpen(wb.page, 'ali-bytes__psi__web_messages.svclog');
    const f = await viewerFor(wb.page, 'ali-bytes__psi__web_messages.svclog');
    const all = await shown(f);
    await f.locator('button.picker[data-picker="process"]').click();
    const items = f.locator('.picker-popover[data-picker="process"] li');
    await until(wb.page, 'process runs in the picker', async () => (await items.count()) > 1);
    const labels = await items.locator('.value').allTextContents();
    const counts = (await items.locator('.count').allTextContents()).map((x) => Number(x.replace(/\D/g, '')));
    assert.ok(labels[0].startsWith('iisexpress (') && labels[1].startsWith('iisexpress ('), labels.slice(0, 2).join(', '));
    assert.notEqual(labels[0], labels[1]);
    await items.nth(0).locator('input').check();
    // The view's total changes before its rows arrive (a new filter shows loading rows until the page is fetched).
    await until(wb.page, 'the rows of the first run only', async () => (await shown(f)) === counts[0] && (await f.locator('.vt-row.loading').count()) === 0);
    const pid = /\((\d+)\)/.exec(labels[0])?.[1];
    const procs = await f.locator('.vt-row .c-process').allTextContents();
    assert.ok(procs.length > 0 && procs.every((p) => p.includes(`(${pid})`)), procs.slice(0, 3).join(', '));
    await items.nth(1).locator('input').check();
    await until(wb.page, 'both runs', async () => (await shown(f)) === counts[0] + counts[1]);
    assert.ok(counts[0] + counts[1] < all);
    await f.locator('.picker-popover[data-picker="process"] button', { hasText: 'Clear' }).click();
    await until(wb.page, 'every run again', async () => (await shown(f)) === all);
  });

  it('message view pairs a request with its reply (SOAP 1.2 sample)', async () => { await checkMessageView(wb, 'dark'); });

  it('graph view shows a transfer arrow and selects a clicked event in the table', async () => { await checkGraphView(wb, 'dark'); });

  it('exports a message longer than 300 characters to CSV byte for byte, and says where it went', async () => {
    await quickOpen(wb.page, 'long-message.svclog');
    const f = await viewerFor(wb.page, 'long-message.svclog');
    await f.locator('button', { hasText: 'Export CSV' }).click();
    // The save dialog (VS Code's own, in the browser) suggests a name after the view.
    const input = wb.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 20_000 });
    await until(wb.page, 'the suggested name', async () => (await input.inputValue()).endsWith('long-message-events.csv'));
    await wb.page.keyboard.press('Enter');
    const toast = wb.page.locator('.notifications-toasts .notification-list-item', { hasText: 'Exported 2 events to' });
    await toast.waitFor({ timeout: 30_000 });
    const csv = readFileSync(join(wb.workspace, 'traces', 'long-message-events.csv'), 'utf8');
    const expected = `"${LONG.replace(/"/g, '""')}"`;
    assert.ok(csv.includes(`,${expected},`), 'the whole message, quoted as CSV');
    assert.ok(LONG.length > 300);
    await wb.screenshot('viewer-real-export-confirmed');
  });
});

describe('trace viewer message and graph views in VS Code (light theme)', function () {
  this.timeout(240_000);
  let wb: Workbench;
  before(async () => { wb = await openWorkbench({ withTraces: true, theme: 'Default Light Modern' }); });
  afterEach(async function () { if (this.currentTest?.state === 'failed') await wb?.screenshot('failed-viewer-real-light'); });
  after(async () => wb?.close());

  it('message view pairs a request with its reply', async () => { await checkMessageView(wb, 'light'); });
  it('graph view shows a transfer arrow and selects a clicked event', async () => { await checkGraphView(wb, 'light'); });
});
