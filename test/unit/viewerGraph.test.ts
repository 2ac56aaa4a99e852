import * as assert from 'node:assert/strict';
import { TraceCollection, buildActivities, decodeBuffer, openFile } from '../../src/trace';
import { layoutGraph, GRAPH_MAX_COLUMNS } from '../../src/traceViewer/graph';
import { ViewerSession } from '../../src/traceViewer/viewerSession';
import { fixture, nodeAccess, traceEvent } from '../webview/nodeAccess';

describe('graph view layout (an activity\'s neighbourhood)', () => {
  it('draws a real WCF activity with its transfer targets as columns and transfers as arrows', async () => {
    const c = new TraceCollection();
    await openFile(c, nodeAccess, fixture('faiteo__Client__web_tracelog.svclog'));
    const g = buildActivities(c);
    const center = g.activities.find((a) => !a.isRoot && a.transfersTo.length >= 2)!;
    const dto = layoutGraph(c, center.id, (id) => `L ${id.slice(1, 9)}`);
    assert.ok(dto.columns.length >= 3 && dto.columns.length <= GRAPH_MAX_COLUMNS);
    const centerCols = dto.columns.flatMap((col, i) => (col.activityId === center.id ? [i] : []));
    assert.ok(centerCols.length >= 1);
    for (const t of center.transfersTo.slice(0, 2)) assert.ok(dto.columns.some((col) => col.activityId === t), `column for ${t}`);
    const transfers = dto.arrows.filter((a) => a.kind === 'transfer');
    assert.ok(transfers.length >= 2);
    for (const a of transfers) {
      const from = dto.events[a.from], to = dto.events[a.to];
      assert.equal(from.level, 'Transfer');
      assert.equal(dto.columns[to.column].activityId, from.relatedActivityId, 'the arrow ends in the target activity');
      assert.ok(a.to > a.from, 'downwards in time');
    }
    // Events are in time order.
    const times = dto.events.map((e) => Date.parse(e.time));
    for (let i = 1; i < times.length; i++) assert.ok(times[i] >= times[i - 1]);
    assert.equal(dto.columns[0].label, `L ${dto.columns[0].activityId.slice(1, 9)}`);
  });

  it('groups columns by process and draws a message arrow from a send to its receive in another process', () => {
    const A = '{aaaaaaaa-0000-0000-0000-000000000001}', B = '{bbbbbbbb-0000-0000-0000-000000000002}';
    const ev = (t: number, o: Parameters<typeof traceEvent>[0] extends infer X ? Partial<X> : never): string =>
      traceEvent({ time: `2024-01-01T10:00:0${t}Z`, ...o } as Parameters<typeof traceEvent>[0]);
    const text = ev(0, { activity: A, pid: 10, process: 'client', dataItem: 'start' })
      + ev(1, { activity: A, pid: 10, process: 'client', subType: 'Transfer', level: 255, related: B })
      + ev(2, { activity: B, pid: 10, process: 'client', dataItem: 'send' })
      + ev(3, { activity: B, pid: 20, process: 'server', dataItem: 'receive' })
      + ev(4, { activity: A, pid: 10, process: 'client', dataItem: 'end' });
    const c = new TraceCollection();
    const f = c.addFile('x');
    const d = decodeBuffer(Buffer.from(text), { store: f.store, pools: c.pools });
    assert.equal(d.store.count, 5);
    const ids = new Map([['0:2', { messageId: 'urn:1', relatesTo: '', direction: 'send' }], ['0:3', { messageId: 'urn:1', relatesTo: '', direction: 'receive' }]]);
    const g = layoutGraph(c, A, (id) => id, ids);
    assert.deepEqual(g.columns.map((col) => [col.activityId, col.process]), [[A, 'client (10)'], [B, 'client (10)'], [B, 'server (20)']]);
    assert.deepEqual(g.arrows, [{ from: 1, to: 2, kind: 'transfer' }, { from: 2, to: 3, kind: 'message' }]);
  });

  it('draws at most GRAPH_MAX_COLUMNS columns, however many processes an activity spans', () => {
    const A = '{aaaaaaaa-0000-0000-0000-000000000001}';
    const text = Array.from({ length: 40 }, (_, i) => traceEvent({ time: `2024-01-01T10:00:${String(i).padStart(2, '0')}Z`, activity: A, pid: 100 + i, process: 'p', dataItem: `e${i}` })).join('');
    const c = new TraceCollection();
    const f = c.addFile('x');
    decodeBuffer(Buffer.from(text), { store: f.store, pools: c.pools });
    const g = layoutGraph(c, A, (id) => id);
    assert.equal(g.columns.length, GRAPH_MAX_COLUMNS);
    assert.equal(g.events.length, GRAPH_MAX_COLUMNS);
    assert.equal(g.truncated, true);
  });

  it('is served by the session, and a graph event selects its row in the table', async () => {
    const s = new ViewerSession({ files: [fixture('faiteo__Client__web_tracelog.svclog')], access: nodeAccess, post: () => undefined });
    await s.start();
    const { activities } = await s.request('getActivities', {});
    const center = activities.find((a) => a.transfersTo.length > 0 && !/^\{?0{8}/.test(a.id))!;
    const g = await s.request('getGraph', { activityId: center.id });
    const e = g.events[g.arrows[0].from];
    const { index } = await s.request('locateEvent', { file: e.file, row: e.row });
    const row = (await s.request('getRows', { start: index, count: 1, version: 0 })).rows[0];
    assert.equal(row.level, 'Transfer');
    assert.equal(row.time, e.time);
  });
});
