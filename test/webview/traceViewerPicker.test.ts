// The source picker over a file with more distinct sources than the host sends in a view (MESSAGE_LIMITS.facetValues):
// a source beyond the first page is found by typing (getFacet with `contains`), picked, and the rows filter to it;
// scrolling to the end of the unfiltered list loads the next page; the popover says "N of M values".
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGE_LIMITS } from '../../src/traceViewer/protocol';
import { traceEvent } from './nodeAccess';
import { ready, totalShown, viewerSuite, waitTotal } from './viewerSuite';

declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const SOURCES = MESSAGE_LIMITS.facetValues + 700;

describe('trace viewer webview: pickers of facets with more values than one page (headless Chromium, real ViewerSession)', function () {
  const s = viewerSuite();

  it('finds, picks and filters to a source beyond the first page; scrolling loads the next page', async () => {
    const path = join(s.dir, 'many-sources.svclog');
    // Source.0 … Source.499 occur twice (the first page, most frequent first); the rest once, so Source.1111 is past it.
    const events: string[] = [];
    for (let i = 0; i < SOURCES; i++) {
      const n = i < MESSAGE_LIMITS.facetValues ? 2 : 1;
      for (let k = 0; k < n; k++) events.push(traceEvent({ time: `2026-01-02T03:04:${String(i % 60).padStart(2, '0')}.0000000Z`, source: `Source.${i}` }));
    }
    writeFileSync(path, events.join('\n'));
    const v = await s.view([path]);
    await ready(v.page);
    await v.page.waitForSelector('body[data-decoding="done"]', { timeout: 60_000 });
    await waitTotal(v.page, events.length);

    await v.page.locator('button.picker[data-picker="source"]').click();
    const pop = v.page.locator('.picker-popover[data-picker="source"]');
    const info = pop.locator('.picker-info');
    await v.page.waitForFunction((want) => document.querySelector('.picker-popover[data-picker="source"] .picker-info')?.textContent === want,
      `200 of 1,200 values`, { timeout: 30_000 });
    assert.equal(await pop.locator('li input[data-value="Source.1111"]').count(), 0, 'not in the first page');

    // Scrolling to the end shows the rest of the first page, then asks the host for the next page.
    for (let shown = 0; shown <= MESSAGE_LIMITS.facetValues;) {
      await pop.evaluate((el: any) => { el.scrollTop = el.scrollHeight; }); // eslint-disable-line @typescript-eslint/no-explicit-any
      await v.page.waitForFunction((n) => document.querySelectorAll('.picker-popover[data-picker="source"] li').length > n, shown, { timeout: 30_000 });
      shown = await pop.locator('li').count();
    }
    assert.ok(v.fromWebview.some((m) => m.type === 'request' && m.method === 'getFacet' && m.params.start === MESSAGE_LIMITS.facetValues && !m.params.contains),
      'the next page was asked of the host');
    assert.match((await info.textContent()) ?? '', /^\d[\d,]* of 1,200 values/);

    // Typing asks the host (the value is past the first page), and the answer is what the picker shows.
    await pop.locator('.picker-search').fill('source.1111');
    await pop.locator('li input[data-value="Source.1111"]').waitFor({ timeout: 30_000 });
    assert.equal(await pop.locator('li').count(), 1);
    assert.equal(await info.textContent(), '1 of 1 value');
    const asked = v.fromWebview.filter((m) => m.type === 'request' && m.method === 'getFacet' && m.params.contains === 'source.1111');
    assert.equal(asked.length, 1, 'one debounced request for the typed text');

    await pop.locator('li', { hasText: 'Source.1111' }).locator('button', { hasText: 'only' }).click();
    await waitTotal(v.page, 1);
    assert.equal(await totalShown(v.page), 1);
    assert.equal(await v.page.locator('.vt-row .c-source').first().textContent(), 'Source.1111');
    assert.equal(await v.page.locator('button.picker[data-picker="source"]').textContent(), 'Source.1111');
    assert.deepEqual(v.session.currentFilter.sources, ['Source.1111']);
  });
});
