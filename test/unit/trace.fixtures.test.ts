import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { decodeBuffer, formatInstant, LEVEL_NAMES, oneLine, parseTime, type TraceDecoder } from '../../src/trace/index';
import { fixtureDir, fixtureFiles } from './helpers/traceFiles';

// ---------------------------------------------------------------------------------------------------------------
// The real files: test/fixtures/svclog (all of them; their sources are in its MANIFEST.md). Tests read only the
// repository.



// ---------------------------------------------------------------------------------------------------------------
// The independent slow path: saxes (a conforming XML parser) over the whole file as a fragment, a small DOM per
// event, and the list-field rules written out plainly.

interface El { local: string; attrs: Record<string, string>; children: Array<El | string> }

function saxesEvents(text: string): El[] {
  const parser = new SaxesParser({ xmlns: true, fragment: true });
  const events: El[] = [];
  const stack: El[] = [];
  parser.on('opentag', (t) => {
    const attrs: Record<string, string> = {};
    for (const a of Object.values(t.attributes)) {
      const at = a as { local: string; prefix: string; value: string };
      if (at.prefix === 'xmlns' || (at.prefix === '' && at.local === 'xmlns')) continue;
      attrs[at.local] = at.value;
    }
    const el: El = { local: t.local ?? t.name, attrs, children: [] };
    if (stack.length) stack[stack.length - 1].children.push(el);
    stack.push(el);
  });
  parser.on('closetag', () => {
    const el = stack.pop()!;
    if (stack.length === 0 && el.local === 'E2ETraceEvent') events.push(el);
  });
  parser.on('text', (t) => { if (stack.length) stack[stack.length - 1].children.push(t); });
  parser.on('cdata', (t) => { if (stack.length) stack[stack.length - 1].children.push(t); });
  parser.write(text).close();
  return events;
}

const kids = (el: El | undefined): El[] => (el ? el.children.filter((c): c is El => typeof c !== 'string') : []);
const child = (el: El | undefined, local: string): El | undefined => kids(el).find((c) => c.local === local);
const text = (el: El | string | undefined): string => (el === undefined ? '' : typeof el === 'string' ? el : el.children.map(text).join(''));
const own = (el: El): string => el.children.filter((c): c is string => typeof c === 'string').join('');
function desc(el: El | undefined, local: string): El | undefined {
  for (const c of kids(el)) {
    if (c.local === local) return c;
    const d = desc(c, local);
    if (d) return d;
  }
  return undefined;
}

export interface SlowFields {
  time: string; instant: string; level: string; eventId: number; source: string; activityId: string; relatedActivityId: string;
  process: string; processId: number; threadId: string; computer: string; message: string; name: string;
}

const NUM_LEVEL: Record<number, string> = { 1: 'Critical', 2: 'Error', 4: 'Warning', 8: 'Information', 16: 'Verbose' };

export function slowFields(ev: El): SlowFields {
  const sys = child(ev, 'System');
  const a = (l: string, n: string): string => child(sys, l)?.attrs[n] ?? '';
  const subType = a('SubType', 'Name');
  const levelNum = parseInt(text(child(sys, 'Level')).trim(), 10);
  const level = LEVEL_NAMES.includes(subType) && subType !== 'Unknown' ? subType : NUM_LEVEL[levelNum] ?? 'Unknown';
  let message = '';
  let name = '';
  const app = child(ev, 'ApplicationData');
  if (app) {
    const direct = own(app);
    let el: El | undefined = kids(app)[0];
    if (direct.trim() !== '') { message = oneLine(direct); el = undefined; }
    if (el && el.local === 'TraceData') {
      const di = kids(el)[0];
      el = undefined;
      if (di && di.local === 'DataItem') {
        const rec = kids(di)[0];
        if (rec && own(di).trim() === '') el = rec; else message = oneLine(text(di));
      }
    }
    if (el && el.local === 'TraceRecord') {
      message = oneLine(text(desc(el, 'Description')));
      if (subType === 'Start') name = oneLine(text(desc(el, 'ActivityName')));
    } else if (el && el.local === 'MessageLogTraceRecord') {
      const src = el.attrs.Source ?? '';
      let action = text(desc(el, 'Action')).trim();
      if (!action) action = kids(desc(el, 'Body'))[0]?.local ?? '';
      if (!action) action = text(desc(el, 'Method')).trim();
      message = oneLine(action ? `${src} ${action}` : src);
    }
    if (subType === 'Start' && !name && message && !(el && (el.local === 'TraceRecord' || el.local === 'MessageLogTraceRecord'))) name = message;
  }
  const time = a('TimeCreated', 'SystemTime');
  const t = parseTime(time);
  return {
    time,
    instant: Number.isFinite(t.ms) ? formatInstant(t.ms, t.ticks) : '',
    level,
    eventId: parseInt(text(child(sys, 'EventID')).trim() || '0', 10),
    source: a('Source', 'Name'),
    activityId: a('Correlation', 'ActivityID'),
    relatedActivityId: a('Correlation', 'RelatedActivityID'),
    process: a('Execution', 'ProcessName'),
    processId: parseInt(a('Execution', 'ProcessID') || '0', 10),
    threadId: a('Execution', 'ThreadID'),
    computer: text(child(sys, 'Computer')).trim(),
    message,
    name,
  };
}

export function slowDecode(bytes: Buffer): SlowFields[] {
  return saxesEvents(new TextDecoder('utf-8').decode(bytes)).map(slowFields);
}

/** The engine's rows in the same shape. */
export function fastFields(d: TraceDecoder): SlowFields[] {
  const s = d.store;
  const names = new Map<string, string>();
  for (const [act, n] of s.activityNames) names.set(s.pools.activity.get(act), s.pools.names.get(n));
  const out: SlowFields[] = [];
  const seenStart = new Set<string>();
  for (let i = 0; i < s.count; i++) {
    const r = s.row(i);
    let name = '';
    if (r.level === 'Start' && !seenStart.has(r.activityId)) { seenStart.add(r.activityId); name = names.get(r.activityId) ?? ''; }
    out.push({
      time: r.time, instant: Number.isFinite(r.instantMs) ? formatInstant(r.instantMs, r.instantTicks) : '', level: r.level,
      eventId: r.eventId, source: r.source, activityId: r.activityId, relatedActivityId: r.relatedActivityId, process: r.process,
      processId: r.processId, threadId: r.threadId, computer: r.computer, message: r.message, name,
    });
  }
  return out;
}

/** Slow-path names only on the first Start of each activity, like the store keeps them. */
function firstStartNames(rows: SlowFields[]): SlowFields[] {
  const seen = new Set<string>();
  return rows.map((r) => {
    if (r.level !== 'Start' || seen.has(r.activityId)) return { ...r, name: '' };
    seen.add(r.activityId);
    return r;
  });
}

describe('trace engine on the real fixture files (fast path vs saxes)', () => {
  it('finds the fixture folder', () => {
    assert.ok(fixtureFiles.length >= 4, `fixtures in ${fixtureDir}`);
  });

  for (const name of fixtureFiles) {
    it(`${name}: same events and fields as saxes`, () => {
      const bytes = readFileSync(join(fixtureDir, name));
      const slow = firstStartNames(slowDecode(bytes));
      for (const chunkSize of [1 << 20, 4093]) {
        const d = decodeBuffer(bytes, { chunkSize });
        assert.deepEqual(d.damage, [], 'no damage in a real file');
        const fast = fastFields(d);
        assert.equal(fast.length, slow.length, 'event count');
        for (let i = 0; i < fast.length; i++) assert.deepEqual(fast[i], slow[i], `event ${i} (chunk ${chunkSize})`);
        // Every event's byte range is exactly one element, and parsing that range alone gives the same fields.
        for (let i = 0; i < d.store.count; i++) {
          const ev = bytes.subarray(d.store.offset[i], d.store.offset[i] + d.store.length[i]);
          assert.match(ev.subarray(0, 15).toString('latin1'), /^<E2ETraceEvent[\s>]/);
          assert.match(ev.subarray(ev.length - 16).toString('latin1'), /<\/E2ETraceEvent>$/);
          if (i % 50 === 0) assert.deepEqual(firstStartNames(slowDecode(ev))[0].message, slow[i].message);
        }
      }
    });
  }
});
