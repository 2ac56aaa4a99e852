// The row text the list needs beyond the decoder's columns: Transfer rows say where they go, rows with an exception
// say which one (read from the event on demand, a page at a time, and kept in a bounded cache). Pure: the file is
// read only through a FileAccess.

import { TraceLevel, type FileAccess, type TraceCollection, type TraceRow } from '../trace';
import { ActivityLabels, appendException, exceptionSummary, transferMessage } from './labels';
import type { RowDto } from './protocol';

const CACHE_MAX = 20_000;
/** Bigger events show no exception in their row (the details pane still has it): a row never parses a hostile 50 MB event. */
const ROW_EXCEPTION_MAX_BYTES = 1 << 20;
const READS_AT_ONCE = 16;
/** Levels whose events may carry an exception worth showing in the row. */
const EXCEPTION_LEVELS: ReadonlySet<string> = new Set(['Critical', 'Error', 'Warning']);

export class RowText {
  /** "file:row" → exception summary ('' when the event has none). */
  private readonly exceptions = new Map<string, string>();
  private counts: number[] = [];

  constructor(private readonly c: TraceCollection, private readonly access: FileAccess, readonly labels: ActivityLabels) {}

  /** Reads the exceptions of the rows that may have one and are not cached yet (16 at a time: a host busy decoding waits a few times, not once per row). */
  async load(rows: readonly TraceRow[]): Promise<void> {
    if (this.c.files.some((f, i) => f.store.count < (this.counts[i] ?? 0))) this.exceptions.clear(); // a file started over
    this.counts = this.c.files.map((f) => f.store.count);
    const todo = new Map<string, TraceRow>();
    const big: Array<[string, string]> = [];
    for (const row of rows) {
      const key = `${row.file}:${row.row}`;
      if (!EXCEPTION_LEVELS.has(row.level) || this.exceptions.has(key)) continue;
      if ((this.c.files[row.file]?.store.length[row.row] ?? 0) > ROW_EXCEPTION_MAX_BYTES) big.push([key, '']);
      else todo.set(key, row);
    }
    const one = async ([key, row]: [string, TraceRow]): Promise<[string, string]> => {
      try { return [key, exceptionSummary((await this.c.details(this.access, row.file, row.row)).exceptions)]; } catch { return [key, '']; /* unreadable now: plain row */ }
    };
    // A few at a time: at most READS_AT_ONCE events (each at most ROW_EXCEPTION_MAX_BYTES) are held at once.
    const list = [...todo], read: Array<[string, string]> = [];
    for (let i = 0; i < list.length; i += READS_AT_ONCE) read.push(...await Promise.all(list.slice(i, i + READS_AT_ONCE).map(one)));
    for (const [key, summary] of [...big, ...read]) {
      if (this.exceptions.size >= CACHE_MAX) this.exceptions.delete(this.exceptions.keys().next().value as string);
      this.exceptions.set(key, summary);
    }
  }

  /** The row with its Transfer target or exception in the message, and its activity's readable label. */
  decorate(row: TraceRow, dto: RowDto): RowDto {
    let message = dto.message;
    if (row.levelValue === TraceLevel.Transfer && !message && row.relatedActivityId) message = transferMessage(this.labels.ofRow(row, 'related'));
    const ex = this.exceptions.get(`${row.file}:${row.row}`);
    if (ex) message = appendException(message, ex);
    return message === dto.message ? dto : { ...dto, message };
  }
}
