import * as assert from 'node:assert/strict';
import { appendPart, decodeRange, POOL_NAMES } from '../../src/trace/parallel';
import { fromWire, toWire } from '../../src/trace/partWire';
import { TracePools, TraceStore } from '../../src/trace/store';
import { tableArray } from '../../src/trace/packedStrings';
import type { FileAccess } from '../../src/trace/types';

// A worker's part crosses to the host as buffers (columns and packed string tables, transferred): the host reads the
// same strings back, merges them by their bytes, and refuses a table that does not hold together.

function event(i: number, message: string, activity: string): string {
  return `<E2ETraceEvent xmlns="http://schemas.microsoft.com/2004/06/E2ETraceEvent"><System xmlns="http://schemas.microsoft.com/2004/06/windows/eventlog/system"><EventID>${i}</EventID><Type>3</Type><SubType Name="Information">0</SubType><Level>8</Level><TimeCreated SystemTime="2024-01-02T03:04:05.1234567Z" /><Source Name="S${i % 3}" /><Correlation ActivityID="${activity}" /><Execution ProcessName="p" ProcessID="1" ThreadID="${i % 4}" /><Channel/><Computer>C</Computer></System><ApplicationData>${message}</ApplicationData></E2ETraceEvent>`;
}

function memoryAccess(text: string): FileAccess {
  const b = Buffer.from(text, 'utf8');
  return { size: async () => b.length, read: async (_p, o, l) => b.subarray(o, o + l) };
}

describe('trace engine: a part over the wire', () => {
  const text = Array.from({ length: 300 }, (_, i) => event(i, i % 2 ? `Grüße ${i} \u2603 &amp; more` : `plain ${i % 7}`, `{${String(i % 11).padStart(8, '0')}-0000-0000-0000-000000000000}`)).join('');
  const task = { path: 'm', start: 0, end: Buffer.byteLength(text), encoding: 'utf-8' as const, bom: 0, qname: 'E2ETraceEvent' };

  it('carries the same strings, in buffers that can be transferred, and merges by bytes into a pool with the same values', async () => {
    const part = await decodeRange(memoryAccess(text), task);
    const { wire, transfer } = toWire(part);
    assert.equal(new Set(transfer).size, transfer.length, 'each buffer once');
    for (const t of transfer) assert.ok(t instanceof ArrayBuffer);
    const back = fromWire(structuredClone(wire, { transfer }));
    for (const name of POOL_NAMES) assert.deepEqual(tableArray(back.pools[name]), tableArray(part.pools[name]), name);
    // Merged into a store that already has some of the same activities and sources: each value keeps one id.
    const again = await decodeRange(memoryAccess(text), task);
    const store = new TraceStore(new TracePools());
    appendPart(store, again);
    const sizes = POOL_NAMES.map((n) => store.pools[n].size);
    appendPart(store, back);
    assert.equal(store.count, 600);
    assert.equal(store.pools.activity.size, sizes[POOL_NAMES.indexOf('activity')], 'no new activity ids');
    assert.equal(store.pools.source.size, sizes[POOL_NAMES.indexOf('source')], 'no new source ids');
    const fields = (r: number): unknown => { const x = store.row(r); return [x.source, x.activityId, x.message, x.process, x.threadId, x.computer, x.eventId]; };
    for (let r = 0; r < 300; r++) assert.deepEqual(fields(r + 300), fields(r), `row ${r}`);
  });

  it('refuses a table whose lengths do not add up to its text', async () => {
    const part = await decodeRange(memoryAccess(text), task);
    const { wire } = toWire(part);
    const lengths = wire.pools.message.lengths.slice();
    lengths[1] += 1;
    assert.throws(() => fromWire({ ...wire, pools: { ...wire.pools, message: { ...wire.pools.message, lengths } } }), /damaged message table/);
  });
});
