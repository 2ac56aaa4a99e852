// The trace viewer's webview in real headless Chromium, in the extension's CSP shell, talking to a real ViewerSession
// over real fixtures. Run: npx mocha --no-config --timeout 120000 'out/test/webview/**/*.test.js'
import * as assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { TraceCollection, buildActivities, readWholeFile } from '../../src/trace';
import { ROOT, WebviewServer, launch, openViewer, type Viewer } from './harness';
import { fixture, nodeAccess, slowAccess, traceEvent } from './nodeAccess';

// Page-side code in page.evaluate/waitForFunction runs in the browser; the Node type check has no DOM lib.
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const SHOTS = join(ROOT, 'test-output', 'webview');
const TRACELOG = fixture('faiteo__Client__web_tracelog.svclog');
const MESSAGES = fixture('ali-bytes__psi__web_messages.svclog');

async function engine(paths: string[]): Promise<TraceCollection> {
  const c = new TraceCollection();
  for (const p of paths) c.addFile(p);
  for (let i = 0; i < paths.length; i++) await readWholeFile(c, nodeAccess, i);
  return c;
}

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
  await page.waitForSelector('.vt-row:not(.loading)', { timeout: 30_000 });
}

async function totalShown(page: Page): Promise<number> {
  return Number(await page.getAttribute('body', 'data-total'));
}

async function waitTotal(page: Page, n: number): Promise<void> {
  await page.waitForFunction((want) => document.body.dataset.total === String(want), n, { timeout: 30_000 });
}

async function domRows(page: Page): Promise<number> {
  return page.locator('.vt-row').count();
}

describe('trace viewer webview (headless Chromium, real ViewerSession)', function () {
  let browser: Browser;
  const server = new WebviewServer();
  let open: Viewer[] = [];
  let dir: string;

  before(async () => {
    await server.start();
    browser = await launch();
    dir = mkdtempSync(join(tmpdir(), 'viewer-webview-'));
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const v of open) await v.close();
    open = [];
  });
  const view = async (files: string[], o: Parameters<typeof openViewer>[3] = {}): Promise<Viewer> => {
    const v = await openViewer(browser, server, files, o);
    open.push(v);
    return v;
  };

  it('shows rows of a real fixture, with level icons, and only the visible rows in the DOM', async () => {
    const c = await engine([TRACELOG]);
    const v = await view([TRACELOG]);
    await ready(v.page);
    await waitTotal(v.page, c.count);
    const first = c.query({}).window(0, 1)[0];
    await v.page.waitForFunction((t) => document.querySelector('.vt-row .c-time')?.textContent === t, first.time);
    const firstRow = v.page.locator('.vt-row').first();
    assert.equal(await firstRow.locator('.c-time').textContent(), first.time);
    assert.equal(await firstRow.locator('.lv-text').textContent(), first.level);
    assert.equal(await firstRow.locator('.lv-icon').count(), 1);
    const rows = await domRows(v.page);
    const viewportRows = await v.page.evaluate(() => Math.floor((document.querySelector('.vt-viewport') as { clientHeight: number; getBoundingClientRect(): { width: number } }).clientHeight / 22));
    assert.ok(rows > 5 && rows <= viewportRows + 2, `DOM rows ${rows} for about ${viewportRows} visible`);
    assert.equal(await v.page.isVisible('.c-file'), false, 'no file column for one file');
  });

  it('scrolls with keys, wheel and scrollbar: asks for windows of rows, keeps the DOM and the cache bounded', async () => {
    // A generated file of 60,000 events: far more rows than pages kept.
    const path = join(dir, 'big.svclog');
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
    assert.equal(await v.page.locator('.activity-chip .text').textContent(), target.id);
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

  it('renders a hostile trace as text: no script runs, no element is injected (with and without the CSP)', async () => {
    const path = join(dir, 'hostile.svclog');
    const payloads = {
      script: '<script>window.__pwned = "script"; alert(1)</script>',
      img: '<img src=x onerror="window.__pwned=\'img\'; alert(2)">',
      js: 'javascript:window.__pwned="js";alert(3)',
      svg: '<svg onload="window.__pwned=\'svg\'"></svg>',
    };
    const act = '{11111111-2222-3333-4444-555555555555}';
    writeFileSync(path, [
      traceEvent({ time: '2024-05-01T10:00:00.0000000Z', subType: 'Start', level: 255, source: payloads.script, activity: act, description: payloads.img, activityName: payloads.svg, process: payloads.js, thread: payloads.img }),
      traceEvent({ time: '2024-05-01T10:00:01.0000000Z', subType: 'Error', level: 2, source: payloads.img, activity: act, dataItem: payloads.script, computer: payloads.js }),
      traceEvent({ time: '2024-05-01T10:00:02.0000000Z', subType: 'Transfer', level: 255, source: payloads.js, activity: act, related: '{99999999-2222-3333-4444-555555555555}', description: payloads.js }),
    ].join('') + payloads.script);
    for (const bypassCSP of [false, true]) {
      const v = await view([path], { bypassCSP });
      await ready(v.page);
      await waitTotal(v.page, 4); // three events + the trailing bytes as a damage row
      await v.page.locator('.vt-row').nth(0).click();
      await v.page.waitForSelector('.details .section');
      await v.page.locator('button', { hasText: 'Activities' }).click();
      await v.page.waitForSelector('.activities .activity');
      await v.page.locator('.vt-row').nth(1).click();
      await v.page.waitForFunction(() => document.body.dataset.details === '1');
      await v.page.locator('.details .tab[data-tab="xml"]').click();
      await v.page.locator('.vt-row').nth(3).click();
      await v.page.waitForFunction(() => document.body.dataset.details === '3');
      await v.page.locator('.details .tab[data-tab="formatted"]').click();
      await v.page.fill('input.search', 'script');
      await v.page.waitForSelector('.vt-row mark');
      await new Promise((r) => setTimeout(r, 300));
      const text = await v.page.locator('#app').innerText();
      assert.ok(text.includes(payloads.script), 'the <script> text is shown literally');
      assert.ok(text.includes(payloads.img), 'the <img onerror> text is shown literally');
      assert.ok(text.includes(payloads.js), 'the javascript: text is shown literally');
      assert.ok(text.includes(payloads.svg), 'the activity name is shown literally');
      const probe = await v.page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: string }).__pwned,
        scripts: document.querySelectorAll('script').length,
        injected: document.querySelectorAll('#app img, #app script, #app svg, #app iframe, #app object, #app embed, #app a[href]').length,
        handlers: [...document.querySelectorAll('#app *')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name) || (/^(href|src|action|formaction|xlink:href)$/i.test(a.name) && /javascript:/i.test(a.value)))).length,
        violations: (window as unknown as { __violations: string[] }).__violations,
      }));
      assert.equal(probe.pwned, undefined, `no payload ran (bypassCSP=${bypassCSP})`);
      assert.equal(probe.scripts, 1, 'only the viewer script');
      assert.equal(probe.injected, 0);
      assert.equal(probe.handlers, 0);
      assert.deepEqual(probe.violations, [], 'nothing even tried to run against the CSP');
      assert.deepEqual(v.dialogs, []);
      if (!bypassCSP) await v.page.screenshot({ path: join(SHOTS, 'hostile-dark.png') });
      await v.close();
      open = open.filter((x) => x !== v);
    }
  });

  it('shows rows while decoding with a progress bar, and Cancel keeps what was read', async () => {
    const v = await view([TRACELOG], { theme: 'light', access: slowAccess(60), session: { chunkSize: 32 * 1024, firstChunkSize: 16 * 1024, refreshIntervalMs: 50 } });
    await v.page.waitForSelector('body[data-decoding="running"]');
    await v.page.waitForSelector('.vt-row:not(.loading)');
    assert.equal(await v.page.isVisible('.progress progress'), true);
    assert.match(await v.page.locator('.progress-text').textContent() ?? '', /Reading \d+% · [\d,]+ events/);
    await v.page.screenshot({ path: join(SHOTS, 'decoding-light.png') });
    await v.page.locator('.progress button', { hasText: 'Cancel' }).click();
    await v.page.waitForSelector('body[data-decoding="done"]');
    assert.equal(await v.page.isVisible('.progress'), false);
    assert.match(await v.page.locator('.status-text').textContent() ?? '', /cancelled/);
    const shown = await totalShown(v.page);
    assert.ok(shown > 0 && shown < 2597, `kept ${shown} rows`);
  });

  it('merges several files with a file column; export buttons reach the host', async () => {
    const v = await view([TRACELOG, fixture('laoluolapegba__finservice__Web_tracelog.svclog')]);
    await ready(v.page);
    const c = await engine([TRACELOG, fixture('laoluolapegba__finservice__Web_tracelog.svclog')]);
    await waitTotal(v.page, c.count);
    assert.equal(await v.page.isVisible('.vt-header .c-file'), true);
    const files = await v.page.locator('.vt-row .c-file').allTextContents();
    assert.ok(files.every((f) => f.endsWith('.svclog')));
    await v.page.locator('button', { hasText: 'Export CSV' }).click();
    await v.page.locator('button', { hasText: 'Export JSON' }).click();
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(v.hooks.exports, ['csv', 'json']);
  });

  it('offers to reopen a file that is not a trace as text', async () => {
    const path = join(dir, 'image.svclog');
    writeFileSync(path, Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'));
    const v = await view([path], { theme: 'light' });
    await v.page.waitForSelector('body[data-state="not-a-trace"]');
    assert.match(await v.page.locator('.not-a-trace h1').textContent() ?? '', /not an E2ETraceEvent trace/);
    await v.page.screenshot({ path: join(SHOTS, 'not-a-trace-light.png') });
    await v.page.locator('button', { hasText: 'Reopen as text' }).click();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(v.hooks.reopened, 1);
  });

  it('restores the filter, selection and column widths kept while the editor was hidden', async () => {
    const c = await engine([TRACELOG]);
    const v = await view([TRACELOG], { webviewState: { filter: { levels: ['Warning'], sources: [], processes: [], threads: [], showDamage: true }, selected: 2, columnWidths: { time: 260 } } });
    await ready(v.page);
    await waitTotal(v.page, c.query({ levels: ['Warning'] }).length);
    await v.page.waitForSelector('.vt-row.selected[data-index="2"]');
    assert.equal(await v.page.getAttribute('.levels button[data-level="Warning"]', 'aria-pressed'), 'true');
    const w = await v.page.evaluate(() => (document.querySelector('.vt-header .c-time') as { clientHeight: number; getBoundingClientRect(): { width: number } }).getBoundingClientRect().width);
    assert.equal(Math.round(w), 260);
  });

  it('follows a growing file when Follow is on, and resizes columns by dragging', async () => {
    const path = join(dir, 'live.svclog');
    const ev = (i: number): string => traceEvent({ time: `2024-02-01T00:00:${String(i).padStart(2, '0')}.0000000Z`, description: `live ${i}` });
    writeFileSync(path, ev(1) + ev(2));
    const v = await view([path], { session: { followIntervalMs: 100 } });
    await ready(v.page);
    await waitTotal(v.page, 2);
    await v.page.locator('button', { hasText: 'Follow' }).click();
    await v.page.waitForSelector('.toolbar button[aria-pressed="true"]:has-text("Follow")');
    appendFileSync(path, ev(3) + ev(4) + ev(5));
    await waitTotal(v.page, 5);
    await v.page.waitForFunction(() => [...document.querySelectorAll('.vt-row .c-message')].some((c) => c.textContent === 'live 5'));
    assert.ok(v.fromWebview.some((m) => m.type === 'setFollow' && m.follow));
    // Drag the Time column's grip 80 px to the right.
    const grip = await v.page.locator('.vt-header .c-time .vt-grip').boundingBox();
    assert.ok(grip);
    const before = await v.page.evaluate(() => document.querySelector('.vt-header .c-time').getBoundingClientRect().width);
    await v.page.mouse.move(grip.x + 2, grip.y + 5);
    await v.page.mouse.down();
    await v.page.mouse.move(grip.x + 82, grip.y + 5, { steps: 4 });
    await v.page.mouse.up();
    const after = await v.page.evaluate(() => document.querySelector('.vt-header .c-time').getBoundingClientRect().width);
    assert.ok(Math.abs(after - before - 80) <= 2, `width ${before} → ${after}`);
    const cell = await v.page.evaluate(() => document.querySelector('.vt-row .c-time').getBoundingClientRect().width);
    assert.equal(Math.round(cell), Math.round(after), 'cells follow the header');
    await v.page.waitForFunction(() => (window.__webviewState?.columnWidths?.time ?? 0) > 250);
  });

  for (const theme of ['light', 'dark', 'hc'] as const) {
    it(`looks right in the ${theme} theme (screenshot)`, async () => {
      const v = await view([MESSAGES], { theme, viewport: { width: 1400, height: 860 } });
      await ready(v.page);
      await v.page.locator('button', { hasText: 'Activities' }).click();
      await v.page.waitForSelector('.activities .activity');
      await v.page.focus('.vt-viewport');
      for (let i = 0; i < 4; i++) await v.page.keyboard.press('ArrowDown');
      await v.page.waitForSelector('.details .section');
      await v.page.fill('input.search', 'http');
      await new Promise((r) => setTimeout(r, 400));
      await v.page.screenshot({ path: join(SHOTS, `viewer-${theme}.png`) });
      const v2 = await view([TRACELOG], { theme, viewport: { width: 1400, height: 860 } });
      await ready(v2.page);
      await v2.page.locator('.levels button[data-level="Error"]').click();
      await v2.page.locator('.levels button[data-level="Warning"]').click();
      await v2.page.waitForSelector('.vt-row.row-warning');
      await v2.page.locator('.vt-row.row-error').first().click();
      await v2.page.waitForSelector('.details .section.kind-exception');
      await v2.page.screenshot({ path: join(SHOTS, `errors-${theme}.png`) });
    });
  }

  it('the webview code never turns data into HTML (source and bundle checked)', () => {
    const forbidden = /\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser|srcdoc|javascript:|\bon[a-z]+\s*=\s*["']|setAttribute\(\s*['"]on/i;
    const sources: string[] = [];
    const walk = (d: string): void => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (n.endsWith('.ts')) sources.push(p);
      }
    };
    walk(join(ROOT, 'media'));
    assert.ok(sources.length >= 5);
    for (const p of sources) assert.doesNotMatch(readFileSync(p, 'utf8'), forbidden, p);
    const bundle = readFileSync(join(ROOT, 'dist', 'webview', 'traceViewer.js'), 'utf8');
    assert.doesNotMatch(bundle, /\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write\(|javascript:/);
  });
});
