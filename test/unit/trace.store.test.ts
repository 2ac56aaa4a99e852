import * as assert from 'node:assert/strict';
import { TraceCollection, pump } from '../../src/trace/collection';
import { StringPool } from '../../src/trace/pool';
import { TracePools, TraceStore, newScratch } from '../../src/trace/store';

// The store's columns grow with the file: reserved at the density read so far (a few growths, each copying every
// column, instead of a dozen), and trimmed at the end only when noticeably too long.

function filled(rows: number): TraceStore {
  const s = new TraceStore(new TracePools());
  const e = newScratch();
  for (let i = 0; i < rows; i++) { e.offset = i * 1000; e.length = 1000; s.push(e); }
  return s;
}

describe('trace store: column growth', () => {
  it('reserves nothing before 1 MiB is read, nor at the end of the file', () => {
    const s = filled(500);
    const before = s.capacity;
    s.reserveAtDensity(512 << 10, 100 << 20);
    assert.equal(s.capacity, before, 'a sample under 1 MiB');
    s.reserveAtDensity(100 << 20, 100 << 20);
    assert.equal(s.capacity, before, 'the whole file is read');
  });

  it('reserves the rest of the file at the density so far, growing at most fourfold per step', () => {
    // 1,000 rows in 1 MiB of a 100 MiB file: about 100,000 rows in all.
    const s = filled(1000);
    const first = s.capacity;
    s.reserveAtDensity(1 << 20, 100 << 20);
    assert.equal(s.capacity, first * 4, 'fourfold at most');
    let steps = 1;
    for (let k = 0; k < 20 && s.capacity < 100_000; k++) { s.reserveAtDensity(1 << 20, 100 << 20); steps++; }
    assert.ok(steps <= 4, `${steps} steps to room for the file`);
    assert.ok(s.capacity >= 100_000 && s.capacity <= Math.ceil(100_000 * 1.05) + 1, `${s.capacity} rows of room`);
    // Reading the file at that density then needs no further growth.
    const cap = s.capacity, e = newScratch();
    while (s.count < 100_000) s.push(e);
    assert.equal(s.capacity, cap);
  });

  it('trims at the end only when the columns are over 10% longer than the rows', () => {
    const slack = filled(10_000);
    slack.reserveAtDensity(1 << 20, 2 << 20);
    assert.ok(slack.capacity >= 20_000);
    slack.trim();
    assert.equal(slack.capacity, 10_000, 'trimmed');
    const close = new TraceStore(new TracePools(), 10_800);
    const e = newScratch();
    for (let i = 0; i < 10_000; i++) close.push(e);
    close.trim();
    assert.equal(close.capacity, 10_800, 'within 10%: kept');
    for (let r = 0; r < slack.count; r++) assert.equal(slack.offset[r], r * 1000, 'rows kept through the trim');
  });
});

describe('trace string pool: one id per value without a string table while decoding', () => {
  const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');
  it('values read from bytes get one id each, whatever way a value comes later', () => {
    const p = new StringPool();
    const a = bytes('{00000000-0000-0000-0000-000000000001}'), b = bytes('{00000000-0000-0000-0000-000000000002}');
    const ia = p.internBytes(a, 0, a.length), ib = p.internBytes(b, 0, b.length);
    assert.notEqual(ia, ib);
    assert.equal(p.internBytes(a, 0, a.length), ia, 'again from bytes');
    assert.equal(p.find('{00000000-0000-0000-0000-000000000001}'), ia, 'found by text (the table is built when asked)');
    assert.equal(p.intern('{00000000-0000-0000-0000-000000000002}'), ib, 'interned as text');
    // A plain value that comes as text first, then as bytes: still one id.
    const c = p.intern('plain value');
    assert.equal(p.internBytes(bytes('plain value'), 0, 11), c);
    // An entity that decodes to a plain value already read from bytes.
    const x = p.internBytes(bytes('X'), 0, 1);
    assert.equal(p.internBytes(bytes('&#88;'), 0, 5), x);
    assert.equal(p.size, 5, `${p.size - 1} distinct values and ''`);
    assert.equal(p.intern(''), 0);
  });

  it('a pool of values that need not be unique stops looking up when nearly every value is new', () => {
    const p = new StringPool(true);
    for (let i = 0; i < 20_000; i++) { const v = bytes(`message ${i}`); p.internBytes(v, 0, v.length); }
    const before = p.size;
    const again = bytes('message 19999');
    const id = p.internBytes(again, 0, again.length);
    assert.equal(p.size, before + 1, 'a repeated value gets a new id once looking up stopped');
    assert.equal(p.get(id), 'message 19999');
    const q = new StringPool(true);
    for (let i = 0; i < 20_000; i++) { const v = bytes(`message ${i % 10}`); q.internBytes(v, 0, v.length); }
    assert.equal(q.size, 11, 'repeated values keep one id each');
  });
});

describe('trace store: room for the whole file while its first range is read', () => {
  it('a first range read with the file size in view reserves columns for every row of the file', async () => {
    const ev = (i: number): string => `<E2ETraceEvent xmlns="http://schemas.microsoft.com/2004/06/E2ETraceEvent"><System xmlns="http://schemas.microsoft.com/2004/06/windows/eventlog/system"><EventID>${i}</EventID><Type>3</Type><SubType Name="Information">0</SubType><Level>8</Level><TimeCreated SystemTime="2024-01-02T03:04:05.1234567Z" /><Source Name="S" /><Correlation ActivityID="{00000000-0000-0000-0000-000000000001}" /><Execution ProcessName="p" ProcessID="1" ThreadID="1" /><Channel/><Computer>C</Computer></System><ApplicationData>message number ${i}</ApplicationData></E2ETraceEvent>`;
    const text = Buffer.from(Array.from({ length: 12_000 }, (_, i) => ev(i)).join(''), 'utf8');
    const access = { size: async () => text.length, read: async (_p: string, o: number, l: number) => text.subarray(o, o + l) };
    const half = Math.floor(text.length / 2);
    const c = new TraceCollection();
    const f = c.addFile('m');
    await pump(f, access, 0, half, { densityTotal: text.length, yieldBetweenChunks: false });
    assert.ok(f.store.count < 7_000, `${f.store.count} rows read`);
    assert.ok(f.store.capacity >= 12_000 && f.store.capacity <= 12_000 * 1.1, `room for ${f.store.capacity} rows`);
    const only = new TraceCollection();
    const g = only.addFile('m');
    await pump(g, access, 0, half, { yieldBetweenChunks: false });
    assert.ok(g.store.capacity < 8_000, `without it, room for the range only: ${g.store.capacity}`);
  });
});
