// Columnar per-file event index: typed arrays plus ids into shared string pools. About 70 bytes per event.

import { StringPool } from './pool';
import { formatTime } from './time';
import { LEVEL_NAMES, type TraceLevelValue, type TraceRow } from './types';

/** String pools shared by every file of a collection, so ids compare across files. */
export class TracePools {
  readonly source = new StringPool();
  readonly activity = new StringPool();
  readonly process = new StringPool();
  readonly thread = new StringPool();
  readonly computer = new StringPool();
  /** Messages may repeat under several ids (see StringPool): a log of unique messages costs no lookup table. */
  readonly message = new StringPool(true);
  /** Activity names (from Start events) and other rare strings. */
  readonly names = new StringPool();

  /** Drops the tables that only speed up decoding (see StringPool.release). */
  release(): void {
    this.source.release(); this.activity.release(); this.process.release(); this.thread.release(); this.computer.release();
    this.message.release(); this.names.release();
  }

  retainedBytes(): number {
    return this.source.retainedBytes() + this.activity.retainedBytes() + this.process.retainedBytes() + this.thread.retainedBytes()
      + this.computer.retainedBytes() + this.message.retainedBytes() + this.names.retainedBytes();
  }
}

export const FLAG_DAMAGED = 1;
export const FLAG_TIME_RAW = 2;

/** The values the decoder writes for one event. Reused between events (no allocation per event). */
export interface EventScratch {
  offset: number;
  length: number;
  ms: number;
  ticks: number;
  tz: number;
  digits: number;
  rawTime: string;
  level: number;
  rawLevel: number;
  eventId: number;
  source: number;
  activity: number;
  related: number;
  process: number;
  processId: number;
  thread: number;
  computer: number;
  message: number;
  flags: number;
  /** Activity name id from a Start event (0 = none). */
  name: number;
}

export function newScratch(): EventScratch {
  return {
    offset: 0, length: 0, ms: NaN, ticks: 0, tz: 0, digits: 0, rawTime: '', level: 0, rawLevel: -1, eventId: 0, source: 0,
    activity: 0, related: 0, process: 0, processId: 0, thread: 0, computer: 0, message: 0, flags: 0, name: 0,
  };
}

export class TraceStore {
  count = 0;
  offset: Float64Array;
  length: Uint32Array;
  ms: Float64Array;
  ticks: Uint16Array;
  tz: Int16Array;
  digits: Uint8Array;
  level: Uint8Array;
  rawLevel: Int16Array;
  eventId: Uint32Array;
  source: Uint32Array;
  activity: Uint32Array;
  related: Uint32Array;
  process: Uint32Array;
  processId: Uint32Array;
  thread: Uint32Array;
  computer: Uint32Array;
  message: Uint32Array;
  flags: Uint8Array;
  /** Time strings that are not in canonical round-trip form, by row. */
  readonly rawTimes = new Map<number, string>();
  /** Activity id → name id (pools.names), from the first Start event that names it. */
  readonly activityNames = new Map<number, number>();
  /** Incremented on every change, so views know when to refresh. */
  version = 0;

  constructor(readonly pools: TracePools, capacity = 1024) {
    this.offset = new Float64Array(capacity);
    this.length = new Uint32Array(capacity);
    this.ms = new Float64Array(capacity);
    this.ticks = new Uint16Array(capacity);
    this.tz = new Int16Array(capacity);
    this.digits = new Uint8Array(capacity);
    this.level = new Uint8Array(capacity);
    this.rawLevel = new Int16Array(capacity);
    this.eventId = new Uint32Array(capacity);
    this.source = new Uint32Array(capacity);
    this.activity = new Uint32Array(capacity);
    this.related = new Uint32Array(capacity);
    this.process = new Uint32Array(capacity);
    this.processId = new Uint32Array(capacity);
    this.thread = new Uint32Array(capacity);
    this.computer = new Uint32Array(capacity);
    this.message = new Uint32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  get capacity(): number {
    return this.offset.length;
  }

  push(e: EventScratch): number {
    const i = this.count;
    if (i === this.offset.length) this.resize(Math.max(1024, Math.ceil(i * 1.5)));
    this.offset[i] = e.offset;
    this.length[i] = e.length;
    this.ms[i] = e.ms;
    this.ticks[i] = e.ticks;
    this.tz[i] = e.tz;
    this.digits[i] = e.digits;
    this.level[i] = e.level;
    this.rawLevel[i] = e.rawLevel;
    this.eventId[i] = e.eventId;
    this.source[i] = e.source;
    this.activity[i] = e.activity;
    this.related[i] = e.related;
    this.process[i] = e.process;
    this.processId[i] = e.processId;
    this.thread[i] = e.thread;
    this.computer[i] = e.computer;
    this.message[i] = e.message;
    let flags = e.flags;
    if (e.digits === 255) {
      flags |= FLAG_TIME_RAW;
      this.rawTimes.set(i, e.rawTime);
    }
    this.flags[i] = flags;
    if (e.name !== 0 && !this.activityNames.has(e.activity)) this.activityNames.set(e.activity, e.name);
    this.count = i + 1;
    this.version++;
    return i;
  }

  /** Marks a stored row as damaged. */
  markDamaged(row: number): void {
    this.flags[row] |= FLAG_DAMAGED;
    this.version++;
  }

  /** Makes room for `n` more rows at once (one resize instead of several while appending a decoded range). */
  reserve(n: number): void {
    if (this.count + n > this.capacity) this.resize(this.count + n);
  }

  /**
   * Room for the rest of a file at the density seen so far (rows per byte over `done` of `total` bytes, 5% more), so
   * reading a big file grows the columns a few times instead of a dozen: each growth copies every column and leaves
   * the old ones to the allocator, which keeps much of that memory from the system. Waits for 1 MiB of sample, and
   * grows at most fourfold per step (a head of tiny events before big ones reserves little).
   */
  reserveAtDensity(done: number, total: number): void {
    if (done < Math.min(total, 1 << 20) || this.count === 0 || done >= total) return;
    const want = Math.ceil((this.count / done) * total * 1.05);
    if (want > this.capacity) this.resize(Math.min(want, this.capacity * 4));
  }

  /**
   * Shrinks the columns to the event count (call when decoding is done) unless they are within 10% of it: shrinking
   * copies every column once more, for little gain after reserveAtDensity.
   */
  trim(): void {
    if (this.capacity > this.count * 1.1 + 1024) this.resize(this.count);
  }

  /** Drops every event (for a truncated or rotated file). */
  clear(): void {
    this.count = 0;
    this.rawTimes.clear();
    this.activityNames.clear();
    this.version++;
  }

  private resize(n: number): void {
    const c = this.count;
    const g = <T extends Float64Array | Uint32Array | Uint16Array | Int16Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a.subarray(0, Math.min(c, n)) as never);
      return b;
    };
    this.offset = g(this.offset, (k) => new Float64Array(k));
    this.length = g(this.length, (k) => new Uint32Array(k));
    this.ms = g(this.ms, (k) => new Float64Array(k));
    this.ticks = g(this.ticks, (k) => new Uint16Array(k));
    this.tz = g(this.tz, (k) => new Int16Array(k));
    this.digits = g(this.digits, (k) => new Uint8Array(k));
    this.level = g(this.level, (k) => new Uint8Array(k));
    this.rawLevel = g(this.rawLevel, (k) => new Int16Array(k));
    this.eventId = g(this.eventId, (k) => new Uint32Array(k));
    this.source = g(this.source, (k) => new Uint32Array(k));
    this.activity = g(this.activity, (k) => new Uint32Array(k));
    this.related = g(this.related, (k) => new Uint32Array(k));
    this.process = g(this.process, (k) => new Uint32Array(k));
    this.processId = g(this.processId, (k) => new Uint32Array(k));
    this.thread = g(this.thread, (k) => new Uint32Array(k));
    this.computer = g(this.computer, (k) => new Uint32Array(k));
    this.message = g(this.message, (k) => new Uint32Array(k));
    this.flags = g(this.flags, (k) => new Uint8Array(k));
  }

  /** Bytes held by the columns (capacity, not count) and the sparse maps. */
  columnBytes(): number {
    return this.capacity * (8 + 4 + 8 + 2 + 2 + 1 + 1 + 2 + 4 * 9 + 1) + this.rawTimes.size * 80 + this.activityNames.size * 40;
  }

  /** TimeCreated as written. */
  timeText(row: number): string {
    if (this.flags[row] & FLAG_TIME_RAW) return this.rawTimes.get(row) ?? '';
    return formatTime(this.ms[row], this.ticks[row], this.tz[row], this.digits[row]);
  }

  /** One row as an object. `index` is the caller's view position. */
  row(row: number, file = 0, index = row): TraceRow {
    const p = this.pools;
    const level = this.level[row] as TraceLevelValue;
    return {
      index,
      file,
      row,
      time: this.timeText(row),
      instantMs: this.ms[row],
      instantTicks: this.ticks[row],
      level: LEVEL_NAMES[level],
      levelValue: level,
      rawLevel: this.rawLevel[row],
      eventId: this.eventId[row],
      source: p.source.get(this.source[row]),
      activityId: p.activity.get(this.activity[row]),
      relatedActivityId: p.activity.get(this.related[row]),
      process: p.process.get(this.process[row]),
      processId: this.processId[row],
      threadId: p.thread.get(this.thread[row]),
      computer: p.computer.get(this.computer[row]),
      message: p.message.get(this.message[row]),
      offset: this.offset[row],
      length: this.length[row],
      damaged: (this.flags[row] & FLAG_DAMAGED) !== 0,
    };
  }
}
