import * as assert from 'node:assert/strict';
import {
  TraceCollection, buildActivities, followFile, openFile, parseEventDetails, readWholeFile, type TraceRow,
} from '../../src/trace/index';
import { MemoryFiles, event, fx } from './helpers/traceFiles';

const msgs = (rows: TraceRow[]): string[] => rows.map((r) => r.message);

describe('trace collection: merge, filters, facets', () => {
  it('merges files by instant, keeps the source file, and keeps a file that goes back in time correct and stable', async () => {
    const mem = new MemoryFiles();
    // a.svclog was appended by two runs: the second run's clock is earlier (goes back in time).
    mem.files.set('a.svclog', Buffer.from([
      event('a1', { time: '2024-01-01T10:00:01Z' }), event('a2', { time: '2024-01-01T10:00:03Z' }),
      event('a3', { time: '2024-01-01T09:00:00Z' }), event('a4', { time: '2024-01-01T10:00:03Z' }),
    ].join('')));
    mem.files.set('b.svclog', Buffer.from([
      event('b1', { time: '2024-01-01T12:00:02+02:00' }), event('b2', { time: '2024-01-01T10:00:03Z' }),
    ].join('')));
    const c = new TraceCollection();
    await openFile(c, mem, 'a.svclog');
    await openFile(c, mem, 'b.svclog');
    const all = c.query({}, 'time');
    assert.deepEqual(msgs(all.window(0, 10)), ['a3', 'a1', 'b1', 'a2', 'a4', 'b2']);
    assert.deepEqual(all.window(0, 10).map((r) => r.file), [0, 0, 1, 0, 0, 1]);
    assert.deepEqual(msgs(c.query({}, 'file').window(0, 10)), ['a1', 'a2', 'a3', 'a4', 'b1', 'b2']);
    assert.deepEqual(msgs(all.window(4, 100)), ['a4', 'b2']);
    assert.deepEqual(c.damage(), []);
  });

  it('filters by level, source, process/thread, activity, time range and text; facet counts follow the view', async () => {
    const mem = new MemoryFiles();
    const A = '{aaaaaaaa-0000-0000-0000-000000000001}';
    mem.files.set('x.svclog', Buffer.from([
      event('Connection Timeout to EXCH01', { sub: 'Error', time: '2024-01-01T10:00:00Z', source: 'Net', thread: '5' }),
      event('all good', { time: '2024-01-01T10:00:01Z', source: 'App', act: A }),
      event('retrying', { sub: 'Warning', time: '2024-01-01T10:00:02Z', source: 'Net', thread: '6', pid: 7 }),
      event('done', { time: '2024-01-01T10:00:03Z', source: 'App' }),
    ].join('')));
    const c = new TraceCollection();
    await openFile(c, mem, 'x.svclog');
    assert.deepEqual(msgs(c.query({ levels: ['Error', 'Warning'] }).window(0, 9)), ['Connection Timeout to EXCH01', 'retrying']);
    assert.deepEqual(msgs(c.query({ sources: ['App'] }).window(0, 9)), ['all good', 'done']);
    assert.deepEqual(msgs(c.query({ threads: ['6'] }).window(0, 9)), ['retrying']);
    assert.deepEqual(msgs(c.query({ processIds: [7] }).window(0, 9)), ['retrying']);
    assert.deepEqual(msgs(c.query({ activities: [A] }).window(0, 9)), ['all good']);
    assert.deepEqual(msgs(c.query({ fromMs: Date.parse('2024-01-01T10:00:01Z'), toMs: Date.parse('2024-01-01T10:00:02Z') }).window(0, 9)), ['all good', 'retrying']);
    assert.deepEqual(msgs(c.query({ from: '2024-01-01T12:00:01+02:00', to: '2024-01-01T10:00:01.0000001Z' }).window(0, 9)), ['all good']);
    assert.deepEqual(msgs(c.query({ text: 'timeout' }).window(0, 9)), ['Connection Timeout to EXCH01']);
    assert.deepEqual(msgs(c.query({ text: 'exch\\d+', regex: true }).window(0, 9)), ['Connection Timeout to EXCH01']);
    assert.deepEqual(msgs(c.query({ text: 'aaaaaaaa' }).window(0, 9)), ['all good']);
    assert.deepEqual(msgs(c.query({ text: 'net', levels: ['Warning'] }).window(0, 9)), ['retrying']);
    const f = c.facets(c.query({ sources: ['Net'] }));
    assert.equal(f.total, 2);
    assert.deepEqual(f.levels, [{ value: 'Error', count: 1 }, { value: 'Warning', count: 1 }]);
    assert.deepEqual(f.sources, [{ value: 'Net', count: 2 }]);
    assert.deepEqual(c.facets().sources, [{ value: 'App', count: 2 }, { value: 'Net', count: 2 }]);
  });

  it('opens with progress, yields the first rows early, and can be cancelled', async () => {
    const mem = new MemoryFiles();
    const many = Array.from({ length: 3000 }, (_, i) => event(`m${i}`, { time: '2024-01-01T10:00:00Z' })).join('');
    mem.files.set('big.svclog', Buffer.from(many));
    const c = new TraceCollection();
    const seen: number[] = [];
    await openFile(c, mem, 'big.svclog', { chunkSize: 200_000, firstChunkSize: 50_000, onProgress: (p) => seen.push(p.events) });
    assert.ok(seen[0] > 0 && seen[0] < 3000, `first progress ${seen[0]}`);
    assert.equal(seen[seen.length - 1], 3000);
    const signal = { aborted: false };
    const c2 = new TraceCollection();
    await assert.rejects(openFile(c2, mem, 'big.svclog', { chunkSize: 100_000, onProgress: () => { signal.aborted = true; }, signal }), /cancelled/);
    assert.ok(c2.count > 0 && c2.count < 3000);
  });
});

describe('trace follow', () => {
  it('decodes only the appended tail, completes a half-written event, and restarts after truncation or rotation', async () => {
    const mem = new MemoryFiles();
    const e1 = event('one', { time: '2024-01-01T10:00:00Z' });
    const e2 = event('two', { time: '2024-01-01T10:00:01Z' });
    const e3 = event('three', { time: '2024-01-01T10:00:02Z' });
    mem.files.set('f.svclog', Buffer.from(e1 + e2.slice(0, 100)));
    const c = new TraceCollection();
    const f = await openFile(c, mem, 'f.svclog', { keepOpen: true });
    assert.equal(c.count, 1);
    assert.deepEqual(c.damage().map((d) => d.reason), ['truncated']);
    mem.files.set('f.svclog', Buffer.from(e1 + e2 + e3));
    const readsBefore = mem.reads;
    const r1 = await followFile(c, mem, f.index, { keepOpen: true });
    assert.deepEqual(r1, { kind: 'appended', newEvents: 2 });
    assert.ok(mem.reads - readsBefore <= 3, 'reads only the head check and the tail');
    assert.deepEqual(msgs(c.query().window(0, 9)), ['one', 'two', 'three']);
    assert.deepEqual(c.damage(), []);
    assert.equal((await followFile(c, mem, f.index)).kind, 'unchanged');
    // Truncated (shorter): start over.
    mem.files.set('f.svclog', Buffer.from(e1));
    assert.deepEqual(await followFile(c, mem, f.index), { kind: 'restarted', newEvents: 1 });
    assert.deepEqual(msgs(c.query().window(0, 9)), ['one']);
    // Grows after end(): resumes after the last complete event.
    mem.files.set('f.svclog', Buffer.from(e1 + e3));
    assert.deepEqual(await followFile(c, mem, f.index), { kind: 'appended', newEvents: 1 });
    assert.deepEqual(msgs(c.query().window(0, 9)), ['one', 'three']);
    // Rotated: same size or larger, different first bytes.
    mem.files.set('f.svclog', Buffer.from(e2 + e3 + e1));
    assert.deepEqual(await followFile(c, mem, f.index), { kind: 'restarted', newEvents: 3 });
    assert.deepEqual(msgs(c.query({}, 'file').window(0, 9)), ['two', 'three', 'one']);
  });
});

describe('trace collection: whole read, settled damage, progress', () => {
  it('reads a registered file completely and reports only final damage, not the event still arriving', async () => {
    const mem = new MemoryFiles();
    const e1 = event('one', { time: '2024-01-01T10:00:00Z' });
    const e2 = event('two', { time: '2024-01-01T10:00:01Z' });
    mem.files.set('f.svclog', Buffer.from(e1 + e2.slice(0, 100)));
    const c = new TraceCollection();
    c.addFile('f.svclog');
    assert.deepEqual(c.fileProgress(0), { bytesRead: 0, done: false });
    await readWholeFile(c, mem, 0, { keepOpen: true });
    assert.equal(c.count, 1);
    assert.deepEqual(c.fileProgress(0), { bytesRead: e1.length + 100, done: false });
    assert.deepEqual(c.damage().map((d) => d.reason), ['truncated'], 'the decoder holds a provisional range');
    assert.deepEqual(c.settledDamage(), [], 'an event still arriving is not settled damage');
    await readWholeFile(c, mem, 0);
    assert.equal(c.fileProgress(0).done, true);
    assert.deepEqual(c.settledDamage().map((d) => [d.reason, d.file, d.start, d.end]), [['truncated', 0, e1.length, e1.length + 100]]);
  });
});

describe('trace follow (UTF-16)', () => {
  it('follows a growing UTF-16LE file and reads details of the appended event', async () => {
    const mem = new MemoryFiles();
    const enc = (t: string): Buffer => Buffer.from(t, 'utf16le');
    const bom = Buffer.from([0xff, 0xfe]);
    const e1 = event('eins', { time: '2024-01-01T10:00:00Z' });
    const e2 = event('zwei &amp; drei', { time: '2024-01-01T10:00:01Z' });
    const half = enc(e2).subarray(0, 301); // odd byte count: ends inside a UTF-16 code unit
    mem.files.set('u.svclog', Buffer.concat([bom, enc(e1), half]));
    const c = new TraceCollection();
    const f = await openFile(c, mem, 'u.svclog', { keepOpen: true, chunkSize: 1000, firstChunkSize: 333 });
    assert.equal(c.count, 1);
    mem.files.set('u.svclog', Buffer.concat([bom, enc(e1), enc(e2)]));
    assert.deepEqual(await followFile(c, mem, f.index, { keepOpen: true, chunkSize: 777 }), { kind: 'appended', newEvents: 1 });
    assert.deepEqual(msgs(c.query().window(0, 9)), ['eins', 'zwei & drei']);
    assert.deepEqual(c.damage(), []);
    const d = await c.details(mem, 0, 1);
    assert.equal(d.text, 'zwei & drei');
    assert.equal(c.files[0].store.offset[1], 2 + enc(e1).length);
  });
});

describe('trace details and activities on real files', () => {
  const tracelog = 'laoluolapegba__finservice__Web_tracelog.svclog';

  it('details: System fields, TraceRecord, exception chain with stack traces, raw and pretty XML', async () => {
    const mem = new MemoryFiles();
    mem.files.set(tracelog, fx(tracelog));
    const c = new TraceCollection();
    await openFile(c, mem, tracelog);
    const errors = c.query({ levels: ['Error'] }, 'file');
    assert.equal(errors.length, 6);
    let withException = 0;
    for (let i = 0; i < errors.length; i++) {
      const d = await c.details(mem, errors.files[i], errors.rows[i]);
      assert.equal(d.errors.length, 0);
      assert.equal(d.system.level, 'Error');
      assert.equal(d.system.source, errors.row(i)!.source);
      assert.equal(d.traceRecord?.description !== undefined, true);
      assert.ok(d.rawXml.startsWith('<E2ETraceEvent') && d.rawXml.endsWith('</E2ETraceEvent>'));
      assert.ok(d.prettyXml.includes('\n  <System'));
      if (d.exceptions.length) {
        withException++;
        assert.ok(d.exceptions[0].type.length > 0);
        assert.ok(d.exceptions[0].stackTrace.includes('\n'), 'stack trace keeps its line breaks');
      }
    }
    assert.ok(withException > 0);
  });

  it('details: message log with SOAP headers and body pretty-printed, prefixes kept bound', () => {
    const bytes = fx('ALM-Rangers__Sample-Code__OutParameter.svclog');
    const d = parseEventDetails(bytes.subarray(3));
    assert.equal(d.applicationDataKind, 'messageLog');
    const m = d.messageLog!;
    assert.ok(m.source.length > 0);
    assert.ok(m.action.length > 0);
    assert.ok(m.headers.length > 0);
    for (const h of m.headers) {
      const prefix = /^<([\w.-]+):/.exec(h.xml)?.[1];
      if (prefix) assert.match(h.xml, new RegExp(`xmlns:${prefix}=`), `${h.name} keeps ${prefix} bound`);
    }
    assert.ok(m.bodyXml.length > 0);
    assert.ok(m.messageXml.includes('Envelope'));
  });

  it('activities: grouped by id, transfers as edges, Start/Stop bounds, names from Start', async () => {
    const mem = new MemoryFiles();
    mem.files.set(tracelog, fx(tracelog));
    const c = new TraceCollection();
    await openFile(c, mem, tracelog);
    const g = buildActivities(c);
    const transfers = c.query({ levels: ['Transfer'] }).length;
    assert.equal(g.edges.length, transfers);
    assert.equal(g.activities.reduce((n, a) => n + a.events, 0), c.count);
    const named = g.activities.filter((a) => a.name !== '');
    assert.ok(named.length > 0);
    const bounded = g.activities.find((a) => a.starts > 0 && a.stops > 0)!;
    assert.ok(bounded.durationMs >= 0);
    assert.equal(bounded.durationMs, bounded.stopMs - bounded.startMs);
    for (const e of g.edges) assert.ok(g.activities.some((a) => a.id === e.to));
    const child = g.activities.find((a) => a.parent !== '' && !a.isRoot)!;
    assert.ok(g.activities.find((a) => a.id === child.parent)!.transfersTo.includes(child.id));
  });

  it('activities from synthetic Suspend/Resume: suspended time is summed', async () => {
    const A = '{aaaaaaaa-0000-0000-0000-000000000002}';
    const mem = new MemoryFiles();
    mem.files.set('s.svclog', Buffer.from([
      event('Do work', { sub: 'Start', time: '2024-01-01T10:00:00Z', act: A }),
      event('', { sub: 'Suspend', time: '2024-01-01T10:00:01Z', act: A }),
      event('', { sub: 'Resume', time: '2024-01-01T10:00:04Z', act: A }),
      event('', { sub: 'Stop', time: '2024-01-01T10:00:10Z', act: A }),
    ].join('')));
    const c = new TraceCollection();
    await openFile(c, mem, 's.svclog');
    const a = buildActivities(c).activities.find((x) => x.id === A)!;
    assert.equal(a.name, 'Do work');
    assert.equal(a.durationMs, 10_000);
    assert.equal(a.suspendedMs, 3_000);
  });
});
