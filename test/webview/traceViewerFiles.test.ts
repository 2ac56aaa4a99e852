// The trace viewer's webview in real headless Chromium with a real ViewerSession: hostile file content stays text,
// rows while decoding and Cancel, several files merged, a file that is not a trace, state kept while hidden, follow,
// and the webview code never turning data into HTML. Run: npx mocha --no-config --timeout 120000 'out/test/webview/**/*.test.js'
import * as assert from 'node:assert/strict';
import { appendFileSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness';
import { fixture, slowAccess, traceEvent } from './nodeAccess';
import { MESSAGES, SHOTS, TRACELOG, engine, ready, totalShown, viewerSuite, waitTotal } from './viewerSuite';

// Page-side code in page.evaluate/waitForFunction runs in the browser; the Node type check has no DOM lib.
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('trace viewer webview: files, hostile data, state (headless Chromium, real ViewerSession)', function () {
  const s = viewerSuite();
  const view = s.view;

  it('renders a hostile trace as text: no script runs, no element is injected (with and without the CSP)', async () => {
    const path = join(s.dir, 'hostile.svclog');
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
      s.forget(v);
    }
  });

  it('shows rows while decoding with a progress bar, and Cancel keeps what was read', async () => {
    const v = await view([TRACELOG], { theme: 'light', access: slowAccess(60), session: { chunkSize: 32 * 1024, firstChunkSize: 16 * 1024, refreshIntervalMs: 50 } });
    await v.page.waitForSelector('body[data-decoding="running"]');
    await v.page.waitForSelector('.vt-row:not(.loading)');
    assert.equal(await v.page.isVisible('.progress progress'), true);
    // The progress shows how far; the count is in the status line only, so the two never disagree.
    assert.match(await v.page.locator('.progress-text').textContent() ?? '', /^Reading \d+%$/);
    assert.match(await v.page.locator('.status-text').textContent() ?? '', /^[\d,]+ of [\d,]+ events? shown/);
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
    const path = join(s.dir, 'image.svclog');
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
    const path = join(s.dir, 'live.svclog');
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
