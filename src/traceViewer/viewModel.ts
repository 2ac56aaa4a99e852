// The viewer's view model: the engine's filtered rows of a TraceCollection plus marked rows for damaged byte ranges,
// and the questions the webview asks of it (a window of rows, find, locate an activity). Pure: no vscode, no I/O.
//
// Damaged byte ranges appear as marked rows (RowDto.damage) after the last event of their file that precedes them,
// when FilterDto.showDamage is set and the filter does not narrow events (no level, source, process, thread, activity,
// time or text restriction): a damaged range is not an event and has none of those fields. engineFilter.ts turns the
// filter into the engine's.

import { compileFilter, type DamageRange, type FullTextHits, type TraceCollection, type TraceRow, type TraceView } from '../trace';
import { damageRowDto, rowDto } from './dto';
import { narrowsNothing, toEngineFilter } from './engineFilter';
import type { FilterDto, RowDto } from './protocol';

export const MAX_ROWS_PER_REQUEST = 1000;

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

  /** Computes the view of `filter` over the collection, with the given settled damage ranges and full-text hits. */
  static of(c: TraceCollection, filter: FilterDto, damage: readonly DamageRange[], version: number, hits?: FullTextHits): ViewModel {
    const engine = c.query({ ...toEngineFilter(filter), textHits: hits?.masks }, 'time');
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

  /** The event rows among positions [start, start + count). */
  eventRows(start: number, count: number): TraceRow[] {
    const [from, end] = this.range(start, count);
    const out: TraceRow[] = [];
    for (let i = from; i < end; i++) { const r = this.eventRow(i); if (r) out.push(r); }
    return out;
  }

  private range(start: number, count: number): [number, number] {
    const from = Math.max(0, Math.floor(start));
    return [from, Math.min(this.total, from + Math.max(0, Math.min(MAX_ROWS_PER_REQUEST, Math.floor(count))))];
  }

  /** Rows [start, start + count) as DTOs (at most MAX_ROWS_PER_REQUEST), each passed through `decorate`. */
  rows(start: number, count: number, activityName: (row: TraceRow) => string, decorate: (row: TraceRow, dto: RowDto) => RowDto = (_r, d) => d): { start: number; rows: RowDto[] } {
    const [from, end] = this.range(start, count);
    const rows: RowDto[] = [];
    for (let i = from; i < end; i++) {
      const what = this.at(i);
      if (!what) break;
      if ('damage' in what) rows.push(damageRowDto(what.damage, i));
      else {
        const row = this.engine.row(what.event) as TraceRow;
        const dto = rowDto(row, i, activityName(row));
        // Time since the previous event of the view and since its first one (Service Trace Viewer has neither).
        const ms = instant(row);
        const prev = what.event > 0 ? this.engine.row(what.event - 1) : undefined;
        const first = this.engine.row(0);
        const timed = Number.isFinite(ms) ? {
          ...dto, ms,
          sincePreviousMs: prev && Number.isFinite(instant(prev)) ? ms - instant(prev) : undefined,
          sinceStartMs: first && Number.isFinite(instant(first)) ? ms - instant(first) : undefined,
        } : dto;
        rows.push(decorate(row, timed));
      }
    }
    return { start: from, rows };
  }

  /**
   * Next (direction 1) or previous (-1) view position after/before `from` whose text matches, wrapping; -1 if none.
   * `hits` (full-text hits of the same text) make events match whose XML holds the text outside the list fields.
   */
  find(c: TraceCollection, text: string, regex: boolean, from: number, direction: 1 | -1, hits?: FullTextHits): number {
    return this.findWithCount(c, text, regex, from, direction, hits).index;
  }

  /** find() plus how many rows of the view match and the 1-based rank of the one found (0 when none). */
  findWithCount(c: TraceCollection, text: string, regex: boolean, from: number, direction: 1 | -1, hits?: FullTextHits): { index: number; count: number; ordinal: number } {
    const index = this.findIndex(c, text, regex, from, direction, hits);
    if (index < 0) return { index, count: 0, ordinal: 0 };
    const test = this.matcher(c, text, regex, hits);
    const e = this.engine;
    const found = this.at(index);
    const at = found && 'event' in found ? found.event : -1;
    let count = 0, ordinal = 0;
    for (let i = 0; i < e.length; i++) if (test(i)) { count++; if (i === at) ordinal = count; }
    return { index, count, ordinal };
  }

  private matcher(c: TraceCollection, text: string, regex: boolean, hits?: FullTextHits): (i: number) => boolean {
    const preds = c.files.map((f) => compileFilter(f.store, { text, regex, textHits: hits?.masks }, f.index));
    const e = this.engine;
    const single = c.files.length === 1;
    return (i) => {
      const p = preds[single ? 0 : e.files[i]];
      return p !== undefined && p(e.rows[i]);
    };
  }

  private findIndex(c: TraceCollection, text: string, regex: boolean, from: number, direction: 1 | -1, hits?: FullTextHits): number {
    if (!text) return -1;
    const e = this.engine;
    const n = e.length;
    if (n === 0) return -1;
    const test = this.matcher(c, text, regex, hits);
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

  /** View position of the event (file, store row), or -1 when the view does not show it. */
  locateEvent(file: number, row: number): number {
    const i = this.engine.indexOf(file, row);
    return i < 0 ? -1 : this.compositeOf(i);
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

  /**
   * The next (1) or previous (-1) view position after/before `from` whose event belongs to the same activity as the
   * event at `from` (Service Trace Viewer's F10/F9), or -1 at the activity's end (no wrapping) or for the root activity.
   */
  stepInActivity(c: TraceCollection, from: number, direction: 1 | -1): number {
    const here = this.at(from);
    if (!here || !('event' in here)) return -1;
    const e = this.engine;
    const single = c.files.length === 1;
    const act = (i: number): number => c.files[single ? 0 : e.files[i]].store.activity[e.rows[i]];
    const id = act(here.event);
    if (id === 0 || /^\{?0{8}-/.test(c.pools.activity.get(id))) return -1;
    for (let i = here.event + direction; i >= 0 && i < e.length; i += direction) if (act(i) === id) return this.compositeOf(i);
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

function instant(r: TraceRow): number {
  return r.instantMs + r.instantTicks / 10000;
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
