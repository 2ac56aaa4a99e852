import * as assert from 'node:assert/strict';
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
