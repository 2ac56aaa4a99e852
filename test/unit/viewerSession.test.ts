// ViewerSession (the host side of the trace viewer) against the engine: rows, filters, find, details, activities,
// damage, not-a-trace and merged files. Following, export, progress and the request protocol: viewerSessionLive.test.ts.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildActivities } from '../../src/trace';
import { nodeAccess, traceEvent } from '../webview/nodeAccess';
import { ALL, MESSAGES, TRACELOG, engine, session } from './viewerSessionFixture';

describe('ViewerSession (host side of the trace viewer)', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'viewer-session-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const tracelog = TRACELOG;
  const messages = MESSAGES;

  it('decodes a fixture and answers getRows windows with the engine\'s rows and count', async () => {
    const { s, posted } = session([tracelog]);
    await s.start();
    const c = await engine([tracelog]);
    const view = c.query({}, 'time');
    const init = (await s.handle({ type: 'ready' }), posted.find((m) => m.type === 'init'));
    assert.ok(init && init.type === 'init');
    assert.equal(init.init.view.total, view.length);
    assert.equal(init.init.view.totalEvents, c.count);
    assert.equal(init.init.progress.done, true);
    const r = await s.request('getRows', { start: 100, count: 50, version: init.init.view.version });
    assert.equal(r.rows.length, 50);
    assert.equal(r.start, 100);
    const expected = view.window(100, 50);
    // Transfer rows without a message say where they go (the target's name or label).
    assert.deepEqual(r.rows.map((x) => [x.index, x.time, x.level, x.activityId, x.level === 'Transfer' && x.message.startsWith('\u2192 ') ? '' : x.message]),
      expected.map((x) => [x.index, x.time, x.level, x.activityId, x.message]));
    const transfers = r.rows.filter((x) => x.level === 'Transfer');
    assert.ok(transfers.length > 0 && transfers.every((x) => /^\u2192 \S/.test(x.message)), 'every Transfer row names its target');
    const tail = await s.request('getRows', { start: view.length - 3, count: 100, version: 0 });
    assert.equal(tail.rows.length, 3);
    const big = await s.request('getRows', { start: 0, count: 100_000, version: 0 });
    assert.equal(big.rows.length, Math.min(1000, view.length), 'at most 1000 rows per request');
  });

  it('filters by level, source, process, thread, activity, time and text with the engine\'s counts; facets count every event', async () => {
    const { s } = session([tracelog]);
    await s.start();
    const c = await engine([tracelog]);
    const errors = await s.request('setFilter', { filter: { ...ALL, levels: ['Error'] } });
    assert.equal(errors.total, c.query({ levels: ['Error'] }).length);
    assert.ok(errors.total > 0);
    assert.equal(errors.facets.levels.find((l) => l.value === 'Error')?.count, errors.total);
    const warnErr = await s.request('setFilter', { filter: { ...ALL, levels: ['Error', 'Warning'] } });
    assert.equal(warnErr.total, c.query({ levels: ['Error', 'Warning'] }).length);
    const rows = await s.request('getRows', { start: 0, count: 1000, version: warnErr.version });
    assert.ok(rows.rows.every((r) => r.level === 'Error' || r.level === 'Warning'));
    // Threads and processes are picked per process run (PID): keys from the facets.
    const thread = c.facets().processThreads[0];
    const [tpid, tid] = [Number(thread.value.split(':')[0]), thread.value.slice(thread.value.indexOf(':') + 1)];
    const threadRows = c.query({}).window(0, c.count).filter((r) => r.processId === tpid && r.threadId === tid).length;
    assert.equal((await s.request('setFilter', { filter: { ...ALL, threads: [thread.value] } })).total, threadRows);
    assert.equal(threadRows, thread.count);
    const proc = c.facets().processRuns[0];
    const procRows = c.query({}).window(0, c.count).filter((r) => `${r.processId}:${r.process}` === proc.value).length;
    assert.equal((await s.request('setFilter', { filter: { ...ALL, processes: [proc.value] } })).total, procRows);
    assert.ok(procRows < c.count, 'one run of the process, not all of them');
    // The text is searched in the whole event: every event whose XML holds it (case-insensitive).
    const xml = await Promise.all(c.query({}).window(0, c.count).map(async (r) => (await c.details(nodeAccess, r.file, r.row)).rawXml.toLowerCase()));
    assert.equal((await s.request('setFilter', { filter: { ...ALL, text: 'exception' } })).total, xml.filter((x) => x.includes('exception')).length);
    assert.equal((await s.request('setFilter', { filter: { ...ALL, text: 'throw.*exception', regex: true } })).total, xml.filter((x) => /throw.*exception/i.test(x)).length);
    const act = buildActivities(c).activities.find((a) => a.events > 3 && !a.isRoot)!;
    assert.equal((await s.request('setFilter', { filter: { ...ALL, activityId: act.id } })).total, c.query({ activities: [act.id] }).length);
    const all = c.query({}).window(0, 1)[0];
    const from = all.time;
    const to = new Date(all.instantMs + 60_000).toISOString();
    const ranged = await s.request('setFilter', { filter: { ...ALL, from, to } });
    assert.equal(ranged.total, c.query({ from, to }).length);
    assert.ok(ranged.total > 0);
    const upTo = await s.request('setFilter', { filter: { ...ALL, to: from } });
    assert.ok(upTo.total >= 1, '"to" an event\'s own time (with 100 ns digits) includes that event');
    await assert.rejects(s.request('setFilter', { filter: { ...ALL, from: 'yesterday-ish' } }), /from/);
    await assert.rejects(s.request('setFilter', { filter: { ...ALL, text: '(', regex: true } }));
    assert.equal(s.currentFilter.to, from, 'a refused filter leaves the previous one in place');
  });

  it('finds next and previous matches, wrapping, and answers -1 when nothing matches', async () => {
    const { s } = session([tracelog]);
    await s.start();
    const c = await engine([tracelog]);
    const v = c.query({});
    const positions: number[] = [];
    const rows = v.window(0, v.length);
    for (let i = 0; i < rows.length; i++) {
      if ((await c.details(nodeAccess, rows[i].file, rows[i].row)).rawXml.toLowerCase().includes('throwing an exception')) positions.push(i);
    }
    const first = await s.find('throwing an exception', false, -1, 1);
    assert.equal(first, positions[0]);
    assert.equal(await s.find('throwing an exception', false, first, 1), positions[1]);
    assert.equal(await s.find('throwing an exception', false, first, -1), positions[positions.length - 1], 'wraps backwards');
    assert.equal(await s.find('no such text anywhere 12345', false, 0, 1), -1);
    const counted = await s.request('find', { text: 'throwing an exception', regex: false, from: first, direction: 1 });
    assert.deepEqual(counted, { index: positions[1], count: positions.length, ordinal: 2 });
  });

  it('gives details with the exception chain, message view sections and raw XML; copy as XML/JSON', async () => {
    const { s } = session([tracelog]);
    await s.start();
    const view = await s.request('setFilter', { filter: { ...ALL, levels: ['Error'] } });
    const d = await s.request('getDetails', { index: 0 });
    assert.equal(view.total > 0, true);
    const ex = d.sections.find((x) => x.kind === 'exception');
    assert.ok(ex, 'an exception section');
    assert.match(ex.children![0].title, /EndpointNotFoundException/);
    assert.match(ex.children![0].text!, /at System\.ServiceModel/);
    assert.match(d.rawXml, /^<E2ETraceEvent/);
    const xml = await s.eventXml(0);
    assert.equal(xml, d.rawXml);
    const json = JSON.parse(await s.eventJson(0)) as { system: { level: string }; exceptions: unknown[] };
    assert.equal(json.system.level, 'Error');
    assert.ok(json.exceptions.length >= 1);
    await assert.rejects(s.request('getDetails', { index: view.total + 5 }));

    const m = session([messages]);
    await m.s.start();
    const md = await m.s.request('getDetails', { index: 0 });
    const msg = md.sections.find((x) => x.kind === 'message');
    assert.ok(msg, 'a message section for a message-log record');
    assert.ok(msg.children!.some((c) => c.title === 'SOAP body' || c.title === 'SOAP headers'));
  });

  it('lists activities with counts, durations and transfers, and locates an activity\'s first event', async () => {
    const { s } = session([tracelog]);
    await s.start();
    const c = await engine([tracelog]);
    const g = buildActivities(c);
    const { activities } = await s.request('getActivities', {});
    assert.equal(activities.length, g.activities.length);
    const named = activities.find((a) => a.name && a.durationMs !== undefined)!;
    assert.ok(named);
    const src = g.activities.find((a) => a.id === named.id)!;
    assert.equal(named.events, src.events);
    assert.ok(activities.some((a) => a.transfersTo.length > 0));
    assert.ok(activities.some((a) => a.parent !== undefined));
    // The parent links have no cycle.
    const byId = new Map(activities.map((a) => [a.id, a]));
    for (const a of activities) {
      const seen = new Set<string>();
      for (let cur: string | undefined = a.id; cur; cur = byId.get(cur)?.parent) { assert.ok(!seen.has(cur), 'cycle'); seen.add(cur); }
    }
    const index = await s.request('locateActivity', { activityId: named.id });
    const row = (await s.request('getRows', { start: index.index, count: 1, version: 0 })).rows[0];
    assert.equal(row.activityId, named.id);
    assert.equal(row.activityName, named.name, 'rows carry their activity\'s name');
    assert.equal((await s.request('locateActivity', { activityId: '{nope}' })).index, -1);
    // Step through the activity (F10 forward, F9 back): every event of it in the view, in order, then -1.
    const all = (await s.request('getRows', { start: 0, count: 1000, version: 0 })).rows;
    const expected = c.query({}).window(0, c.count).filter((r) => r.activityId === named.id).map((r) => r.index);
    const walked = [index.index];
    for (let i = index.index; ;) { i = (await s.request('stepActivity', { from: i, direction: 1 })).index; if (i < 0) break; walked.push(i); }
    assert.deepEqual(walked, expected);
    assert.ok(walked.length > 1 && all.length > 0);
    assert.equal((await s.request('stepActivity', { from: walked[1], direction: -1 })).index, walked[0]);
    assert.equal((await s.request('stepActivity', { from: walked[0], direction: -1 })).index, -1, 'no wrapping at the start');
  });

  it('shows damaged ranges as marked rows (with the reason) after the event before them', async () => {
    const path = join(dir, 'damaged.svclog');
    const e = (i: number): string => traceEvent({ time: `2024-01-01T00:00:0${i}.0000000Z`, description: `event ${i}` });
    writeFileSync(path, `${e(1)}GARBAGE-BYTES${e(2)}${e(3).slice(0, 120)}`);
    const { s, posted } = session([path]);
    await s.start();
    await s.handle({ type: 'ready' });
    const init = posted.find((m) => m.type === 'init');
    assert.ok(init && init.type === 'init');
    assert.ok(posted.some((m) => m.type === 'damage' && m.ranges.length >= 2));
    const rows = (await s.request('getRows', { start: 0, count: 10, version: 0 })).rows;
    assert.deepEqual(rows.map((r) => (r.damage ? `damage:${r.damage.reason}` : r.message)), ['event 1', 'damage:garbage', 'event 2', 'damage:truncated']);
    assert.match(rows[1].message, /bytes \d+/);
    const d = await s.request('getDetails', { index: 1 });
    assert.equal(d.sections[0].kind, 'damage');
    assert.equal(d.rawXml, 'GARBAGE-BYTES');
    assert.equal(await s.eventXml(1), 'GARBAGE-BYTES');
    assert.equal(await s.find('event 2', false, 1, 1), 2, 'find skips damage rows');
    const errorsOnly = await s.request('setFilter', { filter: { ...ALL, levels: ['Information'] } });
    assert.equal(errorsOnly.total, 2, 'a narrowing filter leaves damage rows out');
    const noDamage = await s.request('setFilter', { filter: { ...ALL, showDamage: false } });
    assert.equal(noDamage.total, 2);
  });

  it('says not-a-trace for a file without events (re-sending init) and calls the reopen hook', async () => {
    const path = join(dir, 'picture.svclog');
    writeFileSync(path, Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'));
    let reopened = 0;
    const { s, posted } = session([path], { hooks: { reopenAsText: () => { reopened++; } } });
    await s.handle({ type: 'ready' });
    await s.start();
    const inits = posted.filter((m) => m.type === 'init');
    assert.equal(inits.length, 2);
    const last = inits[1];
    assert.ok(last.type === 'init' && last.init.notATrace === true);
    await s.handle({ type: 'reopenAsText' });
    assert.equal(reopened, 1);
  });

  it('merges several files by time with a file index per row', async () => {
    const a = join(dir, 'a.svclog');
    const b = join(dir, 'b.svclog');
    writeFileSync(a, [1, 3, 5].map((i) => traceEvent({ time: `2024-01-01T00:00:0${i}Z`, description: `a${i}` })).join(''));
    writeFileSync(b, [2, 4].map((i) => traceEvent({ time: `2024-01-01T00:00:0${i}Z`, description: `b${i}` })).join(''));
    const { s, posted } = session([a, b]);
    await s.handle({ type: 'ready' });
    await s.start();
    const rows = (await s.request('getRows', { start: 0, count: 10, version: 0 })).rows;
    assert.deepEqual(rows.map((r) => `${r.message}@${r.file}`), ['a1@0', 'b2@1', 'a3@0', 'b4@1', 'a5@0']);
    const init = posted.find((m) => m.type === 'init');
    assert.ok(init && init.type === 'init' && init.init.files.length === 2);
  });

});
