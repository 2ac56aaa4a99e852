// The viewer's view model: the engine's filtered rows of a TraceCollection plus marked rows for damaged byte ranges,
// and the questions the webview asks of it (a window of rows, find, locate an activity). Pure: no vscode, no I/O.
//
// Damaged byte ranges appear as marked rows (RowDto.damage) after the last event of their file that precedes them,
// when FilterDto.showDamage is set and the filter does not narrow events (no level, source, process, thread, activity,
// time or text restriction): a damaged range is not an event and has none of those fields.

import {
  compileFilter, parseTime, type DamageRange, type TraceCollection, type TraceFilter, type TraceRow, type TraceView,
} from '../trace';
import { damageRowDto, rowDto } from './dto';
import type { FilterDto, RowDto } from './protocol';

export const MAX_ROWS_PER_REQUEST = 1000;

export { EMPTY_FILTER } from './filterVocabulary';

/** What sits at one position of the view: a damaged range or an engine position. */
export type ViewItem = { damage: DamageRange } | { event: number };

/** One computed view: the engine's filtered rows plus damage rows inserted before given engine positions. */
export class ViewModel {
  /** Composite position of each damage row (strictly increasing). */
  private readonly damagePos: number[];

  constructor(
    readonly engine: TraceView,
    /** Damage ranges with the engine position they are inserted before, ordered by that position. */
    readonly damage: ReadonlyArray<{ readonly before: number; readonly range: DamageRange }>,
    /** Increases whenever the rows change; stale replies are dropped by the webview. */
    readonly version: number,
  ) {
    this.damagePos = damage.map((d, k) => d.before + k);
  }

  /** Computes the view of `filter` over the collection, with the given settled damage ranges. */
  static of(c: TraceCollection, filter: FilterDto, damage: readonly DamageRange[], version: number): ViewModel {
    const engine = c.query(toEngineFilter(filter), 'time');
    const placed = filter.showDamage && narrowsNothing(filter) ? placeDamage(c, engine, damage) : [];
    return new ViewModel(engine, placed, version);
  }

  get total(): number {
    return this.engine.length + this.damage.length;
  }

  /** What sits at composite position i. */
  at(i: number): ViewItem | undefined {
    if (i < 0 || i >= this.total) return undefined;
    const pos = this.damagePos;
    let lo = 0, hi = pos.length; // number of damage rows at positions < i
    while (lo < hi) { const mid = (lo + hi) >> 1; if (pos[mid] < i) lo = mid + 1; else hi = mid; }
    if (lo < pos.length && pos[lo] === i) return { damage: this.damage[lo].range };
    return { event: i - lo };
  }

  /** Composite position of engine position e. */
  compositeOf(e: number): number {
    const d = this.damage;
    let lo = 0, hi = d.length; // damage rows with before <= e
    while (lo < hi) { const mid = (lo + hi) >> 1; if (d[mid].before <= e) lo = mid + 1; else hi = mid; }
    return e + lo;
  }

  /** The event row at composite position i (undefined for a damage row or outside the view). */
  eventRow(i: number): TraceRow | undefined {
    const what = this.at(i);
    return what && 'event' in what ? this.engine.row(what.event) : undefined;
  }

  /** Rows [start, start + count) as DTOs (at most MAX_ROWS_PER_REQUEST). */
  rows(start: number, count: number, activityName: (id: string) => string): { start: number; rows: RowDto[] } {
    const from = Math.max(0, Math.floor(start));
    const end = Math.min(this.total, from + Math.max(0, Math.min(MAX_ROWS_PER_REQUEST, Math.floor(count))));
    const rows: RowDto[] = [];
    for (let i = from; i < end; i++) {
      const what = this.at(i);
      if (!what) break;
      if ('damage' in what) rows.push(damageRowDto(what.damage, i));
      else {
        const row = this.engine.row(what.event) as TraceRow;
        rows.push(rowDto(row, i, activityName(row.activityId)));
      }
    }
    return { start: from, rows };
  }

  /** Next (direction 1) or previous (-1) view position after/before `from` whose text matches, wrapping; -1 if none. */
  find(c: TraceCollection, text: string, regex: boolean, from: number, direction: 1 | -1): number {
    if (!text) return -1;
    const preds = c.files.map((f) => compileFilter(f.store, { text, regex }, f.index));
    const e = this.engine;
    const n = e.length;
    if (n === 0) return -1;
    const single = c.files.length === 1;
    const test = (i: number): boolean => {
      const p = preds[single ? 0 : e.files[i]];
      return p !== undefined && p(e.rows[i]);
    };
    // Start from the engine position next to `from` in the search direction.
    const here = this.at(Math.max(0, Math.min(this.total - 1, from)));
    let start: number;
    if (from < 0 || from >= this.total) start = direction > 0 ? 0 : n - 1;
    else if (here && 'event' in here) start = here.event + direction;
    else start = direction > 0 ? this.engineAfter(from) : this.engineAfter(from) - 1;
    for (let k = 0; k < n; k++) {
      const i = (((start + direction * k) % n) + n) % n;
      if (test(i)) return this.compositeOf(i);
    }
    return -1;
  }

  /** First view position of an event of this activity (its ActivityID), or -1. */
  locateActivity(c: TraceCollection, activityId: string): number {
    const id = c.pools.activity.find(activityId);
    if (id < 0) return -1;
    const e = this.engine;
    const single = c.files.length === 1;
    for (let i = 0; i < e.length; i++) {
      const s = c.files[single ? 0 : e.files[i]].store;
      if (s.activity[e.rows[i]] === id) return this.compositeOf(i);
    }
    return -1;
  }

  /** Engine position of the first event after composite position `i` (which holds a damage row). */
  private engineAfter(i: number): number {
    for (let k = i + 1; k < this.total; k++) {
      const w = this.at(k);
      if (w && 'event' in w) return w.event;
    }
    return this.engine.length;
  }
}

/** True when the filter shows every event (damage rows fit only such a view). */
export function narrowsNothing(f: FilterDto): boolean {
  return f.levels.length === 0 && f.sources.length === 0 && f.processes.length === 0 && f.threads.length === 0
    && !f.activityId && !f.from && !f.to && !f.text;
}

function timeMs(text: string | undefined, what: string): number | undefined {
  if (!text) return undefined;
  const t = parseTime(text.trim());
  // Fractions of a millisecond count (the engine compares 100 ns ticks), so "to" an event's own time includes it.
  let ms = t.ms + t.ticks / 10000;
  if (!Number.isFinite(ms)) ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new Error(`The ${what} time is not a date and time: ${text}`);
  return ms;
}

/** FilterDto → the engine's TraceFilter (throws on a bad regex or time). */
export function toEngineFilter(f: FilterDto): TraceFilter {
  if (f.text && f.regex) new RegExp(f.text); // eslint-disable-line no-new -- validate early, with the engine's message
  return {
    levels: f.levels.length ? f.levels : undefined,
    sources: f.sources.length ? f.sources : undefined,
    processes: f.processes.length ? f.processes : undefined,
    threads: f.threads.length ? f.threads : undefined,
    activities: f.activityId ? [f.activityId] : undefined,
    fromMs: timeMs(f.from, 'from'),
    toMs: timeMs(f.to, 'to'),
    text: f.text || undefined,
    regex: f.regex || undefined,
  };
}

/**
 * Where each damaged range goes in a view: before the engine position following the last event of the same file that
 * starts before the range (or at the start when none does).
 */
function placeDamage(c: TraceCollection, view: TraceView, ranges: readonly DamageRange[]): Array<{ before: number; range: DamageRange }> {
  if (ranges.length === 0) return [];
  // For each damage: the store row of the last event of its file with offset < start (-1 if none).
  const prevRow = ranges.map((d) => {
    const s = c.files[d.file ?? 0].store;
    let lo = 0, hi = s.count;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (s.offset[mid] < d.start) lo = mid + 1; else hi = mid; }
    return lo - 1;
  });
  const want = c.files.map(() => new Map<number, number[]>());
  const before = new Array<number>(ranges.length).fill(-1);
  ranges.forEach((d, k) => {
    if (prevRow[k] < 0) { before[k] = 0; return; }
    const m = want[d.file ?? 0];
    const list = m.get(prevRow[k]);
    if (list) list.push(k); else m.set(prevRow[k], [k]);
  });
  const single = c.files.length === 1;
  for (let i = 0; i < view.length; i++) {
    const ks = want[single ? 0 : view.files[i]].get(view.rows[i]);
    if (ks) for (const k of ks) before[k] = i + 1;
  }
  const out = ranges.map((range, k) => ({ before: before[k] < 0 ? view.length : before[k], range }));
  out.sort((a, b) => a.before - b.before || (a.range.file ?? 0) - (b.range.file ?? 0) || a.range.start - b.range.start);
  return out;
}
