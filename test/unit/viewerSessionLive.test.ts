// ViewerSession (the host side of the trace viewer): following a growing file, export, error rows, progress and
// cancel while decoding, and the request protocol through handle(). Rows, filters and details: viewerSession.test.ts.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ViewerSession } from '../../src/traceViewer/viewerSession';
import type { ToWebview } from '../../src/traceViewer/protocol';
import { nodeAccess, slowAccess, traceEvent } from '../webview/nodeAccess';
import { ALL, TRACELOG, engine, session } from './viewerSessionFixture';

describe('ViewerSession: following, export, progress and requests', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'viewer-session-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const tracelog = TRACELOG;

  it('follows a growing file (tail decoded, viewChanged posted) and starts over after truncation', async () => {
    const path = join(dir, 'grow.svclog');
    writeFileSync(path, traceEvent({ time: '2024-01-01T00:00:01Z', description: 'one' }));
    const { s, posted } = session([path], { followIntervalMs: 0 });
    await s.start();
    await s.handle({ type: 'setFollow', follow: true });
    assert.equal(s.following, true);
    appendFileSync(path, traceEvent({ time: '2024-01-01T00:00:02Z', description: 'two' }) + traceEvent({ time: '2024-01-01T00:00:03Z', description: 'three' }));
    await s.fileChanged();
    const changed = posted.filter((m) => m.type === 'viewChanged');
    const last = changed[changed.length - 1];
    assert.ok(last && last.type === 'viewChanged' && last.view.total === 3);
    writeFileSync(path, traceEvent({ time: '2024-01-01T00:00:09Z', description: 'rotated' }));
    await s.fileChanged();
    const rows = (await s.request('getRows', { start: 0, count: 10, version: 0 })).rows;
    assert.deepEqual(rows.map((r) => r.message), ['rotated']);
    await s.handle({ type: 'setFollow', follow: false });
    appendFileSync(path, traceEvent({ time: '2024-01-01T00:00:10Z', description: 'ignored' }));
    await s.fileChanged();
    assert.equal((await s.request('getRows', { start: 0, count: 10, version: 0 })).rows.length, 1, 'no follow, no new rows');
    s.dispose();
  });

  it('exports the filtered events as CSV and JSON', async () => {
    const { s } = session([tracelog]);
    await s.start();
    const c = await engine([tracelog]);
    await s.request('setFilter', { filter: { ...ALL, levels: ['Warning'] } });
    let csv = '';
    for await (const chunk of s.exportRows('csv', 4)) csv += chunk;
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], 'time,level,eventId,source,activityId,relatedActivityId,process,processId,threadId,computer,message,file,offset');
    assert.equal(lines.length - 1, c.query({ levels: ['Warning'] }).length);
    let json = '';
    for await (const chunk of s.exportRows('json', 4)) json += chunk;
    const parsed = JSON.parse(json) as Array<{ level: string }>;
    assert.equal(parsed.length, lines.length - 1);
    assert.ok(parsed.every((r) => r.level === 'Warning'));
  });

  it('exports a message longer than the list shows (300 characters) whole, byte for byte', async () => {
    const long = `Start, "quoted" ${'0123456789 '.repeat(60)}end \u00e4\u00f6\u00fc`;
    const p = join(dir, 'long.svclog');
    writeFileSync(p, traceEvent({ time: '2024-01-01T10:00:00Z', dataItem: long }) + traceEvent({ time: '2024-01-01T10:00:01Z', dataItem: 'short' }));
    const { s } = session([p]);
    await s.start();
    const shown = (await s.request('getRows', { start: 0, count: 2, version: 0 })).rows[0].message;
    assert.ok(shown.length === 300 && shown.endsWith('\u2026'), 'the list cuts it');
    let csv = '';
    for await (const chunk of s.exportRows('csv')) csv += chunk;
    const field = csv.split('\r\n')[1].match(/,"((?:[^"]|"")*)",/)?.[1]?.replace(/""/g, '"');
    assert.equal(field, long.trim());
    let json = '';
    for await (const chunk of s.exportRows('json')) json += chunk;
    assert.equal((JSON.parse(json) as Array<{ message: string }>)[0].message, long.trim());
  });

  it('shows the exception type and message in Error rows', async () => {
    const { s } = session([tracelog]);
    await s.start();
    const view = await s.request('setFilter', { filter: { ...ALL, levels: ['Error'] } });
    const rows = (await s.request('getRows', { start: 0, count: view.total, version: view.version })).rows;
    const c = await engine([tracelog]);
    const errors = c.query({ levels: ['Error'] }).window(0, view.total);
    let withException = 0;
    for (let i = 0; i < rows.length; i++) {
      const ex = (await c.details(nodeAccess, errors[i].file, errors[i].row)).exceptions[0];
      if (!ex) { assert.equal(rows[i].message, errors[i].message); continue; }
      withException++;
      // The type without its assembly ("System.X.YException, System.X, Version=…" → "System.X.YException").
      assert.ok(rows[i].message.startsWith(`${errors[i].message} \u2014 ${ex.type.split(',')[0]}: `), rows[i].message);
      assert.doesNotMatch(rows[i].message, /Version=|PublicKeyToken=/);
      assert.ok(rows[i].message.includes(ex.message.replace(/\s+/g, ' ').trim().slice(0, 40)));
    }
    assert.ok(withException > 0);
  });

  it('posts progress and early rows while decoding, and keeps the rows read so far when cancelled', async () => {
    const posted: ToWebview[] = [];
    const s = new ViewerSession({ files: [tracelog], access: slowAccess(15), post: (m) => posted.push(m), chunkSize: 64 * 1024, firstChunkSize: 16 * 1024, refreshIntervalMs: 0 });
    const done = s.start();
    await new Promise((r) => setTimeout(r, 80));
    await s.handle({ type: 'cancelDecoding' });
    await done;
    const progress = posted.filter((m) => m.type === 'progress');
    const last = progress[progress.length - 1];
    assert.ok(last && last.type === 'progress' && last.progress.done && last.progress.cancelled);
    assert.ok(last.progress.bytesDone < last.progress.bytesTotal);
    assert.deepEqual(s.damageRanges(), [], 'the unread tail of a cancelled file is not damage');
    assert.ok(posted.every((m) => m.type !== 'damage' || m.ranges.length === 0), 'no provisional damage while decoding');
    const views = posted.filter((m) => m.type === 'viewChanged');
    assert.ok(views.length >= 1);
    const lastView = views[views.length - 1];
    assert.ok(lastView.type === 'viewChanged' && lastView.view.total > 0 && lastView.view.total < 2597);
    // Follow after a cancel reads the rest (cancelling the first decoding does not stop following).
    s.setFollow(true);
    await s.fileChanged();
    const c = await engine([tracelog]);
    assert.equal((await s.request('getRows', { start: 0, count: 1, version: 0 })).version > 0, true);
    assert.equal(s.collection.count, c.count);
    s.dispose();
  });

  it('answers requests through handle() with one response each (errors as ok:false) and keeps saved state', async () => {
    const saved: unknown[] = [];
    const { s, posted } = session([tracelog], { hooks: { saveState: (st) => { saved.push(st); } }, restored: { filter: { ...ALL, levels: ['Warning'] } } });
    await s.start();
    await s.handle({ type: 'ready' });
    const init = posted.find((m) => m.type === 'init');
    assert.ok(init && init.type === 'init');
    assert.deepEqual(init.init.restored?.filter.levels, ['Warning'], 'the restored filter is applied before the first rows');
    const c = await engine([tracelog]);
    assert.equal(init.init.view.total, c.query({ levels: ['Warning'] }).length);
    await s.handle({ type: 'request', requestId: 7, method: 'getRows', params: { start: 0, count: 2, version: 0 } });
    await s.handle({ type: 'request', requestId: 8, method: 'getDetails', params: { index: 99_999 } });
    const r7 = posted.find((m) => m.type === 'response' && m.requestId === 7);
    const r8 = posted.find((m) => m.type === 'response' && m.requestId === 8);
    assert.ok(r7 && r7.type === 'response' && r7.ok);
    assert.ok(r8 && r8.type === 'response' && !r8.ok);
    await s.handle({ type: 'saveState', state: { filter: ALL, selected: 3 } });
    assert.equal(saved.length, 1);
    assert.equal(s.savedState?.selected, 3);
    s.dispose();
    const n = posted.length;
    await s.handle({ type: 'ready' });
    assert.equal(posted.length, n, 'nothing is posted after dispose');
  });
});
