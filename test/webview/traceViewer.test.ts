// The trace viewer's webview in real headless Chromium, in the extension's CSP shell, talking to a real ViewerSession
// over real fixtures: the table, scrolling, filters, search, time range and activities. (Hostile data, decoding,
// several files, state and follow: traceViewerFiles.test.ts.) Run: npx mocha --no-config --timeout 120000 'out/test/webview/**/*.test.js'
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildActivities } from '../../src/trace';
import { traceEvent } from './nodeAccess';
import { TRACELOG, domRows, engine, ready, totalShown, viewerSuite, waitTotal } from './viewerSuite';

// Page-side code in page.evaluate/waitForFunction runs in the browser; the Node type check has no DOM lib.
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('trace viewer webview (headless Chromium, real ViewerSession)', function () {
  const s = viewerSuite();
  const view = s.view;

  it('shows rows of a real fixture, with level icons, and only the visible rows in the DOM', async () => {
    const c = await engine([TRACELOG]);
    const v = await view([TRACELOG]);
    await ready(v.page);
    await waitTotal(v.page, c.count);
    const first = c.query({}).window(0, 1)[0];
    // The time shows in local time; its tooltip is the time as written.
    await v.page.waitForFunction((t) => document.querySelector('.vt-row .c-time')?.title === t, first.time);
    const firstRow = v.page.locator('.vt-row').first();
    assert.equal(await firstRow.locator('.c-time').getAttribute('title'), first.time);
    const d = new Date(first.instantMs);
    assert.ok((await firstRow.locator('.c-time').textContent())?.startsWith(`${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${String(d.getHours()).padStart(2, '0')}:`));
    assert.equal(await firstRow.locator('.lv-text').textContent(), first.level);
    assert.equal(await firstRow.locator('.lv-icon').count(), 1);
    const rows = await domRows(v.page);
    const viewportRows = await v.page.evaluate(() => Math.floor((document.querySelector('.vt-viewport') as { clientHeight: number; getBoundingClientRect(): { width: number } }).clientHeight / 22));
    assert.ok(rows > 5 && rows <= viewportRows + 2, `DOM rows ${rows} for about ${viewportRows} visible`);
    assert.equal(await v.page.isVisible('.c-file'), false, 'no file column for one file');
  });

  it('paints the first rows without asking for them: they come with the view (issue 16), as in the file', async () => {
    const c = await engine([TRACELOG]);
    const v = await view([TRACELOG]);
    await ready(v.page);
    await v.page.waitForFunction(() => window.__times.firstRowPainted !== undefined);
    const t = await v.pageTimes();
    const asked = t.messages.filter((m) => m.dir === 'out' && m.method === 'getRows' && m.t <= t.firstRow!);
    assert.deepEqual(asked, [], 'no getRows request before the first row was in the DOM');
    const carried = t.messages.find((m) => m.dir === 'in' && (m.rows ?? 0) > 0);
    assert.ok(carried && carried.type !== 'response' && carried.t <= t.firstRow!, `the rows came with ${carried?.type}`);
    const first = c.query({}).window(0, 1)[0];
    assert.equal(await v.page.locator('.vt-row').first().locator('.c-time').getAttribute('title'), first.time);
  });

  it('scrolls with keys, wheel and scrollbar: asks for windows of rows, keeps the DOM and the cache bounded', async () => {
    // A generated file of 60,000 events: far more rows than pages kept.
    const path = join(s.dir, 'big.svclog');
    const parts: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      const ms = Date.UTC(2024, 0, 1) + i * 10;
      parts.push(traceEvent({ time: new Date(ms).toISOString().replace('Z', '0000Z'), subType: i % 997 === 0 ? 'Error' : 'Information', level: i % 997 === 0 ? 2 : 8, description: `event number ${i}`, thread: String(i % 7) }));
    }
    writeFileSync(path, parts.join(''));
    const v = await view([path]);
    await ready(v.page);
    await waitTotal(v.page, 60_000);
    const gets = (): number => v.fromWebview.filter((m) => m.type === 'request' && m.method === 'getRows').length;
    const before = gets();
    await v.page.focus('.vt-viewport');
    await v.page.keyboard.press('End');
    await v.page.waitForFunction(() => [...document.querySelectorAll('.vt-row .c-message')].some((c) => c.textContent === 'event number 59999'));
    assert.ok(gets() > before, 'End asked the host for the last window');
    assert.equal(await v.page.locator('.vt-row.selected .c-message').textContent(), 'event number 59999');
    for (let i = 0; i < 12; i++) await v.page.keyboard.press('PageUp');
    await v.page.mouse.move(600, 400);
    for (let i = 0; i < 10; i++) await v.page.mouse.wheel(0, -4000);
    // Drag the scrollbar thumb to the middle.
    const track = await v.page.locator('.vt-scrollbar').boundingBox();
    const thumb = await v.page.locator('.vt-thumb').boundingBox();
    assert.ok(track && thumb);
    await v.page.mouse.move(thumb.x + thumb.width / 2, thumb.y + thumb.height / 2);
    await v.page.mouse.down();
    await v.page.mouse.move(thumb.x + thumb.width / 2, track.y + track.height / 2, { steps: 5 });
    await v.page.mouse.up();
    await v.page.waitForFunction(() => {
      const m = document.querySelector('.vt-row .c-message')?.textContent ?? '';
      const n = Number(/event number (\d+)/.exec(m)?.[1] ?? -1);
      return n > 20_000 && n < 40_000;
    });
    const rows = await domRows(v.page);
    const viewportRows = await v.page.evaluate(() => Math.floor((document.querySelector('.vt-viewport') as { clientHeight: number; getBoundingClientRect(): { width: number } }).clientHeight / 22));
    assert.ok(rows <= viewportRows + 2, `DOM rows ${rows} stay bounded (about ${viewportRows} visible)`);
    const requested = v.fromWebview.filter((m) => m.type === 'request' && m.method === 'getRows');
    assert.ok(requested.every((m) => m.type === 'request' && m.method === 'getRows' && m.params.count <= 1000));
    const pages = Number(await v.page.getAttribute('.vt', 'data-cached-pages'));
    assert.ok(pages >= 1 && pages <= 6, `row cache holds ${pages} pages (at most 6)`);
    assert.ok(requested.length >= 4, 'several windows were asked for');
  });

  it('filters by Error with the engine\'s count, selects an event and shows its details and exception', async () => {
    const c = await engine([TRACELOG]);
    const errors = c.query({ levels: ['Error'] }).length;
    const v = await view([TRACELOG], { theme: 'dark' });
    await ready(v.page);
    const chip = v.page.locator('.levels button[data-level="Error"]');
    assert.equal(await chip.locator('.count').textContent(), errors.toLocaleString('en-US'));
    await chip.click();
    await waitTotal(v.page, errors);
    assert.equal(await totalShown(v.page), errors);
    await v.page.waitForFunction(() => [...document.querySelectorAll('.vt-row')].every((r) => r.classList.contains('row-error')));
    await v.page.locator('.vt-row').first().click();
    await v.page.waitForSelector('.details .section.kind-exception');
    const ex = await v.page.locator('.details .section.kind-exception').first().textContent();
    assert.match(ex ?? '', /EndpointNotFoundException/);
    assert.match(await v.page.locator('.details pre.stack').first().textContent() ?? '', /at System\.ServiceModel/);
    // Keyboard: Down moves the selection and the details follow.
    await v.page.keyboard.press('ArrowDown');
    await v.page.waitForFunction(() => document.body.dataset.details === '1');
    // XML tab shows the raw event; copy buttons reach the host.
    await v.page.locator('.details .tab[data-tab="xml"]').click();
    assert.match(await v.page.locator('.details pre.xml').textContent() ?? '', /^<E2ETraceEvent/);
    await v.page.locator('.details button', { hasText: 'Copy JSON' }).click();
    await v.page.waitForFunction(() => true);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(v.hooks.copies, [{ index: 1, as: 'json' }]);
    // The filter is kept: in the webview state and at the host (saveState).
    await new Promise((r) => setTimeout(r, 600));
    const state = await v.page.evaluate(() => (window as unknown as { __webviewState: { filter: { levels: string[] } } }).__webviewState);
    assert.deepEqual(state.filter.levels, ['Error']);
    assert.deepEqual(v.hooks.saved[v.hooks.saved.length - 1].filter.levels, ['Error']);
  });

  it('searches with next/previous and highlights matches by splitting text nodes', async () => {
    const v = await view([TRACELOG]);
    await ready(v.page);
    await v.page.fill('input.search', 'Throwing an exception');
    await v.page.press('input.search', 'Enter');
    await v.page.waitForSelector('.vt-row.selected mark');
    const first = Number(await v.page.getAttribute('.vt-row.selected', 'data-index'));
    await v.page.press('input.search', 'Enter');
    await v.page.waitForFunction((f) => Number(document.querySelector('.vt-row.selected')?.getAttribute('data-index')) > f, first);
    await v.page.press('input.search', 'Shift+Enter');
    await v.page.waitForFunction((f) => Number(document.querySelector('.vt-row.selected')?.getAttribute('data-index')) === f, first);
    assert.equal(await v.page.locator('.vt-row.selected mark').first().textContent(), 'Throwing an exception');
    // "Only matching" narrows the view to the engine's text count.
    const c = await engine([TRACELOG]);
    await v.page.locator('button', { hasText: 'Only matching' }).click();
    await waitTotal(v.page, c.query({ text: 'Throwing an exception' }).length);
  });

  it('limits the time range from the details ("from"/"to" a selected event) and resets it', async () => {
    const c = await engine([TRACELOG]);
    const row = c.query({}).window(10, 1)[0];
    const v = await view([TRACELOG]);
    await ready(v.page);
    await waitTotal(v.page, c.count);
    await v.page.locator('.vt-row').nth(10).click();
    await v.page.waitForSelector('.details .grid-fields');
    await v.page.locator('.details .field button.link', { hasText: /^to$/ }).click();
    await waitTotal(v.page, c.query({ to: row.time }).length);
    assert.equal(await v.page.inputValue('input.time[aria-label="To time"]'), row.time);
    await v.page.fill('input.time[aria-label="From time"]', 'not a time');
    await v.page.press('input.time[aria-label="From time"]', 'Enter');
    await v.page.press('input.time[aria-label="From time"]', 'Tab');
    await v.page.waitForSelector('input.time[aria-invalid="true"]');
    await v.page.locator('button', { hasText: 'Reset' }).click();
    await waitTotal(v.page, c.count);
  });

  it('opens the activity view; selecting an activity filters the table; transfers go to the related activity', async () => {
    const c = await engine([TRACELOG]);
    const graph = buildActivities(c);
    const v = await view([TRACELOG]);
    await ready(v.page);
    await v.page.locator('button', { hasText: 'Activities' }).click();
    await v.page.waitForSelector('.activities .activity');
    assert.equal(await v.page.getAttribute('body', 'data-activities'), String(graph.activities.length));
    const target = graph.activities.find((a) => a.name && a.events >= 3 && !a.isRoot)!;
    // Find it in the tree with the activity search box, then select it.
    await v.page.fill('.activities input.search', target.id.slice(1, 9));
    await v.page.locator(`.activities .activity[data-id="${target.id}"]`).click();
    await waitTotal(v.page, c.query({ activities: [target.id] }).length);
    // The chip names the activity (its name, not the bare GUID); the GUID is in its tooltip.
    assert.equal(await v.page.locator('.activity-chip .text').textContent(), target.name);
    assert.match(await v.page.locator('.activity-chip').getAttribute('title') ?? '', new RegExp(target.id.replace(/[{}]/g, '\\$&')));
    // A transfer row: "Go to related activity" switches the table to the target activity.
    await v.page.fill('.activities input.search', '');
    await v.page.locator('.activity-chip button').click();
    await waitTotal(v.page, c.count);
    const edge = graph.edges[0];
    const transferIndex = c.query({}).indexOf(edge.file, edge.row);
    await v.page.focus('.vt-viewport');
    for (let i = 0; i <= transferIndex; i++) await v.page.keyboard.press('ArrowDown');
    await v.page.waitForSelector('.details button:has-text("Go to related activity"):visible');
    await v.page.locator('.details button', { hasText: 'Go to related activity' }).click();
    await v.page.waitForFunction((id) => {
      const sel = document.querySelector('.vt-row.selected .c-activity');
      return (sel?.getAttribute('title') ?? '').split('\n').includes(id);
    }, edge.to);
  });
});
