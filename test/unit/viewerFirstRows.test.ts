// Issue 16 point 2: the first rows come with the view. init and every viewChanged carry the rows of their own version
// that the webview looks at (the page it asked for last), so it shows them without a request round trip; messages
// still leave in the order they were made.
import * as assert from 'node:assert/strict';
import { Outbox } from '../../src/traceViewer/outbox';
import type { ToWebview } from '../../src/traceViewer/protocol';
import { TRACELOG, engine, session } from './viewerSessionFixture';

describe('viewer session: the first rows come with the view (issue 16)', () => {
  it('init carries the first rows when decoding began before the webview was ready (as in VS Code)', async () => {
    const c = await engine([TRACELOG]);
    const { s, posted } = session([TRACELOG]);
    await s.start();
    await s.handle({ type: 'ready' });
    const init = posted.find((m) => m.type === 'init');
    assert.ok(init && init.type === 'init');
    const rows = init.init.view.rows;
    assert.ok(rows, 'init has rows');
    assert.equal(rows.start, 0);
    assert.ok(rows.rows.length >= 40, `${rows.rows.length} rows: at least a screenful`);
    assert.deepEqual(rows.rows, (await s.getRows(0, rows.rows.length)).rows, 'exactly what getRows answers');
    assert.equal(rows.rows[0].time, c.query({}).window(0, 1)[0].time);
    s.dispose();
  });

  it('every viewChanged while decoding carries its version\'s rows of the page asked for last', async () => {
    const { s, posted } = session([TRACELOG], { chunkSize: 64 * 1024, firstChunkSize: 16 * 1024, refreshIntervalMs: 0 });
    await s.handle({ type: 'ready' });
    const started = s.start();
    await s.handle({ type: 'request', requestId: 1, method: 'getRows', params: { start: 200, count: 200, version: 0 } });
    await started;
    const views = posted.filter((m): m is Extract<ToWebview, { type: 'viewChanged' }> => m.type === 'viewChanged');
    assert.ok(views.length >= 2, `${views.length} views`);
    const last = views.at(-1)!.view;
    assert.ok(last.rows && last.rows.rows.length > 0, 'the last view has rows');
    assert.equal(last.rows.start, 200, 'the page the webview asked for');
    assert.deepEqual(last.rows.rows, (await s.getRows(200, last.rows.rows.length)).rows);
    for (const v of views) if (v.view.rows) assert.ok(v.view.rows.rows.every((r, k) => r.index === v.view.rows!.start + k), 'view positions of that page');
    s.dispose();
  });
  it('a view that changed while its rows were read is not sent rowless when a newer view follows', async () => {
    const { s, posted } = session([TRACELOG]);
    await s.start();
    await s.handle({ type: 'ready' });
    posted.length = 0;
    // Two refreshes in a row (a reopened index, then its tail): the first view's rows are still being read when the
    // second is made, so the first would go without rows and the webview would ask for what the second brings.
    const inner = s as unknown as { live: { refresh(notify: boolean): void }; outbox: { idle(): Promise<void> } };
    inner.live.refresh(true);
    inner.live.refresh(true);
    await inner.outbox.idle();
    const views = posted.flatMap((m) => (m.type === 'viewChanged' ? [m.view] : []));
    assert.equal(views.length, 1, `${views.length} views: ${JSON.stringify(views.map((v) => [v.version, !!v.rows]))}`);
    assert.ok(views[0].rows && views[0].rows.rows.length > 0, 'the newest view, with its rows');
    s.dispose();
  });
});

describe('outbox: messages leave in the order they were made', () => {
  it('a message still being made holds back the ones after it; idle() waits for all', async () => {
    const sent: string[] = [];
    const box = new Outbox((m) => sent.push(m.type));
    box.put({ type: 'error', message: 'a' });
    let release!: (m: ToWebview) => void;
    box.put(new Promise<ToWebview>((r) => { release = r; }));
    box.put({ type: 'progress', progress: { bytesDone: 0, bytesTotal: 0, events: 0, done: false, cancelled: false } });
    assert.deepEqual(sent, ['error'], 'sent at once when nothing waits; then held back');
    const idle = box.idle();
    release({ type: 'viewChanged', view: { version: 1, total: 0, totalEvents: 0, facets: { levels: [], sources: [], processes: [], threads: [], totals: { sources: 0, processes: 0, threads: 0 } } } });
    await idle;
    assert.deepEqual(sent, ['error', 'viewChanged', 'progress']);
    box.put(Promise.reject(new Error('dropped')));
    box.put({ type: 'error', message: 'b' });
    await box.idle();
    assert.deepEqual(sent, ['error', 'viewChanged', 'progress', 'error'], 'a failed message is skipped, the rest go');
  });
});
