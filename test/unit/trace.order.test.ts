import * as assert from 'node:assert/strict';
import { TraceCollection } from '../../src/trace/index';

// Time order while a file is read: the order grows with the rows without sorting again when instants do not decrease,
// and is the stable sort of every row (unparseable times keep their place) in every case.

function event(time: string, i: number): string {
  return `<E2ETraceEvent xmlns="http://schemas.microsoft.com/2004/06/E2ETraceEvent"><System xmlns="http://schemas.microsoft.com/2004/06/windows/eventlog/system"><EventID>${i}</EventID><Type>3</Type><SubType Name="Information">0</SubType><Level>8</Level><TimeCreated SystemTime="${time}" /><Source Name="S" /><Correlation ActivityID="{00000000-0000-0000-0000-000000000000}" /><Execution ProcessName="p" ProcessID="1" ThreadID="1" /><Channel/><Computer>C</Computer></System><ApplicationData>m${i}</ApplicationData></E2ETraceEvent>`;
}

/** The stable sort the engine promises, written plainly. */
function expected(c: TraceCollection): number[] {
  const s = c.files[0].store;
  const eff: Array<[number, number, number]> = [];
  let pm = -8.64e15, pt = 0;
  for (let r = 0; r < s.count; r++) {
    if (Number.isFinite(s.ms[r])) { pm = s.ms[r]; pt = s.ticks[r]; }
    eff.push([pm, pt, r]);
  }
  return eff.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]).map((x) => x[2]);
}

describe('trace engine: time order while rows arrive', () => {
  it('grows in file order for rising times, sorts once a time goes back, starts over after a reset', () => {
    const c = new TraceCollection();
    const f = c.addFile('x');
    const times: string[] = [];
    for (let i = 0; i < 60; i++) times.push(`2024-01-02T03:04:${String(i).padStart(2, '0')}.000000${i % 10}Z`);
    times[7] = 'not a time';
    times[8] = times[6]; // equal instants keep file order
    const feed = (from: number, to: number, list = times): void => { for (let i = from; i < to; i++) f.decoder.push(Buffer.from(event(list[i], i))); };
    const check = (label: string): void => assert.deepEqual([...c.timeOrder().rows], expected(c), label);
    feed(0, 10); check('first rows');
    const first = c.timeOrder();
    feed(10, 30); check('more rising rows');
    assert.deepEqual([...first.rows], [...Array(first.rows.length).keys()], 'an earlier order keeps its rows');
    f.decoder.push(Buffer.from(event('2024-01-02T03:04:05.0000000Z', 30))); check('a time that goes back');
    feed(31, 45); check('rising again after a jump back');
    assert.deepEqual([...c.query({}, 'time').rows], expected(c), 'query uses the same order');
    c.resetFile(0);
    c.files[0].decoder.push(Buffer.from(times.slice(0, 20).map((t, i) => event(t, i)).join('')));
    check('after a reset');
  });
});
